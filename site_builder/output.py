"""Writes a whole build beside output/ and swaps it in only when it is complete.

Before either way changes output/, guard.mark_in_doubt records that it is changing, so that a
build killed in the middle is repaired by the next one (guard.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from . import guard


def safe_join(root: Path, rel: str) -> Path:
    """root/rel, refusing any path that would leave root."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {rel}")
    return target


@contextlib.contextmanager
def staged(output: Path):
    """A new folder beside output/ to write a whole build into; it replaces output/ only if
    the block ends normally. On any failure or interrupt output/ is left as it was."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = _temp_folder(output, "staging")
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site must be readable
    try:
        yield staging
        _swap(staging, output, guard.mark_in_doubt(output))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _temp_folder(output: Path, kind: str) -> Path:
    """A new folder beside output/ (guard.remove_leftovers knows its name); an OSError names the
    folder it could not be made in, not a random name."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{output.name}.{kind}-", dir=output.parent))
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(output.parent)) from None


def write_new(root: Path, rel: str, data: bytes) -> None:
    """Write a file into a folder being built (not yet served); rel must stay inside it."""
    parts = rel.split("/")
    if rel.startswith("/") or any(part in ("", ".", "..") for part in parts) or "\\" in rel:
        raise ValueError(f"refusing to write outside the output folder: {rel}")
    target = os.path.join(root, rel)
    try:
        fd = os.open(target, _NEW, 0o666)  # as open() does; no file object: a site has tens of thousands
    except FileNotFoundError:  # the first file of its folder
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, _NEW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


_NEW = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


@contextlib.contextmanager
def in_place(output: Path):
    """Change some files of a live output/: the block writes new files into a pending folder
    beside it (`write_new(pending, rel, data)`) and lists files to delete in `removed`; when it
    ends normally each file is moved into place (a reader never sees half a file). If the block
    or the moving fails, output/ is left as it was: files already moved are put back."""
    output = output.resolve()
    pending = _temp_folder(output, "pending")
    removed: list[str] = []
    try:
        yield pending, removed
        _apply(output, pending, removed)
    finally:
        shutil.rmtree(pending, ignore_errors=True)


def _apply(output: Path, pending: Path, removed: list[str]) -> None:
    backup = pending / ".backup"
    backup.mkdir()
    written = [os.path.relpath(os.path.join(root, name), pending)
               for root, dirs, files in os.walk(pending) if not root.startswith(str(backup)) for name in files]
    fresh = bool(written or removed) and guard.mark_in_doubt(output)
    done: list[tuple[Path, Path | None]] = []  # (file in output/, its previous version or None)
    try:
        for rel in sorted(written):
            target = safe_join(output, rel)
            old = backup / str(len(done))
            try:
                os.link(target, old)
            except FileNotFoundError:
                old = None
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(pending / rel, target)
            done.append((target, old))
            guard.step()
        for rel in removed:
            target = safe_join(output, rel)
            old = backup / str(len(done))
            try:
                os.replace(target, old)
            except FileNotFoundError:
                continue
            done.append((target, old))
            guard.step()
    except BaseException:
        for target, old in reversed(done):
            if old is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(old, target)
        for rel in written:  # folders made for new files
            _prune(output, safe_join(output, rel).parent)
        if fresh:  # output/ is as it was: no longer in doubt
            guard.settled(output)
        raise
    for rel in removed:
        _prune(output, safe_join(output, rel).parent)


def _prune(root: Path, folder: Path) -> None:
    """Remove folder and its parents up to root while they are empty."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _swap(staging: Path, output: Path, fresh: bool) -> None:
    if not output.exists():
        os.replace(staging, output)
        return
    old = _temp_folder(output, "old")
    os.replace(output, old / "tree")
    try:
        try:
            guard.step()
            os.replace(staging, output)
        except BaseException:
            os.replace(old / "tree", output)
            if fresh:  # output/ is as it was: no longer in doubt
                guard.settled(output)
            raise
        guard.step()
    finally:
        shutil.rmtree(old, ignore_errors=True)
