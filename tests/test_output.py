"""A build is written beside output/ and swapped in only when complete."""

import pytest
from conftest import article, make_site

from site_builder import builder
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
    monkeypatch.setattr(builder, "render_page", render_then_fail)
    status = main(["--content", str(content), "--output", str(out), "-q"])
    assert status == (130 if failure is KeyboardInterrupt else 3)
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out")] == []


def test_output_folder_is_readable_after_the_swap(built):
    _, out, _ = built
    assert out.stat().st_mode & 0o755 == 0o755
