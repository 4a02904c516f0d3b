"""The connections picture: every label has a box of its own, inside the picture, its name whole."""

import itertools

import pytest
from conftest import ROOT, article, make_site, parse, run_build

from site_builder import network
from site_builder.config import SiteConfig
from site_builder.render import make_environment

NAMES = ["US District Court for the Eastern District of New York", "US Department of Justice",
         "Drug Enforcement Administration", "Andrés Manuel López Obrador", "Marcelo Ebrard Casaubón",
         "William Barr", "Secretariat of National Defence", "Attorney General of Mexico (FGR)",
         "Carol Bagley Amon", "H-2", "Daniel Millán", "Wolfgang Maximilian Wiedemann-Woolworth"]


def boxes(picture):
    return [tuple(node["box"]) for node in picture["nodes"]] + [tuple(picture["center_box"])]


def intersect(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("count", [1, 2, 5, 12])
def test_label_boxes_do_not_intersect_and_stay_inside(count):
    connections = [{"name": n, "url": "/x/", "kind": "person", "count": 20 - 3 * i}
                   for i, n in enumerate(NAMES[:count])]
    picture = network.layout({"name": "Salvador Cienfuegos Zepeda", "kind": "person"}, connections)
    every = boxes(picture)
    assert not [(a, b) for a, b in itertools.combinations(every, 2) if intersect(a, b)]
    for box in every:
        assert 0 <= box[0] < box[2] <= picture["width"] and 0 <= box[1] < box[3] <= picture["height"], box
    for node in picture["nodes"]:
        assert " ".join(node["lines"]) == node["name"]  # wrapped, not cut
        assert not any(intersect(tuple(node["box"]), (n["x"] - n["r"], n["y"] - n["r"], n["x"] + n["r"],
                                                      n["y"] + n["r"])) for n in picture["nodes"])


def test_a_name_too_long_for_three_lines_ends_with_an_ellipsis_and_the_tooltip_has_it_whole():
    name = "The Extremely Long and Unwieldy Official Name of a Federal Commission on Something Else"
    [node] = network.layout({"name": "A", "kind": "person"}, [{"name": name, "url": "/x/", "kind": "person",
                                                               "count": 1}])["nodes"]
    assert len(node["lines"]) == network.MAX_LINES and node["lines"][-1].endswith("…")
    assert all(network.text_width(line) <= network.WRAP for line in node["lines"])


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    root = tmp_path_factory.mktemp("network")
    people = "[" + ", ".join(NAMES) + "]"
    content = make_site(root, {f"content/articles/a{i}.md": article(title=f"A{i}", people=people)
                               for i in range(2)} | {"content/articles/c.md": article(
                                   title="C", people="[Ana Centre, William Barr]")})
    assert not run_build(content, root / "out").diags.errors
    return root / "out"


def test_the_dossier_draws_every_label_whole_in_lines(dossier):
    svg = parse(dossier, "/people/william-barr/").find("svg", class_="network")
    texts = [" ".join(t.get_text(" ") for t in text.find_all("tspan")) for text in svg.select("a text")]
    assert "US District Court for the Eastern District of New York" in texts
    assert not [t for t in texts if "…" in t]


def test_drawn_labels_fit_their_computed_boxes(tmp_path, browser):
    """The widths are estimated at build time; the browser's own measure must fit inside them."""
    picture = network.layout({"name": "Salvador Cienfuegos Zepeda", "kind": "person"},
                             [{"name": n, "url": "/x/", "kind": "person", "count": 12 - i}
                              for i, n in enumerate(NAMES)])
    env = make_environment(SiteConfig())
    svg = env.from_string('{% from "_macros.html" import network %}{{ network(n) }}').render(n=picture)
    css = (ROOT / "templates/static/style.css").as_uri()
    (tmp_path / "p.html").write_text(f'<!doctype html><link rel="stylesheet" href="{css}"><main>{svg}</main>')
    page = browser.new_page()
    page.goto((tmp_path / "p.html").as_uri())
    drawn = page.evaluate("""() => [...document.querySelectorAll('svg.network text')].map(t => {
        const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })""")
    page.close()
    computed = boxes(picture)
    assert len(drawn) == len(computed)
    for (x0, y0, x1, y1), box in zip(drawn, computed, strict=True):
        assert box[0] - 2 <= x0 and x1 <= box[2] + 2, (x0, x1, box)  # no wider than measured
        assert box[1] - 4 <= y0 and y1 <= box[3] + 4, (y0, y1, box)
