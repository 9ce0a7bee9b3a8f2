"""The notebooks in ``notebooks/``, executed and handed to mkdocs-jupyter (wired by ``hooks/notebooks.py``).

Notebooks are jupytext percent-format ``.py`` files (readable diffs). :func:`add_notebooks` executes
each one with nbclient (``allow_errors`` off: a failing cell fails the build, naming the notebook and
the cell's line) and keeps the executed ``.ipynb`` in ``.cache/notebooks/``, keyed by a hash of the
notebook, the ``diffusion_vs_llms`` package (source and data) and the library versions, so a change in
``src/`` re-executes the notebooks that use it (mkdocs-jupyter's own cache keys only on the notebook
file). The executed notebook becomes the page ``notebooks/<name>.ipynb``, rendered by mkdocs-jupyter
with ``execute: false``; the ``.ipynb`` and the ``.py`` are also offered as downloads.

:func:`page_html` keeps notebook pages light and consistent with the rest of the site: it drops the
JupyterLab CSS that mkdocs-jupyter inlines into every page, more than the page-weight budget
(``stylesheets/extra.css`` styles the cells instead), marks ``$...$`` math in Markdown cells for
the KaTeX hook, and adds the download links.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from guide_build import ONE_BLAS_THREAD, PACKAGE, ROOT, cache, katex, package_files

NOTEBOOKS = ROOT / "notebooks"
CACHE = cache.root() / "notebooks"
"""Executed notebooks are kept here between builds (``$GUIDE_CACHE/notebooks``)."""
PAGES = CACHE / "pages"

NO_ALT = 'alt="No description has been provided for this image"'
HIGHLIGHT = re.compile(r'<div class="highlight-ipynb hl-python"><pre>(.*?)</pre></div>', re.S)

MARKDOWN_CELL = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
JUPYTER_COPY = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
    r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>',
    re.S,
)
"""mkdocs-jupyter's copy widget and a second, plain copy of every cell's source for it: Material's own
copy button does that job, and the plain copy would put each cell's code in the search index twice."""


def slug(path: Path) -> str:
    """``tiny_diffusion.py`` -> ``tiny-diffusion``."""
    return path.stem.replace("_", "-")


def cache_key(notebook: Path) -> str:
    """Hash of everything that can change the notebook's outputs."""
    inputs = [notebook, *package_files(PACKAGE)]
    this_module = Path(__file__).read_bytes()  # execute() post-processes the outputs
    versions = [f"{name} {metadata.version(name)}" for name in ("numpy", "matplotlib")]
    return cache.key(cache.files_key(inputs, ROOT), this_module, sys.version, *versions)


def _cell_line(source_text: str, cell_source: str) -> int:
    first = next((line for line in cell_source.splitlines() if line.strip()), "")
    for number, line in enumerate(source_text.splitlines(), 1):
        if first and line.strip() == first.strip():
            return number
    return 1


def execute(notebook: Path, target: Path) -> None:
    """Execute the jupytext notebook and write the executed ``.ipynb`` to ``target``."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    from traitlets.config import Config

    from diffusion_vs_llms.figures.style import palette_png

    nb = jupytext.read(notebook)
    for index, cell in enumerate(nb.cells):  # stable ids (jupytext draws random ones): reproducible pages
        cell.id = f"cell-{index}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    curve = Config()  # the kernel's local TCP traffic encrypted with CurveZMQ (pyzmq's wheels ship it)
    curve.KernelManager.transport_encryption = "required"
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        config=curve,
    )
    try:
        client.execute(env={**os.environ, **ONE_BLAS_THREAD})
    except CellExecutionError as error:
        failed = next((c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        line = _cell_line(notebook.read_text(encoding="utf-8"), failed.source) if failed else 1
        where = notebook.relative_to(ROOT)
        raise PluginError(f"{where}:{line}: a notebook cell failed\n{error}") from None
    # The kernel sends a cell's printed text in pieces, cut wherever its flush timer fires: one stream
    # output per cell and stream, so the page does not depend on how fast the machine ran the cell.
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    for output in (o for cell in nb.cells for o in cell.get("outputs", []) if "image/png" in o.get("data", {})):
        png = palette_png(base64.b64decode(output.data["image/png"]))  # plots drawn at 2x: keep pages light
        output.data["image/png"] = base64.b64encode(png).decode("ascii")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    nbformat.write(nb, partial)
    partial.replace(target)


def executed_notebook(notebook: Path) -> tuple[Path, bool]:
    """Path of the executed notebook in the cache, executing it first if needed; and whether it ran."""
    key = cache_key(notebook)
    target = CACHE / "executed" / f"{slug(notebook)}-{key}.ipynb"
    if target.exists():
        return target, False
    for stale in target.parent.glob(f"{slug(notebook)}-*.ipynb"):
        stale.unlink()
    execute(notebook, target)
    return target, True


def add_notebooks(files: Files, config: MkDocsConfig) -> tuple[dict[str, tuple[str, list[str]]], list[str]]:
    """Execute the notebooks that changed and add their pages and downloads to ``files``; returns, for
    each page (its ``src_uri``), the notebook's slug and the alt text of each image it outputs, and
    the slugs of the notebooks that ran."""
    pages: dict[str, tuple[str, list[str]]] = {}
    notebooks = sorted(NOTEBOOKS.glob("*.py"))
    with ThreadPoolExecutor(max_workers=len(notebooks) or 1) as pool:  # each kernel is its own process
        results = list(pool.map(executed_notebook, notebooks))
    ran = []
    for notebook, (executed, did_run) in zip(notebooks, results, strict=True):
        name = slug(notebook)
        if did_run:
            ran.append(name)
        page_uri = f"notebooks/{name}.ipynb"
        # mkdocs-jupyter only wraps files that live in a source folder, so the page gets a copy of
        # the executed notebook in a folder of its own (its include pattern is "pages/notebooks/*.ipynb").
        page_source = PAGES / page_uri
        if not page_source.exists() or page_source.read_bytes() != executed.read_bytes():
            page_source.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(executed, page_source)
        files.append(File(page_uri, str(PAGES), config.site_dir, config.use_directory_urls))
        pages[page_uri] = (name, image_alt_texts(notebook, executed))
        files.append(File.generated(config, f"downloads/{name}.ipynb", abs_src_path=str(executed)))
        files.append(File.generated(config, f"downloads/{name}.py", abs_src_path=str(notebook)))
    return pages, ran


def image_alt_texts(notebook: Path, executed: Path) -> list[str]:
    """The ``alt`` metadata of every code cell that outputs an image, once per image, in order.

    A plot is written as ``# %% alt="..."`` in the jupytext file; a plot without one fails the build.
    """
    import nbformat

    alts = []
    for cell in nbformat.read(executed, as_version=4).cells:
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if images and not cell.metadata.get("alt"):
            line = _cell_line(notebook.read_text(encoding="utf-8"), cell.source)
            raise PluginError(f'{notebook.relative_to(ROOT)}:{line}: a cell that draws a plot needs # %% alt="..."')
        alts += [cell.metadata.get("alt", "")] * len(images)
    return alts


def _mark_math(match: re.Match[str]) -> str:
    return match[1] + katex.mark_dollars(match[2]) + match[3]


def source_of(name: str) -> Path:
    """The jupytext file of the notebook ``name`` (its slug), relative to the repository."""
    return next(p for p in NOTEBOOKS.glob("*.py") if slug(p) == name).relative_to(ROOT)


def page_html(html_text: str, name: str, alts: list[str], page_url: str) -> str:
    """The HTML mkdocs-jupyter made of the notebook ``name``, light and in the site's own markup."""
    html_text = STYLE.sub("", html_text)
    html_text = SCRIPT.sub("", html_text)
    html_text = COMMENT.sub("", html_text)  # mkdocs-jupyter's empty MathJax and mermaid sections
    html_text = JUPYTER_COPY.sub("", html_text)
    html_text = MARKDOWN_CELL.sub(_mark_math, html_text)
    # Code cells get the site's own code-block markup, so they look and copy like every other block.
    html_text = HIGHLIGHT.sub(r'<div class="language-python highlight"><pre><code>\1</code></pre></div>', html_text)
    if html_text.count(NO_ALT) != len(alts):
        raise PluginError(f"notebooks/{name}: {html_text.count(NO_ALT)} images on the page, {len(alts)} alt texts")
    for alt in alts:
        html_text = html_text.replace(NO_ALT, f'alt="{html.escape(alt, quote=True)}"', 1)
    up = "../" * (page_url.count("/"))
    downloads = (
        f'<p class="notebook-downloads">Run it yourself:<br>'
        f'<a class="md-button" href="{up}downloads/{name}.ipynb" download>Download the notebook (.ipynb)</a> '
        f'<a class="md-button" href="{up}downloads/{name}.py" download>Download as a Python script (.py)</a></p>'
    )
    if "<h1" in html_text:
        return re.sub(r"(</h1>)", lambda m: m[1] + downloads, html_text, count=1)
    return downloads + html_text
