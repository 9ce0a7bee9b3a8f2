"""MkDocs hook: keyboard access to what only a mouse could reach otherwise.

- Glossary terms (``<abbr title="...">`` from ``includes/glossary.yml``) get ``tabindex="0"``:
  a keyboard user can focus a term, and ``javascripts/glossary-tooltips.js`` shows its definition
  on focus as on hover.
- Code blocks and display formulas scroll sideways on narrow screens; a scrollable region must be
  focusable to be scrolled with the keyboard (axe: scrollable-region-focusable), so they get
  ``tabindex="0"`` too.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

CODE = re.compile(r"(?P<start><pre>(?:<span></span>)?<code)(?=[\s>])(?![^>]*\btabindex=)")
"""The start of a code block's ``<code>`` tag without a tabindex; Pygments puts an empty ``<span>``
before it on pages, and other hooks may add attributes after it."""


@event_priority(-100)  # after the notebook hook has given notebook cells the site's code markup
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = html.replace("<abbr title=", '<abbr tabindex="0" title=')
    return CODE.sub(r'\g<start> tabindex="0"', html)


DISPLAY_FORMULA = re.compile(r'<span class="katex-display"(?=[ >])(?![^>]*\btabindex=)')
"""The start of a display formula's tag without a tabindex (other hooks may have added attributes)."""


@event_priority(-100)  # after the KaTeX hook has rendered the formulas
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return DISPLAY_FORMULA.sub('<span class="katex-display" tabindex="0"', output)
