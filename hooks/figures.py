"""MkDocs hook: figures drawn by code in ``src/diffusion_vs_llms/figures`` during the build.

``on_files`` runs ``python -m diffusion_vs_llms.figures`` once per build (a fresh process, so
``mkdocs serve`` sees edited figure code), which draws only figures whose code or inputs changed
into the build cache (``guide_build.cache``) and returns a manifest; each figure is then added to the site as a
generated file, never written into ``docs/``.

A page shows a figure with an image of its light variant, alone in a paragraph and without alt
text (the registry holds it)::

    ![](figures/noise-schedules.svg)

``on_page_content`` replaces it with a ``<figure>``: the light and dark variants (Material shows
the one matching the colour scheme), the registered alt text, width and height, and the caption.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from guide_build import ROOT, cache

CACHE = cache.root() / "figures"
"""Where drawn figures are kept between builds (``$GUIDE_CACHE/figures``)."""
IMAGE = re.compile(
    r'<p><img alt="(?P<alt>[^"]*)" src="(?P<prefix>(?:\.\./)*)figures/(?P<name>[a-z0-9-]+)\.(?P<ext>svg|webp)" /></p>'
)
INLINE_MATH = re.compile(r"\$(?P<tex>[^$]+)\$")

log = get_plugin_logger("figures")
_figures: dict[str, dict] = {}


COMMAND = [sys.executable, "-m", "diffusion_vs_llms.figures", "--cache", str(CACHE)]
_drawing: list[subprocess.Popen] = []


def _start() -> subprocess.Popen:
    return subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _sources_key() -> str:
    """Hash of the package's source: if it is unchanged, so are the figures (no process is started)."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted((ROOT / "src" / "diffusion_vs_llms").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _manifest_path() -> Path:
    return CACHE / f"manifest-{_sources_key()}.json"


def _cached_manifest() -> dict | None:
    path = _manifest_path()
    if not path.exists():
        return None
    result = json.loads(path.read_text(encoding="utf-8"))
    paths = [Path(v["path"]) for f in result["figures"] for v in f["files"].values()]
    return result if all(p.exists() for p in paths) else None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start drawing now, so the figures are drawn while the notebooks run (both finish in on_files)."""
    _drawing[:] = [] if _cached_manifest() else [_start()]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    result = _cached_manifest()
    if result is None:
        proc = _drawing.pop() if _drawing else _start()
        stdout, stderr = proc.communicate()
        if proc.returncode != 0:
            raise PluginError(f"drawing the figures failed ({' '.join(COMMAND[1:4])}):\n{stderr.strip()}")
        result = json.loads(stdout)
        for stale in CACHE.glob("manifest-*.json"):
            stale.unlink()
        _manifest_path().write_text(json.dumps({**result, "drawn": [], "seconds": 0.0}), encoding="utf-8")
    _figures.clear()
    for figure in result["figures"]:
        _figures[figure["name"]] = figure
        for variant in figure["files"].values():
            files.append(File.generated(config, variant["uri"], abs_src_path=variant["path"]))
    drawn = ", ".join(result["drawn"]) or "none"
    log.info(f"{len(_figures)} figures in {result['seconds']:.2f} s; drawn: {drawn}")
    return files


def _caption(text: str) -> str:
    """Escape the caption and mark ``$...$`` as math for the KaTeX hook."""
    parts, last = [], 0
    for match in INLINE_MATH.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f'<span class="arithmatex">\\({html.escape(match["tex"])}\\)</span>')
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def replace(match: re.Match[str]) -> str:
        name, where = match["name"], f"docs/{page.file.src_uri}"
        if name not in _figures:
            light = name.rsplit("-", 1)[0]
            hint = f" (use the light variant figures/{light}.{match['ext']})" if light in _figures else ""
            raise PluginError(f"{where}: figures/{name}.{match['ext']} is not a registered figure{hint}")
        if match["alt"]:
            raise PluginError(
                f"{where}: write ![](figures/{name}.{match['ext']}) without alt text; "
                "the alt text and caption of a figure live in its @figure(...) registration"
            )
        figure = _figures[name]
        alt = html.escape(figure["alt"], quote=True)
        size = f'width="{figure["width"]}" height="{figure["height"]}"'
        images = "".join(
            f'<img src="{match["prefix"]}{variant["uri"]}#only-{scheme}" alt="{alt}" {size} '
            f'loading="lazy" decoding="async">'
            for scheme, variant in figure["files"].items()
        )
        caption = _caption(figure["caption"])
        return f'<figure class="guide-figure" id="figure-{name}">{images}<figcaption>{caption}</figcaption></figure>'

    return IMAGE.sub(replace, html_text)
