"""`deploy` against real git repositories: a missing remote is said at once; an unchanged site makes no commit."""

import subprocess
import sys

from conftest import ROOT, article, make_site

ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
       "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": "/nonexistent"}


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=ENV).stdout


def deploy(repo, *args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "deploy", "--no-search", *args], cwd=repo,
                          capture_output=True, text=True, env=ENV, timeout=120)


def repository(tmp_path, remote=True):
    repo = tmp_path / "site"
    make_site(repo, {"content/site.yaml": "base_url: https://o.github.io/repo/\n",
                     "content/articles/a.md": article(title="Deployed")})
    git("init", "-q", "-b", "main", cwd=repo)
    git("commit", "-q", "--allow-empty", "-m", "start", cwd=repo)
    if remote:
        git("init", "--bare", "-q", str(tmp_path / "remote.git"), cwd=tmp_path)
        git("remote", "add", "origin", str(tmp_path / "remote.git"), cwd=repo)
    return repo


def test_no_origin_is_one_line_saying_how_and_exit_2(tmp_path):
    repo = repository(tmp_path, remote=False)
    proc = deploy(repo)
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith('deploy: this repository has no remote "origin"')
    assert "git remote add origin" in line and "--no-push" in line
    assert not (repo / "output").exists()  # said before building
    assert deploy(repo, "--no-push").returncode == 0
    assert "index.html" in git("ls-tree", "--name-only", "gh-pages", cwd=repo).split()


def test_nothing_to_publish_makes_no_commit_and_says_so(tmp_path):
    repo = repository(tmp_path)
    first = deploy(repo)
    assert first.returncode == 0, first.stderr
    assert "published output/ to branch gh-pages on origin" in first.stdout
    tip = git("rev-parse", "gh-pages", cwd=tmp_path / "remote.git")
    again = deploy(repo)
    assert again.returncode == 0, again.stderr
    assert "nothing to publish: branch gh-pages on origin already holds this build (no new commit)" in again.stdout
    assert git("rev-parse", "gh-pages", cwd=repo) == tip
    assert git("rev-parse", "gh-pages", cwd=tmp_path / "remote.git") == tip
    (repo / "content/articles/a.md").write_text(article(title="Changed"))
    changed = deploy(repo)
    assert changed.returncode == 0 and "published" in changed.stdout
    assert git("rev-parse", "gh-pages^", cwd=tmp_path / "remote.git") == tip
