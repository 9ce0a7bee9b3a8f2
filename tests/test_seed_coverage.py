"""Checklist of the source sheet (diffusion-vs-llms-study-guide.txt): everything in it is on the site.

The checklist is written here, in the repository; the tests never read the sheet itself.
Each entry names the built page(s) where it must appear and the text that proves it.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers import text_of

# The sheet's four formulas, as the guide typesets them (KaTeX keeps the TeX in a MathML annotation).
# The sheet's forward-process formula writes alpha_t; the guide writes DDPM's \bar\alpha_t.
# The sheet's chain rule indexes positions by t up to n; the guide writes n up to N, t being the diffusion timestep,
# and \lt for "<" (in Markdown, "<" before a letter opens an HTML tag).
FORMULAS = {
    "forward process": r"x_t = \sqrt{\bar\alpha_t}\, x_0 + \sqrt{1 - \bar\alpha_t}\, \epsilon",
    "chain rule": r"P(x_1, x_2, \ldots, x_N) = \prod_{n=1}^{N} P(x_n \mid x_{\lt n})",
    "attention": (
        r"\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right) V"
    ),
    "cross-entropy": r"L = -\sum_i y_i \log p_i",
}
FORMULA_PAGES = {
    "forward process": ["diffusion/forward-process/index.html", "formulas/index.html"],
    "chain rule": ["llms/next-token/index.html", "formulas/index.html"],
    "attention": ["llms/attention/index.html", "formulas/index.html"],
    "cross-entropy": ["llms/training/index.html", "formulas/index.html"],
}

# The sheet's vocabulary: term -> words of its definition the glossary must keep.
VOCABULARY = {
    "Diffusion model": "reversing a gradual noising process",
    "Large language model": "large text datasets",
    "Token": "part of a word",
    "Autoregressive generation": "previously generated elements",
    "Denoising": "removing random noise",
}

# The sheet's key facts and the page that explains each: (page, phrases that must all appear).
FACTS = {
    "diffusion learns to remove noise step by step": ("diffusion/index.html", ["remove noise", "step by step"]),
    "LLMs learn the probability of the next token": ("llms/index.html", ["next token", "probability"]),
    "both trained on huge datasets with neural networks": ("generative-ai/index.html", ["neural network"]),
    "image generation is iterative, many denoising steps": ("diffusion/index.html", ["iterative", "denoising steps"]),
    "text generation is autoregressive, one token at a time": (
        "llms/index.html",
        ["autoregressive", "one token at a time"],
    ),
    "generative AI creates images, text, audio and code": (
        "generative-ai/index.html",
        ["images", "text", "audio", "code"],
    ),
}

# The sheet's four common mistakes: words each section heading on the mistakes page must contain.
MISTAKES = [
    ["same way"],
    ["paragraph"],
    ["memoriz"],
    ["data type"],
]

# The sheet's three practice questions: phrases of the question and of its worked answer.
PRACTICE = [
    (["0.5, 0.3", "0.2", "0.3"], ["1.204"]),
    (["50 denoising steps", "0.08", "12 images"], ["4 s", "48 s"]),
    (["both use neural networks"], ["token"]),
]


def practice_pages(site_pages: dict[str, str]) -> str:
    """The HTML of the Practice section's pages, one after the other."""
    return "".join(html for path, html in sorted(site_pages.items()) if path.startswith("practice/"))


def annotations(page_html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", html.unescape(a)).strip()
        for a in re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', page_html, re.S)
    ]


@pytest.mark.parametrize("name", FORMULAS)
def test_seed_formula_is_typeset(site_pages, name):
    wanted = re.sub(r"\s+", " ", FORMULAS[name])
    for page in FORMULA_PAGES[name]:
        assert any(wanted in a for a in annotations(site_pages[page])), f"{page}: the {name} formula is missing"


def test_guide_says_the_seed_alpha_is_ddpm_alpha_bar(site_pages):
    for page in ("diffusion/forward-process/index.html", "formulas/index.html"):
        text = text_of(site_pages[page]).lower()
        assert ("ddpm" in text and "α ˉ" in text) or "alpha_bar" in text or "ᾱ" in text or "bar" in text, page
        assert re.search(r"seed|source sheet|study sheet", text), f"{page}: the note on the sheet's alpha_t is missing"


@pytest.mark.parametrize("term", VOCABULARY)
def test_seed_vocabulary_is_defined(site_pages, term):
    page = site_pages["glossary/index.html"]
    entries = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S)
    definitions = {text_of(dt).strip().lower(): text_of(dd).lower() for dt, dd in entries}
    matching = [d for t, d in definitions.items() if t == term.lower() or t.startswith(term.lower() + " (")]
    assert matching, f"glossary has no entry {term!r}"
    assert VOCABULARY[term] in matching[0], f"glossary entry {term!r} lost the sheet's definition"


@pytest.mark.parametrize("fact", FACTS)
def test_seed_fact_is_explained(site_pages, fact):
    page, phrases = FACTS[fact]
    text = text_of(site_pages[page]).lower()
    missing = [p for p in phrases if p.lower() not in text]
    assert not missing, f"{page}: {fact!r} lacks {missing}"


def test_seed_mistakes_each_have_a_section(site_pages):
    headings = [text_of(h).lower() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", site_pages["mistakes/index.html"], re.S)]
    for words in MISTAKES:
        assert any(all(w in h for w in words) for h in headings), f"no mistakes section about {words}: {headings}"


@pytest.mark.parametrize(("question", "answer"), PRACTICE)
def test_seed_practice_question_and_answer(site_pages, question, answer):
    page = practice_pages(site_pages)
    sections = re.split(r"<h2[^>]*>", page)[1:]
    found = [s for s in sections if all(q.lower() in text_of(s).lower() for q in question)]
    assert found, f"no practice question containing {question}"
    answer_block = re.search(r'<details class="success"[^>]*>(.*?)</details>', found[0], re.S)
    assert answer_block, f"question {question} has no collapsed Answer block"
    missing = [a for a in answer if a.lower() not in text_of(answer_block[1]).lower()]
    assert not missing, f"the answer to {question} lacks {missing}"


def test_there_are_at_least_twelve_practice_questions(site_pages):
    page = practice_pages(site_pages)
    questions = [h for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S) if re.match(r"\s*Question \d+", text_of(h))]
    answers = re.findall(r'<details class="success"', page)
    assert len(questions) >= 12, f"found {len(questions)} questions"
    assert len(answers) >= len(questions), "every question needs a collapsed Answer block"
