"""MkDocs hook: marks the blocks of a page that the browser may draw when the reader gets near them.

A long chapter holds thousands of KaTeX and code elements. ``extra.css`` gives the top-level blocks
marked ``data-draw-late`` here ``content-visibility: auto``: the browser lays them out and paints
them when they come near the screen, and keeps them in find-in-page and the accessibility tree. In
a marked code block only the code is deferred, with a placeholder as tall as its lines (``--lines``,
from ``hooks/code_blocks.py``). Not marked:

- the first ``FIRST_SCREEN`` blocks, which fill the first screen: drawn late, they would shift it;
- the last ``NEAR_FOOTER`` blocks: checkers such as Lighthouse's contrast audit measure text that is
  not drawn yet where its placeholder ends, and next to the footer that is the footer's colour;
- headings, which the table of contents and links jump to.

The page is marked here rather than by CSS position (``:nth-last-child``): while a long page is
still arriving, the blocks parsed so far are always the last ones, so a positional rule let the
browser lay out every block as it streamed in, and only the finished page was spared.
"""

from __future__ import annotations

from html.parser import HTMLParser

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

FIRST_SCREEN = 8
NEAR_FOOTER = 5
MARK = "data-draw-late"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TopLevelBlocks(HTMLParser):
    """Collects ``(offset, tag)`` of each top-level start tag's closing ``>`` (or ``/>``) in the HTML."""

    def __init__(self, html: str, where: str) -> None:
        super().__init__(convert_charrefs=False)
        self.where = where
        self.line_starts = [0]
        for index, character in enumerate(html):
            if character == "\n":
                self.line_starts.append(index + 1)
        self.depth = 0
        self.blocks: list[tuple[int, str]] = []
        self.feed(html)
        self.close()

    def _add_block(self, tag: str) -> None:
        line, column = self.getpos()
        text = self.get_starttag_text() or ""
        end = self.line_starts[line - 1] + column + len(text)
        self.blocks.append((end - (2 if text.endswith("/>") else 1), tag))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self._add_block(tag)
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self._add_block(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth -= 1
        if self.depth < 0:
            line, column = self.getpos()
            raise ValueError(f"{self.where}: line {line}, column {column}: </{tag}> closes an element never opened")


def mark_late_blocks(html: str, where: str = "page") -> str:
    """``html`` (a page's content) with ``data-draw-late`` on the top-level blocks that may be drawn late.

    ``where`` names the page in the error raised for an end tag without its start tag.
    """
    blocks = _TopLevelBlocks(html, where).blocks
    late = [
        (offset, tag)
        for offset, tag in blocks[FIRST_SCREEN : max(FIRST_SCREEN, len(blocks) - NEAR_FOOTER)]
        if tag not in HEADINGS
    ]
    pieces, previous = [], 0
    for tag_end, _ in late:  # the mark goes last among the attributes: <p class="x" data-draw-late>
        pieces += [html[previous:tag_end], f"{MARK} " if html[tag_end - 1].isspace() else f" {MARK}"]
        previous = tag_end
    pieces.append(html[previous:])
    return "".join(pieces)


@event_priority(-110)  # after the KaTeX hook has put display formulas in place of its placeholders
def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    page.content = mark_late_blocks(page.content or "", page.file.src_uri)
    return context
