"""MkDocs hook: each table in Material's scrolling box, written into the page, and the side-by-side
table's cells with their column's name, for the cards it becomes on a phone (``guide_build.tables``)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from guide_build import tables


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return tables.wrap(tables.label_cells(html))
