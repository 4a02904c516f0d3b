"""Publishing: the Pages workflow, `deploy` to a gh-pages branch, feeds, discovery and structured data."""

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SITES, article, make_site, parse, run_build, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/sub/path/"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    output = tmp_path_factory.mktemp("publish") / "output"
    assert not run_build(SITES / "basic" / "content", output).diags.errors
    return output


def jsonld(soup):
    [script] = soup.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_the_pages_workflow_is_valid_and_feeds_base_url_to_the_build():
    workflow = ROOT / ".github/workflows/pages.yml"
    exe = shutil.which("check-jsonschema")
    if not exe:
        skip_or_fail("check-jsonschema is not installed (pip install -r requirements-test.txt)")
    proc = subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(workflow)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    steps = [s for job in yaml.safe_load(workflow.read_text())["jobs"].values() for s in job["steps"]]
    uses = {s["uses"].split("@")[0]: s["uses"].split("@")[1] for s in steps if "uses" in s}
    assert uses["actions/configure-pages"] == "v6" and uses["actions/upload-pages-artifact"] == "v5"
    assert uses["actions/deploy-pages"] == "v5"
    build = next(s["run"] for s in steps if "build.py" in s.get("run", ""))
    assert "--base-url" in build and "steps.pages.outputs.base_url" in build


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_deploy_pushes_the_built_site_to_gh_pages(tmp_path):
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    settings = "base_url: https://o.github.io/repo\ncname: dossiers.example.org\n"
    make_site(tmp_path / "site", {"content/site.yaml": settings, "content/articles/a.md": article(title="Deployed")})
    repo = tmp_path / "site"
    git("init", "-q", "-b", "main", cwd=repo)
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "start", cwd=repo)
    git("remote", "add", "origin", str(remote), cwd=repo)
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin:/usr/local/bin"}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "deploy", "--no-search"], cwd=repo,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert {"index.html", ".nojekyll", "CNAME", "articles/a/index.html"} <= set(files)
    assert git("show", "gh-pages:CNAME", cwd=remote).strip() == "dossiers.example.org"
    assert 'href="/repo/articles/a/"' in git("show", "gh-pages:index.html", cwd=remote)


def test_deploy_outside_a_repository_says_what_to_do(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "deploy", "--no-search", "--content",
                           str(content), "--output", str(tmp_path / "out")], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 2 and "git init" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()  # said before building


def test_every_dossier_and_story_has_a_valid_atom_feed(out):
    for url in ["/feed.xml", "/people/ana-lopez/feed.xml", "/organisations/agency-one/feed.xml",
                "/stories/the-case/feed.xml"]:
        feed = ET.parse(out / url.lstrip("/")).getroot()
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id").startswith(BASE)
        for entry in feed.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}link").get("href").startswith(BASE)
            assert entry.findtext(f"{ATOM}updated")
    story = ET.parse(out / "stories/the-case/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in story.findall(f"{ATOM}entry")] == ["Second article", "First article"]
    soup = parse(out, "/people/ana-lopez/")
    assert soup.find("link", rel="alternate", href="/sub/path/people/ana-lopez/feed.xml")


def test_every_page_has_canonical_open_graph_twitter_and_json_ld(out):
    for path in out.rglob("*.html"):
        if path.name == "404.html":
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical.startswith(BASE), path
        assert soup.find("meta", property="og:url")["content"] == canonical
        assert soup.find("meta", property="og:title")["content"]
        assert soup.find("meta", attrs={"name": "twitter:card"})
        assert jsonld(soup)["@context"] == "https://schema.org"


def test_news_article_points_to_people_and_organisations(out):
    data = jsonld(parse(out, "/articles/first/"))
    assert data["@type"] == "NewsArticle" and data["headline"] == "First article"
    assert data["datePublished"] == "2020-01-10T00:00:00+00:00"
    about = {(n["@type"], n["name"]) for n in data["about"]}
    assert about == {("Person", "Ana María López"), ("Person", "Daniel Millán"), ("Organization", "Agency One")}
    assert {n["name"] for n in data["mentions"]} == {"Bruno Díaz"}
    assert data["about"][0]["@id"].startswith(BASE) and data["isBasedOn"] == "https://example.com/first"


def test_person_has_alternate_names_birth_date_and_roles(out):
    data = jsonld(parse(out, "/people/ana-lopez/"))
    assert data["@type"] == "Person" and data["alternateName"] == ["Ana Lopez"] and data["birthDate"] == "1960-02"
    [role] = data["memberOf"]
    assert role == {"@type": "Role", "roleName": "Director", "startDate": "2010", "endDate": "2015-06",
                    "memberOf": {"@type": "Organization", "@id": BASE + "organisations/agency-one/#id",
                                 "name": "Agency One", "url": BASE + "organisations/agency-one/"}}


def test_organisation_has_its_parent(out):
    data = jsonld(parse(out, "/organisations/sub-agency/"))
    assert data["@type"] == "Organization" and data["parentOrganization"]["name"] == "Agency One"
    assert jsonld(parse(out, "/organisations/agency-one/"))["subOrganization"][0]["name"] == "Sub Agency"


def test_sitemap_robots_and_a_404_that_works_at_any_address(out):
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap]
    pages = {"/" + p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("*.html")
             if p.name != "404.html"}
    assert {u.removeprefix(BASE[:-1]) for u in locs} == {u.replace("//", "/") for u in pages}
    assert f"Sitemap: {BASE}sitemap.xml" in (out / "robots.txt").read_text()
    links = [a["href"] for a in parse(out, "/404.html").find_all(["a", "link"]) if a["href"] != "#content"]
    # Root-relative under the base path: right at any depth, on the published host and in the preview alike
    assert links and all(h.startswith("/sub/path/") for h in links)
