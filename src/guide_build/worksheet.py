"""Worksheets with fresh numbers: ``make worksheet SEED=7 QUESTIONS=q-cross-entropy-one-token,diffusion``.

The questions named (ids, or chapters by page name such as ``diffusion``, or ``all``), numbered 1, 2 …
in that order, with the parameters of the seed (seed 0: the site's numbers), printed by Chromium with
the site's stylesheets into ``worksheets/``: a student edition (a Name / Class / Date line and ruled
space for each answer) and an answer key (the worked answers for those numbers, without the site's
code, which is written for seed 0). The same seed and questions give the same bytes.

The site's worksheet page (``<!-- questions: worksheet -->``) is the same for the browser: every
question with seed 0's numbers (:func:`page_html`), the numbers of :data:`SITE_SEEDS` in one small
file each (:func:`seed_fragment`), and ``worksheet.js`` to choose the questions, the seed and the
edition before the reader prints.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import html
import os
import re
import sys
import tempfile
from pathlib import Path

import markdown
from mkdocs.config import load_config

from guide_build import ROOT, browser, cache, katex, practice
from guide_build.handouts import documents, plan, printing
from guide_build.mkdocs import mkdocs_build

OUT = ROOT / "worksheets"
ANSWER = '??? success "Answer"\n'
SITE_SEEDS = range(1, 11)
"""The seeds the site's worksheet page offers besides 0 (``make worksheet`` takes any)."""
PAGE_MARKER = "<!-- questions: worksheet -->"
FRAGMENT = "seed-{seed}.html"
"""A seed's numbers for the worksheet page: a file next to the page."""
HEADERLINK = re.compile(r'<a class="headerlink" [^>]*>.*?</a>')
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ ]*$\n?", re.M | re.S)


def chapter_of(question: practice.Question) -> str:
    """The chapter a question practises, by name: ``comparison`` for ``comparison.md``, ``diffusion`` for
    a section of the folder ``diffusion/``."""
    return question.page.split("/", 1)[0].removesuffix(".md")


def select(questions: list[practice.Question], spec: str) -> list[practice.Question]:
    """The questions ``spec`` names: comma-separated ids, chapters (``diffusion``, a page's name or a
    folder of sections), or ``all``."""
    by_id = {q.id: q for q in questions}
    chapters = {chapter_of(q) for q in questions}
    chosen: list[practice.Question] = []
    for name in (n.strip() for n in spec.split(",")):
        if name == "all":
            chosen += questions
        elif name in by_id:
            chosen.append(by_id[name])
        elif name in chapters:
            chosen += [q for q in questions if chapter_of(q) == name]
        else:
            raise ValueError(
                f"QUESTIONS: {name!r} is neither a question id (such as {questions[0].id}), a chapter "
                f"({', '.join(sorted(chapters))}) nor 'all'"
            )
    once: dict[str, practice.Question] = {}
    for question in chosen:
        once.setdefault(question.id, question)  # each once, where first named
    return list(once.values())


ABOUT_CODE = re.compile(r"\b(code|script)\b", re.I)
"""A paragraph of a worked answer that introduces its code, which a worksheet leaves out."""


def _without_code(answer: str) -> str:
    paragraphs = FENCE.sub("", answer).split("\n\n")
    return "\n\n".join(p for p in paragraphs if not ABOUT_CODE.search(p))


def _question_markdown(question: practice.Question, number: int, seed: int, **options) -> str:
    """The question's Markdown (:func:`practice.question_markdown`) with each ``[](#q-id)``, a
    "question N" link on the site, naming that question by its title: a worksheet numbers its
    questions afresh and need not hold the one named."""
    bank = {q.id: q for q in practice.load()}

    def title(match: re.Match[str]) -> str:
        if match["id"] not in bank:
            raise practice.BankError(f"{question.id}: [](#{match['id']}) names no question of the bank")
        named = bank[match["id"]]
        return f"question “{practice.render_text(named.title, named, seed, 'title')}”"

    return practice.REFERENCE.sub(title, practice.question_markdown(question, number, seed=seed, **options))


def worksheet_markdown(questions: list[practice.Question], seed: int) -> str:
    """The questions for ``seed``, each with its worked answer in a collapsed block, without the code
    (written for seed 0) and the paragraphs that introduce it."""
    parts = []
    for number, question in enumerate(questions, 1):
        text, marker, answer = _question_markdown(question, number, seed).partition(ANSWER)
        parts.append(text + marker + _without_code(answer))
    return "\n".join(parts)


@functools.cache
def _converter(settings: str) -> markdown.Markdown:
    """A Markdown converter with the extensions of ``mkdocs.yml``, whose text is ``settings`` (so that
    an edit to it, during ``mkdocs serve``, gives a new converter)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _html(text: str) -> str:
    converter = _converter((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    cwd = os.getcwd()
    os.chdir(ROOT)  # pymdownx.snippets reads from the repository
    try:
        converted = converter.reset().convert(text)
    finally:
        os.chdir(cwd)
    # a worksheet's text names other pages without linking them: it is printed
    return re.sub(r'<a href="[^"]*">(.*?)</a>', r"\1", converted)


# ---- The site's worksheet page ----------------------------------------------------------------------


def entries_html(questions: list[practice.Question], seed: int, numbers: dict[str, int]) -> str:
    """The questions as the worksheet page shows them, for ``seed``: heading, text and choices, an
    answer box (student edition) and the worked answer without code (answer key); formulas still TeX."""
    entries = []
    for question in questions:
        text, _, answer = _question_markdown(question, numbers[question.id], seed, level=3, form=False).partition(
            ANSWER
        )
        # the ruled box is drawn for paper; the page's text says each question has one
        height = practice.answer_space_cm(question)
        space = f'<div class="answer-space" aria-hidden="true" style="height: {height:g}cm"></div>\n\n'
        seeded = " data-seeded" if question.params else ""
        opened = '!!! success "Answer"\n'  # shown in the answer key, on screen as on paper: a box that may split
        body = HEADERLINK.sub("", _html(text + space + opened + _without_code(answer)))  # no "¶" on a worksheet
        entries.append(f'<section class="worksheet-question" data-question="{question.id}"{seeded}>{body}</section>')
    return "\n".join(entries)


def _cached(questions: list[practice.Question], name: str, make) -> str:
    """``make()``, kept in the build cache under the inputs of a worksheet: ``questions`` (all they
    hold), the code that computes and writes their numbers, the snippets a question may include, the
    Markdown settings and the locked versions of the libraries (numpy's random numbers, Markdown's HTML)."""
    inputs = [*(ROOT / "src").rglob("*.py"), *(ROOT / "snippets").rglob("*.py")]
    inputs += [ROOT / "mkdocs.yml", ROOT / "requirements.lock"]
    key = cache.key(repr(questions), cache.files_key(inputs), name)
    path = cache.folder("worksheets") / f"{key}.html"
    if not path.is_file():
        cache.write_atomic(path, make())
    return path.read_text(encoding="utf-8")


def by_chapter(questions: list[practice.Question], titles: dict[str, str]) -> list[practice.Question]:
    """``questions`` grouped by the chapter they practise, in the order of ``titles`` (the nav's)."""
    return [q for page in titles for q in questions if q.page == page]


def seed_fragment(questions: list[practice.Question], seed: int) -> str:
    """The parametrised questions for ``seed``, as the worksheet page shows them (formulas still TeX)."""
    seeded = [q for q in questions if q.params]
    return _cached(questions, f"seed-{seed}", lambda: entries_html(seeded, seed, {q.id: 0 for q in seeded}))


def page_html(questions: list[practice.Question], titles: dict[str, str]) -> str:
    """The worksheet page's tool: the seed, the edition, a Print button and the questions to tick by
    chapter (the page's ``worksheet.js`` makes them work; without scripting they are not shown,
    extra.css), then the worksheet itself with every question at seed 0, in the same order."""
    ordered = by_chapter(questions, titles)
    groups = []
    for page, title in titles.items():
        own = [q for q in ordered if q.page == page]
        if own:
            boxes = "".join(
                f'<li><label><input type="checkbox" name="question" value="{q.id}" checked> '
                f"<span>{html.escape(practice.render_text(q.title, q, 0, 'title'))}</span></label></li>"
                for q in own
            )
            groups.append(f"<fieldset><legend>{html.escape(title)}</legend><ul>{boxes}</ul></fieldset>")
    seeds = "".join(f'<option value="{s}">seed {s}</option>' for s in SITE_SEEDS)
    controls = (
        '<form class="worksheet-controls" autocomplete="off">'
        '<div class="worksheet-settings"><p><label for="worksheet-seed">Numbers</label> '
        '<select id="worksheet-seed" name="seed"><option value="0">seed 0: the numbers on the site</option>'
        f"{seeds}</select></p>"
        '<fieldset class="worksheet-edition"><legend>Edition</legend>'
        '<label><input type="radio" name="edition" value="student" checked> Student edition</label> '
        '<label><input type="radio" name="edition" value="answer-key"> Answer key</label></fieldset>'
        '<p><button type="button" class="md-button md-button--primary" data-print>Print</button></p></div>'
        '<p class="worksheet-status" role="status"></p>'
        '<fieldset class="worksheet-questions"><legend>Questions</legend>'
        '<p><button type="button" class="md-button" data-select="all">Tick all</button> '
        '<button type="button" class="md-button" data-select="none">Untick all</button></p>'
        f"{''.join(groups)}</fieldset></form>"
        '<p class="worksheet-nojs">Choosing the questions, the seed and the edition needs JavaScript. '
        "Without it, this page prints every question with seed 0's numbers as a student edition.</p>"
    )
    numbers = {q.id: n for n, q in enumerate(ordered, 1)}
    sheet = (
        f'<div class="worksheet-sheet" data-edition="student" data-fragment="{FRAGMENT}">'
        '<h2 id="worksheet">Worksheet<span class="worksheet-seed-name">, seed <span class="worksheet-seed">0'
        '</span></span>: <span class="worksheet-edition-name">Student edition</span></h2>'
        f"{documents.NAME_LINE}\n{_cached(questions, 'page', lambda: entries_html(ordered, 0, numbers))}</div>"
    )
    return f"{controls}\n{sheet}"


def document(site: Path, questions: list[practice.Question], seed: int, edition: str) -> str:
    """The print document of one edition, with the built site's stylesheets and fonts (file URLs, so
    that the document can be anywhere and nothing is written into the site)."""
    formulas = katex.Formulas()
    body = formulas.take({"worksheet": _html(worksheet_markdown(questions, seed))})["worksheet"]
    title = f"Worksheet, seed {seed}"
    heading = f'<h1 id="worksheet">{title}</h1>' + (documents.NAME_LINE if edition == "student" else "")
    chapter = plan.Chapter(0, "practice", "Practice questions", "practice/")
    body = documents.in_edition(heading + body, edition)
    label = "Student edition" if edition == "student" else "Answer key"
    text = documents.print_document(site, chapter, f"{title}: {label}", body).replace(
        'href="../../', f'href="{site.as_uri()}/'
    )
    return formulas.put(text, f"{site.as_uri()}/assets/katex/fonts")


async def _print(documents: dict[Path, Path], chromium: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chrome = await playwright.chromium.launch(executable_path=chromium, args=browser.FLAGS)
        context = await chrome.new_context()
        for source, pdf in documents.items():
            pdf.write_bytes(await printing.print_pdf(context, source))
        await chrome.close()


def build(seed: int, spec: str, site: Path = ROOT / "site", out: Path = OUT) -> list[Path]:
    """Write the student edition and answer key of a worksheet; returns their paths."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"SEED must be a whole number >= 0, got {seed!r}")
    chosen = select(practice.load(), spec)
    chromium = browser.find_chromium()
    if chromium is None:
        raise ValueError("worksheets are printed by Chromium: apt-get install chromium-headless-shell, or set CHROMIUM")
    if not (site / "practice" / "index.html").is_file():
        print(f"building the site into {site} for its stylesheets")
        result = mkdocs_build(site, {**os.environ, "HANDOUTS": "0"})
        if result.returncode:
            raise RuntimeError(result.stdout + result.stderr)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        documents = {}
        for edition in plan.EDITIONS:
            source = Path(work) / f"worksheet-{seed}-{edition}.html"
            source.write_text(document(site.resolve(), chosen, seed, edition), encoding="utf-8")
            documents[source] = out / f"worksheet-seed-{seed}-{edition}.pdf"
        asyncio.run(_print(documents, chromium))
    return list(documents.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make worksheet", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", required=True, help="a whole number >= 0; 0 gives the site's numbers")
    parser.add_argument("--questions", required=True, help="question ids or chapters, comma-separated, or all")
    args = parser.parse_args(argv)
    try:
        if not re.fullmatch(r"\d+", args.seed.strip()):
            raise ValueError(f"SEED must be a whole number >= 0, got {args.seed!r}")
        written = build(int(args.seed), args.questions)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
