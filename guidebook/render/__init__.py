"""Stage 3, render: an `Edition` -> output files, one module per target (pdf, epub, html)."""
