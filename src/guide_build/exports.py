"""The question bank for course platforms, written by the build into the site:

- ``downloads/practice-moodle.xml``: Moodle XML, which Moodle imports natively (Question bank > Import);
- ``downloads/practice-qti.zip``: an IMS QTI 1.2 content package, the format Canvas exports and imports
  (Settings > Import course content > QTI .zip file); Moodle has no QTI import of its own, and
  Canvas reads QTI 2.1 only in New Quizzes, so each platform gets the format it reads itself.

Each part of a question becomes one platform question (numeric: numerical with its tolerance and a
feedback for each common slip; choice and select: multiple choice with every choice's explanation as
its feedback; text: short answer; explain: essay with the worked answer for the grader). The
question text and worked answer are HTML with math as TeX between ``\\(`` and ``\\)`` (``\\[`` and
``\\]`` for displays), which Moodle's MathJax filter and Canvas typeset. Seed 0: the site's numbers.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from importlib.metadata import version
from pathlib import Path
from xml.etree import ElementTree as ET

import markdown

from guide_build import ROOT, cache
from guide_build.mkdocs import page_url
from guide_build.practice import (
    REFERENCE,
    Part,
    Question,
    answers,
    explanation,
    number_text,
    places,
    render_text,
    worked_markdown,
)

SITE_NAME = "Diffusion Models vs LLMs"
MOODLE = "downloads/practice-moodle.xml"
QTI = "downloads/practice-qti.zip"
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
"""Every file of the zip is dated the same, so that the same bank gives the same bytes."""
MOODLE_FRACTIONS = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571", 8: "12.5"}
"""The grades Moodle accepts for a right choice of a question with 1 to 8 right choices."""
EXTENSIONS = [
    "tables",
    "attr_list",
    "md_in_html",
    "pymdownx.arithmatex",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.snippets",
]
LINK = re.compile(r'href="(?P<page>[\w/.-]+\.md)?(?P<anchor>#[\w-]+)?"')


def _html(text: str, site_url: str, numbers: dict[str, tuple[int, str]]) -> str:
    """Markdown of the bank as HTML for a platform: math as ``\\(...\\)``, links absolute to the site
    (``[](#q-id)`` to the question on its Practice page; ``numbers``: :func:`~guide_build.practice.places`)."""

    def question(match: re.Match[str]) -> str:
        number, page = numbers[match["id"]]
        return f"[question {number}]({page}#{match['id']})"

    text = REFERENCE.sub(question, text)
    converted = markdown.markdown(
        text,
        extensions=EXTENSIONS,
        extension_configs={
            "pymdownx.arithmatex": {"generic": True},
            "pymdownx.highlight": {"use_pygments": False},  # plain <pre><code>: the platforms colour none
            "pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": True},
        },
    )

    def absolute(match: re.Match[str]) -> str:
        if not match["page"]:  # a link within the text itself
            return match[0]
        return f'href="{site_url}{page_url(match["page"])}{match["anchor"] or ""}"'

    return LINK.sub(absolute, converted)


def _parts(question: Question, seed: int, site_url: str, numbers: dict[str, tuple[int, str]]):
    """Each part with its platform question text, worked answer and numbers, for ``seed``."""
    text = _html(render_text(question.question, question, seed, "question"), site_url, numbers)
    worked = _html(worked_markdown(question, seed), site_url, numbers)
    title = render_text(question.title, question, seed, "title")
    for index, (part, computed) in enumerate(zip(question.parts, answers(question, seed), strict=True)):
        label = f"<p><strong>{part.label}</strong></p>" if part.label and len(question.parts) > 1 else ""
        name = f"{numbers[question.id][0]}. {title}" + (f": {part.label}" if part.label else "")
        yield index, part, computed, name, text + label, worked


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _text(parent: ET.Element, tag: str, content: str, html: bool = True) -> ET.Element:
    element = _sub(parent, tag, format="html") if html else _sub(parent, tag)
    _sub(element, "text", content)
    return element


def moodle_xml(questions: list[Question], site_url: str, titles: dict[str, str], seed: int = 0) -> bytes:
    """The bank as Moodle XML: a category per chapter, a Moodle question per part."""
    numbers = places(questions)
    quiz = ET.Element("quiz")
    for page, title in titles.items():
        own = [q for q in questions if q.page == page]
        if not own:
            continue
        category = _sub(quiz, "question", type="category")
        _sub(_sub(category, "category"), "text", f"$course$/top/{SITE_NAME}/{title}")
        for question in own:
            for index, part, computed, name, text, worked in _parts(question, seed, site_url, numbers):
                kind = {"numeric": "numerical", "choice": "multichoice", "select": "multichoice"}.get(part.kind)
                kind = kind or {"text": "shortanswer", "explain": "essay"}[part.kind]
                item = _sub(quiz, "question", type=kind)
                _text(item, "name", name, html=False)
                _text(item, "questiontext", text)
                _text(item, "generalfeedback", worked)
                _sub(item, "defaultgrade", "1")
                _sub(item, "idnumber", f"{question.id}-{index}")
                _moodle_answers(item, question, part, computed, worked, lambda text: _html(text, site_url, numbers))
    ET.indent(quiz)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n"


def _moodle_answers(
    item: ET.Element, question: Question, part: Part, computed: dict[str, float], worked: str, to_html
) -> None:
    if part.kind == "numeric":
        shown = [(computed["answer"], "100", "Right.")]
        shown += [(computed[f"slip {i}"], "0", hint) for i, (_, hint) in enumerate(part.slips)]
        for value, fraction, feedback in shown:
            answer = _sub(item, "answer", fraction=fraction, format="moodle_auto_format")
            _sub(answer, "text", number_text(value))
            _sub(answer, "tolerance", number_text(part.tolerance))
            _text(answer, "feedback", feedback)
    elif part.kind in ("choice", "select"):
        right = sum(c.correct for c in part.choices)
        wrong = len(part.choices) - right
        _sub(item, "single", "true" if part.kind == "choice" else "false")
        _sub(item, "shuffleanswers", "0")
        _sub(item, "answernumbering", "ABCD")
        for choice in part.choices:
            if part.kind == "choice":
                fraction = "100" if choice.correct else "0"
            else:
                fraction = MOODLE_FRACTIONS[right] if choice.correct else "-" + MOODLE_FRACTIONS[wrong]
            answer = _sub(item, "answer", fraction=fraction, format="html")
            _sub(answer, "text", to_html(choice.text).removeprefix("<p>").removesuffix("</p>"))
            _text(answer, "feedback", to_html(explanation(question, choice)))
    elif part.kind == "text":
        _sub(item, "usecase", "0")
        for accepted in part.accept:
            answer = _sub(item, "answer", fraction="100", format="moodle_auto_format")
            _sub(answer, "text", accepted)
    else:
        _sub(item, "responseformat", "editor")
        _text(item, "graderinfo", worked)


QTI_TYPES = {
    "numeric": "numerical_question",
    "choice": "multiple_choice_question",
    "select": "multiple_answers_question",
    "text": "short_answer_question",
    "explain": "essay_question",
}
QTI_NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST = "http://www.imsglobal.org/xsd/imscp_v1p1"


def _mattext(parent: ET.Element, content: str) -> None:
    _sub(_sub(parent, "material"), "mattext", content, texttype="text/html")


def qti_assessment(questions: list[Question], site_url: str, seed: int = 0) -> bytes:
    """The bank as one QTI 1.2 assessment, with the item types and fields Canvas reads."""
    numbers = places(questions)
    root = ET.Element("questestinterop", xmlns=QTI_NAMESPACE)
    assessment = _sub(root, "assessment", ident="diffusion-vs-llms-practice", title=f"{SITE_NAME}: practice")
    section = _sub(assessment, "section", ident="root_section")

    def to_html(text: str) -> str:
        return _html(text, site_url, numbers)

    for question in questions:
        for index, part, computed, name, text, worked in _parts(question, seed, site_url, numbers):
            item = _sub(section, "item", ident=f"{question.id}-{index}", title=name)
            fields = _sub(_sub(item, "itemmetadata"), "qtimetadata")
            for label, entry in (("question_type", QTI_TYPES[part.kind]), ("points_possible", "1.0")):
                field = _sub(fields, "qtimetadatafield")
                _sub(field, "fieldlabel", label)
                _sub(field, "fieldentry", entry)
            presentation = _sub(item, "presentation")
            _mattext(presentation, text)
            processing = _sub(item, "resprocessing")
            outcomes = _sub(processing, "outcomes")
            _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
            _qti_part(item, presentation, processing, question, part, computed, to_html)
            general = _sub(item, "itemfeedback", ident="general_fb")
            _mattext(_sub(general, "flow_mat"), worked)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _qti_part(
    item, presentation, processing, question: Question, part: Part, computed: dict[str, float], to_html
) -> None:
    def score(condition: ET.Element) -> None:
        _sub(condition, "setvar", "100", action="Set", varname="SCORE")

    if part.kind in ("numeric", "text", "explain"):
        response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
        fib = (
            _sub(response, "render_fib", fibtype="Decimal") if part.kind == "numeric" else _sub(response, "render_fib")
        )
        _sub(fib, "response_label", ident="answer1", rshuffle="No")
    if part.kind == "numeric":
        condition = _sub(processing, "respcondition", **{"continue": "No"})
        either = _sub(_sub(condition, "conditionvar"), "or")
        _sub(either, "varequal", number_text(computed["answer"]), respident="response1")
        within = _sub(either, "and")
        _sub(within, "vargte", number_text(computed["answer"] - part.tolerance), respident="response1")
        _sub(within, "varlte", number_text(computed["answer"] + part.tolerance), respident="response1")
        score(condition)
        for i, (_, hint) in enumerate(part.slips):  # a slip's hint, shown to a student who made it
            slip = _sub(processing, "respcondition", **{"continue": "Yes"})
            near = _sub(_sub(slip, "conditionvar"), "and")
            _sub(near, "vargte", number_text(computed[f"slip {i}"] - part.tolerance), respident="response1")
            _sub(near, "varlte", number_text(computed[f"slip {i}"] + part.tolerance), respident="response1")
            _sub(slip, "displayfeedback", feedbacktype="Response", linkrefid=f"slip{i}_fb")
            _mattext(_sub(_sub(item, "itemfeedback", ident=f"slip{i}_fb"), "flow_mat"), f"<p>{hint}</p>")
    elif part.kind == "text":
        condition = _sub(processing, "respcondition", **{"continue": "No"})
        variables = _sub(condition, "conditionvar")
        for accepted in part.accept:
            _sub(variables, "varequal", accepted, respident="response1")
        score(condition)
    elif part.kind in ("choice", "select"):
        cardinality = "Single" if part.kind == "choice" else "Multiple"
        response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
        render = _sub(response, "render_choice")
        for i, choice in enumerate(part.choices):
            label = _sub(render, "response_label", ident=f"c{i}")
            _mattext(label, to_html(choice.text))
            feedback = _sub(processing, "respcondition", **{"continue": "Yes"})
            _sub(_sub(feedback, "conditionvar"), "varequal", f"c{i}", respident="response1")
            _sub(feedback, "displayfeedback", feedbacktype="Response", linkrefid=f"c{i}_fb")
            _mattext(
                _sub(_sub(item, "itemfeedback", ident=f"c{i}_fb"), "flow_mat"), to_html(explanation(question, choice))
            )
        condition = _sub(processing, "respcondition", **{"continue": "No"})
        every = _sub(_sub(condition, "conditionvar"), "and")
        for i, choice in enumerate(part.choices):
            if choice.correct:
                _sub(every, "varequal", f"c{i}", respident="response1")
            elif part.kind == "select":
                _sub(_sub(every, "not"), "varequal", f"c{i}", respident="response1")
        score(condition)


def qti_package(questions: list[Question], site_url: str, seed: int = 0) -> bytes:
    """A QTI content package: the manifest and the assessment, zipped with fixed dates."""
    manifest = ET.Element("manifest", identifier="diffusion-vs-llms-practice-package", xmlns=MANIFEST)
    metadata = _sub(manifest, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    _sub(manifest, "organizations")
    resource = _sub(_sub(manifest, "resources"), "resource", identifier="practice", type="imsqti_xmlv1p2")
    _sub(resource, "file", href="practice/practice.xml")
    ET.indent(manifest)
    files = {
        "imsmanifest.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(manifest, encoding="utf-8"),
        "practice/practice.xml": qti_assessment(questions, site_url, seed),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system writes it: the same bytes everywhere
            archive.writestr(info, data)
    return buffer.getvalue()


LIBRARIES = ("jinja2", "markdown", "numpy", "pymdown-extensions", "pyyaml")
"""The libraries that compute and write the files: their versions are part of the cache key."""


def platform_files(questions: list[Question], bank: Path, site_url: str, titles: dict[str, str]) -> dict[str, bytes]:
    """The Moodle XML and QTI files of the bank, by their path in the site. They are made again only
    when something they are made from changes: the bank's files, the snippets its answers include,
    the code that computes and writes them (``src/``), the site's address, the pages' titles, the
    libraries' versions; otherwise they come from the cache (``exports``), at every build and every
    rebuild of ``mkdocs serve``."""
    sources = [*bank.iterdir(), *(ROOT / "snippets").rglob("*.py"), *(ROOT / "src").rglob("*.py")]
    parts: list[str | bytes] = [site_url, json.dumps(titles, sort_keys=True)]
    parts += [f"{name} {version(name)}" for name in LIBRARIES]
    for path in sorted(p for p in sources if p.is_file()):
        parts += [str(path), path.read_bytes()]
    folder = cache.folder("exports") / cache.key(*parts)
    stored = {uri: folder / Path(uri).name for uri in (MOODLE, QTI)}
    if all(path.is_file() for path in stored.values()):
        return {uri: path.read_bytes() for uri, path in stored.items()}
    made = {MOODLE: moodle_xml(questions, site_url, titles), QTI: qti_package(questions, site_url)}
    for uri, data in made.items():
        cache.write_atomic(stored[uri], data)
    return made
