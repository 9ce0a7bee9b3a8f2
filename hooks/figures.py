"""MkDocs hook: the figures drawn by code in ``src/diffusion_vs_llms/figures`` (see ``guide_build.figures``).

A page shows a figure with an image of its light variant, alone in a paragraph and without alt
text (the registry holds it)::

    ![](figures/noise-schedules.svg)

and gets a ``<figure>`` with both colour schemes, the alt text, the size and the caption. The
caption's ``$...$`` is rendered by ``hooks/katex_math.py``, listed after this hook in ``mkdocs.yml``.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from guide_build import figures

log = get_plugin_logger("figures")
_build: dict = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start drawing (if the cache lacks the figures), so they are drawn while the notebooks run."""
    _build["drawing"] = figures.Drawing()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    drawing = _build.pop("drawing", None) or figures.Drawing()
    try:
        _build["figures"] = {figure["name"]: figure for figure in drawing.result()}
    except RuntimeError as error:
        raise PluginError(str(error)) from error
    for figure in _build["figures"].values():
        for scheme, uri in {**figure["files"], **({"data": figure["data"]} if "data" in figure else {})}.items():
            files.append(File.generated(config, uri, abs_src_path=str(figure["paths"][scheme])))
    log.info(f"{len(_build['figures'])} figures, {'drawn now' if drawing.process else 'from the cache'}")
    return files


def on_nav(nav, config: MkDocsConfig, files: Files):
    _build["pages"] = [
        (p.file.src_uri, p.file.content_string if p.file.src_uri.endswith(".md") else "") for p in nav.pages
    ]
    return nav


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    first = figures.first_number(page.file.src_uri, _build["pages"])
    try:
        html = figures.insert(html, _build["figures"], f"docs/{page.file.src_uri}", first)
    except ValueError as error:
        raise PluginError(str(error)) from error
    if page.present_anchor_ids is not None:  # None on notebook pages, which mkdocs-jupyter renders
        page.present_anchor_ids.update(figures.ids(html))  # so that MkDocs' anchor validation knows them
    return html
