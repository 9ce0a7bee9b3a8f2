"""Worksheets with fresh numbers: ``make worksheet SEED=7 QUESTIONS=q-cross-entropy-one-token,diffusion``.

The questions named (ids, or chapters by page name such as ``diffusion``, or ``all``), numbered 1, 2 …
in that order, with the parameters of the seed (seed 0: the site's numbers), printed by Chromium with
the site's stylesheets into ``worksheets/``: a student edition (a Name / Class / Date line and ruled
space for each answer) and an answer key (the worked answers for those numbers, without the site's
code, which is written for seed 0). The same seed and questions give the same bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import tempfile
from pathlib import Path

import markdown
from mkdocs.config import load_config

from guide_build import ROOT, browser, handouts, katex, practice
from guide_build.mkdocs import mkdocs_build

OUT = ROOT / "worksheets"
ANSWER = '??? success "Answer"\n'
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ ]*$\n?", re.M | re.S)


def select(questions: list[practice.Question], spec: str) -> list[practice.Question]:
    """The questions ``spec`` names: comma-separated ids, chapter page names (``diffusion``), or ``all``."""
    by_id = {q.id: q for q in questions}
    chapters = {q.page.removesuffix(".md") for q in questions}
    chosen: list[practice.Question] = []
    for name in (n.strip() for n in spec.split(",")):
        if name == "all":
            chosen += questions
        elif name in by_id:
            chosen.append(by_id[name])
        elif name in chapters:
            chosen += [q for q in questions if q.page == f"{name}.md"]
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


def worksheet_markdown(questions: list[practice.Question], seed: int) -> str:
    """The questions for ``seed``, each with its worked answer in a collapsed block, without the code
    (written for seed 0) and the paragraphs that introduce it."""
    parts = []
    for number, question in enumerate(questions, 1):
        text, marker, answer = practice.question_markdown(question, number, seed=seed).partition(ANSWER)
        paragraphs = FENCE.sub("", answer).split("\n\n")
        parts.append(text + marker + "\n\n".join(p for p in paragraphs if not ABOUT_CODE.search(p)))
    return "\n".join(parts)


def _html(text: str) -> str:
    config = load_config(str(ROOT / "mkdocs.yml"))
    converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    cwd = os.getcwd()
    os.chdir(ROOT)  # pymdownx.snippets reads from the repository
    try:
        converted = converter.convert(text)
    finally:
        os.chdir(cwd)
    # links within the worksheet: the questions are renumbered, so "question N" of the site is dropped
    return re.sub(r'<a href="[^"]*">(.*?)</a>', r"\1", converted)


def document(site: Path, questions: list[practice.Question], seed: int, edition: str) -> str:
    """The print document of one edition, with the built site's stylesheets and fonts (file URLs, so
    that the document can be anywhere and nothing is written into the site)."""
    formulas = katex.Formulas()
    body = formulas.take({"worksheet": _html(worksheet_markdown(questions, seed))})["worksheet"]
    title = f"Worksheet, seed {seed}"
    heading = f'<h1 id="worksheet">{title}</h1>' + (handouts.NAME_LINE if edition == "student" else "")
    chapter = handouts.Chapter(0, "practice", "Practice questions", "practice/")
    body = handouts._edition(heading + body, edition)
    label = "Student edition" if edition == "student" else "Answer key"
    text = handouts._document(site, chapter, f"{title}: {label}", body).replace(
        'href="../../', f'href="{site.as_uri()}/'
    )
    return formulas.put(text, f"{site.as_uri()}/assets/katex/fonts")


async def _print(documents: dict[Path, Path], chromium: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chrome = await playwright.chromium.launch(executable_path=chromium, args=browser.FLAGS)
        context = await chrome.new_context()
        for source, pdf in documents.items():
            pdf.write_bytes(await handouts.print_pdf(context, source))
        await chrome.close()


def build(seed: int, spec: str, site: Path = ROOT / "site", out: Path = OUT) -> list[Path]:
    """Write the student edition and answer key of a worksheet; returns their paths."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"SEED must be a whole number >= 0, got {seed!r}")
    chosen = select(practice.load(), spec)
    chromium = browser.find_chromium()
    if chromium is None:
        raise ValueError("worksheets are printed by Chromium: apt-get install chromium, or set CHROMIUM")
    if not (site / "practice" / "index.html").is_file():
        print(f"building the site into {site} for its stylesheets")
        result = mkdocs_build(site, {**os.environ, "HANDOUTS": "0"})
        if result.returncode:
            raise RuntimeError(result.stdout + result.stderr)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        documents = {}
        for edition in handouts.EDITIONS:
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
