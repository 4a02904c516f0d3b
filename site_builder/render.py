"""Jinja environment: a site's templates override the built-in ones; one URL helper."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import traceback
from pathlib import Path

import jinja2
import markupsafe
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    meta,
)

from . import i18n
from .config import PACKAGE_TEMPLATES, SiteConfig
from .pages import plain

# Frames that a template's error passes through but that are no one's fault: Jinja's, markupsafe's, and
# this module's (what `{{ value }}` and `value.key` call).
LIBRARY = (*(str(Path(module.__file__).resolve().parent) + os.sep for module in (jinja2, markupsafe)), __file__)


class TemplateProblem(Exception):
    """A site's own template failed: where (as the user names the file) and why, a content problem."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(path, line, message)
        self.path, self.line, self.message = path, line, message


class TemplateProblems(Exception):
    """Pages could not be rendered because of problems in a site's own templates."""

    def __init__(self, problems: list[TemplateProblem]):
        super().__init__(problems)
        self.problems = problems


class _Environment(Environment):
    """Contexts are plain data: `entry.date` looks the key up first. (Jinja tries an attribute
    first and catches the AttributeError, a third of the time of a page of 10,000 teasers.)"""

    own_dirs: tuple[str, ...] = ()  # a site's own template folders, resolved, each ending in os.sep

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return Environment.getattr(self, obj, attribute)


try:  # markupsafe's own C loop, without the Markup object it wraps each result in
    from markupsafe._speedups import _escape_inner
except ImportError:  # the same replacements markupsafe falls back to
    def _escape_inner(text: str) -> str:
        return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))


def _escape(value) -> str:
    """What a template's {{ value }} writes. A compiled template joins what it writes into one
    string, so a plain str serves as well as markupsafe.escape's Markup, at a fifth of the cost
    (a quarter of rendering a 10,000-article site). As markupsafe.escape: what has __html__ is
    written as that, anything else as its str escaped."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):  # Markup, a macro's output, rendered Markdown: already safe
        return value.__html__()
    return _escape_inner(str(value))


class _Template(jinja2.Template):
    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled module escapes output with the `escape` it imported; its functions look it up here.
        template.root_render_func.__globals__["escape"] = _escape
        return template


class _Loader(ChoiceLoader):
    """The first folder that has a template wins; a template found in a later one is out of date
    once an earlier folder has it too (one made while the preview runs overrides the built-in one)."""

    def get_source(self, environment, template):
        for number, loader in enumerate(self.loaders):
            try:
                source, filename, uptodate = loader.get_source(environment, template)
            except TemplateNotFound:
                continue
            earlier = [os.path.join(folder, *template.split("/"))
                       for before in self.loaders[:number] for folder in before.searchpath]
            if not earlier:
                return source, filename, uptodate
            return source, filename, _unless_made(earlier, uptodate)
        raise TemplateNotFound(template)

    load = jinja2.BaseLoader.load  # (ChoiceLoader's own asks each loader, not get_source above)


def _unless_made(paths: list[str], uptodate):
    return lambda: uptodate() and not any(map(os.path.isfile, paths))


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in a folder; one that cannot be written only costs the compiling."""

    def __init__(self, folder: Path):
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def dump_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def make_environment(config: SiteConfig, cache_folder: Path | None = None, auto_reload: bool = True) -> Environment:
    """Autoescaping on for everything; `url` and `absolute_url` filters honour base_url. With the
    build cache's folder, templates are compiled once and kept there (Jinja's bytecode cache, by
    each template's source): compiling them was a twentieth of a one-article rebuild. The folder
    is named by the builder's code, which sets how they compile (trim_blocks, i18n...).
    auto_reload=False for one build: each template is read once, not its time checked at each
    of twenty thousand pages (a hundredth of a big build)."""
    bytecode = None
    if cache_folder is not None:
        from .cache import code_version
        bytecode = _Compiled(cache_folder / f"templates-{code_version()}")
    env = _Environment(
        loader=_Loader([FileSystemLoader(str(d)) for d in config.template_dirs]), bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=auto_reload)
    env.template_class = _Template
    env.add_extension("jinja2.ext.i18n")  # every word through the site's catalogue (i18n.py)
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True
    gettext, ngettext = i18n.for_site(config).template_callables()
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    env.own_dirs = tuple(str(Path(d).resolve()) + os.sep for d in config.template_dirs
                         if Path(d).resolve() != PACKAGE_TEMPLATES)
    env.filters["url"] = config.url
    env.filters["absolute_url"] = config.absolute_url
    env.filters["tojson_compact"] = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)
    return env


_NAMED: dict[str, list[str]] = {}  # a template source's digest -> the templates it names


class TemplateDigests:
    """A digest per template of its source and of every template it extends, includes or imports,
    so a template edit changes the digests of exactly the pages that use it.

    `known` maps a source's digest to the templates it names, from an earlier run: parsing
    every template to find them is a twentieth of a one-article rebuild. `references` are
    the ones of this run's templates, for the next. What a template names depends on its text
    alone, so this process remembers them too (_NAMED): the preview, and a process that builds
    many sites, parse each template once."""

    def __init__(self, env: Environment, known: dict[str, list[str]] | None = None):
        self.env = env
        self.own: dict[str, str] = {}
        self.closed: dict[str, str] = {}
        self.refs: dict[str, list[str]] = {}
        self.known = known or {}
        self.references: dict[str, list[str]] = {}
        self.problems: list[TemplateProblem] = []  # syntax errors in a site's own templates

    def __call__(self, name: str) -> str:
        if name not in self.closed:
            seen: list[str] = []
            self._visit(name, seen)
            self.closed[name] = hashlib.sha256("\0".join(self.own[n] for n in sorted(seen)).encode()).hexdigest()
        return self.closed[name]

    def _visit(self, name: str, seen: list[str]) -> None:
        if name in seen:
            return
        seen.append(name)
        if name not in self.own:
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)
            except TemplateNotFound:  # "json", or a template the page will fail to find
                self.own[name] = f"{name}: none"
                return
            digest = hashlib.sha256(source.encode()).hexdigest()
            self.own[name] = f"{name}: {filename}: {digest}"
            if digest not in self.known and digest in _NAMED:
                self.known[digest] = _NAMED[digest]
            if digest not in self.known:
                try:
                    parsed = self.env.parse(source, name, filename)
                except TemplateSyntaxError as err:
                    problem = template_problem(self.env, err)
                    if problem is None:
                        raise
                    self.problems.append(problem)
                    return
                self.known[digest] = _NAMED[digest] = [n for n in meta.find_referenced_templates(parsed) if n]
            self.refs[name] = self.references[digest] = self.known[digest]
        for child in self.refs.get(name, ()):
            self._visit(child, seen)


def inert_json(value, **options) -> str:
    """Compact JSON with <, > and & escaped, so that it stays data even pasted into a page.
    (With indent, json falls back to its pure-Python encoder, ten times slower.)"""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), **options)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(env: Environment, template: str, context: dict) -> bytes:
    """The bytes of one page; TemplateProblem when a site's own template is at fault."""
    if template == "json":  # (graph.json is 27 MB at 10,000 articles: one copy less of it)
        return inert_json(context["data"], default=plain).encode("utf-8") + b"\n"
    try:
        return env.get_template(template).render(context).encode("utf-8")
    except Exception as err:
        problem = template_problem(env, err)
        if problem is None:
            raise
        raise problem from None


def check_templates(env: Environment, planned) -> list[TemplateProblem]:
    """For `check`, which writes nothing: the problems of a site's own templates that show on the
    first page of each template (every page of a template would be a build's whole rendering)."""
    digests = TemplateDigests(env)
    first: dict[str, object] = {}
    for page in planned.pages:
        first.setdefault(page.template, page)
    for name in sorted(first):
        digests(name)
    problems = list(digests.problems)
    for name, page in sorted(first.items()):
        try:
            render_page(env, name, planned.context(page)[0])
        except TemplateProblem as problem:
            problems.append(problem)
    return problems


def template_problem(env: Environment, err: Exception) -> TemplateProblem | None:
    """The error as a problem at a line of a site's own template, or None when it is ours: raised
    in a built-in template, or in our code that a template called."""
    own = getattr(env, "own_dirs", ())
    if isinstance(err, TemplateSyntaxError) and err.filename:
        frames = [(err.filename, err.lineno)]
    else:  # Jinja rewrites the traceback: a template's frames carry its file name and line
        frames = [(f.filename, f.lineno) for f in traceback.extract_tb(err.__traceback__)
                  if not f.filename.startswith(LIBRARY)]
    if not frames or not own or not os.path.realpath(frames[-1][0]).startswith(own):
        return None  # (the innermost frame outside Jinja must be a line of the site's own template)
    filename, line = frames[-1]
    return TemplateProblem(_shown(filename), line or 1, _message(err))


def _message(err: Exception) -> str:
    if isinstance(err, jinja2.TemplatesNotFound):
        return f"none of the templates {', '.join(map(repr, err.templates))} exists"
    if isinstance(err, TemplateNotFound):
        return f'template "{err.name}" not found in the site\'s templates/ or the built-in ones'
    if isinstance(err, TemplateSyntaxError):
        return f"template syntax: {err.message}"
    if isinstance(err, jinja2.TemplateError):
        return err.message or str(err)
    return f"{type(err).__name__}: {err}"


def _shown(filename: str) -> str:
    """A template's path as the user would type it: relative to the current folder when inside it."""
    path = os.path.abspath(filename)
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Files under each template folder's static/, a site's own winning: output path -> source."""
    files: dict[str, Path] = {}
    for folder in reversed(config.template_dirs):
        static = Path(folder) / "static"
        if static.is_dir():
            for path in sorted(p for p in static.rglob("*") if p.is_file()):
                files["static/" + path.relative_to(static).as_posix()] = path
    return files
