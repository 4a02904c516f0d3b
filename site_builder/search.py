"""The search index: Pagefind, given a small document per searchable page.

Pagefind reads a title and the text of each article, dossier and story, not the
rendered pages: reading back hundreds of megabytes of HTML (timelines, article
lists) cost more than the indexing itself, and would index lists as content."""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import shutil
import tempfile
from pathlib import Path

SEARCHED = ("article.html", "dossier.html", "story.html")


class SearchError(RuntimeError):
    """Pagefind could not index the site."""


def document(template: str, context: dict, language: str) -> str | None:
    """The HTML Pagefind indexes for a page, or None for pages that are not searched."""
    if template not in SEARCHED:
        return None
    esc = html.escape
    parts = [f"<h1>{esc(context['title'])}</h1>"]
    if template == "article.html":
        parts.append(f"<p>{esc(context.get('summary') or '')}</p>{context['body']}")
    elif template == "dossier.html":
        kind = "Person" if context["kind"] == "person" else "Organisation"
        parts.append(f"<p>{kind}. {esc(', '.join(context['aliases']))}</p>")
        parts += [f"<p>{esc(r['title'])}{', ' + esc(r['organisation']['name']) if r['organisation'] else ''}</p>"
                  for r in context["roles"]]
        parts.append(str(context["notes"] or ""))
    else:
        parts.append(f"<p>{esc(context.get('summary') or '')}</p>{context.get('body') or ''}")
    return (f'<!doctype html><html lang="{esc(language)}"><head><title>{esc(context["title"])}</title></head>'
            f'<body><main data-pagefind-body>{"".join(parts)}</main></body></html>')


class SearchIndex:
    """Collects each page's searchable document, then has Pagefind index them into folder/pagefind/.

    The documents are written to a scratch folder that Pagefind reads as a site: its
    service takes a directory far faster than one page per message."""

    def __init__(self, folder: Path, language: str):
        self.language = language
        self.output = folder / "pagefind"
        self.scratch = Path(tempfile.mkdtemp(prefix=".search-", dir=folder.parent))
        self.count = 0

    def add(self, url: str, template: str, context: dict) -> None:
        content = document(template, context, self.language)
        if content is not None:
            target = self.scratch / url.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            self.count += 1

    def finish(self, ok: bool = True) -> int:
        """Write the index (or, if not ok, only clean up); returns the pages indexed."""
        try:
            if ok:
                _run_async(self._index)
        except Exception as err:
            raise SearchError(f"pagefind failed: {err}") from err
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return self.count

    async def _index(self) -> None:
        from pagefind.index import IndexConfig, PagefindIndex

        config = IndexConfig(force_language=self.language, output_path=str(self.output))
        async with PagefindIndex(config=config) as index:
            await index.add_directory(str(self.scratch))


def _run_async(make_coroutine):
    """Run a coroutine to the end in a thread of its own: the caller may already run an event loop."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()
