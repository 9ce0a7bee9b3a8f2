"""MkDocs hook: the glossary of ``includes/glossary.yml`` (see ``guide_build.glossary``) gives every page
its tooltips, one per term and ``##`` section, linking to the term's entry on the glossary page where it
has one (none on a page whose front matter says ``tooltips: false``), and the glossary page its entries."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from guide_build import glossary

_state: dict = {"entries": [], "url": None}  # the glossary's entries (read once a build), its page's URL


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state["entries"] = glossary.load(glossary.source(config))
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary.tooltips(_state["entries"])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    glossary.outdate_pages(files, glossary.source(config))
    _state["url"] = glossary.glossary_page(files)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return glossary.fill_in(markdown, config, glossary.source(config))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.meta.get("tooltips") is False:
        return glossary.without_tooltips(html)
    if _state["url"] is None:
        return glossary.first_uses_only(html)
    here = get_relative_url(_state["url"], page.url)
    return glossary.first_uses_only(html, glossary.entry_links(_state["entries"], here))
