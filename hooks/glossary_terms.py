"""MkDocs hook: the glossary of ``includes/glossary.yml`` (see ``guide_build.glossary``) gives every page
its tooltips, one per term and ``##`` section, linking to the term's entry on the glossary page where it
has one (none on a page whose front matter says ``tooltips: false``), and the glossary page its entries."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from guide_build import glossary

_glossary_url: list[str | None] = [None]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary.tooltips(glossary.load(glossary.source(config)))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    glossary.outdate_pages(files, glossary.source(config))
    _glossary_url[0] = glossary.glossary_page(files)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return glossary.fill_in(markdown, config, glossary.source(config))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.meta.get("tooltips") is False:
        return glossary.without_tooltips(html)
    if _glossary_url[0] is None:
        return glossary.first_uses_only(html)
    here = get_relative_url(_glossary_url[0], page.url)
    return glossary.first_uses_only(html, glossary.entry_links(glossary.load(glossary.source(config)), here))
