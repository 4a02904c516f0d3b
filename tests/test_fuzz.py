"""Property-based tests: whatever a writer types, the builder answers with a site or diagnostics."""

import calendar
import tempfile
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.builder import build
from site_builder.config import load_config
from site_builder.dates import DateError, PartialDate, parse_span
from site_builder.diagnostics import Diagnostics
from site_builder.frontmatter import FrontMatterError, parse
from site_builder.i18n import words
from site_builder.load import ARTICLE_KEYS, ORGANISATION_KEYS, PERSON_KEYS
from site_builder.markdown import fill, render
from site_builder.slugs import is_slug, slugify


@st.composite
def partial_dates(draw):
    year = draw(st.integers(1, 9999))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, calendar.monthrange(year, month)[1])) if month else None
    return PartialDate(year, month, day, draw(st.booleans()), draw(st.booleans()))


@given(partial_dates())
def test_dates_round_trip_through_their_written_form(date):
    span = parse_span(date.edtf())
    assert span.start == date
    assert words("en").span(span) == words("en").partial(date)
    assert span.start.earliest() <= span.start.latest()


@given(partial_dates(), partial_dates())
def test_intervals_parse_when_ordered_and_sort_by_their_start(a, b):
    start, end = sorted((a, b), key=lambda d: (d.earliest(), d.latest()))
    text = f"{start.edtf()}/{end.edtf()}"
    try:
        span = parse_span(text)
    except DateError:
        assert end.latest() < start.earliest()
        return
    assert span.sort_key()[0] == start.earliest().toordinal()
    assert " – " in words("en").span(span)


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_date_error(text):
    try:
        parse_span(text)
    except DateError as err:
        assert str(err)


@given(st.text(max_size=60))
def test_slugs_are_always_one_safe_path_segment(text):
    slug = slugify(text)
    assert slug == "" or is_slug(slug)
    assert "/" not in slug and ".." not in slug and len(slug) <= 80


@given(st.text(max_size=300))
def test_markdown_never_emits_script_or_handlers(text):
    rendered = render(text)
    soup = BeautifulSoup(fill(rendered.html, ["<a href='/x'>x</a>"] * len(rendered.wikilinks), "/"), "html.parser")
    assert soup.find(["script", "iframe", "svg", "object", "embed"]) is None
    assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    for a in soup.find_all("a"):
        assert not a.get("href", "").lower().lstrip().startswith(("javascript:", "data:", "vbscript:"))


@given(st.binary(max_size=200))
def test_any_bytes_are_front_matter_or_a_located_error(raw):
    try:
        parse(raw)
    except FrontMatterError as err:
        assert err.line >= 1 and err.message


scalars = st.none() | st.text(max_size=12) | st.integers() | st.booleans() | st.dates().map(str)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(("name", "role", "date", "text", "title", "x")), inner,
                                        max_size=3), max_leaves=8)
front_matter = st.dictionaries(st.sampled_from(ARTICLE_KEYS + PERSON_KEYS + ORGANISATION_KEYS + ("junk",)),
                               values, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter, front_matter, st.text(max_size=80))
def test_arbitrary_front_matter_gives_a_site_or_diagnostics_never_a_traceback(article, person, body):
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        for rel, data in (("articles/a.md", article), ("people/p.md", person), ("organisations/o.md", person)):
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, encoding="utf-8")
        diags = Diagnostics()
        config = load_config(content, diags, output_dir=Path(tmp) / "out")
        result = build(config)
        assert all(d.line >= 1 and d.message for d in result.diags.items)
        assert (Path(tmp) / "out").exists() == (not result.diags.failed())
