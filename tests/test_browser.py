"""Every kind of page in headless Chromium: layout at phone and desktop widths, accessibility, print."""

import json
from pathlib import Path

import pytest
from conftest import ROOT, skip_or_fail

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "", "article": "articles/mexico-agreed-to-nab-cartel-leader/", "person": "people/salvador-cienfuegos/",
    "organisation": "organisations/us-department-of-justice/", "story": "stories/cienfuegos-case/",
    "timeline": "timeline/", "people index": "people/", "organisations index": "organisations/",
    "articles index": "articles/", "tag": "tags/diplomacy/", "tags": "tags/", "stories": "stories/",
    "search": "search/", "not found": "404.html", "article with files": "articles/cienfuegos-arrested-in-los-angeles/",
    "dossier year": "people/salvador-cienfuegos/2020/",
}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        skip_or_fail("axe-core is not installed (npm install)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGES)
def test_layout_has_no_horizontal_scrolling(published, browser, kind, viewport):
    _, base_url = published
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(base_url + PAGES[kind])
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{kind} at {viewport}: {width[0]}px wide in a {width[1]}px window"
    assert page.locator("h1").first.is_visible()
    if kind in ("person", "organisation"):
        card = page.locator(".dossier-card").bounding_box()
        assert card and card["y"] < VIEWPORTS[viewport]["height"]  # the header card opens the page
        assert page.locator("#timeline .event").first.is_visible()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_serious_or_critical_violation(published, browser, axe_source, kind, scheme):
    _, base_url = published
    page = browser.new_page(viewport=VIEWPORTS["desktop"], color_scheme=scheme)
    page.goto(base_url + PAGES[kind])
    if kind == "search":
        page.locator("#search-input").wait_for()
    serious = _serious_violations(page, axe_source)
    assert serious == [], json.dumps(serious, indent=1)
    page.close()


def _serious_violations(page, axe_source: str) -> list[dict]:
    """axe-core's serious and critical violations on the page as loaded, three nodes each."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_the_content(published, browser):
    _, base_url = published
    page = browser.new_page()
    page.goto(base_url + PAGES["person"])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#content"
    page.close()


def test_pages_read_without_javascript_and_fetch_nothing_from_elsewhere(published, browser):
    _, base_url = published
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    for kind in ("person", "article", "timeline"):
        page.goto(base_url + PAGES[kind])
        assert page.locator("main h1").is_visible()
        if kind == "person":
            assert page.locator("svg.network").is_visible()  # drawn at build time, no script
    assert hosts == {base_url.split("/")[2]}
    context.close()


@pytest.mark.parametrize("kind", ["person", "story", "timeline"])
def test_print_drops_navigation_and_shows_where_links_go(published, browser, kind, tmp_path):
    _, base_url = published
    page = browser.new_page()
    page.goto(base_url + PAGES[kind])
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header nav')).display") == "none"
    after = page.evaluate("() => getComputedStyle(document.querySelector('.event-source a'), '::after').content")
    assert "http" in after
    for size in ("A4", "Letter"):
        pdf = tmp_path / f"{kind}-{size}.pdf"
        page.pdf(path=str(pdf), format=size)
        assert pdf.stat().st_size > 10_000
    page.close()


def test_the_connections_picture_is_drawn_at_build_time(published):
    output, _ = published
    html = (output / "people/salvador-cienfuegos/index.html").read_text(encoding="utf-8")
    assert '<svg class="network"' in html and html.count('class="node ') >= 5
    assert Path(output / "people/salvador-cienfuegos/index.html").stat().st_size < 200_000


SPANISH_PAGES = {"home": "", "article": "articles/detenido/", "article in English": "articles/flies-home/",
                 "person": "people/salvador-cienfuegos/", "people index": "people/", "story": "stories/el-caso/",
                 "timeline": "timeline/", "search": "search/", "not found": "404.html"}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", SPANISH_PAGES)
def test_axe_finds_no_serious_or_critical_violation_on_the_spanish_site(published_spanish, browser, axe_source,
                                                                        kind, scheme):
    _, base_url = published_spanish
    page = browser.new_page(viewport=VIEWPORTS["desktop"], color_scheme=scheme)
    page.goto(base_url + SPANISH_PAGES[kind])
    serious = _serious_violations(page, axe_source)
    assert serious == [], json.dumps(serious, indent=1)
    page.close()


@pytest.mark.browser
def test_search_speaks_the_site_language(published_spanish, browser):
    _, base_url = published_spanish
    page = browser.new_page()
    page.goto(base_url + "search/?q=cienfuegos")
    status = page.locator("#search-status")
    status.filter(has_text="resultados").wait_for()
    assert "«cienfuegos»" in status.text_content()
    assert page.locator(".search-results .meta").first.text_content().split(" · ")[0] in (
        "Artículo", "Persona", "Tema", "Organización")
    page.locator("#search-input").fill("x")
    status.filter(has_text="Escriba al menos dos letras.").wait_for()


@pytest.mark.browser
def test_pictures_and_documents_load_under_the_sub_path_and_documents_print_their_url(published, browser):
    _, base_url = published
    page = browser.new_page()
    page.goto(base_url + PAGES["article with files"])
    page.wait_for_load_state("load")
    sizes = page.evaluate("() => [...document.querySelectorAll('main img')].map(i => [i.naturalWidth, i.width])")
    assert sizes and all(natural > 0 and shown > 0 for natural, shown in sizes)
    link = page.locator("#documents a").first
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    page.emulate_media(media="print")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert base_url + "articles/cienfuegos-arrested-in-los-angeles/charges-summary.pdf" in after
    page.close()
