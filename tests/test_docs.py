"""docs/content-format.md is the writer's reference: every key the builder accepts is in it."""

import re

import pytest
from conftest import ROOT

from site_builder import config, load

REFERENCE = (ROOT / "docs/content-format.md").read_text(encoding="utf-8")
# Every tuple of keys the loader checks front matter against (ARTICLE_KEYS, EVENT_KEYS, ...): a key
# added to any of them, or a new tuple, is checked here without editing this test.
FRONT_MATTER = sorted({(name, key) for name, keys in vars(load).items() if name.endswith("_KEYS")
                       for key in keys})


def documented(key: str) -> bool:
    """Named as `key` in the text, or written as 'key:' in an example."""
    return f"`{key}`" in REFERENCE or re.search(rf"^\s*(- )?{re.escape(key)}:", REFERENCE, re.M) is not None


@pytest.mark.parametrize("where, key", FRONT_MATTER)
def test_every_front_matter_key_is_in_the_reference(where, key):
    assert documented(key), f"{where} accepts {key!r} but docs/content-format.md does not describe it"


@pytest.mark.parametrize("key", config.SITE_KEYS)
def test_every_setting_is_in_the_reference(key):
    assert f"| `{key}` |" in REFERENCE, f"site.yaml accepts {key!r}; add a row for it to the settings table"


def _commands() -> dict:
    from site_builder.cli import make_parser
    parser = make_parser()
    return next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001


COMMANDS = _commands()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_its_kinds_and_its_options_are_in_the_reference(command):
    """Each command as `python build.py COMMAND`, each of its kinds (`new site`, `export ftm`) as
    `python build.py COMMAND KIND`, each of its options as `--option`."""
    missing = [] if command == "build" or f"python build.py {command}" in REFERENCE else [command]
    for action in COMMANDS[command]._actions:  # noqa: SLF001
        if not action.option_strings:
            missing += [f"{command} {kind}" for kind in action.choices or ()
                        if f"python build.py {command} {kind}" not in REFERENCE]
        missing += [flag for flag in action.option_strings
                    if flag.startswith("--") and flag != "--help" and f"`{flag}" not in REFERENCE]
    assert not missing, f"python build.py {command}: not in docs/content-format.md: {missing}"


def test_every_command_the_cli_runs_has_a_parser():
    from site_builder.cli import COMMANDS as RUN
    assert set(RUN) <= set(COMMANDS)


def test_the_readme_links_the_reference_and_not_the_spec_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/content-format.md)" in readme
    assert "shared/spec" not in readme
