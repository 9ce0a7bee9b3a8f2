"""Lighthouse scores of the built site (``make lighthouse``, optional: not part of ``make test``).

Installs Lighthouse 12.2.3 (newer releases need Node.js 22) into ``.cache/lighthouse``, serves
``site/`` on 127.0.0.1, and audits the home page and the heaviest page (largest HTML) with the mobile
preset, using Debian's Chromium with the same flags as the browser tests. Targets: performance
>= 0.95, accessibility, best practices and SEO = 1.0. Prints a table and writes ``lighthouse.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.browser import find_chromium, flags_string, serve

ROOT = Path(__file__).resolve().parent.parent
VERSION = "12.2.3"
PREFIX = ROOT / ".cache" / "lighthouse"
CLI = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


def install() -> None:
    if CLI.exists():
        return
    PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-save", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
        check=True,
    )


def main() -> int:
    site = ROOT / "site"
    if not (site / "index.html").exists():
        raise SystemExit("site/ is not built: run `make build` first")
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("Lighthouse needs Chromium: apt-get install chromium")
    install()
    pages = {p: p.stat().st_size for p in site.rglob("index.html") if "handouts" not in p.parts}
    heaviest = max(pages, key=pages.get)
    targets = {"home": "", "heaviest": str(heaviest.parent.relative_to(site)) + "/"}
    results = {}
    with serve(site) as base:
        for label, path in targets.items():
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "report.json"
                subprocess.run(
                    [
                        "node",
                        str(CLI),
                        base + path,
                        f"--chrome-path={chromium}",
                        f"--chrome-flags=--headless=new {flags_string()}",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        "--output=json",
                        f"--output-path={report}",
                        "--quiet",
                    ],
                    check=True,
                    env={"PATH": "/usr/bin:/bin", "HOME": tmp, "CHROME_PATH": chromium},
                )
                data = json.loads(report.read_text(encoding="utf-8"))
            scores = {key: data["categories"][key]["score"] for key in TARGETS}
            failing = [
                f"{audit['id']}: {audit['title']}"
                for audit in data["audits"].values()
                if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
            ]
            results[label] = {"page": path or "/", "scores": scores, "failing_audits": failing[:10]}
    print(f"{'page':32} " + " ".join(f"{k:>15}" for k in TARGETS))
    for label, result in results.items():
        cells = []
        for key, target in TARGETS.items():
            score = result["scores"][key]
            mark = "" if score is not None and score >= target else " (<" + str(target) + ")"
            cells.append(f"{score!s:>10}{mark:>5}")
        print(f"{label + ' ' + result['page']:32} " + " ".join(cells))
        for audit in result["failing_audits"]:
            print(f"    failing: {audit}")
    (ROOT / "lighthouse.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
