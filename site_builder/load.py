"""content/ -> records and diagnostics. Never renders pages."""

from __future__ import annotations

import errno
import os
import re
import sys
import time
from dataclasses import dataclass

from . import frontmatter, i18n, markdown, parallel, scaffold
from .cache import file_digest, racy
from .config import SiteConfig
from .dates import DateError, parse_published
from .diagnostics import Diagnostics, SourcePos
from .fields import Reader, describe, read_documents, read_file_field, read_picture
from .files import LARGE, find_files, read_asset
from .model import FOLDERS, ORGANISATION, PERSON, Article, Asset, Body, Correction, Event, Note, Ref, Role, StoryNote
from .records import record
from .relations import read_relations
from .slugs import SLUG_RULE, is_slug, slugify

PICTURE_KEYS = ("image", "image_alt", "image_credit")
ARTICLE_KEYS = ("title", "date", "source", "source_url", "author", "summary", "story", "stories",
                "draft", "tags", "people", "organisations", "events", "links", *PICTURE_KEYS, "documents", "relations",
                "language", "updated", "corrections")
CORRECTION_KEYS = ("date", "text")
EVENT_KEYS = ("date", "text", "people", "organisations", "source")
REF_KEYS = ("name", "role")
PERSON_KEYS = ("name", "aliases", "born", "died", "nationality", "roles", "links", *PICTURE_KEYS, "relations")
ORGANISATION_KEYS = ("name", "aliases", "kind", "country", "parent", "founded", "dissolved", "links",
                     *PICTURE_KEYS, "relations")
ROLE_KEYS = ("title", "organisation", "from", "to")
STORY_KEYS = ("title", "summary")
DATE_PREFIX_RE = re.compile(r"\d{4}-\d{2}-\d{2}-")


@dataclass(frozen=True, slots=True)
class Content:
    articles: tuple[Article, ...]
    notes: tuple[Note, ...]
    stories: tuple[StoryNote, ...]
    sources: dict[str, bytes]  # rel path -> digest of the file's bytes, for every file read
    files: tuple[Asset, ...] = ()  # the files beside the text (files.py)


@record
class Entry:
    """What the cache keeps of one content file: its size and time, when they were taken, a digest
    of its bytes, its record (None if it has errors) and its diagnostics."""

    stat: tuple[int, int]  # (size, mtime in ns)
    seen: int  # when the stat was taken (ns): a file this recent may change again without a new time
    digest: bytes
    record: object
    diags: tuple

    def trusted(self, now: tuple[int, int]) -> bool:
        """Whether a file of this size and time is surely the one read: the same stat, and a time
        older than the snapshot that took it by more than a timestamp may lag (as git does for
        racily clean files). Otherwise the file is read and hashed; if its bytes are the same, it is
        unchanged."""
        return self.stat == now and not racy(now[1], self.seen)

    def touches(self, old: Entry) -> bool:
        """Whether this entry is `old` touched: the same bytes, record and diagnostics at another
        size or time (cache.Records keeps only the new stat of such a file)."""
        return self.digest == old.digest and self.record is old.record and self.diags is old.diags


FileCache = dict  # rel path -> Entry


def load_content(config: SiteConfig, diags: Diagnostics, cache: FileCache | None = None,
                 workers: int | None = None, stats: dict[str, list[int]] | None = None,
                 taken_ns: int | None = None) -> Content:
    """Every content file, read and checked; problems go to diags.

    With a cache (kept by the caller for one config), a file whose bytes have not
    changed is not parsed again: its record and its diagnostics are reused. Files
    to parse are shared between processes (parallel.split; workers=1: this one).
    `stats`, when the caller has just taken them (cache.input_stats, at taken_ns), save a stat per file."""
    cache = {} if cache is None else cache
    scan = _Scanner(config, diags)
    files = [(rel, _read_article, ()) for rel in scan("articles", recursive=True)]
    files += [(rel, _read_note, (kind,)) for kind in (PERSON, ORGANISATION)
              for rel in scan(FOLDERS[kind], folders=True)]
    files += [(rel, _read_story, ()) for rel in scan("stories")]
    _check_note_folders(config, files, diags)
    stat = _Stat(config, stats, taken_ns)
    _parse_stale(config, cache, files, workers, stat)
    sources: dict[str, bytes] = {}
    loaded = {reader: [] for _, reader, _ in files}
    for rel, reader, args in files:
        if record := _load_cached(config, diags, cache, sources, rel, reader, *args, stat=stat):
            loaded[reader].append(record)
    assets = _load_assets(config, diags, cache, sources, stat)
    for gone in set(cache) - {rel for rel, _, _ in files} - {ASSET + a.path for a in assets}:
        del cache[gone]
    return Content(tuple(loaded.get(_read_article, ())), tuple(loaded.get(_read_note, ())),
                   tuple(loaded.get(_read_story, ())), sources, assets)


ACTIVE = ("html", "htm", "svg", "js", "mjs")  # files a browser may run script from: a warning each
ASSET = "\0"  # a file beside the text is cached under this prefix: never taken for a Markdown file's entry


def _load_assets(config: SiteConfig, diags: Diagnostics, cache: FileCache, sources: dict, stat: _Stat) -> tuple:
    """The files beside the text, each read (and its picture's size taken) only when its size or time changed."""
    assets = []
    for rel in find_files(config, diags):
        try:
            now = stat(rel)
            hit = cache.get(ASSET + rel)
            if hit is None or not hit.trusted(now):
                with open(stat.root + rel, "rb") as stream:
                    raw = stream.read()
                digest = file_digest(raw)
                asset = hit.record if hit and hit.digest == digest else read_asset(config, rel, raw, digest)
                hit = Entry(now, stat.taken, digest, asset, ())
                cache[ASSET + rel] = hit
        except OSError as err:
            diags.error(SourcePos(config.display_path(rel)), f"cannot read the file: {err.strerror}")
            continue
        asset = hit.record
        if asset.size > LARGE:
            diags.warning(asset.src, f"is {asset.size / 1048576:.0f} MB; GitHub Pages refuses files over 100 MB "
                                     "and warns above 50 MB: publish it elsewhere and link to it with url:")
        if rel.rsplit(".", 1)[-1].lower() in ACTIVE:
            diags.warning(asset.src, "is published as it is, and a browser runs the script an HTML, SVG or "
                                     "JavaScript file can hold, on the site's own address; publish only such "
                                     "files you made or checked (an SVG picture can be a PNG instead)")
        sources[rel] = hit.digest
        assets.append(asset)
    return tuple(assets)


def _check_note_folders(config: SiteConfig, files: list, diags: Diagnostics) -> None:
    """people/x.md and people/x/index.md are two notes for one dossier: an error in each."""
    seen: dict[str, str] = {}
    for rel, reader, _ in files:
        if reader is _read_note:
            key = rel[:-9] if rel.endswith("/index.md") else rel[:-3]
            other = seen.setdefault(key, rel)
            if other != rel:
                for one, two in ((rel, other), (other, rel)):
                    diags.error(SourcePos(config.display_path(one)), f"{config.display_path(two)} is a notes "
                                                                    "file of the same dossier; keep one of them")


class _Stat:
    """(size, mtime) of a content file: taken now, or the caller's, taken at `taken`."""

    def __init__(self, config: SiteConfig, stats: dict[str, list[int]] | None, taken_ns: int | None = None):
        self.root, self.stats = os.path.join(config.content_dir, ""), stats or {}
        self.taken = time.time_ns() if taken_ns is None or not stats else taken_ns

    def __call__(self, rel: str) -> tuple[int, int]:
        path = self.root + rel  # (as input_stats names it; os.path.join costs more, eleven thousand times)
        if known := self.stats.get(path):
            return known[0], known[1]
        info = os.stat(path)
        return info.st_size, info.st_mtime_ns


def _parse_stale(config: SiteConfig, cache: FileCache, files: list, workers: int | None, stat: _Stat) -> None:
    """Parse, on both cores, the files whose size or time differs from their cache entry."""
    stale = []
    for rel, reader, args in files:
        hit = cache.get(rel)
        try:
            now = stat(rel)
        except OSError:
            continue  # reported when it is loaded
        if hit is None or hit.stat != now:
            stale.append((rel, reader, args))
    if len(stale) < parallel.MINIMUM or workers == 1:
        return  # loaded one by one below

    def work(main: bool, steps) -> tuple[dict, dict]:
        """The entries of files parsed again, and the new (size, time) of those only touched: their
        records are the main process's already, and not sent back (in a fresh checkout, every file)."""
        local, touched = {}, {}
        for rel, reader, args in (stale[step] for step in steps):
            old = cache.get(rel)
            if old is not None:
                local[rel] = old
            _load_cached(config, Diagnostics(), local, {}, rel, reader, *args, stat=stat)
            new = local.get(rel)
            if old is not None and new is not old and new.touches(old):
                touched[rel] = new.stat, new.seen
                del local[rel]
        return local, touched
    for done, touched in parallel.share(len(stale), work, workers):
        for rel, hit in done.items():
            cache[rel] = hit
        for rel, (now, seen) in touched.items():
            hit = cache[rel]
            cache[rel] = Entry(now, seen, hit.digest, hit.record, hit.diags)


def reload(config: SiteConfig, cache: FileCache, rel: str) -> Entry | None:
    """Read one content file again through the cache, as load_content does: its entry, or None if
    it cannot be read."""
    reader, args = _reader_of(rel)
    before, diags = cache.get(rel), Diagnostics()
    _load_cached(config, diags, cache, {}, rel, reader, *args)
    after = cache.get(rel)
    return None if after is None or (diags.errors and after is before) else after


def _reader_of(rel: str) -> tuple:
    folder = rel.split("/", 1)[0]
    if folder == "articles":
        return _read_article, ()
    if folder == "stories":
        return _read_story, ()
    return _read_note, (next(kind for kind, name in FOLDERS.items() if name == folder),)


class _Scanner:
    """Lists the .md files of content folders (hidden ones skipped). A folder that cannot be
    read is an error naming it; a symbolic link is followed only to a file inside content/,
    else skipped with a warning (GitHub Pages' Jekyll follows none)."""

    def __init__(self, config: SiteConfig, diags: Diagnostics):
        self.config, self.diags = config, diags
        self.root = os.path.realpath(config.content_dir)

    def __call__(self, folder: str, recursive: bool = False, folders: bool = False) -> list[str]:
        """The .md files of a content folder (and its subfolders), relative to content/.
        folders: also each sub-folder's index.md, a page folder (people/<slug>/index.md)."""
        rels: list[str] = []
        where = os.path.join(self.config.content_dir, folder)
        if os.path.islink(where) and not _inside(self.root, os.path.realpath(where)):
            self._problem(folder, f"a symbolic link to {os.path.realpath(where)}, outside the content folder; "
                                  "not followed (move the folder into content/ instead)")
            return rels
        self._scan(where, folder, recursive, rels, folders)
        return sorted(rels)

    def _scan(self, where: str, rel: str, recursive: bool, rels: list[str], folders: bool = False) -> None:
        try:
            entries = list(os.scandir(where))
        except FileNotFoundError:  # no such folder: nothing to read there
            return
        except OSError as err:
            self._problem(rel, f"cannot read the folder: {err.strerror}", error=True)
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_symlink():
                if self._followed(entry, f"{rel}/{name}"):
                    rels.append(f"{rel}/{name}")
            elif name.endswith(".md") and entry.is_file(follow_symlinks=False):
                rels.append(f"{rel}/{name}")
            elif recursive and entry.is_dir(follow_symlinks=False):
                self._scan(entry.path, f"{rel}/{name}", recursive, rels)
            elif folders and entry.is_dir(follow_symlinks=False) and os.path.isfile(os.path.join(entry.path,
                                                                                                  "index.md")):
                rels.append(f"{rel}/{name}/index.md")

    def _followed(self, entry: os.DirEntry, rel: str) -> bool:
        """Whether a symbolic link is read as a content file; a warning when it is not."""
        target = os.path.realpath(entry.path)
        if not os.path.exists(target):
            if _loops(entry.path):
                self._problem(rel, "a symbolic link loop (it leads back to itself); skipped")
            elif entry.name.endswith(".md"):
                self._problem(rel, "a symbolic link to nothing; skipped")
        elif not _inside(self.root, target):
            self._problem(rel, f"a symbolic link to {target}, outside the content folder; not followed "
                               "(copy it into content/ instead)")
        elif os.path.isdir(target):
            self._problem(rel, "a symbolic link to a folder; not followed (move the folder here instead)")
        else:
            return entry.name.endswith(".md")
        return False

    def _problem(self, rel: str, message: str, error: bool = False) -> None:
        pos = SourcePos(self.config.display_path(rel), 1)
        (self.diags.error if error else self.diags.warning)(pos, message)


def _inside(root: str, path: str) -> bool:
    return os.path.commonpath([root, path]) == root


def _loops(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as err:
        return err.errno == errno.ELOOP
    return False


def _load_cached(config: SiteConfig, diags: Diagnostics, cache: FileCache, sources: dict, rel: str, reader,
                 *args, stat: _Stat | None = None):
    stat = stat or _Stat(config, None)
    try:
        now = stat(rel)
        hit = cache.get(rel)
        if hit is None or not hit.trusted(now):
            with open(stat.root + rel, "rb") as stream:
                raw = stream.read()
            digest = file_digest(raw)
            if hit is None or hit.digest != digest:
                local = Diagnostics()
                hit = Entry(now, stat.taken, digest, _load(config, rel, raw, local, reader, *args), tuple(local.items))
            else:
                hit = Entry(now, stat.taken, digest, hit.record, hit.diags)  # touched, not changed
            cache[rel] = hit
    except OSError as err:
        diags.error(SourcePos(config.display_path(rel), 1), f"cannot read the file: {err.strerror}")
        return None
    diags.items.extend(hit.diags)
    sources[rel] = hit.digest
    return hit.record


def _load(config: SiteConfig, rel: str, raw: bytes, diags: Diagnostics, reader, *args):
    src = SourcePos(config.display_path(rel), 1)
    try:
        doc = frontmatter.parse(raw)
    except frontmatter.FrontMatterError as err:
        diags.error(src.at(err.line), err.message)
        return None
    if not isinstance(doc.data, dict):
        diags.error(src.at(2), f"the front matter must be a mapping of keys such as 'title: ...', "
                               f"found {describe(doc.data)}")
        return None
    return reader(config, rel, Reader(doc, src, diags), *args)


def _file_slug(rel: str, r: Reader, strip_date: bool = False) -> str | None:
    """The slug a file name gives; a page folder's index.md takes its folder's name."""
    stem = rel.rsplit("/", 1)[-1][:-3]
    if stem == "index" and rel.count("/") > 1:
        stem = rel.rsplit("/", 2)[-2]
    slug = DATE_PREFIX_RE.sub("", stem, count=1) if strip_date else stem
    if not is_slug(slug):
        better = slugify(slug) or "a-name"
        r.diags.error(r.src, f'file name: "{stem}.md" is not a valid slug ({SLUG_RULE}); '
                             f'rename it, for example to "{better}.md"')
        return None
    return slug


def _body(config: SiteConfig, r: Reader, draft: bool = False) -> Body:
    if not draft and scaffold.is_placeholder(r.doc.body):
        line = r.doc.body_line + r.doc.body.count("\n", 0, len(r.doc.body) - len(r.doc.body.lstrip()))
        r.diags.warning(r.src.at(line), f'the text is still the text `new` wrote ("{r.doc.body.strip()}"); '
                                                   "write your own or delete it")
    rendered = markdown.render(r.doc.body, config.allow_html)
    for line in rendered.no_alt:
        r.diags.warning(r.src.at(r.doc.body_line + line), "a picture without alt text: say what it shows, "
                                                          "![Cienfuegos at the airport](airport.jpg)")
    return Body(rendered.html.encode(), rendered.wikilinks, r.src.at(r.doc.body_line), rendered.first_paragraph,
                rendered.files)


def _refs(r: Reader, path: tuple, kind: str) -> tuple[Ref, ...]:
    refs = []
    for item_path, item in r.items(path):
        if isinstance(item, dict):
            r.check_keys(item_path, item, REF_KEYS)
            name = r.text(item_path + ("name",), required=True, hint="write the person's or organisation's name")
            role = r.text(item_path + ("role",))
            if name:  # (interned: one string for a name written in a thousand articles)
                refs.append(Ref(kind, sys.intern(name), r.pos(*item_path, "name"), role and sys.intern(role)))
        elif isinstance(item, str):
            if item.strip():
                refs.append(Ref(kind, sys.intern(item.strip()), r.pos(*item_path)))
        else:
            r.error(item_path, f"expected a name or a mapping with name: and role:, found {describe(item)}")
    return tuple(refs)


def _read_article(config: SiteConfig, rel: str, r: Reader) -> Article | None:
    data = r.doc.data
    r.check_keys((), data, ARTICLE_KEYS)
    slug = _file_slug(rel, r, strip_date=True)
    title = r.text(("title",), required=True, hint="add a line such as 'title: What happened'")
    published = None
    date_text = r.text(("date",), required=True, hint="add a line such as 'date: 2020-11-21'")
    if date_text:
        try:
            published = parse_published(date_text)
        except DateError as err:
            r.error(("date",), str(err))
    source_url = r.text(("source_url",))
    stories = tuple(Ref("story", text, r.pos(*p)) for key in ("story", "stories")
                    for p, text in r.texts((key,)) if _story_slug_ok(r, p, text))
    events = tuple(e for i, (p, item) in enumerate(r.items(("events",)))
                   if (e := _read_event(r, p, item, i)))
    draft = r.flag(("draft",))
    body = _body(config, r, draft)
    article = Article(
        path=rel, slug=slug or "", title=title or "", published=published,
        source=r.text(("source",)), source_url=source_url and r.url(("source_url",), source_url),
        author=r.text(("author",)), summary=r.text(("summary",)) or body.first_paragraph,
        stories=stories, draft=draft, tags=_tags(r),
        people=_refs(r, ("people",), PERSON), organisations=_refs(r, ("organisations",), ORGANISATION),
        events=events, links=r.urls(("links",)), body=body, src=r.src, image=read_picture(r),
        documents=read_documents(r), relations=read_relations(r, in_notes=False), language=_language(r),
        updated=r.date(("updated",), parse_published), corrections=_corrections(r))
    return article if slug and title and published else None


def _corrections(r: Reader) -> tuple[Correction, ...]:
    found = []
    for path, item in r.items(("corrections",)):
        if not isinstance(item, dict):
            r.error(path, f"expected a mapping with date: and text:, found {describe(item)}")
            continue
        r.check_keys(path, item, CORRECTION_KEYS)
        if r.get(path + ("date",)) is None:
            r.error(path + ("date",), "is required; add 'date: YYYY-MM-DD', the day it was corrected")
        date = r.date(path + ("date",), parse_published)
        text = r.text(path + ("text",), required=True, hint="say what was corrected")
        if date and text:
            found.append(Correction(date, text, r.pos(*path)))
    return tuple(sorted(found, key=lambda c: c.date))


def _language(r: Reader) -> str | None:
    tag = r.text(("language",))
    if tag and (problem := i18n.check_tag(tag)):
        r.error(("language",), problem)
        return None
    return tag


def _tags(r: Reader) -> tuple[str, ...]:
    tags = []
    for path, text in r.texts(("tags",)):
        if slugify(text):
            tags.append(text)
        else:
            r.error(path, f'"{text}" has no letters or digits to make a page address from')
    return tuple(tags)


def _story_slug_ok(r: Reader, path: tuple, text: str) -> bool:
    if is_slug(text):
        return True
    better = slugify(text) or "a-story"
    r.error(path, f'"{text}" is not a story slug ({SLUG_RULE}); write "{better}" '
                  f"and keep the title in stories/{better}.md")
    return False


def _read_event(r: Reader, path: tuple, item, order: int) -> Event | None:
    if not isinstance(item, dict):
        r.error(path, f"expected a mapping with date: and text:, found {describe(item)}")
        return None
    r.check_keys(path, item, EVENT_KEYS)
    if r.get(path + ("date",)) is None:
        r.error(path + ("date",), "is required; add 'date: YYYY-MM-DD' to the event")
    date = r.date(path + ("date",))
    text = r.text(path + ("text",), required=True, hint="say in a sentence what happened")
    people = _refs(r, path + ("people",), PERSON)
    organisations = _refs(r, path + ("organisations",), ORGANISATION)
    source = read_file_field(r, path + ("source",))
    if date is None or text is None:
        return None
    return Event(date, text, people, organisations, r.pos(*path), order, source)


def _read_note(config: SiteConfig, rel: str, r: Reader, kind: str) -> Note | None:
    data = r.doc.data
    r.check_keys((), data, PERSON_KEYS if kind == PERSON else ORGANISATION_KEYS)
    slug = _file_slug(rel, r)
    name = r.text(("name",), required=True, hint="add a line such as 'name: Full Name'")
    aliases = tuple((text, r.pos(*p)) for p, text in r.texts(("aliases",)))
    date_keys = ("born", "died") if kind == PERSON else ("founded", "dissolved")
    dates = tuple((key, d) for key in date_keys if (d := r.date((key,))))
    fact_keys = ("nationality",) if kind == PERSON else ("kind", "country")
    facts = tuple((key, v) for key in fact_keys if (v := r.text((key,))))
    roles = tuple(role for p, item in r.items(("roles",)) if (role := _read_role(r, p, item)))
    parent = None
    if kind == ORGANISATION and (parent_text := r.text(("parent",))):
        parent = Ref(ORGANISATION, parent_text, r.pos("parent"), counts_as_spelling=False)
    links = r.urls(("links",))
    relations = read_relations(r, in_notes=True)
    body = _body(config, r)
    image = read_picture(r)
    if not (slug and name):
        return None
    return Note(kind, slug, name, aliases, facts, dates, roles, parent, links, body, r.src, r.pos("name"), image, rel,
                relations)


def _read_role(r: Reader, path: tuple, item) -> Role | None:
    if not isinstance(item, dict):
        r.error(path, f"expected a mapping with title:, organisation:, from: and to:, found {describe(item)}")
        return None
    r.check_keys(path, item, ROLE_KEYS)
    title = r.text(path + ("title",), required=True, hint="name the position, such as 'title: Minister'")
    org_text = r.text(path + ("organisation",))
    org = Ref(ORGANISATION, org_text, r.pos(*path, "organisation"), counts_as_spelling=False) if org_text else None
    start, end = r.date(path + ("from",)), r.date(path + ("to",))
    if start and end and end.sort_key() < start.sort_key():
        r.error(path + ("to",), "the role ends before it starts")
    return Role(title, org, start, end, r.pos(*path)) if title else None


def _read_story(config: SiteConfig, rel: str, r: Reader) -> StoryNote | None:
    r.check_keys((), r.doc.data, STORY_KEYS)
    slug = _file_slug(rel, r)
    title = r.text(("title",), required=True, hint="add a line such as 'title: The case'")
    body = _body(config, r)
    if not (slug and title):
        return None
    return StoryNote(slug, title, r.text(("summary",)) or body.first_paragraph, body, r.src)
