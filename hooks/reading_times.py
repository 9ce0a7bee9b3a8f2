"""MkDocs hook: ``<!-- reading time: page.md -->`` becomes that page's reading time
(``guide_build.reading``), for the chapter cards of the home page."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from guide_build import reading


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        return reading.fill(markdown, Path(config.docs_dir), f"docs/{page.file.src_uri}")
    except ValueError as error:
        raise PluginError(str(error)) from error
