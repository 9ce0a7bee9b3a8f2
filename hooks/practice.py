"""MkDocs hook: the question bank of ``includes/questions/`` (see ``guide_build.practice``) gives the
Practice page its questions (``<!-- questions: all -->``), each chapter its self-check
(``<!-- questions: self-check -->``), and every ``[](#q-id)`` its "question N" link."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from guide_build import practice
from guide_build.mkdocs import nav_pages

_state: dict = {"questions": []}  # the bank, read once a build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state["questions"] = practice.load(practice.source(config))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    practice.outdate_pages(files, practice.source(config))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    titles = {src: title for title, src in nav_pages(config)}
    return practice.fill_in(markdown, page.file.src_uri, _state["questions"], titles)
