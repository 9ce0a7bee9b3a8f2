"""guide_build.late_drawing: which top-level blocks of a page the browser may draw late."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guide_build import late_drawing as hook

FIRST, LAST = hook.FIRST_SCREEN, hook.NEAR_FOOTER


def marked_texts(html: str) -> list[str]:
    """The text of every block that carries the mark, in order."""
    return re.findall(rf"<\w+[^>]* {hook.MARK}>(.*?)</", html)


def paragraphs(count: int) -> str:
    return "\n".join(f"<p>block {index}</p>" for index in range(count))


def test_blocks_between_the_first_screen_and_the_footer_are_marked():
    marked = marked_texts(hook.mark_late_blocks(paragraphs(FIRST + 7 + LAST)))
    assert marked == [f"block {index}" for index in range(FIRST, FIRST + 7)]


def test_a_table_near_the_footer_is_the_buffer_before_it():
    """The blocks before the page's last table may be drawn late even within the last LAST blocks."""
    table = "<div><table><tr><td>{}</td></tr></table></div>"
    page = paragraphs(FIRST + 2) + "".join(table.format(index) for index in range(3)) + "<p>after</p>"
    marked = hook.mark_late_blocks(page)
    late_tables = re.findall(rf'<div {hook.MARK} style="--rows: 1"><table><tr><td>(\d)', marked)
    assert late_tables == ["0", "1"], "the last table and what follows it are drawn at once; earlier ones late"
    assert marked_texts(marked)[:2] == ["block 8", "block 9"] and "<p>after</p>" in marked
    without_table = hook.mark_late_blocks(paragraphs(FIRST + 2 + 3 + 1))
    assert marked_texts(without_table) == ["block 8"], "without a table the last LAST blocks are drawn at once"


def test_a_late_table_is_as_tall_as_its_rows_and_a_self_check_is_drawn_at_once():
    """A table's placeholder counts its rows (drawn late near the footer, a one-line placeholder let
    Lighthouse measure its text over the footer); a self-check's Check button, measured at a
    placeholder, lay under the next block."""
    table = "<div><table>" + "<tr><td>x</td></tr>" * 4 + "</table></div>"
    styled = '<div style="width: 1em"><table><tr><td>y</td></tr></table></div>'  # one style attribute only
    check = '<div class="self-check" role="group"><input id="a"><button>Check</button></div>'
    marked = hook.mark_late_blocks(paragraphs(FIRST) + table + styled + check + paragraphs(1) + paragraphs(LAST))
    assert f'<div {hook.MARK} style="--rows: 4"><table>' in marked
    assert f'<div style="width: 1em" {hook.MARK}><table>' in marked and check in marked


def test_figures_are_drawn_at_once():
    """A figure is a few elements with an image of stated size; its one-line placeholder misplaced its
    enlarge link for Lighthouse's tap-target audit."""
    figure = '<figure class="guide-figure"><a href="f.svg"><img src="f.svg" width="4" height="3" alt="f"></a></figure>'
    marked = hook.mark_late_blocks(paragraphs(FIRST) + figure + paragraphs(1) + paragraphs(LAST))
    assert figure in marked and marked_texts(marked) == ["block 0"]


def test_a_short_page_is_drawn_at_once():
    assert hook.MARK not in hook.mark_late_blocks(paragraphs(FIRST + LAST))
    assert hook.MARK not in hook.mark_late_blocks(paragraphs(3))


def test_headings_and_nested_elements_are_never_marked():
    blocks = [f"<p>block {index}</p>" for index in range(FIRST)]
    blocks += ['<h2 id="a">A</h2>', '<div class="admonition"><p>inner</p><h3>inner heading</h3></div>']
    blocks += ['<p>with <span class="katex">x</span> inline</p>', "<hr>", '<img src="a.png" alt="a">', "<br />"]
    blocks += [f"<p>end {index}</p>" for index in range(LAST)]
    marked = hook.mark_late_blocks("\n".join(blocks))
    assert '<h2 id="a">A</h2>' in marked
    assert f'<div class="admonition" {hook.MARK}><p>inner</p><h3>inner heading</h3></div>' in marked
    assert f'<p {hook.MARK}>with <span class="katex">x</span> inline</p>' in marked
    assert f"<hr {hook.MARK}>" in marked and f'<img src="a.png" alt="a" {hook.MARK}>' in marked
    assert f"<br {hook.MARK} />" in marked
    assert marked.count(hook.MARK) == 5, "void elements open no nesting level: every later block is top-level"
    assert hook.MARK not in marked[marked.index("<p>end 0") :]


def test_marking_keeps_everything_else_byte_for_byte():
    page = paragraphs(FIRST) + '\n<p class="x">é &amp; <code>&lt;b&gt;</code></p>\n' + paragraphs(LAST)
    marked = hook.mark_late_blocks(page)
    assert marked.replace(f" {hook.MARK}", "") == page
    assert f'<p class="x" {hook.MARK}>é &amp; <code>&lt;b&gt;</code></p>' in marked


def test_an_end_tag_without_its_start_names_the_page_and_line():
    with pytest.raises(ValueError, match=r"chapter\.md: line 2: </div> closes an element never opened"):
        hook.mark_late_blocks("<p>a</p>\n</div>", "chapter.md")


@pytest.mark.parametrize("page", ["comparison", "llms/transformer", "practice/text"])
def test_long_chapters_draw_most_blocks_late(site_dir: Path, page: str):
    built = (site_dir / page / "index.html").read_text(encoding="utf-8")
    article = built[built.index("<article") : built.index("</article>")]
    assert article.count(hook.MARK) >= 20, f"{page}: only {article.count(hook.MARK)} blocks may be drawn late"
    assert not re.search(rf"<h[1-6][^>]* {hook.MARK}>", article), f"{page}: a heading is drawn late"


def test_comments_scripts_and_quoted_angle_brackets_are_not_tags():
    tricky = [
        "<!-- <div> -->",
        '<p title="a > b">x</p>',
        "<script>if (a < b && c > d) document.write('<div>')</script>",
        "<pre><code>&lt;div&gt;</code></pre>",
    ]
    blocks = [f"<p>block {index}</p>" for index in range(FIRST)] + tricky + [f"<p>end {i}</p>" for i in range(LAST)]
    marked = hook.mark_late_blocks("\n".join(blocks))
    assert f'<p title="a > b" {hook.MARK}>x</p>' in marked
    assert f"<script {hook.MARK}>if (a < b && c > d) document.write('<div>')</script>" in marked
    assert f"<pre {hook.MARK}><code>" in marked
    assert marked.count(hook.MARK) == 3, "the comment is no block, and nothing inside a block is marked"
