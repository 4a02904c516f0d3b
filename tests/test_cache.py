"""The build cache makes builds faster, never different."""

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import EDITS, SITES, age_everything, edit, run_build, snapshot

from site_builder import builder, pages, parallel
from site_builder.builder import build
from site_builder.cache import Cache
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics


def cached_build(content, output, **options):
    diags = Diagnostics()
    return build(load_config(content, diags, output_dir=output, **{"no_search": True, **options}))


# Edits that change no name, date, event, tag, story or wikilink reuse the last build's index.
REUSED = {"an article title", "a file touched", "a template", "a static file", "a static file removed",
          "a document retitled", "a person's notes text"}


class _NotPlanned:
    def __iter__(self):
        raise AssertionError("the pages were planned again, not taken from the saved index")


@pytest.mark.parametrize("name", EDITS)
def test_a_cached_rebuild_after_each_kind_of_edit_equals_a_cold_build(name, tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    if EDITS[name].prepare:
        EDITS[name].prepare(content)
    age_everything(tmp_path / "site")
    first = cached_build(content, tmp_path / "out", no_search=False)
    assert first.rendered and (tmp_path / "site/.cache/site-builder").is_dir()
    EDITS[name](content)
    age_everything(tmp_path / "site", seconds=1800)
    with monkeypatch.context() as patch:
        if name in REUSED:  # the saved index comes with the pages planned over it
            patch.setattr(pages, "KINDS", _NotPlanned())
        again = cached_build(content, tmp_path / "out", no_search=False)
    assert not again.diags.errors and not again.unchanged
    assert again.reindexed == (name not in REUSED)
    assert len(again.rendered) < len(first.rendered) or name == "a person's name"  # the cache was used
    assert not run_build(content, tmp_path / "cold", use_cache=False).diags.errors
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "cold")


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


def test_two_processes_share_the_steps_as_they_go(monkeypatch, tmp_path):
    monkeypatch.setattr(parallel, "MINIMUM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parent_is_far = tmp_path / "parent-took-190-steps"

    def work(main: bool, steps) -> list[int]:
        done = []
        for step in steps:
            if not main and not done:  # the child is slow at first: the parent takes the steps meanwhile
                deadline = time.monotonic() + 30
                while not parent_is_far.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
            done.append(step)
            if main and len(done) == 190:
                parent_is_far.touch()
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


def test_a_build_right_after_a_build_finds_nothing_changed_though_a_file_was_just_saved(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    cached_build(content, tmp_path / "out")
    EDITS["an article title"](content)  # saved just now: its time is too recent to be trusted alone
    assert cached_build(content, tmp_path / "out").rendered
    again = cached_build(content, tmp_path / "out")
    assert again.unchanged and again.rendered == []  # its bytes were read and found the same


def test_a_file_saved_twice_within_a_tick_of_the_snapshot_is_read_again_later(tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(tmp_path / "site")
    clock = [time.time_ns()]
    monkeypatch.setattr(time, "time_ns", lambda: clock[0])
    article = content / "articles/second.md"
    tick = clock[0] - 1_000_000_000  # saved a second before the build takes its snapshot
    os.utime(article, ns=(tick, tick))
    cached_build(content, tmp_path / "out")
    edit(article, "title: Second article", "title: Second artic1e")  # saved again: same size, same time
    os.utime(article, ns=(tick, tick))
    clock[0] += 60_000_000_000  # a minute later: the time is old now, but was not at the snapshot
    again = cached_build(content, tmp_path / "out")
    assert not again.unchanged and "Second artic1e" in (tmp_path / "out/articles/second/index.html").read_text()
    run_build(content, tmp_path / "cold", no_search=True)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "cold")


def test_a_fresh_checkout_with_its_cache_and_output_restored_renders_nothing(tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "a", ignore=shutil.ignore_patterns(".cache"))
    monkeypatch.chdir(tmp_path / "a")
    first = cached_build(Path("content"), Path("output"), no_search=False)
    assert first.rendered
    # Elsewhere, every file written anew (new times, new inodes), as CI restores a cache.
    shutil.copytree(tmp_path / "a", tmp_path / "b", copy_function=shutil.copy)
    monkeypatch.chdir(tmp_path / "b")
    again = cached_build(Path("content"), Path("output"), no_search=False)
    assert not again.diags.errors and not again.reindexed and again.rendered == []
    run_build(Path("content"), tmp_path / "cold")
    assert snapshot(tmp_path / "b/output") == snapshot(tmp_path / "cold")



def test_a_fresh_checkout_read_on_two_processes_keeps_its_records_and_reads_the_edit(tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "a", ignore=shutil.ignore_patterns(".cache"))
    monkeypatch.chdir(tmp_path / "a")
    cached_build(Path("content"), Path("output"))
    shutil.copytree(tmp_path / "a", tmp_path / "b", copy_function=shutil.copy)
    monkeypatch.chdir(tmp_path / "b")
    edit(Path("content/articles/second.md"), "title: Second article", "title: Second, retitled")
    monkeypatch.setattr(parallel, "MINIMUM", 1)  # every file is read again on two processes
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    again = cached_build(Path("content"), Path("output"))
    assert not again.diags.errors and "Second, retitled" in Path("output/articles/second/index.html").read_text()
    assert len(again.rendered) < again.total
    config = load_config(Path("content"), Diagnostics(), output_dir=Path("output"))
    records = Cache.open(config).records  # as saved: the new times of the files, touched or edited
    for rel in ("articles/2020/2020-01-10-first.md", "articles/second.md"):
        info = os.stat(Path("content") / rel)
        assert records[rel].stat == (info.st_size, info.st_mtime_ns) and records[rel].record.path == rel
    assert records["articles/second.md"].record.title == "Second, retitled"
    run_build(Path("content"), tmp_path / "cold", no_search=True)
    assert snapshot(Path("output")) == snapshot(tmp_path / "cold")


def test_files_only_touched_keep_their_saved_records_and_an_edit_after_is_read(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content, out = tmp_path / "site" / "content", tmp_path / "out"
    age_everything(tmp_path / "site", seconds=7200)
    cached_build(content, out)
    folder = tmp_path / "site" / ".cache" / "site-builder"
    buckets = {path.name: path.read_bytes() for path in folder.glob("records-*")}
    age_everything(content)  # every file touched (a checkout, a restore): new times, the same bytes
    touched = cached_build(content, out)
    assert not touched.diags.errors and not touched.reindexed
    assert {path.name: path.read_bytes() for path in folder.glob("records-*")} == buckets
    assert len(list(folder.glob("stats-*"))) == 1  # the new times are kept beside them
    config = load_config(content, Diagnostics(), output_dir=out)
    article = content / "articles/second.md"
    assert Cache.open(config).records["articles/second.md"].stat == (article.stat().st_size,
                                                                    article.stat().st_mtime_ns)
    before = article.stat()
    edit(article, "title: Second article", "title: Second artic1e")  # the same size
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns - 60_000_000_000))
    edited = cached_build(content, out)
    assert "Second artic1e" in (out / "articles/second/index.html").read_text()
    edit(article, "title: Second artic1e", "title: Second article")  # back, at the time of the touch
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
    back = cached_build(content, out)
    assert not edited.diags.errors and not back.diags.errors
    assert "Second article" in (out / "articles/second/index.html").read_text()
    run_build(content, tmp_path / "cold", no_search=True)
    assert snapshot(out) == snapshot(tmp_path / "cold")


def test_an_edit_rewrites_only_its_search_bucket_and_a_bucket_out_of_step_means_a_cold_build(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content, out = tmp_path / "site" / "content", tmp_path / "out"
    age_everything(tmp_path / "site", seconds=7200)
    cached_build(content, out, no_search=False)
    folder = tmp_path / "site" / ".cache" / "site-builder"
    buckets = {path.name: path.read_bytes() for path in folder.glob("search-*")}
    assert len(buckets) == 16
    edit(content / "articles/second.md", "title: Second article", "title: Second, retitled")
    age_everything(tmp_path / "site", seconds=3600)
    edited = cached_build(content, out, no_search=False)
    assert not edited.diags.errors and len(edited.rendered) < edited.total
    rewritten = {path.name for path in folder.glob("search-*") if path.read_bytes() != buckets[path.name]}
    assert 1 <= len(rewritten) <= 2  # the article's entry and its tag's: not the other buckets
    run_build(content, tmp_path / "cold", use_cache=False)
    assert snapshot(out) == snapshot(tmp_path / "cold")

    stale = next(iter(rewritten))  # as a build killed after writing its buckets and before its manifest leaves it
    (folder / stale).write_bytes(buckets[stale])
    edit(content / "articles/second.md", "title: Second, retitled", "title: Second, again")
    age_everything(tmp_path / "site", seconds=1800)
    again = cached_build(content, out, no_search=False)
    assert not again.diags.errors and len(again.rendered) == again.total  # no state to trust: every page
    run_build(content, tmp_path / "cold-2", use_cache=False)
    assert snapshot(out) == snapshot(tmp_path / "cold-2")


def test_a_restored_output_that_differs_from_the_cache_is_written_again(tmp_path, monkeypatch):
    shutil.copytree(SITES / "basic", tmp_path / "a", ignore=shutil.ignore_patterns(".cache"))
    monkeypatch.chdir(tmp_path / "a")
    cached_build(Path("content"), Path("output"))
    shutil.copytree(tmp_path / "a", tmp_path / "b", copy_function=shutil.copy)
    (tmp_path / "b/output/tags/trial/index.html").write_text("not what the build wrote")
    monkeypatch.chdir(tmp_path / "b")
    again = cached_build(Path("content"), Path("output"))
    assert len(again.rendered) == again.total  # output/ is not the build's: it is written whole
    run_build(Path("content"), tmp_path / "cold", no_search=True)
    assert snapshot(tmp_path / "b/output") == snapshot(tmp_path / "cold")


def test_records_come_back_from_the_cache_equal_and_still_frozen(tmp_path):
    import dataclasses
    import pickle

    from conftest import ROOT

    from site_builder.load import load_content

    config = load_config(ROOT / "content", Diagnostics(), output_dir=tmp_path / "out")
    content = load_content(config, Diagnostics())
    records = [*content.articles, *content.notes, *content.stories]
    back = pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == records and repr(back) == repr(records)  # (repr: what fragments' digests are taken of)

    def kinds(value, found: set) -> set:
        if dataclasses.is_dataclass(value):
            found.add(type(value).__name__)
            for f in dataclasses.fields(value):
                kinds(getattr(value, f.name), found)
        elif isinstance(value, (list, tuple)):
            for item in value:
                kinds(item, found)
        return found
    assert {"Article", "Event", "Ref", "SourcePos", "DateSpan", "PartialDate", "WikiLink", "Note"} <= kinds(back, set())
    with pytest.raises(dataclasses.FrozenInstanceError):
        back[0].title = "changed"
