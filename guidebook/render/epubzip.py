"""The EPUB's zip as it is shipped: reproducible, `mimetype` first, compressed once."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from guidebook.render.pagemap import NAV, with_page_list


def write_zip(packed: io.BytesIO, path: Path, when: dt.datetime, nav_extra: str = "") -> None:
    """Write EbookLib's package to `path` with the build time on every entry, `mimetype` first
    and stored, the rest deflated (once: EbookLib's own zip is left uncompressed; photos are
    deflated too, since an ebook store charges delivery by the megabyte and generated JPEGs
    shrink by several per cent), and `nav_extra` (the page-list) at the end of the navigation
    document's body.

    EbookLib stamps entries with the wall-clock time, so two builds of the same sources would
    differ; with SOURCE_DATE_EPOCH set, `when` is fixed and so are the bytes.
    """
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(packed) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    entries.sort(key=lambda entry: entry[0] != "mimetype")  # stable: keeps the rest in order
    if nav_extra:
        entries = [(n, with_page_list(d, nav_extra) if n == NAV else d) for n, d in entries]
    with zipfile.ZipFile(path, "w") as out:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, data)
