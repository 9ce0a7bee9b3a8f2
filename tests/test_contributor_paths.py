"""The contributor's path, proven: a new page is two edits (the page and its line in the nav), and
with nothing else touched the strict build and the page's tests pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guide_build.mkdocs import mkdocs_build
from tests.markdown_blocks import ROOT

NEW_PAGE = """# Sampling temperature in one line

Dividing the logits by a temperature below one sharpens the distribution of the next token.

```python
from diffusion_vs_llms.probability import softmax

sharp = softmax([2.0, 1.0, 0.0], temperature=0.5)
flat = softmax([2.0, 1.0, 0.0], temperature=2.0)
assert sharp[0] > flat[0]
```
"""

PAGE_TESTS = [
    "docs/sampling-in-one-line.md",
    "tests/test_code_blocks.py",
    "tests/test_prose_numbers.py",
    "tests/test_glossary.py",
    "tests/test_lint.py",
]
"""The fast-tier tests that read every page, and the new page's own code block."""


@pytest.mark.build
def test_a_new_page_needs_only_the_page_and_its_nav_line(tmp_path: Path):
    copy = tmp_path / "project"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in tracked.stdout.split("\0"):
        if name and (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")

    (copy / "docs" / "sampling-in-one-line.md").write_text(NEW_PAGE, encoding="utf-8")
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    nav_line = "  - Side by side: comparison.md\n"
    assert nav_line in config
    (copy / "mkdocs.yml").write_text(
        config.replace(nav_line, nav_line + "  - Sampling in one line: sampling-in-one-line.md\n"), encoding="utf-8"
    )
    changed = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)

    env = {**os.environ, "HANDOUTS": "0"}  # the HTML site, as `make build`; the handouts have tests of their own
    build = mkdocs_build(tmp_path / "site", env, cwd=copy)
    assert build.returncode == 0, build.stderr[-3000:]
    assert "temperature" in (tmp_path / "site" / "sampling-in-one-line" / "index.html").read_text(encoding="utf-8")

    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-m", "not build", *PAGE_TESTS],
        cwd=copy,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SITE_DIR"))},
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert "PASSED docs/sampling-in-one-line.md::" in tests.stdout, tests.stdout[-3000:]
    assert (
        subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        == changed.stdout
    ), "the test touched the repository"
