"""MkDocs hook: keyboard access to what only a mouse could reach otherwise.

Code blocks scroll sideways on narrow screens; a scrollable region must be focusable to be scrolled
with the keyboard (axe: scrollable-region-focusable), so they get ``tabindex="0"`` (``guide_build.katex``
does the same for display formulas, ``guide_build.glossary`` for the glossary terms that are not links).

It works in ``on_env``, when every hook's ``on_page_content`` has run (the notebook hook has given
notebook cells the site's code markup).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

CODE = re.compile(r"(?P<start><pre>(?:<span></span>)?<code)(?=[\s>])(?![^>]*\btabindex=)")
"""The start of a code block's ``<code>`` tag without a tabindex; Pygments puts an empty ``<span>``
before it on pages, and other hooks may add attributes after it."""


def on_env(env, config: MkDocsConfig, files: Files):
    for file in files.documentation_pages():
        if file.page and file.page.content is not None:
            file.page.content = CODE.sub(r'\g<start> tabindex="0"', file.page.content)
    return env
