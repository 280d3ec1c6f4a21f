"""The last step before WeasyPrint writes a book's PDF, for the whole book or one chunk of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydyf

from guidebook.model import PrintSetup
from guidebook.render.cmyk import colour_manage, is_pdfx
from guidebook.render.tagged import complete_structure
from guidebook.render.trim import BLEED_MM, INCH

PT_PER_MM = 72 / INCH


@dataclass(frozen=True)
class Finisher:
    """WeasyPrint's last step before the file is written: /PageLabels (roman for the front
    matter, arabic from chapter one; a chunk's file leaves them to the join), the structure
    tree's missing pieces, the colour management of PDF/X, each page's BleedBox. A class
    rather than a closure: the chunk workers receive it pickled."""

    front_pages: int
    setup: PrintSetup
    identity: str
    labels: bool = True

    def __call__(self, document: Any, pdf: Any) -> None:
        if self.labels:
            nums = pydyf.Array()
            if self.front_pages:
                nums.extend([0, pydyf.Dictionary({"S": "/r"})])
            nums.extend([self.front_pages, pydyf.Dictionary({"S": "/D"})])
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
        complete_structure(pdf)
        if is_pdfx(self.setup):
            colour_manage(pdf, self.identity)
        if self.setup.bleed or self.setup.crop_marks:
            _bleed_boxes(document, pdf, BLEED_MM * PT_PER_MM if self.setup.bleed else 0.0)


def _bleed_boxes(document: Any, pdf: Any, bleed: float) -> None:
    """Each page's BleedBox: its TrimBox grown by `bleed` points at the top, the bottom and
    the outer edge (a right-hand page's page box has less bleed at its left: the spine)."""
    pages = [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/Page"]
    for laid, page in zip(document.pages, pages, strict=True):
        left, top, right, bottom = (float(v) for v in page["TrimBox"])
        recto = laid.bleed["left"] <= laid.bleed["right"]
        page["BleedBox"] = pydyf.Array(
            [
                left - (0 if recto else bleed),
                top - bleed,
                right + (bleed if recto else 0),
                bottom + bleed,
            ]
        )
