"""Printable posters (signage) generated from the kiosk's content and settings.

    from kiosk.signage import render_all
    render_all("out/", size="A4")            # every poster: <name>.png + <name>.pdf

What goes on each poster: signage/posters.toml (see signage/README.md).
Modules: thai (Thai line breaking), typeset (fonts, paragraphs), blocks (block
layout), render (page frame, fitting, drawing, saving), definitions (the file).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kiosk.config.settings import Settings, load_settings
from kiosk.content.loader import load_content
from kiosk.signage.definitions import (
    LANGUAGE_POSTERS,
    POSTER_WORDS,
    Poster,
    PosterError,
    bilingual,
    build_posters,
    in_language,
    load_definitions,
)
from kiosk.signage.render import SIZES_MM, Rendered, page_size, render_poster, save
from kiosk.signage.typeset import LayoutError, require_raqm

__all__ = [
    "LayoutError",
    "PosterError",
    "Poster",
    "Rendered",
    "SIZES_MM",
    "Job",
    "Result",
    "load_job",
    "page_size",
    "render_all",
    "render_poster",
    "save",
]


@dataclass
class Job:
    """Everything needed to draw the posters of one station."""

    settings: Settings
    content: object
    posters: list[Poster]
    common: dict

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.posters]

    def poster(self, name: str) -> Poster:
        for p in self.posters:
            if p.name == name:
                return p
        raise KeyError(name)

    def render(self, name: str, size: str = "A4", dpi: int = 300) -> Rendered:
        poster = self.poster(name)
        common = self.common
        if poster.lang != "en":
            common = {key: bilingual(label, poster.lang) for key, label in POSTER_WORDS.items()}
        return render_poster(poster, self.settings, self.content, common, size, dpi)


@dataclass
class Result:
    name: str
    files: list[Path]
    pages: int
    seconds: float


def load_job(
    config_file: str | None = None,
    settings: Settings | None = None,
    content=None,
    definitions: str | Path | None = None,
    today: dt.date | None = None,
    data_dir: str | Path | None = None,
) -> Job:
    """Settings (from ``config_file`` or given), content (the station's
    content_dir laid over the defaults) and the poster definitions. With a
    ``data_dir``, the station's published settings and content in its database
    are laid over them (kiosk.content.station), as the kiosk shows them."""
    if settings is None and data_dir is not None:
        settings, content = _published(config_file, Path(data_dir))
    settings = settings if settings is not None else load_settings(config_file)
    if content is None:
        content = load_content(settings.kiosk.content_dir or None)
    data = load_definitions(definitions)
    posters = build_posters(content, settings, data, today=today)
    # Thai over each other language the station offers, for the No Gift Policy and the reporting channels.
    others = [lang for lang in settings.station.offered_languages() if lang not in ("th", "en")]
    posters += [
        in_language(p, lang, settings.public.base_url) for lang in others for p in posters if p.name in LANGUAGE_POSTERS
    ]
    common = {key: bilingual(label) for key, label in POSTER_WORDS.items()}
    return Job(settings, content, posters, common)


def _published(config_file: str | None, data_dir: Path):
    """The effective settings and content of the kiosk whose data directory this is."""
    from kiosk.content.station import StationSource
    from kiosk.store import station as store
    from kiosk.store.db import DB_FILENAME, connect

    source = StationSource(config_file)
    document = {"settings": {}, "content": {}}
    if (data_dir / DB_FILENAME).exists():
        db = connect(data_dir / DB_FILENAME)
        try:
            document = store.published(db)
        finally:
            db.conn.close()
    effective = source.build(document)
    return effective.settings, effective.content


_JOB: Job | None = None  # in worker processes


def _work(args) -> Result:
    name, size, dpi, out_dir = args
    t = time.perf_counter()
    r = _JOB.render(name, size, dpi)
    files = save(r, Path(out_dir))
    return Result(name, files, len(r.pages), time.perf_counter() - t)


def _init(job: Job) -> None:
    global _JOB
    _JOB = job


def render_all(
    out_dir: str | Path,
    size: str = "A4",
    only: Iterable[str] | None = None,
    job: Job | None = None,
    dpi: int = 300,
    jobs: int | None = None,
    progress: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Draw the posters (all, or ``only`` these names) into ``out_dir``, in
    ``jobs`` processes (default: one per CPU, at most 4). Returns their results
    in poster order; ``progress`` is called as each poster is done."""
    require_raqm()
    if size not in SIZES_MM:
        raise ValueError(f"size must be one of {', '.join(SIZES_MM)}")
    job = job or load_job()
    names = job.names
    if only:
        only = list(dict.fromkeys(only))
        unknown = [n for n in only if n not in names]
        if unknown:
            raise KeyError(f"unknown poster {unknown[0]!r}; posters are: {', '.join(names)}")
        names = [n for n in names if n in only]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = [(n, size, dpi, str(out_dir)) for n in names]
    jobs = jobs or min(4, os.cpu_count() or 1)
    results: dict[str, Result] = {}
    if jobs <= 1 or len(tasks) <= 1:
        _init(job)
        for t in tasks:
            r = _work(t)
            results[r.name] = r
            if progress:
                progress(r)
    else:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init, initargs=(job,)) as ex:
            for r in ex.map(_work, tasks):
                results[r.name] = r
                if progress:
                    progress(r)
    return [results[n] for n in names]
