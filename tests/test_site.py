"""Feature tests: the basic fixture site built once under a sub-path, checked as parsed HTML."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import SITES, parse, run_build

from site_builder import page_kinds as pages

CONTENT = SITES / "basic" / "content"
BASE = "/sub/path/"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    output = tmp_path_factory.mktemp("basic") / "output"
    result = run_build(CONTENT, output)
    assert not result.diags.errors, result.diags.errors
    return output


def page(out, url):
    return parse(out, url)


def texts(elements):
    return [" ".join(e.get_text().split()) for e in elements]


def internal_targets(out: Path):
    """(page file, href) for every link and asset that stays on the site."""
    for path in sorted(out.rglob("*.html")):
        soup = parse(out, "/" + path.relative_to(out).as_posix())
        for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for element in soup.find_all(tag):
                value = element.get(attr)
                if value and not urlsplit(value).scheme and not value.startswith("//"):
                    yield path, value


def test_every_internal_link_and_anchor_resolves_under_the_sub_path(out):
    checked = 0
    for path, href in internal_targets(out):
        target, fragment = urldefrag(href)
        if target:
            assert target.startswith(BASE), f"{path}: {href} is not under {BASE}"
            rel = target[len(BASE):]
            file = out / (rel + "index.html" if rel.endswith("/") or not rel else rel)
            assert file.is_file(), f"{path}: {href} has no file"
        else:
            file = path
        if fragment:
            assert parse(out, "/" + file.relative_to(out).as_posix()).find(id=fragment), f"{path}: {href}"
        checked += 1
    assert checked > 100


def test_every_page_of_the_contract_exists(out):
    for url in ["/", "/articles/first/", "/articles/second/", "/articles/third/", "/people/ana-lopez/",
                "/organisations/agency-one/", "/people/", "/organisations/", "/articles/", "/stories/",
                "/stories/the-case/", "/timeline/", "/tags/fentanyl/", "/feed.xml", "/sitemap.xml",
                "/robots.txt", "/404.html", "/people/ana-lopez.json", "/organisations/agency-one.json",
                "/graph.json"]:
        rel = url.lstrip("/")
        assert (out / (rel + "index.html" if rel.endswith("/") or not rel else rel)).is_file(), url


def test_article_page_shows_its_people_organisations_events_tags_story_and_source(out):
    soup = page(out, "/articles/first/")
    assert soup.h1.text == "First article"
    assert texts(soup.select("#people .chips li")) == ["Ana María López", "Daniel Millán spokesman", "Bruno Díaz"]
    assert texts(soup.select("#organisations .chips li a")) == ["Agency One"]
    assert texts(soup.select("#timeline .event-date .when")) == ["1 May 2019", "May 2019"]
    assert [a["href"] for a in soup.select(".tags a")] == [f"{BASE}tags/fentanyl/", f"{BASE}tags/trial/"]
    assert soup.select_one(".kicker a")["href"] == f"{BASE}stories/the-case/"
    assert soup.find("a", string="Example Wire")["href"] == "https://example.com/first"
    body = soup.select_one(".body")
    assert body.find("a", string="the agency")["href"] == f"{BASE}organisations/agency-one/"
    assert body.select_one(".wikilink-missing").text == "Nobody Known"


def test_person_dossier(out):
    soup = page(out, "/people/ana-lopez/")
    assert soup.h1.text == "Ana María López"
    assert texts(soup.select(".alias")) == ["Ana Lopez"]
    assert texts(soup.select("#roles li")) == ["Director, Agency One (2010 – June 2015)"]
    assert soup.select_one("#roles a")["href"] == f"{BASE}organisations/agency-one/"
    assert soup.select_one("#notes a.wikilink")["href"] == f"{BASE}people/bruno-diaz/"
    assert texts(soup.select("#timeline .event-text")) == ["Day event."]
    assert soup.select_one("#timeline .event-source a")["href"] == f"{BASE}articles/first/"
    assert texts(soup.select("#articles .article-title")) == ["Second article", "First article"]
    assert texts(soup.select("#articles .role")) == []
    assert texts(soup.select("#connections ol a")) == ["Agency One", "Daniel Millán", "Bruno Díaz", "Sub Agency"]
    assert texts(soup.select("#connections .count")) == ["2 articles in common", "2 articles in common",
                                                         "1 article in common", "1 article in common"]


def test_article_roles_show_on_the_dossier_newest_first(out):
    soup = page(out, "/people/daniel-millan/")
    assert soup.h1.text == "Daniel Millán"
    assert texts(soup.select("#articles li .role")) == ["foreign ministry spokesman", "spokesman"]
    assert texts(soup.select("#articles .article-title")) == ["Third (CRLF, BOM)", "Second article", "First article"]


def test_organisation_dossier_lists_members_parent_and_children(out):
    soup = page(out, "/organisations/agency-one/")
    assert texts(soup.select("#members li")) == ["Ana María López, Director (2010 – June 2015)"]
    assert texts(soup.select("#structure .chips a")) == ["Sub Agency"]
    assert texts(page(out, "/organisations/sub-agency/").select("#structure a")) == ["Agency One"]
    assert texts(soup.select("#timeline .event-date .when")) == ["2019 – 2020"]


def test_story_lists_articles_oldest_first_with_a_combined_timeline(out):
    soup = page(out, "/stories/the-case/")
    assert texts(soup.select("#articles .article-title")) == ["First article", "Second article"]
    assert texts(soup.select("#timeline .event-date .when")) == ["c. 1992", "2019 – 2020", "1 May 2019", "May 2019"]
    assert "Ana María López" in texts(soup.select("#people a"))
    assert texts(soup.select("#organisations a")) == ["Agency One", "Sub Agency"]


def test_story_without_a_file_is_titled_from_its_slug(out):
    assert page(out, "/stories/loose-story/").h1.text == "Loose Story"


def test_indexes(out):
    assert texts(page(out, "/people/").select(".entity-list a")) == ["Ana María López", "Bruno Díaz", "Daniel Millán"]
    assert texts(page(out, "/organisations/").select("section.letter h2")) == ["A", "S"]
    assert texts(page(out, "/articles/").select(".article-title")) == ["Third (CRLF, BOM)", "Second article",
                                                                       "First article"]


def test_timeline_page_orders_by_earliest_day_then_precision(out):
    soup = page(out, "/timeline/")
    assert texts(soup.select(".event-text")) == ["Approximate event.", "Interval event.", "Day event.", "Month event."]
    assert soup.select_one(".event.approx time")["datetime"] == "1992"


def test_a_long_timeline_gets_an_index_of_years_and_a_page_for_each(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "TIMELINE_PAGE", 3)  # the basic site has four events
    out = tmp_path / "out"
    assert not run_build(CONTENT, out, use_cache=False).diags.errors
    overview = page(out, "/timeline/")
    assert [(a.text, a["href"]) for a in overview.select(".year-index a")] == [
        ("1992", f"{BASE}timeline/1992/"), ("2019", f"{BASE}timeline/2019/")]
    assert texts(overview.select(".year-index .count")) == ["1", "3"] and not overview.select(".event")
    year = page(out, "/timeline/2019/")
    assert year.h1.text == "Timeline: 2019"
    assert texts(year.select(".event-text")) == ["Interval event.", "Day event.", "Month event."]
    assert year.select_one('.year-index a[aria-current="page"]').text == "2019"
    assert f"{BASE}timeline/2019/" in (out / "sitemap.xml").read_text()


def test_many_articles_get_the_newest_on_articles_and_a_page_per_year_in_the_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "ARTICLES_PAGE", 2)  # the basic site has three articles
    monkeypatch.setattr(pages, "ARTICLES_NEWEST", 1)
    out = tmp_path / "out"
    assert not run_build(CONTENT, out, use_cache=False).diags.errors
    index = page(out, "/articles/")
    assert texts(index.select(".article-title")) == ["Third (CRLF, BOM)"]
    assert [(a.text, a["href"]) for a in index.select(".year-index a")] == [("2020", f"{BASE}archive/2020/")]
    year = page(out, "/archive/2020/")
    assert year.h1.text == "Articles: 2020"
    assert texts(year.select(".article-title")) == ["Third (CRLF, BOM)", "Second article", "First article"]
    assert f"{BASE}archive/2020/" in (out / "sitemap.xml").read_text()


def test_a_long_dossier_shows_its_newest_and_has_a_page_per_year_while_its_json_stays_whole(tmp_path,
                                                                                               monkeypatch):
    monkeypatch.setattr(pages, "DOSSIER_PAGE", 2)  # Ana López: two articles (2020), one event (2019)
    monkeypatch.setattr(pages, "DOSSIER_NEWEST", 1)
    out = tmp_path / "out"
    assert not run_build(CONTENT, out, use_cache=False).diags.errors
    dossier = page(out, "/people/ana-lopez/")
    assert texts(dossier.select("#articles .article-title")) == ["Second article"]
    assert texts(dossier.select("#articles .paged")) == [
        "The newest 1 of 2 articles; the others are on the page of their year."]
    assert texts(dossier.select("#timeline .event-text")) == ["Day event."] and not dossier.select("#timeline .paged")
    assert [(a.text, a["href"]) for a in dossier.select("#years .year-index a")] == [
        ("2020", f"{BASE}people/ana-lopez/2020/"), ("2019", f"{BASE}people/ana-lopez/2019/")]
    assert texts(dossier.select("#years .count")) == ["2", "1"]
    assert dossier.select("#connections .chip")  # the rest of the dossier stays on its page
    year = page(out, "/people/ana-lopez/2020/")
    assert year.h1.text == "Ana María López: 2020"
    assert texts(year.select(".article-title")) == ["Second article", "First article"]
    assert texts(year.select("#timeline .empty")) == ["No event of this dossier is dated in this year."]
    assert year.select_one('.year-index a[aria-current="page"]').text == "2020"
    assert year.select_one(".dossier-card a")["href"] == f"{BASE}people/ana-lopez/"
    assert texts(page(out, "/people/ana-lopez/2019/").select(".event-text")) == ["Day event."]
    data = json.loads((out / "people/ana-lopez.json").read_text())
    assert len(data["articles"]) == 2 and len(data["timeline"]) == 1
    sitemap = (out / "sitemap.xml").read_text()
    assert f"{BASE}people/ana-lopez/2019/" in sitemap and f"{BASE}people/ana-lopez/2020/" in sitemap
    short = page(out, "/people/bruno-diaz/")  # named by one event: a short dossier is one page
    assert not short.select("#years") and not list((out / "people/bruno-diaz").glob("*/index.html"))


def test_a_tag_on_many_articles_shows_its_newest_and_has_a_page_per_year(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "TAG_PAGE", 2)
    monkeypatch.setattr(pages, "TAG_NEWEST", 1)
    content = tmp_path / "site" / "content"
    (content / "articles").mkdir(parents=True)
    for name, day in [("old", "2019-05-01"), ("middle", "2020-01-10"), ("new", "2020-03-02"), ("alone", "2021-01-01")]:
        tags = "[Extradition]" if name != "alone" else "[other]"
        (content / "articles" / f"{name}.md").write_text(
            f"---\ntitle: The {name} one\ndate: {day}\ntags: {tags}\n---\nText of {name}.\n")
    out = tmp_path / "out"
    assert not run_build(content, out, use_cache=False, base_url="https://example.org/sub/path/").diags.errors
    tag = page(out, "/tags/extradition/")
    assert tag.h1.text == "Extradition" and texts(tag.select(".article-title")) == ["The new one"]
    assert texts(tag.select("#articles .paged")) == [
        "The newest 1 of 3 articles; the others are on the page of their year."]
    assert [(a.text, a["href"]) for a in tag.select("#years .year-index a")] == [
        ("2020", f"{BASE}tags/extradition/2020/"), ("2019", f"{BASE}tags/extradition/2019/")]
    assert texts(tag.select("#years .count")) == ["2", "1"]
    year = page(out, "/tags/extradition/2020/")
    assert year.h1.text == "Extradition: 2020"
    assert texts(year.select(".article-title")) == ["The new one", "The middle one"]
    assert year.select_one('.year-index a[aria-current="page"]').text == "2020" and not year.select(".paged")
    assert year.select_one("h1 + p a")["href"] == f"{BASE}tags/extradition/"
    assert texts(page(out, "/tags/extradition/2019/").select(".article-title")) == ["The old one"]
    assert f"{BASE}tags/extradition/2019/" in (out / "sitemap.xml").read_text()
    short = page(out, "/tags/other/")  # on one article: every article on its page, no years
    assert texts(short.select(".article-title")) == ["The alone one"] and not short.select("#years")
    assert not list((out / "tags/other").glob("*/index.html"))


def test_tag_page_shows_the_tag_as_written_most_often(out):
    soup = page(out, "/tags/fentanyl/")
    assert soup.h1.text in ("Fentanyl", "fentanyl")
    assert texts(soup.select(".article-title")) == ["Second article", "First article"]


def test_titles_are_escaped(out):
    soup = page(out, "/")
    assert soup.title.text == "Basic <Test> Site"
    assert soup.find("test") is None


def test_dossier_json_carries_the_facts_with_citations(out):
    data = json.loads((out / "people/ana-lopez.json").read_text())
    assert data["name"] == "Ana María López" and data["aliases"] == ["Ana Lopez"]
    assert data["born"] == "1960-02"
    assert data["roles"] == [{"title": "Director", "organisation": "Agency One", "from": "2010", "to": "2015-06"}]
    assert data["timeline"][0]["source"]["url"] == "https://example.org/sub/path/articles/first/"
    graph = json.loads((out / "graph.json").read_text())
    edge = next(e for e in graph["edges"] if {e["source"], e["target"]} == {"people/ana-lopez", "people/daniel-millan"})
    assert edge["weight"] == 2 and len(edge["articles"]) == 2


def test_feed_and_sitemap_are_valid_xml_with_absolute_urls(out):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(out / "feed.xml").getroot()
    ids = [e.findtext(f"{atom}id") for e in feed.findall(f"{atom}entry")]
    assert ids[0] == "https://example.org/sub/path/articles/third/"
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap]
    assert "https://example.org/sub/path/people/ana-lopez/" in locs and all(u.startswith("https://") for u in locs)


def test_the_same_content_builds_byte_identical_output(out, tmp_path):
    again = tmp_path / "again"
    run_build(CONTENT, again)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second
