"""`export ftm`: FollowTheMoney entities, checked by the followthemoney library and by what it does not check."""

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITES, article, make_site
from followthemoney import model  # in requirements.txt: every command's library, not optional
from followthemoney.exc import InvalidData

from site_builder.cli import main
from site_builder.config import load_config
from site_builder.dates import parse_span
from site_builder.diagnostics import Diagnostics
from site_builder.ftm import RELATION_SCHEMATA, entity_id, export_entities, relation_entity
from site_builder.index import build_site
from site_builder.load import load_content

ROOT = Path(__file__).resolve().parent.parent
VALID_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")


def export(*args):
    """`python build.py export ftm ARGS`, run by the command line's main() in this process: a new
    Python would spend seconds loading followthemoney and its table of country names again. (The
    `basic` fixture below runs the command in a process of its own.)"""
    return command("export", "ftm", *args)


def command(*args) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in this process: its status and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    argv = list(map(str, args))
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as end:  # (argparse's own exits)
            status = end.code
    return subprocess.CompletedProcess(argv, status, out.getvalue(), err.getvalue())


def entities_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def check_entities(entities: list[dict]) -> dict[str, dict]:
    """What `ftm validate` does not check: the schema's own validation, required properties present,
    every reference resolving in the file to an entity of the schema the property expects, ids the
    library keeps, and cleaning that changes and drops nothing. Returns the entities by id."""
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "two entities share an id"
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data
        assert VALID_ID.match(data["id"]) and len(data["id"]) <= 200, data["id"]
        try:
            schema.validate(data)
        except InvalidData as err:
            raise AssertionError(f"{err.errors}: {data}") from err
        for name in schema.required:
            assert data["properties"].get(name), f"{data['schema']} {data['id']} lacks {name}"
        cleaned = model.get_proxy(data, cleaned=False).to_dict()
        assert cleaned == data, f"cleaning changed {data}\ninto {cleaned}"
        for name, values in data["properties"].items():
            prop = schema.properties[name]
            assert values and all(isinstance(v, str) and v for v in values), (name, values)
            if prop.type.name == "entity":
                for value in values:
                    assert value in by_id, f"{data['schema']}.{name} points at {value}, not in the file"
                    target = model.get(by_id[value]["schema"])
                    assert target.is_a(prop.range), f"{data['schema']}.{name} wants a {prop.range.name}, " \
                                                    f"got a {target.name}"
    return by_id


def named(by_id, schema, name):
    [found] = [e for e in by_id.values() if e["schema"] == schema and name in e["properties"].get("name", [])]
    return found


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    out = tmp_path_factory.mktemp("ftm") / "site.ftm.json"
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "export", "ftm", "--content",
                           str(SITES / "basic" / "content"), "--output", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_the_export_is_valid_followthemoney(basic):
    out, _ = basic
    entities = entities_of(out.read_text(encoding="utf-8"))
    by_id = check_entities(entities)
    assert {e["schema"] for e in entities} == {"Person", "PublicBody", "Organization", "Article", "Documentation",
                                              "Event", "Employment"}
    # the library's own command reads every line back; it drops what it cannot read, so compare
    exe = shutil.which("ftm") or pytest.fail("the ftm command of followthemoney is not on PATH")
    proc = subprocess.run([exe, "validate", "-i", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    again = {e["id"]: e for e in entities_of(proc.stdout)}
    assert set(again) == set(by_id)
    assert all(again[i]["properties"] == by_id[i]["properties"] for i in by_id)


def test_people_organisations_and_articles_carry_what_the_site_says(basic):
    out, proc = basic
    by_id = check_entities(entities_of(out.read_text(encoding="utf-8")))
    ana = named(by_id, "Person", "Ana María López")["properties"]
    assert ana["alias"] == ["Ana Lopez"] and ana["birthDate"] == ["1960-02"] and ana["position"] == ["Director"]
    assert ana["sourceUrl"] == ["https://example.org/sub/path/people/ana-lopez/"]
    agency = named(by_id, "PublicBody", "Agency One")  # kind: agency
    sub = named(by_id, "Organization", "Sub Agency")
    assert sub["properties"]["parent"] == [agency["id"]]
    first = named(by_id, "Article", "First article")["properties"]
    assert first["title"] == ["First article"] and first["publishedAt"] == ["2020-01-10"]
    assert first["publisher"] == ["Example Wire"] and first["sourceUrl"] == ["https://example.com/first"]
    assert first["bodyText"] == ["First paragraph mentions Ana María López and the agency.\n\n"
                                 "Second paragraph with Nobody Known."]  # wikilinks as their labels
    second = named(by_id, "Article", "Second article")["properties"]
    assert second["publishedAt"] == ["2020-02-01T10:30:00"]
    # a country FollowTheMoney does not know is left out, with a warning rather than silently
    assert "country" not in agency["properties"]
    assert 'agency-one.md:1: warning: country: "Examplestan" is not a country' in proc.stderr
    assert not any("Secret draft" in e["properties"].get("name", []) for e in by_id.values())


def test_documentation_roles_and_events_link_the_right_entities(basic):
    out, _ = basic
    by_id = check_entities(entities_of(out.read_text(encoding="utf-8")))
    first = named(by_id, "Article", "First article")
    daniel = named(by_id, "Person", "Daniel Millán")
    docs = [e["properties"] for e in by_id.values() if e["schema"] == "Documentation"
            and e["properties"]["document"] == [first["id"]]]
    [spokesman] = [d for d in docs if d["entity"] == [daniel["id"]]]
    assert spokesman["role"] == ["spokesman"] and spokesman["proof"] == [first["id"]]
    assert spokesman["sourceUrl"] == ["https://example.com/first"]
    assert len(docs) == 4  # Ana, Daniel, Agency One, and Bruno Díaz named by an event
    [job] = [e["properties"] for e in by_id.values() if e["schema"] == "Employment"]
    assert job["employee"] == [named(by_id, "Person", "Ana María López")["id"]]
    assert job["employer"] == [named(by_id, "PublicBody", "Agency One")["id"]]
    assert (job["role"], job["startDate"], job["endDate"]) == (["Director"], ["2010"], ["2015-06"])
    events = {e["properties"]["name"][0]: e["properties"] for e in by_id.values() if e["schema"] == "Event"}
    assert events["Day event."]["date"] == ["2019-05-01"] and events["Day event."]["proof"] == [first["id"]]
    assert events["Day event."]["involved"] == [named(by_id, "Person", "Ana María López")["id"]]
    assert (events["Interval event."]["startDate"], events["Interval event."]["endDate"]) == (["2019"], ["2020"])
    assert events["Approximate event."]["date"] == ["1992"]


def test_ids_are_stable_and_survive_accents(tmp_path, basic):
    out, _ = basic
    again = export("--content", SITES / "basic" / "content")
    assert again.returncode == 0 and again.stdout == out.read_text(encoding="utf-8")
    content = make_site(tmp_path, {"content/articles/a.md": article(
        people="[Enrique Peña Nieto, Señora Muñoz_Ortiz]", organisations="['org:acme']",
        events="\n  - date: 2020\n    text: They meet.\n    people: [Enrique Peña Nieto]\n"
               "    organisations: ['org:acme']")})
    proc = export("--content", content)
    assert proc.returncode == 0, proc.stderr
    by_id = check_entities(entities_of(proc.stdout))
    pena = named(by_id, "Person", "Enrique Peña Nieto")
    [event] = [e for e in by_id.values() if e["schema"] == "Event"]
    assert pena["id"] in event["properties"]["involved"] and len(event["properties"]["involved"]) == 2
    assert all(i.isascii() for i in by_id)


def test_drafts_only_with_drafts_and_errors_write_nothing(tmp_path):
    proc = export("--content", SITES / "basic" / "content", "--drafts")
    assert proc.returncode == 0
    assert named(check_entities(entities_of(proc.stdout)), "Person", "Draft Only Person")
    content = make_site(tmp_path, {"content/articles/a.md": article(date="2020-13-45")})
    target = tmp_path / "x.ftm.json"
    target.write_text("previous\n")
    proc = export("--content", content, "--output", target)
    assert proc.returncode == 1 and "a.md:3: date" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_text() == "previous\n"
    strict = export("--content", SITES / "basic" / "content", "--strict")
    assert strict.returncode == 1 and strict.stdout == ""


def site_of(content: Path):
    diags = Diagnostics()
    config = load_config(content, diags)
    return build_site(config, load_content(config, diags), diags), diags


RELATIONS = {  # type -> made-up parties of the right kinds
    "family": (("person", "ana"), ("person", "bruno")),
    "associate": (("person", "ana"), ("person", "bruno")),
    "employment": (("person", "ana"), ("organisation", "acme")),
    "membership": (("organisation", "acme"), ("organisation", "guild")),
    "directorship": (("person", "bruno"), ("organisation", "acme")),
    "ownership": (("person", "ana"), ("organisation", "acme")),
    "succession": (("organisation", "guild"), ("organisation", "acme")),
    "link": (("person", "ana"), ("organisation", "guild")),
}


@pytest.mark.parametrize("type", sorted(RELATION_SCHEMATA))
def test_each_relation_type_becomes_its_link_schema(type, tmp_path):
    schema, first_prop, second_prop, role_prop = RELATION_SCHEMATA[type]
    first, second = RELATIONS[type]
    content = make_site(tmp_path, {"content/articles/a.md": article(
        people="[Ana, Bruno]", organisations="[Acme, Guild]", source_url="https://example.com/a")})
    site, diags = site_of(content)
    [source] = site.articles
    relation = (type, first, second, "adviser", parse_span("2018-12"), parse_span("2021-06/2021-07"),
                [source, "https://example.com/registry"])
    entities = [e.to_dict() for e in export_entities(site, diags, [relation])]
    by_id = check_entities(entities)
    [link] = [e for e in entities if e["schema"] == schema]
    props = link["properties"]
    assert props[first_prop] == [entity_id(first)] and props[second_prop] == [entity_id(second)]
    assert props[role_prop] == ["adviser"]
    assert (props["startDate"], props["endDate"]) == (["2018-12"], ["2021-07"])
    assert props["proof"] == [by_id[props["proof"][0]]["id"]] and by_id[props["proof"][0]]["schema"] == "Article"
    assert props["sourceUrl"] == ["https://example.com/a", "https://example.com/registry"]
    acme = by_id[entity_id(("organisation", "acme"))]
    assert acme["schema"] == ("Company" if type == "ownership" else "Organization")


def test_a_relation_is_one_entity_wherever_it_is_stated_and_wrong_kinds_are_refused():
    one = relation_entity("associate", ("person", "a"), ("person", "b"), "Spokesman", sources=["https://x.org/1"])
    two = relation_entity("associate", ("person", "a"), ("person", "b"), "spokesman")
    other = relation_entity("associate", ("person", "b"), ("person", "a"), "spokesman")
    assert one.id == two.id != other.id and VALID_ID.match(one.id)
    assert one.get("relationship") == ["Spokesman"] and one.get("sourceUrl") == ["https://x.org/1"]
    with pytest.raises(ValueError):
        relation_entity("family", ("person", "a"), ("organisation", "b"))
    with pytest.raises(ValueError):
        relation_entity("employment", ("organisation", "a"), ("organisation", "b"))


def test_a_new_site_and_the_example_site_export_cleanly(tmp_path):
    folder = tmp_path / "starter"
    assert command("new", "site", folder).returncode == 0
    for content in (folder / "content", ROOT / "content"):
        proc = export("--content", content)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr  # no value left out, no warning
        by_id = check_entities(entities_of(proc.stdout))
        assert {"Person", "PublicBody", "Article", "Documentation", "Event", "Employment"} <= \
            {e["schema"] for e in by_id.values()}


@pytest.mark.parametrize("kind, schema", [
    ("agency", "PublicBody"), ("Secretaría de Estado", "PublicBody"), ("Attorney General's Office", "PublicBody"),
    ("news agency", "Company"), ("state-owned company", "Company"), ("Compañía minera", "Company"),
    ("cartel", "Organization"), ("incorporated society", "Organization"), ("think tank", "Organization")])
def test_an_organisation_s_kind_chooses_its_schema(kind, schema, tmp_path):
    content = make_site(tmp_path, {"content/organisations/acme.md": f"---\nname: Acme\nkind: {kind}\n---\n",
                                   "content/articles/a.md": article(organisations="[Acme]")})
    site, diags = site_of(content)
    [acme] = [e for e in export_entities(site, diags) if e.schema.is_a("Organization")]
    assert acme.schema.name == schema


def test_the_example_site_s_stated_relations_are_exported_with_their_proof():
    proc = export("--content", ROOT / "content")
    assert proc.returncode == 0, proc.stderr
    by_id = check_entities(entities_of(proc.stdout))
    millan, ebrard = named(by_id, "Person", "Daniel Millán"), named(by_id, "Person", "Marcelo Ebrard Casaubón")
    # the article that states two of them
    article = named(by_id, "Article", "Mexico agreed to nab cartel leader to secure release of ex-minister")
    [spokesman] = [e["properties"] for e in by_id.values() if e["schema"] == "Associate"
                   and e["properties"]["person"] == [millan["id"]]]
    assert spokesman["associate"] == [ebrard["id"]] and spokesman["relationship"] == ["spokesman"]
    assert spokesman["proof"] == [article["id"]]
    ministry = named(by_id, "PublicBody", "Secretariat of Foreign Affairs")
    [employed] = [e["properties"] for e in by_id.values() if e["schema"] == "Employment"
                  and e["properties"]["employee"] == [millan["id"]] and e["properties"]["employer"] == [ministry["id"]]
                  and "proof" in e["properties"]]
    assert employed["role"] == ["spokesman"] and employed["proof"] == [article["id"]]
    # stated in a notes file: cited by its source URL, with its dates, and no article as proof
    general = named(by_id, "Person", "Salvador Cienfuegos Zepeda")
    [secretary] = [e["properties"] for e in by_id.values() if e["schema"] == "Associate"
                   and e["properties"]["person"] == [general["id"]]]
    assert secretary["associate"] == [named(by_id, "Person", "Enrique Peña Nieto")["id"]]
    assert secretary["sourceUrl"] == ["https://en.wikipedia.org/wiki/Salvador_Cienfuegos_Zepeda"]
    assert (secretary["startDate"], secretary["endDate"]) == (["2012-12"], ["2018-11"]) and "proof" not in secretary


def test_a_relation_stated_in_two_places_is_one_entity_citing_both_and_what_is_owned_a_company(tmp_path):
    owns = "\n  - type: ownership\n    between: [Acme, Guild]"
    content = make_site(tmp_path, {
        "content/articles/a.md": article(title="A", date="2020-01-01", organisations="[Acme, Guild]", relations=owns,
                                         source_url="https://example.com/a"),
        "content/articles/b.md": article(title="B", date="2020-02-01", relations=owns),
        "content/organisations/acme.md": "---\nname: Acme\nrelations:\n  - type: ownership\n    with: Guild\n"
                                         "    source: https://example.com/registry\n---\n"})
    site, diags = site_of(content)
    assert not diags.errors
    by_id = check_entities([e.to_dict() for e in export_entities(site, diags)])
    [owned] = [e["properties"] for e in by_id.values() if e["schema"] == "Ownership"]
    assert owned["owner"] == [entity_id(("organisation", "acme"))] and owned["asset"] == [entity_id(("organisation",
                                                                                                      "guild"))]
    assert sorted(by_id[p]["properties"]["title"][0] for p in owned["proof"]) == ["A", "B"]
    assert sorted(owned["sourceUrl"]) == ["https://example.com/a", "https://example.com/registry"]
    assert by_id[entity_id(("organisation", "guild"))]["schema"] == "Company"
    assert by_id[entity_id(("organisation", "acme"))]["schema"] == "Organization"
