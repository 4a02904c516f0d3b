"""The search index: Pagefind, run on a finished build before it is swapped in."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path


class SearchError(RuntimeError):
    """Pagefind could not index the site."""


def index_site(folder: Path, language: str) -> int:
    """Write folder/pagefind/ for the pages marked data-pagefind-body; returns how many were indexed."""
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as err:  # pragma: no cover - it is in requirements.txt
        raise SearchError("the pagefind package is missing: pip install -r requirements.txt") from err

    async def run() -> int:
        config = IndexConfig(force_language=language, output_path=str(folder / "pagefind"))
        async with PagefindIndex(config=config) as index:
            result = await index.add_directory(str(folder))
            return int(result.get("page_count", 0))
    # In a thread of its own: the caller may already run an event loop (serve, a browser driver).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result()
