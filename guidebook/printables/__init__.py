"""Coaches' printables: per-chapter handouts, one-page form sheets and session cards (PDF only).

Built from the same loaded and converted book as the PDF and EPUB (`load` -> `convert`), then
laid out by their own layouts and rendered in batches by warm worker processes (`batch.py`).
"""
