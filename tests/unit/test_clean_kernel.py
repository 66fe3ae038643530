"""The compiled clean kernel (pipeline/clean/_kernel.c) gives exactly what its Python twins give:
the match form, the display-fix scan, the line tidy, the class/id reading (role and content
rules), the tag strip and the page pre-pass."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import compiled, furniture, normalize, page_cut, page_walk, unicode
from pipeline.clean import html as page_html

CASES = [
    "", "a", "ASCII Only", "مُحَمَّدٌ في المدرسة", "أحمد\u200cی ٢٠١٥", "Ωμέγα ΟΔΟΣ CAIRO",
    "Straße ﬁn", "مصر \U0001F600", "مصر \ud800", "İstanbul", "ـــتطويل", "ک ی ى ة إ آ",
    "東京\u3000都", "\u064b\u0652", "Ǆ ǅ ǆ", "ﬀ ﬃ ẞ",
]


def test_the_kernel_is_built() -> None:
    assert compiled.kernel is not None, (
        "pipeline/clean/_kernel.c is not compiled: reinstall with `pip install -e .` "
        "(needs gcc and the Python headers)")


@pytest.mark.parametrize("text", CASES + [c * 50 for c in CASES])
def test_fold_agrees_with_the_string_passes(text: str) -> None:
    want = normalize._fold_slow(text) if not text.isascii() else text.lower()
    assert normalize.fold(text) == want
    assert normalize.fold_numpy(text) == want
    assert normalize.fold(text) == normalize.match_form(text)[0]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_folds_the_same(text: str) -> None:
    want = normalize._fold_slow(text) if not text.isascii() else text.lower()
    assert normalize.fold(text) == want
    assert normalize.fold_numpy(text) == want


TIDY = [
    "", " ", "\n", "a", " a ", "a  b", "a   b  c", "a\n\n b \n", "\t a\u00a0\n\u3000b\u2003",
    "مصر  و  ليبيا\n  \n", "line\r\nnext", "  lead\nmid  dle\ntrail  ", "x\x1c\n\x85y",
    "\U0001F600  \U0001F601\n", "a \t  b", "\n\n\n",
]


@pytest.mark.parametrize("text", TIDY)
def test_tidy_lines_and_step_bits_agree(text: str) -> None:
    assert unicode._tidy_lines(text) == unicode.tidy_lines_python(text)
    assert unicode._steps(text) == unicode.steps_python(text)


def test_an_already_tidy_text_is_returned_as_is() -> None:
    text = "already tidy\nلا تغيير هنا"
    assert unicode._tidy_lines(text) is text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\u00a0\u3000\u200babc\u0645\u0635\U0001F600\r\x85")),
               max_size=80) | st.text(max_size=200))
def test_any_text_tidies_the_same(text: str) -> None:
    assert unicode._tidy_lines(text) == unicode.tidy_lines_python(text)
    assert unicode._steps(text) == unicode.steps_python(text)


ROLE_CASES = [
    "", " ", "share-box ", "commentList main", "author-bio ", "author  box", "ShareBar Main", "NAV-BAR ",
    "H1TITLE x", "field field--label-hidden ", "a--b--c d", "--share", "post__intro ", "x_share_y z",
    "İntro", "\u212aey-cookie", "SİDEBAR", "ǅnav ǈmenu", "ªnav", "Ad1Banner promo", "comments\u00a0list",
    "nav\x00share", "articleBody", "x" * 300 + " comments", "ＮＡＶ menu", "tag-category post ",
]


@pytest.mark.parametrize("raw", ROLE_CASES)
def test_class_role_agrees_with_the_definition(raw: str) -> None:
    assert compiled.kernel is not None
    assert furniture.role_of(raw) == furniture.role_of_python(raw)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("navsharecomintrolbxAB MNS-_ 1\u0130\u212a\u00e9\u01c5\u00aa\t")), max_size=40)
       | st.lists(st.sampled_from(["nav", "Share", "author", "bio", "box", "--mod", "-", "_", " ", "intro", "X1", "İ"]),
                  max_size=8).map("".join)
       | st.text(max_size=60))
def test_any_class_string_reads_the_same(raw: str) -> None:
    assert furniture.role_of(raw) == furniture.role_of_python(raw)


TAG_CASES = [
    "", "<", "a<b", "<p>x</p>", "<!-- a", "x <!-- a --> y <!-- b", "<!---->z", "<a title='<p>'>z</a>", "</ p>",
    "<p-x>", "<p_x>", "<h1x>", "<h7>", "</pre>", "<PRE>", "<pé>", "a\u3000\u2028b  c\n", "<p", "<p x<y>",
    "<b><p></b>", "<div class='a > b'>t</div>", "<br/>line<br />", "<!--<p>-->q", "é<td>ü</td>\U0001F600",
]


@pytest.mark.parametrize("html", TAG_CASES)
def test_strip_tags_agrees_with_the_definition(html: str) -> None:
    assert compiled.kernel is not None
    assert compiled.kernel.strip_tags(html, page_html._BLOCK_NAMES) == page_html.strip_tags_python(html)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", "/", "!--", "--", "-->", "p", "pre", "div", "h1", "span", "a", " ", "\n",
                                 "\u3000", "x", "é", "_", "=", "'"]), max_size=30).map("".join)
       | st.text(max_size=80))
def test_any_markup_strips_the_same(html: str) -> None:
    assert compiled.kernel is not None
    assert compiled.kernel.strip_tags(html, page_html._BLOCK_NAMES) == page_html.strip_tags_python(html)


READING_CASES = [*ROLE_CASES, "article-body x", "story-body story-body ", "x articleBody-wrap ", "entry-content\u00a0x y",
                 "post-content", "nospace", "", " ", "a\tarticle-body\n ", "ArticleBody main", "main-entry-content y"]


@pytest.mark.parametrize("raw", READING_CASES)
def test_class_reading_agrees_with_the_definition(raw: str) -> None:
    assert compiled.kernel is not None
    page_walk._memo.clear()
    assert page_walk.reading(raw) == page_walk.reading_python(raw)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["article", "-body", "Body", "story", "_", " ", "\t", "\u00a0", "entry-content",
                                 "post-content", "x", "nav", "intro", "é"]), max_size=8).map("".join)
       | st.text(max_size=60))
def test_any_class_string_reads_the_rules_the_same(raw: str) -> None:
    page_walk._memo.clear()
    assert page_walk.reading(raw) == page_walk.reading_python(raw)


CUT_NAMES = ("script", "style", "svg", "meta", "link", "p", "div", "input", "nav", "noscript", "title", "b")
CUT_KEEP = ("class", "id", "hidden", "aria-hidden", "style", "data-advertisement")
CUT_ATOMS = ["<script>", "</script>", "<script type=x>", "<!--", "-->", "--!>", "<svg>", "</svg>", "<path/>", "<g>",
             "</g>", "<p>", "<pre>", "\n", " ", "a", "<meta x>", "<link>", "<style>", "</style>", "<textarea>",
             "</textarea>", "<b", '"', "'", "=", ">", "<", "/", "<title>", "</title>", "<desc>", "<!x>", "<?",
             "<![CDATA[", "]]>", "é", "\u0645", "\U0001F600", "<SCRIPT", "</SVG >", "<frameset>", "<math>", "<svg/>",
             '<div a="<script>">', "<nav>", "<Input", "<div", " class=x", ' data-x="1"', " id='y'", " HIDDEN",
             " x=", " data-advertisement=1", "<a href=x", "é=1", "<noscript>", "<iframe>", "</iframe>", "<select>",
             "</select>", "<option>"]


@pytest.mark.parametrize("keep", [None, CUT_KEEP])
@pytest.mark.parametrize("html", TAG_CASES + ["".join(CUT_ATOMS), "".join(reversed(CUT_ATOMS))])
def test_cut_page_agrees_with_the_definition(html: str, keep: tuple[str, ...] | None) -> None:
    assert compiled.kernel is not None
    want = page_cut.cut_page_python(html, CUT_NAMES, None if keep is None else frozenset(keep))
    assert compiled.kernel.cut_page(html, CUT_NAMES, keep) == want


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(CUT_ATOMS), max_size=16).map("".join) | st.text(max_size=80), st.booleans())
def test_any_markup_cuts_the_same(html: str, strip: bool) -> None:
    assert compiled.kernel is not None
    keep = CUT_KEEP if strip else None
    want = page_cut.cut_page_python(html, CUT_NAMES, None if keep is None else frozenset(keep))
    assert compiled.kernel.cut_page(html, CUT_NAMES, keep) == want


@pytest.mark.parametrize("names", [("Script",), ("x" * 32,), ("é",), ("",), tuple(f"t{i}" for i in range(65))])
def test_cut_page_refuses_names_it_cannot_hold(names: tuple[str, ...]) -> None:
    assert compiled.kernel is not None
    with pytest.raises(ValueError):
        compiled.kernel.cut_page("<p>x</p>", names)
    with pytest.raises(ValueError):
        page_cut.cut_page_python("<p>x</p>", names)
