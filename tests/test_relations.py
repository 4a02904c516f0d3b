"""Stated relations: read from notes and articles, merged, shown on both dossiers and in the data."""

import json

import pytest
from conftest import make_site, parse, run_build

BASE = "https://example.com/sub/"
FILES = {
    "content/site.yaml": f"title: Relations\nbase_url: {BASE}\n",
    "content/people/marcelo-ebrard.md": "---\nname: Marcelo Ebrard Casaubón\naliases: [Marcelo Ebrard]\n---\nNotes.\n",
    "content/people/daniel-millan.md": (
        "---\nname: Daniel Millán\nrelations:\n"
        "  - type: associate\n    with: Marcelo Ebrard\n    role: Spokesman\n    from: 2018-12\n    to: 2021-06~\n"
        "    source: https://example.org/millan\n"
        "  - type: employment\n    with: Foreign Ministry\n    role: spokesman for\n---\nNotes.\n"),
    "content/organisations/holding.md": (
        "---\nname: Holding\nrelations:\n  - type: ownership\n    with: Little Company\n---\nOwns.\n"),
    "content/articles/one.md": (
        "---\ntitle: One\ndate: 2020-11-21\npeople: [Daniel Millan, Marcelo Ebrard]\nrelations:\n"
        "  - type: associate\n    between: [Daniel Millan, marcelo-ebrard]\n    role: spokesman\n"
        "  - type: family\n    between: [Ovidio Guzmán, Joaquín Guzmán]\n    role: son\n"
        "  - type: associate\n    between: [Ana Ruiz, Bea Soto]\n---\nBody.\n"),
    "content/articles/two.md": (
        "---\ntitle: Two\ndate: 2020-12-01\npeople: [Marcelo Ebrard]\nrelations:\n"
        "  - type: associate\n    between: [Daniel Millán, Marcelo Ebrard]\n    role: spokesman\n"
        "  - type: associate\n    between: [Bea Soto, Ana Ruiz]\n"
        "  - type: link\n    between: [Marcelo Ebrard, organisation:Foreign Ministry]\n---\nBody.\n"),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("relations")
    content = make_site(root, FILES)
    result = run_build(content, root / "output")
    assert not result.diags.errors, [str(d) for d in result.diags.errors]
    return root / "output"


def relations(out, url):
    part = parse(out, url).find(id="relations")
    return [" ".join(li.get_text(" ").split()) for li in part.select("li.relation")]


def test_both_dossiers_show_the_relation_once_with_every_citation(out):
    assert relations(out, "/people/marcelo-ebrard/") == [
        "associate Daniel Millán — Spokesman ( December 2018 – c. June 2021 ) "
        "Sources: One · Two · https://example.org/millan",
        "link Linked to Foreign Ministry Source: Two"]
    assert relations(out, "/people/daniel-millan/")[0] == (
        "associate Spokesman of Marcelo Ebrard Casaubón ( December 2018 – c. June 2021 ) "
        "Sources: One · Two · https://example.org/millan")


def test_the_other_party_and_the_citations_are_links(out):
    item = parse(out, "/people/marcelo-ebrard/").select_one("#relations li.relation")
    assert [a["href"] for a in item.find_all("a")] == [
        "/sub/people/daniel-millan/", "/sub/articles/one/", "/sub/articles/two/", "https://example.org/millan"]
    assert item.find("time")["datetime"] == "2018-12"


def test_the_inverse_side_reads_naturally(out):
    assert relations(out, "/people/joaquin-guzman/") == ["family Ovidio Guzmán — son Source: One"]
    assert relations(out, "/people/ovidio-guzman/") == ["family son of Joaquín Guzmán Source: One"]
    assert relations(out, "/organisations/foreign-ministry/") == [
        "employment Daniel Millán — spokesman", "link Linked to Marcelo Ebrard Casaubón Source: Two"]
    assert relations(out, "/people/daniel-millan/")[1] == "employment spokesman for Foreign Ministry"
    assert relations(out, "/organisations/little-company/") == ["ownership Owned by Holding"]
    assert relations(out, "/people/bea-soto/") == ["associate Associate of Ana Ruiz Sources: One · Two"]
    assert relations(out, "/organisations/holding/") == ["ownership Owns Little Company"]


def test_a_symmetric_relation_without_a_role_stated_both_ways_is_one(out):
    assert relations(out, "/people/ana-ruiz/") == ["associate Associate of Bea Soto Sources: One · Two"]


def test_a_party_that_matches_nothing_makes_a_new_dossier_named_by_the_article(out):
    soup = parse(out, "/people/ovidio-guzman/")
    assert soup.h1.get_text() == "Ovidio Guzmán"
    assert [a.get_text() for a in soup.select("#articles .article-title")] == ["One"]
    assert parse(out, "/organisations/foreign-ministry/").h1.get_text() == "Foreign Ministry"


def test_connections_mark_the_pairs_with_a_stated_relation(out):
    soup = parse(out, "/people/marcelo-ebrard/")
    marks = {li.a.get_text(): li.select_one(".stated") for li in soup.select("ol.connections li")}
    assert marks["Daniel Millán"].get_text() == "stated relation: associate"
    assert marks["Daniel Millán"]["href"] == "#relations"
    lines = soup.select("svg.network line.edge")
    assert [line.has_attr("class") and "stated" in line["class"] for line in lines].count(True) == 2
    # Holding and Little Company share no article: the picture still draws their relation
    holding = parse(out, "/organisations/holding/")
    assert holding.select("svg.network line.edge.stated") and not holding.select("ol.connections li")


def test_the_dossier_json_carries_relations_with_their_sources(out):
    data = json.loads((out / "people/marcelo-ebrard.json").read_text())
    assert data["relations"][0] == {
        "type": "associate", "party": "second", "other": f"{BASE}people/daniel-millan/", "name": "Daniel Millán",
        "role": "Spokesman", "from": "2018-12", "to": "2021-06~",
        "sources": [f"{BASE}articles/one/", f"{BASE}articles/two/", "https://example.org/millan"]}


def test_the_graph_carries_relations_first_party_to_second(out):
    graph = json.loads((out / "graph.json").read_text())
    ids = {n["id"] for n in graph["nodes"]}
    stated = {(r["type"], r["source"], r["target"]): r for r in graph["relations"]}
    assert stated[("family", "people/ovidio-guzman", "people/joaquin-guzman")]["role"] == "son"
    assert stated[("associate", "people/daniel-millan", "people/marcelo-ebrard")]["sources"] == [
        f"{BASE}articles/one/", f"{BASE}articles/two/", "https://example.org/millan"]
    assert all(r["source"] in ids and r["target"] in ids for r in graph["relations"])
    assert len(graph["relations"]) == 6


def test_an_article_relation_names_the_nearest_type_and_its_line(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": (
        "---\ntitle: A\ndate: 2020-01-01\nrelations:\n  - type: employer\n    between: [Ana, Acme]\n---\n")})
    result = run_build(content, tmp_path / "out")
    assert [str(d).split("content/")[1] for d in result.diags.errors] == [
        'articles/a.md:5: relations[1].type: "employer" is not a relation type; did you mean "employment"? '
        "(the types: family, associate, employment, membership, directorship, ownership, succession, link)"]
    assert not (tmp_path / "out").exists()


def test_a_drafts_relations_stay_out_and_a_role_is_text_not_markup(tmp_path):
    content = make_site(tmp_path, {
        "content/articles/a.md": ("---\ntitle: A\ndate: 2020-01-01\npeople: [Ana]\nrelations:\n  - type: associate\n"
                                  "    between: [Ana, Bea]\n    role: <b>boss</b>\n---\n"),
        "content/articles/b.md": ("---\ntitle: B\ndate: 2020-01-02\ndraft: true\nrelations:\n  - type: family\n"
                                  "    between: [Ana, Secret Sister]\n---\n")})
    assert not run_build(content, tmp_path / "out").diags.errors
    part = parse(tmp_path / "out", "/people/ana/").find(id="relations")
    assert part.select_one(".relation").get_text(" ", strip=True).startswith("associate <b>boss</b> of")
    assert part.find("b") is None and len(part.select(".relation")) == 1
    assert not (tmp_path / "out/people/secret-sister").exists()
