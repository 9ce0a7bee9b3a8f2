"""MkDocs hook: the question bank of ``includes/questions/`` (see ``guide_build.practice``) gives each
Practice page its questions (``<!-- questions: practice -->``), the first one its table of the
questions by chapter (``<!-- questions: overview -->``), each chapter its self-check
(``<!-- questions: self-check -->``), every ``[](#q-id)`` its "question N" link, the worksheet page
its questions and a file of numbers for each of its seeds (``guide_build.worksheet``), and the site
its exports for course platforms (``guide_build.exports``) under ``downloads/``."""

from __future__ import annotations

import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from guide_build import exports, practice, worksheet
from guide_build.mkdocs import nav_pages

_state: dict = {"questions": []}  # the bank, read once a build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state["questions"] = practice.load(practice.source(config))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    practice.outdate_pages(files, practice.source(config))
    questions, titles, site_url = _state["questions"], _titles(config), config.site_url or ""
    downloads = exports.platform_files(questions, practice.source(config), site_url, titles)
    for page in files.documentation_pages():
        if worksheet.PAGE_MARKER in page.content_string:  # its seeds' numbers, next to it
            folder = posixpath.dirname(page.dest_uri)
            for seed in worksheet.SITE_SEEDS:
                uri = posixpath.join(folder, worksheet.FRAGMENT.format(seed=seed))
                downloads[uri] = worksheet.seed_fragment(questions, seed)
    for uri, content in downloads.items():
        files.append(File.generated(config, uri, content=content))
    return files


def _titles(config: MkDocsConfig) -> dict[str, str]:
    return practice.section_titles({src: title for title, src in nav_pages(config)})


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return practice.fill_in(markdown, page.file.src_uri, _state["questions"], _titles(config))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if worksheet.PAGE_MARKER not in html:
        return html
    return html.replace(worksheet.PAGE_MARKER, worksheet.page_html(_state["questions"], _titles(config)), 1)
