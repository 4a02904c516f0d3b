"""The build cache makes builds faster, never different."""

import os
import shutil
import time

from conftest import EDITS, SITES, age_everything, run_build

from site_builder import builder, parallel
from site_builder.builder import build
from site_builder.cache import Cache
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def cached_build(content, output, **options):
    diags = Diagnostics()
    return build(load_config(content, diags, output_dir=output, **{"no_search": True, **options}))


def test_a_cached_rebuild_after_each_kind_of_edit_equals_a_cold_build(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    first = cached_build(content, tmp_path / "out", no_search=False)
    assert first.rendered and (tmp_path / "site/.cache/site-builder").is_dir()
    reused = []
    for step, (name, change) in enumerate(EDITS.items()):
        change(content)
        age_everything(tmp_path / "site", seconds=1800 - step)
        again = cached_build(content, tmp_path / "out", no_search=False)
        if not again.reindexed:
            reused.append(name)
        assert not again.diags.errors and not again.unchanged, name
        assert len(again.rendered) < len(first.rendered) or name == "a person's name", name  # the cache was used
        cold = run_build(content, tmp_path / f"cold-{step}", use_cache=False)
        assert not cold.diags.errors
        assert snapshot(tmp_path / "out") == snapshot(tmp_path / f"cold-{step}"), name
    # Edits that change no name, date, event, tag, story or wikilink reuse the last build's index.
    assert reused == ["an article title", "a file touched", "a template", "a static file", "a static file removed",
                      "a document retitled"]


def test_text_edits_one_after_another_reuse_the_index_and_equal_a_cold_build(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    cached_build(content, tmp_path / "out", no_search=False)
    first, second = sorted((content / "articles").rglob("*.md"))[:2]
    for step, article in enumerate([first, second, first, first]):  # files edited since the index was saved pile up
        article.write_text(article.read_text() + f"\nAn added paragraph, number {step}.\n")
        age_everything(tmp_path / "site", seconds=1800 - step)
        again = cached_build(content, tmp_path / "out", no_search=False)
        assert not again.reindexed and not again.diags.errors, step
        run_build(content, tmp_path / f"cold-{step}", use_cache=False)
        assert snapshot(tmp_path / "out") == snapshot(tmp_path / f"cold-{step}"), step


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


def test_reading_and_rendering_on_two_processes_gives_the_same_bytes(tmp_path, monkeypatch):
    content = SITES / "basic" / "content"
    one = run_build(content, tmp_path / "one")
    monkeypatch.setattr(parallel, "MINIMUM", 1)  # fork even for a handful of files and pages
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    two = run_build(content, tmp_path / "two")
    assert not two.diags.errors and [str(d) for d in two.diags.items] == [str(d) for d in one.diags.items]
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def test_two_processes_share_the_steps_as_they_go(monkeypatch):
    monkeypatch.setattr(parallel, "MINIMUM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def work(main: bool, steps) -> list[int]:
        done = []
        for step in steps:
            if not main and not done:
                time.sleep(1)  # the child is slow at first: the parent takes the steps meanwhile
            done.append(step)
        return done
    child, parent = parallel.share(200, work)
    assert sorted(child + parent) == list(range(200))
    assert child == sorted(child) and parent == sorted(parent)
    assert len(child) < 20 < 180 < len(parent)
    assert parallel.share(3, work, workers=1) == [[0, 1, 2]]


def test_parsed_files_saved_by_another_version_of_the_builder_are_deleted(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    shutil.copytree(tmp_path / "site/content", tmp_path / "site/other")  # a second site beside it
    cached_build(tmp_path / "site/other", tmp_path / "other-out")
    folder = tmp_path / "site/.cache/site-builder"
    theirs = sorted(p.name for p in folder.glob("records-*"))
    scope = theirs[0].split("-")[1]
    ours = Cache.open(load_config(tmp_path / "site/content", Diagnostics())).scope
    (folder / f"records-{ours}-0123456789abcdef01234567-3.pickle").write_bytes(b"old")
    cached_build(tmp_path / "site/content", tmp_path / "out")
    names = sorted(p.name for p in folder.glob("records-*"))
    assert f"records-{ours}-0123456789abcdef01234567-3.pickle" not in names
    assert set(theirs) < set(names) and scope != ours  # the other site's are kept


def test_a_link_to_nothing_among_the_content_is_no_file_and_breaks_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SITES / "basic" / "content", content)
    os.symlink(tmp_path / "nowhere.md", content / "articles" / "dangling.md")
    os.symlink(tmp_path / "nowhere", content / "people" / ".hidden-link")
    for use_cache in (False, True, True):
        result = run_build(content, tmp_path / "output", use_cache=use_cache)
        assert not result.diags.errors and (tmp_path / "output" / "index.html").is_file()


def test_records_saved_in_the_background_are_read_by_the_next_build(tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    monkeypatch.setattr(builder, "RECORDS_IN_BACKGROUND", 0)
    saved_by = []
    real_save = Cache.save_records
    monkeypatch.setattr(Cache, "save_records", lambda self: saved_by.append(os.getpid()) or real_save(self))
    cached_build(content, tmp_path / "out")
    assert saved_by == [os.getpid()]  # in this process only the call that found nothing left to save
    records = Cache.open(load_config(content, Diagnostics(), output_dir=tmp_path / "out")).records
    assert {rel for rel in records} == {p.relative_to(content).as_posix() for p in content.rglob("*.md")}


def test_when_saving_in_the_background_fails_the_next_build_reads_and_indexes_again(tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    monkeypatch.setattr(builder, "RECORDS_IN_BACKGROUND", 0)  # records saved in a process of their own too
    monkeypatch.setattr(builder, "in_background", lambda task: lambda: False)  # the forked savers died
    cached_build(content, tmp_path / "out")
    folder = tmp_path / "site/.cache/site-builder"
    assert list(folder.glob("records-*")) and not list(folder.glob("index-*"))  # records saved after all
    monkeypatch.undo()
    EDITS["an article title"](content)
    again = cached_build(content, tmp_path / "out")
    assert again.reindexed and not again.diags.errors
    run_build(content, tmp_path / "cold", no_search=True)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "cold")
    EDITS["a file touched"](content)
    age_everything(tmp_path / "site")
    assert not cached_build(content, tmp_path / "out").reindexed  # the index was saved this time
