"""Reading times of pages, for the chapter cards of the home page.

A page's Markdown may hold ``<!-- reading time: diffusion.md -->``; the build replaces it with the
reading time of that page: its words of prose (code blocks and display formulas left out) at
:data:`WORDS_PER_MINUTE`, rounded up to whole minutes.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

WORDS_PER_MINUTE = 200
"""Reading speed for technical prose, slower than the 238 words a minute Brysbaert (2019) measured
for non-fiction read silently, since a student stops at formulas."""

CODE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```|~~~).*?^(?P=indent)(?P=fence)", re.S | re.M)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
WORD = re.compile(r"[^\W\d_][\w'’-]*")
MARKER = re.compile(r"<!-- reading time: (?P<page>[^ ]+) -->")


def minutes(markdown: str) -> int:
    """Minutes to read ``markdown``'s prose, at least 1."""
    prose = DISPLAY_MATH.sub(" ", CODE.sub(" ", markdown))
    return max(1, math.ceil(len(WORD.findall(prose)) / WORDS_PER_MINUTE))


def fill(markdown: str, docs_dir: Path, where: str) -> str:
    """``markdown`` with each :data:`MARKER` replaced by "N min read" of the page it names (relative to
    ``docs_dir``). Raises ValueError naming ``where`` and the line for a page that does not exist."""

    def replace(match: re.Match[str]) -> str:
        page = docs_dir / match["page"]
        if not page.is_file():
            line = markdown.count("\n", 0, match.start()) + 1
            raise ValueError(f"{where}:{line}: reading time of {match['page']}, which is not in {docs_dir.name}/")
        return f"{minutes(page.read_text(encoding='utf-8'))} min read"

    return MARKER.sub(replace, markdown)
