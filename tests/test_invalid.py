"""Every content mistake is reported as path:line: message, all at once, and nothing is written.

Each tests/sites/invalid/<case>/ holds a content/ folder and expected.txt with the exact
diagnostics `python build.py check` prints for it (paths relative to the case folder)."""

import shutil

import pytest
from conftest import SITES

from site_builder.cli import main

CASES = sorted(p for p in (SITES / "invalid").iterdir() if p.is_dir() and not p.name.startswith("."))  # not a .cache


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("command", ["check", "build"])
def test_every_problem_is_reported_where_it_is(case, command, monkeypatch, capsys, tmp_path):
    shutil.copytree(case, tmp_path / case.name)  # a build keeps its cache beside content/
    monkeypatch.chdir(tmp_path / case.name)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    status = main([command, "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err.splitlines()
    problems = [line for line in err if not line.startswith("failed:")]
    assert problems == expected
    has_errors = any(": warning: " not in line for line in expected)
    assert status == (1 if has_errors else 0)
    assert "Traceback" not in "\n".join(err)
    assert (tmp_path / "out").exists() == (command == "build" and not has_errors)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_strict_fails_on_warnings_alone(case, monkeypatch, capsys):
    monkeypatch.chdir(case)
    assert main(["check", "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("failed:")


def test_problems_are_sorted_by_file_then_line():
    for case in CASES:
        lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
        assert keys == sorted(keys), case.name
