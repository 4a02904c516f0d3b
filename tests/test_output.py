"""A build is written beside output/ and swapped in only when complete."""

import pytest
from conftest import article, make_site

from site_builder import output, render
from site_builder.cli import main


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article(people="[Ana]")})
    out = tmp_path / "out"
    assert main(["--content", str(content), "--output", str(out), "-q"]) == 0
    return content, out, snapshot(out)


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_or_crashed_build_leaves_output_exactly_as_it_was(built, monkeypatch, failure):
    content, out, before = built
    (content / "articles/b.md").write_text(article(title="B", people="[Bruno]"))
    calls = []

    def render_then_fail(env, template, context):
        calls.append(context["url"])
        if len(calls) > 5:
            raise failure()
        return b"partial"
    monkeypatch.setattr(render, "render_page", render_then_fail)  # (the builder takes it from there)
    status = main(["--content", str(content), "--output", str(out), "-q"])
    assert status == (130 if failure is KeyboardInterrupt else 3)
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out")] == []


def test_output_folder_is_readable_after_the_swap(built):
    _, out, _ = built
    assert out.stat().st_mode & 0o755 == 0o755


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/x", "a/../../b", "a//b", "a\\..\\b"])
def test_nothing_is_written_outside_the_folder_being_built(tmp_path, rel):
    with pytest.raises(ValueError):
        output.write_new(tmp_path / "root", rel, b"x")


def test_an_in_place_update_that_fails_while_moving_files_puts_every_file_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    for name in ("a.html", "b.html", "c/d.html"):
        output.write_new(out, name, f"old {name}".encode())
    before = snapshot(out)
    real_replace, moves = output.os.replace, []

    def replace_then_fail(source, target):
        moves.append(target)
        if len(moves) == 3:
            raise OSError("disk full")
        real_replace(source, target)
    monkeypatch.setattr(output.os, "replace", replace_then_fail)
    with pytest.raises(OSError), output.in_place(out) as (pending, removed):
        for name in ("a.html", "c/d.html", "new/e.html"):
            output.write_new(pending, name, b"new")
        removed.append("b.html")
    assert snapshot(out) == before and not (out / "new").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # the pending folder is gone
