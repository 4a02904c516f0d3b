"""Faults never corrupt the site: a build killed at any step, two builds at once, unreadable
folders, read-only and full disks. Every result is compared, byte for byte and search files
included, with a cold build of the same content.

Kill points are driven by the fault hook (guard.py, SITE_BUILDER_FAULT_AFTER=N): the build
stops itself at its Nth step, so every step of a build is tried, not a lucky few; a few kills
at random moments come on top. Permission faults need an ordinary user's rights: the tests run
as root, so those builds run as root without the capabilities that bypass file permissions
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), which is what an ordinary user meets."""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SITES, article, make_site, run_build, skip_or_fail

from site_builder import guard
from site_builder.cli import main

ROOT = Path(__file__).resolve().parent.parent
TITLES = ("title: Second article", "title: Second article, revised after the hearing")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """What builds left beside output/: nothing, once a build has ended normally."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def toggle(content: Path) -> int:
    """Change the second article's title back and forth (it is on many pages and in the search
    index); which of the two titles it has now."""
    path = content / "articles/second.md"
    text = path.read_text(encoding="utf-8")
    now = 0 if TITLES[1] in text else 1
    path.write_text(text.replace(TITLES[1 - now], TITLES[now]), encoding="utf-8")
    return now


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[int, dict[str, bytes]]:
    """Cold builds, without any cache, of the basic site with either title."""
    refs = {}
    for now in (0, 1):
        root = tmp_path_factory.mktemp(f"cold{now}")
        shutil.copytree(SITES / "basic", root / "site")
        if now:
            toggle(root / "site/content")
        assert not run_build(root / "site/content", root / "out").failed
        refs[now] = snapshot(root / "out")
    return refs


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path]:
    """The basic site built once with its cache, as a writer's folder is."""
    shutil.copytree(SITES / "basic", tmp_path / "site")
    content, out = tmp_path / "site/content", tmp_path / "site/out"
    assert not build(content, out).failed
    return content, out


def build(content: Path, out: Path):
    return run_build(content, out, use_cache=True)


def cli(content: Path, out: Path, *extra: str, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    """python build.py in a process of its own."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(out),
                           "-q", *extra], cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=300, **options)


def killed_build(content: Path, out: Path, at: int) -> int:
    """A build in a forked process that the fault hook kills at its `at`th step (forked from
    this one, which has imported everything: a tenth of the time of a new Python); its status."""
    pid = os.fork()
    if pid == 0:  # (never returns into pytest)
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            guard._FAULT_AT, guard._FAULT_SIGNAL, guard._MAIN = at, signal.SIGKILL, os.getpid()
            guard._steps[0] = 0
            os._exit(main(["--content", str(content), "--output", str(out), "-q"]))
        finally:
            os._exit(99)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def assert_repaired(content: Path, out: Path, expected: dict[str, bytes], why: str) -> None:
    repaired = build(content, out)
    assert not repaired.failed, why
    assert snapshot(out) == expected, why
    assert leftovers(out) == [], why


# --- kill -9 at every step -------------------------------------------------------------------------

def traced_build(content: Path, out: Path, monkeypatch) -> list[tuple[str, int]]:
    """Build as the command line does, in this process, and list its steps (guard.step): each as
    where it is (the function that stopped there and its caller, and the line)."""
    steps: list[tuple[str, int]] = []

    def step() -> None:
        if os.getpid() == pid:  # (not a worker's)
            here = sys._getframe(1)
            steps.append((f"{here.f_code.co_name} <- {here.f_back.f_code.co_name}", here.f_lineno))

    pid = os.getpid()
    with monkeypatch.context() as patch:
        patch.setattr(guard, "step", step)
        assert main(["--content", str(content), "--output", str(out), "-q"]) == 0
    return steps


def kill_points(steps: list[tuple[str, int]]) -> list[int]:
    """The steps worth a kill (counted from 1): every kind of step, and where each run of one kind
    (moving twenty pages, writing the record files) begins and ends; the steps between those are
    the same as their neighbours, and a kill there would test nothing new."""
    points: set[int] = set()
    for _, run in itertools.groupby(enumerate(steps, 1), key=lambda item: item[1][0]):
        by_line: dict[int, list[int]] = {}
        for number, (_, line) in run:
            by_line.setdefault(line, []).append(number)
        for numbers in by_line.values():
            points |= {numbers[0], numbers[-1]}
    return sorted(points)


def assert_killed_at_each(content: Path, out: Path, references, steps, prepare) -> None:
    """Kill a build at each kill point of steps (prepare makes the build they were traced on), and
    check that the next build repairs output/."""
    for at in kill_points(steps):
        now = prepare()
        assert killed_build(content, out, at) == -signal.SIGKILL, f"step {at} of {len(steps)}"
        assert_repaired(content, out, references[now], f"killed at step {at}: {steps[at - 1]}")
    now = prepare()  # and the builds killed had the steps traced: one more, and it is done
    assert killed_build(content, out, len(steps) + 1) == 0
    assert snapshot(out) == references[now] and leftovers(out) == []


def test_an_incremental_build_killed_at_any_step_is_made_right_by_the_next(site, references, monkeypatch):
    content, out = site
    toggle(content)
    steps = traced_build(content, out, monkeypatch)
    kinds = [kind.split(" <- ")[0] for kind, _ in steps]
    assert kinds[0] == "mark_in_doubt" and kinds[-1] == "settled"
    assert kinds.count("_apply") > 20  # the moves of twenty pages and the search files
    assert {"_write <- save_records", "_write <- save"} <= {kind for kind, _ in steps}  # records, manifest
    assert_killed_at_each(content, out, references, steps, lambda: toggle(content))


def test_a_cold_build_killed_at_any_step_is_made_right_by_the_next(site, references, monkeypatch):
    content, out = site

    def prepare() -> int:
        shutil.rmtree(content.parent / ".cache")
        return toggle(content)

    prepare()
    steps = traced_build(content, out, monkeypatch)
    kinds = {kind for kind, _ in steps}
    assert {"mark_in_doubt <- staged", "_swap <- staged", "_write <- save_records", "_write <- save",
            "settled <- save"} <= kinds
    assert_killed_at_each(content, out, references, steps, prepare)


def test_a_restored_output_folder_in_doubt_is_built_cold(site, references):
    content, out = site
    now = toggle(content)
    assert killed_build(content, out, 1) == -signal.SIGKILL  # marked in doubt, nothing moved yet
    shutil.copytree(out, out.with_name("restored"))  # the same files in a new folder, as a restored copy
    shutil.rmtree(out)
    out.with_name("restored").rename(out)
    assert guard.in_doubt(out)
    repaired = build(content, out)
    assert len(repaired.rendered) == repaired.total  # the cache's state is not trusted, however alike
    assert snapshot(out) == references[now] and not guard.in_doubt(out)


def test_the_killed_build_reported_by_the_issue_no_longer_keeps_its_text_or_duplicates_postings(site, references):
    content, out = site
    toggle(content)
    assert killed_build(content, out, 8) == -signal.SIGKILL  # among the moves of the pages
    toggle(content)  # the writer reverts the edit
    assert_repaired(content, out, references[0], "reverted")
    title = BeautifulSoup((out / "articles/second/index.html").read_text(), "html.parser").h1.get_text()
    assert title == "Second article"


def test_the_fault_hook_kills_a_real_build_and_sigterm_puts_output_back(site, references):
    content, out = site
    before = snapshot(out)
    now = toggle(content)
    stopped = cli(content, out, env={"SITE_BUILDER_FAULT_AFTER": "3:TERM"})  # amid the moves
    assert stopped.returncode == 143, stopped.stderr
    assert "interrupted" in stopped.stderr and "Traceback" not in stopped.stderr
    assert snapshot(out) == before  # the moves were undone
    assert cli(content, out, env={"SITE_BUILDER_FAULT_AFTER": "4"}).returncode == -signal.SIGKILL
    assert_repaired(content, out, references[now], "after SIGTERM, then SIGKILL")


def test_builds_killed_at_random_moments_are_made_right_by_the_next(site, references):
    content, out = site
    seed = random.randrange(10**6)
    chance = random.Random(seed)
    started = time.perf_counter()
    now = toggle(content)
    assert cli(content, out).returncode == 0
    takes = time.perf_counter() - started
    for _ in range(4):
        now = toggle(content)
        if chance.random() < 0.5:
            shutil.rmtree(content.parent / ".cache")
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output",
                                 str(out), "-q"], cwd=ROOT, stderr=subprocess.DEVNULL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(chance.uniform(0, takes))  # a random moment, not a condition: any moment must do
        proc.kill()
        proc.wait()
        assert_repaired(content, out, references[now], f"random kill, seed {seed}")


# --- two builds at once ------------------------------------------------------------------------------

def test_two_builds_at_once_both_succeed_and_leave_the_cold_build(site, references):
    content, out = site
    for _ in range(3):
        now = toggle(content)
        command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output", str(out), "-q"]
        first, second = (subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(2))
        assert first.wait(300) == 0 and second.wait(300) == 0, first.stderr.read() + second.stderr.read()
        first.stderr.close()
        second.stderr.close()
        assert snapshot(out) == references[now] and leftovers(out) == []
    toggle(content)
    assert_repaired(content, out, references[1 - now], "after concurrent builds")


def test_a_second_build_waits_for_the_first_and_says_so(site, references):
    content, out = site
    now = toggle(content)
    with guard.locked(out):
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output",
                                 str(out), "-q"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        assert proc.stderr.readline().strip() == f"waiting for the build in process {os.getpid()} to finish " \
                                                 f"writing {out.resolve()}"
    assert proc.wait(300) == 0
    proc.stderr.close()
    assert snapshot(out) == references[now]


def test_a_build_refuses_to_write_the_folder_the_preview_is_writing(site):
    content, out = site
    before = snapshot(out)
    toggle(content)
    with guard.locked(out, "serve"):
        done = cli(content, out)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"{out.resolve()}: the preview (python build.py serve) in process "
                                   f"{os.getpid()} is writing this folder; stop it first, or use --output to "
                                   "build into another folder")
    assert snapshot(out) == before


def test_a_stale_lock_and_the_folders_killed_builds_left_are_cleared(site, references):
    content, out = site
    (out.parent / ".out.lock").write_text("999999999 build\n")  # its process is long gone
    for name in (".out.staging-abc", ".out.pending-def", ".out.old-ghi/tree"):
        (out.parent / name).mkdir(parents=True)
        (out.parent / name / "index.html").write_text("left by a killed build")
    now = toggle(content)
    assert cli(content, out).returncode == 0
    assert snapshot(out) == references[now] and leftovers(out) == []


# --- signals end the worker processes ------------------------------------------------------------

@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """Enough files and pages that a build shares them with a second process."""
    root = tmp_path_factory.mktemp("big")
    files = {f"content/articles/a{n}.md": article(title=f"Article {n}", people=f"[Person {n % 37}]",
                                                  body="Text. " * 200) for n in range(450)}
    return make_site(root, files)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def _wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_a_build_stops_its_worker_processes(big_site, tmp_path, stop):
    if not Path("/proc/self/task").is_dir():
        skip_or_fail("needs Linux's /proc to see the worker processes")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(big_site), "--output", str(out),
                             "-q"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    _wait_for(lambda: workers.extend(_children(proc.pid)) or workers or proc.poll() is not None, "a worker process")
    assert workers, "the build ended before it started a worker"
    proc.send_signal(stop)
    status = proc.wait(120)
    error = proc.stderr.read()
    proc.stderr.close()
    _wait_for(lambda: not any(_running(pid) for pid in workers), "the workers to end", 30)
    if stop != signal.SIGKILL:
        assert status == (143 if stop == signal.SIGTERM else 130), error
        assert "Traceback" not in error
        assert leftovers(out) == [] and not out.exists()  # the staging folder removed, after the workers ended


# --- an ordinary user's rights ------------------------------------------------------------------------

_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _as_ordinary_user() -> None:
    """(In the child, before exec) keep root's id but lose the rights to ignore permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def ordinary(tmp_path):
    """Runs python build.py with an ordinary user's rights; skips where that cannot be had."""
    probe = tmp_path / "probe"
    probe.mkdir(mode=0o000)
    if os.geteuid() == 0:
        try:
            seen = subprocess.run(["ls", str(probe)], preexec_fn=_as_ordinary_user, capture_output=True)
        except (OSError, subprocess.SubprocessError) as err:
            skip_or_fail(f"cannot drop root's capabilities here: {err}")
        if seen.returncode == 0:
            skip_or_fail("root still reads a folder it may not read after dropping its capabilities")
    probe.rmdir()

    def run(content: Path, out: Path) -> subprocess.CompletedProcess:
        return cli(content, out, preexec_fn=_as_ordinary_user if os.geteuid() == 0 else None)
    return run


@contextlib.contextmanager
def mode(path: Path, bits: int):
    before = path.stat().st_mode & 0o777
    path.chmod(bits)
    try:
        yield
    finally:
        path.chmod(before)


def test_an_unreadable_content_folder_is_an_error_naming_it_never_an_empty_site(site, ordinary):
    content, out = site
    before = snapshot(out)
    with mode(content / "people", 0o000):
        done = ordinary(content, out)
    assert done.returncode == 1
    assert f"{content}/people:1: cannot read the folder: Permission denied" in done.stderr.splitlines()
    assert snapshot(out) == before
    with mode(content / "articles/2020", 0o000):
        assert "articles/2020:1: cannot read the folder" in ordinary(content, out).stderr
    toggle(content)  # (an unchanged file is not read again)
    with mode(content / "articles/second.md", 0o000):
        done = ordinary(content, out)
    assert f"{content}/articles/second.md:1: cannot read the file: Permission denied" in done.stderr
    assert done.returncode == 1 and snapshot(out) == before


@pytest.mark.parametrize("cold", [False, True])
def test_a_read_only_output_folder_is_one_line_exit_1_and_the_site_kept(site, ordinary, references, cold):
    content, out = site
    before = snapshot(out)
    if cold:
        shutil.rmtree(content.parent / ".cache")
    now = toggle(content)
    with mode(out.parent, 0o555), mode(out, 0o555):
        done = ordinary(content, out)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"Permission denied; {out}/ was left as it was"), done.stderr
    assert snapshot(out) == before and leftovers(out) in ([], [".out.in-doubt"])
    assert_repaired(content, out, references[now], "writable again")


def test_an_unwritable_cache_is_a_warning_and_a_build_without_it(site, ordinary, references):
    content, out = site
    cache = content.parent / ".cache/site-builder"
    for _ in range(2):
        now = toggle(content)
        with mode(cache, 0o555):
            done = ordinary(content, out)
        assert done.returncode == 0, done.stderr
        assert "warning: cannot write the build cache (Permission denied); the site was built without it" \
            in done.stderr
        assert snapshot(out) == references[now]
        assert [p.name for p in cache.iterdir() if ".tmp-" in p.name] == []
    now = toggle(content)  # writable again: the cache must not describe an output/ it did not see
    assert_repaired(content, out, references[now], "cache writable again")
    now = toggle(content)
    assert_repaired(content, out, references[now], "and once more")


# --- full disks ---------------------------------------------------------------------------------------

class Disk:
    """A small disk (tmpfs) at a folder, which fill() fills up; where it cannot be mounted,
    each file a build writes is limited to a few bytes instead (RLIMIT_FSIZE), which fails
    writes the same way: an OSError from write."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                                      capture_output=True).returncode == 0
        self.full = False

    def fill(self) -> None:
        self.full = True
        if self.mounted:
            with open(self.folder / "filler", "wb", buffering=0) as stream, contextlib.suppress(OSError):
                while True:
                    stream.write(b"\0" * 4096)

    def free(self) -> None:
        self.full = False
        (self.folder / "filler").unlink(missing_ok=True)

    def run(self, content: Path, out: Path) -> subprocess.CompletedProcess:
        if self.mounted or not self.full:
            return cli(content, out)
        return cli(content, out, preexec_fn=_small_files)

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=True)


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # (so that a write fails instead of killing)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


@pytest.fixture
def disk(tmp_path):
    made = Disk(tmp_path / "disk")
    yield made
    made.close()


def test_a_full_disk_is_one_line_exit_1_and_the_site_kept(disk, references):
    shutil.copytree(SITES / "basic", disk.folder / "site")
    content, out = disk.folder / "site/content", disk.folder / "site/out"
    assert disk.run(content, out).returncode == 0
    before = snapshot(out)
    for cold in (False, True):
        if cold:
            shutil.rmtree(content.parent / ".cache")
        now = toggle(content)
        disk.fill()
        done = disk.run(content, out)
        disk.free()
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].endswith(("No space left on device; " if disk.mounted else "File too large; ")
                                 + f"{out}/ was left as it was")
        assert snapshot(out) == before
        toggle(content)
    now = toggle(content)
    assert disk.run(content, out).returncode == 0
    assert snapshot(out) == references[now] and leftovers(out) == []


_FULL_FOLDER = """
import builtins, errno, io, sys
real_open, folder = builtins.open, sys.argv.pop(1)
class Full(io.RawIOBase):
    def __init__(self, stream): self.stream = stream
    def writable(self): return True
    def write(self, data): raise OSError(errno.ENOSPC, "No space left on device")
    def close(self): self.stream.close(); super().close()
def full_open(file, mode="r", *args, **kwargs):
    stream = real_open(file, mode, *args, **kwargs)
    return Full(stream) if "w" in mode and str(file).startswith(folder) else stream
builtins.open = full_open
from site_builder.cli import main
main()
"""


def test_a_full_cache_disk_is_a_warning_and_never_a_half_written_cache(site, references):
    content, out = site
    cache = content.parent / ".cache"
    shutil.rmtree(cache)
    disk = Disk(cache)  # where it cannot be mounted, files opened in it are full (and made empty)
    command = [sys.executable, "-c", _FULL_FOLDER, str(cache.resolve()), "--content", str(content),
               "--output", str(out), "-q"]
    try:
        assert cli(content, out).returncode == 0
        for _ in range(2):
            now = toggle(content)
            disk.fill()
            done = cli(content, out) if disk.mounted else subprocess.run(command, cwd=ROOT, capture_output=True,
                                                                          text=True, timeout=300)
            assert done.returncode == 0, done.stderr
            assert "warning: cannot write the build cache (No space left on device)" in done.stderr
            assert snapshot(out) == references[now]
            leftover = [p for p in (cache / "site-builder").iterdir() if ".tmp-" in p.name]
            assert leftover == []
            disk.free()
        now = toggle(content)
        assert cli(content, out).returncode == 0
        assert snapshot(out) == references[now] and leftovers(out) == []
    finally:
        disk.close()


# --- hostile input ------------------------------------------------------------------------------------

SITE_YAML = {"content/site.yaml": "base_url: https://example.org/\n"}


def _problems(result) -> list[str]:
    return [str(d) for d in result.diags.sorted()]


@pytest.mark.parametrize("depth", [101, 500, 999, 1000, 5000])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_front_matter_nested_any_depth_is_an_error_at_its_line(tmp_path, depth, shape):
    if shape == "flow":
        deep, line = "[" * depth + "]" * depth, 4
    else:
        deep, line = "\n" + "\n".join("  " * (i + 1) + f"k{i}:" for i in range(depth)), None
    content = make_site(tmp_path, {"content/articles/a.md": article(tags=deep), **SITE_YAML})
    result = run_build(content, tmp_path / "out")
    (problem,) = [d for d in result.diags.items if d.level == "error"]
    assert problem.path == str(content / "articles/a.md")
    assert problem.message == ("the front matter nests lists or mappings more than 100 deep; "
                               "check the indentation and the brackets")
    assert problem.line == (line or problem.line) and 4 <= problem.line <= depth + 5
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("raw", "line", "char"), [
    (b"---\ntitle: A\ndate: 2020-01-01\nsource: Agen\x00cy\n---\nText.\n", 4, "U+0000 (NUL)"),
    (b"---\ntitle: A\ndate: 2020-01-01\n---\nText.\n\nMore \x0c text.\n", 7, "U+000C (form feed)"),
    (b"---\ntitle: \"A \\x01 title\"\ndate: 2020-01-01\n---\nText.\n", 2, "U+0001"),
    (b"---\ndate: 2020-01-01\ntitle: \"\\e[31mred\"\n---\nText.\n", 3, "U+001B (escape)"),
    ("---\ntitle: A\ndate: 2020-01-01\nsummary: Mis\u0092encoded\n---\nText.\n".encode(), 4, "U+0092"),
])
def test_a_control_character_is_an_error_at_its_line_and_never_published(tmp_path, raw, line, char):
    content = make_site(tmp_path, {"content/articles/a.md": raw, **SITE_YAML})
    result = run_build(content, tmp_path / "out")
    assert _problems(result) == [
        f"{content / 'articles/a.md'}:{line}: the control character {char} cannot appear in a page or feed; "
        "delete it (it often comes with text pasted from a PDF or a terminal)"]
    assert not (tmp_path / "out").exists()


def test_every_xml_file_of_a_built_site_parses(tmp_path):
    import xml.etree.ElementTree as ElementTree
    shutil.copytree(SITES / "basic", tmp_path / "site")
    assert not run_build(tmp_path / "site/content", tmp_path / "out").failed
    feeds = list((tmp_path / "out").rglob("*.xml"))
    assert len(feeds) > 5
    for feed in feeds:
        ElementTree.parse(feed)


def test_a_quote_in_base_url_cannot_leave_a_root_relative_markdown_link(tmp_path):
    from site_builder.builder import build as build_site
    from site_builder.config import SiteConfig
    content = make_site(tmp_path, {"content/articles/a.md": article(body="See [the people](/people/).")})
    hostile = 'https://example.org/a"><script>alert(1)</script>/'  # (config.py refuses it; a page must too)
    config = SiteConfig(base_url=hostile, content_dir=content, output_dir=tmp_path / "out")
    assert not build_site(config, use_cache=False).failed
    page = BeautifulSoup((tmp_path / "out/articles/a/index.html").read_text(), "html.parser")
    link = page.find("a", string="the people")
    assert link["href"] == '/a"><script>alert(1)</script>/people/'
    assert page.find("script", string="alert(1)") is None


def test_symbolic_links_out_of_content_are_not_followed_and_loops_are_warnings(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article(title="Private notes"))
    content = make_site(tmp_path, {"content/articles/a.md": article(), **SITE_YAML})
    (content / "articles/secret.md").symlink_to(secret)
    (content / "articles/elsewhere").symlink_to(tmp_path)
    (content / "articles/inside.md").symlink_to(content / "articles/a.md")
    out = tmp_path / "out"
    assert not build(content, out).failed
    (content / "articles/loop.md").symlink_to(content / "articles/loop.md")
    result = build(content, out)  # (a warm build: the loop is a change, not "nothing changed")
    assert not result.failed and not result.unchanged
    where = content / "articles"
    assert _problems(result) == [
        f"{where}/elsewhere:1: warning: a symbolic link to {tmp_path}, outside the content folder; not followed "
        "(copy it into content/ instead)",
        f"{where}/loop.md:1: warning: a symbolic link loop (it leads back to itself); skipped",
        f"{where}/secret.md:1: warning: a symbolic link to {secret}, outside the content folder; not followed "
        "(copy it into content/ instead)",
    ]
    assert not (out / "articles/secret").exists()
    assert (out / "articles/inside/index.html").is_file()  # a link within content/ is read
    assert "Private notes" not in "".join(p.read_text() for p in out.rglob("*.html"))


def test_a_content_folder_that_is_a_link_out_of_content_is_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "private.md").write_text("---\nname: Private Person\n---\nNotes.\n")
    content = make_site(tmp_path, {"content/articles/a.md": article(), **SITE_YAML})
    (content / "people").symlink_to(elsewhere)
    result = run_build(content, tmp_path / "out")
    assert _problems(result) == [f"{content}/people:1: warning: a symbolic link to {elsewhere}, outside the content "
                                 "folder; not followed (move the folder into content/ instead)"]
    assert not (tmp_path / "out/people/private").exists()
