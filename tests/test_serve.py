"""The local server of the built site (src/guide_build/browser.py) sends what a production host would."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from guide_build.browser import serve


def _get(url: str, gzip_ok: bool) -> tuple[dict[str, str], bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return dict(response.headers), response.read()


def test_text_is_gzip_compressed_for_browsers_that_accept_it(tmp_path: Path):
    page = "<!doctype html><title>t</title>" + "<p>repeated text</p>" * 200
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "font.woff2").write_bytes(b"wOF2" + bytes(range(256)) * 4)
    with serve(tmp_path) as base:
        headers, body = _get(base + "docs/", gzip_ok=True)
        assert headers["Content-Encoding"] == "gzip"
        assert int(headers["Content-Length"]) == len(body) < len(page) / 5
        assert gzip.decompress(body).decode() == page
        headers, body = _get(base + "docs/", gzip_ok=False)
        assert "Content-Encoding" not in headers and body.decode() == page
        headers, body = _get(base + "font.woff2", gzip_ok=True)  # compressed already: sent as it is
        assert "Content-Encoding" not in headers and body == (tmp_path / "font.woff2").read_bytes()
        headers, body = _get(base + "docs", gzip_ok=True)  # redirected to the folder's URL with a slash
        assert gzip.decompress(body).decode() == page
