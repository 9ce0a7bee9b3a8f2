"""The pull-request checks. Spelling, Markdown style and ruff run over the repository, each also shown to
fire on a bad input; `make lint` runs these (``pytest -m "not build" tests/test_lint.py``). The built
site's links and markup, and a clean build's bytes, are checked on the session's build (``site_dir``).

MkDocs' own ``validation:`` (mkdocs.yml) checks the links of the Markdown pages as it builds; the link
check here also sees what MkDocs does not validate: the notebooks' pages, raw HTML and what hooks and
templates write. pymarkdown's MD033 rejects raw HTML other than ``<div>``; the markup check here also
sees inside a ``<div>`` and the notebooks.
"""

from __future__ import annotations

import gzip
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from guide_build import ROOT
from guide_build.cache import root as cache_root
from guide_build.mkdocs import mkdocs_build

BIN = Path(sys.executable).parent
TEXT = ["docs", "README.md", "CONTRIBUTING.md", "includes", "notebooks", "src", "snippets", "tests", "hooks", "tools"]
PYTHON = ["src", "snippets", "tests", "hooks", "notebooks", "tools"]
MARKDOWN = ["docs", "README.md", "CONTRIBUTING.md"]
# The tools and their options, as the tests below and the pre-commit hooks run them.
TOOLS = {
    "codespell": ["codespell", "--ignore-words", "tools/codespell-words.txt"],
    "pymarkdown": ["pymarkdown", "--config", ".pymarkdown.json", "scan"],
    "ruff": ["ruff", "check"],
    "ruff-format": ["ruff", "format", "--check"],
}
UNSAFE_TAGS = {"script", "iframe", "object", "embed", "form"}


def run(tool: str, *arguments: str) -> subprocess.CompletedProcess:
    name, *options = TOOLS[tool]
    command = [str(BIN / name), *options, *arguments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_spelling():
    proc = run("codespell", *TEXT)
    assert proc.returncode == 0, proc.stdout


def test_spelling_check_fires(tmp_path):
    bad = tmp_path / "bad.md"
    misspelt = "rec" + "ieves"  # spelled out here, so the check of this file itself passes
    bad.write_text(f"The model {misspelt} a token.\n", encoding="utf-8")
    proc = run("codespell", str(bad))
    assert proc.returncode != 0 and f"{misspelt} ==> receives" in proc.stdout


def test_markdown_style():
    proc = run("pymarkdown", *MARKDOWN)
    assert proc.returncode == 0, proc.stdout


def test_markdown_style_fires_and_rejects_raw_html_but_div(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(
        '# Title\n\n\n\nSee https://example.com\n\n<script>alert(1)</script>\n\n<iframe src="x"></iframe>\n\n'
        "<div markdown>\n\nText.\n\n</div>\n",
        encoding="utf-8",
    )
    proc = run("pymarkdown", str(bad))
    assert proc.returncode != 0 and "MD012" in proc.stdout and "MD034" in proc.stdout
    assert f"{bad}:7:1: MD033: Inline HTML [Element: script]" in proc.stdout
    assert f"{bad}:9:1: MD033: Inline HTML [Element: iframe]" in proc.stdout
    assert "Element: div" not in proc.stdout


def test_ruff():
    for tool in ("ruff", "ruff-format"):
        proc = run(tool, *PYTHON)
        assert proc.returncode == 0, proc.stdout


class Page(HTMLParser):
    """One built page: its ids, its links, and markup that would run code (event handler attributes
    anywhere; scripts, frames, embeds and forms inside the page's own content, the ``<article>``, except
    the worksheet page's controls, which the build writes)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.unsafe: list[str] = []
        self.in_article = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name in ("id", "name") and value)
        self.links += [value for name, value in attrs if tag == "a" and name == "href" and value]
        self.unsafe += [f"{name}=" for name, _ in attrs if name.startswith("on")]
        self.in_article = self.in_article or tag == "article"
        # the worksheet page's controls (worksheet.js); a self-check's fields are in no form (practice.js)
        bank_form = tag == "form" and dict(attrs).get("class") == "worksheet-controls"
        if self.in_article and tag in UNSAFE_TAGS and not bank_form:
            self.unsafe.append(f"<{tag}")

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article = False


def where(text: str, page: str) -> str:
    """``file:line`` of ``text`` in the built page's source (its Markdown page or notebook), else the page:
    what hooks and templates write has no source line."""
    stem = posixpath.dirname(page) or "index"
    for source in (ROOT / "docs" / f"{stem}.md", ROOT / f"{stem.replace('-', '_')}.py"):
        lines = source.read_text(encoding="utf-8").splitlines() if source.is_file() else []
        for number, line in enumerate(lines, 1):
            if text in line:
                return f"{source.relative_to(ROOT)}:{number} (built as {page})"
    return page


def link_problems(site: Path, pages: dict[str, Page]) -> list[str]:
    """Every link of every page that does not lead to a file of the site, or to an id on the page it
    leads to; links to other sites are not fetched, and only http(s) and mailto are allowed."""
    problems = []
    for name, page in pages.items():
        for href in page.links:
            url = urlsplit(href)
            if url.scheme in ("http", "https", "mailto"):
                continue
            if url.scheme or url.netloc or url.path.startswith("/"):
                problems.append(f"{where(href, name)}: {href}: not a relative link into the site")
                continue
            path = unquote(url.path) or posixpath.basename(name)  # "#id" is an id on this page
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
            if path.endswith("/") or (site / target).is_dir():
                target = posixpath.normpath(posixpath.join(target, "index.html"))
            if target.startswith("..") or not (site / target).is_file():
                problems.append(f"{where(href, name)}: {href}: no such file {target}")
            elif url.fragment and target in pages and url.fragment not in pages[target].ids:
                problems.append(f"{where(href, name)}: {href}: no anchor #{url.fragment} in {target}")
    return problems


def unsafe_markup(pages: dict[str, Page]) -> list[str]:
    return [f"{where(found, name)}: {found}" for name, page in pages.items() for found in page.unsafe]


def test_links_and_anchors_of_the_built_site_resolve(site_dir, site_pages):
    pages = {name: Page(html) for name, html in site_pages.items()}
    assert sum(len(page.links) for page in pages.values()) > 1000
    problems = link_problems(site_dir, pages)
    assert not problems, "\n".join(problems)


def test_built_pages_run_no_code_of_their_own(site_pages):
    problems = unsafe_markup({name: Page(html) for name, html in site_pages.items()})
    assert not problems, "\n".join(problems)


def test_a_broken_link_a_missing_anchor_and_unsafe_markup_are_reported(tmp_path):
    pages = {
        "x/index.html": '<h1 id="top">Home</h1><a href="page/#nowhere">x</a><a href="missing/">y</a>'
        '<a href="javascript:alert(1)">z</a><a href="https://example.org/">ok</a><a href="/x/">w</a>',
        "x/page/index.html": '<form id="here"></form><a href="../#top">back</a>'
        '<article><div onclick="alert(1)"><script>alert(1)</script></div></article>',
    }
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html, encoding="utf-8")
    parsed = {name: Page(html) for name, html in pages.items()}
    assert link_problems(tmp_path, parsed) == [
        "x/index.html: page/#nowhere: no anchor #nowhere in x/page/index.html",
        "x/index.html: missing/: no such file x/missing/index.html",
        "x/index.html: javascript:alert(1): not a relative link into the site",
        "x/index.html: /x/: not a relative link into the site",
    ]
    assert unsafe_markup(parsed) == ["x/page/index.html: onclick=", "x/page/index.html: <script"]


def test_a_problem_names_the_source_file_and_line():
    page = "notebooks/tiny-diffusion/index.html"
    found = where("../../formulas/#notation", page)
    assert re.fullmatch(rf"notebooks/tiny_diffusion\.py:\d+ \(built as {page}\)", found)
    assert where("no such text", "diffusion/index.html") == "diffusion/index.html"


SITEMAP_DATE = re.compile(rb"<lastmod>[^<]*</lastmod>")


def normalised(path: Path) -> bytes:
    """The file's bytes; the sitemap's dates (the day of the build) left out."""
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    return SITEMAP_DATE.sub(b"<lastmod/>", data) if path.name.startswith("sitemap.xml") else data


def test_a_clean_build_gives_the_same_bytes(site_dir, cold_figures, tmp_path):
    """The session's build against a build from an empty cache, which is what a fresh clone builds:
    notebooks run, formulas typeset and measured anew, and figures drawn anew (the run's drawing from
    scratch, ``cold_figures``, which test_figures checks). Of the PDF handouts, printing one chapter
    again (its tables' tagged headers are where Chromium's output varied) stands for printing them
    all; the others come from the session's cache, so the check prints that chapter only."""
    cache, printed = tmp_path / "cache", {p.read_bytes() for p in (site_dir / "handouts").glob("comparison-*.pdf")}
    shutil.copytree(cold_figures / "figures", cache / "figures")
    (cache / "handouts").mkdir(parents=True)
    for entry in (cache_root() / "handouts").glob("*.pdf"):
        if entry.read_bytes() not in printed:
            shutil.copyfile(entry, cache / "handouts" / entry.name)
    clean = tmp_path / "site"
    proc = mkdocs_build(clean, {**os.environ, "GUIDE_CACHE": str(cache), "HANDOUTS": "1"})
    # its documents, one for both editions or one each when the chapter has answers, and no other
    assert f"printed {len(printed)}," in proc.stdout + proc.stderr, (proc.stdout + proc.stderr)[-3000:]
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = {p.relative_to(site_dir) for p in site_dir.rglob("*") if p.is_file()}
    clean_files = {p.relative_to(clean) for p in clean.rglob("*") if p.is_file()}
    assert files == clean_files, f"only in one build: {sorted(map(str, files ^ clean_files))}"
    differ = [str(p) for p in sorted(files) if normalised(site_dir / p) != normalised(clean / p)]
    assert not differ, f"files that differ between the two builds: {differ}"


def test_workflows_run_makefile_targets_and_each_check_once():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    ran = []
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.search(r"@v\d+\.\d+\.\d+$", step["uses"]), f"pin {step['uses']} to a version"
                if "run" in step:
                    command = step["run"].strip()
                    assert re.fullmatch(r"make [a-z-]+", command), f"{workflow.name}: {command!r}"
                    assert command[5:] in targets, f"{workflow.name}: {command!r} is not a Makefile target"
                    ran.append(command[5:])
    assert "test" in ran
    assert not {"lint", "check", "build"} & set(ran), "make test runs those tests, and leaves the site it built"


def test_pre_commit_hooks_run_the_tools_as_the_tests_do():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = {hook["id"]: hook["entry"] for repo in config["repos"] for hook in repo["hooks"]}
    assert entries == {tool: " ".join([f".venv/bin/{command[0]}", *command[1:]]) for tool, command in TOOLS.items()}


def test_templates_exist():
    for name in ("PULL_REQUEST_TEMPLATE.md", "ISSUE_TEMPLATE/content-error.md", "ISSUE_TEMPLATE/suggestion.md"):
        assert (ROOT / ".github" / name).read_text(encoding="utf-8").strip()
