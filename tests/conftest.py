"""Helpers shared by the tests: small sites on disk, builds, parsed HTML."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.builder import Build, build
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics

SITES = Path(__file__).parent / "sites"
REQUIRE_ALL = os.environ.get("SITE_BUILDER_REQUIRE_ALL") == "1"


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (paths relative to root) and return root/content."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (root / "content").mkdir(exist_ok=True)
    return root / "content"


def run_build(content: Path, output: Path, write: bool = True, use_cache: bool = True, **options) -> Build:
    """Build content into output the way the command line does; returns the Build."""
    diags = Diagnostics()
    config = load_config(content, diags, output_dir=output, **options)
    result = build(config, write=write and not diags.failed(config.strict), use_cache=use_cache)
    result.diags.items[:0] = diags.items
    return result


def parse(output: Path, url: str) -> BeautifulSoup:
    """The parsed page that url (a site path such as /people/x/) is written to."""
    rel = url.lstrip("/")
    path = output / (rel + "index.html" if rel.endswith("/") or not rel else rel)
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(title="An article", date="2020-01-01", body="Body.", **fields) -> str:
    """Front matter + body for a test article; fields are YAML lines (key: raw text)."""
    lines = ["---", f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join(lines + ["---", body, ""])


def skip_or_fail(reason: str) -> None:
    """Skip with reason, or fail when CI requires every test to run."""
    if REQUIRE_ALL:
        pytest.fail(f"required by SITE_BUILDER_REQUIRE_ALL=1 but unavailable: {reason}")
    pytest.skip(reason)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (which cannot download browsers here)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed (pip install -r requirements-test.txt)")
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/cienfuegos-file/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The example site built under a sub-path and served over HTTP at that sub-path."""
    root = tmp_path_factory.mktemp("served")
    output = root / PREFIX.strip("/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        _QuietHandler, directory=str(root)))
    base_url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    result = run_build(ROOT / "content", output, base_url=base_url)
    assert not result.diags.items, [str(d) for d in result.diags.items]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield output, base_url
    server.shutdown()


