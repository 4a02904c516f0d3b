"""`new article|person|organisation|story`: a new content file with the contract's front matter;
`new site DIR`: a whole site folder to start from."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import yaml_string
from .slugs import slugify, unslug

FOLDERS = {"article": "articles", "person": "people", "organisation": "organisations", "story": "stories"}
# The starter bodies `new` writes: left unchanged, each is a warning (load.py)
BODIES = {"article": "Write the article here. Link people with [[Full Name]].", "person": "A short biography.",
          "organisation": "What this organisation is and does.", "story": "What this story is about."}


def template_for(kind: str, name: str, today: dt.date) -> str:
    """The front matter and a starter body for a new file of this kind."""
    quoted = yaml_string(name)
    if kind == "article":
        return (f"---\ntitle: {quoted}\ndate: {today.isoformat()}\nsource: \nsource_url: \n"
                "draft: true\ntags: []\npeople:\n  # - Full Name\n  # - name: Full Name\n"
                "  #   role: what this article says they are\norganisations: []\nevents:\n"
                f"  # - date: {today.isoformat()}\n  #   text: What happened, in one sentence.\n"
                f"  #   people: [Full Name]\n---\n\n{BODIES['article']}\n")
    if kind == "person":
        return (f"---\nname: {quoted}\naliases: []\nborn: \nnationality: \nroles:\n"
                "  # - title: Position held\n  #   organisation: Organisation name\n"
                "  #   from: 2012-12\n  #   to: 2018-11\nlinks: []\nrelations:\n  # - type: associate\n"
                "  #   with: Full Name\n  #   role: what this person is to them\n  #   source: https://...\n"
                f"---\n\n{BODIES['person']}\n")
    if kind == "organisation":
        return (f"---\nname: {quoted}\naliases: []\nkind: \ncountry: \nparent: \nfounded: \n"
                f"links: []\n---\n\n{BODIES['organisation']}\n")
    return f"---\ntitle: {quoted}\nsummary: \n---\n\n{BODIES['story']}\n"


def is_placeholder(body: str) -> bool:
    """True when a file's body is still the starter text `new` wrote. (By its first word first:
    every body is asked, and splitting all of a long one was a hundredth of a big build.)"""
    first = body.split(None, 1)
    if first and first[0] not in _FIRST_WORDS:
        return False
    return " ".join(body.split()) in _PLACEHOLDERS


_PLACEHOLDERS = frozenset(BODIES.values())
_FIRST_WORDS = frozenset(text.split(None, 1)[0] for text in _PLACEHOLDERS if text.strip())


def new_file(content_dir: Path, kind: str, name: str, today: dt.date | None = None) -> Path:
    """Write the new file and return its path; FileExistsError if it is there already."""
    today = today or dt.date.today()
    slug = slugify(name)
    if not slug:
        raise ValueError(f'"{name}" has no letters or digits to make a file name from')
    stem = f"{today.isoformat()}-{slug}" if kind == "article" else slug
    path = content_dir / FOLDERS[kind] / f"{stem}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(template_for(kind, name, today))
    return path


STARTER = Path(__file__).resolve().parent / "starter"
BUILDER = Path(__file__).resolve().parent.parent
PLACEHOLDER_REPOSITORY = "your-account/site-builder"
_GITHUB_REMOTE = re.compile(r"github\.com[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


@dataclass
class NewSite:
    folder: Path
    files: list[Path]
    builder_repository: str | None  # None: not found; the workflows name a placeholder to edit


def new_site(folder: Path, builder_repository: str | None = None, ref: str = "main") -> NewSite:
    """A site folder to start from: content/ with site.yaml (every setting explained) and one
    example of each kind, a .gitignore, and the pull-request and Pages workflows, which check out
    the builder from GitHub (by default the repository this builder was cloned from).
    FileExistsError when the folder exists and is not empty."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FileExistsError(17, "already exists and is not empty", str(folder))
    builder_repository = builder_repository or _builder_repository()
    slug = slugify(folder.resolve().name) or "dossiers"
    values = {"@BUILDER_REPOSITORY@": builder_repository or PLACEHOLDER_REPOSITORY, "@BUILDER_REF@": ref,
              "@SLUG@": slug, "@TITLE@": yaml_string(unslug(slug))}
    targets = {path: path.relative_to(STARTER) for path in sorted(STARTER.rglob("*")) if path.is_file()}
    renamed = {Path("gitignore"): Path(".gitignore")}
    written = []
    for source, rel in targets.items():
        rel = renamed.get(rel, Path(".github", rel) if rel.parts[0] == "workflows" else rel)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return NewSite(folder, written, builder_repository)


def _builder_repository() -> str | None:
    """OWNER/REPO of the GitHub repository this builder was cloned from, if it was."""
    try:
        url = subprocess.run(["git", "-C", str(BUILDER), "remote", "get-url", "origin"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    match = _GITHUB_REMOTE.search(url)
    return match.group(1) if match else None
