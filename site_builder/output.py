"""Writes a whole build beside output/ and swaps it in only when it is complete."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


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
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site must be readable
    try:
        yield staging
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_new(root: Path, rel: str, data: bytes) -> None:
    """Write a file into a folder being built (not yet served)."""
    target = safe_join(root, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def reuse(previous: Path, root: Path, rel: str) -> bool:
    """Hard-link an unchanged file of the previous build into the new one; False if it is gone."""
    source = previous / rel
    target = safe_join(root, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:  # another file system, or links not allowed
        try:
            shutil.copyfile(source, target)
        except FileNotFoundError:
            return False
    return True


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        os.replace(staging, output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.replace(output, old / "tree")
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(old / "tree", output)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def replace_file(output: Path, rel: str, data: bytes) -> None:
    """Write one file of a live output/ so that a reader never sees it half-written."""
    target = safe_join(output, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def remove_file(output: Path, rel: str) -> None:
    """Delete one file of output/ and any folders it leaves empty."""
    target = safe_join(output, rel)
    target.unlink(missing_ok=True)
    folder = target.parent
    root = output.resolve()
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
