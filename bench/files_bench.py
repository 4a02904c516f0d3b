#!/usr/bin/env python3
"""What publishing files beside the text costs: the same corpus with and without N small files.

    python bench/files_bench.py [--articles 1000] [--files 1000] [--runs 3] [--settle 20] [--builder DIR]

Makes a corpus with shared/bench/make_corpus.py, copies it and adds --files small files
(nine in ten PDFs of 1–3 KB, one in ten 64×48 PNG pictures with GPS EXIF) under
content/files/, and times whole `python build.py` processes: a cold build (no output, no
cache; the file system left --settle seconds after the deletions, see bench.py) and a build
with nothing changed, of each site in turn, as wall and CPU time (CPU time drifts less on a
shared machine). --builder runs another checkout's build.py (to
compare with the code before a change). Prints medians and min–max."""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def add_files(content: Path, count: int) -> None:
    from PIL import ExifTags, Image

    folder = content / "files"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        if number % 10 == 9:
            exif = Image.Exif()
            exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (19.0, 26.0, 0.0)}
            stream = io.BytesIO()
            Image.new("RGB", (64, 48), (number % 256, 80, 120)).save(stream, "PNG", exif=exif)
            (folder / f"picture-{number:04d}.png").write_bytes(stream.getvalue())
        else:
            (folder / f"document-{number:04d}.pdf").write_bytes(b"%PDF-1.4\n" + b"%% filler\n" * (100 + number % 200))


def timed(builder: Path, site: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, of the build and its worker processes)."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run([sys.executable, str(builder / "build.py"), "--quiet", "--content", str(site / "content"),
                    "--output", str(site / "output")], check=True, cwd=site)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - started, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=20)
    parser.add_argument("--builder", type=Path, default=ROOT)
    args = parser.parse_args()
    base = ROOT / "bench" / "sites" / f"files-{args.articles}"
    plain, with_files = base / "plain", base / "with-files"
    if not plain.exists():
        subprocess.run([sys.executable, str(CORPUS), "--articles", str(args.articles), "--out", str(plain)], check=True)
        shutil.copytree(plain, with_files)
        add_files(with_files / "content", args.files)
    times: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        for name, site in (("plain", plain), ("with files", with_files)):
            shutil.rmtree(site / "output", ignore_errors=True)
            shutil.rmtree(site / ".cache", ignore_errors=True)
            time.sleep(args.settle)
            times.setdefault(f"{name}: cold", []).append(timed(args.builder, site))
            time.sleep(4)  # past the racy window: the next build may trust sizes and times
            times.setdefault(f"{name}: no change", []).append(timed(args.builder, site))
    print(f"{'':24} {'wall':>20}   {'CPU (user+system)':>20}")
    for name, values in times.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        print(f"{name:24} {statistics.median(walls):6.2f} s ({min(walls):.2f}–{max(walls):.2f})"
              f"   {statistics.median(cpus):6.2f} s ({min(cpus):.2f}–{max(cpus):.2f})")


if __name__ == "__main__":
    main()
