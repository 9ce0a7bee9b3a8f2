"""Which blocks of a page the browser may draw when the reader gets near them.

A long chapter holds thousands of KaTeX and code elements. ``extra.css`` gives the top-level blocks
marked ``data-draw-late`` ``content-visibility: auto``: the browser lays them out and paints them
when they come near the screen, and keeps them in find-in-page and the accessibility tree. In a
marked code block only the code is deferred, with a placeholder as tall as its lines (``--lines``,
from ``hooks/code_blocks.py``). Not marked:

- the first ``FIRST_SCREEN`` blocks, which fill the first screen: drawn late, they would shift it;
- the last ``NEAR_FOOTER`` blocks: checkers such as Lighthouse's contrast audit measure text that is
  not drawn yet where its placeholder ends, and next to the footer that is the footer's colour. A
  table among them is a buffer of its own (the formula sheet ends with its notation tables): the
  blocks before the last table are marked;
- headings, which the table of contents and links jump to;
- figures: a few elements each, with images whose size the page states, so drawing them late saves
  little, while the placeholder (one line tall) is far from their height, and checkers such as
  Lighthouse's tap-target audit measured a figure's enlarge link at the placeholder, covered by the
  next block;
- a block with a control (a field, a choice button or a button, as in a question's self-check), for
  the same reason: a self-check's Check button, measured at the placeholder, lay under the next
  block's Answer.

A table's placeholder is as tall as its rows (``--rows``, in ``style``): drawn late with a one-line
placeholder, a notation table near the footer grew by many lines as a checker scrolled to it, and
Lighthouse's contrast audit measured its text over the footer.

The page is marked in its HTML rather than by CSS position (``:nth-last-child``): while a long page
is still arriving, the blocks parsed so far are always the last ones, so a positional rule let the
browser lay out every block as it streamed in, and only the finished page was spared.
"""

from __future__ import annotations

import re

FIRST_SCREEN = 8
NEAR_FOOTER = 5
MARK = "data-draw-late"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DRAWN_AT_ONCE = HEADINGS | {"figure"}
CONTROL = re.compile(r"<(?:input|button|select|textarea)\b")
ROW = re.compile(r"<tr\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

TAG = re.compile(
    r"<!--.*?-->"  # a comment
    r"|<(?P<raw>script|style)\b.*?</(?P=raw)\s*>"  # an element whose text is not markup
    r"|<(?P<end>/?)(?P<name>[a-zA-Z][\w:-]*)(?:\"[^\"]*\"|'[^']*'|[^'\">])*>",  # a start or end tag
    re.DOTALL,
)


def top_level_tags(html: str, where: str = "page") -> list[tuple[int, str]]:
    """``(offset, name)`` of each top-level start tag, the offset being that of its closing ``>``
    (or ``/>``). Raises ``ValueError`` naming ``where`` and the line of an end tag never opened."""
    blocks, depth = [], 0
    for match in TAG.finditer(html):
        if match["raw"]:
            if depth == 0:
                opening = html.index(">", match.start())
                blocks.append((opening - (html[opening - 1] == "/"), match["raw"].lower()))
            continue
        name = (match["name"] or "").lower()
        if not name:
            continue  # a comment
        if match["end"]:
            depth -= name not in VOID
            if depth < 0:
                line = html.count("\n", 0, match.start()) + 1
                raise ValueError(f"{where}: line {line}: </{name}> closes an element never opened")
            continue
        self_closing = match[0].endswith("/>")
        if depth == 0:
            blocks.append((match.end() - (2 if self_closing else 1), name))
        depth += not (self_closing or name in VOID)
    return blocks


def mark_late_blocks(html: str, where: str = "page") -> str:
    """``html`` (a page's content) with ``data-draw-late`` on the top-level blocks that may be drawn late.

    ``where`` names the page in the error raised for an end tag without its start tag.
    """
    blocks = top_level_tags(html, where)
    texts = _texts(html, blocks)
    last = max(FIRST_SCREEN, len(blocks) - _near_footer(texts))
    late = [
        (end, text)
        for (end, tag), text in zip(blocks[FIRST_SCREEN:last], texts[FIRST_SCREEN:last], strict=True)
        if tag not in DRAWN_AT_ONCE and not CONTROL.search(text)
    ]
    pieces, previous = [], 0
    for tag_end, text in late:  # the mark goes last among the attributes: <p class="x" data-draw-late>
        rows = len(ROW.findall(text))
        styled = rows and " style=" not in text[: text.index(">")]
        mark = f'{MARK} style="--rows: {rows}"' if styled else MARK
        pieces += [html[previous:tag_end], f"{mark} " if html[tag_end - 1].isspace() else f" {mark}"]
        previous = tag_end
    pieces.append(html[previous:])
    return "".join(pieces)


def _texts(html: str, blocks: list[tuple[int, str]]) -> list[str]:
    """The HTML of each top-level block, from its start tag to the next block's."""
    starts = [html.rfind("<", 0, end) for end, _ in blocks]
    return [html[start:next_start] for start, next_start in zip(starts, [*starts[1:], len(html)], strict=True)]


def _near_footer(texts: list[str]) -> int:
    """How many blocks at the end of the page are drawn at once: ``NEAR_FOOTER``, or up to the last
    block that holds a table, if that comes sooner."""
    for count, text in enumerate(reversed(texts), 1):
        if count == NEAR_FOOTER or "<table" in text:
            return count
    return len(texts)
