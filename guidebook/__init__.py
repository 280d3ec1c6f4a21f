"""guidebook: Markdown exercise chapters and training guides -> print-ready PDF and EPUB 3.

The pipeline is load -> convert -> render, one module per stage, with frozen data between
stages (see `model`). `build.build_book` runs it; `cli` is the command line.
"""

__version__ = "0.1.0"
