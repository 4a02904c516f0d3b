"""The build cache makes builds faster, never different."""

import os
import shutil
import time

from conftest import ROOT, SITES, run_build

from site_builder.builder import build
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def age_everything(folder, seconds=3600):
    """Make every file look long unmodified, so the cache trusts sizes and times."""
    stamp = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp))


def cached_build(content, output, **options):
    diags = Diagnostics()
    return build(load_config(content, diags, output_dir=output, **{"no_search": True, **options}))


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each step changes the site the way a writer does; they apply one after the other.
EDITS = {
    "an article title": lambda c: edit(c / "articles/second.md", "title: Second article", "title: Second, edited"),
    "a body paragraph": lambda c: edit(c / "articles/second.md", "Body of the second", "Body, with [[AO]], of the"),
    "a role": lambda c: edit(c / "articles/second.md", "role: foreign ministry spokesman", "role: minister"),
    "an article date": lambda c: edit(c / "articles/second.md", "date: 2020-02-01T10:30:00", "date: 2019-12-01"),
    "an event date": lambda c: edit(c / "articles/2020/2020-01-10-first.md", "date: 2019-05-01", "date: 1990"),
    "a person's name": lambda c: edit(c / "people/ana-lopez.md", "name: Ana María López", "name: Ana M. López"),
    "a notes file renamed": lambda c: (c / "people/ana-lopez.md").rename(c / "people/ana-maria-lopez.md"),
    "a role in notes": lambda c: edit(c / "people/ana-maria-lopez.md", "organisation: Agency One",
                                      "organisation: Sub Agency"),
    "a story note": lambda c: edit(c / "stories/the-case.md", "summary: A story of two articles.",
                                   "summary: Two articles."),
    "an article deleted": lambda c: (c / "articles/2020/third.md").unlink(),
    "an article added": lambda c: (c / "articles/fourth.md").write_text(
        "---\ntitle: Fourth\ndate: 2021-03-04\nstory: new-story\ntags: [New tag]\npeople: [Zoe Zed]\n"
        "events:\n  - date: 2021\n    text: It happened.\n    people: [Zoe Zed, Ana Lopez]\n---\nText.\n",
        encoding="utf-8"),
    "a file touched": lambda c: (c / "organisations/agency-one.md").touch(),
    "a template": lambda c: (c.parent / "templates").mkdir() or (c.parent / "templates/tag.html").write_text(
        (ROOT / "templates/tag.html").read_text().replace('<p class="kicker">Tag</p>', "<p>Topic</p>")),
    "a static file": lambda c: (c.parent / "templates/static").mkdir() or (
        c.parent / "templates/static/extra.css").write_text("p { margin: 0 }\n"),
    "a static file removed": lambda c: (c.parent / "templates/static/extra.css").unlink(),
    "an article made draft": lambda c: edit(c / "articles/fourth.md", "title: Fourth", "title: Fourth\ndraft: true"),
}


def test_a_cached_rebuild_after_each_kind_of_edit_equals_a_cold_build(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    first = cached_build(content, tmp_path / "out", no_search=False)
    assert first.rendered and (tmp_path / "site/.cache/site-builder").is_dir()
    for step, (name, change) in enumerate(EDITS.items()):
        change(content)
        age_everything(tmp_path / "site", seconds=1800 - step)
        again = cached_build(content, tmp_path / "out", no_search=False)
        assert not again.diags.errors and not again.unchanged, name
        assert len(again.rendered) < len(first.rendered) or name == "a person's name", name  # the cache was used
        cold = run_build(content, tmp_path / f"cold-{step}", use_cache=False)
        assert not cold.diags.errors
        assert snapshot(tmp_path / "out") == snapshot(tmp_path / f"cold-{step}"), name


def test_nothing_changed_is_noticed_without_building(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site")
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    cached_build(content, tmp_path / "out")
    inode = os.stat(tmp_path / "out").st_ino
    again = cached_build(content, tmp_path / "out")
    assert again.unchanged and again.rendered == []
    assert "nothing changed" in again.summary()
    assert [str(d) for d in again.diags.items] and os.stat(tmp_path / "out").st_ino == inode  # warnings replayed
    (content / "articles/second.md").write_text((content / "articles/second.md").read_text() + "\nMore.\n")
    assert not cached_build(content, tmp_path / "out").unchanged


def test_a_changed_setting_or_deleted_output_is_never_taken_for_no_change(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site")
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    cached_build(content, tmp_path / "out")
    diags = Diagnostics()
    drafts = build(load_config(content, diags, output_dir=tmp_path / "out", no_search=True, drafts=True))
    assert not drafts.unchanged and (tmp_path / "out/articles/draft/index.html").is_file()
    shutil.rmtree(tmp_path / "out")
    rebuilt = cached_build(content, tmp_path / "out")
    assert not rebuilt.unchanged and (tmp_path / "out/index.html").is_file()
