"""`python -m guidebook` is the same as `make_book.py`."""

from guidebook.cli import run

run()
