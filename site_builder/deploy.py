"""`deploy`: publish output/ to a gh-pages branch with ghp-import."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from .config import SiteConfig


class DeployError(RuntimeError):
    """Publishing failed; the message says why and what to do."""


def repository_root(folder: Path) -> Path:
    """The git work tree that holds folder."""
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                             text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        raise DeployError(f"{folder} is not inside a git repository; run 'git init' and add a remote first") from err
    return Path(out.stdout.strip())


def publish(config: SiteConfig, remote: str = "origin", branch: str = "gh-pages", push: bool = True,
            message: str = "Publish the dossier site") -> None:
    """Commit output/ as the whole of `branch` (with .nojekyll, and CNAME when set) and push it."""
    from ghp_import import GhpError, ghp_import

    if not (config.output_dir / "index.html").is_file():
        raise DeployError(f"{config.output_dir} holds no built site; build it first")
    root = repository_root(config.content_dir.resolve().parent)
    with _working_directory(root):
        try:
            ghp_import(str(config.output_dir.resolve()), remote=remote, branch=branch, push=push, mesg=message,
                       nojekyll=True, cname=config.cname)
        except GhpError as err:
            raise DeployError(f"ghp-import: {err.message}") from err
        except subprocess.CalledProcessError as err:
            raise DeployError(f"git failed while pushing to {remote} {branch}: {err}") from err


@contextlib.contextmanager
def _working_directory(folder: Path):
    previous = Path.cwd()
    os.chdir(folder)  # ghp-import runs git in the current directory
    try:
        yield
    finally:
        os.chdir(previous)
