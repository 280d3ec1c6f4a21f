"""Raw HTML as pasted from websites, CMS exports and word processors: broken, obsolete, odd.

Whatever goes in, the chapter converts, the PDF renders without renderer complaints and the
EPUB passes EPUBCheck with no errors; the obsolete markup is dropped or turned into its
modern equivalent while the writer's words survive.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import epubcheck_messages, renderer_warnings, run_cli
from lxml import etree
from pypdf import PdfReader

PASTED = """\
# Pasted From Everywhere

<center>Centred by an old editor</center>

<font color="red" face="Comic Sans MS" size="+2">Loud red words</font>

<div><p><b>Unclosed bold in an unclosed paragraph
<p>Second paragraph <i>with unclosed italics

</span></div></div></b>

<table border=1 cellpadding=4><tr><td colspan=abc>cell one<td>cell two
<tr><td>row two</table>

<p align=center>Aligned the 1999 way</p>

<marquee>Scrolling news</marquee> <blink>Blinking</blink> <strike>struck</strike>
<u>underlined</u> <big>big</big> <tt>teletype</tt> <h7>not a heading</h7>

<p id="dup">first dup</p><p id="dup">second dup</p><a name="old-anchor">named anchor</a>

<p class=MsoNormal style="mso-margin-top-alt:auto">Word paragraph<o:p></o:p></p>
<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->

<ol start="x" type="Q"><li>loose item<li>another</ol> <li>an item outside any list</li>

<a href="#top">outer <a href="#bottom">nested link</a></a>

<p>A paragraph <div>with a block inside</div> and <table><tr><td>a table</td></tr></table></p>

<br><hr><img><input type=text value=form><button>Press</button>

Entities: &nbsp;&copy;&trade;&hellip;&bogus; &#x1F4AA; &#0; &#xD800;

<![CDATA[ raw cdata text ]]> <?php echo "x"; ?>

<svg><circle r="5"/></svg><math><mi>x</mi></math>

<details><summary>More</summary>Hidden text</details>

<b><div>block in bold</div></b> <h2><p>para in heading</p></h2>
<span><ul><li>list in span</li></ul></span>
<ul>text in list<li>item</li>tail in list<p>para in list</p></ul>
<dl><li>li in dl</li><dt>term</dt>loose definition text<p>para in dl</p></dl>
<table>text in table<tr>text in row<td>cell</td></tr></table>
<p><blockquote>quote in para</blockquote></p> <pre><div>div in pre</div></pre>
<summary>lonely summary</summary> <figcaption>lonely caption</figcaption>
<caption>lonely table caption</caption> <td>lonely cell</td> <dt>lonely term</dt><dd>lonely dd</dd>
<p lang="english!!" title="ok">bad lang</p> <time datetime="tomorrow">soon</time>
<ol reversed="no" start=" 3 "><li>reversed item</li></ol>
<table><tr><th scope=sideways rowspan=-1>odd header</th></tr></table>

Closing words the writer cares about.
"""

SURVIVING_WORDS = (
    "Centred by an old editor",
    "Loud red words",
    "Unclosed bold",
    "Second paragraph",
    "cell one",
    "cell two",
    "row two",
    "Aligned the 1999 way",
    "Scrolling news",
    "struck",
    "underlined",
    "not a heading",
    "second dup",
    "named anchor",
    "Word paragraph",
    "loose item",
    "an item outside any list",
    "nested link",
    "with a block inside",
    "a table",
    "Hidden text",
    "block in bold",
    "para in heading",
    "list in span",
    "text in list",
    "tail in list",
    "para in list",
    "li in dl",
    "loose definition text",
    "para in dl",
    "text in table",
    "text in row",
    "quote in para",
    "div in pre",
    "lonely summary",
    "lonely caption",
    "lonely table caption",
    "lonely cell",
    "lonely term",
    "lonely dd",
    "bad lang",
    "soon",
    "reversed item",
    "odd header",
    "Closing words the writer cares about.",
)


@pytest.fixture(scope="module")
def pasted_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = tmp_path_factory.mktemp("pasted")
    (book / "content").mkdir()
    (book / "content" / "pasted.md").write_text(PASTED, encoding="utf-8")
    code, _, stderr = run_cli("build", "--format", "pdf,epub", "--out", "out", cwd=book)
    assert code == 0, stderr
    assert renderer_warnings(stderr) == []
    assert "Traceback" not in stderr
    return book / "out"


def chapter_xhtml(out: Path) -> etree._Element:
    with zipfile.ZipFile(out / "book.epub") as zf:
        return etree.fromstring(zf.read("EPUB/pasted.xhtml"))


@pytest.mark.slow
def test_the_epub_passes_epubcheck(pasted_book: Path) -> None:
    assert epubcheck_messages(pasted_book / "book.epub") == ()


def test_obsolete_and_foreign_elements_are_gone(pasted_book: Path) -> None:
    root = chapter_xhtml(pasted_book)
    names = {etree.QName(el).localname for el in root.iter() if isinstance(el.tag, str)}
    obsolete = {"center", "font", "marquee", "blink", "strike", "big", "tt", "h7", "input"}
    assert not names & (obsolete | {"button", "xml", "WordDocument", "p:o", "script"})
    assert all(":" not in name for name in names)


def test_ids_stay_unique(pasted_book: Path) -> None:
    ids = [el.get("id") for el in chapter_xhtml(pasted_book).iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_the_writers_words_survive_in_both_outputs(pasted_book: Path) -> None:
    epub_text = " ".join(chapter_xhtml(pasted_book).itertext())
    pdf_text = " ".join(
        page.extract_text() for page in PdfReader(pasted_book / "book.pdf").pages
    ).replace("\n", " ")
    for words in SURVIVING_WORDS:
        assert words in epub_text, words
        assert words in pdf_text, words


def test_no_empty_heading_is_left_behind(pasted_book: Path) -> None:
    headings = [
        el
        for el in chapter_xhtml(pasted_book).iter()
        if isinstance(el.tag, str) and etree.QName(el).localname in ("h1", "h2", "h3", "h4")
    ]
    assert headings and all("".join(h.itertext()).strip() for h in headings)
