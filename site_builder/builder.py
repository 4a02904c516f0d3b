"""The pipeline: load -> index -> plan -> render -> write."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from . import files, saved, search
from .cache import Cache, input_stats
from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .index import Site, build_site
from .load import load_content
from .output import in_place, safe_join, staged, write_new
from .pages import Page, Plan, plan
from .parallel import in_background, share, split
from .render import TemplateDigests, make_environment, render_page, static_files

PAGE_KINDS = {"article.html": ("article", "articles"), "dossier.html": ("dossier", "dossiers"),
              "story.html": ("story", "stories"), "tag.html": ("tag", "tags"), "json": ("data file", "data files"),
              "feed.xml": ("feed", "feeds")}
OTHER = ("other page", "other pages")
RECORDS_IN_BACKGROUND = 8  # changed buckets of records (of cache.BUCKETS) worth a process to save


@dataclass(slots=True)
class State:
    """What a build wrote into output/: enough for the next one to remake only what changed."""

    settings: dict
    fingerprints: dict[str, bytes] = field(default_factory=dict)  # file -> digest of its bytes
    deps: dict[str, array] = field(default_factory=dict)  # file -> what its context read, by token id
    tokens: list[tuple] = field(default_factory=list)  # what pages read (pages._View), by id
    digests: list[str | None] = field(default_factory=list)  # of each token, when last checked
    templates: dict[str, str] = field(default_factory=dict)  # template -> digest of it and what it uses
    references: dict[str, list[str]] = field(default_factory=dict)  # template source digest -> what it names
    search: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # url -> search.Document.entry()
    statics: dict[str, str] = field(default_factory=dict)  # static file -> digest of its bytes
    files: dict[str, str] = field(default_factory=dict)  # file beside the text (output path) -> digest of its source

    def __getstate__(self) -> dict:
        """As saved in the cache: the twenty thousand dependency arrays as one, which loads
        and saves in a fraction of the time."""
        state = {name: getattr(self, name) for name in self.__slots__}
        files, ends, flat = list(self.deps), array("Q"), array("I")
        for deps in self.deps.values():
            flat += deps
            ends.append(len(flat))
        state["deps"] = (files, ends, flat)
        return state

    def __setstate__(self, state: dict) -> None:
        files, ends, flat = state.pop("deps")
        starts = [0, *ends[:-1]]
        self.deps = {file: flat[start:end] for file, start, end in zip(files, starts, ends, strict=True)}
        for name, value in state.items():
            setattr(self, name, value)


@dataclass(slots=True)
class Build:
    """What one run produced: the site, how many pages of each kind, and every diagnostic."""

    config: SiteConfig
    diags: Diagnostics
    site: Site | None = None
    page_kinds: Counter = field(default_factory=Counter)
    remade: list[str] = field(default_factory=list)  # URLs rendered again
    rendered: list[str] = field(default_factory=list)  # of those, the URLs whose bytes changed: written
    removed: list[str] = field(default_factory=list)  # files deleted
    published: list[str] = field(default_factory=list)  # files beside the text written (files.py)
    total: int = 0
    unchanged: bool = False  # nothing was read or written: no input changed since the last build
    reindexed: bool = True  # False when the last build's index was reused (saved.py)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.diags.errors)

    def summary(self) -> str:
        kinds = self.page_kinds
        parts = ", ".join(f"{n} {names[n != 1]}" for names, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        warnings = len(self.diags.warnings)
        total = sum(kinds.values())
        done = "nothing changed" if self.unchanged else f"{len(self.rendered)} rendered"
        return (f"{total} pages ({parts}); {done}; {warnings} warning{'s' * (warnings != 1)}; "
                f"{self.seconds:.2f} s")

    def line(self) -> str:
        return f"rebuilt {len(self.rendered)} of {self.total} pages in {self.seconds * 1000:.0f} ms"


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector: a build makes millions of acyclic objects, and
    repeated full collections over them cost more than a third of a large build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_site(config: SiteConfig, diags: Diagnostics, cache: dict | None = None,
              workers: int | None = None) -> tuple[Site, Plan]:
    """Read all content and plan every page; problems go to diags."""
    content = load_content(config, diags, cache, workers)
    site = build_site(config, content, diags)
    return site, plan_pages(site, diags)


def plan_pages(site: Site, diags: Diagnostics) -> Plan:
    planned = plan(site)
    _check_unique_urls(planned.pages)
    files.check_outputs(site, planned.pages, static_files(site.config), diags)
    if site.config.base_url is None:
        diags.warning(SourcePos(site.config.display_path("site.yaml")),
                      "base_url is not set: feed.xml and sitemap.xml need absolute URLs; "
                      "set base_url in site.yaml or pass --base-url")
    return planned


def _check_unique_urls(pages: list[Page]) -> None:
    seen: set[str] = set()
    for page in pages:
        if page.file in seen:  # content-level duplicates are reported by index; this guards the rest
            raise AssertionError(f"two pages planned for {page.url}")
        seen.add(page.file)


def build(config: SiteConfig, write: bool = True, progress: Callable[[int, int], None] | None = None,
          use_cache: bool = True) -> Build:
    """Run the whole pipeline; output/ changes only when there are no errors."""
    started = time.perf_counter()
    result = Build(config, Diagnostics())
    with paused_gc():
        _build(config, result, write, progress, Cache.open(config, use_cache))
    result.seconds = time.perf_counter() - started
    return result


def _build(config: SiteConfig, result: Build, write: bool, progress, cache: Cache) -> None:
    started_ns = time.time_ns()
    stats = input_stats(config)
    if write and cache.unchanged(config, stats):
        result.diags.items.extend(cache.manifest["diagnostics"])
        result.unchanged = True
        result.page_kinds = cache.manifest.get("kinds", Counter())
        return
    records = cache.records
    before = dict(records)  # each file's entry as the last build left it
    content = load_content(config, result.diags, records, stats=stats)
    # The parsed files are final: when many changed, they are saved while the site is indexed.
    saving = (in_background(cache.save_records)
              if write and cache.folder and len(records.dirty) > RECORDS_IN_BACKGROUND else None)
    try:
        done = _index_and_render(config, result, write, progress, cache, content, before, started_ns)
    finally:
        if saving and saving():
            records.dirty.clear()
    if done:
        cache.save(config, stats, started_ns, *done)


def _index_and_render(config: SiteConfig, result: Build, write: bool, progress, cache: Cache, content, before: dict,
                      started_ns: int) -> tuple | None:
    """Index (or reuse the saved index), plan and, when writing and nothing failed, bring output/
    up to date; what the cache saves of it, or None."""
    reused = _saved_index(config, cache, content, before) if write else None
    if reused:
        result.site, index_diags, suspects = reused
        result.reindexed = False
        result.diags.items.extend(index_diags)
    else:
        start, suspects = len(result.diags.items), None
        result.site = build_site(config, content, result.diags)
        index_diags = result.diags.items[start:]
    planned = plan_pages(result.site, result.diags)
    result.page_kinds = Counter(PAGE_KINDS.get(p.template, OTHER) for p in planned.pages)
    result.total = len(planned.pages)
    if not write or result.diags.failed(config.strict):
        return None
    index = {"digests": content.sources, "diags": index_diags,
             "id": cache.manifest["index"]["id"] if reused else started_ns}
    saving = None
    if not reused and cache.folder:  # the index is final: saved beside the rendering
        site = result.site
        saving = in_background(lambda: cache.save_index(started_ns, lambda: saved.dumps(site, content)))
    try:
        state = update(config, planned, cache.state(config), result, progress, suspects=suspects)
    finally:
        if saving and not saving():
            index["id"] = None  # no index saved: the next build indexes again
    del planned  # and with it every context made: the memory can hold what the cache saves
    return state, result.diags.items, result.page_kinds, index


def _saved_index(config: SiteConfig, cache: Cache, content, before: dict) -> tuple | None:
    """The last build's index, its diagnostics and the dependencies to check, if the only files
    changed since are articles whose names, dates, events, tags, stories and wikilinks are as
    they were (saved.py); None if the site must be indexed again."""
    info = cache.manifest.get("index")
    if not info or cache.manifest.get("key") != cache.key or cache.manifest.get("settings") != config.settings():
        return None
    digests = info["digests"]
    if digests.keys() != content.sources.keys():
        return None  # a file added or deleted
    suspects: set = set()
    for rel, digest in content.sources.items():
        if digests[rel] == digest:
            continue
        old, new = before.get(rel), cache.records.get(rel)
        if not rel.startswith("articles/") or old is None or old[1] != digests[rel] or old[2] is None \
                or new is None or new[2] is None or saved.structure(old[2]) != saved.structure(new[2]):
            return None
        suspects |= saved.suspects(new[2])
    data = cache.read_index(info["id"])
    site = data and saved.loads(data, config, content)
    return (site, info["diags"], suspects) if site else None


def update(config: SiteConfig, planned: Plan, previous: State | None, result: Build, progress=None,
           workers: int | None = None, env: Environment | None = None, suspects: set | None = None) -> State:
    """Bring output/ up to date with a planned site.

    Without the state of the build that output/ holds, every page is rendered into a
    new folder that replaces output/. With it, only the pages whose template or one of
    whose dependencies changed are remade, only those whose bytes changed are
    rewritten, in place; pages no longer planned are deleted. Either way output/ is
    left as it was if anything fails. `suspects`, when the caller knows them, are the only
    dependencies that may have changed since `previous` (see incremental.py)."""
    env = env or make_environment(config)
    templates = TemplateDigests(env, previous.references if previous else None)
    used = {name: templates(name) for name in sorted({p.template for p in planned.pages})}
    if previous is not None and previous.settings != config.settings():
        previous = None
    state = State(config.settings(), templates=used, references=templates.references)
    if previous is not None:
        state.tokens, state.digests = list(previous.tokens), list(previous.digests)
    ids = dict(zip(state.tokens, range(len(state.tokens)), strict=True))  # token -> its number
    if previous is None:
        todo = planned.pages
    else:
        changed = set()
        for number in range(len(state.tokens)) if suspects is None else [ids[t] for t in suspects if t in ids]:
            digest = planned.digest(state.tokens[number])
            if digest != state.digests[number]:
                state.digests[number] = digest
                changed.add(number)
        stale = {name for name, digest in used.items() if previous.templates.get(name) != digest}
        todo = [p for p in planned.pages if p.template in stale or p.file not in previous.deps
                or not changed.isdisjoint(previous.deps[p.file])]
        state.fingerprints, state.deps = dict(previous.fingerprints), dict(previous.deps)
        state.search = dict(previous.search)
    old_fingerprints = previous.fingerprints if previous else {}

    def work(folder: Path, main: bool, steps) -> tuple[list, list, list, list]:
        """Remake these pages of todo (by number). Returns what was made, with each page's
        dependencies as numbers into the tokens it returns too, the search documents and
        the digests of the new tokens (None for tokens the state already has)."""
        made, docs, local = [], [], {}
        for number in steps:
            page = todo[-1 - number]  # from the end: the site-wide pages, the longest, are shared first
            context, reads = page.make()
            data = render_page(env, page.template, context)
            digest = hashlib.blake2b(data, digest_size=16).digest()
            fresh = old_fingerprints.get(page.file) != digest
            if fresh:
                write_new(folder, page.file, data)
            if config.search and (doc := search.document(page.url, page.template, context)):
                docs.append(doc)
            made.append((page.url, page.file, digest, array("I", [local.setdefault(t, len(local)) for t in reads]),
                         fresh))
            if progress and main and len(made) % 100 == 0:
                progress(number + 1, len(todo))
        tokens = list(local)
        return made, docs, tokens, [None if token in ids else planned.digest(token) for token in tokens]

    def remake(folder: Path) -> list:
        done = share(len(todo), lambda main, steps: work(folder, main, steps), workers)
        if progress:
            progress(len(todo), len(todo))
        for made, _, tokens, digests in done:
            number = [_id(token, digest) for token, digest in zip(tokens, digests, strict=True)]
            for url, file, digest, reads, fresh in made:
                state.fingerprints[file] = digest
                state.deps[file] = array("I", [number[read] for read in reads])
                result.remade.append(url)
                if fresh:
                    result.rendered.append(url)
        return [doc for _, docs, _, _ in done for doc in docs]

    def _id(token: tuple, digest: str | None) -> int:
        if token not in ids:
            ids[token] = len(state.tokens)
            state.tokens.append(token)
            state.digests.append(digest)
        return ids[token]

    statics = {rel: path.read_bytes() for rel, path in static_files(config).items()}
    state.statics = {rel: hashlib.blake2b(data, digest_size=16).hexdigest() for rel, data in statics.items()}
    if previous is None:
        with staged(config.output_dir) as folder:
            docs = remake(folder)
            planned.view.forget()  # every page is made: free its pieces before the search index
            if config.search:
                split(len(docs), lambda part, parts: _write_all(folder, search.files(docs, part, parts)), workers)
            for rel, data in statics.items():
                write_new(folder, rel, data)
            state.files, result.published, _ = files.publish(config, planned.view.site.files, {}, folder)
    else:
        try:
            with in_place(config.output_dir) as (folder, removed):
                docs = remake(folder)
                removed += sorted(previous.fingerprints.keys() - planned.files)
                for file in removed:
                    del state.fingerprints[file], state.deps[file]
                if config.search:
                    _update_search(config, planned, previous, state, docs, folder, removed)
                for rel, data in statics.items():
                    if previous.statics.get(rel) != state.statics[rel]:
                        write_new(folder, rel, data)
                removed += sorted(set(previous.statics) - set(statics))
                state.files, result.published, gone = files.publish(config, planned.view.site.files, previous.files,
                                                                    folder)
                removed += gone
                result.removed = list(removed)
        except search.SearchError:  # the index on disk is not what the state says: write everything again
            result.rendered.clear()
            result.remade.clear()
            return update(config, planned, None, result, progress, workers, env)
    if previous is None and config.search:
        state.search = {doc.url: doc.entry() for doc in docs}
    if suspects is None:  # (after a shorter check, tokens no page reads any more wait for a full one)
        _drop_unread(state)
    return state


def _write_all(folder: Path, files) -> None:
    for rel, data in files:
        write_new(folder, rel, data)


def _drop_unread(state: State) -> None:
    """Forget the tokens no page reads any more, when they are a tenth of them."""
    read = sorted(set().union(*state.deps.values()))
    if len(read) * 10 >= len(state.tokens) * 9:
        return
    number = {old: new for new, old in enumerate(read)}
    state.tokens = [state.tokens[old] for old in read]
    state.digests = [state.digests[old] for old in read]
    state.deps = {file: array("I", [number[old] for old in deps]) for file, deps in state.deps.items()}


def _update_search(config: SiteConfig, planned: Plan, previous: State, state: State, docs: list, folder: Path,
                   removed: list[str]) -> None:
    """Rewrite the search index files that the changed documents appear in."""
    changed: dict[str, search.Document | None] = {}
    for doc in docs:
        if previous.search.get(doc.url) != (entry := doc.entry()):
            changed[doc.url] = doc
            state.search[doc.url] = entry
    searched = {p.url for p in planned.pages if p.template in search.SEARCHED}
    for url in set(previous.search) - searched:
        changed[url] = None
        del state.search[url]
    if not changed:
        return

    def read(rel: str) -> bytes | None:
        try:
            return safe_join(config.output_dir, rel).read_bytes()
        except FileNotFoundError:
            return None
    for rel, data in search.update(read, previous.search, changed, len(state.search)).items():
        if data is None:
            removed.append(rel)
        else:
            write_new(folder, rel, data)
