"""`check --format github`: annotations GitHub puts on the line of a pull request, and the step summary."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import article, make_site

ROOT = Path(__file__).resolve().parent.parent
COMMAND = re.compile(r"^::(error|warning|notice)(?: (.*?))?::(.*)$")


def check(*args, cwd=None, env=None):
    environment = {"PATH": "/usr/bin:/bin:/usr/local/bin", **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "check", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=environment)


def unescape(text: str) -> str:  # the reverse of actions/toolkit's escapeData / escapeProperty
    return (text.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n")
            .replace("%25", "%"))


def annotations(stdout: str) -> list[dict]:
    """Parse workflow commands back as the runner does: properties split at commas, then at '='."""
    found = []
    for line in stdout.splitlines():
        match = COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(part.split("=", 1) for part in match.group(2).split(",")) if match.group(2) else {}
        found.append({"level": match.group(1), **{k: unescape(v) for k, v in props.items()},
                      "message": unescape(match.group(3))})
    return found


def site_with_problems(root: Path) -> Path:
    return make_site(root, {
        "content/site.yaml": "base_url: https://x.org/\n",
        "content/articles/a.md": article(date="2020-13-45"),
        "content/articles/b,c:d%|e.md": article(),  # not a slug: an error in a file whose name needs escapes
        "content/articles/c.md": article(body="\n".join(f"[[Nobody {i}]]" for i in range(12))
                                         + "\n[[Nobody, 100%: really]]"),
    })


def test_problems_come_back_from_the_annotations_intact(tmp_path):
    content = site_with_problems(tmp_path)
    plain = check("--content", content)
    proc = check("--content", content, "--format", "github")
    assert proc.returncode == plain.returncode == 1
    *found, notice = annotations(proc.stdout)
    expected = [line for line in plain.stderr.splitlines() if not line.startswith("failed:")]
    assert len(found) == len(expected) == 15
    assert notice["level"] == "notice" and "2 errors and 13 warnings" in notice["message"]  # over ten warnings
    assert [f"{a['file']}:{a['line']}: {'warning: ' * (a['level'] == 'warning')}{a['message']}"
            for a in found] == expected  # outside a git work tree, paths as shown
    [odd] = [a for a in found if a["file"].endswith("b,c:d%|e.md")]
    assert odd["level"] == "error" and odd["line"] == "1" and odd["title"] == "content error"
    [date] = [a for a in found if a["message"].startswith("date:")]
    assert (date["file"], date["line"]) == (f"{content}/articles/a.md", "3")
    assert any("[[Nobody, 100%: really]]" in a["message"] and a["level"] == "warning" for a in found)
    assert "::" not in plain.stdout + plain.stderr  # without --format, nothing changes


def test_paths_are_the_repository_s_own_inside_a_git_work_tree(tmp_path):
    repo = tmp_path / "repo"
    content = site_with_problems(repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = check("--content", content, "--format", "github", cwd=elsewhere)
    files = {a["file"] for a in annotations(proc.stdout) if a["level"] != "notice"}
    assert files == {"content/articles/a.md", "content/articles/b,c:d%|e.md", "content/articles/c.md"}


def test_a_problem_outside_any_file_has_no_file(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})  # no site.yaml: no base_url in it
    proc = check("--content", content, "--format", "github", "--quiet")
    [found] = annotations(proc.stdout)  # (no notice: fewer than ten)
    assert "file" not in found and "line" not in found and found["message"].startswith("base_url is not set")


def test_a_bad_base_url_flag_is_wrong_usage_in_either_format(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})
    proc = check("--content", content, "--format", "github", "--base-url", "ftp://nope")
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("--base-url") and "http or https" in line


def test_the_step_summary_has_every_problem_with_no_markup(tmp_path):
    content = site_with_problems(tmp_path)
    (content / "articles/d.md").write_text(article(body="[[<script>alert(1)</script> *x*]]"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    proc = check("--content", content, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text()
    assert text.startswith("earlier step\n")  # appended, as GitHub expects
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| File")]
    assert len(rows) == len(annotations(proc.stdout)) - 1 == 16  # more than the ten GitHub annotates
    assert "<script>" not in text and r"\<script\>" in text and r"\*x\*" in text
    assert all(row.count(" | ") == 3 for row in rows)  # a "|" in a message does not split its cell
    assert "16" not in text.splitlines()[1] and "(failed)" in text
    clean = make_site(tmp_path / "clean", {"content/site.yaml": "base_url: https://x.org/\n",
                                           "content/articles/a.md": article()})
    proc = check("--content", clean, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0 and proc.stdout.startswith("checked")
    assert summary.read_text().endswith("No problems found.\n")


def test_a_summary_too_big_for_github_is_cut_short_and_says_so(tmp_path, monkeypatch):
    from site_builder import diagnostics
    from site_builder.diagnostics import Diagnostic, markdown_summary
    monkeypatch.setattr(diagnostics, "SUMMARY_BYTES", 2000)
    problems = [Diagnostic("nowhere.md", n, "warning", "x" * 100) for n in range(100)]
    text = markdown_summary(problems, failed=False)
    assert len(text.encode()) <= 2000 + 100 and text.rstrip().endswith("run `python build.py check` to see them.")
    shown = sum(line.startswith("| nowhere") for line in text.splitlines())
    assert 0 < shown < 100 and f"{100 - shown} more" in text
