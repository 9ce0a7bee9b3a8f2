"""MkDocs hook: every formula typeset by KaTeX at build time (``guide_build.katex``).

Formulas are taken out of the pages once all of them are HTML (``on_env`` comes after every hook's
``on_page_content``), so the search plugin indexes placeholders, and put back into the finished
pages (``on_post_page``); the HTML files that hooks make (``on_files``) are typeset in place. After
the build, the fonts are cut down to the characters formulas draw.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from guide_build import katex

_build: dict[str, katex.Formulas] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _build["formulas"] = katex.Formulas()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in katex.assets(config):
        files.append(file)
    return files


def on_env(env, config: MkDocsConfig, files: Files):
    pages = [file.page for file in files.documentation_pages() if file.page and file.page.content is not None]
    # and the HTML files other hooks made (on_files), such as the worksheet page's numbers of a seed
    made = [f for f in files if f.generated_by and f.src_uri.endswith(".html") and not f.is_documentation_page()]
    taken = _build["formulas"].take(
        {page.file.src_uri: page.content for page in pages} | {file.src_uri: file.content_string for file in made}
    )
    for page in pages:
        page.content = taken[page.file.src_uri]
    for file in made:
        file.content_string = _build["formulas"].put(taken[file.src_uri], get_relative_url(katex.FONTS, file.url))
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _build["formulas"].put(output, get_relative_url(katex.FONTS, page.url))


def on_post_build(config: MkDocsConfig) -> None:
    katex.subset_fonts(Path(config.site_dir))
