"""Names, slugs and aliases resolve to one entity; conflicts are errors naming both places."""

from conftest import article, make_site, run_build


def entities(result, kind):
    return {slug: e.name for (k, slug), e in result.site.entities.items() if k == kind}


def test_name_slug_alias_and_accents_find_one_person(tmp_path):
    content = make_site(tmp_path, {
        "content/people/marcelo-ebrard.md": "---\nname: Marcelo Ebrard Casaubón\naliases: [Ebrard]\n---\n",
        "content/articles/a.md": article(
            people="[Marcelo Ebrard Casaubon, marcelo-ebrard, EBRARD, marcelo ebrard casaubón]"),
    })
    result = run_build(content, tmp_path / "out", write=False)
    assert entities(result, "person") == {"marcelo-ebrard": "Marcelo Ebrard Casaubón"}
    assert not result.diags.items[1:]  # only the base_url warning


def test_a_name_that_matches_nothing_creates_an_entity_with_a_transliterated_slug(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article(people="[Søren Łukasz]")})
    result = run_build(content, tmp_path / "out")
    assert entities(result, "person") == {"soren-lukasz": "Søren Łukasz"}
    assert (tmp_path / "out/people/soren-lukasz/index.html").is_file()


def test_the_most_used_spelling_wins_and_ties_go_to_the_earliest_article(tmp_path):
    content = make_site(tmp_path, {
        "content/articles/a.md": article(date="2020-01-01", people="[Daniel Millan]"),
        "content/articles/b.md": article(date="2020-01-02", people="[Daniel Millán]"),
        "content/articles/c.md": article(date="2020-01-03", people="[Daniel Millán]"),
        "content/articles/d.md": article(date="2020-01-01", people="[Rosa Peña]"),
        "content/articles/e.md": article(date="2020-01-02", people="[Rosa Pena]"),
    })
    result = run_build(content, tmp_path / "out", write=False)
    assert entities(result, "person") == {"daniel-millan": "Daniel Millán", "rosa-pena": "Rosa Peña"}


def test_entities_come_from_events_roles_and_parents(tmp_path):
    content = make_site(tmp_path, {
        "content/people/ana.md": "---\nname: Ana\nroles:\n  - title: Chief\n    organisation: Role Org\n---\n",
        "content/organisations/child.md": "---\nname: Child\nparent: Parent Org\n---\n",
        "content/articles/a.md": article(events="\n  - date: 2020\n    text: x\n    people: [Event Person]\n"
                                               "    organisations: [Event Org]"),
    })
    result = run_build(content, tmp_path / "out", write=False)
    assert set(entities(result, "person")) == {"ana", "event-person"}
    assert set(entities(result, "organisation")) == {"role-org", "child", "parent-org", "event-org"}
    assert [k for k, _ in result.site.named["articles/a.md"]] == [("person", "event-person"),
                                                                  ("organisation", "event-org")]


def test_people_and_organisations_are_separate_namespaces(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article(people="[Mercury]", organisations="[Mercury]")})
    run_build(content, tmp_path / "out")
    assert (tmp_path / "out/people/mercury/index.html").is_file()
    assert (tmp_path / "out/organisations/mercury/index.html").is_file()


def test_two_notes_claiming_one_alias_is_an_error_in_each_file(tmp_path):
    content = make_site(tmp_path, {
        "content/people/a.md": "---\nname: Ann A\naliases: [The Boss]\n---\n",
        "content/people/b.md": "---\nname: Bob B\naliases: [the boss]\n---\n",
    })
    result = run_build(content, tmp_path / "out", write=False)
    errors = sorted(str(d) for d in result.diags.errors)
    assert errors == [
        f'{content}/people/a.md:3: name "The Boss" is also claimed by {content}/people/b.md:3; keep it in one file',
        f'{content}/people/b.md:3: name "the boss" is also claimed by {content}/people/a.md:3; keep it in one file',
    ]


def test_a_reference_that_could_mean_two_entities_is_an_error(tmp_path):
    content = make_site(tmp_path, {
        "content/people/jsmith.md": "---\nname: John Smith\n---\n",
        "content/people/john-smith.md": "---\nname: Johnny Smith\n---\n",
        "content/articles/a.md": article(people="[John Smith]"),
    })
    result = run_build(content, tmp_path / "out", write=False)
    by_file = {d.path.rsplit("/", 2)[-2] + "/" + d.path.rsplit("/", 1)[-1]: d for d in result.diags.errors}
    assert set(by_file) == {"articles/a.md", "people/jsmith.md", "people/john-smith.md"}
    error = by_file["articles/a.md"]
    assert error.line == 4
    assert "jsmith.md" in error.message and "john-smith.md" in error.message
    assert "jsmith.md" in by_file["people/john-smith.md"].message


def test_a_wikilink_matching_a_person_and_an_organisation_is_an_error(tmp_path):
    content = make_site(tmp_path, {
        "content/articles/a.md": article(people="[Mercury]", organisations="[Mercury]",
                                         body="[[Mercury]] and [[person:Mercury]]"),
    })
    result = run_build(content, tmp_path / "out", write=False)
    [error] = result.diags.errors
    assert "[[person:Mercury]] or [[organisation:Mercury]]" in error.message


def test_wikilinks_and_event_names_are_added_to_the_article(tmp_path):
    content = make_site(tmp_path, {
        "content/people/ana.md": "---\nname: Ana\n---\n",
        "content/articles/a.md": article(body="Met [[Ana]]."),
    })
    result = run_build(content, tmp_path / "out", write=False)
    assert result.site.named["articles/a.md"] == ((("person", "ana"), None),)


def test_nothing_of_a_draft_appears_without_drafts(tmp_path):
    files = {"content/articles/d.md": article(title="Draft", draft="true", people="[Hidden Person]",
                                              tags="[secret]", body="secret words"),
             "content/articles/p.md": article(title="Public", people="[Shown Person]")}
    content = make_site(tmp_path, files)
    run_build(content, tmp_path / "out")
    everything = "".join(p.read_text() for p in (tmp_path / "out").rglob("*") if p.is_file())  # search index too
    assert "Hidden Person" not in everything and "secret" not in everything and "Draft" not in everything
    run_build(content, tmp_path / "with", drafts=True)
    assert (tmp_path / "with/people/hidden-person/index.html").is_file()
