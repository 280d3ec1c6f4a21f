"""Sanitising an SVG file by parsing it: what is not on the allow-lists is removed.

The file is parsed by lxml with entities, DTDs and the network off; a file that declares
entities is refused (an entity can name another file), any other DOCTYPE is dropped. The tree
is then walked once: elements and attributes not on the allow-lists (`allowed.py`) go, styles
are checked token by token (`css.py`), references must stay inside the file (`#id`) except
embedded PNG/JPEG/GIF pictures, which are checked like any image; processing instructions
(`<?xml-stylesheet?>`) and comments go. `<a>` becomes a plain group: links do nothing in a
printed drawing and `javascript:` must not reach a reader. What was removed is returned as
phrases for one warning; the drawing that remains is written back out as the image's bytes.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from guidebook.svg import css
from guidebook.svg.allowed import (
    ATTRIBUTES,
    EDITOR_NAMESPACES,
    ELEMENTS,
    HREF_ELEMENTS,
    LINK_ATTRIBUTES,
    PRESENTATION,
    SILENT_ELEMENTS,
    SVG_NS,
    XLINK_NS,
    XML_ATTRIBUTES,
    XML_NS,
)

_SVG = f"{{{SVG_NS}}}"


class SvgProblem(ValueError):
    """Why the file cannot be used at all; completes "image 'x.svg' ..."."""


# Checks an embedded picture's bytes; raises ValueError if they are not a usable PNG/JPEG/GIF.
CheckRaster = Callable[[bytes], None]

# What was removed, as phrases completing "image 'x.svg' ..."; {} is the first example.
ELEMENT = "contains {}"
HANDLER = "has a script handler ({}=...)"
LINK_OUT = "links to another file ('{}')"
LINK = "has a link ('{}')"
ATTRIBUTE = "has an attribute a book cannot carry ({})"
INSTRUCTION = "has a processing instruction (<?{}?>)"
PICTURE = "embeds a picture that is not a readable PNG, JPEG or GIF"
STYLE_TYPE = "has a style sheet that is not CSS (type '{}')"


@dataclass
class Removed:
    """What the sanitiser took out, by kind (a message phrase), with the first example."""

    kinds: dict[str, tuple[str, int]] = field(default_factory=dict)

    def note(self, kind: str, detail: str = "") -> None:
        first, count = self.kinds.get(kind, (detail, 0))
        self.kinds[kind] = (first, count + 1)

    def phrases(self) -> list[str]:
        return [
            kind.format(_shown(detail)) + (f" and {count - 1} more" if count > 1 else "")
            for kind, (detail, count) in self.kinds.items()
        ]


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,  # libxml2's limits on depth and text size stay on
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgProblem(f"is not a well-formed SVG file ({exc}); export it again") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgProblem("is not an SVG image (its outer element is not <svg>)")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise SvgProblem(
            "declares entities (which could read other files); export it again without them"
        )
    return root


def clean(root: etree._Element, removed: Removed, check_raster: CheckRaster) -> bytes:
    """Remove from `root` what a book cannot carry, noting it in `removed`; the clean bytes."""
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for sibling in outside:  # <?xml-stylesheet?> before the root: not written back out
        if isinstance(sibling, etree._ProcessingInstruction):
            removed.note(INSTRUCTION, sibling.target)
    walker = _Walker(removed, check_raster)
    stack = [root]
    while stack:  # iterative: nesting depth is the file's to choose
        element = stack.pop()
        if walker.keep(element):
            stack.extend(reversed(element))
    etree.cleanup_namespaces(root)
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True))


@dataclass
class _Walker:
    removed: Removed
    check_raster: CheckRaster

    def keep(self, node: etree._Element) -> bool:
        """Clean one node in place; False if it was removed (its children are then gone too)."""
        if isinstance(node, etree._ProcessingInstruction):
            self.removed.note(INSTRUCTION, node.target)
            return _drop(node)
        if not isinstance(node.tag, str):  # entity references, comments
            return _drop(node)
        local = node.tag[len(_SVG) :] if node.tag.startswith(_SVG) else None
        if local not in ELEMENTS:
            name = etree.QName(node)
            if not _silent(name):
                self.removed.note(ELEMENT, f"<{_prefixed(node, name)}>")
            return _drop(node)
        for attribute, value in list(node.attrib.items()):
            if not self._attribute_ok(local, attribute, value):
                del node.attrib[attribute]
        if (style := node.get("style")) is not None:
            cleaned = css.clean_declarations(style, self.removed.note)
            if cleaned:
                node.set("style", cleaned)
            else:
                del node.attrib["style"]
        if local == "style":
            self._clean_style(node)
            return False  # its text is kept, any child element is gone
        if local == "a":  # links do nothing in a picture; keep what the link wraps
            node.tag = f"{{{SVG_NS}}}{'tspan' if _inside_text(node) else 'g'}"
        if local == "image" and not _href(node):
            return _drop(node)  # nothing left to show
        return True

    def _attribute_ok(self, element: str, attribute: str, value: str) -> bool:
        if attribute in ATTRIBUTES:  # the common case: a plain SVG attribute
            if attribute in PRESENTATION and (problem := css.value_problem(value)) is not None:
                self.removed.note(*problem)
                return False
            return True
        name = etree.QName(attribute)
        if name.namespace == XML_NS:  # xml:base would re-aim every relative reference
            if name.localname in XML_ATTRIBUTES:
                return True
            self.removed.note(ATTRIBUTE, f"xml:{name.localname}")
            return False
        is_href = name.localname == "href" and name.namespace in (None, XLINK_NS)
        if is_href:
            return self._href_ok(element, value)
        if name.namespace is not None:
            if not (_silent(name) or name.namespace == XLINK_NS):  # xlink:title and kin
                self.removed.note(ATTRIBUTE, f"{etree.QName(name).localname}")
            return False
        local = name.localname
        if local.lower().startswith("on"):
            self.removed.note(HANDLER, local)
            return False
        if element == "a" and local in LINK_ATTRIBUTES:
            return False
        if not local.startswith("data-"):  # editors' own notes; they never draw
            self.removed.note(ATTRIBUTE, local)
        return False

    def _href_ok(self, element: str, value: str) -> bool:
        target = value.strip()
        if element == "a":  # it becomes a group; a link inside the file is no loss
            if not target.startswith("#"):
                self.removed.note(LINK, target)
            return False
        if element in HREF_ELEMENTS and target.startswith("#") and len(target) > 1:
            return True
        if element == "image" and (picture := _embedded_picture(target)) is not None:
            try:
                self.check_raster(picture)
                return True
            except ValueError:
                self.removed.note(PICTURE)
                return False
        self.removed.note(LINK_OUT, target)
        return False

    def _clean_style(self, node: etree._Element) -> None:
        kind = node.get("type", "text/css").strip().lower()
        if kind != "text/css":
            self.removed.note(STYLE_TYPE, kind)
            node.text = None
        else:
            node.text = css.clean_stylesheet(node.text or "", self.removed.note)
        for child in list(node):
            node.remove(child)


_DATA_PICTURE = re.compile(r"data:image/(png|jpeg|jpg|gif);base64,(.*)", re.IGNORECASE | re.DOTALL)


def _embedded_picture(href: str) -> bytes | None:
    match = _DATA_PICTURE.fullmatch(href)
    if match is None:
        return None
    try:
        return base64.b64decode("".join(match[2].split()), validate=True)
    except (binascii.Error, ValueError):
        return b""  # not decodable: the picture check says so


def _href(node: etree._Element) -> str | None:
    href: str | None = node.get("href") or node.get(f"{{{XLINK_NS}}}href")
    return href


def _inside_text(node: etree._Element) -> bool:
    return any(
        etree.QName(a).localname in ("text", "tspan", "textPath") for a in node.iterancestors()
    )


def _silent(name: etree.QName) -> bool:
    """Editors' private data and metadata: removed without a word, it never draws."""
    namespace = name.namespace or ""
    if namespace == SVG_NS:
        return name.localname in SILENT_ELEMENTS
    return namespace.startswith(EDITOR_NAMESPACES)


def _prefixed(node: etree._Element, name: etree.QName) -> str:
    if name.namespace in (SVG_NS, None):
        return str(name.localname)
    return f"{node.prefix or '?'}:{name.localname}"


def _drop(node: etree._Element) -> bool:
    """Remove `node` but keep its tail text (it belongs to the parent: text in <text>)."""
    parent = node.getparent()
    if parent is None:
        return False
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
    return False


def _shown(detail: str) -> str:
    """A removed value as the message shows it: one line, at most 60 characters, quoted."""
    text = "".join(c if c.isprintable() else " " for c in " ".join(detail.split()))
    return text if len(text) <= 60 else text[:57] + "..."
