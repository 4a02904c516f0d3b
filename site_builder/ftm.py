"""`export ftm`: the published site as FollowTheMoney entities, one JSON object a line.

FollowTheMoney is the common language of Aleph and the OpenSanctions tools. The entities are
made with the `followthemoney` library (its schemata, its ids, its cleaning), never by hand:
people, organisations (Company or PublicBody where a note's `kind` says so, and every
organisation that is owned, since an Ownership's asset must be an Asset), articles, an
article's naming of an entity (Documentation, with the role it gives), roles held (Employment
or Membership), events, and stated relations (`relation_entity`).

Ids are SHA-1 digests of what identifies each thing on the site (`make_id`): the same content
gives the same ids build after build, and they are valid FollowTheMoney ids, so no reference
is dropped (the library silently drops references to ids such as `peña-nieto` or `org:acme`).
A value the library would drop when it cleans it (a country it does not know, a malformed URL)
is left out with a warning naming the file, rather than exported and silently lost downstream.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from followthemoney import model, registry
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id

from .cache import Cache
from .config import SiteConfig
from .dates import DateSpan, PartialDate
from .diagnostics import Diagnostics, SourcePos
from .index import Entity, Key, Site, build_site
from .load import load_content
from .markdown import fill
from .model import PERSON, Article, Body
from .slugs import match_key

# type -> (schema, first party's property, second party's property, property for the role)
RELATION_SCHEMATA = {
    "family": ("Family", "person", "relative", "relationship"),
    "associate": ("Associate", "person", "associate", "relationship"),
    "employment": ("Employment", "employee", "employer", "role"),
    "membership": ("Membership", "member", "organization", "role"),
    "directorship": ("Directorship", "director", "organization", "role"),
    "ownership": ("Ownership", "owner", "asset", "role"),
    "succession": ("Succession", "predecessor", "successor", "role"),
    "link": ("UnknownLink", "subject", "object", "role"),
}

# An organisation's `kind` (free text) -> a narrower schema, by the words it contains; the first
# rule that matches wins. Everything else stays an Organization (a cartel, a party, a union...).
KIND_SCHEMATA = (
    ("Company", ("company", "corporation", "business", "firm", "bank", "enterprise", "conglomerate",
                 "newspaper", "news", "broadcaster", "magazine", "publisher", "airline", "holding", "llc",
                 "inc", "ltd", "plc", "gmbh", "s.a.", "empresa", "compania", "banco", "periodico", "diario")),
    ("PublicBody", ("agency", "court", "ministry", "secretariat", "department", "government", "police",
                    "army", "navy", "military", "armed forces", "prosecutor", "prosecution", "attorney general",
                    "congress", "parliament", "senate", "legislature", "embassy", "regulator", "public body",
                    "municipality", "council", "commission", "state", "federal", "agencia", "secretaria",
                    "ministerio", "tribunal", "juzgado", "fiscalia", "procuraduria", "gobierno", "policia",
                    "ejercito", "congreso", "senado")),
)
PERSON_SCHEMA = "Person"
MEMBERSHIP_WORDS = re.compile(r"\bmember\b", re.IGNORECASE)

# A relation as the export takes it: (type, first party, second party, role, from, to, sources);
# a source is an Article (its entity is the proof, its source_url a sourceUrl) or an http(s) URL.
Relation = tuple  # (str, Key, Key, str | None, DateSpan | None, DateSpan | None, Iterable[Article | str])


def entity_id(key: Key) -> str:
    """The id of a person or organisation: stable while its slug is."""
    return make_entity_id("entity", *key)


def article_id(article: Article) -> str:
    return make_entity_id("article", article.slug)


def relation_entity(type: str, first: Key, second: Key, role: str | None = None, start: DateSpan | None = None,
                    end: DateSpan | None = None, sources: Iterable[Article | str] = ()) -> EntityProxy:
    """A stated relation as the link schema the contract's table gives its type.

    The id depends on the type, the parties and the role (the contract's identity of a relation),
    so the same relation stated in several places is one entity citing each. Parties of a kind
    the schema does not take are the loader's error to report; here they are a ValueError."""
    schema, source_prop, target_prop, role_prop = RELATION_SCHEMATA[type]
    link = model.make_entity(schema)
    for prop, key in ((source_prop, first), (target_prop, second)):
        expected = link.schema.properties[prop].range
        # an organisation is at most a Company (an owned one is exported as one: see export_entities)
        exported_as = model.get(PERSON_SCHEMA if key[0] == PERSON else "Company")
        if not exported_as.is_a(expected):
            raise ValueError(f"{type}: {prop} must be a {expected.name}, not the {key[0]} {key[1]}")
    link.make_id("relation", type, *first, *second, match_key(role or ""))
    link.add(source_prop, entity_id(first), cleaned=True)
    link.add(target_prop, entity_id(second), cleaned=True)
    if role:
        link.add(role_prop, role)
    _add_span(link, start, end)
    _cite(link, sources)
    return link


def stated(site: Site) -> list[Relation]:
    """The site's stated relations as the export takes them: one per merged relation (index), citing
    each article that states it and each source URL given with it."""
    articles = {a.path: a for a in site.articles}
    return [(rel.type, rel.first, rel.second, rel.role, rel.start, rel.end,
             [articles[path] for path in rel.articles] + list(rel.urls)) for rel in site.relations]


def export_entities(site: Site, diags: Diagnostics, relations: Iterable[Relation] | None = None
                    ) -> Iterator[EntityProxy]:
    """Every entity of the published site, in a stable order: people and organisations by slug,
    articles oldest first with their naming and events, roles, then stated relations (the site's
    own, `stated(site)`, unless others are given)."""
    relations = stated(site) if relations is None else list(relations)
    owned = {second for type, _, second, *_ in relations if type == "ownership"}
    for key in sorted(site.entities):
        yield _party(site, site.entities[key], key in owned, diags)
    language = registry.language.clean(site.config.language)
    if language is None:
        diags.warning(SourcePos(site.config.display_path("site.yaml")), f'language: "{site.config.language}" is '
                      "not a language FollowTheMoney can read; the articles are exported without one")
    for article in reversed(site.articles):
        yield _article(article, language, diags)
        for key, role in site.named[article.path]:
            yield _documentation(article, key, role)
    for entry in site.timeline:
        yield _event(entry.event, entry.article, entry.entities)
    for person in sorted(site.roles):
        for held in site.roles[person]:
            if held.organisation is not None:
                yield _held_role(site, held)
    for relation in relations:
        yield relation_entity(*relation)


def organisation_schema(entity: Entity, owned: bool) -> str:
    """Company or PublicBody when the notes' kind names one (KIND_SCHEMATA), else Organization;
    always Company when the organisation is owned (an Ownership's asset must be an Asset)."""
    if owned:
        return "Company"
    kind = match_key(dict(entity.note.facts).get("kind", "")) if entity.note else ""
    for schema, hints in KIND_SCHEMATA:
        if any(re.search(rf"(?<![a-z]){re.escape(hint)}(?![a-z])", kind) for hint in hints):
            return schema
    return "Organization"


def _party(site: Site, entity: Entity, owned: bool, diags: Diagnostics) -> EntityProxy:
    schema = PERSON_SCHEMA if entity.kind == PERSON else organisation_schema(entity, owned)
    proxy = model.make_entity(schema)
    proxy.id = entity_id(entity.key)
    proxy.add("name", entity.name)
    proxy.add("alias", [alias for alias in entity.aliases if alias != entity.name])
    _add_url(proxy, "sourceUrl", _page_url(site, entity.url))
    note = entity.note
    if note is None:
        return proxy
    pos = note.src
    dates = dict(note.dates)
    facts = dict(note.facts)
    if entity.kind == PERSON:
        _add_date(proxy, "birthDate", dates.get("born"))
        _add_date(proxy, "deathDate", dates.get("died"))
        _add_checked(proxy, "nationality", facts.get("nationality"), pos, diags)
        proxy.add("position", [held.role.title for held in site.roles.get(entity.key, ())])
    else:
        _add_date(proxy, "incorporationDate", dates.get("founded"))
        _add_date(proxy, "dissolutionDate", dates.get("dissolved"))
        _add_checked(proxy, "country", facts.get("country"), pos, diags)
        proxy.add("classification", facts.get("kind"))
        if parent := site.parents.get(entity.key):
            proxy.add("parent", entity_id(parent), cleaned=True)
    for link in note.links:
        _add_checked(proxy, "wikipediaUrl" if ".wikipedia.org/" in link else "website", link, pos, diags)
    proxy.add("description", note.body.first_paragraph or None)
    return proxy


def _article(article: Article, language: str | None, diags: Diagnostics) -> EntityProxy:
    proxy = model.make_entity("Article")
    proxy.id = article_id(article)
    proxy.add("title", article.title)
    proxy.add("name", article.title)
    proxy.add("publishedAt", _moment(article.published), cleaned=True)
    proxy.add("author", article.author)
    proxy.add("publisher", article.source)
    _add_checked(proxy, "sourceUrl", article.source_url, article.src, diags)
    proxy.add("summary", article.summary or None)
    proxy.add("bodyText", body_text(article.body) or None)
    proxy.add("keywords", list(article.tags))
    proxy.add("language", language, cleaned=True)
    return proxy


class _TextOnly(HTMLParser):
    """The text of rendered HTML, a line break between blocks, for Aleph's full-text search."""

    BLOCKS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote pre tr br div table ul ol hr figure".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")


def body_text(body: Body) -> str:
    """A body as plain text: wikilinks as their labels, paragraphs apart by a blank line."""
    parser = _TextOnly()
    parser.feed(fill(body.html, [html.escape(link.label) for link in body.wikilinks], "/",
                     [""] * len(body.files)))  # (a link's URL or a picture: no text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _documentation(article: Article, key: Key, role: str | None) -> EntityProxy:
    link = model.make_entity("Documentation")
    link.make_id("documentation", article.slug, *key)
    link.add("document", article_id(article), cleaned=True)
    link.add("entity", entity_id(key), cleaned=True)
    link.add("role", role)
    link.add("date", _moment(article.published), cleaned=True)
    _cite(link, [article])
    return link


def _event(event, article: Article, involved: tuple[Key, ...]) -> EntityProxy:
    proxy = model.make_entity("Event")
    proxy.make_id("event", article.slug, str(event.order))
    proxy.add("name", event.text)
    if event.date.interval:
        _add_span(proxy, event.date, event.date)
    else:
        proxy.add("date", event.date.start.iso(), cleaned=True)
    proxy.add("involved", [entity_id(key) for key in involved], cleaned=True)
    _cite(proxy, [article])
    return proxy


def _held_role(site: Site, held) -> EntityProxy:
    """A role from a notes file: Membership when its title says member, else Employment."""
    role = held.role
    member = MEMBERSHIP_WORDS.search(role.title) or held.person[0] != PERSON
    schema, first, second = ("Membership", "member", "organization") if member else \
        ("Employment", "employee", "employer")
    link = model.make_entity(schema)
    link.make_id("role", *held.person, role.title.casefold(), *held.organisation,
                 role.start.iso() if role.start else "")
    link.add(first, entity_id(held.person), cleaned=True)
    link.add(second, entity_id(held.organisation), cleaned=True)
    link.add("role", role.title)
    _add_span(link, role.start, role.end)
    person = site.entities[held.person]
    _add_url(link, "sourceUrl", _page_url(site, person.url))
    return link


def _cite(link: EntityProxy, sources: Iterable[Article | str]) -> None:
    for source in sources:
        if isinstance(source, str):
            _add_url(link, "sourceUrl", source)
        else:
            link.add("proof", article_id(source), cleaned=True)
            _add_url(link, "sourceUrl", source.source_url)


def _add_span(proxy: EntityProxy, start: DateSpan | None, end: DateSpan | None) -> None:
    """startDate from the start's earliest form, endDate from the end's latest (FtM has no
    intervals within one date, nor approximate dates: `1992~` is exported as `1992`)."""
    first = start and (start.start or start.end)
    last = end and (end.end or end.start)
    if first:
        proxy.add("startDate", first.iso(), cleaned=True)
    if last:
        proxy.add("endDate", last.iso(), cleaned=True)


def _add_date(proxy: EntityProxy, prop: str, span: DateSpan | None) -> None:
    date: PartialDate | None = span and (span.start or span.end)
    if date:
        proxy.add(prop, date.iso(), cleaned=True)


def _moment(published: dt.datetime) -> str:
    """An article's date as FtM takes it: the day alone when no time was given, else UTC."""
    utc = published.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%d") if utc.time() == dt.time(0) else utc.strftime("%Y-%m-%dT%H:%M:%S")


def _page_url(site: Site, path: str) -> str | None:
    """The absolute URL of a page of the site, when base_url says where it is served."""
    return site.config.absolute_url(path) if site.config.base_url else None


def _add_url(proxy: EntityProxy, prop: str, url: str | None) -> None:
    if url:
        proxy.add(prop, url)


@functools.cache
def _country_codes() -> dict[str, str]:
    """Country names and codes as the library writes them, to their codes: the library's own
    lookup of other spellings ("Mexican") first builds a table of every territory's names,
    seconds of work that a site whose notes use the usual names never needs."""
    names = registry.country.names
    return {**{label.casefold(): code for code, label in names.items()}, **{code: code for code in names}}


def _add_checked(proxy: EntityProxy, prop: str, value: str | None, pos: SourcePos, diags: Diagnostics) -> None:
    """Add a value the library may not read; one it would drop is a warning, not a silent loss."""
    if not value:
        return
    prop_ = proxy.schema.properties[prop]
    cleaned = _country_codes().get(value.casefold()) if prop_.type is registry.country else None
    cleaned = cleaned or prop_.type.clean(value, proxy=proxy)
    if cleaned is None:
        diags.warning(pos, f'{prop}: "{value}" is not a {prop_.type.label.lower()} FollowTheMoney can read; '
                           "it is left out of the export")
        return
    proxy.add(prop, cleaned, cleaned=True)


def export_site(config: SiteConfig, diags: Diagnostics, output: Path | None, stdout: IO[str],
                relations: Iterable[Relation] | None = None) -> int:
    """Load and index the content, then write its entities to output (a file, replaced only when
    the export succeeds) or to stdout. Nothing is written when diags fail; returns the count."""
    if diags.failed(config.strict):
        return 0
    # the last build's parsed files, read but never saved: the export changes nothing on disk
    site = build_site(config, load_content(config, diags, Cache.open(config).records), diags)
    if diags.failed(config.strict):
        return 0
    lines = [json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
             for entity in export_entities(site, diags, relations)]
    if diags.failed(config.strict):
        return 0
    if output is None:
        stdout.writelines(lines)
        stdout.flush()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(f".{output.name}.partial")
        partial.write_text("".join(lines), encoding="utf-8")
        os.replace(partial, output)
    return len(lines)
