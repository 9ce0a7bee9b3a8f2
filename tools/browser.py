"""Debian's Chromium for everything that drives a browser: the PDF handouts (``hooks/handouts.py``),
the browser tests, the benchmark and Lighthouse. One place says where Chromium is, how it is started
(no network beyond 127.0.0.1, no background services), and how the built site is served locally.
"""

from __future__ import annotations

import functools
import os
import shutil
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
]
"""Chromium's command-line flags: every host but 127.0.0.1 resolves to nothing."""


def find_chromium() -> str | None:
    """Path of the Chromium binary: ``$CHROMIUM``, else ``chromium`` on PATH, else None.

    Raises ValueError if ``$CHROMIUM`` names a file that does not exist.
    """
    configured = os.environ.get("CHROMIUM")
    if configured:
        if not Path(configured).is_file():
            raise ValueError(f"CHROMIUM={configured} does not exist; unset it or point it at a Chromium binary")
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def flags_string() -> str:
    """:data:`FLAGS` as one string (Lighthouse's ``--chrome-flags``), values with spaces quoted."""
    return " ".join(f"{f.split('=', 1)[0]}='{f.split('=', 1)[1]}'" if " " in f else f for f in FLAGS)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
