"""MkDocs hook: the notebooks of ``notebooks/``, executed and rendered (see ``guide_build.notebooks``)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from guide_build import cache, notebooks

log = get_plugin_logger("notebooks")
_pages: dict[str, tuple[str, list[str]]] = {}  # page src_uri -> (notebook slug, alt text of each image output)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """mkdocs-jupyter keeps its converted pages in the build cache too (``$GUIDE_CACHE/mkdocs-jupyter``)."""
    config.plugins["mkdocs-jupyter"].config["cache_dir"] = str(cache.root() / "mkdocs-jupyter")
    return config


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    pages, ran = notebooks.add_notebooks(files, config)
    _pages.clear()
    _pages.update(pages)
    log.info(f"{len(pages)} notebooks; executed: {', '.join(ran) or 'none (cached)'}")
    return files


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri not in _pages:
        return html_text
    name, alts = _pages[page.file.src_uri]
    if config.repo_url:  # edit the jupytext source, not the generated notebook
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{notebooks.source_of(name).as_posix()}"
    return notebooks.page_html(html_text, name, alts, page.url)
