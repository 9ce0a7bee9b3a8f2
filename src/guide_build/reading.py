"""Reading times of pages, for the chapter cards of the home page.

A page's Markdown may hold ``<!-- reading time: comparison.md -->``, or for a chapter that is a folder
of sections ``<!-- reading time: diffusion/ -->``; the build replaces it with the reading time of that
page (or of all the folder's pages together) as its readers get it (its questions from the bank filled in): its words
of prose (code blocks, display formulas and HTML tags left out) at :data:`WORDS_PER_MINUTE`,
rounded up to whole minutes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

WORDS_PER_MINUTE = 200
"""Reading speed for technical prose, slower than the 238 words a minute Brysbaert (2019) measured
for non-fiction read silently, since a student stops at formulas."""

CODE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```|~~~).*?^(?P=indent)(?P=fence)", re.S | re.M)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
MARKER = re.compile(r"<!-- reading time: (?P<page>[^ ]+) -->")


def minutes(markdown: str) -> int:
    """Minutes to read ``markdown``'s prose, at least 1."""
    prose = TAG.sub(" ", DISPLAY_MATH.sub(" ", CODE.sub(" ", markdown)))
    return max(1, math.ceil(len(WORD.findall(prose)) / WORDS_PER_MINUTE))


def fill(markdown: str, docs_dir: Path, where: str, shown: Callable[[str, str], str] = lambda text, page: text) -> str:
    """``markdown`` with each :data:`MARKER` replaced by "N min read" (no line break in it) of the page
    it names (relative to ``docs_dir``), whose Markdown ``shown(text, page)`` turns into what its
    readers get. Raises ValueError naming ``where`` and the line for a page that does not exist."""

    def replace(match: re.Match[str]) -> str:
        page = docs_dir / match["page"]
        pages = sorted(page.glob("*.md")) if match["page"].endswith("/") else [page] if page.is_file() else []
        if not pages:
            line = markdown.count("\n", 0, match.start()) + 1
            raise ValueError(f"{where}:{line}: reading time of {match['page']}, which is not in {docs_dir.name}/")
        texts = [shown(p.read_text(encoding="utf-8"), p.relative_to(docs_dir).as_posix()) for p in pages]
        return f"{minutes(chr(10).join(texts))}\u00a0min\u00a0read"  # one line

    return MARKER.sub(replace, markdown)
