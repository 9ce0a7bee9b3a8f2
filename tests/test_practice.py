"""The question bank (includes/questions/, src/guide_build/practice.py): every answer computed by the
package for the published seed and for others, every choice explained, ids stable, and the pages
made from it; the planted mistakes show that the checks can fail, naming the file and line."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest

from guide_build import ROOT, practice

QUESTIONS = practice.load()
SEEDS = range(30)


def test_the_bank_holds_forty_questions_and_every_chapter_with_a_self_check_has_its_own():
    assert len(QUESTIONS) >= 40, f"{len(QUESTIONS)} questions in the bank"
    for page in sorted((ROOT / "docs").rglob("*.md")):
        if "<!-- questions: self-check -->" in page.read_text(encoding="utf-8"):
            name = page.relative_to(ROOT / "docs").as_posix()
            assert [q for q in QUESTIONS if q.page == name], f"{name} has a self-check but no questions"


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_every_answer_is_computed_for_every_seed_and_no_slip_is_right(question):
    """For 30 seeds: the text fills in, each numeric answer is a finite number, and no common slip is
    within the tolerance of the answer (its hint would then contradict a right result)."""
    for seed in SEEDS:
        practice.render_text(question.question, question, seed, "question")
        practice.render_text(question.solution, question, seed, "solution")
        for part, computed in zip(question.parts, practice.answers(question, seed), strict=True):
            for name, value in computed.items():
                if name != "answer":
                    assert abs(value - computed["answer"]) > part.tolerance, f"seed {seed}: {name} is right"


PARAMETRISED = [q for q in QUESTIONS if q.params]


def test_seed_zero_is_the_published_numbers_and_other_seeds_draw_new_ones():
    assert len(PARAMETRISED) >= 4
    for question in PARAMETRISED:
        assert practice.draw(question, 0) == {name: spec["value"] for name, spec in question.params.items()}
        drawn = [practice.draw(question, seed) for seed in SEEDS]
        assert drawn == [practice.draw(question, seed) for seed in SEEDS], f"{question.id}: a seed drew twice apart"
        possible = math.prod(
            len(spec["choices"])
            if "choices" in spec
            else round((spec["range"][1] - spec["range"][0]) / spec["range"][2]) + 1
            for spec in question.params.values()
        )
        distinct = len({tuple(d.items()) for d in drawn})
        assert distinct >= min(5, possible), f"{question.id}: 30 seeds drew {distinct} of {possible} possible sets"
        for values in drawn:
            for name, spec in question.params.items():
                if "choices" in spec:
                    assert values[name] in spec["choices"]
                else:
                    low, high, _ = spec["range"]
                    assert low <= values[name] <= high, f"{question.id}: {name} = {values[name]} outside {low}..{high}"


def test_the_published_answers_are_the_ones_the_worked_answers_state():
    """Seed 0 of the first question is the study sheet's: -ln 0.3, about 1.204 nats."""
    question = next(q for q in QUESTIONS if q.id == "q-cross-entropy-one-token")
    assert round(practice.answers(question, 0)[0]["answer"], 3) == 1.204
    assert "0.5, 0.3 and 0.2" in practice.question_markdown(question, 1)
    drawn = practice.draw(question, 3)
    assert f"0.5, {drawn['p']} and {round(0.5 - drawn['p'], 2)}" in practice.question_markdown(question, 1, seed=3)


def test_a_removed_question_is_retired_not_forgotten():
    """Every question file ever committed still exists or its id is under retired: in the index, so
    that no id is reused for another question (links and saved progress name them)."""
    log = subprocess.run(
        ["git", "log", "--format=", "--name-only", "--diff-filter=A", "--", "includes/questions/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ever = {Path(line).stem for line in log.splitlines() if line.endswith(".md")}
    index = (ROOT / "includes" / "questions" / "index.yml").read_text(encoding="utf-8")
    current = {q.id for q in QUESTIONS}
    forgotten = sorted(i for i in ever - current if not re.search(rf"^\s*-\s*{re.escape(i)}\s*$", index, re.M))
    assert not forgotten, f"questions removed without retiring their ids in index.yml: {forgotten}"


# --- planted mistakes ------------------------------------------------------------------------------

GOOD = """---
title: Two plus two
practises: "[The forward process](diffusion.md#the-forward-process)"
params:
  a: {value: 2, range: [1, 9, 1]}
values:
  total: a + 2
parts:
  - kind: numeric
    label: The sum
    answer: total
    tolerance: 0.5
    slips:
      - answer: a * 3
        hint: That multiplies.
  - kind: choice
    label: Even?
    choices:
      - text: "Yes"
        correct: true
        why: Four is even.
      - text: "No"
        correct: false
        why: It is.
---

What is {{ a }} + 2?

## Answer

{{ total }}.
"""


def bank(tmp_path: Path, text: str = GOOD, listed: str = "[q-two]", retired: str = "[]") -> Path:
    folder = tmp_path / "questions"
    folder.mkdir(exist_ok=True)
    (folder / "q-two.md").write_text(text, encoding="utf-8")
    (folder / "index.yml").write_text(f"parts:\n  practice/p.md: {listed}\nretired: {retired}\n", encoding="utf-8")
    return folder


def test_a_good_question_loads(tmp_path):
    (question,) = practice.load(bank(tmp_path))
    assert question.id == "q-two" and question.page == "diffusion.md" and question.shown_on == "practice/p.md"
    assert practice.answers(question, 0)[0] == {"answer": 4, "slip 0": 6}
    markdown = practice.question_markdown(question, 7)
    practises = "Practises: [The forward process](diffusion.md#the-forward-process)\n{: .question-practises }"
    assert markdown.startswith(f'## Question 7: Two plus two {{#q-two data-answer-space="3.2"}}\n\n{practises}\n\n')
    assert "\n\nWhat is 2 + 2?" in markdown
    assert 'data-answer="4.0"' in markdown and 'role="radiogroup"' in markdown
    # each choice with its button from the start, so that nothing moves when practice.js starts
    radio = '1. <input type="radio" name="q-two-1" id="q-two-1-{0}" value="{0}"><label for="q-two-1-{0}">{1}</label>'
    assert radio.format(0, "Yes") + "\n" + radio.format(1, "No") in markdown
    on_paper = practice.question_markdown(question, 7, form=False)  # a worksheet: the lettered list
    assert "1. Yes\n1. No" in on_paper and "<input" not in on_paper
    assert "**(A) is right.** Four is even." in markdown  # the worked answer explains every choice
    # a wrong choice whose explanation links nowhere sends the reader to the section practised
    assert "**(B) is wrong.** It is. See [The forward process](diffusion.md#the-forward-process)." in markdown


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("        why: It is.\n", ""), r"q-two.md:\d+: each choice is text:, correct: .* and why:"),
        (
            ("        correct: false\n", "        correct: true\n"),
            r"q-two.md:\d+: a choice part needs .* exactly one correct",
        ),
        (("    tolerance: 0.5\n", ""), r"q-two.md:9: a numeric part needs answer: .* and tolerance:"),
        (
            ("      - answer: a * 3\n", "      - answer: a + 2.2\n"),
            r"q-two.md:8: the slip 'That multiplies.' is within the tol",
        ),
        (("What is {{ a }}", "What is {{ b }}"), r"q-two.md:27: 'b' is undefined"),
        (("  total: a + 2\n", "  total: a / 0\n"), r"q-two.md:6: value total = a / 0: division by zero"),
        (
            ("  - kind: numeric\n", "  - kind: number\n"),
            r"q-two.md:9: a part needs kind: one of numeric, .* \(got 'number'\)",
        ),
        (("title: Two plus two\n", "title: Two\ncolour: red\n"), r"q-two.md:3: unknown field 'colour'"),
        (
            ('practises: "[The forward process](diffusion.md#the-forward-process)"', "practises: diffusion.md"),
            r"q-two.md:3: practises must be a link",
        ),
        (("\n## Answer\n", "\nAnswer\n"), r"q-two.md:\d+: no '## Answer' line"),
        (
            ("parts:\n", "parts:\n  - kind: explain\n    label: Why\n"),
            r"q-two.md:9: an explain part needs checklist: \[the points a good answer must contain\]",
        ),
        (
            ("    label: The sum\n", "    label: (a) The sum\n"),
            r"q-two.md:8: the label 'Even\?' needs its letter, as the others have",
        ),
        (
            ("    label: The sum\n", "    label: The sum x_k\n"),
            r"q-two.md:9: a label is shown as plain text, not typeset; say 'x_k' in words",
        ),
        (
            ("hint: That multiplies.", "hint: That is $a^3$."),
            r"q-two.md:9: a slip's hint is shown as plain text, not typeset; say '\$' in words",
        ),
    ],
)
def test_a_mistake_in_a_question_names_its_file_and_line(tmp_path, change, message):
    with pytest.raises(practice.BankError, match=message):
        practice.load(bank(tmp_path, GOOD.replace(*change)))


def test_an_answer_in_words_ends_with_what_a_good_answer_must_contain(tmp_path):
    explain = "  - kind: explain\n    label: Why\n    checklist:\n      - 'the sum is $4$;'\n"
    explain += "      - why it is even.\n"
    (question,) = practice.load(bank(tmp_path, GOOD.replace("parts:\n", "parts:\n" + explain)))
    worked = practice.worked_markdown(question, 0)
    assert worked.endswith("A good answer to *Why* must contain:\n\n- the sum is $4$;\n- why it is even.")
    assert worked in practice.question_markdown(question, 1).replace("\n    ", "\n")  # in the collapsed answer
    for real in practice.load():  # and every part of the bank to answer in words has its checklist
        for part in (p for p in real.parts if p.kind == "explain"):
            assert part.checklist and "\n".join(f"- {c}" for c in part.checklist) in practice.worked_markdown(real, 0)


@pytest.mark.parametrize(
    ("listed", "retired", "message"),
    [
        ("[]", "[]", r"q-two.md: not listed in .*index.yml"),
        ("[q-two, q-gone]", "[]", r"index.yml: q-gone is listed but q-gone.md does not exist"),
        ("[q-two]", "[q-two]", r"index.yml: q-two is both listed and retired"),
        ("[q-two, q-two]", "[]", r"index.yml: q-two is listed twice"),
    ],
)
def test_the_index_lists_every_question_once(tmp_path, listed, retired, message):
    with pytest.raises(practice.BankError, match=message):
        practice.load(bank(tmp_path, listed=listed, retired=retired))


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("parts: [q-two]", r"index.yml: parts must map each Practice page .* to a list of question ids"),
        ("parts:\n  practice/p.md: q-two", r"index.yml: parts must map each Practice page"),
        ("parts:\n  practice p: [q-two]", r"index.yml: practice p is not a page of docs/"),
    ],
)
def test_the_index_names_the_page_of_each_question(tmp_path, index, message):
    folder = bank(tmp_path)
    (folder / "index.yml").write_text(index + "\n", encoding="utf-8")
    with pytest.raises(practice.BankError, match=message):
        practice.load(folder)


def test_an_edited_bank_is_read_again(tmp_path):
    """load() reads a bank once for the same files; an edit, even of one character, is seen."""
    folder = bank(tmp_path)
    assert practice.load(folder) == practice.load(folder)
    (folder / "q-two.md").write_text(GOOD.replace("{{ a }} + 2", "{{ a }} + 3"), encoding="utf-8")
    (question,) = practice.load(folder)
    assert "+ 3" in question.question and "+ 2" not in question.question


def test_a_chapter_short_answer_says_what_an_answer_in_words_must_contain(tmp_path):
    """A part to explain in words has no result to show: the chapter's short answer (and so its printed
    answer key) gives its checklist, as the worked answer does, not only a link to the worked answer."""
    explain = "  - kind: explain\n    label: Why\n    checklist:\n      - 'it adds two;'\n      - 'four is even.'\n---"
    folder = bank(tmp_path)
    (folder / "q-two.md").write_text(GOOD.replace("---\n\nWhat", explain + "\n\nWhat", 1), encoding="utf-8")
    questions = practice.load(folder)
    chapter = practice.fill_in("# D\n\n<!-- questions: self-check -->\n", "diffusion.md", questions, {})
    answer = chapter.split('??? success "Answer"', 1)[1]
    assert "A good answer to *Why* must contain:\n\n    - it adds two;\n    - four is even." in answer
    assert answer.index("four is even") < answer.index("The worked answer: [question 1]")


def test_a_bad_seed_is_refused(tmp_path):
    (question,) = practice.load(bank(tmp_path))
    for seed in (-1, 1.5, "7"):
        with pytest.raises(ValueError, match=rf"seed must be a whole number >= 0, got {seed!r}"):
            practice.draw(question, seed)


def test_pages_get_their_questions_and_links(tmp_path):
    questions = practice.load(bank(tmp_path))
    titles = {"diffusion.md": "Diffusion models"}
    chapter = practice.fill_in("# D\n\n<!-- questions: self-check -->\n", "diffusion.md", questions, titles)
    assert '### Question 1: Two plus two {#q-two data-answer-space="3.2"}' in chapter
    assert "The worked answer: [question 1](practice/p.md#q-two)." in chapter and "{{" not in chapter
    part = practice.fill_in(
        "# P\n\n<!-- questions: practice -->\n\nSee [](#q-two).", "practice/p.md", questions, titles
    )
    assert (
        '## Question 1: Two plus two {#q-two data-answer-space="3.2"}' in part and "See [question 1](#q-two)." in part
    )
    table = practice.fill_in("# P\n\n<!-- questions: overview -->\n", "practice/index.md", questions, titles)
    assert "| [Diffusion models](../diffusion.md) | [1](p.md#q-two)" in table and "Question 1" not in table
    assert "See [question 1](practice/p.md#q-two)." in practice.fill_in("See [](#q-two).", "llms.md", questions, titles)
    with pytest.raises(practice.BankError, match=r"docs/practice/q.md: .* lists no questions for it"):
        practice.fill_in("<!-- questions: practice -->", "practice/q.md", questions, titles)
    with pytest.raises(practice.BankError, match=r"docs/llms.md: \[\]\(#q-none\) names no question"):
        practice.fill_in("[](#q-none)", "llms.md", questions, titles)
    with pytest.raises(practice.BankError, match=r"docs/llms.md: .* but no question practises this page"):
        practice.fill_in("<!-- questions: self-check -->", "llms.md", questions, titles)


def test_a_section_of_a_chapter_folder_is_listed_with_its_chapter():
    titles = {"index.md": "Home", "a.md": "A", "f/index.md": "F", "f/s.md": "S", "notebooks/n.ipynb": "N"}
    assert practice.section_titles(titles) == {
        "index.md": "Home",
        "a.md": "A",
        "f/index.md": "F",
        "f/s.md": "F: S",
        "notebooks/n.ipynb": "N",
    }
