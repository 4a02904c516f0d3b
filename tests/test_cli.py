"""The commands as a user runs them: exit status, messages, files written or not."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article, make_site

from site_builder.cli import main
from site_builder.scaffold import new_file

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_example_site_builds_with_no_problem(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")  # (its build cache is written beside it, not in the repo)
    proc = run("--content", tmp_path / "content", "--output", tmp_path / "out", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "pages" in proc.stdout and "articles" in proc.stdout
    assert (tmp_path / "out/people/salvador-cienfuegos/index.html").is_file()


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["check"], ["new"], ["export"]])
def test_every_command_has_help(command):
    proc = run(*command, "--help")
    assert proc.returncode == 0 and "usage:" in proc.stdout


def test_wrong_usage_exits_2(tmp_path):
    assert run("--no-such-flag").returncode == 2
    assert run("new", "planet", "Mars").returncode == 2
    assert run("--content", tmp_path / "missing").returncode == 2


def test_errors_exit_1_and_leave_output_untouched(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})
    out = tmp_path / "out"
    assert main(["--content", str(content), "--output", str(out), "-q"]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "articles/a.md").write_text(article(date="2020-13-45"))
    (content / "articles/b.md").write_text("no front matter\n")
    proc = run("--content", content, "--output", out)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f'{content}/articles/a.md:3: date: "2020-13-45": month 13 does not exist; months run 01 to 12'
    assert lines[1].startswith(f"{content}/articles/b.md:1: no front matter")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_strict_turns_warnings_into_failure(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "base_url: https://x.org/\n",
                                   "content/articles/a.md": article(body="[[Nobody]]")})
    assert run("--content", content, "--output", tmp_path / "o1").returncode == 0
    proc = run("--content", content, "--output", tmp_path / "o2", "--strict")
    assert proc.returncode == 1 and "warning: [[Nobody]]" in proc.stderr
    assert not (tmp_path / "o2").exists()


def test_check_writes_nothing(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})
    proc = run("check", "--content", content, "--output", tmp_path / "out")
    assert proc.returncode == 0 and "checked" in proc.stdout
    assert not (tmp_path / "out").exists()


def test_base_url_flag_takes_either_form(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})
    for i, url in enumerate(["https://o.github.io/repo", "https://o.github.io/repo/"]):
        assert run("--content", content, "--output", tmp_path / f"o{i}", "--base-url", url).returncode == 0
        html = (tmp_path / f"o{i}/index.html").read_text()
        assert 'href="/repo/articles/"' in html
    assert (tmp_path / "o0/index.html").read_bytes() == (tmp_path / "o1/index.html").read_bytes()


def test_deleted_content_leaves_no_file_behind(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article(people="[Gone Person]"),
                                   "content/articles/b.md": article(title="B")})
    out = tmp_path / "out"
    assert main(["--content", str(content), "--output", str(out), "-q"]) == 0
    assert (out / "people/gone-person/index.html").exists()
    (content / "articles/a.md").unlink()
    assert main(["--content", str(content), "--output", str(out), "-q"]) == 0
    assert not (out / "people/gone-person").exists() and not (out / "articles/a").exists()


@pytest.mark.parametrize("kind, name, rel", [
    ("article", "Judge dismisses the case", "articles/2026-11-27-judge-dismisses-the-case.md"),
    ("person", "Marcelo Ebrard Casaubón", "people/marcelo-ebrard-casaubon.md"),
    ("organisation", "Fiscalía General", "organisations/fiscalia-general.md"),
    ("story", "The Cienfuegos case", "stories/the-cienfuegos-case.md"),
])
def test_new_writes_a_file_that_builds_and_never_overwrites(tmp_path, kind, name, rel):
    content = make_site(tmp_path, {})
    path = new_file(content, kind, name, today=dt.date(2026, 11, 27))
    assert path == content / rel
    with pytest.raises(FileExistsError):
        new_file(content, kind, name, today=dt.date(2026, 11, 27))
    if kind == "article":
        (content / rel).write_text((content / rel).read_text().replace("draft: true", "draft: false"))
    assert run("check", "--content", content, "--base-url", "https://x.org/").returncode == 0
    built = run("--content", content, "--output", tmp_path / "out", "--base-url", "https://x.org/", "--drafts")
    assert built.returncode == 0, built.stderr
    folder, stem = rel[:-3].split("/")
    page = tmp_path / "out" / folder / stem.removeprefix("2026-11-27-") / "index.html"
    assert name in page.read_text(encoding="utf-8")


def test_new_from_the_command_line_prints_the_path(tmp_path):
    proc = run("new", "person", "Ana López", "--content", tmp_path / "content")
    assert proc.returncode == 0 and proc.stdout.strip().endswith("people/ana-lopez.md")
    again = run("new", "person", "Ana López", "--content", tmp_path / "content")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_bug_in_our_code_says_so_and_is_not_blamed_on_content(tmp_path, monkeypatch, capsys):
    content = make_site(tmp_path, {"content/articles/a.md": article()})

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr("site_builder.cli.build", broken)
    assert main(["--content", str(content), "--output", str(tmp_path / "out")]) == 3
    assert "bug in site_builder" in capsys.readouterr().err
