"""Share a loop of independent steps between two processes, using fork on a two-core machine;
or run a task beside the build.

A forked child never outlives its parent: it dies with it (Linux's parent-death signal) and
on SIGINT or SIGTERM, and a parent that fails or is interrupted kills it before going on."""

from __future__ import annotations

import functools
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
MINIMUM = 400  # below this many steps a second process costs more than it saves


class WorkerError(RuntimeError):
    """The forked worker failed; its traceback is the message."""


def split(count: int, work: Callable[[int, int], T], workers: int | None = None) -> list[T]:
    """work(part, parts) for every part, the first in a forked child when that is worth it.

    work(part, parts) does every parts-th step starting at part. The child shares all
    memory at the fork (copy on write), so nothing but its result is sent back."""
    parts = workers or min(2, os.cpu_count() or 1)
    if parts < 2 or count < MINIMUM or not hasattr(os, "fork"):
        return [work(0, 1)]
    reader, writer = os.pipe()
    pid = _fork()
    if pid == 0:  # the child: do part 0, send the result, never return into the caller's code
        os.close(reader)
        with os.fdopen(writer, "wb") as stream:
            try:
                result = (True, work(0, parts))
            except OSError as err:  # a full disk, say: the parent reports it as its own
                result = (False, err)
            except BaseException:
                result = (False, traceback.format_exc())
            try:
                pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                pass  # the parent reports a worker that ended without a result
        os._exit(0)
    os.close(writer)
    try:
        mine = work(1, parts)
    except BaseException:
        os.close(reader)
        _end(pid)
        raise
    with os.fdopen(reader, "rb") as stream:
        try:
            ok, theirs = pickle.load(stream)  # from the pipe: the bytes are never all in memory
        except Exception as err:  # it died before writing all of it
            ok, theirs = False, f"the worker process ended without a result ({err!r})"
    os.waitpid(pid, 0)
    if not ok:
        raise theirs if isinstance(theirs, OSError) else WorkerError(theirs)
    return [theirs, mine]


def share(count: int, work: Callable[[bool, Iterator[int]], T], workers: int | None = None) -> list[T]:
    """work(main, steps) in two processes as split does, but the steps are dealt as they go:
    each process takes the next few steps of range(count) when it is done with its last, so
    neither waits long for the other when some steps cost far more than others (a dossier of
    three thousand articles). `steps` gives step numbers in increasing order; `main` is True
    in the calling process (the one that may report progress)."""
    size = max(1, count // 1024)  # at most 2,048 chunks: 8 KiB, which a pipe holds unread
    reader, writer = os.pipe()  # the start of each chunk, four bytes each, read by both processes
    try:
        os.write(writer, b"".join(start.to_bytes(4, "little") for start in range(0, count, size)))
    finally:
        os.close(writer)

    def steps() -> Iterator[int]:
        while len(data := os.read(reader, 4)) == 4:  # (a pipe hands each read a whole chunk start)
            start = int.from_bytes(data, "little")
            yield from range(start, min(start + size, count))
    try:
        return split(count, lambda part, parts: work(part == parts - 1, steps()), workers)
    finally:
        os.close(reader)


def in_background(task: Callable[[], object]) -> Callable[[], bool]:
    """Start task in a forked child and go on; the function returned waits for it and tells
    whether it succeeded. Without fork, task runs now. Only from a process without threads."""
    if not hasattr(os, "fork"):
        task()
        return lambda: True
    pid = _fork()
    if pid == 0:  # the child: do the task, never return into the caller's code
        status = 1
        try:
            task()
            status = 0
        finally:
            os._exit(status)

    def wait() -> bool:
        try:
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
        except BaseException:  # interrupted while waiting: the task ends with the build
            _end(pid)
            raise
    return wait


def _fork() -> int:
    """os.fork, with the output flushed first so that the child does not write it again; the
    child dies at once on SIGINT and SIGTERM (it holds nothing to clean up: the parent removes
    what it wrote) and when the parent dies."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent, prctl = os.getpid(), _prctl()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if prctl:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before the child asked to die with it
            os._exit(1)
    return pid


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@functools.cache
def _prctl():
    """Linux's prctl, to ask for a signal when the parent dies; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


def _end(pid: int) -> None:
    """Kill a child and wait for it (so that nothing it does comes after the parent's clean-up)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
