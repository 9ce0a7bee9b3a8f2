"""MkDocs hook: a glossary term carries its tooltip at its first use in each section.

``includes/glossary-tooltips.md`` (appended to every page) makes the abbr extension wrap every
occurrence of every term in ``<abbr title="definition">``. One tooltip per term and ``##`` section
is enough to look a term up where it appears, keeps paragraphs readable (a page had 176 dotted
underlines), and spares the browser a tooltip per repetition. Later uses stay plain text.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

TERM = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.DOTALL)
SECTION_START = re.compile(r"(?=<h2[ >])")


def first_uses_only(html: str) -> str:
    """``html`` with each ``<abbr title=...>`` kept at its first use per ``<h2>`` section, unwrapped after."""
    sections = []
    for section in SECTION_START.split(html):
        seen: set[str] = set()

        def first(match: re.Match[str], seen: set[str] = seen) -> str:
            if match.group(1) in seen:
                return match.group(2)
            seen.add(match.group(1))
            return match.group(0)

        sections.append(TERM.sub(first, section))
    return "".join(sections)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return first_uses_only(html)
