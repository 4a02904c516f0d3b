#!/usr/bin/env python3
"""How the build grows with the site: one cold build and one one-article edit at each size.

    python bench/growth.py [--sizes 10000 100000] [--hugo]

For each size (corpora from make_corpus.py, kept under bench/sites/): a cold build (no cache, no
output/, the file system left to settle as bench.py does) with its peak memory, then a build
after editing one article's text; with --hugo, Hugo's build of the same corpus right after the
cold build. Prints one row per size and the cold-build ratio of the largest size to the
smallest. One run each: at 100,000 articles a run takes many minutes."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

from common import machine

from bench import Bench, hugo_time, timed, touch_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--hugo", action="store_true")
    parser.add_argument("--settle", type=float, default=35.0)
    args = parser.parse_args()
    rows, cold = [f"Machine: {machine()}", "", "| articles | cold build s | peak MiB | one article s | Hugo s |",
                  "|---|---|---|---|---|"], {}
    for size in sorted(args.sizes):
        bench = Bench(size)
        try:
            os.sync()
            time.sleep(args.settle)
            seconds, peak = timed(bench.build, cwd=bench.work)
            hugo = hugo_time(size) if args.hugo else None
            time.sleep(3.1)  # past the cache's racy window, as a writer's next save would be
            touch_text(bench.article, 1)
            edit = timed(bench.build, cwd=bench.work)[0]
        finally:
            shutil.rmtree(bench.work, ignore_errors=True)
        cold[size] = seconds
        rows.append(f"| {size:,} | {seconds:.1f} | {peak} | {edit:.2f} | {f'{hugo:.1f}' if hugo else 'not run'} |")
        print(rows[-1], flush=True)
    small, large = min(cold), max(cold)
    if large != small:
        rows.append(f"\nCold build {large:,}/{small:,} time ratio: {cold[large] / cold[small]:.2f}")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
