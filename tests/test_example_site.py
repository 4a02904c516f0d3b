"""The example site, built as it is published: valid HTML, no broken link, searchable in a browser."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from conftest import PREFIX, parse, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_no_broken_internal_link_or_anchor_under_the_sub_path(published):
    output, _ = published
    pages = list(output.rglob("*.html"))
    checked = 0
    for path in pages:
        soup = parse(output, "/" + path.relative_to(output).as_posix())
        for element in soup.find_all(["a", "link", "script", "img"]):
            href = element.get("href") or element.get("src")
            if not href or href.startswith(("http://", "https://", "mailto:")) and PREFIX not in href:
                continue
            target, fragment = urldefrag(urlsplit(href).path if "://" in href else href)
            file = path
            if target:
                assert target.startswith(PREFIX), f"{path}: {href}"
                rel = unquote(target[len(PREFIX):])
                file = output / (rel + "index.html" if rel.endswith("/") or not rel else rel)
                assert file.is_file(), f"{path.relative_to(output)}: broken link {href}"
            if fragment and file.suffix == ".html":
                assert parse(output, "/" + file.relative_to(output).as_posix()).find(id=fragment), \
                    f"{path.relative_to(output)}: no anchor for {href}"
            checked += 1
    assert checked > 500


def test_every_page_passes_the_nu_html_checker(published):
    output, _ = published
    java = shutil.which("java")
    if not java or not VNU.is_file():
        skip_or_fail("the Nu HTML Checker needs java and node_modules/vnu-jar (npm install)")
    broken = output.parent / "broken.html"  # checked with the pages, so the checker is seen to find errors
    broken.write_text("<!doctype html><html lang=en><title>x</title><p><div></p>")
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 30
    # One start of the checker for every file (a start is most of its time). Java's quick compiler
    # alone and no language detection (it only ever warns, and warnings are not asked for) make it
    # start faster; -Xss gives its schema the stack it needs.
    proc = subprocess.run([java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU), "--errors-only",
                           "--no-langdetect", "--format", "json", str(broken), *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(proc.stderr)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(proc.stderr[:5000]) from None
    errors: dict[str, list[str]] = {}
    for message in messages:
        errors.setdefault(unquote(urlsplit(message.get("url", "")).path), []).append(
            f"{message.get('lastLine')}: {message['type']}: {message.get('message')}")
    assert errors.pop(str(broken), None), f"the checker found no error in {broken}: {proc.stderr[:2000]}"
    assert errors == {}, errors
    assert proc.returncode == 1  # (for the broken file alone)


def test_search_finds_an_accented_name_typed_without_accents(published, browser):
    _, base_url = published
    page = browser.new_page()
    page.goto(base_url + "search/")
    page.fill("#search-input", "millan")
    result = page.locator(".search-result-link").first
    result.wait_for(timeout=15_000)
    links = page.locator(".search-result-link")
    titles = [links.nth(i).inner_text() for i in range(links.count())]
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "Daniel Millán" in titles
    assert all(h.startswith(PREFIX) for h in hrefs), hrefs
    page.goto(base_url + hrefs[titles.index("Daniel Millán")].removeprefix(PREFIX))
    assert page.locator("h1").inner_text() == "Daniel Millán"
    page.close()


def test_search_matches_every_word_as_a_prefix_and_says_when_nothing_matches(published, browser):
    _, base_url = published
    page = browser.new_page()
    page.goto(base_url + "search/?q=cienf+judge")  # a shared link runs its query
    page.locator(".search-result-link").first.wait_for(timeout=15_000)
    titles = page.locator(".search-result-link").all_inner_texts()
    assert titles == ["Brooklyn judge dismisses the case; Cienfuegos flies home"]
    assert page.locator("#search-status").inner_text().startswith("1 result for")
    page.fill("#search-input", "zzyzx")
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('No results')")
    assert page.locator(".search-result-link").count() == 0
    assert "q=zzyzx" in page.url
    page.close()


def test_the_example_states_relations_of_the_story_each_with_a_source(published):
    output, base_url = published
    stated = json.loads((output / "graph.json").read_text())["relations"]
    assert len(stated) >= 3 and all(r["sources"] for r in stated)
    ebrard = parse(output, "/people/marcelo-ebrard/").find(id="relations")
    assert "Daniel Millán — spokesman" in " ".join(ebrard.get_text(" ").split())
