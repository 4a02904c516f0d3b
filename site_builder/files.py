"""Files beside the text: which are published, at which URL, what links to them resolve to,
and writing them into output/.

Every file under content/ that is not Markdown, not site.yaml, not hidden and not an editor's
leftover is published at its path; a page folder (`articles/<name>/index.md`,
`people/<slug>/index.md`, `organisations/<slug>/index.md`) publishes its other files under
the page's URL. Links, pictures and file fields are resolved relative to the file they are
written in (`/` is content/); a `.md` file resolves to its page."""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from . import pictures, urls
from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .i18n import N_, Words
from .model import Article, Asset, Body, FileField, Note, StoryNote
from .output import write_new
from .records import record

LARGE = 50 * 1024 * 1024  # GitHub warns at 50 MB and refuses files over 100 MB
_LEFTOVERS = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")  # editors' backup and swap files
KINDS = {"pdf": "PDF", "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WebP", "gif": "GIF",
         "svg": "SVG", "csv": "CSV", "xlsx": "Excel", "xls": "Excel", "docx": "Word", "doc": "Word",
         "txt": N_("Text"), "json": "JSON", "zip": "ZIP", "mp3": N_("Audio"), "mp4": N_("Video")}
FILE, WEB_PAGE = N_("File"), N_("Web page")  # kinds, in English as machine data; pages show them translated


def skipped(name: str) -> bool:
    """Hidden files and editors' leftovers (`x~`, `.x.swp`, `#x#`): never published."""
    return name.startswith((".", "#")) or name.endswith(_LEFTOVERS)


def find_files(config: SiteConfig, diags: Diagnostics) -> list[str]:
    """Every file beside the text under content/, relative to it, sorted. A link that leads
    outside content/ is not followed (a warning names it)."""
    root = os.path.realpath(config.content_dir)
    found: list[str] = []
    _walk(config, root, str(config.content_dir), "", found, diags)
    return sorted(found)


def _walk(config: SiteConfig, root: str, where: str, prefix: str, found: list[str], diags: Diagnostics) -> None:
    try:
        entries = list(os.scandir(where))
    except OSError:
        return  # an unreadable folder: the Markdown loader reports those it needs
    for entry in entries:
        rel = prefix + entry.name
        if skipped(entry.name) or (not prefix and entry.name == "site.yaml"):
            continue
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if os.path.commonpath([root, target]) != root:
                if _scanned(rel):
                    continue  # load._Scanner already warns of it
                diags.warning(SourcePos(config.display_path(rel)), "is a link to outside the content folder; "
                                                                   "it is not published")
                continue
            if os.path.isdir(target):
                continue  # a linked folder is not followed (it may loop)
        if entry.is_dir(follow_symlinks=False):
            _walk(config, root, entry.path, rel + "/", found, diags)
        elif not entry.name.endswith(".md") and entry.is_file():
            if "\\" in entry.name:  # (output.write_new refuses it: on Windows it is a folder separator)
                diags.warning(SourcePos(config.display_path(rel)), "a file name with a backslash is not published; "
                                                                   "rename it")
                continue
            found.append(rel)


def _scanned(rel: str) -> bool:
    """Whether load._Scanner looks at this path (and so reports a symbolic link there): a Markdown
    folder itself, anything in articles/ and its sub-folders, the entries of people/, organisations/, stories/."""
    folder, _, rest = rel.partition("/")
    markdown_folders = ("articles", "people", "organisations", "stories")
    return folder in markdown_folders and (not rest or folder == "articles" or "/" not in rest)


def read_asset(config: SiteConfig, rel: str, raw: bytes, digest: bytes) -> Asset:
    """The record of one file beside the text: its size, kind and, for a picture, its size as shown."""
    extension = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
    seen = pictures.inspect(raw) if extension in ("jpg", "jpeg", "png", "webp", "gif") else None
    fmt, width, height = seen or (None, None, None)
    return Asset(rel, len(raw), digest, KINDS.get(extension, extension.upper() or FILE), fmt, width, height,
                 SourcePos(config.display_path(rel)))


@record
class Resolved:
    """What a link, picture or file field names: the site path it is published at (with the
    link's ?query or #fragment), and the file when it is one (None for a page)."""

    url: str
    asset: Asset | None


@dataclass(frozen=True, slots=True)
class FileMap:
    """The files a build publishes and what every link to one resolves to; part of the Site."""

    published: dict[str, Asset] = field(default_factory=dict)  # output path -> the file
    resolved: dict[tuple[str, str], Resolved] = field(default_factory=dict)  # (written in, target) -> …
    by_source: dict[str, tuple[Resolved, ...]] = field(default_factory=dict)  # written in -> all it names

    def get(self, written: FileField) -> Resolved | None:
        return self.resolved.get((written.src.path, written.target))


def resolve(config: SiteConfig, assets: tuple[Asset, ...], all_articles: tuple[Article, ...],
            articles: tuple[Article, ...], notes: tuple[Note, ...], stories: tuple[StoryNote, ...],
            diags: Diagnostics) -> FileMap:
    """Where each file is published, and what every link, picture and file field of the published
    content names; a missing file or two files at one URL is an error."""
    folders = _page_folders(config, all_articles, notes)
    published, withheld, paths = _publish_at(assets, folders, diags)
    pages = {a.path: urls.article(a.slug) for a in articles}
    pages |= {n.path: urls.entity(n.kind, n.slug) for n in notes}
    pages |= {f"stories/{s.slug}.md": urls.story(s.slug) for s in stories}
    drafts = {a.path for a in all_articles if a.path not in pages}
    resolver = _Resolver(config, paths, pages, withheld, drafts, diags)
    for article in articles:
        resolver.source(article.path, article.body, _fields_of(article))
    for note in notes:
        resolver.source(note.path, note.body, [note.image.file] if note.image else [])
    for story in stories:
        resolver.source(f"stories/{story.slug}.md", story.body, [])
    return FileMap(published, resolver.resolved, {k: tuple(v) for k, v in resolver.by_source.items()})


def _fields_of(article: Article) -> list[FileField]:
    fields = [article.image.file] if article.image else []
    fields += [d.file for d in article.documents]
    return fields + [e.source for e in article.events if e.source]


def _page_folders(config: SiteConfig, articles, notes) -> dict[str, tuple[str | None, str]]:
    """Folder of each page folder -> (the page's URL, or None for a draft left out; its index.md)."""
    folders = {}
    for article in articles:
        if article.path.endswith("/index.md"):
            shown = not article.draft or config.drafts
            folders[article.path[:-9]] = (urls.article(article.slug) if shown else None, article.src.path)
    for note in notes:
        if note.path.endswith("/index.md"):
            folders[note.path[:-9]] = (urls.entity(note.kind, note.slug), note.src.path)
    return folders


def _publish_at(assets, folders, diags):
    """(output path -> asset, content path -> the draft keeping it, content path -> (site path, asset))."""
    published: dict[str, Asset] = {}
    withheld: dict[str, str] = {}
    paths: dict[str, tuple[str, Asset]] = {}
    for asset in assets:
        folder, rest = asset.path, ""
        while "/" in folder:  # the nearest page folder holding it
            folder, name = folder.rsplit("/", 1)
            rest = f"{name}/{rest}" if rest else name
            if folder in folders:
                break
        else:
            folder, rest = "", asset.path
        page, index = folders.get(folder, (urls.HOME, ""))
        if page is None:
            withheld[asset.path] = index
            continue
        url = urls.beside(page, rest)
        other = published.setdefault(urls.output_file(url), asset)
        if other is not asset:
            for one, two in ((asset, other), (other, asset)):
                diags.error(one.src, f"is published at {url}, where {two.src.path} is published too; "
                                     "rename or move one of them")
            continue
        paths[asset.path] = (url, asset)
    return published, withheld, paths


class _Resolver:
    def __init__(self, config, urls, pages, withheld, drafts, diags):
        self.config, self.urls, self.pages, self.withheld, self.drafts = config, urls, pages, withheld, drafts
        self.diags = diags
        self.resolved: dict[tuple[str, str], Resolved] = {}
        self.by_source: dict[str, list[Resolved]] = {}

    def source(self, rel: str, body: Body, fields: list[FileField]) -> None:
        """Resolve the links and pictures of one content file's body, and its file fields."""
        for link in body.files:
            self.one(rel, body.src.at(body.src.line + link.line), link.target, "")
        for written in fields:
            if not written.is_url:
                self.one(rel, written.src, written.target, f"{written.key}: ")

    def one(self, rel: str, pos: SourcePos, target: str, prefix: str) -> None:
        key = (pos.path, target)
        if key in self.resolved:
            return
        found = self.look_up(rel, pos, target, prefix)
        if found:
            self.resolved[key] = found
            self.by_source.setdefault(pos.path, []).append(found)

    def look_up(self, rel: str, pos: SourcePos, target: str, prefix: str) -> Resolved | None:
        cut = min((i for i in (target.find("?"), target.find("#")) if i >= 0), default=len(target))
        path, suffix = unquote(target[:cut]), target[cut:]
        wanted = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                                    else posixpath.join(posixpath.dirname(rel), path))
        shown = self.config.display_path(wanted)
        if wanted == ".." or wanted.startswith("../"):
            self.diags.error(pos, prefix + f'"{target}" leads outside the content folder; name a file inside it')
        elif wanted in self.pages:
            return Resolved(self.pages[wanted] + suffix, None)
        elif wanted in self.urls:
            url, asset = self.urls[wanted]
            return Resolved(quote(url) + suffix, asset)
        elif wanted in self.drafts:
            self.diags.error(pos, prefix + f'"{target}" links to {shown}, a draft, which is not published; '
                                           "remove the link or publish the draft")
        elif wanted in self.withheld:
            draft = self.withheld[wanted]
            self.diags.error(pos, prefix + f'"{target}": {shown} is in the folder of a draft ({draft}), '
                                           "which is not published; move the file or publish the draft")
        elif os.path.isfile(os.path.join(self.config.content_dir, wanted)):
            self.diags.error(pos, prefix + f'"{target}": {shown} is a hidden file or an editor\'s leftover, which is '
                                           "never published; rename it")
        else:
            self.diags.error(pos, prefix + f'"{target}": there is no file {shown}; check the name, or write the '
                                           "path relative to this file (or from the content folder with a leading /)")
        return None


def published_bytes(config: SiteConfig, asset: Asset) -> bytes:
    """A file's bytes as published: a JPEG, PNG or WebP without its metadata unless keep_metadata."""
    raw = (Path(config.content_dir) / asset.path).read_bytes()
    if asset.picture in pictures.FORMATS and not config.keep_metadata:
        return pictures.strip(raw, asset.picture)
    return raw


def publish(config: SiteConfig, files: FileMap, previous: dict[str, tuple], folder: Path) -> tuple[dict, list, list]:
    """Write into folder the files that are new or changed since `previous` (output path ->
    (digest of the source, digest of the bytes published), as the last build left them); those
    digests now, the paths written and those to remove."""
    now, written = {}, []
    for out, asset in files.published.items():
        source = asset.digest.hex()
        before = previous.get(out)
        if before and before[0] == source:
            now[out] = before
            continue
        data = published_bytes(config, asset)
        write_new(folder, out, data)
        now[out] = (source, hashlib.blake2b(data, digest_size=16).digest())
        written.append(out)
    return now, written, sorted(previous.keys() - now.keys())


def check_outputs(site, pages, statics, diags: Diagnostics) -> None:
    """A file published where a page (of `pages`), a template's static file or the search index is
    written: an error naming both."""
    files: FileMap = site.files
    if not files.published:
        return
    made = {page.file: page.url for page in pages}
    sources = {urls.article(a.slug): a.src.path for a in site.articles}
    sources |= {urls.entity(e.kind, e.slug): e.note.src.path for e in site.entities.values() if e.note}
    for out, asset in sorted(files.published.items()):
        url = made.get(out)
        if url is not None:
            source = sources.get(url)
            maker = f"the page of {source}" if source else f"the page {url}"
            if source:
                diags.error(SourcePos(source), f"its page {url} is also where {asset.src.path} is published; "
                                               "rename or move that file")
        elif out in statics:
            maker = "a static file of the templates"
        elif site.config.search and out.startswith("search/"):
            maker = "where the search index is written"
        else:
            continue
        diags.error(asset.src, f"is published at /{out}, which is also {maker}; rename or move the file")


# -- what pages show of them: inputs a fragment selects (fragments.py), shown by the functions after --

def link_inputs(files: FileMap, written: FileField) -> tuple:
    """What a page shows of a file field: its target, whether it is a URL, the site path it
    resolved to, and the file's (kind, width, height, size), or None for a URL or a page."""
    if written.is_url:
        return (written.target, True, written.target, None)
    found = files.get(written)
    asset = found and found.asset
    return (written.target, False, found.url if found else "/",  # (unresolved only after an error)
            asset and (asset.kind, asset.width, asset.height, asset.size))


def link_urls(config: SiteConfig, inputs: tuple) -> tuple[str, str]:
    """(the URL a page links with, the absolute URL) of a file field's inputs (link_inputs)."""
    target, is_url, path, _ = inputs
    return (target, target) if is_url else (config.url(path), config.absolute_url(path))


def picture_inputs(files: FileMap, picture) -> tuple | None:
    return picture and (link_inputs(files, picture.file), picture.alt, picture.credit)


def picture_data(config: SiteConfig, inputs: tuple | None, default_alt: str) -> dict | None:
    """A lead or dossier picture for a template: src, absolute, alt, credit, width, height."""
    if inputs is None:
        return None
    link, alt, credit = inputs
    href, absolute = link_urls(config, link)
    facts = link[3]
    return {"src": href, "absolute": absolute, "alt": alt or default_alt, "credit": credit,
            "width": facts and facts[1], "height": facts and facts[2]}


def document_inputs(files: FileMap, document) -> tuple:
    return (document.title, document.date, link_inputs(files, document.file))


def document_data(config: SiteConfig, words: Words, inputs: tuple) -> dict:
    """One entry of a part `documents`: title, date, kind, size (of a file), href and absolute URL."""
    title, date, link = inputs
    href, absolute = link_urls(config, link)
    facts = link[3]
    if facts:
        kind = facts[0]
    else:
        tail = link[0].split("?")[0].split("#")[0].rsplit("/", 1)[-1]
        kind = KINDS.get(tail.rsplit(".", 1)[-1].lower(), WEB_PAGE) if "." in tail else WEB_PAGE
    size = facts and facts[3]
    return {"title": title, "date": words.span(date) if date else None,
            "iso": date.iso() if date and not date.interval else None,
            "edtf": date.edtf() if date else None, "kind": kind, "kind_label": words(kind),
            "size": size and words.size(size),
            "bytes": size, "href": href, "absolute": absolute}


def source_data(config: SiteConfig, words: Words, inputs: tuple | None) -> dict | None:
    """An event's `source`: where the page links, the absolute URL, what to call it, its kind."""
    if inputs is None:
        return None
    href, absolute = link_urls(config, inputs)
    target, facts = inputs[0], inputs[3]
    label = target.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1] or target
    return {"href": href, "absolute": absolute, "label": label, "kind": words(facts[0]) if facts else None}


def body_inputs(files: FileMap, body: Body) -> tuple:
    """What each file placeholder of a body names: (the link, its site path, (width, height) of a picture)."""
    shown = []
    for link in body.files:
        found = files.resolved.get((body.src.path, link.target))
        asset = found and found.asset
        size = (asset.width, asset.height) if asset and asset.width else None
        shown.append((link, found.url if found else "/", size))
    return tuple(shown)


def body_files(config: SiteConfig, inputs: tuple) -> list[str]:
    """What each file placeholder of a body becomes (markdown.fill), from body_inputs."""
    from .markdown import file_html

    return [file_html(link, config.url(path), size) for link, path, size in inputs]


def document_order(document, published) -> tuple:
    """How a dossier sorts documents, newest first: by the document's date, else its article's."""
    day = document.date.start.earliest() if document.date and document.date.start else published.date()
    return (day, published)


def written(article: Article) -> tuple:
    """The files an article names, where (what indexing resolves: saved.structure)."""
    fields = [(f.target, f.src) for f in _fields_of(article)]
    return (tuple((link.target, link.line) for link in article.body.files), tuple(fields))
