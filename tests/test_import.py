"""`python build.py import`: saved clippings become draft articles with proposed people and organisations."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_build

from site_builder.clipping import from_html, from_text, parse_date
from site_builder.frontmatter import parse
from site_builder.slugs import slugify

CLIPPINGS = Path(__file__).parent / "clippings"
SEED = ROOT.parent / "shared" / "seeds" / "raw-clipping-2020-11-21.txt"  # not part of a clone
# Our own clipping of the same shape as the seed (site banner, section, publication twice, headline,
# dateline, paragraphs, sign-up footer), so that a plain clone runs these tests too.
OWN_SEED = CLIPPINGS / "banner-and-footer-2020-11-21.txt"
SEEDS = {  # clipping -> what import must make of it
    "own": (OWN_SEED, "Mexico offered to hunt a cartel boss in exchange for the general's release, source says",
            "The Harbour Courier", "Mexico offered to help capture",
            ("Cleared for Duty", "APPLY TODAY", "World Desk", "Join the mailing list", "Harbour Courier")),
    "shared": (SEED, "Mexico agreed to nab cartel leader to secure release of ex-minister", "Iran Press TV",
               "Mexico reportedly struck a deal",
               ("Security-Cleared", "JOIN NOW", "Homeland Security", "Join the mailing list", "Iran Press TV")),
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
    clipping, title, source, opening, noise = seed
    proc = run_import(clipping, content=example)
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
    if not SEEDS[request.param][0].is_file():  # the shared seed: only beside a checkout of the project
        pytest.skip(f"{SEED} is not here (it is not part of a clone; {OWN_SEED.name} stands in for it)")
    return SEEDS[request.param]


def test_names_the_site_does_not_know_are_listed_as_comments(tmp_path, seed):
    proc = run_import(seed[0], content=tmp_path / "content")
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
    ("2020-11-21", "2020-11-21"), ("Published on Nov 21, 2020", "2020-11-21")])
def test_datelines_in_the_forms_news_sites_use(line, day):
    assert parse_date(line).isoformat() == day


def test_it_never_overwrites_and_fails_clearly(example, tmp_path):
    assert run_import(CLIPPINGS / "wire-story.txt", content=example).returncode == 0
    again = run_import(CLIPPINGS / "wire-story.txt", content=example)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = run_import(CLIPPINGS / "no-article.txt", tmp_path / "missing.txt", content=example)
    assert bad.returncode == 1
    assert "no-article.txt: found no dateline" in bad.stderr and "missing.txt: cannot read the file" in bad.stderr
    assert "Traceback" not in bad.stderr
