"""MkDocs hook: the glossary of ``includes/glossary.yml`` (see ``guide_build.glossary``) gives every page
its tooltips, one per term and ``##`` section (none on a page whose front matter says ``tooltips: false``),
and the glossary page its entries."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from guide_build import glossary


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary.tooltips(glossary.load(glossary.source(config)))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    glossary.outdate_pages(files, glossary.source(config))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return glossary.fill_in(markdown, config, glossary.source(config))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.meta.get("tooltips") is False:
        return glossary.without_tooltips(html)
    return glossary.first_uses_only(html)
