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
    def __init__(self, tmp_path: Path, prepare=None, ready=True):
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
        if ready:
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


async def reload_messages(url: str, seconds: float, on_reload=(), until: int | None = None,
                          done=None) -> list[dict]:
    """Speak livereload's protocol as livereload.js does; collect reload commands for at most
    `seconds`, or until `until` of them came, or until done() is true after one came. on_reload[i]()
    runs when reload i + 1 arrives; on_reload[0] may be a function run once connected (pass it as the
    "start" key)."""
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
            if done is not None and done():
                break
    socket_.close()
    return reloads


def run_async(make_coroutine):
    """Run a coroutine to the end in a thread of its own (a browser driver may own this thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def test_no_reload_is_sent_at_start(served):
    """Two saves, the second once the first one's rebuild is served: exactly their two reloads come. A
    reload at start would come before the second save's, which only a later look at the files finds."""
    article = "articles/second.md"
    saved = []

    def second_save_once_the_first_is_served() -> bool:
        shown = h1(served.get("/articles/second/")[1])
        if shown == "First edit" and not saved:
            saved.append(served.edit(article, "title: First edit", "title: Second edit"))
        return shown == "Second edit"
    messages = run_async(lambda: reload_messages(
        f"ws://127.0.0.1:{served.port}/livereload", 30,
        {"start": lambda: served.edit(article, "title: Second article", "title: First edit")},
        done=second_save_once_the_first_is_served))
    assert h1(served.get("/articles/second/")[1]) == "Second edit"
    assert len(messages) == 2, messages


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


def test_a_taken_port_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--content",
                               str(SITES / "basic" / "content"), "--output", str(tmp_path / "out"),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert f"port {port} is already in use" in line and "--port" in line
    assert not (tmp_path / "out").exists()  # nothing was built either


@pytest.mark.parametrize("args, said", [(["--port", "70000"], "--port 70000"),
                                        (["--host", "no-such-host.invalid"], "--host no-such-host.invalid")])
def test_other_start_up_failures_are_one_line_and_exit_2(tmp_path, args, said):
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--content",
                           str(SITES / "basic" / "content"), "--output", str(tmp_path / "out"), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith(said)


def test_the_terminal_shows_one_line_per_rebuild_and_no_server_log(served):
    served.get("/no/such/page/")
    page = BeautifulSoup(served.get("/articles/second/")[1], "html.parser")
    icon = page.find("link", rel="icon")["href"]
    assert fetch(served.root + icon)[0] == 200  # so no browser asks for /favicon.ico
    served.edit("articles/second.md", "title: Second article", "title: Edited title")
    served.wait_until(lambda: "rebuilt" in served.output(), "the rebuild line")
    served.edit("articles/second.md", "date: 2020-02-01T10:30:00", "date: 2020-02-31")
    served.wait_until(lambda: "build failed" in served.output(), "the failure line")
    lines = served.output().splitlines()
    assert not [line for line in lines if "GET" in line or "Browser" in line or line.startswith("[")], lines
    assert [line for line in lines if line.startswith("serving")] == [f"serving {served.root}{BASE} (Ctrl-C to stop)"]
    warnings = [line for line in lines if ": warning: " in line]
    assert len(warnings) == len(set(warnings)) > 0  # a warning is said once, not at every save
    [error] = [line for line in lines if ": warning: " not in line and ".md:" in line]
    assert error == (f'{served.content}/articles/second.md:3: date: "2020-02-31": '
                     'February 2020 has no day 31 (it has 29)')
    assert lines[-1] == "build failed: 1 error; still serving the last good build"


def test_broken_content_at_start_says_so_once(tmp_path):
    server = Served(tmp_path, lambda site: (site / "content/articles/second.md").write_text("no front matter\n"),
                    ready=False)
    try:
        server.wait_until(lambda: "serving" in server.output(), "the server to start")
        output = server.output()
        status, html = server.get("/")
    finally:
        server.stop()
    assert "build failed: 1 error; nothing to serve yet" in output
    assert "still serving" not in output and "empty site" not in output
    assert status == 404 and "second.md:1" in BeautifulSoup(html, "html.parser").find(id="build-errors").text
    assert "livereload.js" in html  # the page reloads itself once the content is fixed


BAD_HOME = '{% extends "base.html" %}\n{% block content %}\n{{ nope }}\n{% endblock %}\n'


def _bad_template(served):
    served.edit("articles/second.md", "date: 2020-13-01", "date: 2020-02-01T10:30:00")
    (served.content.parent / "templates").mkdir(exist_ok=True)
    (served.content.parent / "templates/home.html").write_text(BAD_HOME, encoding="utf-8")


BREAKAGES = [  # three saves in a row, each breaking the site another way: (save, what the overlay says, not)
    (lambda s: s.edit("articles/second.md", "date: 2020-02-01T10:30:00", "date: 2020-02-31"),
     "second.md:3", "February 2020 has no day 31", None),
    (lambda s: s.edit("articles/second.md", "date: 2020-02-31", "date: 2020-13-01"),
     "second.md:3", "month 13 does not exist", "no day 31"),
    (_bad_template, "home.html:3", "'nope' is undefined", "month 13"),
]


def _overlay(served) -> str:
    box = BeautifulSoup(served.get("/articles/second/")[1], "html.parser").find(id="build-errors")
    return box.get_text(" ", strip=True) if box else ""


def test_the_overlay_follows_every_failed_rebuild_and_clears(served):
    for save, where, said, gone in BREAKAGES:
        save(served)
        served.wait_until(lambda said=said: said in _overlay(served), f"the overlay to say {said!r}")
        assert where in _overlay(served) and (gone is None or gone not in _overlay(served))
    (served.content.parent / "templates/home.html").unlink()
    served.wait_until(lambda: _overlay(served) == "", "the overlay to clear")


def test_the_browser_shows_the_current_errors_after_three_breakages(served, browser):
    page = browser.new_page()
    page.goto(served.root + BASE + "articles/second/")
    page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
    for save, where, said, gone in BREAKAGES:
        save(served)
        page.wait_for_function("said => (document.getElementById('build-errors') || {}).textContent"
                               "?.includes(said)", arg=said, timeout=15_000)
        text = page.text_content("#build-errors")
        assert where in text and (gone is None or gone not in text)
    (served.content.parent / "templates/home.html").unlink()
    page.wait_for_function("() => !document.getElementById('build-errors')", timeout=15_000)
    assert page.text_content("h1") == "Second article"
    page.close()


def test_the_404_page_works_at_any_depth_in_the_preview(served):
    status, html = served.get("/people/nobody/at/all/deep/")
    assert status == 404
    page = BeautifulSoup(html, "html.parser")
    assert page.h1.get_text(strip=True) == "Page not found"
    links = [tag["href"] for tag in page.find_all(["a", "link"]) if tag["href"] != "#content"]
    assert links and not [href for href in links if "://" in href]  # nothing leaves the preview
    for href in links:
        assert fetch(served.root + href)[0] == 200, href


def test_a_build_of_the_folder_the_preview_writes_is_refused_in_one_line(served, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(served.content), "--output",
                           str(out), "-q"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == (f"{out.resolve()}: the preview (python build.py serve) in process {served.proc.pid} is "
                           "writing this folder; stop it first, or use --output to build into another folder\n")
    assert served.get("/articles/second/")[0] == 200
