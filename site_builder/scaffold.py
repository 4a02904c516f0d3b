"""`new article|person|organisation|story`: a new content file with the contract's front matter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .frontmatter import yaml_string
from .slugs import slugify

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
    """True when a file's body is still the starter text `new` wrote."""
    return " ".join(body.split()) in _PLACEHOLDERS


_PLACEHOLDERS = frozenset(BODIES.values())


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
