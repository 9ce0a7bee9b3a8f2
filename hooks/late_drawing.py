"""MkDocs hook: marks the blocks of each page that the browser may draw late (``guide_build.late_drawing``).

A display formula is still a placeholder here; ``guide_build.katex`` moves the mark onto the formula.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from guide_build.late_drawing import mark_late_blocks


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    page.content = mark_late_blocks(page.content or "", page.file.src_uri)
    return context
