"""Names that are probably an existing entity, and text left as `new` wrote it: warnings at their line."""

import datetime as dt

from conftest import article, make_site, run_build

from site_builder.scaffold import new_file

BARR = "---\nname: William Barr\n---\nNotes.\n"
CIENFUEGOS = "---\nname: Salvador Cienfuegos Zepeda\naliases: [Salvador Cienfuegos]\n---\nNotes.\n"


def warnings(tmp_path, files):
    content = make_site(tmp_path, {"content/site.yaml": "base_url: https://example.com/\n", **files})
    result = run_build(content, tmp_path / "out")
    assert not result.diags.errors, [str(d) for d in result.diags.errors]
    return [str(d).replace(str(tmp_path) + "/", "") for d in result.diags.sorted()]


def test_a_misspelt_name_warns_at_its_line_naming_the_entity_and_its_file(tmp_path):
    assert warnings(tmp_path, {"content/people/william-barr.md": BARR,
                               "content/articles/a.md": article(people="[Wiliam Barr]")}) == [
        'content/articles/a.md:4: warning: "Wiliam Barr" makes a new person; did you mean "William Barr" '
        "(content/people/william-barr.md)? If it is the same, add the spelling to its aliases"]


def test_a_misspelt_name_in_an_event_is_compared_with_aliases_too(tmp_path):
    events = "\n  - date: 2020-10-15\n    text: Arrested.\n    people: [Salvador Cienfuegoz]"
    assert warnings(tmp_path, {"content/people/salvador-cienfuegos.md": CIENFUEGOS,
                               "content/articles/a.md": article(events=events)}) == [
        'content/articles/a.md:7: warning: "Salvador Cienfuegoz" makes a new person; did you mean '
        '"Salvador Cienfuegos" (content/people/salvador-cienfuegos.md)? If it is the same, add the spelling '
        "to its aliases"]


def test_a_name_without_its_second_surname_warns(tmp_path):
    notes = "---\nname: Marcelo Ebrard Casaubón\n---\nNotes.\n"
    found = warnings(tmp_path, {"content/people/marcelo-ebrard-casaubon.md": notes,
                                "content/articles/a.md": article(people="[Marcelo Ebrard]")})
    assert len(found) == 1 and 'did you mean "Marcelo Ebrard Casaubón"' in found[0]


def test_two_new_names_one_edit_apart_warn_at_the_later_naming_the_first(tmp_path):
    found = warnings(tmp_path, {"content/articles/a.md": article(people="[Daniel Millán]"),
                                "content/articles/b.md": article(date="2020-02-01", people="[Daniel Milan]",
                                                                 body="[[Daniel Millan]]")})
    assert found == ['content/articles/b.md:4: warning: "Daniel Milan" makes a new person; did you mean '
                     '"Daniel Millán" (content/articles/a.md:4)? If it is the same, add the spelling to its aliases']


def test_an_alias_or_a_notes_file_settles_it(tmp_path):
    with_alias = "---\nname: William Barr\naliases: [Wiliam Barr]\n---\nNotes.\n"
    assert warnings(tmp_path / "alias", {"content/people/william-barr.md": with_alias,
                                         "content/articles/a.md": article(people="[Wiliam Barr]")}) == []
    assert warnings(tmp_path / "file", {"content/people/william-barr.md": BARR,
                                        "content/people/wiliam-barr.md": "---\nname: Wiliam Barr\n---\nA namesake.\n",
                                        "content/articles/a.md": article(people="[Wiliam Barr]")}) == []


def test_different_names_that_look_alike_do_not_warn(tmp_path):
    names = "[Constructora Gómez, Constructora López, Unit 12, Unit 13, Grupo Vázquez, Grupo Velázquez]"
    people = "[Ana Ruiz, Ana Ortiz, Jorge Cruz, Jorge Cruz White, Li Wei, Li Wen]"
    assert warnings(tmp_path, {"content/articles/a.md": article(organisations=names, people=people)}) == []


def test_text_left_as_new_wrote_it_is_a_warning_until_it_is_written(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "base_url: https://example.com/\n"})
    person = new_file(content, "person", "Ana Ruiz", dt.date(2020, 1, 1))
    new_file(content, "organisation", "Acme", dt.date(2020, 1, 1))
    new_file(content, "article", "A draft", dt.date(2020, 1, 1))  # a draft: not yet worth a warning
    result = run_build(content, tmp_path / "out")
    assert sorted(str(d).split("content/")[1] for d in result.diags.warnings) == [
        'organisations/acme.md:11: warning: the text is still the text `new` wrote ("What this organisation is '
        'and does."); write your own or delete it',
        'people/ana-ruiz.md:19: warning: the text is still the text `new` wrote ("A short biography."); '
        "write your own or delete it"]
    person.write_text(person.read_text().replace("A short biography.", "A reporter."))
    assert len(run_build(content, tmp_path / "out").diags.warnings) == 1
