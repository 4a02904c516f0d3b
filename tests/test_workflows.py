"""The GitHub workflows (pull-request check, Pages with a warm cache) and `new site DIR`."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import SITES, age_everything, parse, run_build, skip_or_fail

from site_builder.config import SITE_KEYS

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def validate_workflows(*paths: Path) -> None:
    """Against the GitHub workflow schema that check-jsonschema ships (no network needed)."""
    exe = shutil.which("check-jsonschema")
    if not exe:
        skip_or_fail("check-jsonschema is not installed (pip install -r requirements-test.txt)")
    proc = subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def steps_of(workflow: Path) -> list[dict]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def check_the_check_workflow(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert "pull_request" in data[True]  # YAML reads the key `on` as true
    runs = [s.get("run", "") for s in steps_of(workflow)]
    assert any("pip install -r" in r and "requirements.txt" in r for r in runs)
    assert any("build.py check --strict --format github" in r for r in runs)


def check_the_pages_cache(workflow: Path) -> None:
    steps = steps_of(workflow)
    [cache] = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert set(cache["with"]["path"].split()) == {".cache/site-builder", "output"}
    key, [prefix] = cache["with"]["key"], cache["with"]["restore-keys"].split()
    assert "${{ github.sha }}" in key and key.startswith(prefix) and "${{" not in prefix
    build = next(i for i, s in enumerate(steps) if "build.py" in s.get("run", ""))
    assert steps.index(cache) < build  # restored before the build; actions/cache saves after the job


def test_the_repository_workflows_are_valid():
    check, pages = ROOT / ".github/workflows/check.yml", ROOT / ".github/workflows/pages.yml"
    validate_workflows(check, pages)
    check_the_check_workflow(check)
    check_the_pages_cache(pages)


def test_a_fresh_checkout_with_the_restored_cache_renders_nothing(tmp_path):
    """What the Pages workflow relies on: a checkout gives every file a new time, yet with the
    cache and output of the last build restored nothing is parsed into new pages or written."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "basic", site)
    age_everything(site)
    cold = run_build(site / "content", site / "output", use_cache=True)
    assert not cold.diags.errors and cold.rendered
    before = {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    shutil.rmtree(site / "content")
    shutil.copytree(SITES / "basic" / "content", site / "content", copy_function=shutil.copy)  # new times
    later = time.time() + 10
    for path in (site / "content").rglob("*"):
        os.utime(path, (later, later))
    warm = run_build(site / "content", site / "output", use_cache=True)
    assert not warm.diags.errors
    assert warm.rendered == [] and warm.remade == [] and not warm.reindexed
    assert {p: p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()} == before


@pytest.fixture(scope="module")
def new(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new") / "my-dossier"
    proc = run("new", "site", folder, "--builder", "newsroom/site-builder")
    assert proc.returncode == 0, proc.stderr
    return folder, proc


def test_new_site_makes_every_file_a_site_starts_with(new):
    folder, proc = new
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert files == {
        "content/site.yaml", "content/articles/2024-03-05-port-authority-awards-harbour-contract.md",
        "content/people/jane-example.md", "content/organisations/example-port-authority.md",
        "content/stories/harbour-contract.md", ".gitignore", ".github/workflows/check.yml",
        ".github/workflows/pages.yml"}
    assert {"output/", ".cache/"} <= set((folder / ".gitignore").read_text().split())
    settings = (folder / "content/site.yaml").read_text()
    for key in SITE_KEYS:  # every setting is there, set or commented out, with what it does
        assert f"\n{key}:" in settings or f"\n# {key}:" in settings, key
    assert yaml.safe_load(settings)["title"] == "My Dossier" and "/my-dossier/" in settings
    assert not any(re.search("@[A-Z_]+@", p.read_text()) for p in folder.rglob("*") if p.is_file())
    assert "note:" not in proc.stderr and "--content" in proc.stderr


def test_the_new_site_workflows_are_valid_and_fetch_the_builder(new):
    folder, _ = new
    check, pages = folder / ".github/workflows/check.yml", folder / ".github/workflows/pages.yml"
    validate_workflows(check, pages)
    check_the_check_workflow(check)
    check_the_pages_cache(pages)
    for workflow in (check, pages):
        assert yaml.safe_load(workflow.read_text())["env"]["SITE_BUILDER_REPOSITORY"] == "newsroom/site-builder"
        runs = [s.get("run", "") for s in steps_of(workflow) if "build.py" in s.get("run", "")]
        assert runs and all(".site-builder/build.py" in r and "--content content" in r for r in runs)


def test_the_new_site_builds_and_checks_with_no_problem(new, tmp_path):
    folder, _ = new
    proc = run("check", "--strict", "--content", folder / "content")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out = tmp_path / "out"
    proc = run("--strict", "--content", folder / "content", "--output", out)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    article = parse(out, "/articles/port-authority-awards-harbour-contract/")
    assert article.find("h1").get_text(strip=True) == "Port authority awards the harbour contract to a newcomer"
    dossier = parse(out, "/people/jane-example/")
    assert "Director" in dossier.find(id="roles").get_text()
    assert len(dossier.find(id="timeline").find_all("li")) >= 1
    assert parse(out, "/stories/harbour-contract/").find(id="articles").find("a")


def test_new_site_never_writes_into_a_folder_in_use(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used/notes.txt").write_text("mine")
    proc = run("new", "site", tmp_path / "used")
    assert proc.returncode == 1 and "already exists" in proc.stderr and "Traceback" not in proc.stderr
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("new", "site", empty)
    assert proc.returncode == 0 and (empty / "content/site.yaml").is_file()
    assert "note: the workflows check out the builder from your-account/site-builder" in proc.stderr
