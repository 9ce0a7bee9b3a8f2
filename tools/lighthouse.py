"""Lighthouse scores of the built site (``make lighthouse``, optional: not part of ``make test``).

Installs Lighthouse 12.2.3 (newer releases need Node.js 22) into ``.cache/lighthouse``, serves
``site/`` on 127.0.0.1, and audits the home page and the heaviest page (largest HTML) with the mobile
preset, using Debian's Chromium with the same flags as the browser tests. The local server sends
text gzip-compressed, as GitHub Pages does. Lighthouse's scores vary from run to run (its simulated
phone scales the CPU time it observes), so each page is audited ``--runs`` times and the median run
(by performance) is reported, with its metrics. Targets: performance >= 0.95, accessibility, best
practices and SEO = 1.0. Prints a table and writes ``lighthouse.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from guide_build.browser import find_chromium, flags_string, serve

ROOT = Path(__file__).resolve().parent.parent
VERSION = "12.2.3"
PREFIX = ROOT / ".cache" / "lighthouse"
CLI = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def install() -> None:
    if CLI.exists():
        return
    PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-save", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
        check=True,
    )


def audit(url: str, chromium: str) -> dict:
    """One Lighthouse run of ``url``: scores, metrics and the binary audits that failed."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                "node",
                str(CLI),
                url,
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
    audits = data["audits"]
    return {
        "scores": {key: data["categories"][key]["score"] for key in TARGETS},
        "metrics": {short: audits[key]["displayValue"].replace("\u00a0", " ") for key, short in METRICS.items()},
        "failing_audits": [
            f"{a['id']}: {a['title']}"
            for a in audits.values()
            if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"
        ][:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is reported)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be >= 1, got {args.runs}")
    site = ROOT / "site"
    if not (site / "index.html").exists():
        raise SystemExit("site/ is not built: run `make build` first")
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("Lighthouse needs Chromium: apt-get install chromium-headless-shell")
    install()
    pages = {p: p.stat().st_size for p in site.rglob("index.html") if "handouts" not in p.parts}
    heaviest = max(pages, key=pages.get)
    targets = {"home": "", "heaviest": str(heaviest.parent.relative_to(site)) + "/"}
    results = {}
    with serve(site) as base:
        for label, path in targets.items():
            runs = [audit(base + path, chromium) for _ in range(args.runs)]
            performance = [run["scores"]["performance"] for run in runs]
            median = sorted(runs, key=lambda run: run["scores"]["performance"])[len(runs) // 2]
            results[label] = {
                "page": path or "/",
                **median,
                "performance_runs": performance,
                "performance_median": statistics.median(performance),
            }
    print(f"{'page':32} " + " ".join(f"{k:>15}" for k in TARGETS))
    for label, result in results.items():
        cells = []
        for key, target in TARGETS.items():
            score = result["scores"][key]
            mark = "" if score is not None and score >= target else " (<" + str(target) + ")"
            cells.append(f"{score!s:>10}{mark:>5}")
        print(f"{label + ' ' + result['page']:32} " + " ".join(cells))
        metrics = ", ".join(f"{name} {value}" for name, value in result["metrics"].items())
        print(
            f"    median run: {metrics}; performance in {len(result['performance_runs'])} runs: "
            f"{result['performance_runs']}"
        )
        for failing in result["failing_audits"]:
            print(f"    failing: {failing}")
    (ROOT / "lighthouse.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
