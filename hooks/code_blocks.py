"""MkDocs hook: code blocks cost a reader little until they scroll to them.

- Out of the search index: every reader's browser downloads the whole index on a first visit
  (Material's search runs in the browser), and the code blocks of the pages and notebooks were
  more than a third of it. Prose and inline code, where functions and terms are named, are still
  indexed. Material's search skips any element with a ``data-search-exclude`` attribute.
- Sized before they are drawn: each highlighted line is a row of ``<span>`` tokens, thousands on
  a long page. ``extra.css`` draws the code of blocks below the first screen when the reader
  scrolls near it (the blocks ``hooks/late_drawing.py`` marks); the ``--lines`` count written here
  sizes the placeholder, so the page keeps its length before a block is drawn.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

CODE_BLOCK = '<div class="language-'
CODE = re.compile(r"<pre>(?P<lead><span></span>)?<code(?P<attributes>[^>]*)>(?P<body>.*?)</code></pre>", re.DOTALL)
"""A highlighted block; pages put Pygments' empty ``<span>`` before ``<code>``, notebook cells inside."""


def _with_line_count(match: re.Match[str]) -> str:
    body = match["body"]
    lines = body.count("\n") + (0 if body.endswith("\n") else 1)
    lead = match["lead"] or ""
    return f'<pre>{lead}<code{match["attributes"]} style="--lines: {lines}">{body}</code></pre>'


def on_env(env, config: MkDocsConfig, files: Files):
    """Every hook's ``on_page_content`` has run (notebook cells have the site's code markup), and the
    search plugin has not indexed a page yet."""
    for file in files.documentation_pages():
        if file.page and file.page.content is not None:
            html = file.page.content.replace(CODE_BLOCK, "<div data-search-exclude " + CODE_BLOCK[5:])
            file.page.content = CODE.sub(_with_line_count, html)
    return env
