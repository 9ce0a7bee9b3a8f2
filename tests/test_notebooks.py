"""The two notebooks: executed by the build, fresh, light, and failing loudly."""

from __future__ import annotations

import base64
import gzip
import io
import re
import shutil
from pathlib import Path

import jupytext
import pytest
from mkdocs.exceptions import PluginError
from PIL import Image

from guide_build import notebooks
from tests.helpers import text_of
from tests.markdown_blocks import ROOT

NOTEBOOK_PAGES = {
    "tiny_diffusion.py": "notebooks/tiny-diffusion/index.html",
    "tiny_language_model.py": "notebooks/tiny-language-model/index.html",
}
MAX_GZIP_BYTES = 150 * 1024


def test_every_notebook_has_a_page():
    assert sorted(p.name for p in (ROOT / "notebooks").glob("*.py")) == sorted(NOTEBOOK_PAGES)


@pytest.mark.parametrize("page", NOTEBOOK_PAGES.values())
def test_notebook_page_shows_outputs_and_stays_light(site_pages, page):
    html = site_pages[page]
    plot = r'<img alt="[^"]{40,}" class="" height="\d+" src="data:image/png;base64,([^"]+)" width="(\d+)"'
    plots = re.findall(plot, html)
    assert plots
    for png, width in plots:  # drawn at 2 pixels per CSS pixel: sharp on high-density screens
        with Image.open(io.BytesIO(base64.b64decode(png))) as image:
            assert image.width >= 1.5 * int(width), f"{page}: a plot of {image.width} pixels shown {width} px wide"
    assert "No description has been provided" not in html
    assert "jp-RenderedText" in html  # printed output
    # JupyterLab's inlined CSS was dropped (Material's own <style> of icons stays)
    assert "--jp-" not in html and not re.search(r"<style[^>]*>[^<]*\.jp-", html)
    assert not re.search(r"<script[^>]+src=\"(?!\.\./\.\./(assets|javascripts)/)", html)  # only the site's own scripts
    assert 'class="katex"' in html and not re.search(r"\$[^$\s][^$]*\$", text_of(html))  # math rendered
    assert len(gzip.compress(html.encode("utf-8"), 9)) <= MAX_GZIP_BYTES


def test_language_model_beats_both_baselines(site_pages):
    text = text_of(site_pages[NOTEBOOK_PAGES["tiny_language_model.py"]])
    losses = {name: float(v) for name, v in re.findall(r"(unigram|bigram|attention model) (\d\.\d{3}) \(", text)}
    assert set(losses) == {"unigram", "bigram", "attention model"}, losses
    assert losses["attention model"] < losses["bigram"] < losses["unigram"]
    assert re.search(r"temperature 0\.5: The model ", text) and re.search(r"temperature 1\.0: The model ", text)
    assert "'The model ' -> " in text  # generation shown token by token with the growing context


def test_the_notebooks_model_is_the_packages(site_pages, tiny_lm_generation):
    """The notebook's training loop and diffusion_vs_llms.tiny_lm.train give the same model (the one the
    language-model chapter steps through): the same held-out loss, to the digits the notebook prints."""
    text = text_of(site_pages[NOTEBOOK_PAGES["tiny_language_model.py"]])
    printed = re.search(r"attention model (\d\.\d{3}) \(", text)
    assert printed and printed[1] == f"{tiny_lm_generation[1].checkpoints[-1][1]:.3f}"


def test_diffusion_model_samples_the_data(site_pages):
    text = text_of(site_pages[NOTEBOOK_PAGES["tiny_diffusion.py"]])
    assert "network evaluations: 1000" in text and "DDIM: 50 evaluations" in text
    match = re.search(r"median distance to the nearest data point: samples (\d\.\d+), real points (\d\.\d+)", text)
    assert match and float(match[1]) < 2 * float(match[2])


def test_downloads_are_offered(site_dir, site_pages):
    for source, page in NOTEBOOK_PAGES.items():
        name = Path(source).stem.replace("_", "-")
        for suffix in ("ipynb", "py"):
            assert f'href="../../downloads/{name}.{suffix}" download' in site_pages[page]
            assert (site_dir / "downloads" / f"{name}.{suffix}").is_file()
        executed = jupytext.read(site_dir / "downloads" / f"{name}.ipynb")
        assert all(c.get("outputs") is not None for c in executed.cells if c.cell_type == "code")
        assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")


def test_edit_link_opens_the_jupytext_source(site_pages):
    for source, page in NOTEBOOK_PAGES.items():
        assert f"/edit/main/notebooks/{source}" in site_pages[page]


def test_a_change_in_src_changes_the_cache_key(tmp_path, monkeypatch):
    hook = notebooks
    package = tmp_path / "src" / "diffusion_vs_llms"
    shutil.copytree(ROOT / "src" / "diffusion_vs_llms", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    monkeypatch.setattr(hook, "PACKAGE", package)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    monkeypatch.setattr(hook, "NOTEBOOKS", tmp_path / "notebooks")
    notebook = tmp_path / "notebooks" / "tiny_diffusion.py"
    before = hook.cache_key(notebook)
    assert hook.cache_key(notebook) == before  # stable
    (package / "reverse.py").write_text((package / "reverse.py").read_text() + "\n# edited\n")
    edited = hook.cache_key(notebook)
    assert edited != before
    corpus = package / "data" / "guide-prose.txt"  # the language model's training text
    corpus.write_text(corpus.read_text(encoding="utf-8") + " More prose.", encoding="utf-8")
    assert hook.cache_key(notebook) != edited


@pytest.fixture
def hook(tmp_path, monkeypatch):
    """The notebook machinery, executing and caching notebooks in ``tmp_path``."""
    hook = notebooks
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    monkeypatch.setattr(hook, "NOTEBOOKS", tmp_path)
    return hook


def test_a_failing_cell_fails_with_the_notebook_and_line(tmp_path, hook):
    notebook = tmp_path / "broken.py"
    notebook.write_text("# %%\nx = 1\n\n# %%\nassert x == 2, 'x is not 2'\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"broken\.py:5: a notebook cell failed") as error:
        hook.execute(notebook, tmp_path / "out.ipynb")
    assert "x is not 2" in str(error.value)
    assert not (tmp_path / "out.ipynb").exists()


def test_printed_text_is_one_output_however_the_kernel_cut_it(tmp_path, hook):
    """The kernel flushes stdout on a timer, so text printed over time arrives in pieces; the executed
    notebook (and the page) must not depend on where they fell."""
    notebook = tmp_path / "slow.py"
    notebook.write_text("# %%\nimport time\nprint('one')\ntime.sleep(0.5)\nprint('two')\n", encoding="utf-8")
    executed = tmp_path / "slow.ipynb"
    hook.execute(notebook, executed)
    outputs = jupytext.read(executed).cells[0].outputs
    assert [(o.output_type, o.name, o.text) for o in outputs] == [("stream", "stdout", "one\ntwo\n")]


def test_a_plot_without_alt_text_fails(tmp_path, hook):
    notebook = tmp_path / "plot.py"
    notebook.write_text("# %%\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n", encoding="utf-8")
    executed = tmp_path / "plot.ipynb"
    hook.execute(notebook, executed)
    with pytest.raises(PluginError, match=r'plot\.py:2: a cell that draws a plot needs # %% alt="..."'):
        hook.image_alt_texts(notebook, executed)
