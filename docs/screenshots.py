#!/usr/bin/env python3
"""Screenshots of the example site for the README, so they stay current.

    python docs/screenshots.py        # builds content/ and writes docs/*.png

Uses Debian's Chromium through Playwright, as the browser tests do."""

from __future__ import annotations

import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.builder import build  # noqa: E402
from site_builder.config import load_config  # noqa: E402
from site_builder.diagnostics import Diagnostics  # noqa: E402

SHOTS = {"dossier": "people/salvador-cienfuegos/", "article": "articles/mexico-agreed-to-nab-cartel-leader/",
         "timeline": "timeline/"}
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=tmp))
        base = f"http://127.0.0.1:{server.server_address[1]}/site/"
        diags = Diagnostics()
        result = build(load_config(ROOT / "content", diags, base_url=base, output_dir=Path(tmp) / "site",
                                   no_search=True))
        if result.diags.failed():
            print("\n".join(map(str, result.diags.sorted())), file=sys.stderr)
            return 1
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            for name, path in SHOTS.items():
                for size, viewport in SIZES.items():
                    page = browser.new_page(viewport=viewport, device_scale_factor=1)
                    page.goto(base + path)
                    out = ROOT / "docs" / f"{name}-{size}.png"
                    page.screenshot(path=str(out))
                    print(out.relative_to(ROOT))
                    page.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
