"""The pipeline: load -> index -> plan -> render -> write.

The pipeline's own modules (loading, indexing, rendering: Jinja, markdown-it, Pillow...) are
imported by the steps that use them. A build that finds nothing changed needs none of them, and
importing them was half of its time at 10,000 articles (bench/bench.py, "no change")."""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import guard
from .cache import Cache, Snapshot
from .config import SiteConfig
from .diagnostics import ERROR, Diagnostic, Diagnostics, SourcePos
from .output import in_place, safe_join, staged, write_new
from .parallel import in_background, share, split

if TYPE_CHECKING:
    from jinja2 import Environment

    from .index import Site
    from .pages import Page, Plan
    from .render import TemplateProblem

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
    tokens: list[tuple] = field(default_factory=list)  # the fragments pages read (fragments.py), by id
    digests: list[str | None] = field(default_factory=list)  # of each token, when last checked
    templates: dict[str, str] = field(default_factory=dict)  # template -> digest of it and what it uses
    references: dict[str, list[str]] = field(default_factory=dict)  # template source digest -> what it names
    # url -> search.Document.entry(); saved apart from the rest, in buckets (Cache.save), for it is
    # most of the state's bytes and an edit changes few of them
    search: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    searched: set[str] | None = None  # the URLs whose entries changed since the state was read (None: any)
    search_ids: list[int] = field(default_factory=list)  # which file of each bucket holds them (Cache.save)
    statics: dict[str, str] = field(default_factory=dict)  # static file -> digest of its bytes
    # file beside the text (output path) -> (digest of its source, digest of the bytes published)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # token -> its number in tokens, handed from one preview rebuild to the next (never saved):
    # a big site's pages read a hundred thousand tokens, and hashing them all anew took 40 ms
    numbers: dict[tuple, int] | None = None

    def __getstate__(self) -> dict:
        """As saved in the cache: the twenty thousand dependency arrays as one, which loads
        and saves in a fraction of the time."""
        state = {name: getattr(self, name) for name in self.__slots__ if name not in ("numbers", "search", "searched")}
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
        self.numbers, self.search, self.searched = None, {}, None  # (the search entries: Cache._state)


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
              workers: int | None = None, stats: dict | None = None, taken_ns: int | None = None) -> tuple[Site, Plan]:
    """Read all content and plan every page; problems go to diags."""
    from .index import build_site
    from .load import load_content

    content = load_content(config, diags, cache, workers, stats, taken_ns)
    site = build_site(config, content, diags)
    return site, plan_pages(site, diags)


def plan_pages(site: Site, diags: Diagnostics, pages: list | None = None) -> Plan:
    """Every page (pages.plan; or these, planned over the saved index), its output checked."""
    from . import files
    from .pages import plan
    from .render import static_files

    planned = plan(site, pages)
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
    with paused_gc(), guard.locked(config.output_dir) if write else contextlib.nullcontext():
        cache = Cache.open(config, use_cache)  # (under the lock: another build may just have saved it)
        _build(config, result, write, progress, cache)
    result.diags.items += cache.warnings
    result.seconds = time.perf_counter() - started
    return result


def _build(config: SiteConfig, result: Build, write: bool, progress, cache: Cache) -> None:
    """The pipeline, step by step: snapshot the inputs; stop if none changed; load; index (or
    reuse the saved index); plan; bring output/ up to date; remember it all in the cache."""
    snapshot = Snapshot.take(config)
    if write and _replay_if_unchanged(config, cache, snapshot, result):
        return
    from .load import load_content
    from .render import check_templates, make_environment

    before = dict(cache.records)  # each file's entry as the last build left it
    content = load_content(config, result.diags, cache.records, stats=snapshot.stats, taken_ns=snapshot.taken_ns)
    with _saving_records(cache, write):
        indexed = _index(config, result, cache, content, before, reuse=write)
        planned = plan_pages(result.site, result.diags, indexed.pages)
        result.page_kinds = Counter(PAGE_KINDS.get(p.template, OTHER) for p in planned.pages)
        result.total = len(planned.pages)
        env = make_environment(config, cache.folder, auto_reload=False)
        if not write and not result.diags.failed(config.strict):  # check: templates too, on a page each
            result.diags.items.extend(_diagnostics(check_templates(env, planned)))
        if not write or result.diags.failed(config.strict):
            return
        with _saving_index(cache, result.site, content, indexed, planned.pages):
            state = update(config, planned, cache.state(config), result, progress, env=env,
                           suspects=indexed.suspects, last=True)
        del planned  # and with it every context made: the memory can hold what the cache saves
        if result.failed:  # a site's own templates failed: output/ is as it was, and so is the cache
            return
    cache.save(config, snapshot, snapshot.racy_digests(config, content.sources), state, result.diags.items,
               result.page_kinds, indexed.saved())


def _replay_if_unchanged(config: SiteConfig, cache: Cache, snapshot: Snapshot, result: Build) -> bool:
    """When no input changed since the last build into output/, report what it reported."""
    if not cache.unchanged(config, snapshot):
        return False
    result.diags.items.extend(cache.manifest["diagnostics"])
    result.unchanged = True
    result.page_kinds = cache.manifest.get("kinds", Counter())
    return True


@contextlib.contextmanager
def _saving_records(cache: Cache, write: bool):
    """The parsed files are final once loaded: when many changed, they are saved in a process of
    their own while the site is indexed and rendered."""
    saving = (in_background(cache.save_records)
              if write and cache.folder and len(cache.records.dirty) > RECORDS_IN_BACKGROUND else None)
    try:
        yield
    finally:
        if saving and saving():
            cache.records.written(cache.records.stats())  # (what the saving process wrote)


@dataclass(slots=True)
class Indexed:
    """How the site was indexed: the index's id (the build that made it), the diagnostics of
    indexing, and, when the saved index was reused, the fragments that may have changed."""

    sources: dict[str, bytes]
    diags: list
    id: int | None
    reused: bool
    suspects: set | None = None
    pages: list | None = None  # the pages planned over the saved index, when it was reused

    def saved(self) -> dict:
        """What the manifest keeps of it."""
        return {"digests": self.sources, "diags": self.diags, "id": self.id}


def _index(config: SiteConfig, result: Build, cache: Cache, content, before: dict, reuse: bool) -> Indexed:
    """Index the site, or reuse the last build's index when only the text of articles changed (saved.py)."""
    from .index import build_site

    reused = _saved_index(config, cache, content, before) if reuse else None
    if reused:
        result.site, index_diags, suspects, pages = reused
        result.reindexed = False
        result.diags.items.extend(index_diags)
        return Indexed(content.sources, index_diags, cache.manifest["index"]["id"], True, suspects, pages)
    start = len(result.diags.items)
    result.site = build_site(config, content, result.diags)
    return Indexed(content.sources, result.diags.items[start:], time.time_ns(), False)


@contextlib.contextmanager
def _saving_index(cache: Cache, site: Site, content, indexed: Indexed, pages: list):
    """A new index is final: it is saved, with the pages planned over it, in a process of its
    own beside the rendering."""
    from . import saved

    saving = None
    if not indexed.reused and cache.folder:
        saving = in_background(lambda: cache.save_index(indexed.id, lambda: saved.dumps(site, content, pages)))
    try:
        yield
    finally:
        if saving and not saving():
            indexed.id = None  # no index saved: the next build indexes again


def _saved_index(config: SiteConfig, cache: Cache, content, before: dict) -> tuple | None:
    """The last build's index, its diagnostics and the fragments to check, if the only files
    changed since are articles whose names, dates, events, tags, stories and wikilinks are as
    they were (saved.text_edits); None if the site must be indexed again."""
    from . import saved

    info = cache.manifest.get("index")
    if not info or cache.manifest.get("key") != cache.key or cache.manifest.get("settings") != config.settings():
        return None
    suspects = saved.text_edits(info["digests"], before, cache.records)
    if suspects is None:
        return None
    data = cache.read_index(info["id"])
    loaded = data and saved.loads(data, config, content)
    return (loaded[0], info["diags"], suspects, loaded[1]) if loaded else None


def update(config: SiteConfig, planned: Plan, previous: State | None, result: Build, progress=None,
           workers: int | None = None, env: Environment | None = None, suspects: set | None = None,
           last: bool = False) -> State | None:
    """Bring output/ up to date (_update); when a site's own templates fail, leave it untouched,
    add their problems to result.diags and return `previous`. `last`: no rebuild will start from
    this plan and this state (a build, not the preview), so what only such a rebuild needs is
    dropped as soon as the pages are made."""
    from .render import TemplateProblems

    try:
        return _update(config, planned, previous, result, progress, workers, env, suspects, last)
    except TemplateProblems as err:
        result.diags.items.extend(_diagnostics(err.problems))
        result.rendered.clear()
        result.remade.clear()
        result.removed.clear()
        return previous


def _diagnostics(problems: list[TemplateProblem]) -> list[Diagnostic]:
    return [Diagnostic(path, line, ERROR, message) for path, line, message in {p.args for p in problems}]


def _update(config: SiteConfig, planned: Plan, previous: State | None, result: Build, progress=None,
            workers: int | None = None, env: Environment | None = None, suspects: set | None = None,
            last: bool = False) -> State:
    """Bring output/ up to date with a planned site.

    Without the state of the build that output/ holds, every page is rendered into a
    new folder that replaces output/. With it, only the pages whose template or one of
    whose fragments changed are remade, only those whose bytes changed are rewritten,
    in place; pages no longer planned are deleted. Either way output/ is left as it was
    if anything fails (TemplateProblems when a site's own templates do). `suspects`, when
    the caller knows them, are the only fragments that may have changed since `previous`
    (saved.text_edits)."""
    from . import search
    from .render import TemplateDigests, make_environment

    env = env or make_environment(config)
    templates = TemplateDigests(env, previous.references if previous else None)
    used = {name: templates(name) for name in sorted({p.template for p in planned.pages})}
    if previous is not None and previous.settings != config.settings():
        previous = None
    run = _Update(config, planned, previous, result, progress, workers, env,
                  State(config.settings(), templates=used, references=templates.references), templates.problems, last)
    try:
        if previous is None:
            run.write_all(planned.pages)
        else:
            run.write_changes(run.stale_pages(suspects, used))
    except search.SearchError:  # the index on disk is not what the state says: write everything again
        result.rendered.clear()
        result.remade.clear()
        return _update(config, planned, None, result, progress, workers, env, last=last)
    if suspects is None:  # (after a shorter check, fragments no page reads any more wait for a full one)
        _drop_unread(run.state)
    return run.state


class _Update:
    """One update of output/ (see update): its steps and the next state they make."""

    def __init__(self, config: SiteConfig, planned: Plan, previous: State | None, result: Build, progress,
                 workers: int | None, env: Environment, state: State, problems: list[TemplateProblem],
                 last: bool = False):
        self.config, self.planned, self.previous, self.result = config, planned, previous, result
        self.progress, self.workers, self.env, self.state = progress, workers, env, state
        self.problems = problems  # of a site's own templates, met before rendering (their syntax)
        self.last = last
        if previous is not None:
            state.tokens, state.digests = list(previous.tokens), list(previous.digests)
            state.fingerprints, state.deps = dict(previous.fingerprints), dict(previous.deps)
            state.search, state.searched = dict(previous.search), set()
        if previous is not None and previous.numbers is not None:  # (taken: previous may be returned, on failure)
            self.ids, previous.numbers = previous.numbers, None
        else:
            self.ids = dict(zip(state.tokens, range(len(state.tokens)), strict=True))  # token -> its number
        state.numbers = self.ids  # (kept in step with state.tokens by _number)
        self.old_fingerprints = previous.fingerprints if previous else {}
        from .render import static_files

        self.statics = {rel: path.read_bytes() for rel, path in static_files(config).items()}
        state.statics = {rel: hashlib.blake2b(data, digest_size=16).hexdigest() for rel, data in self.statics.items()}

    def stale_pages(self, suspects: set | None, templates: dict[str, str]) -> list[Page]:
        """The pages whose template or one of whose fragments changed since the previous state (of
        the fragments, only `suspects` when they are known), and the new pages."""
        state, previous = self.state, self.previous
        changed = set()
        numbers = range(len(state.tokens)) if suspects is None else [self.ids[t] for t in suspects if t in self.ids]
        for number in numbers:
            digest = self.planned.digest(state.tokens[number])
            if digest != state.digests[number]:
                state.digests[number] = digest
                changed.add(number)
        stale = {name for name, digest in templates.items() if previous.templates.get(name) != digest}
        reading = _reading(previous.deps, changed)
        return [p for p in self.planned.pages
                if p.template in stale or p.file in reading or p.file not in previous.deps]

    def write_all(self, pages: list[Page]) -> None:
        """Render every page into a new folder that replaces output/."""
        from . import search

        config, state = self.config, self.state
        with staged(config.output_dir) as folder:
            docs = self.render(pages, folder, forget=True)
            if self.last:  # (the lookups a preview's next rebuild starts from)
                self.ids = self.state.numbers = None
            if config.search:
                split(len(docs), lambda part, parts: _write_all(folder, search.files(docs, part, parts)),
                      self.workers)
            for rel, data in self.statics.items():
                write_new(folder, rel, data)
            self.publish(folder, {})
        if config.search:
            state.search = {doc.url: doc.entry() for doc in docs}

    def write_changes(self, pages: list[Page]) -> None:
        """Render these pages and change output/ in place: the pages whose bytes changed, the
        search files their words are in, the static files that changed; delete what is gone."""
        config, state, previous = self.config, self.state, self.previous
        with in_place(config.output_dir) as (folder, removed):
            docs = self.render(pages, folder)
            removed += sorted(previous.fingerprints.keys() - self.planned.files)
            for file in removed:
                del state.fingerprints[file], state.deps[file]
            if config.search:
                _update_search(config, self.planned, previous, state, docs, folder, removed)
            for rel, data in self.statics.items():
                if previous.statics.get(rel) != state.statics[rel]:
                    write_new(folder, rel, data)
            removed += sorted(set(previous.statics) - set(self.statics))
            removed += self.publish(folder, previous.files)
            self.result.removed = list(removed)

    def publish(self, folder: Path, before: dict) -> list[str]:
        """Write the files beside the text that are new or changed since `before` (files.publish);
        the output paths of those to remove."""
        from . import files

        published = self.planned.reader.sources.site.files
        self.state.files, self.result.published, gone = files.publish(self.config, published, before, folder)
        return gone

    def render(self, pages: list[Page], folder: Path, forget: bool = False) -> list:
        """Render pages on both cores, write those whose bytes changed into folder, record what each
        read; the search documents of those searched. TemplateProblems, raised inside staged or
        in_place so that output/ is put back, when a site's own templates failed. With `forget`,
        each process frees what made its pages as soon as they are made (Reader.forget; all of
        it in the last build from this plan): the main process does so before it receives the
        other's pages, which then fill the memory freed, at the build's highest."""
        from .render import TemplateProblems

        done = share(len(pages), lambda main, steps: self._render_some(pages, folder, main, steps, forget),
                     self.workers)
        if problems := self.problems + [problem for *_, found in done for problem in found]:
            raise TemplateProblems(problems)
        if self.progress:
            self.progress(len(pages), len(pages))
        for made, _, tokens, digests, _ in done:
            number = [self._number(token, digest) for token, digest in zip(tokens, digests, strict=True)]
            for url, file, digest, reads, fresh in made:
                self.state.fingerprints[file] = digest
                self.state.deps[file] = array("I", [number[read] for read in reads])
                self.result.remade.append(url)
                if fresh:
                    self.result.rendered.append(url)
        return [doc for _, docs, _, _, _ in done for doc in docs]

    def _render_some(self, pages: list[Page], folder: Path, main: bool, steps,
                     forget: bool = False) -> tuple[list, list, list, list, list]:
        """Render these pages (by number, in any process). Returns what was made, with each page's
        fragments as numbers into the tokens it returns too, the search documents, the digests
        of the new tokens (None for tokens the state already has) and the problems of a site's
        own templates met on the way."""
        from . import search
        from .render import TemplateProblem, render_page

        config, planned, env, ids = self.config, self.planned, self.env, self.ids
        made, docs, local, problems = [], [], {}, {}
        for number in steps:
            page = pages[-1 - number]  # from the end: the site-wide pages, the longest, are shared first
            if page.template in problems:
                continue  # its template failed on another page: the same error would only repeat
            context, reads = planned.context(page)
            try:
                data = render_page(env, page.template, context)
            except TemplateProblem as problem:
                problems[page.template] = problem
                continue
            digest = hashlib.blake2b(data, digest_size=16).digest()
            fresh = self.old_fingerprints.get(page.file) != digest
            if fresh:
                write_new(folder, page.file, data)
            if config.search and (doc := search.document(page.url, page.template, context)):
                docs.append(doc)
            made.append((page.url, page.file, digest, array("I", [local.setdefault(t, len(local)) for t in reads]),
                         fresh))
            if self.progress and main and len(made) % 100 == 0:
                self.progress(number + 1, len(pages))
        tokens = list(local)
        digests = [None if token in ids else planned.digest(token) for token in tokens]
        if forget:
            planned.reader.forget(everything=self.last)
        return made, docs, tokens, digests, list(problems.values())

    def _number(self, token: tuple, digest: str | None) -> int:
        if token not in self.ids:
            self.ids[token] = len(self.state.tokens)
            self.state.tokens.append(token)
            self.state.digests.append(digest)
        return self.ids[token]


def _reading(deps: dict[str, array], numbers: set[int]) -> set[str]:
    """The files whose dependencies hold one of these token numbers. Found in the bytes of all the
    arrays end to end (a number counts where it starts at an item), each place found named by its
    file's end: asking a set of a few numbers whether it is disjoint from each array made an int
    of every number of twenty thousand arrays, and searching each array apart was a call a file."""
    if not numbers:
        return set()
    files, ends, flat = list(deps), [], array("I")
    for read in deps.values():
        flat += read
        ends.append(len(flat))
    data, size, found = flat.tobytes(), flat.itemsize, set()
    for number in numbers:
        needle, start = array("I", [number]).tobytes(), 0
        while (at := data.find(needle, start)) >= 0:
            if at % size:
                start = at + 1
                continue
            file = bisect.bisect_right(ends, at // size)
            found.add(files[file])
            start = ends[file] * size  # (the rest of this file's array: found already)
    return found


def _write_all(folder: Path, files) -> None:
    for rel, data in files:
        write_new(folder, rel, data)


def _drop_unread(state: State) -> None:
    """Forget the tokens no page reads any more, when they are a tenth of them."""
    read = sorted(set().union(*state.deps.values()))
    if len(read) * 10 >= len(state.tokens) * 9:
        return
    number = {old: new for new, old in enumerate(read)}
    state.tokens, state.numbers = [state.tokens[old] for old in read], None
    state.digests = [state.digests[old] for old in read]
    state.deps = {file: array("I", [number[old] for old in deps]) for file, deps in state.deps.items()}


def _update_search(config: SiteConfig, planned: Plan, previous: State, state: State, docs: list, folder: Path,
                   removed: list[str]) -> None:
    """Rewrite the search index files that the changed documents appear in."""
    from . import search

    changed: dict[str, search.Document | None] = {}
    for doc in docs:
        if previous.search.get(doc.url) != (entry := doc.entry()):
            changed[doc.url] = doc
            state.search[doc.url] = entry
    searched = {p.url for p in planned.pages if p.template in search.SEARCHED}
    for url in set(previous.search) - searched:
        changed[url] = None
        del state.search[url]
    state.searched.update(changed)
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
