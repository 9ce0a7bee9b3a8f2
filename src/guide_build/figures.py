"""The figures of the site: drawn by ``python -m diffusion_vs_llms.figures`` into the build cache, and
shown on pages as ``<figure>`` elements.

All figures are cached together, under one key that hashes every source file of the
``diffusion_vs_llms`` package (the figure modules import the numerics and each other) and the
versions of Python, NumPy, matplotlib and Pillow. Nothing a figure can import is left out of the
key, so a cached figure is never stale; any change to the package redraws every figure.
"""

from __future__ import annotations

import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from guide_build import ONE_BLAS_THREAD, PACKAGE, cache, katex, package_files
from guide_build.mkdocs import chapter_folder

LIBRARIES = ("numpy", "matplotlib", "pillow")
IMAGE = re.compile(
    r'<p><img alt="(?P<alt>[^"]*)" src="(?P<prefix>(?:\.\./)*)figures/(?P<name>[a-z0-9-]+)\.(?P<ext>svg|webp)" /></p>'
)

REFERENCE = re.compile(r'<a href="#figure-(?P<name>[a-z0-9-]+)"></a>')
IN_MARKDOWN = re.compile(r"^!\[\]\((?:\.\./)*figures/[a-z0-9-]+\.(?:svg|webp)\)\s*$", re.M)
"""A figure as a page's Markdown shows it, alone on its line."""


def first_number(page: str, pages: list[tuple[str, str]]) -> int:
    """The number of the first figure of ``page`` (docs path): 1, or in a section of a chapter folder
    one more than the figures of the folder's pages before it, so that a chapter's figures are
    numbered 1, 2, 3 across its sections, on the site and in the printed chapter alike. ``pages``:
    (docs path, Markdown) of the nav's pages in order."""
    paths = [path for path, _ in pages]
    folder = chapter_folder(page, paths)
    if folder is None or page not in paths:
        return 1
    before = [text for path, text in pages[: paths.index(page)] if path.startswith(f"{folder}/")]
    return 1 + sum(len(IN_MARKDOWN.findall(text)) for text in before)


def key(package: Path = PACKAGE) -> str:
    """Hash of everything the figures are drawn from: the package's files and the library versions."""
    versions = [f"{name} {metadata.version(name)}" for name in LIBRARIES]
    return cache.key(platform.python_version(), *versions, cache.files_key(package_files(package), package))


class Drawing:
    """The figures of ``package``: found in the cache, or drawn by a process started at once (a fresh
    Python, so ``mkdocs serve`` draws with the edited code), so the build can go on meanwhile."""

    def __init__(self, package: Path = PACKAGE) -> None:
        self.folder = cache.folder("figures") / key(package)
        self.partial = self.folder.with_name(f".{self.folder.name}.{os.getpid()}.part")
        self.process = None
        if not (self.folder / "manifest.json").exists():
            search_path = os.environ.get("PYTHONPATH")
            self.process = subprocess.Popen(
                [sys.executable, "-m", "diffusion_vs_llms.figures", str(self.partial)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={
                    **os.environ,
                    **ONE_BLAS_THREAD,  # next to the notebook kernels
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(package.parent), search_path])),
                },
            )

    def result(self) -> list[dict]:
        """The manifest (one entry per figure, see ``diffusion_vs_llms.figures.__main__``), each
        variant's ``path`` set to its file in the cache. Raises ``RuntimeError`` if drawing failed."""
        if self.process is not None:
            _, stderr = self.process.communicate()
            if self.process.returncode != 0:
                shutil.rmtree(self.partial, ignore_errors=True)
                raise RuntimeError(f"python -m diffusion_vs_llms.figures failed:\n{stderr.strip()}")
            try:
                self.partial.rename(self.folder)
            except OSError:  # another build drew the same figures first
                shutil.rmtree(self.partial)
            for older in self.folder.parent.iterdir():
                if older.is_dir() and older != self.folder and not older.name.startswith("."):
                    shutil.rmtree(older, ignore_errors=True)
        figures = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        for figure in figures:
            figure["paths"] = {scheme: self.folder / Path(uri).name for scheme, uri in figure["files"].items()}
            if "data" in figure:  # an explorable's numbers, site path -> file in the cache
                figure["paths"]["data"] = self.folder / Path(figure["data"]).name
        return figures


def caption_html(text: str) -> str:
    """Escape the caption and mark ``$...$`` as math for the KaTeX hook."""
    return katex.mark_dollars(text, html.escape)


TALL = 0.75
"""A figure at least this high for its width is marked ``data-tall``: print.css prints it beside its
caption, as large as a third of the page allows; below it, the caption would take that room and the
figure would shrink until its text is too small to read."""


def insert(html_text: str, figures: dict[str, dict], where: str, first: int = 1) -> str:
    """Replace each ``<p><img src="figures/<name>.svg"></p>`` of ``html_text`` by its ``<figure>``: both
    colour schemes' images (the one matching the scheme is shown), each a link to its file, the registered alt text,
    width, height and caption, numbered in the order of the page from ``first`` ("Figure 2."). Raises ``ValueError``
    naming ``where`` for an unknown figure or an image with its own alt text.

    A reference ``[](#figure-<name>)`` (a link with no text) becomes "Figure N", the number the
    figure has on the page; a reference to a figure not on the page raises ``ValueError``."""
    numbers = {match["name"]: number for number, match in enumerate(IMAGE.finditer(html_text), first)}

    def replace(match: re.Match[str]) -> str:
        name, ext = match["name"], match["ext"]
        if name not in figures:
            light = name.rsplit("-", 1)[0]
            hint = f" (use the light variant figures/{light}.{ext})" if light in figures else ""
            raise ValueError(f"{where}: figures/{name}.{ext} is not a registered figure{hint}")
        if match["alt"]:
            raise ValueError(
                f"{where}: write ![](figures/{name}.{ext}) without alt text; "
                "the alt text and caption of a figure live in its @figure(...) registration"
            )
        figure = figures[name]
        alt = html.escape(figure["alt"], quote=True)
        size = f'width="{figure["width"]}" height="{figure["height"]}"'
        images = "".join(  # each image links to itself: a tap opens it alone, to zoom
            f'<a href="{match["prefix"]}{uri}#only-{scheme}">'
            f'<img src="{match["prefix"]}{uri}#only-{scheme}" alt="{alt}" {size} loading="lazy" decoding="async"></a>'
            for scheme, uri in figure["files"].items()
        )
        text = caption_html(figure["caption"])
        if "live_caption" in figure:  # extra.css shows one of the two: the drawing's, or the controls'
            live = caption_html(figure["live_caption"])
            text = f'<span class="caption-drawn">{text}</span><span class="caption-live">{live}</span>'
        caption = f'<span class="figure-number">Figure {numbers[name]}.</span> {text}'
        explorable = f' data-explorable="{match["prefix"]}{figure["data"]}"' if "data" in figure else ""
        tall = " data-tall" if figure["height"] >= TALL * figure["width"] else ""  # printed beside its caption
        return (
            f'<figure class="guide-figure" id="figure-{name}"{tall}{explorable}>{images}'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def refer(match: re.Match[str]) -> str:
        if match["name"] not in numbers:
            raise ValueError(f"{where}: [](#figure-{match['name']}) refers to no figure on this page")
        return f'<a href="#figure-{match["name"]}">Figure {numbers[match["name"]]}</a>'

    return REFERENCE.sub(refer, IMAGE.sub(replace, html_text))


def ids(html_text: str) -> set[str]:
    """The ids of the figures :func:`insert` put in ``html_text`` (anchors that links may name)."""
    return set(re.findall(r'<figure class="guide-figure" id="([^"]+)"', html_text))
