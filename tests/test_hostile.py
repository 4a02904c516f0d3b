"""Content can never inject markup or script: a hostile site builds and stays inert."""

import json
import re
import xml.etree.ElementTree as ET

import markupsafe
import pytest
from bs4 import BeautifulSoup
from conftest import SITES, run_build
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import render
from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics
from site_builder.pages import Html

CONTENT = SITES / "hostile" / "content"
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.I)
URL_ATTRS = ("href", "src", "action", "formaction", "srcset", "xlink:href", "poster", "data")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    output = tmp_path_factory.mktemp("hostile") / "output"
    result = run_build(CONTENT, output)
    assert not result.diags.errors
    return output


def html_pages(out):
    return sorted(out.rglob("*.html"))


def test_the_hostile_site_builds_every_page(out):
    assert len(html_pages(out)) >= 15
    assert (out / "people/evil/index.html").is_file()


OUR_SCRIPTS = ("/evil/static/search.js",)


def test_no_page_has_a_script_element_event_handler_or_unsafe_url(out):
    for path in html_pages(out):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.find(["iframe", "object", "embed", "foreignobject"]) is None, path
        assert all(svg.get("class") == ["network"] for svg in soup.find_all("svg")), path  # only our own picture
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)  # data, not code, and it stayed well-formed
                assert "<" not in script.string, path
            else:
                assert script.get("src") in OUR_SCRIPTS and not script.string, path
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), f"{path}: <{element.name} {name}>"
                if name.lower() in URL_ATTRS:
                    assert not UNSAFE_URL.match(str(value)), f"{path}: {name}={value}"


def test_hostile_text_is_shown_as_text(out):
    soup = BeautifulSoup((out / "articles/attack/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.text == "<script>alert('title')</script> & </title><script>x</script>"
    assert "<script>alert('raw')</script>" in soup.select_one(".body").text
    assert "click" in soup.select_one(".body").text


def test_files_stay_inside_the_output_folder(out):
    assert not (out.parent / "etc").exists()
    assert {p.name for p in (out / "tags").iterdir()} >= {"etc-passwd", "javascript-alert-1"}


def test_json_and_feeds_stay_well_formed_and_inert(out):
    for path in out.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        json.loads(text)
        assert "<" not in text, path
    ET.parse(out / "feed.xml")
    ET.parse(out / "sitemap.xml")



ENV = render.make_environment(load_config(CONTENT, Diagnostics()))


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(),
                       st.text().map(markupsafe.Markup), st.text().map(Html)))
def test_templates_escape_every_value_as_markupsafe_does(value):
    template = ENV.from_string("<p>{{ v }}</p>")
    assert template.root_render_func.__globals__["escape"] is render._escape  # the fast one is in use
    assert render._escape(value) == str(markupsafe.escape(value))
    assert template.render(v=value) == f"<p>{markupsafe.escape(value)}</p>"
