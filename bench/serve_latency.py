#!/usr/bin/env python3
"""Save-to-reload latency of `serve` on a 1,000-article site made by make_corpus.py.

    python bench/serve_latency.py [--articles 1000] [--runs 7]

Reports, as median (min–max) of several edits of one article:
- rebuild work: re-plan the whole site, re-render and write what changed (in-process);
- save to reloaded page: a real `build.py serve` and headless Chromium, from the write of
  the file to the browser showing the new title (includes the watcher's polling interval)."""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, corpus, machine, summary

sys.path.insert(0, str(ROOT))
from site_builder.incremental import Incremental  # noqa: E402


def edit_title(path: Path, run: int) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index("\ntitle:") + 1
    end = text.index("\n", start)
    title = f"Edited headline number {run}"
    path.write_text(text[:start] + f"title: {title}" + text[end:], encoding="utf-8")
    return title


def edit_body(path: Path, run: int) -> str:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nAn added sentence, edit number {run}.\n", encoding="utf-8")
    return ""


EDITS = {"title": edit_title, "body": edit_body}


def rebuild_work(content: Path, runs: int, edit=edit_title) -> tuple[list[float], list[int]]:
    with tempfile.TemporaryDirectory() as out:
        builder = Incremental(content, {"output_dir": Path(out)})
        builder.rebuild()
        article = sorted((content / "articles").rglob("*.md"))[len(list((content / "articles").rglob("*.md"))) // 2]
        times, counts = [], []
        for run in range(runs):
            edit(article, run)
            result = builder.rebuild()
            assert not result.failed
            times.append(result.seconds * 1000)
            counts.append(len(result.rendered))
        return times, counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_latency(content: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright
    port = free_port()
    out = Path(tempfile.mkdtemp())
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                               "--output", str(out), "--port", str(port), "--base-url", f"http://127.0.0.1:{port}/"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        article = sorted((content / "articles").rglob("*.md"))[0]
        slug = article.stem[11:] if article.stem[:4].isdigit() else article.stem
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            deadline = time.monotonic() + 120
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/articles/{slug}/")
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            for run in range(runs):
                page.wait_for_function("() => window.LiveReload !== undefined", timeout=30_000)
                started = time.perf_counter()
                title = edit_title(article, 100 + run)
                page.wait_for_function(f"() => document.querySelector('h1').textContent === {title!r}",
                                       timeout=30_000)
                times.append((time.perf_counter() - started) * 1000)
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--edit", choices=EDITS, default="title", help="what the edit changes (default: title)")
    parser.add_argument("--no-browser", action="store_true", help="skip the end-to-end browser measurement")
    args = parser.parse_args()
    source = corpus(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(source / "content", content)
        work, counts = rebuild_work(content, args.runs, EDITS[args.edit])
        print(f"machine: {machine()}")
        print(f"site: {args.articles} articles; one article's {args.edit} edited {args.runs} times")
        print(f"rebuild work, ms: {summary(work)}  (pages re-rendered per edit: {sorted(set(counts))})")
        if not args.no_browser:
            print(f"save to reloaded page in Chromium, ms: {summary(browser_latency(content, args.runs))}"
                  "  (includes the 800 ms polling interval of livereload's watcher)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
