"""Every field of every record, changed, gives an incremental build equal to a cold one.

Generic by construction: the changes are made from `dataclasses.fields` of the records the
content is loaded into (articles, their events and references, notes, their roles, stories,
bodies, dates...), so a field added to a record is changed here too, and a fragment that
shows it without its digest covering it makes this test fail."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil

import pytest
from conftest import SITES, edit, snapshot, write_picture

from site_builder import page_kinds, saved
from site_builder.builder import Build, update
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics, SourcePos
from site_builder.fragments import FRAGMENTS, in_file
from site_builder.index import build_site
from site_builder.load import Content, load_content
from site_builder.model import Article, Note
from site_builder.pages import plan
from site_builder.render import make_environment

IDENTITY = {"path", "kind", "src", "name_src"}  # which file a record is, not what it says


def variants(value):
    """(what changed, a different value of the same type) for a value and, inside records and
    tuples, for each of its parts."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if field.name in IDENTITY:
                continue
            for what, new in variants(getattr(value, field.name)):
                yield f".{field.name}{what}", dataclasses.replace(value, **{field.name: new})
    elif isinstance(value, tuple):
        yield from _tuple_variants(value)
    elif value is not None and not isinstance(value, SourcePos):
        yield "", _changed(value)


def _tuple_variants(value: tuple):
    if not value:
        return
    yield " without its last item", value[:-1]
    yield " with its first item twice", (value[0], *value)
    first = value[0]
    if isinstance(first, tuple) and first:  # (key, value) pairs: change the value
        for what, new in variants(first[-1]):
            yield f"[0][-1]{what}", ((*first[:-1], new), *value[1:])
    else:
        for what, new in variants(first):
            yield f"[0]{what}", (new, *value[1:])


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value - 1 if value > 1 else value + 1
    if isinstance(value, str):
        return value + "-x" if value else "x"
    if isinstance(value, bytes):
        return value + b"<p>Changed.</p>\n"
    if isinstance(value, dt.datetime):
        return value - dt.timedelta(days=40)
    raise AssertionError(f"no way to change a {type(value).__name__}: add one to _changed()")


def donated(record, records):
    """For each field the record leaves empty, the record with another record's value of it."""
    for field in dataclasses.fields(record):
        if field.name not in IDENTITY and getattr(record, field.name) in (None, (), ""):
            kind = getattr(record, "kind", None)
            for other in records:
                value = getattr(other, field.name)
                if getattr(other, "kind", None) == kind and value not in (None, (), ""):
                    yield f".{field.name} set", dataclasses.replace(record, **{field.name: value})
                    break


def richest(records) -> set[int]:
    """Of each kind of record, the one with the most fields set (not empty), by its number."""
    best: dict = {}
    for number, record in enumerate(records):
        filled = sum(1 for f in dataclasses.fields(record) if getattr(record, f.name) not in (None, (), ""))
        kind = getattr(record, "kind", type(record))
        if kind not in best or filled > best[kind][0]:
            best[kind] = (filled, number)
    return {number for _, number in best.values()}


def changed_contents(content: Content):
    """Content with one record changed, for every change of variants() of the richest record of
    each kind (an article, a person's and an organisation's notes, a story)."""
    for group in ("articles", "notes", "stories"):
        records = getattr(content, group)
        for number in sorted(richest(records)):
            record = records[number]
            for what, new in [*variants(record), *donated(record, records)]:
                changed = (*records[:number], new, *records[number + 1:])
                yield f"{group}[{number}]{what}", record, new, dataclasses.replace(content, **{group: changed})


def _base(root, paged: bool):
    shutil.copytree(SITES / "basic" / "content", root / "content")
    del paged  # (page_kinds' limits are patched by the caller)
    content_dir = root / "content"  # every field of the records changed below set, so that changing it shows
    edit(content_dir / "articles/2020/2020-01-10-first.md", "source: Example Wire",
         "source: Example Wire\nauthor: A Writer\nlinks: [https://example.org/one, https://example.org/two]\n"
         "language: es\nupdated: 2020-01-20\n"
         "corrections:\n  - date: 2020-01-12\n    text: A name was misspelt.\n  - date: 2020-01-15\n    text: A date.\n"
         "relations:\n  - type: employment\n    between: [Daniel Millan, Agency One]\n    role: spokesman\n"
         "    from: 2018\n    to: 2020-01\n    source: https://example.org/hired")
    # Files beside the text: a lead picture, documents and an event's source; a dossier picture.
    write_picture(content_dir / "files/lead.png", 20, 10)
    write_picture(content_dir / "files/ana.png", 12, 16)
    (content_dir / "files/memo.pdf").write_bytes(b"%PDF-1.4 memo")
    edit(content_dir / "articles/2020/2020-01-10-first.md", "source: Example Wire",
         "source: Example Wire\nimage: /files/lead.png\nimage_alt: A lead picture\nimage_credit: A Photographer\n"
         "documents:\n  - file: /files/memo.pdf\n    title: The memo\n    date: 2019-06-01\n"
         "  - file: https://example.org/ruling.pdf\n    title: The ruling")
    edit(content_dir / "articles/2020/2020-01-10-first.md", "text: Month event.",
         "text: Month event.\n    source: /files/memo.pdf")
    edit(content_dir / "articles/2020/2020-01-10-first.md", "Second paragraph with",
         "A chart: ![The chart](/files/lead.png), [the memo](/files/memo.pdf).\n\nSecond paragraph with")
    edit(content_dir / "people/ana-lopez.md", "born: 1960-02",
         "born: 1960-02\ndied: 2020\nnationality: Examplish\nlinks: [https://example.org/ana]\n"
         "image: /files/ana.png\nimage_alt: Ana at a desk\nimage_credit: The agency\n"
         "relations:\n  - type: associate\n    with: Bruno Díaz\n    role: mentor\n    from: 2015\n"
         "    to: 2019~\n    source: https://example.org/mentor")
    edit(content_dir / "organisations/agency-one.md", "country: Examplestan",
         "country: Examplestan\nfounded: 1990\ndissolved: 2021-03\nlinks: [https://example.org/ao]\n"
         "relations:\n  - type: ownership\n    with: Sub Agency\n    role: sole owner\n    from: 1995\n"
         "    to: 2020\n    source: https://example.org/owned")
    diags = Diagnostics()
    config = load_config(root / "content", diags, output_dir=root / "base")
    content = load_content(config, diags, {})
    planned = plan(build_site(config, content, Diagnostics()))
    env = make_environment(config)
    state = update(config, planned, None, Build(config, Diagnostics()), workers=1, env=env)
    for page in planned.pages:  # what the preview's reader holds after a while: every fragment shown
        planned.context(page)
    return root, config, env, content, planned, state


@pytest.fixture(scope="module", params=["one page", "by year"])
def base(request, tmp_path_factory):
    """The basic site built, with its timeline, articles and dossiers on one page each or paged by year."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "by year":
            patch.setattr(page_kinds, "TIMELINE_PAGE", 1)
            patch.setattr(page_kinds, "ARTICLES_PAGE", 1)
            patch.setattr(page_kinds, "DOSSIER_PAGE", 1)
            patch.setattr(page_kinds, "DOSSIER_NEWEST", 1)
            patch.setattr(page_kinds, "TAG_PAGE", 1)
            patch.setattr(page_kinds, "TAG_NEWEST", 1)
        yield _base(tmp_path_factory.mktemp("fragments"), request.param)


def test_every_kind_of_fragment_is_read_by_a_page_of_the_fixture(tmp_path_factory):
    read = set()
    for paged in (False, True):
        with pytest.MonkeyPatch.context() as patch:
            if paged:
                patch.setattr(page_kinds, "TIMELINE_PAGE", 1)
                patch.setattr(page_kinds, "ARTICLES_PAGE", 1)
                patch.setattr(page_kinds, "DOSSIER_PAGE", 1)
                patch.setattr(page_kinds, "TAG_PAGE", 1)
            *_, state = _base(tmp_path_factory.mktemp("kinds"), paged)
        read |= {kind for kind, _ in state.tokens}
    assert read == set(FRAGMENTS)  # a new kind of fragment needs a page of the fixture showing it


def _linked_copy(built, to):
    """A copy of a built output/ whose files are hard links to the built ones: an incremental
    update never writes into a file of output/, it replaces it (output.in_place), so the copy
    starts as the build left it and the build is kept as it was (the test checks that at its end)."""
    shutil.copytree(built, to, copy_function=os.link)
    return to


def test_changing_any_field_of_any_record_rebuilds_as_a_cold_build_does(base):
    root, config, env, content, base_plan, state = base
    built = snapshot(config.output_dir)
    tried = previewed = 0
    for number, (what, old, new, changed) in enumerate(changed_contents(content)):
        diags = Diagnostics()
        cold = config.output_dir.parent / f"cold-{number}"
        try:
            site = build_site(config, changed, diags)
            planned = plan(site)
            update(dataclasses.replace(config, output_dir=cold), planned, None, Build(config, Diagnostics()),
                   workers=1, env=env)
        except (IndexError, KeyError, ValueError):
            continue  # a record no file parses into (a body without the wikilinks its HTML has)
        if diags.errors:
            continue  # content a build refuses to write
        tried += 1
        expected = snapshot(cold)
        shutil.rmtree(cold)
        incremental = _linked_copy(config.output_dir, config.output_dir.parent / f"incremental-{number}")
        update(dataclasses.replace(config, output_dir=incremental), planned, state, Build(config, Diagnostics()),
               workers=1, env=env)
        assert snapshot(incremental) == expected, what
        shutil.rmtree(incremental)
        sources_before = base_plan.reader.sources
        if isinstance(old, Article) and saved.structure(old) == saved.structure(new) \
                and old.path in sources_before.articles \
                or isinstance(old, Note) and saved.note_structure(old) == saved.note_structure(new) \
                and old.path in sources_before.notes:
            # A text edit, as the preview rebuilds it: the same index with the new record.
            previewed += 1
            preview = _linked_copy(config.output_dir, config.output_dir.parent / f"preview-{number}")
            sources = {**base_plan.reader.sources.site.sources}
            fresh = {old.path: new}
            suspects = in_file(old.path)
            over = base_plan.over(base_plan.reader.sources.site.with_records(fresh, sources), fresh, suspects)
            update(dataclasses.replace(config, output_dir=preview), over, state, Build(config, Diagnostics()),
                   workers=1, env=env, suspects=suspects)
            assert snapshot(preview) == expected, f"preview: {what}"
            shutil.rmtree(preview)
    assert tried > 60 and previewed > 5, (tried, previewed)
    assert snapshot(config.output_dir) == built  # (no update wrote through a link into the build)
