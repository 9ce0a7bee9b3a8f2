"""MkDocs hook: code blocks stay out of the search index.

Every reader's browser downloads the whole index on a first visit (Material's search runs in the
browser), and the code blocks of the pages and notebooks were more than a third of it. Prose
and inline code, where functions and terms are named, are still indexed. Material's search skips
any element with a ``data-search-exclude`` attribute.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

CODE_BLOCK = '<div class="language-'


@event_priority(-100)  # after the notebook hook has given notebook cells the site's code markup
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return html.replace(CODE_BLOCK, "<div data-search-exclude " + CODE_BLOCK[5:])
