"""Refresh METR's data: download, validate, import atomically, and report what changed.

``python -m analysis.metr refresh [--from URL_OR_FOLDER]``. Any failure (network, invalid YAML,
missing fields, a changed schema, a download cut short, too slow, too large or of another suite)
raises ValueError before anything under data/ is replaced; the import itself is one transaction.
"""

from __future__ import annotations

import datetime as dt
import http.client
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd

from analysis import metr, paths, staging, trend

DEFAULT_SOURCE = "https://metr.org/assets/"
SUITE = "1.1"  # the suite asked for: a file naming another suite is refused
BENCHMARK_FILE = "benchmark_results_1_1.yaml"
TASK_FILE = "task_results_1_1.yaml"
# Size caps, generous: METR's benchmark file is under 100 KB, its task file under 1 MB.
MAX_BYTES = {BENCHMARK_FILE: 5 * 2**20, TASK_FILE: 20 * 2**20}
DEADLINE_SECONDS = 120.0  # for a whole download, however slowly the bytes arrive
READ_TIMEOUT_SECONDS = 30.0  # for connecting and for each read
CHUNK_BYTES = 1 << 16
MOVE_TOLERANCE_PCT = 5.0  # report a model whose p50 moved by more than this
CEILING_MINUTES = 960.0  # METR's 16-hour limit, as in the chapters' fits


class DownloadError(ValueError):
    """A download that failed, was cut short, was too slow or too large."""


def download(url: str, *, max_bytes: int, deadline_seconds: float = DEADLINE_SECONDS) -> bytes:
    """The body at ``url``, checked against its Content-Length, a size cap and an overall deadline."""
    if url.startswith("file:"):  # a local file: the same checks as an import (no FIFO, no device)
        try:
            return metr.read_upstream_bytes(Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path)), max_bytes)
        except ValueError as err:
            raise DownloadError(f"cannot download {url}: {err}") from None
    deadline = time.monotonic() + deadline_seconds
    request = urllib.request.Request(url, headers={"User-Agent": "doubling-time-refresh"})
    try:
        with urllib.request.urlopen(request, timeout=min(READ_TIMEOUT_SECONDS, deadline_seconds)) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None:
                if not declared.strip().isdigit():
                    raise DownloadError(f"cannot download {url}: malformed Content-Length {metr.show(declared)}")
                declared = int(declared)
                if declared > max_bytes:
                    raise DownloadError(f"cannot download {url}: {declared:,} bytes announced, above the cap of {max_bytes:,}")
            read = getattr(response, "read1", response.read)  # read1: whatever has arrived, so the deadline is checked
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise DownloadError(f"cannot download {url}: not finished within {deadline_seconds:g} s "
                                        f"({size:,} bytes received)")
                chunk = read(CHUNK_BYTES)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(f"cannot download {url}: larger than the cap of {max_bytes:,} bytes")
                chunks.append(chunk)
    except DownloadError:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        if isinstance(err, urllib.error.HTTPError):
            err.close()  # it holds the response's connection
        raise DownloadError(f"cannot download {url}: {type(err).__name__}: {metr.show(str(reason))[1:-1]}") from None
    if declared is not None and size != declared:
        raise DownloadError(f"cannot download {url}: truncated, {size:,} of the {declared:,} bytes announced "
                            "(Content-Length)")
    return b"".join(chunks)


def fetch(source: str, name: str, folder: Path, *, deadline_seconds: float = DEADLINE_SECONDS) -> Path:
    """Copy ``name`` from a URL prefix or a local folder into ``folder``, within the size cap."""
    target = folder / name
    max_bytes = MAX_BYTES.get(name, metr.MAX_FILE_BYTES)
    if "://" in source:
        data = download(source.rstrip("/") + "/" + name, max_bytes=max_bytes, deadline_seconds=deadline_seconds)
    else:
        data = metr.read_upstream_bytes(Path(source) / name, max_bytes)
    try:
        target.write_bytes(data)
    except OSError as err:
        raise ValueError(f"{target}: cannot save the download ({err.strerror or type(err).__name__})") from None
    return target


def _doubling(horizons: pd.DataFrame, since) -> float:
    return trend.fit_trend(horizons, since=since, max_minutes=CEILING_MINUTES).doubling_days


def change_report(old: pd.DataFrame, new: pd.DataFrame, *, tolerance_pct: float = MOVE_TOLERANCE_PCT) -> list[str]:
    """New and dropped models, estimates that moved beyond the tolerance, the doubling times."""
    lines = []
    added = sorted(set(new["display_name"]) - set(old["display_name"]))
    dropped = sorted(set(old["display_name"]) - set(new["display_name"]))
    lines.append(f"new models: {', '.join(added) if added else 'none'}")
    if dropped:
        lines.append(f"models no longer published: {', '.join(dropped)}")
    both = old[["display_name", "p50"]].merge(new[["display_name", "p50"]], on="display_name", suffixes=("_old", "_new"))
    both["change_pct"] = 100 * (both["p50_new"] / both["p50_old"] - 1)
    moved = both[both["change_pct"].abs() > tolerance_pct]
    lines.append(f"p50 moved by more than {tolerance_pct:g}%: {len(moved)} model(s)")
    for row in moved.itertuples():
        lines.append(f"  {row.display_name}: {row.p50_old:.1f} -> {row.p50_new:.1f} min ({row.change_pct:+.1f}%)")
    for label, since in (("all time", None), ("since 2023", "2023-01-01")):
        before, after = _doubling(old, since), _doubling(new, since)
        lines.append(f"doubling time {label}: {before:.1f} -> {after:.1f} days")
    return lines


def refresh(source: str | None = None, *, data_dir: Path | None = None, as_of: str | None = None,
            deadline_seconds: float = DEADLINE_SECONDS) -> str:
    """Download, validate and import METR's current files; returns the change report.

    New releases are named ``v1.1_<as_of>`` (``_2``, ``_3``, ... when that id is taken by other bytes)."""
    source = source or DEFAULT_SOURCE
    data_dir = Path(data_dir or paths.METR_DATA)
    today = dt.datetime.now(dt.timezone.utc).date()
    as_of = metr.check_as_of(as_of or today.isoformat())
    if dt.date.fromisoformat(as_of) > today + dt.timedelta(days=1):  # a day's grace for time zones
        raise ValueError(f"--as-of {as_of}: a retrieval date cannot be in the future (today is {today})")
    try:
        scratch = tempfile.TemporaryDirectory()
    except OSError as err:
        raise ValueError(f"{tempfile.gettempdir()}: cannot create a download folder ({err.strerror})") from None
    with scratch as folder:
        benchmark_file = fetch(source, BENCHMARK_FILE, Path(folder), deadline_seconds=deadline_seconds)
        task_file = fetch(source, TASK_FILE, Path(folder), deadline_seconds=deadline_seconds)
        origin = source.rstrip("/") + "/" if "://" in source else Path(source).resolve().as_uri() + "/"
        with staging.locked(data_dir):  # from reading sources.csv to the commit
            sources = metr.load_sources(data_dir / "sources.csv")
            release, targets, updated = metr.prepare_import(
                benchmark_file, data_dir=data_dir, sources=sources,
                release=metr.free_release_id(f"v{SUITE}_{as_of}", sources),
                source_url=origin + BENCHMARK_FILE, as_of=as_of, expect_version=SUITE,
            )
            task_release, task_targets, updated = metr.prepare_import(
                task_file, data_dir=data_dir, sources=updated,
                release=metr.free_release_id(f"tasks_v{SUITE}_{as_of}", updated),
                source_url=origin + TASK_FILE, as_of=as_of, expect_version=SUITE,
            )
            if metr.sources_text(updated) == metr.sources_text(sources):
                return f"already up to date: {release} and {task_release} match files in {data_dir}"
            previous = metr.load_horizons(release=metr.latest_release(SUITE, sources), data_dir=data_dir)
            current = metr.read_benchmark_yaml(benchmark_file, metr.load_model_names(data_dir / "models.csv"))
            report = change_report(previous, current)
            metr.write_files({**targets, **task_targets, data_dir / "sources.csv": metr.sources_text(updated)})
    return "\n".join([f"imported {release} and {task_release} into {data_dir}", *report])
