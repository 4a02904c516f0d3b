"""Command line: build (default), serve, check, new. Exit 0 built, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import errno
import gc
import os
import signal
import sys
import traceback
from pathlib import Path

from . import __version__
from .builder import build
from .config import base_url_problem, load_config
from .diagnostics import Diagnostics
from .guard import Busy

COMMANDS = ("build", "serve", "check", "new", "deploy", "import", "export")
BUG_REPORT = ("This is a bug in site_builder, not a problem in your content. Please report it with the "
              "traceback above and, if you can, the file being built.")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the content folder (default: content)")
    parser.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                        help="where the site is written (default: output)")
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="templates that override the built-in ones (default: templates/ beside the content)")
    parser.add_argument("--base-url", metavar="URL",
                        help="where the site will be served, e.g. https://owner.github.io/repo/ (overrides site.yaml)")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--no-search", action="store_true", help="skip the search index and the /search/ page")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only problems")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py", description="Build a story-dossier website from a folder of articles.",
        epilog="With no command, builds the site (the same as 'build').")
    parser.add_argument("--version", action="version", version=f"site_builder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _common(sub.add_parser("build", help="build content/ into output/",
                           description="Build the content folder into the output folder. The previous "
                                       "output is replaced only when the build succeeds."))
    serve = sub.add_parser("serve", help="build, serve on 127.0.0.1:8000 and rebuild on change",
                           description="Build, then serve the site and reload the browser on every change.")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--verbose", "-v", action="store_true",
                       help="also print the server's own log: each browser connecting, each request")
    check = sub.add_parser("check", help="validate the content and print every problem; write nothing",
                           description="Validate everything without writing; exit 1 if there are errors.")
    _common(check)
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github: each problem as a GitHub Actions annotation, and the whole list in "
                            "$GITHUB_STEP_SUMMARY when that is set (default: text)")
    deploy = sub.add_parser("deploy", help="build, then push output/ to the gh-pages branch",
                            description="Build the site, then commit output/ (with .nojekyll, and CNAME "
                                        "when site.yaml sets cname:) as the gh-pages branch and push it.")
    _common(deploy)
    deploy.add_argument("--remote", default="origin", help="the git remote to push to (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="the branch to publish (default: gh-pages)")
    deploy.add_argument("--no-push", action="store_true", help="commit the branch but do not push it")
    clip = sub.add_parser("import", help="turn saved web clippings (.txt, .html) or PDFs into draft articles",
                          description="Read news clippings saved from the web and write one draft article per "
                                      "clipping to content/articles/, proposing the people and organisations "
                                      "it names and the dates it gives. A PDF becomes an article folder with "
                                      "the PDF beside it. Never overwrites a file; reads local files only.")
    clip.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a clipping saved as .txt, .html or .pdf")
    clip.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                      help="the content folder (default: content)")
    export = sub.add_parser("export", help="write the site as FollowTheMoney entities (for Aleph)",
                            description="Write the published site as FollowTheMoney entities, one JSON object "
                                        "a line (the format Aleph and the OpenSanctions tools read).")
    export.add_argument("format", choices=("ftm",), help="ftm: FollowTheMoney JSON lines")
    export.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the content folder (default: content)")
    export.add_argument("--output", type=Path, metavar="FILE", help="the file to write (default: standard output)")
    export.add_argument("--base-url", metavar="URL", help="where the site is served, for links back to its pages")
    export.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    export.add_argument("--strict", action="store_true", help="treat warnings as errors")
    new = sub.add_parser("new", help="start a new article, person, organisation or story file",
                         description="Write a new content file with its front matter filled in. "
                                     "Never overwrites an existing file.")
    new.add_argument("kind", choices=("article", "person", "organisation", "story", "site"))
    new.add_argument("name", help="the title of an article or story, the name of a person or organisation, "
                                  "or for a site the folder to make")
    new.add_argument("--builder", metavar="OWNER/REPO",
                     help="for a site: the GitHub repository of this builder, which its workflows check out "
                          "(default: the one this builder was cloned from)")
    new.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                     help="the content folder (default: content)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from_command_line = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    args.exit_after = from_command_line
    if from_command_line:
        signal.signal(signal.SIGTERM, _terminate)  # clean up as on Ctrl-C (output.py, parallel.py)
    try:
        status = _run(args)
        if from_command_line and args.command in ("build", "check"):
            _exit_now(status)
        return status
    except KeyboardInterrupt as stop:
        print("interrupted; output/ holds the last complete build", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130
    except Exception as err:
        if problem := _machine_problem(err, getattr(args, "output", None)):
            print(problem, file=sys.stderr)
            return 1
        traceback.print_exc()
        print(BUG_REPORT, file=sys.stderr)
        return 3


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the build is so that it cleans up as on Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise Terminated()


DISK_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


def _machine_problem(err: Exception, output: Path | None) -> str | None:
    """The one line for a fault of the machine, not of the content or of site_builder: a full
    or read-only disk, a folder this user may not write, another build holding output/."""
    if isinstance(err, Busy):
        return str(err)
    if isinstance(err, OSError) and err.errno in DISK_ERRORS:
        kept = f"; {output}/ was left as it was" if output else ""
        return f"{err.filename or 'error'}: {err.strerror}{kept}"
    return None


def _run(args: argparse.Namespace) -> int:
    if args.command == "new":
        return _new(args)
    if args.command == "import":
        return _import(args)
    if args.command == "export":
        return _export(args)
    if _bad_site_options(args):
        return 2
    diags = Diagnostics()
    options = {"base_url": args.base_url, "templates": args.templates, "output_dir": args.output,
               "drafts": args.drafts, "strict": args.strict, "no_search": args.no_search}
    config = load_config(args.content, diags, **options)
    if args.command == "serve":
        from .serve import serve
        return serve(config, options, host=args.host, port=args.port, verbose=args.verbose)
    if diags.failed(args.strict):
        return _report(diags, args.strict, getattr(args, "format", "text"))
    if args.command == "deploy" and (problem := _deploy_setup(config, args)):
        print(f"deploy: {problem}", file=sys.stderr)
        return 2
    progress = _progress_printer() if not args.quiet and sys.stderr.isatty() else None
    if args.exit_after:
        gc.disable()  # one build, then exit: collecting cycles among millions of records only costs time
    result = build(config, write=args.command in ("build", "deploy"), progress=progress)
    if args.exit_after:
        _KEPT.append(result)  # freed by the exit, not record by record (see _exit_now)
    result.diags.items[:0] = diags.items
    status = _report(result.diags, args.strict, getattr(args, "format", "text"))
    if status == 0 and not args.quiet:
        verb = "checked" if args.command == "check" else f"built into {args.output}/:"
        print(f"{verb} {result.summary()}")
    if status == 0 and args.command == "deploy":
        return _deploy(config, args)
    return status


_KEPT: list = []


def _exit_now(status: int) -> None:
    """End the process without freeing the site object by object: at 10,000 articles that is
    a million objects and a tenth of a second after the work is done. Nothing is pending:
    every file was written and closed, and output is flushed here."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _bad_base_url(args: argparse.Namespace) -> bool:
    """A --base-url that is no usable URL is wrong usage, not content: said in one line naming the flag."""
    if args.base_url is None or not (problem := base_url_problem(args.base_url)):
        return False
    print(f"--base-url{problem.removeprefix('base_url:')}", file=sys.stderr)
    return True


def _deploy_setup(config, args: argparse.Namespace) -> str | None:
    """What keeps deploy from working, said before the build: no repository, no remote."""
    from .deploy import DeploySetupError, check_setup
    try:
        check_setup(config, remote=args.remote, push=not args.no_push)
    except DeploySetupError as err:
        return str(err)
    return None


def _deploy(config, args: argparse.Namespace) -> int:
    from .deploy import DeployError, DeploySetupError, publish
    if config.base_url is None:
        print("warning: base_url is not set, so the site is built for the root of its host", file=sys.stderr)
    try:
        changed = publish(config, remote=args.remote, branch=args.branch, push=not args.no_push)
    except DeployError as err:
        print(f"deploy failed: {err}", file=sys.stderr)
        return 2 if isinstance(err, DeploySetupError) else 1
    where = f"branch {args.branch}" + ("" if args.no_push else f" on {args.remote}")
    if changed:
        print(f"published {args.output}/ to {where}")
    else:
        print(f"nothing to publish: {where} already holds this build (no new commit)")
    return 0


def _report(diags: Diagnostics, strict: bool, format: str = "text") -> int:
    if format == "github":
        _report_to_github(diags, strict)
    else:
        for problem in diags.sorted():
            print(problem, file=sys.stderr)
    if diags.failed(strict):
        errors, warnings = len(diags.errors), len(diags.warnings)
        why = f"{errors} error{'s' * (errors != 1)}" if errors else f"{warnings} warning(s) with --strict"
        print(f"failed: {why}; nothing was written", file=sys.stderr)
        return 1
    return 0


def _report_to_github(diags: Diagnostics, strict: bool) -> None:
    """Annotations on stdout (where the runner reads workflow commands); the full table in the
    step summary, since GitHub shows only ten annotations of each kind per step."""
    from .diagnostics import github_annotations, markdown_summary
    problems = diags.sorted()
    for line in github_annotations(problems):
        print(line)
    if summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown_summary(problems, diags.failed(strict)))


def _progress_printer():
    """Shows 'rendering N/M pages' on a terminal once a build has taken over a second."""
    import time
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        if time.perf_counter() - started > 1.0:
            end = "\n" if done >= total else ""
            print(f"\rrendering {done}/{total} pages", end=end, file=sys.stderr, flush=True)
    return show


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_file
    if args.kind == "site":
        return _new_site(args)
    try:
        path = new_file(args.content, args.kind, args.name)
    except FileExistsError as err:
        print(f"{err.filename}: already exists; nothing was written", file=sys.stderr)
        return 1
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


def _bad_site_options(args: argparse.Namespace) -> bool:
    """Say so and return True when --content is no folder or --base-url is no site address."""
    if not args.content.is_dir():
        print(f"{args.content}: no such content folder (use --content DIR)", file=sys.stderr)
        return True
    return _bad_base_url(args)


def _export(args: argparse.Namespace) -> int:
    try:
        from .ftm import export_site
    except ImportError as err:
        print(f"export ftm needs the followthemoney library ({err.name} is missing): "
              "pip install -r requirements.txt", file=sys.stderr)
        return 2
    if _bad_site_options(args):
        return 2
    diags = Diagnostics()
    config = load_config(args.content, diags, base_url=args.base_url, drafts=args.drafts, strict=args.strict)
    count = export_site(config, diags, args.output, sys.stdout)
    status = _report(diags, args.strict)
    if status == 0 and args.output:
        print(f"exported {count} entities to {args.output}", file=sys.stderr)
    return status


def _new_site(args: argparse.Namespace) -> int:
    from .scaffold import PLACEHOLDER_REPOSITORY, new_site
    folder = Path(args.name)
    try:
        made = new_site(folder, args.builder)
    except FileExistsError:
        print(f"{folder}: already exists and is not empty; nothing was written", file=sys.stderr)
        return 1
    for path in made.files:
        print(path)
    if made.builder_repository is None:
        print(f"note: the workflows check out the builder from {PLACEHOLDER_REPOSITORY}: write its real GitHub "
              f"repository into {folder}/.github/workflows/*.yml (or run again with --builder OWNER/REPO)",
              file=sys.stderr)
    print(f"build it with: python build.py --content {folder / 'content'} --output {folder / 'output'}",
          file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from .clipping import ClippingError
    from .importer import import_clipping, known_entities
    known = known_entities(args.content)
    status = 0
    for path in args.files:
        try:
            done = import_clipping(path, args.content, known)
        except ClippingError as err:
            print(f"{path}: {err}; nothing was written for it", file=sys.stderr)
            status = 1
            continue
        except FileExistsError as err:
            print(f"{path}: {err.filename} already exists; nothing was written for it", file=sys.stderr)
            status = 1
            continue
        print(f"{path} -> {done.path}")
        print(f"  people: {', '.join(done.people) or '(none known)'}")
        print(f"  organisations: {', '.join(done.organisations) or '(none known)'}")
        if done.unknown:
            print(f"  not yet known (listed as comments): {', '.join(done.unknown)}")
        if done.events:
            print(f"  dated events suggested (as comments): {done.events}")
    return status
