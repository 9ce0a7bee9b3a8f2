"""MkDocs hook: ``<!-- reading time: page.md -->`` becomes that page's reading time
(``guide_build.reading``), questions from the bank included, for the chapter cards of the home page."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from guide_build import practice, reading
from guide_build.mkdocs import nav_pages


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not reading.MARKER.search(markdown):
        return markdown
    questions, titles = practice.load(practice.source(config)), {src: title for title, src in nav_pages(config)}
    try:
        return reading.fill(
            markdown,
            Path(config.docs_dir),
            f"docs/{page.file.src_uri}",
            lambda text, src: practice.fill_in(text, src, questions, titles),
        )
    except ValueError as error:
        raise PluginError(str(error)) from error
