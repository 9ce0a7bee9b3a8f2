"""PDF handouts: every chapter and the whole guide, in a student edition and an answer key."""

from __future__ import annotations

import asyncio
import html
import io
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from guide_build import handouts, plain_text, practice
from guide_build.browser import FLAGS, find_chromium
from guide_build.handouts import documents, plan, printing
from guide_build.mkdocs import page_url
from tests.helpers import build_project, normalise, pdf_text, smallest_text_px

CHAPTERS = [chapter.slug for chapter in handouts.chapters()]  # the nav, less pages with handout: false
EDITIONS = tuple(handouts.EDITIONS)
BOOKLET = handouts.BOOKLET


@pytest.fixture(scope="module")
def pdfs(site_dir: Path) -> dict[str, PdfReader]:
    return {p.stem: PdfReader(p) for p in sorted((site_dir / "handouts").glob("*.pdf"))}


@pytest.fixture(scope="module")
def pages_text(pdfs, site_dir: Path) -> dict[str, list[str]]:
    """pdftotext's text of each page of each handout, its blocks apart."""
    found = {name: pdf_text(site_dir / "handouts" / f"{name}.pdf") for name in pdfs}
    for name, reader in pdfs.items():
        assert len(found[name]) == len(reader.pages), f"{name}: pdftotext and pypdf count other pages"
    return found


@pytest.fixture(scope="module")
def texts(pages_text) -> dict[str, list[str]]:
    return {name: [normalise(page) for page in pages] for name, pages in pages_text.items()}


def test_every_chapter_and_the_booklet_exist_in_both_editions(pdfs, site_dir):
    expected = {f"{c}-{e}" for c in [*CHAPTERS, BOOKLET] for e in EDITIONS}
    assert set(pdfs) == expected
    assert not (site_dir / "handouts" / "_print").exists()  # no print documents left behind


PAGE_NUMBER = re.compile(r"\d+ ?/ ?\d+")


def without_footer(page: str) -> str:
    """A page's text (pdftotext's, its blocks apart) without the footer that every page but a booklet's
    cover ends with: the running title, then "n / m"."""
    blocks = [block.strip() for block in page.split("\n\n") if block.strip()]
    return " ".join(blocks[:-2] if blocks and PAGE_NUMBER.fullmatch(blocks[-1]) else blocks)


def test_page_counts_and_no_blank_pages(pdfs, pages_text):
    """No page holds nothing but its footer: the end of a chapter's last answer box alone once took
    a page (llms-student p. 33, and three chapter ends in the booklet)."""
    for name, reader in pdfs.items():
        # a chapter fits in 40 pages, the booklet of all of them in 300; the Practice chapter takes at most
        # a page and a half a question
        limit = 300 if name.startswith(BOOKLET) else 1.5 * len(practice.load()) if "practice" in name else 40
        assert 1 <= len(reader.pages) <= limit, f"{name}: {len(reader.pages)} pages"
        blank = [i + 1 for i, text in enumerate(pages_text[name]) if len(without_footer(text)) < 20]
        assert not blank, f"{name}: pages with nothing but their footer: {blank}"


def chapter_starts(reader: PdfReader) -> dict[str, int]:
    """The first page of each chapter of a booklet, from its bookmarks ("Chapter 2 Diffusion models")."""
    starts = {}
    for item in reader.outline:
        if not isinstance(item, list) and (found := re.match(r"(?i)chapter (\d+) ", item.title)):
            starts[int(found[1])] = reader.get_destination_page_number(item) + 1
    return starts


def test_booklet_has_cover_contents_and_numbered_chapters(texts, pdfs, site_dir):
    for edition, label in (("student", "student edition"), ("answer-key", "answer key")):
        pages = texts[f"{BOOKLET}-{edition}"]
        assert "diffusion models vs llms" in pages[0] and label in pages[0] and "content as of" in pages[0]
        assert "contents" in pages[1]
        starts = chapter_starts(pdfs[f"{BOOKLET}-{edition}"])
        assert sorted(starts) == [c.number for c in handouts.chapters()] and 3 <= starts[1] <= 5
        # the pages between the cover and chapter 1, each entry on its line with its page number
        booklet = site_dir / "handouts" / f"{BOOKLET}-{edition}.pdf"
        layout = ["pdftotext", "-layout", "-enc", "UTF-8", "-f", "2", "-l", str(starts[1] - 1), str(booklet), "-"]
        contents = normalise(subprocess.run(layout, capture_output=True, text=True, check=True).stdout)
        for chapter in handouts.chapters():
            number, start = chapter.number, starts[chapter.number]
            assert f"chapter {number} {normalise(chapter.title)}" in pages[start - 1], f"chapter {number}, p. {start}"
            entry = re.search(rf"\b{number}\. {re.escape(normalise(chapter.title))} (\d+)\b", contents)
            assert entry and int(entry[1]) == start, f"contents: chapter {number} listed at the wrong page"
        # the sections too: each h2 with the page its heading is on (the PDF's destination for its id)
        reader = pdfs[f"{BOOKLET}-{edition}"]
        destinations = reader.named_destinations.items()
        heading_page = {name.lstrip("/"): reader.get_destination_page_number(d) + 1 for name, d in destinations}
        for section, target in (
            ("the forward process", "diffusion-forward-process--the-forward-process"),  # a section of a folder
            ("the kv cache", "fast-generation--the-kv-cache"),
            ("image generators, scores and flows", "practice-images--image-generators-scores-and-flows"),
        ):
            entry = re.search(rf"\b{re.escape(section)} (\d+)\b", contents)
            assert entry and int(entry[1]) == heading_page[target], f"contents: {section!r} at the wrong page"


def test_booklet_cross_references_give_the_page_of_their_target(texts):
    """Each chapter's self-check sends the reader to the worked answer on the Practice chapter's
    page: "question 12 (p. 140)", in the answer key (the student edition has space to write instead).
    The Practice chapter comes after the chapters, so a question's heading found last is its heading there."""
    for edition in ("answer-key",):
        pages = texts[f"{BOOKLET}-{edition}"]
        heading = {int(m[1]): n for n, page in enumerate(pages, 1) for m in re.finditer(r"question (\d+): ", page)}
        listed = {
            int(m[1]): int(m[2])
            for page in pages
            for m in re.finditer(r"the worked answer: question (\d+) \(p\. (\d+)\)", page)
        }
        assert len(heading) == len(practice.load()), (edition, heading)
        assert listed and all(listed.get(q) == page for q, page in heading.items()), (edition, listed, heading)


def test_page_numbers_in_the_footer(texts):
    for name, pages in texts.items():
        total = len(pages)
        numbered = pages[1:] if name.startswith(BOOKLET) else pages  # the cover has no number
        for i, text in enumerate(numbered, total - len(numbered) + 1):
            assert re.search(rf"\b{i} ?/ ?{total}\b", text), f"{name}: page {i} has no page number"


def test_footers_name_the_chapter_and_student_editions_ask_for_name_class_and_date(texts, pdfs, site_dir):
    """The booklet's footer names the chapter of its page; a student edition opens with a line for the
    student's name, class and date (the booklet on its cover). A chapter without answers has one
    handout for both, and no such line."""
    for edition in EDITIONS:
        pages = texts[f"{BOOKLET}-{edition}"]
        starts = sorted(chapter_starts(pdfs[f"{BOOKLET}-{edition}"]).items())
        for (number, start), (_, end) in zip(starts, [*starts[1:], (None, len(pages) + 1)], strict=True):
            title = normalise(next(c.title for c in handouts.chapters() if c.number == number))
            unnamed = [n for n in range(start, end) if f"chapter {number}: {title}" not in pages[n - 1]]
            assert not unnamed, f"{BOOKLET}-{edition}: pages of chapter {number} whose footer lacks it: {unnamed}"

    def differs(name: str) -> bool:  # from the answer key of the same chapter
        key = site_dir / "handouts" / f"{name.removesuffix('-student')}-answer-key.pdf"
        return (site_dir / "handouts" / f"{name}.pdf").read_bytes() != key.read_bytes()

    students = [name for name in texts if name.endswith("-student") and differs(name)]
    assert f"{BOOKLET}-student" in students and "practice-student" in students
    for name in students:
        assert re.search(r"\bname\b.*\bclass\b.*\bdate\b", texts[name][0], re.S), f"{name}: no name line"


class ProseParser(HTMLParser):
    """Text of HTML with formulas and code replaced by a "|" break, and a break at each paragraph or
    list item (a page may end between two, and the footer's text then comes between them)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if not self.skip and tag in ("p", "li", "div", "td", "th", "dd"):
            self.parts.append("|")
        if self.skip or "katex" in classes.split() or tag in ("code", "pre", "summary"):
            if self.skip == 0:
                self.parts.append("|")
            self.skip += tag not in VOID

    def handle_endtag(self, tag):
        if self.skip and tag not in VOID:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


VOID = {"br", "img", "hr", "input", "meta", "link"}


WORKED_ANSWER = re.compile(r'<details class="success"[^>]*>(.*?)</details>', re.S)


def prose(html_text: str) -> list[list[str]]:
    """The stretches of prose of ``html_text`` (no formula, no code), each as its words."""
    parser = ProseParser()
    parser.feed(html_text)
    return [normalise(s).split() for s in "".join(parser.parts).split("|")]


def answers(site_pages: dict[str, str], pages: list[str]) -> list[str]:
    """Six words of prose (no formula, no code) from each worked answer on built pages, six that no
    chapter of the handouts has outside its worked answers (a chapter may say what an answer says):
    found in a handout, they show that the answer is there."""
    chapters = [site_pages[f"{url}index.html"] for chapter in handouts.chapters() for url in chapter.urls]
    elsewhere = {
        " ".join(words[i : i + 6])
        for text in chapters
        for words in prose(WORKED_ANSWER.sub("", text))
        for i in range(len(words) - 5)
    }
    runs = []
    for page, block in ((path, block) for path in pages for block in WORKED_ANSWER.findall(site_pages[path])):
        stretches = sorted(prose(block), key=len, reverse=True)  # the longest first: the most its own
        windows = [" ".join(words[i : i + 6]) for words in stretches for i in range(len(words) - 5)]
        own = [window for window in windows if window not in elsewhere]
        assert own, f"{page}: an answer has no six words of prose of its own outside formulas and code"
        runs.append(own[0])
    return runs


def test_student_edition_leaves_out_every_worked_answer_and_the_key_has_them(site_pages, texts):
    for chapter in ("practice", "mistakes"):
        urls = next(c for c in handouts.chapters() if c.slug == chapter).urls  # a folder: each of its pages
        runs = answers(site_pages, [f"{url}index.html" for url in urls])
        assert runs, chapter
        for document in (chapter, BOOKLET):
            student = " ".join(texts[f"{document}-student"])
            key = " ".join(texts[f"{document}-answer-key"])
            leaked = [r for r in runs if r in student]
            missing = [r for r in runs if r not in key]
            assert not leaked, f"{document}-student shows worked answers: {leaked}"
            assert not missing, f"{document}-answer-key lacks worked answers: {missing}"
    student, key = " ".join(texts["practice-student"]), " ".join(texts["practice-answer-key"])
    for number in ("1.204", "48 s"):  # as a result, not as "48 side by side" in the table of questions
        result = re.compile(rf"\b{re.escape(number)}\b")
        assert not result.search(student) and result.search(key), number
    assert student.count("your answer") >= 15  # room to write under every question


def test_lists_print_their_numbers_and_bullets(texts):
    """Material places list markers, admonition titles and quotation bars under ``[dir=ltr]``, which
    the print documents take from the page's ``<body>``; without it the markers fall off the page.
    (Numbers are text in the PDF; bullets are drawn shapes, seen in the rendered pages.)"""
    diffusion = " ".join(texts["diffusion-answer-key"])
    for step in ("1. take a clean example", "2. draw a timestep", "5. take a gradient step"):
        assert step in diffusion, f"DDPM's training algorithm lost its numbering: {step!r}"
    practice = " ".join(texts["practice-student"])
    assert "how to use these pages: 1. read the question" in practice, "the practice steps lost their numbers"
    for edition in EDITIONS:  # the booklet's cover lists the home page's learning objectives, numbered
        cover = texts[f"{BOOKLET}-{edition}"][0]
        assert "learning objectives" in cover and "1. explain what generative ai is" in cover, cover[:600]
        assert "9. describe models that cross the boundaries" in cover, f"{edition}: an objective is missing"


WEB_INSTRUCTIONS = re.compile(
    r"\b(open the (collapsed|answers?)|click|holding the pointer|hover over|under the pointer|on the website"
    r"|in this browser|press check)\b"
)
"""What a reader can do only on the website, said as an instruction."""


def test_handouts_give_no_web_instructions(texts):
    for name, pages in texts.items():
        found = {m[0] for page in pages for m in WEB_INSTRUCTIONS.finditer(page)}
        assert not found, f"{name} tells the reader to do what paper cannot: {sorted(found)}"


def test_formulas_are_text_not_latex(texts):
    booklet = " ".join(texts[f"{BOOKLET}-answer-key"])
    assert "softmax" in booklet and "attention" in booklet
    for raw in ("\\frac", "\\sqrt", "\\bar", "$$", "\\alpha"):
        assert raw not in booklet, f"raw LaTeX {raw!r} in the PDF text"


def test_the_formula_sheet_is_its_formulas_and_symbols_on_two_pages(texts, pdfs, site_pages):
    """formulas.md says ``handout: sheet``: its handout keeps every formula under its name and every
    symbol of the notation tables with its meaning, and leaves out the code (the booklet prints the
    whole page). The text is read in the order Chromium drew it, cell after cell (pypdf): pdftotext
    orders a table's text by position, and can put a symbol between two lines of its meaning."""
    sheet = texts["formulas-student"]
    assert len(sheet) <= 2, f"the formula sheet has {len(sheet)} pages"
    text = " ".join(normalise(page.extract_text()) for page in pdfs["formulas-student"].pages)
    formulas, _, notation = site_pages["formulas/index.html"].partition('<h2 id="notation">')
    names = re.findall(r"<h3 id=[^>]*>(.*?)<a class=\"headerlink\"", formulas)
    assert len(names) >= 20
    for name in names:
        assert normalise(plain_text(name)) in text, name
    rows = re.findall(r"<tr>\s*<td>.*?</td>\s*<td>(.*?)</td>", notation, re.S)
    meanings = [normalise(plain_text(row)) for row in rows if "katex" not in row]
    assert len(rows) >= 50 and len(meanings) >= 20
    assert [meaning for meaning in meanings if meaning not in text] == [], "symbols missing from the sheet"
    assert "symbol" in text and "import" not in text and "assert" not in text  # normalise() lowercases
    booklet = " ".join(texts[f"{BOOKLET}-student"])
    assert normalise("from diffusion_vs_llms.schedules import NoiseSchedule") in booklet
    assert "download>Formula sheet (PDF)</a>" in site_pages["formulas/index.html"]


def test_every_question_starts_on_the_page_of_its_answer(site_dir):
    """A question's heading and its worked answer (answer key) or the box to write it in (student
    edition) begin on the same page: the reader does not turn the page to find where to answer."""
    for edition, label in (("answer-key", "Answer"), ("student", "Your answer")):
        questions, page_of = 0, {}
        for number, text in enumerate(pdf_text(site_dir / "handouts" / f"practice-{edition}.pdf"), 1):
            for line in text.splitlines():
                if re.match(r"Question \d+:", line):
                    page_of["question"] = (line, number)
                elif line.strip() == label and "question" in page_of:
                    heading, start = page_of.pop("question")
                    questions += 1
                    assert number == start, f"practice-{edition}: {heading!r} on page {start}, its answer on {number}"
        bank = len(practice.load())
        assert questions == bank, f"practice-{edition}: {questions} questions with an answer found, {bank} in the bank"


def test_a_worked_answers_title_never_ends_a_page(site_dir):
    """In an answer key the green "Answer" title has its answer's first lines under it on its page: a
    title alone at the foot of a page, its answer on the next, says nothing (handouts.PAGINATE)."""
    alone = []
    for path in sorted((site_dir / "handouts").glob("*-answer-key.pdf")):
        for number, text in enumerate(pdf_text(path), 1):
            if path.name.startswith(BOOKLET) and number == 1:
                continue  # the booklet's cover has no footer
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            assert re.fullmatch(r"\d+ ?/ ?\d+", lines[-1]), f"{path.name} page {number}: no page number last"
            if lines[-3] == "Answer":  # before the footer's title and its page number
                alone.append(f"{path.name} page {number}")
    assert not alone, f"an answer's title alone at the foot of the page: {alone}"


def test_answer_boxes_are_as_tall_as_the_question_has_parts_to_write(site_dir, tmp_path):
    """In the student edition each question's box is as tall as the bank gives it (4 ruled lines for
    the first part to write, 2 more for each further one, 2 for letters alone): the height that the
    worksheet page and the printed worksheets use too. Read from the print layout in Chromium.

    A tall question's box may go on over the page, but between its ruled rows only: two rows (the
    label's and one to write on) stay under the question, and the rest are rows of their own, none
    split, the last two together (once only the label stayed, or a sliver of a row went over)."""
    chapter = next(c for c in handouts.chapters() if c.slug == "practice")
    document = tmp_path / "practice-student.html"
    base = f'<base href="{(site_dir / "handouts" / "_print").as_uri()}/">'  # its URLs are relative to there
    text = documents.chapter_document(site_dir, chapter, handouts.chapters(), "student", "Guide", "")
    document.write_text(text.replace("<head>", "<head>" + base, 1), encoding="utf-8")
    (width, height), (top, side, bottom) = plan.PAGE_MM[handouts.paper()], plan.MARGIN_MM
    px = 96 / 25.4

    async def boxes() -> list:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=find_chromium(), args=FLAGS)
            try:
                page = await browser.new_page(viewport={"width": round((width - 2 * side) * px), "height": 900})
                await page.emulate_media(media="print")
                await page.goto(document.as_uri(), wait_until="load")
                await page.evaluate(printing.PAGINATE, (height - top - bottom) * px * printing.KEEP_WHOLE)
                return await page.evaluate(
                    """() => {  // a tall question's box may be in two pieces (to start on the page of its heading)
                        const heights = {}, splits = [];
                        for (const box of document.querySelectorAll(".answer-space")) {
                            const id = box.closest(".question").querySelector("h2, h3").id;
                            heights[id] = (heights[id] || 0) + box.getBoundingClientRect().height;
                        }
                        for (const rest of document.querySelectorAll(".answer-space--continued")) {
                            const rows = [...rest.children].map(row => getComputedStyle(row));
                            const start = rest.parentElement.querySelector(".answer-space--continues");
                            splits.push({
                                before: start.getBoundingClientRect().height,
                                rows: rows.length,
                                whole: rows.every(row => row.breakInside === "avoid"),
                                last: rows.length ? rows.at(-1).breakBefore : null,
                            });
                        }
                        return [heights, splits];
                    }"""
                )
            finally:
                await browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:  # the browser tests' sync Playwright may hold this loop
        found, splits = pool.submit(lambda: asyncio.run(boxes())).result()
    bank = practice.load()
    expected = {f"{chapter.prefix(page_url(q.shown_on))}--{q.id}": practice.answer_space_cm(q) for q in bank}
    assert sorted(found) == sorted(expected), "a question without its box, or a box outside a question"
    wrong = {i: round(found[i] / px / 10, 2) for i in expected if abs(found[i] / px / 10 - expected[i]) > 0.01}
    assert not wrong, f"boxes (cm) not as tall as the bank says: {wrong}"
    assert {practice.answer_space_cm(q) for q in bank} >= {1.6, 3.2, 4.8}  # letters, one part to write, two
    assert len(splits) >= 5, "no tall question's box goes on over a page: the check below checks nothing"
    for split in splits:
        assert round(split["before"] / px / 10, 2) == 1.6 and split["rows"] >= 2, split
        assert split["whole"] and split["last"] == "avoid", split


def inked(pdf: Path, page: int) -> np.ndarray:
    """The rows of ``page``'s text area (inside the margins) that hold ink, drawn at 60 dpi: where each
    ends, as a part of the area from its top. At 30 dpi an answer box's ruled lines (0.3 mm) fall
    between two pixel rows too light to count as ink."""
    from PIL import Image

    (_, paper_height), (top, _, bottom) = plan.PAGE_MM[handouts.paper()], plan.MARGIN_MM
    with tempfile.TemporaryDirectory() as folder:
        command = ["pdftoppm", "-r", "60", "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*command, str(pdf), f"{folder}/page"], check=True)
        pixels = np.asarray(Image.open(f"{folder}/page.png").convert("L"))
    rows = pixels.shape[0]
    area = pixels[round(rows * top / paper_height) : round(rows * (1 - bottom / paper_height))]
    return (np.flatnonzero((area < 200).any(axis=1)) + 1) / len(area)


def emptiness(pdf: Path, pages: list[Page], drawn_above: float) -> list[float]:
    """For each page, the part of the text area (inside the margins) below the last line of ink.

    The ink ends no higher than the last line of text, give or take the descent of its letters (a few
    hundredths of the area), and lower when a figure or an answer box (ink, not text) comes after it.
    So a page is drawn only when its text leaves more than ``drawn_above`` of the area empty (pass a
    value that much below the emptiness that matters); for the others the part below their text is
    given (:func:`inked`). ``pages``: the PDF's, from :func:`lines_of`."""
    found = []
    for number, (lines, top, area) in enumerate(pages, 1):
        below_text = 1 - (min(max((bottom for _, bottom, _ in lines), default=top), top + area) - top) / area
        if below_text <= drawn_above:
            found.append(below_text)
            continue
        ink = inked(pdf, number)
        found.append(1 - (ink[-1] if len(ink) else 0))
    return found


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
PAGE_SIZE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">')
HEADING_PT = 13
"""Words taller than this (in points, from the top of the tallest letter to the bottom of the lowest)
are a heading's: body text is 11.5 pt tall, a section's heading 17.9 and a question's 14.3 on a
Practice page; a question in a chapter's "Check yourself" is about 11.5 pt, as tall as body text."""

SECTION_TITLE = re.compile(r"(?!Question )[A-Z][a-z]+\b[^=]*")
"""A section's title (in full): not a question's, nor a formula's pieces (KaTeX's tall symbols make
lines of their own: "FID = ...") nor a wrapped title's second line."""


def section_heading(line: Line) -> bool:
    return is_heading(line) and SECTION_TITLE.fullmatch(line[2]) is not None


ROWS = re.search(r"ROW_CM = ([\d.]+), ROWS_BEFORE = (\d+)", printing.PAGINATE)
ROWS_BEFORE_PT = float(ROWS[1]) * int(ROWS[2]) / 2.54 * 72
"""How far a box to write in reaches below its top before it may go over the page (handouts.PAGINATE):
its first ruled rows, the label's and one to write on, in points."""


Line = tuple[float, float, str]
Page = tuple[list[Line], float, float]


def bbox_pages(pdf: Path) -> list[str]:
    """pdftotext's words with their boxes, a string per page."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    return ["<page " + words for words in text.decode("utf-8").split("<page ")[1:]]


def lines_of(page: str) -> Page:
    """The lines of a page of :func:`bbox_pages` inside its text area (not the footer), from the top,
    each as (top, bottom, text) in points; and the top and the height of the text area."""
    height = float(PAGE_SIZE.search(page)[1])
    (_, paper_height), (top_mm, _, bottom_mm) = plan.PAGE_MM[handouts.paper()], plan.MARGIN_MM
    top, area = height * top_mm / paper_height, height * (1 - (top_mm + bottom_mm) / paper_height)
    lines: dict[int, list[tuple[float, float, str]]] = {}  # (left, bottom, word) by the line's top in points
    for left, word_top, bottom, word in WORD.findall(page):
        if float(word_top) < top + area:
            lines.setdefault(round(float(word_top)), []).append((float(left), float(bottom), word))
    found = []
    for line_top in sorted(lines):
        words = sorted(lines[line_top])
        found.append((line_top, max(bottom for _, bottom, _ in words), " ".join(word for _, _, word in words)))
    return found, top, area


@pytest.fixture(scope="module")
def booklet_pages(site_dir: Path) -> dict[str, list[Page]]:
    """Each booklet's pages (:func:`lines_of`), read once for the tests that read their lines."""
    return {
        edition: [lines_of(page) for page in bbox_pages(site_dir / "handouts" / f"{BOOKLET}-{edition}.pdf")]
        for edition in EDITIONS
    }


def is_heading(line: Line) -> bool:
    return line[1] - line[0] >= HEADING_PT


def question_start(pdf: Path, number: int, page: Page) -> float | None:
    """If ``page`` begins with a heading and then a question (its section's heading and opening paragraph
    may come first): how much of the text area, from the top, handouts.PAGINATE keeps together. That is
    the whole question when it is kept whole (no taller than printing.KEEP_WHOLE of the area), up to the
    ink above the next question or section; else its start: in an answer key to the first line under its "Answer"
    title, in a student edition to the end of the first ruled rows of its box. Otherwise None.
    ``page`` is page ``number`` of ``pdf``, from :func:`lines_of`."""
    lines, top, area = page
    texts = [text for _, _, text in lines]
    questions = [i for i, text in enumerate(texts) if text.startswith("Question ")]
    if not lines or not is_heading(lines[0]) or not questions:
        return None
    first = questions[0]
    after = [i for i in range(first + 1, len(lines)) if i in questions or section_heading(lines[i])]
    below = (lines[after[0]][0] - top) / area if after else 1
    ink = inked(pdf, number)
    whole = ink[ink <= below].max()
    if whole - (lines[first][0] - top) / area <= printing.KEEP_WHOLE:
        return whole
    for title, reach in (("Answer", None), ("Your answer", ROWS_BEFORE_PT)):
        if title in texts[first:]:
            at = texts.index(title, first)
            if reach is not None:  # the label sits in the box's first row
                return (lines[at][0] + reach - top) / area
            return (lines[at + 1][1] - top) / area if at + 1 < len(lines) else None
    return None


BETWEEN_BLOCKS = 0.06
"""The space from the last line of a question's answer to the next question's heading, as a part of
the text area: the answer box's padding and border and the margins of the box and of the heading."""


MOST_EMPTY = 0.4
"""The most of a page's text area left empty below its last line, a chapter's last page aside."""


OPENING_LINES = 4
"""The most lines a section's heading and opening paragraph take before its first question."""


def last_question(lines: list[Line], empty: float) -> float | None:
    """If a chapter's last page, of ``lines`` and ``empty`` below them, holds only its last question (its
    section's heading and opening paragraph may come first): how much of the text area the question
    takes (a chapter's last question with a box to write in stays whole, handouts.PAGINATE). Otherwise None."""
    questions = [i for i, (_, _, text) in enumerate(lines) if text.startswith("Question ")]
    if len(questions) != 1 or any(section_heading(line) for line in lines[questions[0] :]):
        return None
    opening = questions[0] == 0 or (section_heading(lines[0]) and questions[0] <= OPENING_LINES)
    return 1 - empty if opening else None


def test_no_page_but_a_chapters_last_is_more_than_forty_percent_empty(site_dir, pdfs, booklet_pages):
    """Blocks that may not split would otherwise jump to the next page whole and leave the rest of
    theirs blank. Measured on the booklets, whose chapters are laid out as the chapter handouts.

    Only a question that could not start in the gap may leave more: its heading, its text, its
    answer's title and first line stay together (the page of a question is the page of its answer,
    and a title does not end a page), and some questions take 40 % of a page before their answer; a
    chapter's last question with its box to write in stays whole."""
    for edition in EDITIONS:
        booklet = pdfs[f"{BOOKLET}-{edition}"]
        path = site_dir / "handouts" / f"{BOOKLET}-{edition}.pdf"
        last_pages = {start - 1 for start in chapter_starts(booklet).values()} | {len(booklet.pages)}
        pages = booklet_pages[edition]
        empty = emptiness(path, pages, drawn_above=MOST_EMPTY - 0.05)
        too_empty = {n: e for n, e in enumerate(empty, 1) if e > MOST_EMPTY and n > 2 and n not in last_pages}
        needless = {}
        for n, e in too_empty.items():  # what had to go onto the next page (index n) whole
            last = last_question(pages[n][0], empty[n]) if n + 1 in last_pages else None
            start = last or question_start(path, n + 1, pages[n])
            if start is None or start + BETWEEN_BLOCKS < e:
                needless[n] = f"{e:.0%} empty; the next page starts with {start and f'a question of {start:.0%}'}"
        assert not needless, f"{BOOKLET}-{edition}: pages more than 40 % empty: {needless}"


def test_a_sections_heading_and_opening_go_with_its_first_question(booklet_pages):
    """A section's heading and opening paragraph do not end a page whose next page starts with the
    section's first question (print.css): a chapter's "Check yourself" and its introduction had ended
    a page 25 times in the handouts. Read from the booklets, whose chapters are laid out as the
    chapter handouts."""
    ended = []
    for edition, pages in booklet_pages.items():
        for number, ((lines, _, _), (following, _, _)) in enumerate(itertools.pairwise(pages), 1):
            headings = [i for i, line in enumerate(lines) if section_heading(line)]
            if not headings or not following or not following[0][2].startswith("Question "):
                continue
            after = [text for _, _, text in lines[headings[-1] + 1 :]]
            if len(after) <= OPENING_LINES and not any(text.startswith("Question ") for text in after):
                ended.append(f"{BOOKLET}-{edition}.pdf p. {number}: {lines[headings[-1]][2]!r}")
    assert not ended, f"a heading and its opening paragraph end the page, the first question on the next: {ended}"


def _fonts(reader: PdfReader):
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if descriptor is not None:
                yield font.get("/BaseFont"), descriptor.get_object()


def test_fonts_embedded_title_bookmarks_and_tags(pdfs):
    for name, reader in pdfs.items():
        fonts = list(_fonts(reader))
        assert fonts, name
        for base, descriptor in fonts:
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                f"{name}: {base} not embedded"
            )
        assert reader.metadata and reader.metadata.title and "Diffusion Models vs LLMs" in reader.metadata.title
        assert reader.outline, f"{name}: no bookmarks"
        titles = [item.title for item in reader.outline if not isinstance(item, list)]
        glued = [t for t in titles if re.match(r"(?i)chapter \d+[^\d\s]", t)]
        assert not glued, f"{name}: bookmarks run the chapter number into the title: {glued[:2]}"
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"], f"{name}: not a tagged PDF"
        assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points


STRUCTURE_ELEMENT = b"/Type /StructElem"
"""How each structure element's dictionary says what it is: in a compressed stream, it cannot be read as it is."""


def test_each_handout_keeps_its_structure_tree_in_compressed_object_streams(site_dir):
    """A tagged PDF is mostly its structure tree, one small dictionary per element: printing.compact
    packs them into compressed object streams; as Chromium writes them, a handout is more than twice as large."""
    for pdf in sorted((site_dir / "handouts").glob("*.pdf")):
        data = pdf.read_bytes()
        assert b"/Type /ObjStm" in data, f"{pdf.name}: no object streams"
        assert STRUCTURE_ELEMENT not in data, f"{pdf.name}: structure elements written uncompressed"


def test_compacting_keeps_every_page_and_gives_the_same_bytes_twice(site_dir):
    """A handout as Chromium writes it, one object per dictionary, compacts to less than half its size,
    to the same bytes each time, with the text of every page unchanged."""
    import pikepdf

    with pikepdf.open(site_dir / "handouts" / "where-the-lines-blur-student.pdf") as document:
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    bare = out.getvalue()
    assert STRUCTURE_ELEMENT in bare
    compacted = printing.compact(bare)
    assert compacted == printing.compact(bare) and len(compacted) < len(bare) / 2
    texts = [[page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages] for pdf in (bare, compacted)]
    assert texts[0] == texts[1] and len(texts[0]) > 5


def test_the_navigation_numbers_the_chapters_as_the_booklet_does(site_pages):
    """The navigation gives each chapter its booklet number, and nothing else a number; a chapter's
    own page (whose navigation always lists it, pruned or not) has it in its window title too."""
    labels = {c.url: f"{c.number}. {html.escape(c.title)}" for c in handouts.chapters()}
    in_sections = {label for url, label in labels.items() if "/" in url[:-1]}  # listed where pruning allows
    for page, text in site_pages.items():
        titles = {" ".join(t.split()) for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', text, re.S)}
        wrong = {t for t in titles if re.match(r"\d+\. ", t)} - set(labels.values())
        assert not wrong, f"{page}: {wrong}"
        assert set(labels.values()) - titles <= in_sections, page
    for url, label in labels.items():
        text = site_pages[f"{url}index.html"]
        assert re.search(rf'<span class="md-ellipsis">\s*{re.escape(label)}\s*<', text), url
        assert re.search(r"<title>(.*?) - ", text)[1] == label, url


def test_every_page_links_to_its_handouts(site_pages, site_dir):
    for page, text in site_pages.items():
        if page.startswith(("search", "404")):
            continue
        links = set(re.findall(r'href="((?:\.\./)*handouts/[^"]+\.pdf)" download', text))
        wanted = {f"{BOOKLET}-{e}.pdf" for e in EDITIONS}
        chapter = next((c for c in handouts.chapters() if page.removesuffix("index.html") in c.urls), None)
        if chapter:  # one link for a chapter without answers: both editions print the same
            answers = any(handouts.ANSWER.search(site_pages[f"{url}index.html"]) for url in chapter.urls)
            wanted |= {f"{chapter.slug}-{e}.pdf" for e in EDITIONS} if answers else {f"{chapter.slug}-student.pdf"}
        assert {link.rsplit("/", 1)[1] for link in links} == wanted, page
        for link in links:
            assert ((site_dir / page).parent / html.unescape(link)).resolve().is_file(), f"{page}: {link}"


def test_paper_option_and_bad_value(monkeypatch):
    monkeypatch.setenv("HANDOUT_PAPER", "letter")
    assert handouts.paper() == "Letter"
    monkeypatch.setenv("HANDOUT_PAPER", "a5")
    with pytest.raises(Exception, match=r"HANDOUT_PAPER must be one of \['a4', 'letter'\], got 'a5'"):
        handouts.paper()


def _tagged_pdf(first_header: bytes, other_headers: list[bytes]) -> bytes:
    """The parts of a Chromium tagged PDF that name table headers: struct elements, cells, ID tree."""
    ids = [first_header, *other_headers]
    elements = b"".join(b"%d 0 obj\n<</S /TH\n/ID (node%s)>>\nendobj\n" % (80 + i, n) for i, n in enumerate(ids))
    cells = b"".join(b"<</S /TD\n/A [<</O /Table\n/Headers [(node%s)]>>]>>\n" % n for n in ids)
    leaf = b" ".join(b"(node%s) %d 0 R" % (n, 80 + ids.index(n)) for n in sorted(ids))
    limits = b"/Limits [(node%s) (node%s)]\n" % (min(ids), max(ids))
    header = b"%PDF-1.7\n/CreationDate (D:20261128052112+00'00')\n"
    return header + elements + cells + limits + b"/Names [" + leaf + b"]>>"


def test_table_header_ids_do_not_depend_on_the_order_chromium_numbered_them(monkeypatch):
    """Chromium names tagged headers after DOM node counters handed out in a timing-dependent order."""
    monkeypatch.setattr(printing, "content_date", lambda: "2026-11-01")
    one = _tagged_pdf(b"00000007", [b"00000009", b"00000011"])
    other = _tagged_pdf(b"00000012", [b"00000004", b"00000005"])
    assert one != other
    assert printing.reproducible(one) == printing.reproducible(other)
    fixed = printing.reproducible(other)
    assert len(fixed) == len(other), "cross-reference offsets stay valid"
    assert b"/Limits [(node00000000) (node00000002)]\n/Names [(node00000000) 80 0 R (node00000001) 81 0 R" in fixed
    assert b"/CreationDate (D:20261101000000+00'00')" in fixed


def print_alone(document: Path) -> bytes:
    """``document`` printed by :func:`printing.print_pdf` in a browser of its own."""

    async def render() -> bytes:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=find_chromium(), args=FLAGS)
            try:
                return await printing.print_pdf(await browser.new_context(), document)
            finally:
                await browser.close()

    # A thread of its own: the browser tests' sync Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(render())).result()


@pytest.mark.build  # Chromium prints it: not for `make check`
def test_us_letter_prints_on_letter_paper(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOUT_PAPER", "letter")
    document = tmp_path / "letter.html"
    document.write_text(
        f"<!doctype html><title>Letter test</title>{documents.page_style('Letter test', handouts.paper(), False)}"
        "<h1>Letter</h1><p>One page of text.</p>",
        encoding="utf-8",
    )
    reader = PdfReader(io.BytesIO(print_alone(document)))
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [612, 792]


@pytest.mark.build  # Chromium prints it: not for `make check`
def test_page_numbers_are_those_of_the_printout_and_an_unknown_target_is_named(tmp_path):
    """Each page number to fill in gets the page its target is printed on, even where the numbers
    themselves move the text (a long run of references before the target)."""
    references = "".join(
        f'<p><a href="#far">see far</a> (p. <span class="page-ref" data-page-of="far">0</span>) {"word " * 12}</p>'
        for _ in range(60)
    )
    blank_pages = '<div style="break-before: page">Blank.</div>' * 10
    body = f'<h1 id="top">Top</h1>{references}{blank_pages}<div style="break-before: page"></div><h2 id="far">Far</h2>'
    document = tmp_path / "numbers.html"
    style = documents.page_style("Numbers", handouts.paper(), False)
    document.write_text(f"<!doctype html><title>Numbers</title>{style}{body}", encoding="utf-8")
    (tmp_path / "numbers.pdf").write_bytes(pdf := print_alone(document))
    target = printing.destination_pages(pdf)["far"]
    assert target == len(PdfReader(io.BytesIO(pdf)).pages) >= 12  # two digits where the document had one
    assert normalise(" ".join(pdf_text(tmp_path / "numbers.pdf"))).count(f"see far (p. {target})") == 60

    document.write_text(
        f'<!doctype html><title>Numbers</title>{style}<p><span data-page-of="nowhere">0</span></p>', encoding="utf-8"
    )
    with pytest.raises(handouts.PluginError, match=re.escape("numbers.html has no page for #nowhere")):
        print_alone(document)


@pytest.mark.build  # three mkdocs builds: not for `make check`
def test_the_html_site_is_built_alone_unless_handouts_are_asked_for_and_then_chromium_is_required(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CHROMIUM", "HANDOUTS")}
    pages = {"index.md": "# Home\n", "chapter.md": "# A chapter\n\nText.\n"}
    config = "nav: [index.md, chapter.md]\n"
    for name in ("html", "pdf", "bad"):
        (tmp_path / name).mkdir()
    proc = build_project(tmp_path / "html", pages, "handouts.py", config, env)  # as `make build`
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = tmp_path / "html" / "out"
    assert (out / "chapter" / "index.html").is_file() and not (out / "handouts").exists()
    assert "handouts/" not in (out / "chapter" / "index.html").read_text(encoding="utf-8")

    no_chromium = {**env, "HANDOUTS": "1", "PATH": str(tmp_path / "empty")}
    proc = build_project(tmp_path / "pdf", pages, "handouts.py", config, no_chromium)  # as `make pdf`
    assert proc.returncode != 0 and not (tmp_path / "pdf" / "out" / "handouts").exists()
    assert "HANDOUTS=1 asks for the PDF handouts, which Chromium prints" in proc.stdout + proc.stderr

    proc = build_project(tmp_path / "bad", pages, "handouts.py", config, {**env, "HANDOUTS": "yes"})
    expected = "HANDOUTS must be 0 (the HTML site alone) or 1 (with the PDF handouts), got 'yes'"
    assert proc.returncode != 0 and expected in proc.stdout + proc.stderr


def test_chapters_are_the_nav_pages_less_those_with_handout_false(tmp_path):
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\nhandout: false\n---\n\n# B\n", encoding="utf-8")
    found = handouts.chapters([("A", "a.md"), ("B", "b.md"), ("N", "nb/x.ipynb")], tmp_path)
    assert [(c.number, c.slug, c.title, c.url) for c in found] == [(1, "a", "A", "a/"), (2, "x", "N", "nb/x/")]
    assert "index" not in CHAPTERS and "contributing" not in CHAPTERS and "diffusion" in CHAPTERS


def test_a_folder_with_an_index_is_one_chapter_of_sections_with_answers_if_any_section_has_them(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "index.md").write_text("# F\n", encoding="utf-8")
    (tmp_path / "f" / "one.md").write_text("# One\n", encoding="utf-8")
    (tmp_path / "f" / "two.md").write_text("# Two\n\n<!-- questions: self-check -->\n", encoding="utf-8")
    (tmp_path / "a.md").write_text('# A\n\n??? success "Answer"\n    Yes.\n', encoding="utf-8")
    nav = [("F", "f/index.md"), ("One", "f/one.md"), ("Two", "f/two.md"), ("A", "a.md")]
    found = handouts.chapters(nav, tmp_path)
    assert [(c.number, c.slug, c.title, c.urls, c.answers) for c in found] == [
        (1, "f", "F", ("f/", "f/one/", "f/two/"), True),
        (2, "a", "A", ("a/",), True),
    ]
    assert [found[0].prefix(url) for url in found[0].urls] == ["f", "f-one", "f-two"]
    assert handouts.chapters(nav[:2], tmp_path)[0].answers is False
    with pytest.raises(ValueError, match=r"nav: f/one\.md must follow f/index\.md"):
        handouts.chapters([("A", "a.md"), ("One", "f/one.md"), ("F", "f/index.md")], tmp_path)


def test_a_cross_reference_gets_the_page_of_its_target_and_a_citation_none():
    document = (
        '<h2 id="diffusion--loss">Loss</h2><p><a href="#diffusion--loss">the loss</a>, '
        '<a href="#references--ho2020">Ho et al.</a>, <a href="#elsewhere">gone</a></p><p id="references--ho2020"></p>'
    )
    marked = documents.with_page_references(document)
    assert marked.count('class="page-ref"') == 1
    assert (
        '<a href="#diffusion--loss">the loss</a><span class="page-ref" data-page-of="diffusion--loss">000</span>'
        in marked
    )


def test_links_go_to_a_chapter_in_the_handout_or_else_to_the_site():
    """A printed link works on paper and in the PDF: to a chapter or a section of one, its place in the
    handout; to a page that is no chapter or to a download, the published site; an image loads from
    the built site."""
    chapters = handouts.chapters([("A", "a.md"), ("B", "b/index.md"), ("C", "b/c.md")], Path("/nonexistent"))
    assert [(c.slug, c.url, c.sections) for c in chapters] == [("a", "a/", ()), ("b", "b/", ("b/c/",))]
    pages = documents.targets(chapters)
    body = (
        '<p id="x"><a href="../b/c/#s">B</a> <a href="../b/">b</a> <a href="../b/c/">c</a> <a href="../">home</a> '
        '<a href="../contributing/#t">how</a> <a href="../downloads/q.xml">quiz</a> <a href="#x">here</a> '
        '<img src="../figures/f.svg"></p>'
    )
    site = "https://example.org/guide/"
    assert documents.localise(body, "a/", pages, site) == (
        '<p id="a--x"><a href="#b-c--s">B</a> <a href="#chapter-b">b</a> <a href="#b-c">c</a> '
        '<a href="https://example.org/guide/">home</a> <a href="https://example.org/guide/contributing/#t">how</a> '
        '<a href="https://example.org/guide/downloads/q.xml">quiz</a> <a href="#a--x">here</a> '
        '<img src="../../figures/f.svg"></p>'
    )
    in_section = documents.localise('<h2 id="y"><a href="#y">y</a></h2><a href="../../a/#x">A</a>', "b/c/", pages, "")
    assert in_section == '<h2 id="b-c--y"><a href="#b-c--y">y</a></h2><a href="#a--x">A</a>'
    without_site = documents.localise(body, "a/", pages, "")
    assert "<a >home</a>" in without_site and "<a >quiz</a>" in without_site and 'href="#b-c--s"' in without_site


def test_no_handout_links_into_the_build_folder(pdfs):
    for name, reader in pdfs.items():
        for number, page in enumerate(reader.pages, 1):
            for annotation in page.get("/Annots") or []:
                uri = annotation.get_object().get("/A", {}).get("/URI", "")
                assert not uri.startswith("file:"), f"{name}.pdf page {number}: a link to {uri}"


SMALLEST_PRINTED_FIGURE_TEXT = 7
"""Smallest figure text on paper, in points (a textbook sets figure labels at 7 to 9 pt)."""

DRAWN = re.compile(r'<figure class="guide-figure"[^>]*><a href="[^"]*"><img src="[^"]*/([^"/#]+)#only-light"')
"""The file name of each figure on a page (its light variant, which prints)."""
FIGURE_WIDTHS = """Array.from(document.querySelectorAll("figure.guide-figure img"))
    .filter(img => img.offsetParent !== null)
    .map(img => [img.getAttribute("src").split("#")[0], img.getBoundingClientRect().width])"""


def test_figures_print_with_text_large_enough_to_read(site_dir):
    """Every figure of every chapter laid out as the handouts lay it out (print.css at the width of
    the page's text): a tall one beside its caption, the others under theirs, none with text under
    :data:`SMALLEST_PRINTED_FIGURE_TEXT`."""
    chapters, work = handouts.chapters(), site_dir / "handouts" / "_figures"  # where print documents live
    work.mkdir(exist_ok=True)
    prints = []
    for chapter in chapters:
        prints.append(work / f"{chapter.slug}.html")
        prints[-1].write_text(documents.chapter_document(site_dir, chapter, chapters, None, "Guide", ""), "utf-8")
    (width, _), (_, side, _) = plan.PAGE_MM[handouts.paper()], plan.MARGIN_MM

    async def measure() -> list[tuple[str, str, float]]:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=find_chromium(), args=FLAGS)
            try:
                page = await browser.new_page(viewport={"width": round((width - 2 * side) * 96 / 25.4), "height": 900})
                await page.emulate_media(media="print")
                found = []
                for document in prints:
                    await page.goto(document.as_uri(), wait_until="load")
                    found += [(document.stem, src, shown) for src, shown in await page.evaluate(FIGURE_WIDTHS)]
                return found
            finally:
                await browser.close()

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:  # the browser tests' sync Playwright may hold this loop
            figures = pool.submit(lambda: asyncio.run(measure())).result()
    finally:
        shutil.rmtree(work)
    pages = {c.slug: "".join((site_dir / url / "index.html").read_text("utf-8") for url in c.urls) for c in chapters}
    on_pages = {(slug, name) for slug, text in pages.items() for name in DRAWN.findall(text)}
    assert {(chapter, src.rsplit("/", 1)[-1]) for chapter, src, _ in figures} == on_pages
    small = []
    for chapter, src, shown in figures:
        points = smallest_text_px((work / src).resolve(), shown) * 0.75  # CSS px to points
        if points < SMALLEST_PRINTED_FIGURE_TEXT:
            name, millimetres = src.rsplit("/", 1)[-1], shown * 25.4 / 96
            small.append(f"{chapter}: {name} prints {millimetres:.0f} mm wide, its smallest text {points:.1f} pt")
    assert not small, "\n".join(small)
