"""Benchmark of the site: what it costs to build, to load and to test (``make bench``).

Measured on this machine, as medians of ``--runs`` runs (the test-suite times are single runs):

- cold build (every cache removed), warm build (nothing changed), and the rebuild of ``mkdocs serve``
  after a one-line Markdown edit, of the HTML site as ``make build`` builds it;
- the cold build with the PDF handouts, as ``make pdf`` and CI build it (reported: printing the
  handouts' pages is most of it);
- a baseline: the same Markdown built by plain Material for MkDocs, with no hooks, no notebooks and
  no figures, so the project's overhead is a ratio measured in the same run;
- every page's first visit in Chromium: bytes transferred (gzip-compressed) and number of requests;
- the test suite without and with its browser part.

Prints a table, writes ``bench.json``, and exits non-zero only if a measurement fails (a missed
target is reported, with the margin, not treated as an error).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from guide_build.browser import DRAW_EVERYTHING, FLAGS, find_chromium, serve
from guide_build.mkdocs import load_config

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDOUTS": "0"}
TARGETS = {
    "cold_build_s": 45.0,
    "warm_build_s": 5.0,
    "edit_rebuild_s": 2.0,
    "page_gzip_kb": 300.0,
    "page_requests": 25,
}


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def build(site: Path, handouts: bool = False) -> float:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    return timed(command, {**ENV, "HANDOUTS": "1"} if handouts else ENV)


def baseline_config(folder: Path) -> Path:
    """mkdocs.yml for plain Material: the same pages and Markdown extensions, no hooks or plugins."""

    config = load_config()
    for key in ("hooks", "watch", "extra_javascript"):
        config.pop(key, None)
    config["plugins"] = ["search"]
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"] = {"name": "material", "font": False, "features": config["theme"]["features"]}
    config["nav"] = [entry for entry in config["nav"] if "Notebooks" not in entry]
    config["validation"] = {"links": {"not_found": "info"}, "omitted_files": "info"}
    for index, extension in enumerate(config["markdown_extensions"]):
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            extension["pymdownx.snippets"]["base_path"] = [str(ROOT)]
        config["markdown_extensions"][index] = extension
    path = folder / "mkdocs-baseline.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def plain_build(site: Path, config: Path) -> float:
    return timed([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)])


def edit_rebuild_seconds(runs: int) -> list[float]:
    """Wall time from saving a one-line edit of a page to ``mkdocs serve`` finishing its rebuild."""
    page = ROOT / "docs" / "glossary.md"
    original = page.read_text(encoding="utf-8")
    port = 8123
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],  # as `make serve`
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()

    def wait_for_build(after: int, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any("Documentation built in" in line or "Reloading browsers" in line for line in lines[after:]):
                return
            time.sleep(0.02)
        raise SystemExit("mkdocs serve did not finish a build:\n" + "".join(lines[-30:]))

    results = []
    try:
        wait_for_build(0)
        time.sleep(1.0)
        for run in range(runs):
            mark = len(lines)
            started = time.perf_counter()
            page.write_text(original + f"\nA one-line edit, number {run}.\n", encoding="utf-8")
            wait_for_build(mark)
            results.append(time.perf_counter() - started)
            time.sleep(1.0)
    finally:
        page.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=30)
    return results


def page_weights(site: Path) -> dict[str, dict[str, float]]:
    """First-visit bytes (gzip-compressed, as a server would send them) and requests of every page."""
    from playwright.sync_api import sync_playwright

    pages = sorted(
        str(p.relative_to(site).parent).replace(".", "") + "/"
        for p in site.rglob("index.html")
        if "handouts" not in p.parts
    )
    weights = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=FLAGS)
        for path in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            responses = []
            page.on("requestfinished", lambda request, found=responses: found.append(request))
            page.goto(base + path, wait_until="networkidle")
            # a reader who scrolls through the page draws every deferred block (and loads the fonts its
            # formulas use) and every lazy image (not the hidden colour scheme's variant)
            page.add_style_tag(content=DRAW_EVERYTHING)
            page.evaluate(
                "document.querySelectorAll('img[loading=lazy]')"
                ".forEach(i => { if (i.getClientRects().length) i.loading = 'eager'; })"
            )
            # and the data of each explorable figure, fetched when the reader reaches it
            page.evaluate("document.querySelectorAll('figure[data-explorable]').forEach(f => f.scrollIntoView())")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.wait_for_function(
                "Array.from(document.images).every(img => img.complete || !img.getClientRects().length)"
            )
            page.wait_for_load_state("networkidle")
            total = 0
            for request in responses:
                response = request.response()
                body = response.body() if response else b""
                total += len(gzip.compress(body, 6))
            weights[path] = {"gzip_kb": round(total / 1024, 1), "requests": len(responses)}
            context.close()
        browser.close()
    return weights


def test_suite_seconds() -> dict[str, float]:
    without = timed([sys.executable, "-m", "pytest", "-q", "-m", "not browser", "-p", "no:randomly"])
    with_browser = timed([sys.executable, "-m", "pytest", "-q"])
    return {"tests_without_browser_s": round(without, 1), "tests_with_browser_s": round(with_browser, 1)}


def verdict(value: float, target: float) -> str:
    if value <= target:
        return "ok"
    return f"MISSED by {value - target:.1f} ({(value / target - 1) * 100:.0f} %)"


def print_table(results: dict) -> None:
    print()
    if "cold_build_s" in results:  # absent after --pages-only on a fresh output file
        print(f"{'measurement':48} {'value':>10} {'target':>8}  verdict")
        for name, key in (
            ("cold build (s)", "cold_build_s"),
            ("warm build (s)", "warm_build_s"),
            ("rebuild after a one-line edit (s)", "edit_rebuild_s"),
        ):
            print(f"{name:48} {results[key]:>10} {TARGETS[key]:>8}  {verdict(results[key], TARGETS[key])}")
        print(f"{'cold build with the PDF handouts (s)':48} {results['cold_build_with_handouts_s']:>10}")
        print(f"{'plain Material build of the same Markdown (s)':48} {results['baseline_build_s']:>10}")
        cold, warm = results["cold_over_baseline"], results["warm_over_baseline"]
        print(f"{'cold / plain, warm / plain':48} {cold:>5}x {warm:>4}x")
    for key in ("tests_without_browser_s", "tests_with_browser_s"):
        if key in results:
            print(f"{key.replace('_', ' '):48} {results[key]:>10}")
    print()
    print(f"{'page (first visit)':40} {'gzip KB':>8} {'target':>7} {'requests':>9} {'target':>7}  verdict")
    for path, weight in results.get("pages", {}).items():
        notes = [
            verdict(weight["gzip_kb"], TARGETS["page_gzip_kb"]),
            verdict(weight["requests"], TARGETS["page_requests"]),
        ]
        note = "ok" if notes == ["ok", "ok"] else "; ".join(n for n in notes if n != "ok")
        print(
            f"{path:40} {weight['gzip_kb']:>8} {TARGETS['page_gzip_kb']:>7} {weight['requests']:>9} "
            f"{TARGETS['page_requests']:>7}  {note}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per build measurement (median reported)")
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    parser.add_argument("--output", type=Path, default=ROOT / "bench.json")
    parser.add_argument(
        "--pages-only", action="store_true", help="measure only the page weights of site/, updating --output"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be >= 1, got {args.runs}")

    if args.pages_only:
        results = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else {}
        results["pages"] = page_weights(ROOT / "site")
        args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print_table(results)
        return 0
    results: dict[str, object] = {"runs": args.runs, "machine": f"{os.cpu_count()} cores"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cold, warm = [], []
        for run in range(args.runs):
            shutil.rmtree(ROOT / ".cache", ignore_errors=True)
            cold.append(build(tmp_path / f"cold{run}"))
            print(f"cold build {run + 1}/{args.runs}: {cold[-1]:.1f} s", flush=True)
        with_handouts = []
        for run in range(args.runs):
            shutil.rmtree(ROOT / ".cache", ignore_errors=True)
            with_handouts.append(build(tmp_path / f"pdf{run}", handouts=True))
            print(f"cold build with the PDF handouts {run + 1}/{args.runs}: {with_handouts[-1]:.1f} s", flush=True)
        for run in range(args.runs):
            warm.append(build(tmp_path / f"warm{run}"))
            print(f"warm build {run + 1}/{args.runs}: {warm[-1]:.1f} s", flush=True)
        edits = edit_rebuild_seconds(args.runs)
        print(f"rebuilds after a one-line edit: {[round(e, 2) for e in edits]}", flush=True)
        config = baseline_config(tmp_path)
        plain = [plain_build(tmp_path / f"plain{run}", config) for run in range(args.runs)]
        print(f"plain Material builds: {[round(p, 2) for p in plain]}", flush=True)
        results.update(
            cold_build_s=round(statistics.median(cold), 2),
            cold_build_with_handouts_s=round(statistics.median(with_handouts), 2),
            warm_build_s=round(statistics.median(warm), 2),
            edit_rebuild_s=round(statistics.median(edits), 2),
            baseline_build_s=round(statistics.median(plain), 2),
        )
        results["cold_over_baseline"] = round(results["cold_build_s"] / results["baseline_build_s"], 1)
        results["warm_over_baseline"] = round(results["warm_build_s"] / results["baseline_build_s"], 1)
        results["pages"] = page_weights(tmp_path / "warm0")
    if not args.skip_tests:
        results.update(test_suite_seconds())

    print_table(results)
    results["targets"] = TARGETS
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
