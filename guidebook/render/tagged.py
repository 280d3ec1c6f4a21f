"""What a tagged PDF (`--pdf-variant pdf/ua-1`) still lacks after WeasyPrint writes it.

WeasyPrint tags a table's header cells with IDs and lists, on each data cell, the IDs of its
headers (/Headers). Two things are missing, and both are added here, in the PDF finisher:

- the structure tree root's **/IDTree**, the name tree that maps those IDs to their cells:
  without it a /Headers entry names nothing a reader can follow;
- a **/Scope** on each header cell, for readers and checkers that read the table by scope
  rather than by IDs: /Row for a header that labels its own row (the exercise metadata box,
  `<th scope="row">`), /Column otherwise.
"""

from __future__ import annotations

from typing import Any

import pydyf


def complete_structure(pdf: Any) -> None:
    """Add the IDTree and the header cells' scopes to a tagged PDF (no-op when untagged)."""
    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return
    objects = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    elements = [obj for obj in objects.values() if obj.get("Type") == "/StructElem"]
    cells = [e for e in elements if e.get("S") in ("/TH", "/TD")]
    headed_rows: dict[bytes, set[str]] = {}  # a row -> the header IDs its data cells name
    for cell in cells:
        if cell["S"] == "/TD" and "A" in cell and "Headers" in cell["A"]:
            names = headed_rows.setdefault(cell["P"], set())
            names.update(_text(header) for header in cell["A"]["Headers"])
    identified: dict[str, bytes] = {}
    for cell in cells:
        if cell["S"] != "/TH" or "ID" not in cell:
            continue
        key = _text(cell["ID"])
        identified[key] = cell.reference
        own_row = key in headed_rows.get(cell["P"], set())
        cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        cell["A"]["Scope"] = "/Row" if own_row else "/Column"
    if identified:
        names = pydyf.Array()
        for key in sorted(identified):
            names.extend([pydyf.String(key), identified[key]])
        objects[root_ref]["IDTree"] = pydyf.Dictionary({"Names": names})


def _text(value: Any) -> str:
    return str(value.string if isinstance(value, pydyf.String) else value)
