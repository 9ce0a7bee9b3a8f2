"""MkDocs hook: keyboard access to what only a mouse could reach otherwise.

Code blocks scroll sideways on narrow screens; a scrollable region must be focusable to be scrolled
with the keyboard (axe: scrollable-region-focusable), so they get ``tabindex="0"`` (``guide_build.katex``
does the same for display formulas, ``guide_build.glossary`` for the glossary terms that are not links).

It works in ``on_env``, when every hook's ``on_page_content`` has run (the notebook hook has given
notebook cells the site's code markup).

A chapter that is a folder of sections is a nav section with an index page (``navigation.indexes``):
Material links its title to the index and puts the expand control, a label with only an icon, beside
it, and names the section's nested ``<nav>`` by that label, so the control and the landmark have no
name (axe: landmark-unique). ``on_post_page`` names that ``<nav>`` "Sections of <chapter>" (a name
on the label itself would be an ARIA attribute a label may not have). Above a section's title the
breadcrumbs (``navigation.path``) are a second ``<nav>`` named "Navigation", as the site's navigation
is: ``on_post_page`` names them "Breadcrumbs".
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

CODE = re.compile(r"(?P<start><pre>(?:<span></span>)?<code)(?=[\s>])(?![^>]*\btabindex=)")
"""The start of a code block's ``<code>`` tag without a tabindex; Pygments puts an empty ``<span>``
before it on pages, and other hooks may add attributes after it."""


INDEX_TOGGLE = re.compile(
    r'<a href="[^"]*" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*(?P<title>[^<]*?)\s*</span>\s*</a>'
    r'\s*<label class="md-nav__link[^"]*" for="(?P<for>__nav_[\d_]+)" id="(?P=for)_label"'
)
"""A nav section's index link and its icon-only expand control."""


BREADCRUMBS = re.compile(r'<nav class="md-path" aria-label="[^"]*"')


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    output = BREADCRUMBS.sub('<nav class="md-path" aria-label="Breadcrumbs"', output, count=1)
    for toggle in INDEX_TOGGLE.finditer(output):
        labelled = f'aria-labelledby="{toggle["for"]}_label"'
        output = output.replace(labelled, f'aria-label="Sections of {toggle["title"]}"', 1)
    return output


def on_env(env, config: MkDocsConfig, files: Files):
    for file in files.documentation_pages():
        if file.page and file.page.content is not None:
            file.page.content = CODE.sub(r'\g<start> tabindex="0"', file.page.content)
    return env
