"""Keeps output/ right under faults: one process writes it at a time, and a mark says when it
may differ from what the cache's saved state describes.

Both live beside output/, in its parent folder:
- `.output.lock`, locked (flock) while a build or the preview writes output/. The kernel lets
  go of it when its process dies, however it dies, so a killed build never leaves a stale lock
  in the way; the file only says which process holds it, for the message.
- `.output.in-doubt`, written just before a build first changes output/ and removed once the
  cache has saved the state of the new output/ (cache.Cache.save). A build that finds it
  trusts nothing the cache says about output/ and builds it cold, search files included.

A test hook drives kills deterministically: with SITE_BUILDER_FAULT_AFTER=N the build's own
process kills itself with SIGKILL at its Nth `step()` (a point where output/, the mark or the
cache has just changed); `N:TERM` or `N:INT` sends that signal instead."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: builds are not locked there
    fcntl = None

# Where the lock file cannot be made, no build can write output/ either (and one that tries
# says so in one line); a build that finds nothing changed needs no lock.
UNWRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT)
LEFTOVERS = ("pending", "staging", "old")  # the prefixes output.py gives its temporary folders


class Busy(Exception):
    """Another process holds output/ and will not let go soon (the preview)."""


def _beside(output: Path, what: str) -> Path:
    output = output.resolve()
    return output.parent / f".{output.name}.{what}"


@contextlib.contextmanager
def locked(output: Path, command: str = "build") -> Iterator[None]:
    """Hold output/ for this process: wait for a build that holds it, refuse (Busy) while the
    preview does; then remove what killed builds left beside it."""
    lock, fd = _beside(output, "lock"), None
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = _take(lock, output)
    except OSError as err:
        if err.errno not in UNWRITABLE:
            raise
    if fd is None:
        yield
        return
    try:
        with contextlib.suppress(OSError):  # (only for the message; a full disk may refuse it)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        remove_leftovers(output)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)  # before unlocking: whoever waits on this file then takes a new one
        os.close(fd)  # (which unlocks it)


def _take(lock: Path, output: Path) -> int:
    """An open descriptor of the lock file, locked by this process."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, holder = _holder(fd)
            if holder == "serve":
                os.close(fd)
                raise Busy(f"{output}: the preview (python build.py serve) in process {pid} is writing this "
                           f"folder; stop it first, or use --output to build into another folder") from None
            print(f"waiting for the build in process {pid} to finish writing {output}", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # the holder removed it as we waited: lock the file that is there now


def _holder(fd: int) -> tuple[str, str]:
    """The process id and command the lock file names ('?' while it is being written)."""
    words = os.pread(fd, 100, 0).decode("ascii", "replace").split()
    return (words[0], words[1]) if len(words) == 2 else ("?", "build")


def remove_leftovers(output: Path) -> None:
    """Delete the staging, pending and old folders killed builds left beside output/ (only
    while holding the lock: then no live build is using them)."""
    output = output.resolve()
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return
    prefixes = tuple(f".{output.name}.{kind}-" for kind in LEFTOVERS)
    for entry in entries:
        if entry.name.startswith(prefixes):
            shutil.rmtree(entry.path, ignore_errors=True)


def mark_in_doubt(output: Path) -> bool:
    """Record, durably, that output/ is about to change: until the cache has saved the state
    that describes it (settled), the next build must not trust that state. True when it was
    not marked before (so a change undone whole may unmark it)."""
    mark = _beside(output, "in-doubt")
    fresh = not mark.exists()
    if fresh:
        fd = os.open(mark, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _sync_folder(mark.parent)
    step()
    return fresh


def in_doubt(output: Path) -> bool:
    """True when a build changed output/ and stopped before the cache described the result."""
    return _beside(output, "in-doubt").exists()


def settled(output: Path) -> None:
    """The cache now describes output/ exactly, or the change marked was undone: the mark goes."""
    with contextlib.suppress(OSError):  # (if it stays, the next build is only slower)
        os.unlink(_beside(output, "in-doubt"))
    step()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # (not every system can open a folder)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fault_plan() -> tuple[int, int]:
    """(the step to stop at, the signal), from SITE_BUILDER_FAULT_AFTER; (0, 0) when unset."""
    value = os.environ.get("SITE_BUILDER_FAULT_AFTER", "")
    count, _, name = value.partition(":")
    if not count.isdigit():
        return 0, 0
    return int(count), int(getattr(signal, f"SIG{name or 'KILL'}"))


_FAULT_AT, _FAULT_SIGNAL = _fault_plan()
_MAIN = os.getpid()  # steps count in the process that started the build, not in its workers
_steps = [0]  # the one piece of module state: a test hook's counter, never set otherwise


def step() -> None:
    """A point where output/, the mark or the cache has just changed: the test hook may stop here."""
    if _FAULT_AT and os.getpid() == _MAIN:
        _steps[0] += 1
        if _steps[0] == _FAULT_AT:
            os.kill(os.getpid(), _FAULT_SIGNAL)
