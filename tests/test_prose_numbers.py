"""Every number in the guide's prose is computed on its page, cited, or exempt.

The checker is ``tests/prose_numbers.py`` (its docstring lists what is read and the rules). One
test per checked file, so ``-k diffusion`` selects the diffusion page, notebook and figures; the
tests after it plant numbers in small synthetic pages to show that the checker can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.prose_numbers import checked_files, file_id, scan_unit, violations

FILES = checked_files()


@pytest.mark.parametrize("path", FILES, ids=[file_id(path) for path in FILES])
def test_numbers_in_prose_are_computed_or_cited(path: Path):
    found = violations(path)
    if found:
        pytest.fail("\n".join(str(v) for v in found), pytrace=False)


def test_every_kind_of_file_is_checked():
    ids = {file_id(path) for path in FILES}
    assert {"docs/diffusion/sampling.md", "notebooks/tiny_diffusion.py", "figures/llm_figures.py"} <= ids
    assert "includes/glossary.yml" in ids
    assert "figures/registry.py" not in ids  # declares no figure


# --- the checker on synthetic pages -----------------------------------------------------------


def page(tmp_path: Path, text: str, name: str = "docs/page.md", **others: str) -> list[str]:
    """Write ``text`` to ``tmp_path / name`` (and ``others``: path -> text) and check it."""
    for relative, content in {name: text, **others}.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return [str(v) for v in violations(tmp_path / name, root=tmp_path)]


PLANTED = "# A page\n\nThe model is trained.\nIts accuracy reaches 0.862 after training.\n"


def test_an_uncomputed_number_fails_with_file_line_and_advice(tmp_path):
    assert page(tmp_path, PLANTED) == ["docs/page.md:4: 0.862 is not computed on this page (compute it, or cite it)"]


def test_the_same_number_asserted_in_a_code_block_passes(tmp_path):
    code = "```python\naccuracy = 0.86213\nassert round(accuracy, 3) == 0.862\n```\n"
    assert page(tmp_path, PLANTED + "\n" + code) == []


def test_code_that_does_not_run_or_only_mentions_the_number_does_not_count(tmp_path):
    notest = "<!-- notest: shows an error -->\n```{.python notest}\nassert accuracy == 0.862\n```\n"
    comment = "```python\naccuracy = 0.5  # 0.862 after training\n```\n"
    docstring = '```python\n"""Accuracy 0.862."""\n```\n'
    text_block = "```text\n0.862\n```\n"
    printed = '```python\nprint("accuracy 0.862")\n```\n'
    for block in (notest, comment, docstring, text_block, printed):
        assert len(page(tmp_path, PLANTED + "\n" + block)) == 1, block


def test_a_number_in_an_included_snippet_counts(tmp_path):
    fence = '```python title="snippets/demo/acc.py"\n--8<-- "snippets/demo/acc.py"\n```\n'
    snippet = "accuracy = 0.86213\nassert round(accuracy, 3) == 0.862\n"
    assert page(tmp_path, PLANTED + "\n" + fence, **{"snippets/demo/acc.py": snippet}) == []


def test_a_cited_number_passes_but_the_citation_covers_its_sentence_only(tmp_path):
    text = (
        "DDPM uses 1000 steps ([Ho et al., 2020](references.md#ho2020)). The guide samples 250 of them.\n"
        "\n- A list item: 8192 steps to 4 in [Salimans and Ho, 2022](references.md#salimans2022).\n"
        "\n- Another item cites [Ho et al., 2020](references.md#ho2020). It reaches 73.19 % alone.\n"
        "\nA term\n:   A definition cites [Ho et al., 2020](references.md#ho2020). Its value is 0.4417.\n"
        "\n| Model | Steps |\n|---|---|\n| DDPM | 1000 ([Ho et al., 2020](references.md#ho2020)) |\n"
        "| DDPM ([Ho et al., 2020](references.md#ho2020)) | 123 |\n"
    )
    assert page(tmp_path, text) == [
        "docs/page.md:1: 250 is not computed on this page (compute it, or cite it)",
        "docs/page.md:5: 73.19 % is not computed on this page (compute it, or cite it)",  # another sentence
        "docs/page.md:8: 0.4417 is not computed on this page (compute it, or cite it)",
        "docs/page.md:13: 123 is not computed on this page (compute it, or cite it)",  # another cell
    ]


def test_a_count_of_the_guides_content_fails_whatever_the_code_holds(tmp_path):
    text = "The sheet has four formulas and three practice questions, and two of the questions are hard.\n"
    expected = [
        "docs/page.md:1: four counts the guide's own formulas (counts of content go stale: remove it)",
        "docs/page.md:1: three counts the guide's own questions (counts of content go stale: remove it)",
    ]
    assert page(tmp_path, text) == expected
    counted = "```python\nFORMULAS, QUESTIONS = 'abcd', 'xyz'\nassert len(FORMULAS) == 4 and len(QUESTIONS) == 3\n```\n"
    assert page(tmp_path, text + "\n" + counted) == expected
    code = "```python\nassert 3 * 4 == 12 and 5 * 3 == 15\n```\n"
    assert page(tmp_path, "Fifteen questions follow, then 12 chapters and twelve exercises.\n\n" + code) == [
        "docs/page.md:1: Fifteen counts the guide's own questions (counts of content go stale: remove it)",
        "docs/page.md:1: 12 counts the guide's own chapters (counts of content go stale: remove it)",
        "docs/page.md:1: twelve counts the guide's own exercises (counts of content go stale: remove it)",
    ]
    others = "Round to three significant figures; GPT-2 has 50,257 entries; the 2 sections of GPT-2.\n"
    assert page(tmp_path, others + "\n```python\nassert 50_257 > 0\n```\n") == [
        "docs/page.md:1: 2 counts the guide's own sections (counts of content go stale: remove it)"
    ]


def test_exempt_numbers_pass(tmp_path):
    text = (
        "# 3. Results with 512 steps\n\n"
        "GPT-2, T5-XXL, float32 and x_0 are names, as are SD 1.x, an 8-bit type and 2-D data; "
        "run it with Python 3.11. Two evaluations per step, a 3 by 3 grid, 10 passes.\n\n"
        "Diffusion was revived in 2020 (Ho et al., 2020) at NeurIPS 2020, see "
        "[arXiv:2006.11239](https://arxiv.org/abs/2006.11239) and [the 512 steps](#3-results-with-512-steps).\n\n"
        '!!! note "Step 700"\n    The index in $\\alpha_{500}$ and $x_{t-1}$ is not a value.\n\n'
        "$$\n\\bar\\alpha_t = \\prod_{s=1}^{t} \\alpha_s, \\quad x^{(2)}\n$$\n"
    )
    assert page(tmp_path, text) == []


def test_numbers_are_compared_by_value(tmp_path):
    text = (
        "A latent of 16,384 numbers (16 384 with a thin space), 85 % of the points, "
        "$\\beta_1 = 10^{-4}$, $\\bar\\alpha_T = 4.0 \\times 10^{-5}$ and one in $10^{-1000}$.\n"
    )
    code = (
        "```python\nimport math\nassert 128 * 128 == 16_384 and share > 0.85 and beta == 1e-4\n"
        'assert f"{a:.1e}" == "4.0e-05" and 1000 * math.log10(0.1) == -1000\n```\n'
    )
    assert page(tmp_path, text + "\n" + code) == []
    assert len(page(tmp_path, text)) == 6
    small_rate = "Only 2 % of the points.\n"
    assert len(page(tmp_path, small_rate + "\n```python\nassert len(points) == 2\n```\n")) == 1
    assert page(tmp_path, small_rate + "\n```python\nassert round(share, 2) == 0.02\n```\n") == []
    assert len(page(tmp_path, "Trained for 50k steps.\n\n```python\nassert 25 * 2 == 50\n```\n")) == 1
    assert page(tmp_path, "Trained for 50k steps.\n\n```python\nassert 500 * 100 == 50_000\n```\n") == []


def test_every_kind_of_prose_is_read_at_its_line(tmp_path):
    text = (
        "Intro.\n\n"  # 1
        '!!! tip "Tip"\n'  # 3
        "    Body text\n"  # 4
        "    with 0.25 inside.\n\n"  # 5
        "- item one\n"  # 7
        "- item with 0.125\n\n"  # 8
        "| a | b |\n|---|---|\n| x | 0.0625 |\n\n"  # 10-12
        "Term\n:   A definition with 0.03125.\n\n"  # 14-15
        "![An image of 37 cats](cats.png)\n\n"  # 17
        "$$\nx = 0.015625\n$$\n\n"  # 19-21
        "A sentence with `T = 1000` in code and $t = 42$ in math.\n"  # 23
    )
    assert [line.split(" is ")[0] for line in page(tmp_path, text)] == [
        "docs/page.md:5: 0.25",
        "docs/page.md:8: 0.125",
        "docs/page.md:12: 0.0625",
        "docs/page.md:15: 0.03125",
        "docs/page.md:17: 37",
        "docs/page.md:20: 0.015625",
        "docs/page.md:23: 1000",
        "docs/page.md:23: 42",
    ]


def test_a_references_entry_cites_itself(tmp_path):
    text = (
        "# References\n\nHo et al., 2020 {#ho2020}\n:   Denoising Diffusion Probabilistic Models. "
        "$T = 1000$ and $\\beta$ from $10^{-4}$ to $0.02$.\n\nIts 27 steps appear in the guide.\n"
    )
    assert page(tmp_path, text, name="docs/references.md") == [
        "docs/references.md:6: 27 is not computed on this page (compute it, or cite it)"
    ]


NOTEBOOK = """# %% [markdown]
# # A notebook
#
# The loss ends near 0.4 and the data has 20000 points.

# %% alt="A chart of a loss that levels off around 0.37."
losses = [0.9, 0.5]
data_size = 20_000
"""


def test_notebook_markdown_cells_and_alt_texts_are_checked_against_code_cells(tmp_path):
    assert page(tmp_path, NOTEBOOK, name="notebooks/demo.py") == [
        "notebooks/demo.py:4: 0.4 is not computed on this page (compute it, or cite it)",
        "notebooks/demo.py:6: 0.37 is not computed on this page (compute it, or cite it)",
    ]


FIGURE_MODULE = '''"""Figures."""

from .registry import figure

PROBABILITY = 0.5


@figure(
    "demo",
    alt=(
        "A bar chart. The top bar reaches 0.86 "
        f"at temperature {PROBABILITY}, and 0.5 marks half."
    ),
    caption=f"Top probability {PROBABILITY:.2f} of 1.204 nats.",
)
def demo(theme):
    """Draw 1.204 nats."""
    return None
'''


def test_figure_captions_take_numbers_from_the_module(tmp_path):
    name = "src/diffusion_vs_llms/figures/demo_figures.py"
    assert page(tmp_path, FIGURE_MODULE, name=name) == [
        f"{name}:11: 0.86 is not computed in this module (compute it, or cite it)",
        f"{name}:14: 1.204 is not computed in this module (compute it, or cite it)",
    ]
    assert file_id(tmp_path / name, root=tmp_path) == "figures/demo_figures.py"


GLOSSARY = """\
- term: DDPM
  short: >-
    Ho et al., 2020: 1000 noising steps,
    0.02 at the end.
  long: |
    Uses $T = 1000$ steps ([Ho et al., 2020](references.md#ho2020)).
- term: Noise schedule
  short: >-
    The noise variances of the forward process.
  long: |
    The variances of the steps.
    They grow to 0.03.
"""


def test_the_glossary_definitions_and_tooltips_are_checked(tmp_path):
    """A definition is checked as a definition of the glossary page; a tooltip may state what a definition cites."""
    assert page(tmp_path, GLOSSARY, name="includes/glossary.yml") == [
        "includes/glossary.yml:12: 0.03 is not computed on the glossary page (compute it, or cite it)",
        "includes/glossary.yml:3: 0.02 is not computed on the glossary page (compute it, or cite it)",
    ]


def test_scan_reports_why_a_number_is_exempt():
    reasons = {f.text: f.exempt for f in scan_unit("GPT-2 has 12 layers; see (Radford et al., 2019) and 3 figures.")}
    assert reasons == {"2": "part of a name (GPT-2, float32, x_0)", "12": None, "2019": "a year", "3": None}


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("GPT-3 has a context of 2048 tokens.", "2048", None),  # a context length, not a year
        ("In 2017 the transformer appeared.", "2017", "a year"),
        ("Nichol and Dhariwal (2021) propose it.", "2021", "a year"),
        ("Counted with add-0.1 smoothing.", "0.1", None),  # a lowercase word and a hyphen: a quantity
        ("A 1000-step schedule.", "1000", None),
        ("Run it with Python 3.11 today.", "3.11", "a version (Python 3.11, CC BY 4.0)"),
        ("The model reaches FID 2.27 on ImageNet.", "2.27", None),  # a result after a name: cite it
        ("It scores BLEU 27.3 there.", "27.3", None),
        ("(b) At 0.08 s per evaluation.", "0.08", None),
        ("The 64-bit float and arXiv:2006.11239.", "64", "part of a name (8-bit, 2-D, 3D)"),
        ("Only 2 % of the points.", "2 %", None),  # a rate is a result, even a small one
        ("The next two chapters.", "two", None),  # counts the guide's chapters: never exempt
        ("The two families differ.", "two", "an integer from 0 to 10"),
    ],
    ids=[
        "context-length",
        "year-in",
        "year-parenthesis",
        "lowercase-hyphen",
        "hyphen-quantity",
        "version",
        "fid-is-a-result",
        "bleu-is-a-result",
        "not-a-version",
        "bit-name",
        "small-rate",
        "count",
        "small",
    ],
)
def test_exemption_rules(text, number, reason):
    found = {f.text: f.exempt for f in scan_unit(text)}
    assert found[number] == reason
