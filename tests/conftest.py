"""Helpers shared by the tests: small sites on disk, builds, parsed HTML."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import tempfile
import threading
import time
from collections.abc import Callable
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


def run_build(content: Path, output: Path, write: bool = True, use_cache: bool = False, **options) -> Build:
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


RAM_DISK = Path("/dev/shm")


def pytest_configure(config):
    """The tests' scratch folders (tmp_path) on a RAM disk (Linux's /dev/shm, a tmpfs) when it has
    room: the tests write and compare thousands of small sites, and on a virtual machine's disk the
    file system's work was a third of the suite's time. The same calls behave the same there
    (tests that need a full or read-only disk make their own); an explicit --basetemp or TMPDIR wins."""
    if config.option.basetemp or os.environ.get("TMPDIR") or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return
    try:
        mounted = {line.split()[1]: line.split()[2] for line in Path("/proc/mounts").read_text().splitlines()}
        room = os.statvfs(RAM_DISK)
    except OSError:
        return
    if mounted.get(str(RAM_DISK)) == "tmpfs" and room.f_bavail * room.f_frsize >= 4 << 30 \
            and os.access(RAM_DISK, os.W_OK | os.X_OK):
        tempfile.tempdir = str(RAM_DISK)


def pytest_collection_modifyitems(items):
    """Every test that uses the browser is marked `browser`, so `-m "not browser"` starts no Chromium."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


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
    """The example site built under a sub-path and served over HTTP at that sub-path. Dossiers are
    paged from 10 articles and events (not 300), so that Salvador Cienfuegos's, with 13, shows its
    newest and has a page per year, and tags from 2 articles: the browser and link checks see both
    kinds of dossier and of tag page."""
    from site_builder import page_kinds

    served = _serve(tmp_path_factory, ROOT / "content")
    with pytest.MonkeyPatch.context() as patch:  # (for the build only)
        patch.setattr(page_kinds, "DOSSIER_PAGE", 10)
        patch.setattr(page_kinds, "DOSSIER_NEWEST", 3)
        patch.setattr(page_kinds, "TAG_PAGE", 2)  # "judiciary", on three articles, too
        patch.setattr(page_kinds, "TAG_NEWEST", 1)
        where = next(served)
    yield where
    next(served, None)  # stops the server


@pytest.fixture(scope="session")
def published_spanish(tmp_path_factory):
    """The Spanish fixture site (tests/sites/spanish), served as `published` serves the example."""
    yield from _serve(tmp_path_factory, SITES / "spanish" / "content")


def _serve(tmp_path_factory, content: Path):
    root = tmp_path_factory.mktemp("served")
    output = root / PREFIX.strip("/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        _QuietHandler, directory=str(root)))
    base_url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    result = run_build(content, output, base_url=base_url)
    assert not result.diags.items, [str(d) for d in result.diags.items]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield output, base_url
    server.shutdown()


def edit(path, old, new):
    """Replace the first `old` in a text file by `new` (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder) -> dict[str, bytes]:
    """Every file under folder, by its path relative to it: equal snapshots, byte-identical trees."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@dataclasses.dataclass(frozen=True)
class Edit:
    """A change a writer makes to the basic site; `prepare` first brings a fresh copy of it to
    where the change applies (each edit is independent of the others)."""

    change: Callable[[Path], object]
    prepare: Callable[[Path], object] | None = None

    def __call__(self, content: Path) -> None:
        self.change(content)


def _fourth(c: Path) -> None:
    (c / "articles/fourth.md").write_text(
        "---\ntitle: Fourth\ndate: 2021-03-04\nstory: new-story\ntags: [New tag]\npeople: [Zoe Zed]\n"
        "events:\n  - date: 2021\n    text: It happened.\n    people: [Zoe Zed, Ana Lopez]\n---\nText.\n",
        encoding="utf-8")


def _relation_in_article(c: Path) -> None:
    edit(c / "articles/second.md", "events:\n", "relations:\n  - type: associate\n"
         "    between: [Daniel Millán, Ana Lopez]\n    role: adviser\nevents:\n")


def _relations_in_notes(c: Path) -> None:
    """The article's relation taken out, and two relations stated in Ana López's notes instead."""
    edit(c / "articles/second.md", "relations:\n  - type: associate\n    between: [Daniel Millán, Ana Lopez]\n"
         "    role: adviser\n", "")
    edit(c / "people/ana-lopez.md", "roles:", "relations:\n  - type: employment\n    with: Sub Agency\n"
         "    source: https://example.com/ana\n  - type: associate\n    with: Daniel Millan\nroles:")


def _own_templates(c: Path) -> Path:
    (c.parent / "templates/static").mkdir(parents=True, exist_ok=True)
    return c.parent / "templates"


def _picture(c: Path) -> None:
    write_picture(c / "files/photo.png", 20, 10)
    append(c / "articles/second.md", "\n![A photo](../files/photo.png)\n")
    edit(c / "people/ana-lopez.md", "name: Ana", "image: /files/photo.png\nname: Ana")


def _document(c: Path) -> None:
    (c / "files").mkdir(exist_ok=True)
    (c / "files/report.pdf").write_bytes(b"%PDF-1.4 one")
    edit(c / "articles/second.md", "title: Second", "documents:\n  - file: ../files/report.pdf\n"
         "    title: The report\ntitle: Second")
    edit(c / "articles/second.md", "text: Interval event.", "text: Interval event.\n    source: /files/report.pdf")


def _loose(c: Path) -> None:
    (c / "files").mkdir(exist_ok=True)
    (c / "files/data.csv").write_text("a,b\n")


EDITS = {
    "an article title": Edit(lambda c: edit(c / "articles/second.md", "title: Second article",
                                            "title: Second, edited")),
    "a body paragraph": Edit(lambda c: edit(c / "articles/second.md", "Body of the second",
                                            "Body, with [[AO]], of the")),
    "a role": Edit(lambda c: edit(c / "articles/second.md", "role: foreign ministry spokesman", "role: minister")),
    "a correction": Edit(lambda c: edit(c / "articles/second.md", "story: the-case", "story: the-case\ncorrections:\n"
                                        "  - date: 2020-02-03\n    text: An earlier version misspelt a name.")),
    "an updated date": Edit(lambda c: edit(c / "articles/second.md", "story: the-case",
                                           "story: the-case\nupdated: 2020-03-01")),
    "an article's language": Edit(lambda c: edit(c / "articles/second.md", "story: the-case",
                                                 "story: the-case\nlanguage: es")),
    "an article date": Edit(lambda c: edit(c / "articles/second.md", "date: 2020-02-01T10:30:00", "date: 2019-12-01")),
    "an event date": Edit(lambda c: edit(c / "articles/2020/2020-01-10-first.md", "date: 2019-05-01", "date: 1990")),
    "a person's name": Edit(lambda c: edit(c / "people/ana-lopez.md", "name: Ana María López",
                                           "name: Ana M. López")),
    "a notes file renamed": Edit(lambda c: (c / "people/ana-lopez.md").rename(c / "people/ana-maria-lopez.md")),
    "a person's notes text": Edit(lambda c: edit(c / "people/ana-lopez.md", "Notes about Ana,",
                                                 "Longer notes about Ana, who was born in Lyon,")),
    "a role in notes": Edit(lambda c: edit(c / "people/ana-lopez.md", "organisation: Agency One",
                                           "organisation: Sub Agency")),
    "a story note": Edit(lambda c: edit(c / "stories/the-case.md", "summary: A story of two articles.",
                                        "summary: Two articles.")),
    "an article deleted": Edit(lambda c: (c / "articles/2020/third.md").unlink()),
    "an article added": Edit(_fourth),
    "a file touched": Edit(lambda c: (c / "organisations/agency-one.md").touch()),
    "a template": Edit(lambda c: (c.parent / "templates").mkdir() or (c.parent / "templates/tag.html").write_text(
        (ROOT / "templates/tag.html").read_text().replace('<p class="kicker">{{ _("Tag") }}</p>', "<p>Topic</p>"))),
    "a static file": Edit(lambda c: (_own_templates(c) / "static/extra.css").write_text("p { margin: 0 }\n"),
                          prepare=_own_templates),
    "a static file removed": Edit(lambda c: (c.parent / "templates/static/extra.css").unlink(),
                                  prepare=lambda c: (_own_templates(c) / "static/extra.css").write_text("p {}\n")),
    "an article made draft": Edit(lambda c: edit(c / "articles/fourth.md", "title: Fourth",
                                                 "title: Fourth\ndraft: true"), prepare=_fourth),
    # Files beside the text (files.py): each added, changed, renamed and deleted, with what names it.
    "a picture added": Edit(_picture),
    "a picture's alt text and credit": Edit(lambda c: edit(c / "people/ana-lopez.md", "image: /files/photo.png",
                                                           "image: /files/photo.png\nimage_alt: Ana at the port"
                                                           "\nimage_credit: Agency One photo"), prepare=_picture),
    "a picture changed": Edit(lambda c: write_picture(c / "files/photo.png", 30, 12), prepare=_picture),
    "a document added": Edit(_document),
    "a document retitled": Edit(lambda c: edit(c / "articles/second.md", "title: The report",
                                               "title: The full report"), prepare=_document),
    "a file renamed": Edit(lambda c: ((c / "files/report.pdf").rename(c / "files/report-2020.pdf"), edit(
        c / "articles/second.md", "file: ../files/report.pdf", "file: ../files/report-2020.pdf"), edit(
        c / "articles/second.md", "source: /files/report.pdf", "source: /files/report-2020.pdf")),
        prepare=_document),
    "a loose file added": Edit(_loose),
    "a loose file changed": Edit(lambda c: (c / "files/data.csv").write_text("a,b\n1,2\n"), prepare=_loose),
    "a picture deleted": Edit(lambda c: ((c / "files/photo.png").unlink(), edit(
        c / "articles/second.md", "![A photo](../files/photo.png)", ""), edit(
        c / "people/ana-lopez.md", "image: /files/photo.png\n", "")), prepare=_picture),
    "a loose file deleted": Edit(lambda c: (c / "files/data.csv").unlink(), prepare=_loose),
    "a relation added": Edit(_relation_in_article),
    "a relation's role and dates": Edit(lambda c: edit(c / "articles/second.md", "role: adviser",
                                                       "role: deputy\n    from: 2019-05\n    to: 2020~"),
                                        prepare=_relation_in_article),
    "a relation moved to notes": Edit(_relations_in_notes, prepare=_relation_in_article),
    "a relation removed": Edit(lambda c: edit(c / "people/ana-lopez.md",
                                              "  - type: associate\n    with: Daniel Millan\n", ""),
                               prepare=lambda c: (_relation_in_article(c), _relations_in_notes(c))),
}


def write_picture(path, width, height):
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (width, height, 90)).save(path)


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def age_everything(folder, seconds=3600):
    """Make every file look long unmodified, so the cache trusts sizes and times."""
    stamp = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp))
