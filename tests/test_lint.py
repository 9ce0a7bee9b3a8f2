"""The pull-request checks of `make lint`: each fires on a bad input with its promised message, and the
repository passes all of them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.markdown_blocks import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "markdown-safety"
RULES = sorted(p.stem for p in FIXTURES.glob("MD-*.md"))
BIN = Path(sys.executable).parent


def run(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_every_safety_rule_has_a_fixture():
    source = (ROOT / "tools" / "check_markdown.py").read_text(encoding="utf-8")
    assert sorted(re.findall(r'Rule\(\s*"(MD-[A-Z-]+)"', source)) == RULES
    assert len(RULES) == 9


@pytest.mark.parametrize("rule", RULES)
def test_safety_rule_fires_with_file_line_column_rule_and_fix(rule):
    proc = run(sys.executable, "tools/check_markdown.py", str(FIXTURES / f"{rule}.md"))
    assert proc.returncode == 1
    findings = proc.stdout.strip().splitlines()
    assert len(findings) == 1, findings
    assert re.match(rf"tests/fixtures/markdown-safety/{rule}\.md:\d+:\d+: {rule} .+ \(fix: .+\)$", findings[0])


def test_markup_inside_code_is_not_flagged():
    proc = run(sys.executable, "tools/check_markdown.py", str(FIXTURES / "safe-code.md"))
    assert proc.returncode == 0, proc.stdout


def test_the_docs_pass_the_safety_check():
    proc = run(sys.executable, "tools/check_markdown.py", "docs")
    assert proc.returncode == 0, proc.stdout


def test_links_and_anchors_of_the_built_site_resolve(site_dir):
    proc = run(sys.executable, "tools/check_links.py", str(site_dir), "--list")
    assert proc.returncode == 0, proc.stdout
    assert "external: arxiv.org" in proc.stdout


def test_a_missing_anchor_and_an_unlisted_site_are_reported(tmp_path):
    (tmp_path / "index.html").write_text(
        '<h1 id="top">Home</h1><a href="page/#nowhere">x</a><a href="https://unknown.example/">y</a>'
        '<a href="missing/">z</a>',
        encoding="utf-8",
    )
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text('<h1 id="here">Page</h1><a href="../#top">back</a>', "utf-8")
    proc = run(sys.executable, "tools/check_links.py", str(tmp_path))
    assert proc.returncode == 1
    assert "index.html: page/#nowhere: no anchor #nowhere in page/index.html" in proc.stdout
    assert "index.html: https://unknown.example/: external site unknown.example is not in" in proc.stdout
    assert "index.html: missing/: no such file missing/index.html" in proc.stdout
    assert "back" not in proc.stdout


def test_spelling():
    proc = run(
        str(BIN / "codespell"),
        "--ignore-words",
        "tools/codespell-words.txt",
        *[
            "docs",
            "README.md",
            "CONTRIBUTING.md",
            "includes",
            "notebooks",
            "src",
            "snippets",
            "tests",
            "hooks",
            "tools",
        ],
    )
    assert proc.returncode == 0, proc.stdout


def test_spelling_check_fires(tmp_path):
    bad = tmp_path / "bad.md"
    misspelt = "rec" + "ieves"  # spelled out here, so the check of this file itself passes
    bad.write_text(f"The model {misspelt} a token.\n", encoding="utf-8")
    proc = run(str(BIN / "codespell"), "--ignore-words", "tools/codespell-words.txt", str(bad))
    assert proc.returncode != 0 and f"{misspelt} ==> receives" in proc.stdout


def test_markdown_style():
    proc = run(str(BIN / "pymarkdown"), "--config", ".pymarkdown.json", "scan", "docs", "README.md", "CONTRIBUTING.md")
    assert proc.returncode == 0, proc.stdout


def test_markdown_style_fires(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("# Title\n\n\n\nSee https://example.com\n", encoding="utf-8")
    proc = run(str(BIN / "pymarkdown"), "--config", ".pymarkdown.json", "scan", str(bad))
    assert proc.returncode != 0 and "MD012" in proc.stdout and "MD034" in proc.stdout


def test_ruff():
    dirs = ["src", "snippets", "tests", "hooks", "notebooks", "tools"]
    assert run(str(BIN / "ruff"), "check", *dirs).returncode == 0
    assert run(str(BIN / "ruff"), "format", "--check", *dirs).returncode == 0


def test_two_clean_builds_are_identical(site_dir):
    """The session's build against one more build from empty caches (a clean clone's build is clean)."""
    proc = run(sys.executable, "-m", "tools.check_reproducible", "--against", str(site_dir))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


def test_workflows_are_valid_and_run_only_makefile_targets():
    targets = makefile_targets()
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    for workflow in workflows:
        data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        assert data["jobs"], workflow
        for job in data["jobs"].values():
            for step in job["steps"]:
                if "run" in step:
                    command = step["run"].strip()
                    assert re.fullmatch(r"make [a-z-]+", command), f"{workflow.name}: {command!r}"
                    assert command.split()[1] in targets, f"{workflow.name}: {command!r} is not a Makefile target"
                if "uses" in step:
                    assert re.search(r"@v\d+\.\d+\.\d+$", step["uses"]), f"pin {step['uses']} to a version"
    assert {"test", "lint", "build"} <= {
        step["run"].split()[1]
        for wf in workflows
        for job in yaml.safe_load(wf.read_text())["jobs"].values()
        for step in job["steps"]
        if "run" in step
    }


def test_pre_commit_hooks_run_project_tools():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    for entry in entries:
        tool = entry.split()[0]
        assert (ROOT / tool).exists() or tool.startswith(".venv/bin/"), entry
        for path in re.findall(r"tools/[\w.-]+", entry):
            assert (ROOT / path).exists(), entry


def test_templates_exist():
    for name in ("PULL_REQUEST_TEMPLATE.md", "ISSUE_TEMPLATE/content-error.md", "ISSUE_TEMPLATE/suggestion.md"):
        assert (ROOT / ".github" / name).read_text(encoding="utf-8").strip()
