#!/usr/bin/env python3
"""The preview's rebuilds alone, to compare two commits: python bench/preview_ab.py CONTENT [--runs 6]

Builds CONTENT in-process as `serve` does, then rebuilds after a text edit and after a title edit
of one article, --runs times each (bench.serve_rebuild), and prints the medians. Run it from a
worktree of each commit in turn, new, old, new, old: on these shared machines the second of two
runs is often the slower, so a difference counts only if it holds across the pairs. The edits
change CONTENT: use a copy."""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from common import ROOT

from bench import serve_rebuild


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    times = serve_rebuild(args.content, args.runs)
    print(f"{ROOT}: text edit {statistics.median(times['text']):.0f} ms, "
          f"title edit {statistics.median(times['title']):.0f} ms "
          f"({', '.join(f'{t:.0f}' for t in times['text'])}; {', '.join(f'{t:.0f}' for t in times['title'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
