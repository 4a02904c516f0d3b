"""Rebuilds re-render exactly the pages whose inputs changed, and nothing else."""

import shutil

import pytest
from conftest import EDITS, SITES, age_everything, edit, run_build, snapshot

from site_builder.incremental import Incremental


@pytest.fixture
def site(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site")
    content = tmp_path / "site" / "content"
    builder = Incremental(content, {"output_dir": tmp_path / "out"})
    first = builder.rebuild()
    assert not first.failed and len(first.rendered) == first.total
    return content, builder, tmp_path / "out"


def test_a_save_with_no_change_renders_nothing(site):
    content, builder, _ = site
    result = builder.rebuild()
    assert result.rendered == [] and result.removed == []
    assert result.line().startswith("rebuilt 0 of ")


def test_editing_an_article_title_renders_exactly_the_pages_that_show_it(site):
    content, builder, out = site
    edit(content / "articles/second.md", "title: Second article", "title: Second article, revised")
    result = builder.rebuild()
    assert sorted(result.rendered) == sorted([
        "/", "/articles/", "/articles/second/", "/feed.xml", "/timeline/",
        "/people/ana-lopez/", "/people/ana-lopez.json", "/people/daniel-millan/", "/people/daniel-millan.json",
        "/organisations/agency-one/", "/organisations/agency-one.json",
        "/organisations/sub-agency/", "/organisations/sub-agency.json",
        "/stories/the-case/", "/tags/fentanyl/", "/stories/the-case/feed.xml",
        "/people/ana-lopez/feed.xml", "/people/daniel-millan/feed.xml",
        "/organisations/agency-one/feed.xml", "/organisations/sub-agency/feed.xml",
    ])
    assert "Second article, revised" in (out / "articles/second/index.html").read_text()


def test_editing_only_a_body_paragraph_renders_only_that_article(site):
    content, builder, _ = site
    edit(content / "articles/second.md", "Body of the second article.", "Body of the second article.\n\nMore.")
    assert builder.rebuild().rendered == ["/articles/second/"]


def test_a_template_change_renders_the_pages_that_use_it_and_no_other(site):
    content, builder, out = site
    templates = content.parent / "templates"
    templates.mkdir()
    shutil.copy(SITES.parent.parent / "templates" / "tag.html", templates / "tag.html")
    edit(templates / "tag.html", '<p class="kicker">{{ _("Tag") }}</p>', '<p class="kicker">Topic</p>')
    result = builder.rebuild()
    assert sorted(result.rendered) == ["/tags/fentanyl/", "/tags/trial/"]
    assert "Topic" in (out / "tags/fentanyl/index.html").read_text()
    shutil.copy(SITES.parent.parent / "templates" / "_macros.html", templates / "_macros.html")
    edit(templates / "_macros.html", "{% macro", "{# a comment #}\n{% macro")
    result = builder.rebuild()
    assert result.rendered == []  # remade, but a comment changes no page's bytes: none is written
    users = {p.template for p in builder.planned.pages if p.url in result.remade}
    assert users == {"article.html", "articles.html", "dossier.html", "home.html", "story.html", "tag.html",
                     "timeline.html"}  # the templates that import it


def test_deleting_an_article_removes_its_pages(site):
    content, builder, out = site
    (content / "articles/2020/third.md").unlink()
    result = builder.rebuild()
    assert "articles/third/index.html" in result.removed
    assert "stories/loose-story/index.html" in result.removed
    assert not (out / "articles/third").exists()


def test_broken_content_leaves_the_last_good_site_and_a_fix_recovers(site):
    content, builder, out = site
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    edit(content / "articles/second.md", "date: 2020-02-01T10:30:00", "date: 2020-02-31")
    broken = builder.rebuild()
    assert broken.failed and broken.rendered == []
    assert [str(d).split("content/", 1)[1] for d in broken.diags.errors] == [
        'articles/second.md:3: date: "2020-02-31": February 2020 has no day 31 (it has 29)']
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    edit(content / "articles/second.md", "date: 2020-02-31", "date: 2020-02-01T10:30:00")
    fixed = builder.rebuild()
    assert not fixed.failed and fixed.rendered == []


PATCHED = {"an article title", "a file touched", "a static file", "a static file removed", "a document retitled",
           "a person's notes text"}


@pytest.mark.parametrize("name", EDITS)
def test_each_kind_of_edit_in_the_preview_gives_what_a_cold_build_gives(name, tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site")
    content = tmp_path / "site" / "content"
    if EDITS[name].prepare:
        EDITS[name].prepare(content)
    age_everything(content.parent)  # as files are when a writer opens the preview
    builder = Incremental(content, {"output_dir": tmp_path / "out"})
    assert not builder.rebuild().failed
    EDITS[name](content)
    result = builder.rebuild()
    assert not result.failed
    assert builder.patched == (name in PATCHED)  # text-only edits reuse the index; the rest read the site again
    assert not run_build(content, tmp_path / "cold", use_cache=False).diags.errors
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "cold")
    age_everything(content.parent)  # nothing changed since: nothing is rendered
    assert builder.rebuild().rendered == []


def test_the_preview_starts_from_what_the_last_build_left(tmp_path):
    shutil.copytree(SITES / "basic", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    content = tmp_path / "site" / "content"
    age_everything(content.parent)
    assert not run_build(content, tmp_path / "out", use_cache=True).diags.errors
    edit(content / "articles/second.md", "Body of the second article.", "Body of the second article.\n\nEdited.")
    builder = Incremental(content, {"output_dir": tmp_path / "out"})
    first = builder.rebuild(workers=None)
    assert first.rendered == ["/articles/second/"]  # not the whole site
    assert "Edited." in (tmp_path / "out/articles/second/index.html").read_text()
    assert list((tmp_path / "site/.cache/site-builder").glob("manifest-*")) == []  # output/ is the preview's now
    run_build(content, tmp_path / "cold")
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "cold")


def test_the_pages_reading_a_changed_fragment_are_found_by_its_number_not_by_its_bytes():
    from array import array

    from site_builder.builder import _reading

    deps = {"a": array("I", [0x01000000, 0, 0x0100]),  # the bytes of 1 are there, from the first's last byte
            "b": array("I", [3, 1]), "c": array("I", []), "d": array("I", [0x0100, 9])}
    assert _reading(deps, {1}) == {"b"}
    assert _reading(deps, {0x0100, 9}) == {"a", "d"}
    assert _reading(deps, set()) == set() and _reading(deps, {42}) == set()


def test_a_preview_rebuild_makes_no_reference_cycles_so_freezing_what_it_made_leaks_nothing(site):
    import gc

    content, builder, _ = site
    gc.unfreeze()  # (what the first rebuild froze)
    gc.collect()
    gc.disable()
    try:
        edit(content / "articles/second.md", "title: Second article", "title: Second article, revised")
        result = builder.rebuild()  # renders a score of pages, reindexes nothing
        edit(content / "people/ana-lopez.md", "name: Ana María López", "name: Ana María López García")
        renamed = builder.rebuild()  # reads, indexes and plans again
        assert result.rendered and renamed.rendered and not renamed.failed
        gc.unfreeze()
        assert gc.collect() == 0  # no cyclic garbage: what rebuild() froze is all freed by reference counts
    finally:
        gc.enable()


def test_text_edits_one_after_another_in_the_preview_each_give_what_a_cold_build_gives(site, tmp_path):
    """The preview finds where an edited file's records are in the site once (index.Places) and
    uses that for every later text edit: of the same article, another one, an event's text, notes."""
    content, builder, out = site
    second, first = content / "articles/second.md", content / "articles/2020/2020-01-10-first.md"
    steps = [(second, "title: Second article", "title: Second, retitled"),
             (first, "Second paragraph with", "A second paragraph with"),
             (second, "text: Interval event.", "text: Interval event, reworded."),
             (second, "title: Second, retitled", "title: Second, retitled again"),
             (content / "people/ana-lopez.md", "Notes about Ana", "More notes about Ana"),
             (first, "date: 2020-01-10", "date: 2020-03-01"),  # indexed again: the first is now the newer
             (second, "title: Second, retitled again", "title: Second, once more"),
             (first, "A second paragraph with", "The second paragraph with")]
    for number, (path, old, new) in enumerate(steps):
        edit(path, old, new)
        result = builder.rebuild()
        assert not result.failed and builder.patched == ("date:" not in old), number
        assert not run_build(content, tmp_path / f"cold-{number}", use_cache=False).diags.errors
        assert snapshot(out) == snapshot(tmp_path / f"cold-{number}"), number
