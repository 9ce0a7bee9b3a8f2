"""Link check of the built site: every internal link and anchor resolves; external links are listed and
checked against an allow-list of sites (``tools/external-links.txt``), never fetched.

Usage: ``python tools/check_links.py [SITE_DIR] [--list]``. Each broken link is printed as
``page: href: problem``; the exit status is 1 if there is any.
"""

from __future__ import annotations

import argparse
import html
import posixpath
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
ALLOW_LIST = Path(__file__).with_name("external-links.txt")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for key in ("id", "name"):
            if attributes.get(key):
                self.ids.add(attributes[key])
        if tag == "a" and attributes.get("href") is not None:
            self.links.append(html.unescape(attributes["href"]))


def allowed_sites() -> list[str]:
    lines = ALLOW_LIST.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def site_path_prefix() -> str:
    """The path of ``site_url`` (``/study-guide/``): absolute links (the 404 page's) start with it."""
    from guide_build.mkdocs import load_config

    config = load_config()
    return urlparse(config.get("site_url") or "/").path or "/"


def check(site: Path, prefix: str = "/") -> tuple[list[str], Counter]:
    pages: dict[str, Page] = {}
    for path in sorted(site.rglob("*.html")):
        parser = Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = parser
    allowed = allowed_sites()
    problems, external = [], Counter()
    for name, page in pages.items():
        for href in page.links:
            url = urlparse(href)
            if url.scheme in ("http", "https"):
                host = url.netloc.lower()
                external[host] += 1
                if not any(host == site_name or host.endswith("." + site_name) for site_name in allowed):
                    problems.append(f"{name}: {href}: external site {host} is not in {ALLOW_LIST.relative_to(ROOT)}")
                continue
            if url.scheme in ("mailto",):
                continue
            if url.scheme:
                problems.append(f"{name}: {href}: unexpected link scheme {url.scheme}:")
                continue
            target = name
            if url.path.startswith("/"):
                if not url.path.startswith(prefix):
                    problems.append(f"{name}: {href}: absolute link outside the site's path {prefix}")
                    continue
                url = url._replace(path="/" + url.path[len(prefix) :])
            if url.path:
                base = "" if url.path.startswith("/") else posixpath.dirname(name)
                target = posixpath.normpath(posixpath.join(base, unquote(url.path).lstrip("/")))
                if url.path.endswith("/") or (site / target).is_dir():
                    target = posixpath.normpath(posixpath.join(target, "index.html"))
                if target.startswith("..") or not (site / target).exists():
                    problems.append(f"{name}: {href}: no such file {target}")
                    continue
            if url.fragment and target.endswith(".html") and url.fragment not in pages[target].ids:
                problems.append(f"{name}: {href}: no anchor #{url.fragment} in {target}")
    return problems, external


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--list", action="store_true", help="list the external sites linked to")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site (run `make build`)")
    problems, external = check(args.site, site_path_prefix())
    if args.list:
        for host, count in sorted(external.items()):
            print(f"external: {host} ({count} links)")
    for problem in problems:
        print(problem)
    print(
        f"{sum(external.values())} external links to {len(external)} sites, {len(problems)} problems", file=sys.stderr
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
