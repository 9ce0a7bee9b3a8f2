"""Debian's Chromium for everything that drives a browser: the PDF handouts (``hooks/handouts.py``),
the browser tests, the benchmark and Lighthouse. One place says where Chromium is, how it is started
(no network beyond 127.0.0.1, no background services), and how the built site is served locally.

The browser is Debian's ``chromium-headless-shell`` where it is installed: the same Blink as the
``chromium`` package, built without the browser's user interface, as the headless shell Playwright
itself runs for headless work. Pages are laid out and printed by the same engine, with a browser
process that has no windows to manage. ``chromium`` is the fallback.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--font-render-hinting=none",
]
"""Chromium's command-line flags: every host but 127.0.0.1 resolves to nothing; text is laid out with
the glyphs' own widths, as by ``chromium`` here, where the headless shell would otherwise hint them
fully (narrower formulas, other line breaks in a handout)."""


DRAW_EVERYTHING = "* { content-visibility: visible !important; }"
"""A stylesheet that draws the blocks ``extra.css`` defers until the reader scrolls near them, for
checks that measure the whole page (axe, page weight)."""


def find_chromium() -> str | None:
    """Path of the Chromium binary: ``$CHROMIUM``, else ``chromium-headless-shell`` on PATH, else
    ``chromium`` (or ``chromium-browser``), else None.

    Raises ValueError if ``$CHROMIUM`` names a file that does not exist.
    """
    configured = os.environ.get("CHROMIUM")
    if configured:
        if not Path(configured).is_file():
            raise ValueError(f"CHROMIUM={configured} does not exist; unset it or point it at a Chromium binary")
        return configured
    return shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("chromium-browser")


@functools.lru_cache(maxsize=8)
def identity(chromium: str) -> str:
    """What a cache key holds of the browser whose layout it keeps (a PDF, a formula's widths): its
    path, the version it reports and :data:`FLAGS`. An upgraded Chromium at the same path lays out anew."""
    reported = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=False, timeout=60)
    if reported.returncode != 0:
        raise ValueError(f"{chromium} --version failed ({reported.returncode}): {reported.stderr.strip()[:300]}")
    return "\n".join([chromium, reported.stdout.strip(), *FLAGS])


def flags_string() -> str:
    """:data:`FLAGS` as one string (Lighthouse's ``--chrome-flags``), values with spaces quoted."""
    return " ".join(f"{f.split('=', 1)[0]}='{f.split('=', 1)[1]}'" if " " in f else f for f in FLAGS)


COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
"""Content types sent gzip-compressed, as GitHub Pages does; fonts and WebP are compressed already."""


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), 6, mtime=0)


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files like a production host: gzip for text when the browser accepts it, no request log."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the URL with a trailing slash
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and content_type.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass


class _SiteServer(ThreadingHTTPServer):
    """A thread per request, and room for every connection a browser opens at once: the default
    backlog of 5 lets the kernel drop the rest, which the browser retries only after seconds."""

    request_queue_size = 128


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs; yields the base URL.

    Text files (HTML, CSS, JavaScript, JSON, SVG) are sent gzip-compressed to a browser that accepts
    it, as GitHub Pages serves them, so load measurements see what a reader's browser receives.
    """
    server = _SiteServer(("127.0.0.1", 0), functools.partial(_SiteHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
