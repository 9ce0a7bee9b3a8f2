"""MkDocs hook: each chapter's number before its title in the navigation, as the booklet numbers it,
and, when ``HANDOUTS=1`` (``make pdf``, the tests), the PDF handouts of ``guide_build.handouts``
printed after ``mkdocs build`` into ``site/handouts/``, with a link box on every page to its chapter's
PDFs and the booklet. Without it (``make build``, ``mkdocs serve``) the HTML site is built alone.

Chromium is ``guide_build.browser.find_chromium()``; handouts asked for without it fail the build.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from guide_build import browser, handouts

log = get_plugin_logger("handouts")
_state: dict = {"command": "build", "chromium": None, "chapters": []}


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    handouts.paper()  # fail early on a bad HANDOUT_PAPER
    _state["chromium"] = None
    if _state["command"] == "build" and handouts.requested():
        try:
            _state["chromium"] = browser.find_chromium()
        except ValueError as error:
            raise PluginError(str(error)) from None
        if _state["chromium"] is None:
            raise PluginError(
                "HANDOUTS=1 asks for the PDF handouts, which Chromium prints: install it with "
                "`apt-get install chromium-headless-shell`, or set CHROMIUM=/path/to/chromium"
            )
    return config


def on_nav(nav, config, files):
    _state["chapters"] = handouts.chapters([(p.title, p.file.src_uri) for p in nav.pages], Path(config.docs_dir))
    handouts.number_titles(nav.items, _state["chapters"])
    return nav


def on_page_content(html, page, config, files):
    if not _state["chromium"]:
        return html
    chapter = next((c for c in _state["chapters"] if page.url in c.urls), None)
    return html + handouts.links_html(page.url, chapter)


def on_post_build(config):
    if _state["chromium"]:
        site = Path(config.site_dir)
        args = (site, _state["chromium"], _state["chapters"], config.site_name, config.site_url or "")
        written, printed = handouts.build(*args)
        log.info(f"{written} PDF handouts ({handouts.paper()}); printed {printed}, the others cached")
