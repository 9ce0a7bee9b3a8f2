"""The question bank as Moodle XML and as a QTI 1.2 package for Canvas (src/guide_build/exports.py):
checked against the structure each platform's importer reads, question by question and part by
part, with the numbers the package computes."""

from __future__ import annotations

import io
import math
import re
import zipfile
from xml.etree import ElementTree as ET

import pytest

from guide_build import exports, practice
from guide_build.mkdocs import nav_pages

QUESTIONS = practice.load()
TITLES = {page: title for title, page in nav_pages()}
SITE = "https://example.org/guide/"
PARTS = [
    (q, i, part, computed)
    for q in QUESTIONS
    for i, (part, computed) in enumerate(zip(q.parts, practice.answers(q), strict=True))
]
NS = {"q": exports.QTI_NAMESPACE}


@pytest.fixture(scope="module")
def moodle() -> dict[str, ET.Element]:
    root = ET.fromstring(exports.moodle_xml(QUESTIONS, SITE, TITLES))
    assert root.tag == "quiz"
    return {q.findtext("idnumber"): q for q in root.findall("question") if q.get("type") != "category"}


@pytest.fixture(scope="module")
def qti() -> dict[str, ET.Element]:
    archive = zipfile.ZipFile(io.BytesIO(exports.qti_package(QUESTIONS, SITE)))
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    files = [f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")]
    assert files == ["practice/practice.xml"] and set(archive.namelist()) == {"imsmanifest.xml", *files}
    root = ET.fromstring(archive.read(files[0]))
    assert root.tag == f"{{{exports.QTI_NAMESPACE}}}questestinterop"
    return {item.get("ident"): item for item in root.iterfind(".//q:item", NS)}


def test_every_part_of_every_question_is_exported_once(moodle, qti):
    wanted = [f"{q.id}-{i}" for q, i, _, _ in PARTS]
    assert sorted(moodle) == sorted(wanted)
    assert sorted(qti) == sorted(wanted)


def test_moodle_has_a_category_per_chapter_in_the_order_of_the_nav():
    root = ET.fromstring(exports.moodle_xml(QUESTIONS, SITE, TITLES))
    categories = [q.findtext("category/text") for q in root.findall("question") if q.get("type") == "category"]
    chapters = [title for page, title in TITLES.items() if any(q.page == page for q in QUESTIONS)]
    assert categories == [f"$course$/top/{exports.SITE_NAME}/{title}" for title in chapters]


@pytest.mark.parametrize(("question", "index", "part", "computed"), PARTS, ids=[f"{q.id}-{i}" for q, i, _, _ in PARTS])
def test_each_part_carries_its_answer_and_feedback(moodle, qti, question, index, part, computed):
    ident = f"{question.id}-{index}"
    item, moodle_question = qti[ident], moodle[ident]
    kind = item.find(".//q:qtimetadatafield[q:fieldlabel='question_type']/q:fieldentry", NS).text
    assert kind == exports.QTI_TYPES[part.kind]
    assert moodle_question.findtext("generalfeedback/text"), "no worked answer"
    feedback = {f.get("ident"): f for f in item.findall("q:itemfeedback", NS)}
    linked = {d.get("linkrefid") for d in item.iterfind(".//q:displayfeedback", NS)}
    assert linked <= set(feedback), f"feedback named but missing: {linked - set(feedback)}"
    scored = [c for c in item.iterfind(".//q:respcondition", NS) if c.find("q:setvar", NS) is not None]
    if part.kind == "explain":
        assert moodle_question.get("type") == "essay" and moodle_question.findtext("graderinfo/text")
        assert not scored
        return
    assert len(scored) == 1 and scored[0].find("q:setvar", NS).text == "100"
    if part.kind == "numeric":
        answers = moodle_question.findall("answer")
        assert moodle_question.get("type") == "numerical"
        assert math.isclose(float(answers[0].findtext("text")), computed["answer"], rel_tol=1e-9)
        assert answers[0].get("fraction") == "100" and float(answers[0].findtext("tolerance")) == part.tolerance
        assert [a.findtext("feedback/text") for a in answers[1:]] == [hint for _, hint in part.slips]
        assert all(a.get("fraction") == "0" for a in answers[1:])
        low = float(scored[0].find(".//q:vargte", NS).text)
        high = float(scored[0].find(".//q:varlte", NS).text)
        assert math.isclose(low, computed["answer"] - part.tolerance) and math.isclose(
            high, computed["answer"] + part.tolerance
        )
        assert len(linked) == len(part.slips)
    elif part.kind in ("choice", "select"):
        answers = moodle_question.findall("answer")
        assert len(answers) == len(part.choices) == len(item.findall(".//q:response_label", NS))
        fractions = [float(a.get("fraction")) for a in answers]
        assert math.isclose(sum(f for f in fractions if f > 0), 100, abs_tol=0.001)
        assert all((f > 0) == c.correct for f, c in zip(fractions, part.choices, strict=True))
        assert all(a.findtext("feedback/text") for a in answers), "a choice without its explanation"
        assert len(linked) == len(part.choices)
        right = {v.text for v in scored[0].find("q:conditionvar/q:and", NS).findall("q:varequal", NS)}
        assert right == {f"c{i}" for i, c in enumerate(part.choices) if c.correct}
    else:
        assert [a.findtext("text") for a in moodle_question.findall("answer")] == list(part.accept)


def test_math_is_tex_for_the_platforms_and_links_point_at_the_site(moodle):
    """Every link of every text (question, worked answer, choices and their explanations) is absolute."""
    texts = " ".join(element.text or "" for q in moodle.values() for element in q.iter("text"))
    assert "\\(" in texts and "\\[" in texts and "$" not in texts.replace("$course$", "")
    links = re.findall(r'href="([^"]*)"', texts)
    assert links and all(link.startswith(SITE) and ".md" not in link for link in links), [
        link for link in links if not link.startswith(SITE) or ".md" in link
    ][:5]


def test_the_same_bank_gives_the_same_bytes():
    assert exports.moodle_xml(QUESTIONS, SITE, TITLES) == exports.moodle_xml(QUESTIONS, SITE, TITLES)
    assert exports.qti_package(QUESTIONS, SITE) == exports.qti_package(QUESTIONS, SITE)


def test_the_files_are_made_again_only_when_what_they_come_from_changes(tmp_path, monkeypatch):
    """exports.platform_files: the same bank, address and titles give the cached files (the same bytes,
    not made again); a changed bank file or a changed site address makes them again. Two questions
    stand for the bank: what is under test is when the files are made, not what they hold."""
    few = [q for q in QUESTIONS if q.id in {"q-pixels-and-token-ids", "q-tiny-noise-schedule"}]
    monkeypatch.setenv("GUIDE_CACHE", str(tmp_path / "cache"))
    bank = tmp_path / "bank"
    bank.mkdir()
    for path in practice.BANK.iterdir():
        (bank / path.name).write_bytes(path.read_bytes())
    made = []

    def counted(name):
        real = getattr(exports, name)
        return lambda *args: made.append(name) or real(*args)

    for name in ("moodle_xml", "qti_package"):
        monkeypatch.setattr(exports, name, counted(name))
    first = exports.platform_files(few, bank, SITE, TITLES)
    assert made == ["moodle_xml", "qti_package"] and set(first) == {exports.MOODLE, exports.QTI}
    assert exports.platform_files(few, bank, SITE, TITLES) == first and len(made) == 2, "not from the cache"
    assert first[exports.MOODLE] == exports.moodle_xml(few, SITE, TITLES) and len(made) == 3
    exports.platform_files(few, bank, "https://example.org/other/", TITLES)
    assert len(made) == 5, "another site address: made again"
    index = bank / practice.INDEX
    index.write_text(index.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    exports.platform_files(few, bank, SITE, TITLES)
    assert len(made) == 7, "a bank file changed: made again"
