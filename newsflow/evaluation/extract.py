"""``newsflow eval extract``: our page extraction beside trafilatura on the same pages.

Why both in one call: the shares only mean something against a peer measured on the
same pages, with the same snippet matching, on the same machine at the same time.
Scoring follows trafilatura's own evaluation: a ``with`` snippet counts when it is a
substring of the extracted text, a ``without`` snippet when it is not (whitespace
runs collapsed on both sides, for both extractors alike). Speed is pages per CPU
second of this process (``time.process_time``): on a shared machine wall time
measures the neighbours as much as the extractor.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.clean import clean_article
from pipeline.errors import BadInput
from schemas.article import Article

_WS = re.compile(r"\s+")


def _load(pages_dir: Path, limit: int | None) -> list[tuple[str, list[str], list[str]]]:
    """(html, with, without) per page, decoded like a browser would."""
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    meta = json.loads((pages_dir / "evaldata.json").read_text(encoding="utf-8"))
    out = []
    for item in meta.values():
        path = pages_dir / "pages" / item["file"]
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        out.append((bytes_to_str(raw, detect_encoding(raw) or "utf-8"), item.get("with", []), item.get("without", [])))
        if limit is not None and len(out) >= limit:
            break
    return out


def _ours(page: str) -> str:
    """Headline and body as our clean stage gives them."""
    try:
        clean = clean_article(Article(format="html", body=page, body_type="text/html"))
    except BadInput:
        return ""
    return clean.headline + "\n" + clean.body


def _trafilatura(page: str) -> str:
    """trafilatura with its defaults (the peer)."""
    import trafilatura

    return trafilatura.extract(page) or ""


def _score(name: str, fn: Callable[[str], str], pages: list[tuple[str, list[str], list[str]]]) -> dict[str, Any]:
    """Run one extractor over all pages: shares and pages per CPU second."""
    start = time.process_time()
    texts = [fn(html) for html, _, _ in pages]
    seconds = time.process_time() - start
    found = total_with = avoided = total_without = 0
    for text, (_, with_, without) in zip(texts, pages):
        flat = _WS.sub(" ", text)
        for s in with_:
            total_with += 1
            found += _WS.sub(" ", s) in flat
        for s in without:
            total_without += 1
            avoided += _WS.sub(" ", s) not in flat
    print(f"{name}: {len(pages)} pages in {seconds:.1f} CPU s", file=sys.stderr)
    return {
        "name": name,
        "with_found": round(found / max(total_with, 1), 4),
        "without_avoided": round(avoided / max(total_without, 1), 4),
        "pages_per_s": round(len(pages) / seconds, 1) if seconds > 0 else 0.0,
        "cpu_seconds": round(seconds, 2),
        "snippets_with": total_with,
        "snippets_without": total_without,
    }


def run(pages_dir: Path, limit: int | None = None, *, baseline: bool = True) -> dict[str, Any]:
    """Scores of our extractor and of trafilatura on the pages in ``pages_dir``
    (``baseline=False``: ours alone, for quick iterations; the peer's figures are left out)."""
    pages = _load(Path(pages_dir), limit)
    if not pages:
        raise FileNotFoundError(f"no pages found under {pages_dir}")
    ours = _score("newsflow", _ours, pages)
    result = {
        "pages": len(pages),
        "with_found": ours["with_found"],
        "without_avoided": ours["without_avoided"],
        "pages_per_s": ours["pages_per_s"],
        "cpu_seconds": ours["cpu_seconds"],
    }
    if baseline:
        peer = _score("trafilatura", _trafilatura, pages)
        result["speedup"] = round(ours["pages_per_s"] / peer["pages_per_s"], 1) if peer["pages_per_s"] else None
        result["peer"] = {k: peer[k] for k in ("name", "with_found", "without_avoided", "pages_per_s", "cpu_seconds")}
    return result
