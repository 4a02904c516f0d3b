"""Mistakes in a site's own templates are content problems: `templates/x.html:LINE: message`, exit 1."""

import shutil
import subprocess
import sys

from conftest import ROOT, SITES, run_build

from site_builder.builder import build
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics
from site_builder.incremental import Incremental

HOME = '{% extends "base.html" %}\n{% block content %}\n<p>Hello</p>\n{{ undefined_thing }}\n{% endblock %}\n'
TAG = '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n'
STORY = '{% extends "base.html" %}\n{% block content %}\n\n{% include "nothere.html" %}\n{% endblock %}\n'
MACRO = '{% macro shout(x) %}\n{{ x.missing_key }}\n{% endmacro %}\n'
ARTICLE = ('{% extends "base.html" %}\n{% import "_mine.html" as mine %}\n{% block content %}\n'
           '{{ mine.shout(site) }}\n{% endblock %}\n')


def site(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path, dirs_exist_ok=True)
    (tmp_path / "templates").mkdir(exist_ok=True)
    return tmp_path / "content"


def run(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def snapshot(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_every_template_error_is_reported_at_its_line_and_nothing_is_written(tmp_path):
    site(tmp_path)
    assert run("-q", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "output")
    for name, text in {"home.html": HOME, "tag.html": TAG, "story.html": STORY, "_mine.html": MACRO,
                       "article.html": ARTICLE}.items():
        (tmp_path / "templates" / name).write_text(text)
    for _ in ("compiled now", "the second time, read compiled from .cache/site-builder/templates-*"):
        proc = run(cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr and "bug" not in proc.stderr
        errors = [line for line in proc.stderr.splitlines() if line.startswith("templates/")]
        assert errors == [
            "templates/_mine.html:2: 'dict object' has no attribute 'missing_key'",
            "templates/home.html:4: 'undefined_thing' is undefined",
            "templates/story.html:4: template \"nothere.html\" not found in the site's templates/ or the built-in ones",
            "templates/tag.html:3: template syntax: Expected an expression, got 'end of statement block'",
        ]
        assert "failed: 4 errors; nothing was written" in proc.stderr
        assert snapshot(tmp_path / "output") == before
    assert any((tmp_path / ".cache/site-builder").glob("templates-*/*"))


def test_fixing_the_templates_builds_the_same_as_a_cold_build(tmp_path):
    content = site(tmp_path)
    assert run("-q", cwd=tmp_path).returncode == 0
    (tmp_path / "templates/home.html").write_text(HOME)
    (tmp_path / "content/articles/second.md").write_text(
        (tmp_path / "content/articles/second.md").read_text().replace("Second article", "Second, edited"))
    assert run("-q", cwd=tmp_path).returncode == 1
    (tmp_path / "templates/home.html").write_text(HOME.replace("{{ undefined_thing }}", "{{ site.title }}"))
    assert run("-q", cwd=tmp_path).returncode == 0
    cold = run_build(content, tmp_path / "cold")
    assert not cold.diags.errors
    assert snapshot(tmp_path / "output") == snapshot(tmp_path / "cold")


def test_a_template_named_with_templates_is_shown_as_given(tmp_path):
    content = site(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/home.html").write_text(HOME)
    proc = run("--templates", "mine", "--content", "content", cwd=tmp_path)
    assert proc.returncode == 1
    assert "mine/home.html:4: 'undefined_thing' is undefined" in proc.stderr.splitlines()
    assert content.is_dir()


def test_an_error_in_our_own_template_is_still_a_bug(tmp_path, monkeypatch):
    content = site(tmp_path)
    (tmp_path / "templates/home.html").write_text('{% extends "base.html" %}\n')
    broken = tmp_path / "builtin"
    shutil.copytree(ROOT / "templates", broken)
    (broken / "base.html").write_text((broken / "base.html").read_text() + "{{ no_such_thing_of_ours }}\n")
    monkeypatch.setattr("site_builder.config.PACKAGE_TEMPLATES", broken)
    monkeypatch.setattr("site_builder.render.PACKAGE_TEMPLATES", broken)
    config = load_config(content, Diagnostics(), output_dir=tmp_path / "out")
    assert config.template_dirs[-1] == broken
    try:
        build(config, use_cache=False)
    except Exception as err:  # noqa: BLE001 - any exception is what we want: it is not a content problem
        assert "no_such_thing_of_ours" in str(err)
    else:
        raise AssertionError("an undefined name in a built-in template must not pass as a content problem")


def test_the_preview_reports_template_errors_and_recovers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    preview = Incremental(site(tmp_path), {"output_dir": tmp_path / "out"})
    assert not preview.rebuild().failed
    before = snapshot(tmp_path / "out")
    (tmp_path / "templates/home.html").write_text(HOME)
    failed = preview.rebuild()
    assert [str(d) for d in failed.diags.errors] == ["templates/home.html:4: 'undefined_thing' is undefined"]
    assert snapshot(tmp_path / "out") == before
    (tmp_path / "templates/home.html").unlink()
    assert not preview.rebuild().failed
    assert snapshot(tmp_path / "out") == before


def test_check_finds_template_errors_too(tmp_path):
    site(tmp_path)
    (tmp_path / "templates/home.html").write_text(HOME)
    (tmp_path / "templates/tag.html").write_text(TAG)
    proc = run("check", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("templates/")] == [
        "templates/home.html:4: 'undefined_thing' is undefined",
        "templates/tag.html:3: template syntax: Expected an expression, got 'end of statement block'"]
    assert not (tmp_path / "output").exists()
