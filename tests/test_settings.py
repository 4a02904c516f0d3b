"""site.yaml checked: every mistake in a setting is a message at its line."""

import subprocess
import sys

import pytest
from conftest import ROOT, article, make_site

from site_builder.config import load_config, normalise_base_url
from site_builder.diagnostics import Diagnostics


def problems(tmp_path, site_yaml, **overrides):
    content = make_site(tmp_path, {"content/site.yaml": site_yaml, "content/articles/a.md": article()})
    diags = Diagnostics()
    config = load_config(content, diags, **overrides)
    return config, [str(d).removeprefix(f"{content}/") for d in diags.sorted()]


@pytest.mark.parametrize("value, said", [
    ("example.org/repo", 'base_url: "example.org/repo" has no scheme; write it as https://example.org/repo/'),
    ("ftp://example.org/", 'base_url: "ftp://example.org/" must be an http or https URL'),
    ("https:///repo/", 'base_url: "https:///repo/" has no host'),
    ("'\"https://x.org/\"'", 'base_url: "https://x.org/" has quotes in it'),
    ("https://x.org/my repo/", 'base_url: "https://x.org/my repo/" contains a space'),
    ("https://x.org/<script>/", "contains < or >"),
    ("https://x.org/a{b}/", 'contains "{", which a URL cannot hold'),
    ("https://x.org/?page=1", "has no ? or # part"),
    ("https://x.org:99999/", "the port after the host must be a number"),
    ("https://me@x.org/", "no user name or password"),
    ("https://ex_ample.org/", '"ex_ample.org" is not a host name'),
])
def test_a_bad_base_url_is_an_error_at_its_line(tmp_path, value, said):
    config, found = problems(tmp_path, f"title: T\n\nbase_url: {value}\n")
    [error] = found
    assert error.startswith("site.yaml:3: base_url") and said in error, error
    assert config.base_url is None


@pytest.mark.parametrize("value, url", [("https://o.github.io/repo", "https://o.github.io/repo/"),
                                        ("HTTP://Example.ORG", "http://example.org/"),
                                        ("http://127.0.0.1:8000/a%20b/", "http://127.0.0.1:8000/a%20b/"),
                                        ("http://[::1]:8000/", "http://[::1]:8000/")])
def test_a_good_base_url_is_taken_in_one_form(value, url):
    assert normalise_base_url(value) == url


def test_a_bad_base_url_flag_is_named_as_the_flag(tmp_path):
    _, found = problems(tmp_path, "title: T\n", base_url="example.org")
    assert found == ['--base-url:1: base_url: "example.org" has no scheme; write it as https://example.org/']


def test_cname_and_base_url_that_disagree_are_a_warning_naming_both(tmp_path):
    config, found = problems(tmp_path, "base_url: https://me.github.io/padrino/\ncname: dossiers.example.org\n")
    [warning] = found
    assert warning.startswith("site.yaml:2: warning: cname: \"dossiers.example.org\" but base_url is "
                              '"https://me.github.io/padrino/"')
    assert "set base_url: https://dossiers.example.org/" in warning
    assert config.cname == "dossiers.example.org"
    _, found = problems(tmp_path, "base_url: https://dossiers.example.org/\ncname: dossiers.example.org\n")
    assert found == []


def test_a_cname_that_is_a_url_is_an_error(tmp_path):
    _, found = problems(tmp_path, "cname: https://dossiers.example.org/\n")
    assert found == ['site.yaml:1: cname: "https://dossiers.example.org/" must be a host name alone, such as '
                     "dossiers.example.org (no https:// and no path)"]


@pytest.mark.parametrize("key, hint", [("titel", 'did you mean "title"?'), ("Base_URL", 'did you mean "base_url"?'),
                                       ("xyz", 'the nearest is "')])
def test_an_unknown_setting_names_the_nearest(tmp_path, key, hint):
    _, found = problems(tmp_path, f"title: T\n{key}: x\n")
    [warning] = found
    assert warning.startswith(f"site.yaml:2: warning: {key}: unknown setting, ignored; {hint}"), warning


def test_a_bad_base_url_on_the_command_line_is_wrong_usage(tmp_path):
    content = make_site(tmp_path, {"content/articles/a.md": article()})
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--output",
                           str(tmp_path / "out"), "--base-url", "owner.github.io/repo"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and not (tmp_path / "out").exists()
    assert proc.stderr == '--base-url "owner.github.io/repo" has no scheme; write it as https://owner.github.io/repo/\n'
