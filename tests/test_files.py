"""Files beside the text: published, linked relative to their file, pictures sized and safe."""

import io
import json
import os
import re

import pytest
from bs4 import BeautifulSoup
from conftest import article, make_site, parse, run_build
from PIL import ExifTags, Image
from test_pictures import gps_exif, photo, pixels

from site_builder.cli import main

BASE = "https://example.org/dossiers/"
PREFIX = "/dossiers/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n% the word zanzibarite is in this file only\n%%EOF\n"


def jpeg_with_gps(width=48, height=32, orientation=None) -> bytes:
    stream = io.BytesIO()
    photo(width, height).save(stream, "JPEG", quality=92, exif=gps_exif(orientation))
    return stream.getvalue()


def png_bytes(width=20, height=10) -> bytes:
    stream = io.BytesIO()
    photo(width, height).save(stream, "PNG", exif=gps_exif())
    return stream.getvalue()


INDICTMENT = article(
    "Indictment unsealed", "2019-08-14",
    body="A photo: ![Cienfuegos at the airport](airport.jpg)\n\n"
         "Read [the indictment](indictment.pdf#page=2), [the memo](../../files/memo.pdf),\n"
         "[the ruling](/articles/2020-11-18-ruling.md) and [a root file](/files/memo.pdf).\n",
    image="airport.jpg", image_alt="The airport", image_credit="Self-made",
    people="[Salvador Cienfuegos]",
    documents="\n  - file: indictment.pdf\n    title: Indictment, EDNY\n    date: 2019-08-14"
              "\n  - url: https://www.justice.gov/ruling.pdf\n    title: The ruling\n    date: 2020-11",
    events="\n  - date: 2019-08-14\n    text: A grand jury indicts him.\n    people: [Salvador Cienfuegos]"
           "\n    source: indictment.pdf")
RULING = article("Judge dismisses the case", "2020-11-18", people="[Salvador Cienfuegos]",
                 documents="\n  - file: /files/memo.pdf\n    title: A memo\n    date: 2019-01",
                 body="Back to [the indictment](2019-08-14-indictment-unsealed/index.md).\n")
NOTES = ("---\nname: Salvador Cienfuegos\nimage: portrait.png\nimage_credit: SEDENA\n---\n"
         "Notes with a portrait: ![Portrait](portrait.png)\n")


def site_files() -> dict:
    return {
        "content/site.yaml": f"title: Files\nbase_url: {BASE}\n",
        "content/articles/2019-08-14-indictment-unsealed/index.md": INDICTMENT,
        "content/articles/2019-08-14-indictment-unsealed/airport.jpg": jpeg_with_gps(),
        "content/articles/2019-08-14-indictment-unsealed/indictment.pdf": PDF,
        "content/articles/2020-11-18-ruling.md": RULING,
        "content/people/salvador-cienfuegos/index.md": NOTES,
        "content/people/salvador-cienfuegos/portrait.png": png_bytes(),
        "content/files/memo.pdf": PDF + b"memo",
        "content/files/data/table.csv": "a,b\n1,2\n",
        "content/files/.hidden.pdf": b"secret",
        "content/files/memo.pdf~": b"backup",
        "content/files/.memo.pdf.swp": b"swap",
        "content/files/notes.txt.swp": b"swap",
        "content/articles/draft-folder/index.md": article("A draft", draft="true", image="secret.jpg",
                                                          image_alt="Secret"),
        "content/articles/draft-folder/secret.jpg": jpeg_with_gps(),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("files")
    content = make_site(root, site_files())
    result = run_build(content, root / "out")
    assert not result.diags.errors, [str(d) for d in result.diags.items]
    return content, root / "out", result


def files_in(folder):
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_loose_files_are_published_byte_for_byte_at_their_path(built):
    content, out, _ = built
    assert (out / "files/memo.pdf").read_bytes() == PDF + b"memo"
    assert (out / "files/data/table.csv").read_bytes() == b"a,b\n1,2\n"


def test_a_page_folder_is_the_page_and_publishes_its_files_under_its_url(built):
    _, out, _ = built
    assert parse(out, "/articles/indictment-unsealed/").h1.text == "Indictment unsealed"
    assert (out / "articles/indictment-unsealed/indictment.pdf").read_bytes() == PDF
    assert parse(out, "/people/salvador-cienfuegos/").h1.text == "Salvador Cienfuegos"
    assert (out / "people/salvador-cienfuegos/portrait.png").is_file()
    assert not (out / "articles/2019-08-14-indictment-unsealed").exists()


def test_hidden_files_editor_leftovers_and_a_drafts_folder_are_never_published(built):
    _, out, _ = built
    published = files_in(out)
    assert not [f for f in published if "hidden" in f or f.endswith(("~", ".swp")) or "secret" in f]
    assert not (out / "articles/draft-folder").exists()


def test_a_drafts_folder_is_published_with_drafts(tmp_path):
    content = make_site(tmp_path, site_files())
    assert not run_build(content, tmp_path / "out", drafts=True).diags.errors
    assert (tmp_path / "out/articles/draft-folder/secret.jpg").is_file()


def test_links_and_pictures_resolve_relative_to_their_file_under_the_sub_path(built):
    _, out, _ = built
    page = parse(out, "/articles/indictment-unsealed/")
    hrefs = [a["href"] for a in page.select(".body a")]
    assert hrefs == ["/dossiers/articles/indictment-unsealed/indictment.pdf#page=2", "/dossiers/files/memo.pdf",
                     "/dossiers/articles/ruling/", "/dossiers/files/memo.pdf"]
    assert [img["src"] for img in page.select(".body img")] == ["/dossiers/articles/indictment-unsealed/airport.jpg"]
    assert parse(out, "/articles/ruling/").select_one(".body a")["href"] == "/dossiers/articles/indictment-unsealed/"


def test_every_emitted_url_of_every_page_exists_under_the_sub_path(built):
    _, out, _ = built
    for path in out.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for tag, attribute in (("a", "href"), ("img", "src"), ("link", "href")):
            for element in soup.find_all(tag):
                url = element.get(attribute, "")
                if url.startswith(BASE):
                    url = "/" + url[len("https://example.org/"):]
                if not url.startswith("/"):
                    continue
                assert url.startswith(PREFIX), (path, url)
                rel = url[len(PREFIX):].split("#")[0]
                assert (out / rel).is_file() or (out / rel / "index.html").is_file(), (path, url)
        for meta in soup.select('meta[property="og:image"]'):
            assert (out / meta["content"][len(BASE):]).is_file()


def test_every_content_picture_has_its_size_and_body_pictures_load_lazily(built):
    _, out, _ = built
    page = parse(out, "/articles/indictment-unsealed/")
    body = page.select_one(".body img")
    assert (body["width"], body["height"], body["loading"], body["alt"]) == ("48", "32", "lazy",
                                                                             "Cienfuegos at the airport")
    lead = page.select_one(".lead-picture img")
    assert (lead["width"], lead["height"], lead["alt"]) == ("48", "32", "The airport") and not lead.get("loading")
    assert page.select_one(".lead-picture figcaption").text == "Self-made"
    dossier = parse(out, "/people/salvador-cienfuegos/")
    card = dossier.select_one(".dossier-card img")
    assert (card["width"], card["height"], card["alt"]) == ("20", "10", "Salvador Cienfuegos")
    assert not card.get("loading") and dossier.select_one(".dossier-card figcaption").text == "SEDENA"
    assert dossier.select_one("#notes img")["loading"] == "lazy"


def test_published_pictures_have_no_gps_and_the_same_pixels(built):
    content, out, _ = built
    source = (content / "articles/2019-08-14-indictment-unsealed/airport.jpg").read_bytes()
    published = (out / "articles/indictment-unsealed/airport.jpg").read_bytes()
    with Image.open(io.BytesIO(published)) as image:
        assert dict(image.getexif()) == {} and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert pixels(published) == pixels(source)
    assert b"SN-123456" in source and b"SN-123456" not in published
    assert b"SN-123456" not in (out / "people/salvador-cienfuegos/portrait.png").read_bytes()


def test_keep_metadata_publishes_pictures_as_they_are(tmp_path):
    files = site_files()
    files["content/site.yaml"] += "keep_metadata: true\n"
    content = make_site(tmp_path, files)
    assert not run_build(content, tmp_path / "out").diags.errors
    assert (tmp_path / "out/articles/indictment-unsealed/airport.jpg").read_bytes() == \
        (content / "articles/2019-08-14-indictment-unsealed/airport.jpg").read_bytes()


def test_lead_and_dossier_pictures_are_og_image_and_json_ld_image(built):
    _, out, _ = built
    for url, picture in (("/articles/indictment-unsealed/", "articles/indictment-unsealed/airport.jpg"),
                         ("/people/salvador-cienfuegos/", "people/salvador-cienfuegos/portrait.png")):
        page = parse(out, url)
        assert page.select_one('meta[property="og:image"]')["content"] == BASE + picture
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        assert data["image"]["url"] == BASE + picture
    data = json.loads((out / "people/salvador-cienfuegos.json").read_text())
    assert data["image"] == {"url": BASE + "people/salvador-cienfuegos/portrait.png", "alt": "Salvador Cienfuegos",
                             "credit": "SEDENA", "width": 20, "height": 10}


def test_an_article_lists_its_documents_with_kind_size_and_date(built):
    _, out, _ = built
    items = parse(out, "/articles/indictment-unsealed/").select("#documents li")
    assert [li.a.text for li in items] == ["Indictment, EDNY", "The ruling"]
    assert items[0].a["href"] == "/dossiers/articles/indictment-unsealed/indictment.pdf"
    assert items[0].a["data-href"] == BASE + "articles/indictment-unsealed/indictment.pdf"  # printed
    assert "14 August 2019" in items[0].text and f"PDF, {len(PDF)} bytes" in items[0].text
    assert items[1].a["href"] == "https://www.justice.gov/ruling.pdf" and "November 2020" in items[1].text


def test_a_dossier_lists_the_documents_of_its_articles_newest_first_citing_each(built):
    _, out, _ = built
    items = parse(out, "/people/salvador-cienfuegos/").select("#documents li")
    assert [li.select_one(".document-title").text for li in items] == ["The ruling", "Indictment, EDNY", "A memo"]
    assert [li.select(".meta a")[0]["href"] for li in items] == [
        "/dossiers/articles/indictment-unsealed/", "/dossiers/articles/indictment-unsealed/",
        "/dossiers/articles/ruling/"]
    data = json.loads((out / "people/salvador-cienfuegos.json").read_text())
    assert [(d["title"], d["kind"], d["source"]["url"]) for d in data["documents"]] == [
        ("The ruling", "PDF", BASE + "articles/indictment-unsealed/"),
        ("Indictment, EDNY", "PDF", BASE + "articles/indictment-unsealed/"),
        ("A memo", "PDF", BASE + "articles/ruling/")]
    assert data["documents"][1]["size"] == len(PDF) and data["documents"][1]["date"] == "2019-08-14"


def test_a_timeline_entry_links_its_source_as_well_as_its_article(built):
    _, out, _ = built
    for url in ("/people/salvador-cienfuegos/", "/timeline/", "/articles/indictment-unsealed/"):
        links = parse(out, url).select(".event-source a")
        assert [a["href"] for a in links] == ["/dossiers/articles/indictment-unsealed/",
                                              "/dossiers/articles/indictment-unsealed/indictment.pdf"], url
    data = json.loads((out / "people/salvador-cienfuegos.json").read_text())
    assert data["timeline"][0]["document"] == BASE + "articles/indictment-unsealed/indictment.pdf"


def test_documents_print_with_their_url_like_sources():
    css = (os.path.dirname(__file__) + "/../templates/static/style.css")
    printing = open(css).read().split("@media print", 1)[1]
    assert 'a[data-href]::after { content: " <" attr(data-href) ">"' in printing


def test_search_does_not_index_what_is_in_files(built):
    _, out, _ = built
    index = "".join(p.read_text() for p in (out / "search").rglob("*.json"))
    assert "zanzibarite" not in index and "indictment" in index.lower()


def problems(tmp_path, files, *options):
    content = make_site(tmp_path, files)
    status = main(["build", "--content", str(content), "--output", str(tmp_path / "out"), *options])
    return status, content


def test_a_missing_file_is_an_error_at_its_line_naming_the_path_looked_for(tmp_path, capsys):
    files = site_files()
    files["content/articles/2020-11-18-ruling.md"] = article(
        "Ruling", "2020-11-18", image="missing.jpg", image_alt="x",
        body="Para.\n\nSee [the file](files/gone.pdf).\n")
    make_site(tmp_path, site_files())
    assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "out")]) == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    status, content = problems(tmp_path, files)
    err = capsys.readouterr().err
    shown = str(content / "articles")
    assert status == 1 and "Traceback" not in err
    assert f'{shown}/2020-11-18-ruling.md:4: image: "missing.jpg": there is no file {shown}/missing.jpg' in err
    assert f'{shown}/2020-11-18-ruling.md:9: "files/gone.pdf": there is no file {shown}/files/gone.pdf' in err
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before


def test_two_things_at_one_url_are_an_error_naming_both(tmp_path, capsys):
    files = site_files()
    files["content/articles/indictment-unsealed/indictment.pdf"] = b"another"  # a loose file at the same URL
    files["content/articles/2019-08-14-indictment-unsealed/index.html"] = "<p>hand-made</p>"  # the page's own file
    status, content = problems(tmp_path, files)
    err = capsys.readouterr().err
    folder = f"{content}/articles/2019-08-14-indictment-unsealed"
    assert status == 1
    assert (f"{content}/articles/indictment-unsealed/indictment.pdf:1: is published at "
            f"/articles/indictment-unsealed/indictment.pdf, where {folder}/indictment.pdf is published too") in err
    assert (f"{folder}/index.html:1: is published at /articles/indictment-unsealed/index.html, which is also "
            f"the page of {folder}/index.md") in err
    assert f"{folder}/index.md:1: its page /articles/indictment-unsealed/ is also where {folder}/index.html" in err


def test_a_picture_without_alt_text_and_a_file_over_50_mb_are_warnings(tmp_path, capsys):
    files = site_files()
    files["content/articles/2020-11-18-ruling.md"] = RULING + "\n![](/files/big.pdf)\n"
    content = make_site(tmp_path, files)
    with open(content / "files/big.pdf", "wb") as stream:  # sparse: 51 MB on paper, nothing on disk
        stream.truncate(51 * 1024 * 1024)
    result = run_build(content, tmp_path / "out")
    warnings = [str(d) for d in result.diags.warnings]
    assert not result.diags.errors
    assert f"{content}/articles/2020-11-18-ruling.md:13: warning: a picture without alt text" in "\n".join(warnings)
    assert any(w.startswith(f"{content}/files/big.pdf:1: warning: is 51 MB") for w in warnings)


def test_html_svg_and_javascript_files_are_published_with_a_warning_that_they_can_run_script(tmp_path):
    files = site_files()
    script = "<script>alert(document.cookie)</script>"
    files |= {"content/files/chart.svg": f'<svg xmlns="http://www.w3.org/2000/svg">{script}</svg>',
              "content/files/page.html": script, "content/files/app.js": "alert(1)\n",
              "content/files/data.csv": "a,b\n"}
    content = make_site(tmp_path, files)
    result = run_build(content, tmp_path / "out")
    assert not result.diags.errors
    warned = {str(d).split(":", 1)[0] for d in result.diags.warnings if "runs the script" in str(d)}
    assert warned == {f"{content}/files/{name}" for name in ("chart.svg", "page.html", "app.js")}
    for name in ("chart.svg", "page.html", "app.js"):  # still published, as the contract says
        assert (tmp_path / "out/files" / name).read_bytes() == (content / "files" / name).read_bytes()


def test_a_link_to_a_page_folder_of_a_draft_or_to_a_hidden_file_is_an_error(tmp_path, capsys):
    files = site_files()
    files["content/articles/2020-11-18-ruling.md"] = article(
        "Ruling", "2020-11-18", body="[a](draft-folder/secret.jpg) [b](/files/.hidden.pdf) [c](draft-folder/index.md)"
                                     " [d](../../outside.pdf)\n")
    status, content = problems(tmp_path, files)
    err = capsys.readouterr().err
    assert status == 1
    assert re.search(r"ruling\.md:5: \"draft-folder/secret\.jpg\": .* is in the folder of a draft", err)
    assert re.search(r"ruling\.md:5: \"/files/\.hidden\.pdf\": .* is a hidden file", err)
    assert re.search(r"ruling\.md:5: \"draft-folder/index\.md\" links to .*, a draft", err)
    assert re.search(r"ruling\.md:5: \"\.\./\.\./outside\.pdf\" leads outside the content folder", err)


def test_a_cached_build_rewrites_only_the_changed_file_and_the_pages_that_show_it(tmp_path):
    from conftest import age_everything

    content = make_site(tmp_path, site_files())
    age_everything(tmp_path)
    out = tmp_path / "out"
    assert not run_build(content, out, use_cache=True).diags.errors
    inodes = {rel: os.stat(out / rel).st_ino for rel in ("files/memo.pdf", "files/data/table.csv")}
    assert run_build(content, out, use_cache=True).unchanged
    (content / "articles/2019-08-14-indictment-unsealed/airport.jpg").write_bytes(jpeg_with_gps(60, 30))
    age_everything(tmp_path, seconds=1800)
    again = run_build(content, out, use_cache=True)
    assert sorted(again.rendered) == ["/articles/indictment-unsealed/"]  # its size is on that page only
    assert again.published == ["articles/indictment-unsealed/airport.jpg"]
    assert parse(out, "/articles/indictment-unsealed/").select_one(".lead-picture img")["width"] == "60"
    assert {rel: os.stat(out / rel).st_ino for rel in inodes} == inodes  # the other files were not written
    (content / "files/data/table.csv").unlink()
    age_everything(tmp_path, seconds=1700)
    gone = run_build(content, out, use_cache=True)
    assert gone.removed == ["files/data/table.csv"] and gone.rendered == [] and gone.published == []
    assert not (out / "files/data").exists()


def test_a_notes_file_and_a_notes_folder_for_one_dossier_are_an_error_in_each(tmp_path, capsys):
    files = site_files()
    files["content/people/salvador-cienfuegos.md"] = "---\nname: Salvador Cienfuegos Zepeda\n---\n"
    status, content = problems(tmp_path, files)
    err = capsys.readouterr().err
    folder, file = content / "people/salvador-cienfuegos/index.md", content / "people/salvador-cienfuegos.md"
    assert status == 1
    assert f"{file}:1: {folder} is a notes file of the same dossier; keep one of them" in err
    assert f"{folder}:1: {file} is a notes file of the same dossier; keep one of them" in err


def test_a_link_to_outside_the_content_folder_is_not_followed(tmp_path):
    (tmp_path / "secret.txt").write_text("not for publishing")
    content = make_site(tmp_path, site_files())
    (content / "files/leak.txt").symlink_to(tmp_path / "secret.txt")
    result = run_build(content, tmp_path / "out")
    assert not result.diags.errors
    assert f"{content}/files/leak.txt:1: warning: is a link to outside the content folder; it is not published" in [
        str(d) for d in result.diags.warnings]
    assert not (tmp_path / "out/files/leak.txt").exists()


def test_a_file_name_that_cannot_be_published_is_a_warning_not_a_crash(tmp_path):
    files = site_files()
    files["content/files/a\\b.pdf"] = PDF
    content = make_site(tmp_path, files)
    result = run_build(content, tmp_path / "out")
    assert not result.diags.errors and not (tmp_path / "out/files/a\\b.pdf").exists()
    assert any("a file name with a backslash is not published" in str(d) for d in result.diags.warnings)


def test_a_page_folder_made_draft_takes_its_files_away_as_a_cold_build_does(tmp_path):
    from conftest import age_everything, edit

    from site_builder.incremental import Incremental

    files = site_files()
    files["content/articles/2020-11-18-ruling.md"] = article("Ruling", "2020-11-18")  # links to nothing there
    content = make_site(tmp_path, files)
    age_everything(tmp_path)
    assert not run_build(content, tmp_path / "out", use_cache=True).diags.errors
    preview = Incremental(content, {"output_dir": tmp_path / "preview"})
    assert not preview.rebuild().failed
    edit(content / "articles/2019-08-14-indictment-unsealed/index.md", "title: Indictment unsealed",
         "title: Indictment unsealed\ndraft: true")
    age_everything(tmp_path, seconds=1800)
    cached, previewed = run_build(content, tmp_path / "out", use_cache=True), preview.rebuild()
    assert not cached.diags.errors and not previewed.failed
    assert "articles/indictment-unsealed/airport.jpg" in cached.removed
    cold = tmp_path / "cold"
    assert not run_build(content, cold).diags.errors
    assert not (cold / "articles/indictment-unsealed").exists()
    assert files_in(tmp_path / "out") == files_in(cold) == files_in(tmp_path / "preview")
    assert all((tmp_path / "out" / f).read_bytes() == (cold / f).read_bytes() == (tmp_path / "preview" / f).read_bytes()
               for f in files_in(cold))
