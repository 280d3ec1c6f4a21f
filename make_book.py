#!/usr/bin/env python3
"""Thin entry point: `python make_book.py build` and friends. All logic lives in `guidebook`."""

import sys

from guidebook.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
