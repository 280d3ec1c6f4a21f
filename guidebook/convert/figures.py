"""Figures (convert stage): runs of consecutive images become one captioned figure block.

Input: a chapter's tree whose images `images.collect_images` has resolved and sized, with the
shape (width, height) of each. Output: the same tree where every run of image-only blocks (a
paragraph holding images and line breaks only, several such paragraphs in a row, or a `<figure>`
holding only images and a caption) is one block in the markup every target styles:

    <div class="figures figures-2" id="<anchor>--figures-1">
      <figure class="photo landscape"><img .../><figcaption>Start position</figcaption></figure>
      <figure class="photo landscape"><img .../><figcaption>End position</figcaption></figure>
    </div>

Exercise photos come as a start/end pair written one per paragraph; set one above the other at
full width they took two thirds of a page at 127 dpi. Grouped, the print layout can set them side
by side at their 300-dpi size. Captions come from the title attribute or else the alt text, with
what the images of the block share ("Barbell squat start position", "Barbell squat end
position") and the chapter's own title dropped, so they read "Start position", "End position".
An alt text longer than a caption (a sentence describing a drawing) is not printed under it:
it is a description for readers who cannot see the image, and a screen reader would read it
twice; a writer who wants a long caption gives the image a title.
Images inside lists, tables, links or running text are left where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from guidebook.model import Chapter
from guidebook.names import Registry

Shape = tuple[float, float]
MAX_CAPTION_WORDS = 12  # an alt text (less what is dropped) longer than this is no caption

# Elements whose children may be figure blocks: the chapter itself and plain containers.
# Inside a list item, a table cell, a link or a paragraph an image stays inline.
CONTAINERS = frozenset({"div", "section", "blockquote", "details", "aside", "article"})
INLINE_ONLY = frozenset({"li", "td", "th", "table", "dd", "dt", "a", "p", "figure", "dl"})

# How many figures a row holds, by the block's image count (the print layout, base.css):
# three or more in one row would leave four landscape photos under 40 mm each on a 170 mm
# measure, so four make a 2 x 2 grid and longer runs rows of three.
PER_ROW = {1: 1, 2: 2, 3: 3, 4: 2}
ROW_GAP_MM = 3.0  # the padding around each figure of a row (base.css: 1.5 mm each side)


def per_row(count: int) -> int:
    return PER_ROW.get(count, 3)


def slot_width_mm(count: int, measure_mm: float) -> float:
    """The widest a figure of a block of `count` images prints on a `measure_mm` text block."""
    return measure_mm / per_row(count) - (ROW_GAP_MM if count > 1 else 0.0)


def orientation(shape: Shape | None) -> str:
    if shape is None or shape[1] <= 0:
        return "landscape"
    ratio = shape[0] / shape[1]
    return "landscape" if ratio > 1.1 else "portrait" if ratio < 0.9 else "square"


def group_figures(
    root: etree._Element, chapter: Chapter, shapes: Mapping[etree._Element, Shape | None]
) -> list[etree._Element]:
    """Turn every run of image-only blocks under `root` into one figure block; return them."""
    taken = {chapter.anchor, f"{chapter.anchor}--title"}
    taken.update(el.get("id") or "" for el in root.iter() if isinstance(el.tag, str))
    ids = Registry(taken)  # the same naming as headings: unique, `<anchor>--<name>`
    blocks: list[etree._Element] = []
    for parent in _containers(root):
        for run in _runs(parent):
            block = _block(run, chapter.title, shapes)
            block.set("id", ids.unique(f"{chapter.anchor}--figures-{len(blocks) + 1}"))
            blocks.append(block)
    return blocks


def _containers(root: etree._Element) -> list[etree._Element]:
    found = [root]
    for element in root.iterdescendants(*CONTAINERS):
        inline = any(a.tag in INLINE_ONLY for a in element.iterancestors())
        if not inline and "figures" not in (element.get("class") or "").split():
            found.append(element)
    return found


def _runs(parent: etree._Element) -> Iterable[list[etree._Element]]:
    """Runs of consecutive image-only children (only whitespace between them)."""
    run: list[etree._Element] = []
    for child in parent:
        if _image_only(child):
            run.append(child)
            if (child.tail or "").strip():
                yield run
                run = []
        elif isinstance(child.tag, str) or (child.tail or "").strip():
            if run:
                yield run
            run = []
        # a comment or processing instruction with no text after it does not break a run
    if run:
        yield run


def _image_only(element: etree._Element) -> bool:
    """A paragraph of images and line breaks, or a figure of images and one caption; nothing
    a link could point at (an id), which regrouping would lose."""
    if element.tag not in ("p", "figure") or (element.text or "").strip() or element.get("id"):
        return False
    allowed = ("img", "br") if element.tag == "p" else ("img", "figcaption")
    children = list(element)
    if not any(child.tag == "img" for child in children):
        return False
    if element.tag == "figure" and sum(child.tag == "figcaption" for child in children) > 1:
        return False
    return all(
        child.tag in allowed and not (child.tail or "").strip() and not child.get("id")
        for child in children
    )


def _block(
    run: list[etree._Element], title: str, shapes: Mapping[etree._Element, Shape | None]
) -> etree._Element:
    items: list[tuple[etree._Element, etree._Element | None]] = []
    for element in run:
        caption = element.find("figcaption")
        images = element.findall("img")
        items.extend((img, caption if len(images) == 1 else None) for img in images)
    texts = _captions(
        [img.get("title") or "" for img, _ in items],
        [img.get("alt") or "" for img, _ in items],
        title,
    )
    block = etree.Element("div")
    block.set("class", f"figures figures-{len(items)}")
    for (img, caption), text in zip(items, texts, strict=True):
        figure = etree.SubElement(block, "figure")
        figure.set("class", f"photo {orientation(shapes.get(img))}")
        img.tail = None
        figure.append(img)
        if caption is not None:
            caption.tail = None
            figure.append(caption)  # the writer's own caption, markup and all
        elif text:
            etree.SubElement(figure, "figcaption").text = text
    first, last = run[0], run[-1]
    block.tail = last.tail
    first.addprevious(block)
    parent = first.getparent()
    for element in run:
        if parent is not None:
            parent.remove(element)
    return block


def _captions(titles: list[str], alts: list[str], chapter_title: str) -> list[str]:
    """A caption per image: its title as written, else its alt text without the chapter's title
    and without the leading words every alt-captioned image of the block shares, when what is
    left is short enough to be a caption."""
    heading = _keys(chapter_title.split())
    words = [
        [] if title else _without(alt.split(), heading)
        for title, alt in zip(titles, alts, strict=True)
    ]
    captioned = [w for w in words if w]
    if len(captioned) > 1:
        common = 0
        while all(len(w) > common for w in captioned) and _same(w[common] for w in captioned):
            common += 1
        # Drop the shared words only where the captions go on to differ: "Start position" and
        # "Start position, heels raised" share everything the first says and keep it.
        if all(len(w) > common for w in captioned):
            words = [w[common:] for w in words]
    return [
        title.strip() if title else _capitalised(" ".join(w)) if len(w) <= MAX_CAPTION_WORDS else ""
        for title, w in zip(titles, words, strict=True)
    ]


def _without(words: list[str], heading: list[str]) -> list[str]:
    """`words` less a leading repeat of the chapter title's `heading` keys, if they start so."""
    matched, index = 0, 0
    while heading and matched < len(heading) and index < len(words):
        key = _key(words[index])
        if key and key != heading[matched]:
            return words
        matched += bool(key)
        index += 1
    return words[index:] if heading and matched == len(heading) else words


def _same(words: Iterable[str]) -> bool:
    return len({_key(word) for word in words}) == 1


def _key(word: str) -> str:
    return "".join(ch for ch in word.casefold() if ch.isalnum())


def _keys(words: list[str]) -> list[str]:
    return [key for key in map(_key, words) if key]


def _capitalised(text: str) -> str:
    text = text.lstrip(":;,.-\u2013\u2014 ")
    return text[:1].upper() + text[1:]
