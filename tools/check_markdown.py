"""Markdown safety check for pull requests: no scripts, embeds, forms, event handlers, unsafe URLs or
remote media in ``docs/``.

Usage: ``python tools/check_markdown.py [FILE_OR_FOLDER ...]`` (default: ``docs``). Each finding is
printed as ``file:line:column: RULE message (fix: ...)``; the exit status is 1 if there is any.
Code (fenced blocks and inline code spans) is not checked: showing markup in code is safe.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern[str]
    message: str
    fix: str


RULES = [
    Rule(
        "MD-SCRIPT",
        re.compile(r"<\s*script\b", re.I),
        "raw <script> element",
        "remove it; pages run no scripts of their own (put interactive examples in a notebook)",
    ),
    Rule(
        "MD-IFRAME",
        re.compile(r"<\s*iframe\b", re.I),
        "raw <iframe> element",
        "link to the page instead of embedding it",
    ),
    Rule(
        "MD-OBJECT",
        re.compile(r"<\s*object\b", re.I),
        "raw <object> element",
        "use a figure drawn by code (see Contributing: Add a figure) or a link",
    ),
    Rule(
        "MD-EMBED",
        re.compile(r"<\s*embed\b", re.I),
        "raw <embed> element",
        "use a figure drawn by code (see Contributing: Add a figure) or a link",
    ),
    Rule(
        "MD-FORM",
        re.compile(r"<\s*form\b", re.I),
        "raw <form> element",
        "remove it; the site is static and collects no input",
    ),
    Rule(
        "MD-EVENT-HANDLER",
        re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.I),
        "inline event handler attribute",
        "remove the on...= attribute; pages run no inline JavaScript",
    ),
    Rule(
        "MD-JAVASCRIPT-URL",
        re.compile(r"(?:\]\(\s*<?|\b(?:href|src)\s*=\s*[\"']?)\s*javascript:", re.I),
        "javascript: URL in a link",
        "link to a page or an https:// address",
    ),
    Rule(
        "MD-DATA-URL",
        re.compile(r"(?:\]\(\s*<?|\b(?:href|src)\s*=\s*[\"']?)\s*data:", re.I),
        "data: URL in a link or image",
        "add the file to the repository, or draw the image with code (see Contributing: Add a figure)",
    ),
    Rule(
        "MD-REMOTE-MEDIA",
        re.compile(
            r"!\[[^\]]*\]\(\s*<?(?:https?:)?//|<\s*(?:img|video|audio|source|track)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//",
            re.I,
        ),
        "image or media loaded from another site",
        "the site loads nothing from elsewhere: draw the figure with code or add the file to the repository",
    ),
]

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def code_free_lines(text: str) -> list[str]:
    """The lines of ``text`` with fenced code blocks and inline code blanked out (columns kept)."""
    lines, fence = [], None
    for line in text.splitlines():
        match = FENCE.match(line)
        if fence is None and match:
            fence = match[2][0] * len(match[2])
            lines.append("")
            continue
        if fence is not None:
            if match and match[2].startswith(fence):
                fence = None
            lines.append("")
            continue
        lines.append(INLINE_CODE.sub(lambda m: " " * len(m[0]), line))
    return lines


def check_file(path: Path) -> list[str]:
    findings = []
    try:
        shown = path.relative_to(ROOT)
    except ValueError:
        shown = path
    for number, line in enumerate(code_free_lines(path.read_text(encoding="utf-8")), 1):
        for rule in RULES:
            for match in rule.pattern.finditer(line):
                findings.append(f"{shown}:{number}:{match.start() + 1}: {rule.code} {rule.message} (fix: {rule.fix})")
    return findings


def markdown_files(arguments: list[str]) -> list[Path]:
    files = []
    for argument in arguments or [str(ROOT / "docs")]:
        path = Path(argument)
        if not path.exists():
            raise SystemExit(f"check_markdown: {argument}: no such file or folder")
        files += sorted(path.rglob("*.md")) if path.is_dir() else [path]
    return files


def main(arguments: list[str]) -> int:
    findings = [finding for path in markdown_files(arguments) for finding in check_file(path)]
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} unsafe construct(s) found", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
