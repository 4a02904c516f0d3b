"""Print: what is drawn as a background prints; an address is printed once."""

import functools
import http.server
import threading

import pytest
from conftest import _QuietHandler, article, make_site, parse, run_build

BODY = "See <https://example.org/report> and [the court's page](https://court.example.org/case)."
NOTES = "---\nname: Ana López\nlinks: [https://en.wikipedia.org/wiki/Ana]\n---\nNotes.\n"
EVENTS = ("\n  - date: 2015-12/2017-02\n    text: A span.\n    people: [Ana López]"
          "\n  - date: 2019-05-03\n    text: A day.\n    people: [Ana López]")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("print")
    content = make_site(root, {"content/articles/a.md": article(body=BODY, people="[Ana López]", events=EVENTS),
                               "content/people/ana-lopez.md": NOTES})
    assert not run_build(content, root / "out").diags.errors
    return root / "out"


def test_a_link_whose_text_is_its_address_is_marked_so(site):
    page = parse(site, "/articles/a/")
    links = {a["href"]: a.get("class") for a in page.select(".prose a")}
    assert links == {"https://example.org/report": ["url"], "https://court.example.org/case": None}
    assert parse(site, "/people/ana-lopez/").select_one(".links a")["class"] == ["url"]


@pytest.fixture
def served(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_in_print_badges_dots_and_bars_keep_their_colour_and_addresses_print_once(served, browser):
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto(served + "articles/a/")
    after = page.evaluate("""() => [...document.querySelectorAll('.prose a')].map(
        a => getComputedStyle(a, '::after').content)""")
    assert after[0] == "none" and "court.example.org/case" in after[1]
    page.goto(served + "people/ana-lopez/")
    style = page.evaluate("""() => {
        const badge = getComputedStyle(document.querySelector('.timeline-year span'));
        const bar = getComputedStyle(document.querySelector('.event.interval'), '::before');
        const link = getComputedStyle(document.querySelector('.links a'), '::after');
        return [badge.printColorAdjust, badge.backgroundColor, bar.printColorAdjust, link.content]; }""")
    page.close()
    assert style == ["exact", "rgb(0, 0, 0)", "exact", "none"]
