"""`python build.py import`: saved clippings become draft articles with proposed people and organisations."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, make_site, run_build
from conftest import parse as parse_page
from pdf_writer import write_pdf
from pypdf import PdfWriter

from site_builder.clipping import from_html, from_text, parse_date
from site_builder.clipping_language import detect_language
from site_builder.datelines import calendar_words, wire_dateline
from site_builder.frontmatter import parse
from site_builder.importer import event_suggestions, known_entities, proposals, read_clipping
from site_builder.slugs import match_key, slugify

CLIPPINGS = Path(__file__).parent / "clippings"
SEED = ROOT.parent / "shared" / "seeds" / "raw-clipping-2020-11-21.txt"  # not part of a clone
# Our own clipping of the same shape as the seed (site banner, section, publication twice, headline,
# dateline, paragraphs, sign-up footer), so that a plain clone runs these tests too.
OWN_SEED = CLIPPINGS / "banner-and-footer-2020-11-21.txt"


class Seed(NamedTuple):
    """A clipping, and what import must make of it."""

    path: Path
    title: str
    source: str
    opening: str  # how the body starts
    noise: tuple[str, ...]  # the site's furniture, none of it in the body
    arrest: str  # the sentence of the mid-October arrest says this
    wednesday: str  # the event of the Wednesday after


SEEDS = {
    "own": Seed(OWN_SEED, "Mexico offered to hunt a cartel boss in exchange for the general's release, source says",
                "The Harbour Courier", "Mexico offered to help capture",
                ("Cleared for Duty", "APPLY TODAY", "World Desk", "Join the mailing list", "Harbour Courier"),
                "was arrested at a Los Angeles airport in mid-October",
                "The charges fell on Wednesday, when a federal judge in Brooklyn agreed, at the request of Barr, "
                "to dismiss them."),
    "shared": Seed(SEED, "Mexico agreed to nab cartel leader to secure release of ex-minister", "Iran Press TV",
                   "Mexico reportedly struck a deal",
                   ("Security-Cleared", "JOIN NOW", "Homeland Security", "Join the mailing list", "Iran Press TV"),
                   "arrested at a Los Angeles airport in mid-October",
                   "Mexico's threat appeared to work on Wednesday, when a federal judge in Brooklyn said that at "
                   "the request of Barr, she would formally dismiss the charges against Cienfuegos."),
}


def run_import(*files, content):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "import", *map(str, files), "--content",
                           str(content)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def example(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def written(content, proc):
    [line] = [line for line in proc.stdout.splitlines() if " -> " in line]
    path = Path(line.split(" -> ")[1])
    assert path.parent == content / "articles"
    return path, parse(path.read_bytes())


def test_the_seed_clipping_becomes_a_clean_article_with_known_people(example, seed):
    title, source, opening, noise = seed.title, seed.source, seed.opening, seed.noise
    proc = run_import(seed.path, content=example)
    assert proc.returncode == 0, proc.stderr
    path, doc = written(example, proc)
    assert path.name == "2020-11-21-" + slugify(title) + ".md"
    data = doc.data
    assert data["title"] == title
    assert data["date"] == "2020-11-21" and data["source"] == source and data["draft"] == "true"
    assert {"Salvador Cienfuegos Zepeda", "William Barr", "Marcelo Ebrard Casaubón"} <= set(data["people"])
    assert "US Department of Justice" in data["organisations"]
    body = doc.body.strip()
    assert body.startswith(opening)
    for banner in noise:
        assert banner not in body
    assert data["summary"].startswith(opening)


@pytest.fixture(params=SEEDS, ids=SEEDS)
def seed(request):
    if not SEEDS[request.param].path.is_file():  # the shared seed: only beside a checkout of the project
        pytest.skip(f"{SEED} is not here (it is not part of a clone; {OWN_SEED.name} stands in for it)")
    return SEEDS[request.param]


def test_names_the_site_does_not_know_are_listed_as_comments(tmp_path, seed):
    proc = run_import(seed.path, content=tmp_path / "content")
    assert proc.returncode == 0
    text = next((tmp_path / "content/articles").glob("*.md")).read_text()
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#   ")]
    assert {"Salvador Cienfuegos", "Daniel Millan", "William Barr", "Marcelo Ebrard"} <= set(comments)
    assert "Los Angeles" not in comments


def test_an_imported_article_builds(example, tmp_path):
    run_import(CLIPPINGS / "wire-story.txt", CLIPPINGS / "saved-page.html", content=example)
    result = run_build(example, tmp_path / "out", drafts=True, no_search=True)
    assert not result.diags.errors, [str(d) for d in result.diags.errors]
    assert (tmp_path / "out/articles/mexico-clears-former-defence-minister").is_dir()
    assert (tmp_path / "out/articles/judge-throws-out-case-against-mexico-s-ex-defence-chief").is_dir()


def test_html_saved_from_a_browser_loses_navigation_and_footer():
    clipping = from_html((CLIPPINGS / "saved-page.html").read_text())
    assert clipping.title == "Judge throws out case against Mexico's ex-defence chief"
    assert clipping.date.isoformat() == "2020-11-18" and clipping.source == "The Evening Ledger"
    assert clipping.source_url == "https://ledger.example.com/world/2020/11/18/judge-throws-out-case"
    assert clipping.paragraphs[0].startswith("A federal judge in Brooklyn")
    text = " ".join(clipping.paragraphs)
    for noise in ("Politics", "Most read", "newsletter", "All rights reserved", "Ten things"):
        assert noise not in text


def test_a_us_dateline_and_a_site_banner():
    clipping = from_text((CLIPPINGS / "us-dateline.txt").read_text())
    assert clipping.title == "U.S. to drop charges against former Mexican defense chief"
    assert clipping.date.isoformat() == "2020-11-17" and clipping.source == "Border Report"
    assert len(clipping.paragraphs) == 3 and "Subscribe" not in " ".join(clipping.paragraphs)


def test_a_wire_story_names_its_agency():
    clipping = from_text((CLIPPINGS / "wire-story.txt").read_text())
    assert clipping.title == "Mexico clears former defence minister"
    assert clipping.date.isoformat() == "2021-01-15" and clipping.source == "Reuters"
    assert clipping.paragraphs[0].startswith("MEXICO CITY (Reuters) - Mexico's attorney general's office")


@pytest.mark.parametrize("line, day", [
    ("Saturday, 21 November 2020 2:32 PM", "2020-11-21"), ("November 17, 2020 6:12 PM ET", "2020-11-17"),
    ("Jan. 15, 2021", "2021-01-15"), ("11/18/2020", "2020-11-18"), ("Updated: 3 Sept 2020", "2020-09-03"),
    ("2020-11-21", "2020-11-21"), ("Published on Nov 21, 2020", "2020-11-21"),
    ("11/05/2020", "2020-11-05"),  # an English clipping's numbers are US: month first
    ("By Ana Ortiz · November 18, 2020", "2020-11-18"),
    ("Published: 10/16/2020 | Updated: 10/17/2020", "2020-10-16"),
    ("Updated 17 October 2020, first published 16 October 2020", "2020-10-16")])
def test_datelines_in_the_forms_news_sites_use(line, day):
    assert parse_date(line).isoformat() == day


@pytest.mark.parametrize("line, day", [
    ("viernes, 20 de noviembre de 2020 09:15", "2020-11-20"), ("20 nov 2020", "2020-11-20"),
    ("10/11/2020 14:05", "2020-11-10"),  # a Spanish clipping's numbers are day first
    ("Publicado el 20/11/2020 | Actualizado el 21/11/2020", "2020-11-20"),
    ("Actualizado: 21.11.2020 · Publicado: 20.11.2020", "2020-11-20"),
    ("Por Laura Méndez · 15 de enero de 2021", "2021-01-15")])
def test_spanish_datelines(line, day):
    assert parse_date(line, "es").isoformat() == day


@pytest.mark.parametrize("line", [
    "Mexico agreed to nab cartel leader to secure release of ex-minister: Report", "just some words",
    "The general, who led the army from 2012 to 2018, was arrested on October 15, 2020 at an airport in California."])
def test_headlines_and_prose_are_not_datelines(line):
    assert parse_date(line) is None


@pytest.mark.parametrize("paragraph, city, agency, day", [
    ("MEXICO CITY (Reuters) - Mexico's attorney general's office said", "MEXICO CITY", "Reuters", None),
    ("MEXICO CITY, Jan 15, 2021 (Example Wire) - Mexico's federal prosecutors", "MEXICO CITY", "Example Wire",
     "2021-01-15"),
    ("BROOKLYN, N.Y. (AP) — A federal judge", "BROOKLYN, N.Y.", "AP", None),
    ("Ciudad de México, 10 nov (Agencia Ejemplo).- La Fiscalía", "Ciudad de México", "Agencia Ejemplo", "2020-11-10")])
def test_wire_datelines(paragraph, city, agency, day):
    wire = wire_dateline(paragraph, "es" if "Ciudad" in paragraph else "en", dt.date(2020, 11, 21))
    assert (wire.city, wire.agency) == (city, agency)
    assert (wire.date.date.iso() if wire.date else None) == day


@pytest.mark.parametrize("paragraph", ["Mexico's attorney general (FGR) - said on Thursday",
                                       "The office of the prosecutor (FGR) - the statement said"])
def test_a_parenthesis_in_prose_is_not_a_wire_dateline(paragraph):
    assert wire_dateline(paragraph, "en", None) is None


def test_it_never_overwrites_and_fails_clearly(example, tmp_path):
    assert run_import(CLIPPINGS / "wire-story.txt", content=example).returncode == 0
    again = run_import(CLIPPINGS / "wire-story.txt", content=example)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = run_import(CLIPPINGS / "no-article.txt", tmp_path / "missing.txt", content=example)
    assert bad.returncode == 1
    assert "no-article.txt: found no dateline" in bad.stderr and "missing.txt: cannot read the file" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_wire_story_whose_dateline_opens_the_first_paragraph():
    clipping = from_text((CLIPPINGS / "wire-first-paragraph.txt").read_text())
    assert clipping.title == "Mexico closes its inquiry into former defence minister Cienfuegos"
    assert clipping.date.isoformat() == "2021-01-15" and clipping.source == "Example Wire"
    assert clipping.paragraphs[0].startswith("MEXICO CITY, Jan 15, 2021 (Example Wire) - Mexico's federal")
    assert clipping.paragraphs[-1].endswith("returned to Mexico on Nov. 18.")
    assert "Read more" not in clipping.paragraphs and "World News" not in clipping.paragraphs


def test_a_spanish_daily_loses_its_menus_ads_and_footer():
    clipping = from_text((CLIPPINGS / "spanish-daily.txt").read_text())
    assert clipping.language == "es"
    assert clipping.title == "EE.UU. retira los cargos contra el general Salvador Cienfuegos"
    assert clipping.date.isoformat() == "2020-11-20" and clipping.source == "El Diario del Norte"
    assert clipping.paragraphs[0].startswith("El Departamento de Justicia de Estados Unidos retiró")
    assert len(clipping.paragraphs) == 4
    text = " ".join(clipping.paragraphs)
    for noise in ("PUBLICIDAD", "LEE TAMBIÉN", "Suscríbete", "Síguenos", "derechos reservados", "Inicio"):
        assert noise not in text


def test_a_spanish_wire_takes_the_year_from_the_header_and_reads_numbers_day_first():
    clipping = from_text((CLIPPINGS / "spanish-wire.txt").read_text())
    assert clipping.language == "es" and clipping.date.isoformat() == "2020-11-10"
    assert clipping.source == "Agencia Ejemplo"
    assert clipping.title == "La Fiscalía de México investigará al exsecretario Cienfuegos"
    assert len(clipping.paragraphs) == 3 and "Te puede interesar" not in clipping.paragraphs


def test_the_publication_date_is_the_published_one_not_the_update():
    clipping = from_text((CLIPPINGS / "published-updated.txt").read_text())
    assert clipping.date.isoformat() == "2020-10-16"
    assert clipping.title == "Former Mexican defense chief arrested at Los Angeles airport"
    assert clipping.paragraphs[0].startswith("LOS ANGELES - Federal agents")
    assert len(clipping.paragraphs) == 3 and not any("Copyright" in p or p == "Advertisement"
                                                     for p in clipping.paragraphs)


def test_a_spanish_page_saved_from_a_browser():
    clipping = from_html((CLIPPINGS / "pagina-guardada.html").read_text())
    assert clipping.language == "es" and clipping.date.isoformat() == "2021-01-15"
    assert clipping.title == "La FGR cierra la investigación contra Cienfuegos"
    assert clipping.source == "Crónica del Golfo"
    text = " ".join(clipping.paragraphs)
    assert text.startswith("La Fiscalía General de la República informó el jueves")
    assert "Marcelo Ebrard publicará el expediente" in text  # a sign-up box inside the article is only skipped
    for noise in ("Suscríbete", "derechos reservados", "Aviso de privacidad", "Lo más leído", "playas"):
        assert noise not in text


def test_a_page_without_date_metadata_is_dated_by_its_byline_not_by_its_copyright_line():
    clipping = from_html((CLIPPINGS / "sin-metadatos.html").read_text())
    assert clipping.date.isoformat() == "2020-11-18" and clipping.language == "es"
    assert clipping.title == "Jueza de Brooklyn desecha el caso contra Cienfuegos"
    assert clipping.source == "Semanario Sur"  # from <title>, the page names its site nowhere else
    assert len(clipping.paragraphs) == 2 and "Por Ana Ruiz" not in " ".join(clipping.paragraphs)


@pytest.mark.parametrize("text, default, language", [
    ("El general fue detenido en el aeropuerto y la fiscalía abrió una investigación sobre el caso.", "en", "es"),
    ("The general was arrested at the airport and the prosecutors opened an inquiry into the case.", "es", "en"),
    ("Salvador Cienfuegos", "es", "es"), ("Salvador Cienfuegos", "en", "en")])
def test_the_language_is_detected_and_the_sites_kept_when_the_text_cannot_tell(text, default, language):
    assert detect_language(text, default) == language


ALL_CLIPPINGS = sorted(p for p in CLIPPINGS.iterdir() if p.name != "no-article.txt")


@pytest.fixture(scope="module")
def known():
    return known_entities(ROOT / "content")


@pytest.mark.parametrize("path", ALL_CLIPPINGS + ([SEED] if SEED.is_file() else []), ids=lambda p: p.name)
def test_new_names_proposed_from_every_clipping_look_like_names(path, known):
    clipping = read_clipping(path)
    people, organisations, new_people, new_organisations = proposals(clipping, known)
    assert len(people) == len(set(people)) and len(organisations) == len(set(organisations))
    assert "Salvador Cienfuegos Zepeda" in people
    known_keys = {match_key(alias) for pairs in known.entities.values() for _, alias in pairs}
    calendar = calendar_words("en") | calendar_words("es")
    places = {"mexico", "los angeles", "brooklyn", "estados unidos", "united states", "washington", "angeles"}
    for name in new_people + new_organisations:
        words = [match_key(word) for word in name.split()]
        assert match_key(name) not in known_keys, name
        assert not name.isupper() and not set(words) & calendar, name
        assert not any(word in places for word in words) or name in new_organisations, name
        assert name != clipping.source, name
    for name in new_people:
        assert 2 <= len(name.split()) <= 5 and all(word[0].isupper() for word in name.split()
                                                   if word not in ("de", "del", "la", "y")), name


@pytest.mark.parametrize("path, people, organisations, new_people, new_organisations", [
    ("wire-first-paragraph.txt", {"Marcelo Ebrard Casaubón"},  # "Ebrard's ministry"
     {"Fiscalía General de la República", "Drug Enforcement Administration"}, {"Andrés Manuel López Obrador"}, set()),
    ("spanish-daily.txt", {"Marcelo Ebrard Casaubón", "Carol Bagley Amon"}, {"Fiscalía General de la República"},
     set(), {"Departamento de Justicia de Estados Unidos"}),
    ("spanish-wire.txt", {"Marcelo Ebrard Casaubón"}, {"Fiscalía General de la República",
                                                       "Drug Enforcement Administration"},  # "la DEA"
     {"Andrés Manuel López Obrador"}, {"Fiscalía de México"}),
    ("us-dateline.txt", {"Marcelo Ebrard Casaubón"}, {"US Department of Justice"}, set(), set()),
])
def test_known_and_new_people_and_organisations(path, people, organisations, new_people, new_organisations, known):
    found = proposals(read_clipping(CLIPPINGS / path), known)
    assert people <= set(found[0]) and organisations <= set(found[1])
    assert set(found[2]) == new_people and set(found[3]) == new_organisations


def test_the_seed_names_reuters_and_the_justice_department_and_no_junk(seed):
    people, organisations, new_people, new_organisations = proposals(read_clipping(seed.path), known_entities(
        Path("/nonexistent")))
    assert {"US Department of Justice", "Reuters"} <= set(new_organisations)
    assert set(new_people) == {"Salvador Cienfuegos", "William Barr", "Daniel Millan", "Marcelo Ebrard"}
    assert not people and not organisations


def test_a_place_next_to_a_name_is_not_proposed(tmp_path):
    clipping = from_text("The Cienfuegos Mexico case file\n21 November 2020\nThe files of Cienfuegos Mexico and "
                         "Barr Washington were read in Los Angeles by Judge Carol Bagley Amon on Tuesday.\n")
    _, _, new_people, _ = proposals(clipping, known_entities(tmp_path))
    assert new_people == ["Carol Bagley Amon"]


def test_the_draft_suggests_the_dates_in_its_text_as_events(example, seed):
    proc = run_import(seed.path, content=example)
    path, _ = written(example, proc)
    lines = path.read_text().splitlines()
    assert "#   - date: 2020-10-15~  # mid-October" in lines
    text_line = lines[lines.index("#   - date: 2020-10-15~  # mid-October") + 1]
    assert text_line.startswith("#     text: ") and seed.arrest in text_line
    assert "#   - date: 2020-11-17  # Tuesday" in lines  # the Tuesday before the Saturday it was published
    assert "#   - date: 2015-12  # December 2015" in lines
    assert "dated events suggested" in proc.stdout


def test_uncommented_event_suggestions_are_events_that_build(example, seed, tmp_path):
    path, _ = written(example, run_import(seed.path, content=example))
    lines = path.read_text().splitlines()
    start = lines.index("# events:  # dates found in the text: uncomment the real events, check each date, reword")
    end = lines.index("---", 1)
    lines[start:end] = [line[2:] for line in lines[start:end]]
    path.write_text("\n".join(lines) + "\n")
    events = yaml.safe_load("\n".join(lines[1:lines.index("---", 1)]))["events"]
    assert {"date": "2020-11-18", "text": seed.wednesday} in [{k: str(v) for k, v in event.items()} for event in events]
    result = run_build(example, tmp_path / "out", drafts=True, no_search=True)
    assert not result.diags.errors, [str(d) for d in result.diags.errors]


def test_spanish_event_suggestions_are_read_in_spanish():
    found = {(date.date.edtf(), date.text) for date, _ in event_suggestions(
        read_clipping(CLIPPINGS / "spanish-daily.txt"))}
    assert {("2020-10-15", "15 de octubre"), ("2020-11-17", "martes"), ("2020-11-18", "miércoles")} <= found
    wire = {(date.date.edtf(), date.text)
            for date, _ in event_suggestions(read_clipping(CLIPPINGS / "spanish-wire.txt"))}
    assert ("2020-10-15~", "mediados de octubre") in wire


COURT_ORDER = [
    ["UNITED STATES DISTRICT COURT", "EASTERN DISTRICT OF NEW YORK", "", "UNITED STATES OF AMERICA",
     "- against -", "SALVADOR CIENFUEGOS ZEPEDA, Defendant.", "",
     "ORDER GRANTING THE MOTION TO DISMISS THE INDICTMENT", "",
     "The government moved under Rule 48(a) of the Federal Rules of Criminal",
     "Procedure to dismiss the indictment against the defendant so that the",
     "authorities of Mexico may investigate him.", "",
     "The defendant was arrested on October 15, 2020, at Los Angeles",
     "International Airport and has been held since.", "",
     "The motion is granted and the indictment is dismissed."],
    ["SO ORDERED.", "", "Dated: Brooklyn, New York, November 18, 2020", "",
     "Carol Bagley Amon, United States District Judge"]]


def test_a_pdf_court_document_becomes_an_article_folder_with_the_pdf_beside_it(example, tmp_path):
    pdf = write_pdf(tmp_path / "Order of Dismissal.pdf", COURT_ORDER)
    proc = run_import(pdf, content=example)
    assert proc.returncode == 0, proc.stderr
    path, doc = written_folder(example, proc)
    assert path.parent.name == "2020-11-18-order-granting-the-motion-to-dismiss-the-indictment"
    assert (path.parent / "order-of-dismissal.pdf").read_bytes() == pdf.read_bytes()
    data = doc.data
    assert data["title"] == "Order granting the motion to dismiss the indictment" and data["date"] == "2020-11-18"
    assert data["source"] == "United States District Court, Eastern District of New York"
    assert data["summary"].startswith("The government moved under Rule 48(a)")
    assert {"Salvador Cienfuegos Zepeda"} <= set(data["people"])
    text = path.read_text()
    assert data["documents"] == [{"file": "order-of-dismissal.pdf", "title": data["title"], "date": "2020-11-18"}]
    assert "#   - date: 2020-10-15  # October 15, 2020" in text
    assert "Federal Rules of Criminal Procedure to dismiss the indictment" in doc.body  # lines joined
    assert "\\- against -" in doc.body  # not a Markdown list
    result = run_build(example, tmp_path / "out", drafts=True, no_search=True)
    assert not result.diags.errors, [str(d) for d in result.diags.errors]
    folder = tmp_path / "out/articles/order-granting-the-motion-to-dismiss-the-indictment"
    assert (folder / "order-of-dismissal.pdf").read_bytes() == pdf.read_bytes()  # the live entry publishes it
    links = [a["href"] for a in BeautifulSoup((folder / "index.html").read_text(), "html.parser").select("a[href]")]
    assert any(href.endswith("/order-granting-the-motion-to-dismiss-the-indictment/order-of-dismissal.pdf")
               for href in links), links


def test_a_pdf_title_comes_from_its_metadata_and_a_broken_pdf_fails_clearly(example, tmp_path):
    pdf = write_pdf(tmp_path / "order.pdf", COURT_ORDER, title="Order of dismissal, US v. Cienfuegos Zepeda")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really\n")
    scan = write_pdf(tmp_path / "scan.pdf", [[]])
    locked = PdfWriter(clone_from=pdf)
    locked.encrypt("secret")
    locked.write(tmp_path / "locked.pdf")
    proc = run_import(pdf, broken, scan, tmp_path / "locked.pdf", content=example)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "broken.pdf: cannot read the PDF" in proc.stderr and "scan.pdf: found no text in the PDF" in proc.stderr
    assert "locked.pdf: the PDF is encrypted" in proc.stderr
    _, doc = written_folder(example, proc)
    assert doc.data["title"] == "Order of dismissal, US v. Cienfuegos Zepeda"
    again = run_import(pdf, content=example)
    assert again.returncode == 1 and "already exists" in again.stderr


def written_folder(content, proc):
    [line] = [line for line in proc.stdout.splitlines() if " -> " in line]
    path = Path(line.split(" -> ")[1])
    assert path.name == "index.md" and path.parent.parent == content / "articles"
    return path, parse(path.read_bytes())


def test_a_spanish_clipping_imported_into_an_english_site(example, tmp_path):
    proc = run_import(CLIPPINGS / "spanish-daily.txt", CLIPPINGS / "pagina-guardada.html", content=example)
    assert proc.returncode == 0, proc.stderr
    drafts = {p.name: parse(p.read_bytes()).data for p in (example / "articles").glob("*.md")}
    daily = drafts["2020-11-20-ee-uu-retira-los-cargos-contra-el-general-salvador-cienfuegos.md"]
    assert daily["source"] == "El Diario del Norte"
    assert {"Salvador Cienfuegos Zepeda", "Marcelo Ebrard Casaubón"} <= set(daily["people"])
    assert "2021-01-15-la-fgr-cierra-la-investigacion-contra-cienfuegos.md" in drafts
    result = run_build(example, tmp_path / "out", drafts=True, no_search=True)
    assert not result.diags.errors, [str(d) for d in result.diags.errors]
    page = parse_page(tmp_path / "out", "/articles/ee-uu-retira-los-cargos-contra-el-general-salvador-cienfuegos/")
    assert "Suscríbete" not in page.get_text() and "15 de octubre" in page.get_text()


def test_a_spanish_site_reads_a_short_clipping_as_spanish(tmp_path):
    content = make_site(tmp_path, {"content/site.yaml": "title: Expedientes\nlanguage: es\n"})
    clip = tmp_path / "corto.txt"
    clip.write_text("Cienfuegos vuelve\nCienfuegos vuelve a casa hoy\n05/11/2020\nCienfuegos llegó a Toluca.\n")
    proc = run_import(clip, content=content)
    assert proc.returncode == 0, proc.stderr
    assert next((content / "articles").glob("*.md")).name.startswith("2020-11-05-")  # 5 November, day first


def test_a_long_pdf_is_dated_by_its_last_page(tmp_path):
    filler = [f"Paragraph {n} of the findings sets out what the witnesses told the court." for n in range(1, 41)]
    pages = COURT_ORDER[:1] + [filler] * 3 + [["The court held a hearing on March 3, 2020."]] + COURT_ORDER[1:]
    clipping = read_clipping(write_pdf(tmp_path / "long.pdf", pages))
    assert len(clipping.paragraphs) > 120 and clipping.date.isoformat() == "2020-11-18"


def test_a_clipping_in_the_sites_own_other_language_is_read_in_it():
    text = ("Notícias | Mundo | Política\nMéxico encerra a investigação contra o general Cienfuegos\n"
            "sexta-feira, 15 de janeiro de 2021 10:20\n"
            "A procuradoria do México disse na quinta-feira que não vai processar o general Salvador Cienfuegos.\n")
    clipping = from_text(text, "pt-BR")
    assert clipping.language == "pt" and clipping.date.isoformat() == "2021-01-15"
    assert clipping.title == "México encerra a investigação contra o general Cienfuegos"
    assert [(d.date.iso(), d.text) for d, _ in event_suggestions(clipping)] == [("2021-01-14", "quinta-feira")]


def test_a_site_language_that_dateparser_lacks_reads_dates_as_english():
    clipping = from_text("Xyzzy plugh frobnitz quux\n21/11/2020\nQwerty zxcvb asdfg hjkl poiuy trewq mnbvc.\n", "tlh")
    assert clipping.date.isoformat() == "2020-11-21" and event_suggestions(clipping) == []
