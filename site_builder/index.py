"""Resolves names, slugs and aliases to entities and builds the read-only Site."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from operator import attrgetter

from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .files import FileMap, resolve
from .load import Content
from .model import FOLDERS, KINDS, ORGANISATION, PERSON, Article, Body, Event, Note, Ref, Role, StoryNote
from .records import record
from .relations import StatedRelation, by_entity, resolve_relations
from .slugs import is_slug, match_key, slugify, unslug
from .urls import article as article_url
from .urls import entity as entity_url

Key = tuple[str, str]  # (kind, slug)


@record
class Entity:
    kind: str
    slug: str
    name: str
    aliases: tuple[str, ...]
    note: Note | None

    @property
    def key(self) -> Key:
        return (self.kind, self.slug)

    @property
    def url(self) -> str:
        return entity_url(self.kind, self.slug)


@record
class Mention:
    """An article that names an entity, with the role that article gives it."""

    article: Article
    role: str | None


@record
class TimelineEntry:
    event: Event
    article: Article
    entities: tuple[Key, ...]

    def sort_key(self) -> tuple:
        return (self.event.date.sort_key(), self.article.published, self.article.path, self.event.order)


@record
class HeldRole:
    person: Key
    role: Role
    organisation: Key | None


@record
class Story:
    slug: str
    title: str
    summary: str
    note: StoryNote | None
    articles: tuple[Article, ...]  # oldest first


@record
class Tag:
    slug: str
    name: str
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True)
class Site:
    """Everything pages are made from; built once, then only read."""

    config: SiteConfig
    articles: tuple[Article, ...]  # published, newest first
    entities: dict[Key, Entity]
    named: dict[str, tuple[tuple[Key, str | None], ...]]  # article path -> entities with roles
    about: dict[str, frozenset[Key]]  # article path -> entities in its own people:/organisations: lists
    mentions: dict[Key, tuple[Mention, ...]]  # newest first
    timeline: tuple[TimelineEntry, ...]
    timelines: dict[Key, tuple[TimelineEntry, ...]]
    connections: dict[Key, tuple[tuple[Key, int], ...]]
    roles: dict[Key, tuple[HeldRole, ...]]  # person -> roles held
    members: dict[Key, tuple[HeldRole, ...]]  # organisation -> roles held in it
    parents: dict[Key, Key]
    children: dict[Key, tuple[Key, ...]]
    stories: dict[str, Story]
    tags: dict[str, Tag]
    links: dict[str, tuple[Key | None, ...]]  # body source path -> resolved wikilinks
    sources: dict[str, bytes]  # content file (relative path) -> digest of its bytes
    relations: tuple[StatedRelation, ...] = ()  # stated relations, merged, in the order first stated
    related: dict[Key, tuple[StatedRelation, ...]] = field(default_factory=dict)  # per entity
    files: FileMap = field(default_factory=FileMap)  # the files beside the text, and what links to them name

    # -- facts about the whole site, computed on demand (nothing is stored into a Site) ---------

    def most_covered(self, kind: str, limit: int) -> tuple[tuple[Key, int], ...]:
        """The entities of a kind named by the most articles, with how many; ties by name."""
        mentions = self.mentions
        keys = [k for k in self.entities if k[0] == kind and k in mentions]
        keys.sort(key=lambda k: (-len(mentions[k]), self.entities[k].name.casefold()))
        return tuple((k, len(mentions[k])) for k in keys[:limit])

    def story_ranking(self, slug: str) -> tuple[tuple[Key, int], ...]:
        """The entities a story's articles name, the most named first, with how many articles."""
        counts: Counter = Counter(k for a in self.stories[slug].articles for k, _ in self.named[a.path])
        ranked = sorted(counts, key=lambda k: (-counts[k], self.entities[k].name.casefold(), k))
        return tuple((k, counts[k]) for k in ranked)

    def with_records(self, fresh: dict[str, Article | Note], sources: dict[str, bytes],
                     places: Places | None = None) -> Site:
        """This site with some articles' and notes files' records replaced by new records of the
        same structure (saved.text_edits: for an article the same names, dates, events, tags,
        stories and wikilinks; for notes all but the text), and the digests of the files read:
        what the preview does after an edit to their text. A new Site: records and sites stay frozen.
        `places` says where each article is in this site's tuples (the preview keeps one for every
        site of this structure: looking through them all was a sixth of a rebuild)."""
        places = places or Places()
        notes = {path: note for path, note in fresh.items() if isinstance(note, Note)}
        fresh = {path: article for path, article in fresh.items() if path not in notes}
        entities = {key: replace(entity, note=notes[entity.note.path])
                    for key, entity in self.entities.items() if entity.note and entity.note.path in notes}
        where = places.of(("articles",), self.articles, _path)
        old = {path: self.articles[where[path][0]] for path in fresh if path in where}  # (a draft is in none)
        entries: dict[int, TimelineEntry] = {}  # id of an entry -> the entry of the new records

        def new_entry(entry: TimelineEntry) -> TimelineEntry:  # (one per entry: an entity's timeline shares it)
            made = entries.get(id(entry))
            if made is None:
                article = fresh[entry.article.path]
                event = next(e for e in article.events if e.order == entry.event.order)
                made = entries[id(entry)] = TimelineEntry(event, article, entry.entities)
            return made
        timeline = places.swap(("timeline",), self.timeline, fresh, new_entry, article_path)
        keys = {k for path in old for k, _ in self.named[path]}
        stories = {r.text for a in old.values() for r in a.stories}
        tags = {slugify(t) for a in old.values() for t in a.tags}

        def swap(name: tuple, items: tuple[Article, ...]) -> tuple[Article, ...]:
            return places.swap(name, items, fresh, lambda a: fresh[a.path], _path)
        mentions = dict(self.mentions)
        timelines = dict(self.timelines)
        for key in keys:
            if key in mentions:  # (a new Mention only for the fresh articles: some entities have thousands)
                mentions[key] = places.swap(("mentions", key), mentions[key], fresh,
                                            lambda m: Mention(fresh[m.article.path], m.role), article_path)
            if key in timelines:
                timelines[key] = places.swap(("timelines", key), timelines[key], fresh, new_entry, article_path)
        return replace(
            self, articles=swap(("articles",), self.articles), mentions=mentions, timeline=timeline,
            entities={**self.entities, **entities} if entities else self.entities,
            timelines=timelines, sources=sources,
            stories={**self.stories, **{s: replace(self.stories[s], articles=swap(("story", s),
                                                                                  self.stories[s].articles))
                                        for s in stories if s in self.stories}},
            tags={**self.tags, **{t: replace(self.tags[t], articles=swap(("tag", t), self.tags[t].articles))
                                  for t in tags if t in self.tags}})


_path = attrgetter("path")  # of an article
article_path = attrgetter("article.path")  # of a timeline entry or a mention


class Places:
    """Where the records of each file are in a Site's tuples (its articles, timeline, an entity's
    mentions…), found on first use: the same for every site of one structure, for a text edit
    moves nothing (Site.with_records)."""

    def __init__(self):
        self._found: dict = {}

    def of(self, name, items: tuple, path_of) -> dict[str | None, list[int]]:
        """path -> the positions in items (the tuple this site calls `name`) of the records of that file."""
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = {}
            for number, item in enumerate(items):
                found.setdefault(path_of(item), []).append(number)
        return found

    def swap(self, name, items: tuple, paths, make, path_of) -> tuple:
        """items with make(item) for each item of one of these files."""
        where = self.of(name, items, path_of)
        changed = [number for path in paths for number in where.get(path, ())]
        if not changed:
            return items
        items = list(items)
        for number in changed:
            items[number] = make(items[number])
        return tuple(items)


def graph_id(key: Key) -> str:
    """An entity's id in graph.json: its folder and slug."""
    return f"{FOLDERS[key[0]]}/{key[1]}"


def graph_edges(articles) -> list[tuple[str, str, list[str]]]:
    """Pairs of entities named together, by graph id, with the slugs of the articles naming both,
    from (slug, keys of the entities it names) of every article, oldest first."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for slug, keys in articles:
        names = sorted(graph_id(k) for k in keys)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                pairs.setdefault((a, b), []).append(slug)
    return [(a, b, slugs) for (a, b), slugs in pairs.items()]


class _Registry:
    """Names, aliases and slugs of every entity, per kind; creates entities on first use."""

    def __init__(self, diags: Diagnostics):
        self.diags = diags
        self.by_name: dict[str, dict[str, tuple[str, SourcePos, str]]] = {k: {} for k in KINDS}
        self.slugs: dict[str, dict[str, SourcePos]] = {k: {} for k in KINDS}
        self.notes: dict[Key, Note] = {}
        self.spellings: dict[Key, Counter] = defaultdict(Counter)
        self.first_seen: dict[tuple[Key, str], int] = {}
        self.created: list[tuple[str, str, SourcePos]] = []  # (kind, name, where): entities no file names
        self._keys: dict[Key, Key] = {}

    def key(self, kind: str, slug: str) -> Key:
        """The one (kind, slug) tuple of an entity, shared by everything that names it: an index
        otherwise holds a hundred thousand equal tuples, to keep and to save and load."""
        key = (kind, slug)
        return self._keys.setdefault(key, key)

    def add_note(self, note: Note) -> None:
        self.notes[(note.kind, note.slug)] = note
        self.slugs[note.kind][note.slug] = note.src

    def claim_names(self, note: Note) -> None:
        names = self.by_name[note.kind]
        for text, pos in ((note.name, note.name_src), *note.aliases):
            owner = names.get(match_key(text))
            if owner and owner[0] != note.slug:
                self.diags.error(pos, f'name "{text}" is also claimed by {_where(owner[1])}; keep it in one file')
                self.diags.error(owner[1], f'name "{owner[2]}" is also claimed by {_where(pos)}; '
                                           "keep it in one file")
                continue
            names.setdefault(match_key(text), (note.slug, pos, text))
            other = slugify(text)
            if other != note.slug and other in self.slugs[note.kind] and not owner:
                there = self.slugs[note.kind][other]
                self.diags.error(pos, f'name "{text}" is also the slug of {_where(there)}; '
                                      "remove it here or rename that file")
                self.diags.error(there, f'the slug "{other}" is also a name in {_where(pos)}; '
                                        "rename this file or remove that name")

    def find(self, kind: str, text: str, pos: SourcePos) -> str | None:
        """The slug text refers to, or None; an ambiguous reference is an error."""
        by_name = self.by_name[kind].get(match_key(text))
        slug = slugify(text)
        by_slug = slug if slug in self.slugs[kind] else None
        if by_name and by_slug and by_name[0] != by_slug:
            self.diags.error(pos, f'"{text}" could mean the {kind} named at {_where(by_name[1])} or the one '
                                  f"at {_where(self.slugs[kind][by_slug])} (slug {by_slug}); write the slug "
                                  "of the one you mean")
            return None
        return by_name[0] if by_name else by_slug

    def resolve(self, ref: Ref, order: int) -> str | None:
        """The slug of ref's entity, created when nothing matches."""
        slug = self.find(ref.kind, ref.text, ref.src)
        if slug is None:
            slug = slugify(ref.text)
            if not slug:
                self.diags.error(ref.src, f'"{ref.text}" has no letters or digits to make a page address from; '
                                          "write the name in Latin letters")
                return None
            if slug in self.slugs[ref.kind]:  # reported as ambiguous by find
                return None
            self.slugs[ref.kind][slug] = ref.src
            self.by_name[ref.kind][match_key(ref.text)] = (slug, ref.src, ref.text)
            self.created.append((ref.kind, ref.text, ref.src))
        if ref.counts_as_spelling:
            key = (ref.kind, slug)
            self.spellings[key][ref.text] += 1
            self.first_seen.setdefault((key, ref.text), order)
        return slug

    def entities(self) -> dict[Key, Entity]:
        result = {}
        for kind in KINDS:
            for slug in sorted(self.slugs[kind]):
                key = self.key(kind, slug)
                note = self.notes.get(key)
                if note:
                    result[key] = Entity(kind, slug, note.name, tuple(a for a, _ in note.aliases), note)
                else:
                    result[key] = Entity(kind, slug, self._spelling(key), (), None)
        return result

    def _spelling(self, key: Key) -> str:
        counts = self.spellings.get(key)
        names = [t for t in counts or () if not is_slug(t)]
        if not names:
            return unslug(key[1])
        return min(names, key=lambda t: (-counts[t], self.first_seen[(key, t)], t))


def _where(pos: SourcePos) -> str:
    return f"{pos.path}:{pos.line}"


def build_site(config: SiteConfig, content: Content, diags: Diagnostics) -> Site:
    """Resolve every reference of the published content and gather what pages show."""
    articles = sorted((a for a in content.articles if config.drafts or not a.draft),
                      key=lambda a: (a.published, a.path))
    articles = _unique_urls(articles, diags)
    registry = _Registry(diags)
    for note in content.notes:
        registry.add_note(note)
    for note in content.notes:
        registry.claim_names(note)
    named, about, event_keys = _resolve_articles(articles, registry)
    roles, members, parents, children = _resolve_notes(content.notes, registry, diags)
    relations = resolve_relations(content.notes, articles, registry, named, diags)
    entities = registry.entities()
    from .likely import check_likely_duplicates  # (with rapidfuzz: not imported when the saved index is reused)

    check_likely_duplicates(content.notes, registry.created, diags)
    links = _resolve_wikilinks(articles, content, registry, diags, named)
    timeline = _timeline(articles, event_keys)
    newest = tuple(reversed(articles))
    return Site(
        config=config, articles=newest, entities=entities, named=named, about=about,
        mentions=_mentions(newest, named), timeline=timeline, timelines=_per_entity(timeline),
        connections=_connections(articles, named, entities), roles=roles, members=members,
        parents=parents, children=children, stories=_stories(articles, content.stories, diags),
        tags=_tags(articles), links=links, sources=content.sources, relations=tuple(relations),
        related=by_entity(relations, {key: entity.name for key, entity in entities.items()}),
        files=resolve(config, content.files, content.articles, tuple(articles), content.notes, content.stories, diags))


def _unique_urls(articles: list[Article], diags: Diagnostics) -> list[Article]:
    """The articles with one page each; two files on one URL are an error in each file."""
    seen: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.path):
        other = seen.setdefault(article.slug, article)
        if other is not article:
            url = article_url(article.slug)
            diags.error(article.src, f"{url} is also the page of {other.src.path}; rename one of the files")
            diags.error(other.src, f"{url} is also the page of {article.src.path}; rename one of the files")
    kept = {id(a) for a in seen.values()}
    return [a for a in articles if id(a) in kept]


def _resolve_articles(articles, registry):
    named: dict[str, list[tuple[Key, str | None]]] = {}
    about: dict[str, frozenset[Key]] = {}
    event_keys: dict[tuple[str, int], tuple[Key, ...]] = {}
    for order, article in enumerate(articles):
        listed: dict[Key, str | None] = {}
        for ref in article.people + article.organisations:
            slug = registry.resolve(ref, order)
            if slug and ((key := registry.key(ref.kind, slug)) not in listed or listed[key] is None):
                listed[key] = ref.role
        about[article.path] = frozenset(listed)
        for event in article.events:
            keys = []
            for ref in event.people + event.organisations:
                slug = registry.resolve(ref, order)
                if slug and (key := registry.key(ref.kind, slug)) not in keys:
                    keys.append(key)
                    listed.setdefault(key, None)
            event_keys[(article.path, event.order)] = tuple(keys)
        named[article.path] = list(listed.items())
    return named, about, event_keys


def _resolve_notes(notes, registry, diags):
    roles: dict[Key, list[HeldRole]] = defaultdict(list)
    members: dict[Key, list[HeldRole]] = defaultdict(list)
    parents: dict[Key, Key] = {}
    children: dict[Key, list[Key]] = defaultdict(list)
    for note in notes:
        key = registry.key(note.kind, note.slug)
        for role in note.roles:
            org = registry.resolve(role.organisation, 0) if role.organisation else None
            held = HeldRole(key, role, registry.key(ORGANISATION, org) if org else None)
            roles[key].append(held)
            if org and note.kind == PERSON:
                members[held.organisation].append(held)
        if note.parent and (parent := registry.resolve(note.parent, 0)):
            if parent == note.slug:
                diags.error(note.parent.src, "parent: an organisation cannot be its own parent")
                continue
            parents[key] = registry.key(ORGANISATION, parent)
            children[parents[key]].append(key)
    return ({k: tuple(v) for k, v in roles.items()}, {k: tuple(v) for k, v in members.items()},
            parents, {k: tuple(v) for k, v in children.items()})


def _resolve_wikilinks(articles, content, registry, diags, named) -> dict[str, tuple[Key | None, ...]]:
    bodies: list[tuple[Body, str | None]] = [(a.body, a.path) for a in articles]
    bodies += [(n.body, None) for n in content.notes] + [(s.body, None) for s in content.stories]
    links = {}
    for body, article_path in bodies:
        found = []
        for link in body.wikilinks:
            pos = body.src.at(body.src.line + link.line)
            key = _resolve_wikilink(link, pos, registry, diags)
            found.append(key)
            if key and article_path is not None and all(k != key for k, _ in named[article_path]):
                named[article_path].append((key, None))
        links[body.src.path] = tuple(found)
    for path, entries in named.items():
        named[path] = tuple(entries)
    return links


def _resolve_wikilink(link, pos: SourcePos, registry: _Registry, diags: Diagnostics) -> Key | None:
    kinds = (link.kind,) if link.kind else KINDS
    hits = [registry.key(kind, slug) for kind in kinds if (slug := registry.find(kind, link.target, pos))]
    if len(hits) > 1:
        diags.error(pos, f'[[{link.target}]] matches both a person and an organisation; write '
                         f'[[person:{link.target}]] or [[organisation:{link.target}]]')
        return None
    if not hits:
        diags.warning(pos, f'[[{link.target}]] matches no {link.kind or "person or organisation"}; it is shown '
                           "as plain text (check the spelling, or name them in people: or organisations:)")
        return None
    return hits[0]


def _timeline(articles, event_keys) -> tuple[TimelineEntry, ...]:
    entries = [TimelineEntry(e, a, event_keys[(a.path, e.order)]) for a in articles for e in a.events]
    return tuple(sorted(entries, key=TimelineEntry.sort_key))


def _per_entity(timeline) -> dict[Key, tuple[TimelineEntry, ...]]:
    result: dict[Key, list[TimelineEntry]] = defaultdict(list)
    for entry in timeline:
        for key in entry.entities:
            result[key].append(entry)
    return {k: tuple(v) for k, v in result.items()}


def _mentions(newest, named) -> dict[Key, tuple[Mention, ...]]:
    result: dict[Key, list[Mention]] = defaultdict(list)
    for article in newest:
        for key, role in named[article.path]:
            result[key].append(Mention(article, role))
    return {k: tuple(v) for k, v in result.items()}


def _connections(articles, named, entities) -> dict[Key, tuple[tuple[Key, int], ...]]:
    counts: dict[Key, Counter] = defaultdict(Counter)
    for article in articles:
        keys = [k for k, _ in named[article.path]]
        for key in keys:
            counts[key].update(keys)  # itself too, taken out below: counting a list is done in C
    for key, count in counts.items():
        del count[key]

    names = {key: entity.name.casefold() for key, entity in entities.items()}

    def rank(item):
        key, count = item
        return (-count, names[key], key)
    return {k: tuple(sorted(c.items(), key=rank)) for k, c in counts.items()}


def _stories(articles, notes, diags) -> dict[str, Story]:
    by_slug = {n.slug: n for n in notes}
    members: dict[str, dict[str, Article]] = defaultdict(dict)
    first_ref: dict[str, Ref] = {}
    for article in articles:
        for ref in article.stories:
            members[ref.text].setdefault(article.path, article)
            first_ref.setdefault(ref.text, ref)
    result = {}
    for slug in sorted(set(by_slug) | set(members)):
        note = by_slug.get(slug)
        if note is None:
            diags.warning(first_ref[slug].src, f'story "{slug}" has no file stories/{slug}.md; its page is '
                                               "titled from its slug (python build.py new story \"Title\")")
        result[slug] = Story(slug, note.title if note else unslug(slug), note.summary if note else "",
                             note, tuple(members[slug].values()))
    return result


def _tags(articles) -> dict[str, Tag]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    tagged: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in articles:
        for tag in article.tags:
            slug = slugify(tag)
            spellings[slug][tag] += 1
            tagged[slug].setdefault(article.path, article)
    return {slug: Tag(slug, spellings[slug].most_common(1)[0][0], tuple(reversed(tagged[slug].values())))
            for slug in sorted(tagged)}
