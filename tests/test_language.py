"""A site in its reader's language: words from the catalogue, CLDR dates, the alphabet's order,
an article's own language, corrections; and the catalogue itself complete."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import ROOT, SITES, article, make_site, parse, run_build
from jinja2 import Environment

from site_builder import i18n
from site_builder.dates import parse_span

SPANISH = SITES / "spanish" / "content"
ATOM = "{http://www.w3.org/2005/Atom}"
CATALOGUE = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("spanish") / "output"
    result = run_build(SPANISH, output)
    assert not result.diags.items, [str(d) for d in result.diags.items]
    return output


def _jsonld(page) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


def _texts(page) -> list[str]:
    return [t.get_text(" ", strip=True) for t in page.select(".when, .meta, .dates, dd time")]


def test_dates_are_written_by_precision_the_spanish_way_with_lower_case_months(site):
    page = parse(site, "/articles/detenido/")
    assert page.select_one(".article-header .meta time").get_text() == "16 de octubre de 2020"
    events = [e.select_one(".when").get_text(" ", strip=True) for e in page.select("#timeline .event")]
    assert events == ["hacia 1992", "diciembre de 2015 – febrero de 2017", "2019", "octubre de 2020",
                      "15 de octubre de 2020", "noviembre de 2020 (?)"]
    labels = [e.select_one(".precision-label").get_text() for e in page.select("#timeline .event")]
    assert labels == ["año, aproximado", "periodo", "año", "mes", "día", "mes, dudoso"]
    dossier = parse(site, "/people/salvador-cienfuegos/")
    assert dossier.select_one(".facts dd time").get_text() == "14 de junio de 1948"
    assert dossier.select_one("#roles .dates").get_text(" ", strip=True) == \
        "( diciembre de 2012 – noviembre de 2018 )"


def test_documents_and_sources_are_described_in_spanish(site):
    page = parse(site, "/articles/detenido/")
    assert page.select_one("#documents h2").get_text() == "Documentos"
    metas = [m.get_text(" ", strip=True) for m in page.select("#documents .meta")]
    assert metas == ["14 de agosto de 2019 · PDF, 969 bytes", "Página web"]
    event = page.select("#timeline .event")[-2]  # 15 October 2020: the day the source is cited on
    assert event.select_one(".primary-source").get_text() == "acusacion.pdf"
    dossier = parse(site, "/people/salvador-cienfuegos/")
    cited = dossier.select_one("#documents .meta").get_text(" ", strip=True)
    assert cited.endswith("citado en Detienen en Los Ángeles al general Cienfuegos"), cited


def test_headings_navigation_404_and_search_page_are_in_spanish(site):
    page = parse(site, "/people/salvador-cienfuegos/")
    assert page.html["lang"] == "es"
    assert [a.get_text() for a in page.select("nav[aria-label] li a")] == \
        ["Artículos", "Personas", "Organizaciones", "Temas", "Cronología", "Etiquetas", "Buscar"]
    assert page.select_one("#timeline h2").get_text() == "Cronología"
    assert page.select_one("#connections h2").get_text() == "Relaciones"
    assert page.select_one(".skip-link").get_text() == "Ir al contenido"
    assert parse(site, "/timeline/").title.get_text().startswith("Cronología · ")
    missing = parse(site, "/404.html")
    assert missing.h1.get_text() == "Página no encontrada" and "portada" in missing.main.get_text()
    search = parse(site, "/search/")
    assert search.h1.get_text() == "Buscar"
    assert search.label.get_text() == "Buscar artículos, personas y organizaciones"
    words = json.loads(search.select_one("#search")["data-words"])
    assert words["none"] == "No hay resultados para «{query}»."


def test_the_a_to_z_index_follows_the_spanish_alphabet(site):
    page = parse(site, "/people/")
    names = [a.get_text() for a in page.select(".entity-list a")]
    assert names == ["Alberto Zamora", "Ángela Ruiz", "Beatriz Núñez", "Nadia Vera", "Nuria Gómez",
                     "Ñuflo Chávez", "Olga Sánchez", "Óscar Muñoz", "Salvador Cienfuegos"]
    assert [a.get_text() for a in page.select("nav.az a")] == ["A", "B", "N", "Ñ", "O", "S"]
    tags = [a.get_text() for a in parse(site, "/tags/").select(".tag-cloud a")]
    assert tags == ["Ámbito militar", "justicia"]


def test_english_orders_n_with_a_tilde_as_n():
    words = i18n.words("en")
    assert sorted(["Ñuflo", "Nuria", "Nadia"], key=words.sort_key) == ["Nadia", "Ñuflo", "Nuria"]
    assert words.initial("Ñuflo") == "N" and words.initial("Ángela") == "A"


def test_search_results_say_their_kind_and_date_in_spanish(site):
    docs = {}
    for path in (site / "search" / "docs").glob("*.json"):
        docs.update(json.loads(path.read_text()))
    kinds = {d["kind"] for d in docs.values()}
    assert kinds == {"Artículo", "Persona", "Organización", "Tema"}
    assert "16 de octubre de 2020" in {d.get("date") for d in docs.values()}


def test_an_article_in_english_is_marked_so_and_the_page_stays_spanish(site):
    page = parse(site, "/articles/flies-home/")
    assert page.html["lang"] == "es"
    assert page.h1["lang"] == "en" and page.select_one(".body")["lang"] == "en"
    assert _jsonld(page)["inLanguage"] == "en"
    listed = parse(site, "/articles/").find("a", string="The general flies back to Mexico City")
    assert listed["lang"] == "en"
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    langs = {e.findtext(f"{ATOM}title"): e.get("{http://www.w3.org/XML/1998/namespace}lang")
             for e in feed.iter(f"{ATOM}entry")}
    assert langs == {"The general flies back to Mexico City": "en",
                     "Detienen en Los Ángeles al general Cienfuegos": None}


@pytest.mark.parametrize("url", ["/", "/people/salvador-cienfuegos/", "/organisations/", "/articles/detenido/",
                                 "/stories/el-caso/", "/search/", "/timeline/"])
def test_the_main_json_ld_node_of_every_page_has_its_language(site, url):
    assert _jsonld(parse(site, url))["inLanguage"] == "es"


def test_corrections_are_listed_and_the_update_is_shown_fed_and_described(site):
    page = parse(site, "/articles/detenido/")
    part = page.select_one("#corrections")
    assert part.h2.get_text() == "Fe de errores"
    assert part.li.get_text(" ", strip=True) == \
        "18 de octubre de 2020 : Una versión anterior daba mal el nombre del aeropuerto."
    meta = page.select_one(".article-header .meta").get_text(" ", strip=True)
    assert "Actualizado el 18 de octubre de 2020" in meta  # the correction is later than updated:
    data = _jsonld(page)
    assert data["dateModified"] == "2020-10-18T12:00:00+00:00"
    assert data["correction"] == [{"@type": "CorrectionComment", "datePublished": "2020-10-18T12:00:00+00:00",
                                   "text": "Una versión anterior daba mal el nombre del aeropuerto."}]
    assert parse(site, "/articles/flies-home/").select_one("#corrections") is None
    feed = ET.parse(site / "stories/el-caso/feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title").startswith("Detienen"))
    assert entry.findtext(f"{ATOM}updated") == "2020-10-18T12:00:00+00:00"
    assert entry.findtext(f"{ATOM}published") == "2020-10-16T09:00:00+00:00"
    assert feed.findtext(f"{ATOM}updated") == "2020-11-18T00:00:00+00:00"  # the newest entry's
    dossier = json.loads((site / "people/salvador-cienfuegos.json").read_text())
    assert {a["title"][:9]: a["updated"] for a in dossier["articles"]} == \
        {"Detienen ": "2020-10-18T12:00:00+00:00", "The gener": None}
    assert dossier["born"] == "1948-06-14" and dossier["nationality"] == "mexicana"  # keys, not labels


def test_a_correction_with_a_bad_date_is_an_error_at_its_line(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article(
        corrections="\n  - date: 2020-11-19\n    text: Fine.\n  - date: 2020-13-01\n    text: Bad.\n"
                    "  - text: No date.")})
    result = run_build(content, tmp_path / "out")
    errors = [str(d) for d in result.diags.errors]
    assert any(e.startswith(f"{content}/articles/a.md:7: corrections[2].date:") and "month 13" in e for e in errors)
    assert any(e.startswith(f"{content}/articles/a.md:9: corrections[3].date: is required") for e in errors)


def test_an_unknown_language_falls_back_to_english_with_one_warning(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "title: Seite\nlanguage: de\nbase_url: https://example.org/\n",
                                   "content/articles/a.md": article(date="2020-10-12")})
    result = run_build(content, tmp_path / "out")
    warnings = [str(d) for d in result.diags.items]
    assert len(warnings) == 1 and warnings[0].startswith(f"{content}/site.yaml:2: warning: language: \"de\"")
    page = parse(tmp_path / "out", "/articles/a/")
    assert page.html["lang"] == "de"
    assert page.select_one("nav li a").get_text() == "Articles"
    assert page.select_one(".meta time").get_text() == "12. Oktober 2020"  # CLDR has German dates


def test_an_invalid_language_tag_is_an_error_at_its_line(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "title: Site\n\nlanguage: english\n"})
    result = run_build(content, tmp_path / "out")
    assert [str(d) for d in result.diags.errors] == [
        f'{content}/site.yaml:3: language: "english" is not a language tag; write a BCP 47 tag such as '
        "en, es, es-MX or pt-BR (a language code, not its name)"]


def test_a_regional_tag_uses_its_language_and_an_article_tag_is_checked(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "base_url: https://example.org/\nlanguage: es-MX\n",
                                   "content/articles/a.md": article(date="2020-10-12", language="en_GB!")})
    result = run_build(content, tmp_path / "out")
    assert [str(d).split(": ", 1)[0] for d in result.diags.items] == [f"{content}/articles/a.md:4"]
    content.joinpath("articles/a.md").write_text(article(date="2020-10-12"))
    assert not run_build(content, tmp_path / "out").diags.items
    page = parse(tmp_path / "out", "/articles/a/")
    assert page.html["lang"] == "es-MX" and page.select_one(".meta time").get_text() == "12 de octubre de 2020"


def test_a_site_changes_and_adds_words_without_copying_a_template(tmp_path):
    content = make_site(tmp_path, {
        "content/site.yaml": "base_url: https://example.org/\nlanguage: es\ntranslations:\n"
                             "  Timeline: Cronología de los hechos\n"
                             "  \"%(count)s article\": [\"%(count)s nota\", \"%(count)s notas\"]\n",
        "content/articles/a.md": article(people="[Ana]"),
        "templates/home.html": '{% extends "base.html" %}{% block content %}<p id="own">{{ _("Welcome") }}</p>'
                               "{% endblock %}"})
    result = run_build(content, tmp_path / "out")
    assert not result.diags.items
    people = parse(tmp_path / "out", "/people/")
    assert people.find("a", href="/timeline/").get_text() == "Cronología de los hechos"
    assert people.select_one(".entity-list .count").get_text() == "1 nota"
    assert people.find("a", href="/articles/").get_text() == "Artículos"  # the rest stays built in
    content.joinpath("site.yaml").write_text("base_url: https://example.org/\nlanguage: es\n"
                                             "translations:\n  Welcome: Bienvenidos\n")
    assert not run_build(content, tmp_path / "out").diags.items
    assert parse(tmp_path / "out", "/").select_one("#own").get_text() == "Bienvenidos"


def test_translations_must_be_text(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "translations:\n  Timeline:\n    a: b\n"})
    errors = [str(d) for d in run_build(content, tmp_path / "out").diags.errors]
    assert len(errors) == 1 and errors[0].startswith(f'{content}/site.yaml:2: translations: "Timeline": expected')


# -- the catalogue ---------------------------------------------------------------------------------

def _extracted() -> set:
    method_map = [("site_builder/importer.py", "ignore"), ("site_builder/proposals.py", "ignore"),
                  ("site_builder/**.py", "python"),
                  ("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")]
    options = {"templates/**.html": {"trimmed": "true"}, "templates/**.xml": {"trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "words": None}
    return {message for _, _, message, _, _ in
            extract_from_dir(str(ROOT), method_map, options, keywords=keywords)}


def test_every_word_of_the_builder_is_in_the_template_catalogue_and_translated_into_spanish():
    found = _extracted()
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as stream:
        template = {m.id for m in read_po(stream) if m.id}
    assert found == template, "run the pybabel extract line at the top of babel.cfg"
    with CATALOGUE.open("rb") as stream:
        spanish = {m.id: m.string for m in read_po(stream) if m.id}
    assert set(spanish) == template, "run pybabel update (babel.cfg) and translate the new words"
    untranslated = [k for k, v in spanish.items() if not (all(v) if isinstance(v, tuple) else v)]
    assert untranslated == []


class _Words(HTMLParser):
    """Text and the human-read attributes of a template's literal HTML."""

    ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [v for k, v in attrs if k in self.ATTRIBUTES and v]

    def handle_data(self, data):
        self.found.append(data)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "templates").iterdir()
                                        if p.suffix in (".html", ".xml")))
def test_no_template_writes_a_word_outside_the_catalogue(name):
    """The literal text of a template (outside {{ }}, {% %} and trans blocks) has no words."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    source = (ROOT / "templates" / name).read_text()
    literal, skip, previous = [], False, None
    for _, kind, value in env.lex(source):
        if kind == "name" and (value in ("trans", "endtrans", "endblock") or previous == "block"):
            # words in trans blocks are the catalogue's; the body_class and og_type blocks hold names
            skip = value == "trans" or value in ("body_class", "og_type")
        previous = value if kind == "name" else previous
        literal.append(value if kind == "data" and not skip else "\x00")
    parser = _Words()
    parser.feed("".join(literal).replace("\x00", " "))
    words = [w for text in parser.found for w in re.findall(r"[^\W\d_]{2,}", text)]
    assert words == []


def _interface_phrases() -> list[str]:
    """English phrases of the catalogue that Spanish says otherwise: their longest literal part."""
    with CATALOGUE.open("rb") as stream:
        messages = [m for m in read_po(stream) if m.id]
    phrases = []
    for m in messages:
        english = m.id[-1] if isinstance(m.id, tuple) else m.id
        spanish = m.string[-1] if isinstance(m.string, tuple) else m.string
        if english == spanish:
            continue
        parts = re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>", english)
        part = max(parts, key=len).strip(" ,.:;")
        if re.search(r"[A-Za-z]{3,}", part):
            phrases.append(part)
    return phrases


def test_no_english_interface_word_remains_on_the_spanish_site(site):
    phrases = _interface_phrases()
    assert "Timeline" in phrases and "Source" in phrases
    leaks = {}
    for path in site.rglob("*.html"):
        page = BeautifulSoup(path.read_text(), "html.parser")
        for tag in page(["script", "style"]):
            tag.decompose()
        for tag in page.select("[lang=en]"):  # the English article's own text
            tag.decompose()
        shown = [page.get_text(" ")]
        shown += [v for tag in page.find_all(True) for k, v in tag.attrs.items()
                  if k in _Words.ATTRIBUTES or k == "data-words"]
        text = " ".join(" ".join(shown).split())
        found = [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        if found:
            leaks[str(path.relative_to(site))] = found
    assert leaks == {}


def test_approximate_uncertain_and_open_dates_read_naturally():
    words = i18n.words("es")
    assert words.span(parse_span("1992~")) == "hacia 1992"
    assert words.span(parse_span("2015-12/..")) == "desde diciembre de 2015"
    assert words.span(parse_span("../2017-02-03")) == "hasta 3 de febrero de 2017"
    english = i18n.words("en")
    assert english.span(parse_span("2020-10-15?")) == "15 October 2020 (?)"
    assert english.span(parse_span("2015-12/2017-02")) == "December 2015 – February 2017"


def test_the_built_in_languages_are_those_with_a_catalogue():
    assert i18n.built_in("es-MX") and i18n.built_in("en-US") and not i18n.built_in("pt-BR")
    assert Path(CATALOGUE).is_file()
