"""`deploy`: publish output/ to a gh-pages branch with ghp-import."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from .config import SiteConfig


class DeployError(RuntimeError):
    """Publishing failed; the message says why and what to do."""


class DeploySetupError(DeployError):
    """The repository is not set up to publish (no repository, no remote): said before building."""


def repository_root(folder: Path) -> Path:
    """The git work tree that holds folder."""
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                             text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        raise DeploySetupError(f"{folder} is not inside a git repository; run 'git init' and add a remote "
                               "first (git remote add origin URL), or publish output/ some other way") from err
    return Path(out.stdout.strip())


def check_setup(config: SiteConfig, remote: str = "origin", push: bool = True) -> Path:
    """The repository's root, once it is sure that publishing can work; DeploySetupError if not."""
    root = repository_root(config.content_dir.resolve().parent)
    if push and _git(root, "remote", "get-url", remote).returncode != 0:
        raise DeploySetupError(
            f'this repository has no remote "{remote}" to push to; add it with '
            f"'git remote add {remote} https://github.com/OWNER/REPO.git', or use --no-push to only "
            "commit the branch")
    return root


def publish(config: SiteConfig, remote: str = "origin", branch: str = "gh-pages", push: bool = True,
            message: str = "Publish the dossier site") -> bool:
    """Commit output/ as the whole of `branch` (with .nojekyll, and CNAME when set) and push it.
    False when the branch held these very files already: then no commit is made."""
    from ghp_import import GhpError, ghp_import

    if not (config.output_dir / "index.html").is_file():
        raise DeployError(f"{config.output_dir} holds no built site; build it first")
    root = check_setup(config, remote, push)
    with _working_directory(root):
        try:
            ghp_import(str(config.output_dir.resolve()), remote=remote, branch=branch, push=False, mesg=message,
                       nojekyll=True, cname=config.cname)
        except GhpError as err:
            raise DeployError(f"ghp-import: {err.message}") from err
    parent = _tip(root, f"{branch}^")  # (ghp-import commits on top of the remote's branch when it knows it)
    changed = parent is None or _tree(root, branch) != _tree(root, parent)
    if not changed:
        _git(root, "update-ref", f"refs/heads/{branch}", parent)  # the same files: drop the empty commit
    if push:
        done = _git(root, "push", remote, f"refs/heads/{branch}:refs/heads/{branch}")
        if done.returncode != 0:
            raise DeployError(f"git could not push {branch} to {remote}: {done.stderr.strip().splitlines()[-1]}")
    return changed


def _tip(root: Path, revision: str) -> str | None:
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return found.stdout.strip() or None


def _tree(root: Path, commit: str) -> str:
    return _git(root, "rev-parse", f"{commit}^{{tree}}").stdout.strip()


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


@contextlib.contextmanager
def _working_directory(folder: Path):
    previous = Path.cwd()
    os.chdir(folder)  # ghp-import runs git in the current directory
    try:
        yield
    finally:
        os.chdir(previous)
