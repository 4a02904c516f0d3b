import pytest
from bs4 import BeautifulSoup

from site_builder.markdown import fill, render, scheme_allowed


def html_of(text, allow_html=False):
    rendered = render(text, allow_html)
    links = [f'<a href="/x/{i}">{w.label}</a>' for i, w in enumerate(rendered.wikilinks)]
    return BeautifulSoup(fill(rendered.html, links, "/root/"), "html.parser"), rendered


def test_tables_and_footnotes():
    soup, _ = html_of("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^n].\n\n[^n]: A note.\n")
    assert [td.text for td in soup.select("td")] == ["1", "2"]
    assert soup.select_one("section.footnotes li").text.startswith("A note.")


def test_wikilinks_keep_label_kind_and_body_line():
    _, rendered = html_of("Intro\n\nSee [[Ana López]] and\n[[ao|the agency]] and [[organisation:AO]].\n")
    assert [(w.target, w.label, w.kind, w.line) for w in rendered.wikilinks] == [
        ("Ana López", "Ana López", None, 2), ("ao", "the agency", None, 3), ("AO", "AO", "organisation", 3)]


def test_wikilinks_in_code_are_not_links():
    _, rendered = html_of("`[[Not a link]]`\n\n    [[Nor this]]\n")
    assert rendered.wikilinks == ()


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)",
                                  "data:text/html,x", "vbscript:x", " javascript:x", "file:///etc/passwd"])
def test_unsafe_link_schemes_are_dropped_keeping_the_text(href):
    soup, _ = html_of(f"[click here](<{href}>) and <{href}>")
    assert soup.find("a") is None
    assert "click here" in soup.text


@pytest.mark.parametrize("href", ["https://a.org/x", "http://a.org", "mailto:a@b.org", "../x/", "#notes", "x:y/z"])
def test_safe_schemes_and_relative_links_are_kept(href):
    assert scheme_allowed(href) == (href != "x:y/z")


def test_root_relative_links_move_under_the_base_path():
    soup, _ = html_of("[people](/people/)")
    assert soup.find("a")["href"] == "/root/people/"


def test_raw_html_is_shown_as_text_unless_allowed():
    soup, _ = html_of('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert soup.find("script") is None and soup.find("img") is None
    assert "<script>" in soup.text
    allowed, _ = html_of("<aside>kept</aside>", allow_html=True)
    assert allowed.find("aside").text == "kept"


def test_unsafe_images_become_their_alt_text():
    soup, _ = html_of("![a picture](javascript:alert(1)) ![ok](https://a.org/i.png)")
    assert [img["src"] for img in soup.find_all("img")] == ["https://a.org/i.png"]
    assert "a picture" in soup.text


def test_first_paragraph_is_plain_text_for_summaries():
    _, rendered = html_of("# Heading\n\nThe *first* [[ana|Ana]] said `x`.\n\nSecond.\n")
    assert rendered.first_paragraph == "The first Ana said x."


def test_placeholder_characters_in_content_cannot_forge_links():
    soup, rendered = html_of("\ue0000\ue001 [[A]]")
    assert len(soup.find_all("a")) == 1


@pytest.mark.parametrize(("href", "image", "names"), [
    ("memo.pdf", False, True), ("../x/ruling.md#p2", False, True), ("/files/a.csv?x=1", False, True),
    ("/people/ana/", False, False), ("../other/", False, False), ("https://x.org/a.pdf", False, False),
    ("mailto:a@b.c", False, False), ("#notes", False, False), ("//cdn.example/a.png", True, False),
    ("photo", True, True), ("javascript:x.pdf", False, False), (".htaccess", False, False)])
def test_which_links_name_a_content_file(href, image, names):
    from site_builder.markdown import names_file

    assert names_file(href, image) == names


def test_links_and_pictures_naming_files_keep_their_line_and_become_placeholders():
    from site_builder.markdown import FileLink, file_html

    rendered = render("Intro\n\nSee ![The *plane*](a.jpg \"Title\") and\n[the memo](memo.pdf), [a page](/x/)\n"
                      "and ![](https://x.org/y.png).\n")
    assert rendered.files == (FileLink("a.jpg", 2, True, "The plane", "Title"), FileLink("memo.pdf", 3, False))
    assert rendered.no_alt == (4,)
    shown = [file_html(rendered.files[0], "/root/a.jpg", (4, 3)), file_html(rendered.files[1], "/root/m&.pdf", None)]
    soup = BeautifulSoup(fill(rendered.html, [], "/root/", shown), "html.parser")
    first, second = soup.find_all("img")
    assert (first["src"], first["alt"], first["title"], first["width"], first["height"], first["loading"]) == (
        "/root/a.jpg", "The plane", "Title", "4", "3", "lazy")
    assert second["src"] == "https://x.org/y.png" and second["loading"] == "lazy"
    assert [a["href"] for a in soup.find_all("a")] == ["/root/m&.pdf", "/root/x/"]
