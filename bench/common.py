"""Shared by the benchmark scripts: corpora from make_corpus.py, medians, the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def corpus(articles: int, fmt: str = "dossier") -> Path:
    """A site of this many articles, made once by make_corpus.py and kept under bench/sites/."""
    folder = SITES / f"{fmt}-{articles}"
    if not (folder / "expected.json").is_file():
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--articles", str(articles), "--out", str(folder),
                        "--format", fmt], check=True, stdout=subprocess.DEVNULL)
    return folder


def summary(values: list[float]) -> str:
    """'median (min–max)' of several runs."""
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    system = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    return f"{system}, {cpu}, Python {platform.python_version()}"
