"""The layout workers' image cache (`session.DiskImages`): a held chunk's photos wait on disk,
not in memory, and the PDF written from it embeds them as they were."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from guidebook.model import Asset
from guidebook.render.session import DiskImages, Session

HTML = """<!DOCTYPE html><html><head><style>@page { size: A6 }</style></head>
<body><p>Before.</p><img src="images/a.jpg" style="width: 50mm"><p>After.</p></body></html>"""


def test_a_spilling_session_keeps_image_bytes_on_disk_until_written(tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    Image.new("RGB", (640, 480), (200, 40, 40)).save(path, "JPEG", quality=90)
    assets = {"images/a.jpg": Asset("images/a.jpg", path, "image/jpeg")}
    spill = tmp_path / "scratch"
    draft = Session(spill=spill).draft(HTML, assets)
    draft.layout()
    document = draft.layout()  # laid out again, as the figure pass does: decoded once
    images = draft.images
    assert isinstance(images, DiskImages)
    stored = [file.read_bytes() for file in images.folder.iterdir()]
    assert stored == [path.read_bytes()]  # the file's bytes, on disk and only once
    assert not any(isinstance(value, bytes) for value in dict.values(images))

    pdf = PdfReader(io.BytesIO(document.write_pdf()))
    (embedded,) = pdf.pages[0].images
    assert embedded.image.size == (640, 480)
    assert embedded.image.convert("RGB").getpixel((320, 240))[0] > 150

    images.close()
    assert not images.folder.exists() and spill.is_dir()


def test_disk_images_is_a_mapping(tmp_path: Path) -> None:
    images = DiskImages(tmp_path / "i")
    images["a"] = b"bytes"
    images["b"] = object()
    images["a"] = b"other"
    assert images["a"] == b"other" and len(images) == 2 and set(images) == {"a", "b"}
    del images["a"]
    assert "a" not in images and len(list((tmp_path / "i").iterdir())) == 0
