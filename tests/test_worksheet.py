"""``make worksheet`` (src/guide_build/worksheet.py): two seeds give two worksheets with different
numbers, each answer key with the answers the package computes for its numbers; the same seed gives
the same bytes; a student edition holds no answer."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from guide_build import practice, worksheet
from tests.helpers import normalise, pdf_text

QUESTIONS = practice.load()
CHOSEN = "q-cross-entropy-one-token,q-time-to-generate-images,q-model-calls-for-a-reply,q-ddpm-against-ddim"


def test_questions_are_chosen_by_id_or_chapter_once_each_in_the_order_named():
    chosen = worksheet.select(QUESTIONS, "q-ddpm-against-ddim, diffusion")
    assert chosen[0].id == "q-ddpm-against-ddim"
    diffusion = [q.id for q in QUESTIONS if q.page.startswith("diffusion/") and q.id != chosen[0].id]
    assert [q.id for q in chosen[1:]] == diffusion and len(diffusion) >= 5
    assert worksheet.select(QUESTIONS, "all") == QUESTIONS


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--seed", "7", "--questions", "q-no-such"], "QUESTIONS: 'q-no-such' is neither a question id"),
        (["--seed", "-1", "--questions", "all"], "SEED must be a whole number >= 0, got '-1'"),
        (["--seed", "seven", "--questions", "all"], "SEED must be a whole number >= 0, got 'seven'"),
    ],
)
def test_a_bad_argument_is_named_with_what_it_accepts(argv, message, capsys):
    assert worksheet.main(argv) == 2
    assert message in capsys.readouterr().err


def test_worksheet_markdown_leaves_out_the_code_written_for_seed_zero():
    text = worksheet.worksheet_markdown(worksheet.select(QUESTIONS, CHOSEN), 7)
    assert "```" not in text and "import " not in text and "The code" not in text
    assert "A few lines of code do it" in worksheet.worksheet_markdown(
        worksheet.select(QUESTIONS, "q-when-the-signal-fades"), 3
    )
    assert "## Question 1: Cross-entropy of one token" in text and "## Question 3: Model calls for" in text


def test_a_question_named_in_a_worksheet_is_named_by_its_title():
    """On the site ``[](#q-id)`` is a "question N" link; a worksheet numbers its questions afresh,
    so it names the question by its title (it once printed "(see )")."""
    named = [q for q in QUESTIONS if practice.REFERENCE.search(q.solution)]
    assert named, "no worked answer names another question: this test checks nothing"
    for question in named:
        answer = worksheet._html(worksheet.worksheet_markdown([question], 0)).split("Answer", 1)[1]
        for match in practice.REFERENCE.finditer(question.solution):
            other = next(q for q in QUESTIONS if q.id == match["id"])
            assert f"question “{practice.render_text(other.title, other, 0, 'title')}”" in answer
        assert not re.search(r"\((see )?\)|\band \.", answer), answer


def test_the_worksheet_page_holds_the_bank_and_each_seed_file_its_parametrised_questions(tmp_path, monkeypatch):
    """The site's worksheet page: every question at seed 0, with a box sized by its written parts;
    a seed's file: the parametrised questions only, with that seed's numbers (the same text as
    ``make worksheet``)."""
    monkeypatch.setenv("GUIDE_CACHE", str(tmp_path))
    titles = {"llms.md": "LLMs", "diffusion.md": "Diffusion", "generative-ai.md": "AI", "comparison.md": "x"}
    titles |= {q.page: q.page for q in QUESTIONS}
    page = worksheet.page_html(QUESTIONS, titles)
    sections = re.findall(r'<section class="worksheet-question" data-question="([^"]+)"', page)
    pages = [next(q.page for q in QUESTIONS if q.id == s) for s in sections]
    assert sorted(sections) == sorted(q.id for q in QUESTIONS) and pages == sorted(pages, key=list(titles).index)
    boxes = re.findall(r'name="question" value="([^"]+)"', page)  # by chapter
    assert sorted(boxes) == sorted(q.id for q in QUESTIONS)
    heights = dict(re.findall(r'data-question="([^"]+)".*?class="answer-space"[^>]*height: ([\d.]+)cm', page, re.S))
    assert heights["q-time-to-generate-images"] == "4.8"  # two numbers to write
    assert heights["q-pixels-and-token-ids"] == "1.6"  # letters to tick
    fragment = worksheet.seed_fragment(QUESTIONS, 7)
    assert re.findall(r'data-question="([^"]+)"', fragment) == [q.id for q in QUESTIONS if q.params]
    question = next(q for q in QUESTIONS if q.id == "q-cross-entropy-one-token")
    start = fragment.index(f'data-question="{question.id}"')
    first = fragment[start : fragment.index("</section>", start)]
    loss = {seed: practice.answers(question, seed)[0]["answer"] for seed in (0, 7)}
    assert f"{loss[7]:.3f}" in first and f"{loss[0]:.3f}" not in first
    ours = re.sub(r"\s+", " ", worksheet._html(worksheet.worksheet_markdown([question], 7)))
    start = re.sub(r"\s+", " ", first).index("<p>")
    assert re.sub(r"\s+", " ", first)[start:][:200] in ours, "the page's text differs from make worksheet's"


def plain_sentences(markdown: str) -> list[str]:
    """The sentences of ``markdown`` that hold a number and no markup (no math, link, emphasis or
    code), as the PDF's text shows them, without hyphens: one that ends a printed line is lost there."""
    sentences = re.split(r"(?<=[.?!])\s+", " ".join(markdown.split()))
    found = [x for x in sentences if re.search(r"\d", x) and not re.search(r"[$\[*`|]", x)]
    return [normalise(x).replace("-", "") for x in found]


def build_apart(*args, **kwargs) -> list[Path]:
    """``worksheet.build`` in a thread of its own: a browser test in this process leaves Playwright's
    event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(worksheet.build, *args, **kwargs).result()


@pytest.mark.build
def test_two_seeds_give_two_correct_worksheets_and_one_seed_the_same_bytes(site_dir: Path, tmp_path: Path):
    """Each question's sentences with numbers, filled in for the seed, are in the student edition, and
    those of its worked answer in the key only; the two seeds draw different numbers."""
    chosen = worksheet.select(QUESTIONS, CHOSEN)
    keys = {}
    for seed in (7, 8):
        student, key = build_apart(seed, CHOSEN, site=site_dir, out=tmp_path / str(seed))
        keys[seed] = key.read_bytes()
        # a hyphen that ends a printed line is lost in the text, so words are compared without hyphens
        key_text = normalise(" ".join(pdf_text(key))).replace("-", "")
        student_text = normalise(" ".join(pdf_text(student))).replace("-", "")
        assert "name" in student_text and "class" in student_text
        for question in chosen:
            asked = plain_sentences(practice.render_text(question.question, question, seed, "question"))
            solution = worksheet.FENCE.sub("", practice.render_text(question.solution, question, seed, "solution"))
            worked = [x for x in plain_sentences(solution) if not worksheet.ABOUT_CODE.search(x)]
            assert asked and worked, f"{question.id}: no plain sentence with a number to look for"
            for sentence in asked:
                assert sentence in student_text and sentence in key_text, f"seed {seed}: {sentence!r} not printed"
            for sentence in worked:
                assert sentence in key_text, f"seed {seed}: the key lacks {sentence!r}"
                assert sentence not in student_text, f"seed {seed}: the student edition shows {sentence!r}"
    assert keys[7] != keys[8]
    _, again = build_apart(7, CHOSEN, site=site_dir, out=tmp_path / "again")
    assert again.read_bytes() == keys[7], "the same seed printed different bytes"


def test_the_site_has_a_typeset_file_of_numbers_for_each_seed_of_the_worksheet_page(site_dir: Path):
    """Each seed the worksheet page lists has its file next to the page, with the parametrised
    questions and every formula typeset (the page fetches it; the browser runs no math script)."""
    page = (site_dir / "worksheet" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<option value="(\d+)"', page)
    assert listed == [str(s) for s in [0, *worksheet.SITE_SEEDS]]
    seeded = [q.id for q in QUESTIONS if q.params]
    for seed in worksheet.SITE_SEEDS:
        text = (site_dir / "worksheet" / worksheet.FRAGMENT.format(seed=seed)).read_text(encoding="utf-8")
        assert re.findall(r'data-question="([^"]+)"', text) == seeded, seed
        assert "arithmatex" not in text and "\\(" not in text and 'class="katex"' in text, seed
