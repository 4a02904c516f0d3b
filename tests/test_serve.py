"""The preview server for real: a livereload server on a free port, edited files, HTTP and websockets."""

import asyncio
import concurrent.futures
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SITES
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
BASE = "/sub/path/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


class Served:
    def __init__(self, tmp_path: Path, prepare=None):
        shutil.copytree(SITES / "basic", tmp_path / "site")
        if prepare:
            prepare(tmp_path / "site")
        self.content = tmp_path / "site" / "content"
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp_path / "serve.log", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(self.content),
             "--output", str(tmp_path / "out"), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until(lambda: self.get("/")[0] == 200, "the server to answer")

    def get(self, path: str) -> tuple[int, str]:
        try:
            return fetch(self.root + BASE + path.lstrip("/"))
        except OSError:
            return 0, ""

    def wait_until(self, condition, what: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.log.seek(0)
        pytest.fail(f"timed out waiting for {what}; server log:\n{self.log.read()}")

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.content / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    yield server
    server.stop()


def h1(html: str) -> str:
    return BeautifulSoup(html, "html.parser").h1.get_text(strip=True)


def test_serves_under_the_base_path_and_rebuilds_on_save(served):
    status, html = served.get("/articles/second/")
    assert status == 200 and h1(html) == "Second article"
    assert fetch(served.root + "/")[0] == 200  # redirected to the base path
    served.edit("articles/second.md", "title: Second article", "title: Edited title")
    served.wait_until(lambda: h1(served.get("/articles/second/")[1]) == "Edited title", "the edited page")
    line = re.compile(r"rebuilt [1-9]\d* of \d+ pages in \d+ ms")
    served.wait_until(lambda: line.search(served.output()), "the rebuild line")
    assert served.get("/no/such/page/")[0] == 404


def test_broken_content_shows_an_overlay_over_the_last_good_page_until_fixed(served):
    served.edit("articles/second.md", "date: 2020-02-01T10:30:00", "date: 2020-02-31")
    served.wait_until(lambda: "build-errors" in served.get("/articles/second/")[1], "the error overlay")
    soup = BeautifulSoup(served.get("/articles/second/")[1], "html.parser")
    assert soup.h1.get_text(strip=True) == "Second article"
    overlay = soup.find(id="build-errors").get_text(" ", strip=True)
    assert "second.md:3" in overlay and "February 2020 has no day 31" in overlay
    assert served.proc.poll() is None
    served.edit("articles/second.md", "date: 2020-02-31", "date: 2020-02-01T10:30:00")
    served.wait_until(lambda: "build-errors" not in served.get("/articles/second/")[1], "the overlay to clear")


async def reload_messages(url: str, seconds: float, on_reload=(), until: int | None = None) -> list[dict]:
    """Speak livereload's protocol as livereload.js does; collect reload commands for at most
    `seconds`, or until `until` of them came. on_reload[i]() runs when reload i + 1 arrives; on_reload[0]
    may be a function run once connected (pass it as the "start" key)."""
    socket_ = await websocket_connect(url)
    await socket_.write_message(json.dumps({"command": "hello", "protocols": [
        "http://livereload.com/protocols/official-7"]}))
    await socket_.read_message()
    await socket_.write_message(json.dumps({"command": "info", "url": "http://x/", "plugins": {}}))
    actions = dict(on_reload)
    if "start" in actions:
        actions.pop("start")()
    reloads: list[dict] = []
    deadline = asyncio.get_event_loop().time() + seconds
    while (left := deadline - asyncio.get_event_loop().time()) > 0 and (until is None or len(reloads) < until):
        try:
            message = await asyncio.wait_for(socket_.read_message(), timeout=min(left, 0.2))
        except TimeoutError:
            continue
        if message is None:
            break
        if (data := json.loads(message)).get("command") == "reload":
            reloads.append(data)
            if len(reloads) in actions:
                actions.pop(len(reloads))()
    socket_.close()
    return reloads


def run_async(make_coroutine):
    """Run a coroutine to the end in a thread of its own (a browser driver may own this thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def test_no_reload_is_sent_at_start(tmp_path):
    server = Served(tmp_path)
    try:
        messages = run_async(lambda: reload_messages(f"ws://127.0.0.1:{server.port}/livereload", 3.5))
    finally:
        server.stop()
    assert messages == []


def test_two_saves_within_three_seconds_both_reload(served):
    def save(old, new):
        return lambda: served.edit("articles/second.md", f"title: {old}", f"title: {new}")
    # The second save comes as soon as the first one's reload arrives, well within three seconds.
    messages = run_async(lambda: reload_messages(
        f"ws://127.0.0.1:{served.port}/livereload", 15,
        {"start": save("Second article", "First edit"), 1: save("First edit", "Second edit")}, until=2))
    assert len(messages) == 2
    assert h1(served.get("/articles/second/")[1]) == "Second edit"


def test_the_reload_script_reaches_pages_with_a_long_head_or_none(tmp_path):
    def long_head_and_headless_templates(site):
        templates = site / "templates"
        templates.mkdir()
        base = (ROOT / "templates" / "base.html").read_text()
        (templates / "base.html").write_text(base.replace("</head>", "<!-- " + "x" * 100_000 + " -->\n</head>"))
        (templates / "tag.html").write_text("<p>{{ title }}: a page with no head at all</p>\n")
    server = Served(tmp_path, long_head_and_headless_templates)
    try:
        long_page = server.get("/articles/second/")[1]
        headless = server.get("/tags/fentanyl/")[1]
    finally:
        server.stop()
    assert long_page.index("</head>") > 65536
    assert long_page.count("livereload.js") == 1
    assert headless.count("livereload.js") == 1 and "a page with no head" in headless


def test_livereload_quirks_are_neutralised_in_the_watcher():
    from site_builder.serve import QuietWatcher
    watcher = QuietWatcher()
    calls = []
    watcher.watch(str(SITES / "basic" / "content"), lambda: calls.append(1))
    watcher._changes.append(("__livereload__", 2))  # what Server.serve() queues at start
    assert watcher.examine() == (None, None)
    assert watcher._changes == [] and calls == []


def test_the_browser_reloads_itself_after_an_edit(served, browser):
    page = browser.new_page()
    page.goto(served.root + BASE + "articles/second/")
    page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
    page.evaluate("() => { window.__before_reload = true; }")
    served.edit("articles/second.md", "title: Second article", "title: Seen in the browser")
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Seen in the browser'",
                           timeout=15_000)
    assert page.evaluate("() => window.__before_reload === undefined")  # a real reload, not a patch
    page.close()
