"""Refresh METR's data: download, validate, import atomically, and report what changed.

``python -m analysis.metr refresh [--from URL_OR_FOLDER]``. Any failure (network, invalid YAML,
missing fields, a changed schema, a truncated download) raises ValueError before anything under
data/ is replaced.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd

from analysis import metr, paths, trend

DEFAULT_SOURCE = "https://metr.org/assets/"
BENCHMARK_FILE = "benchmark_results_1_1.yaml"
TASK_FILE = "task_results_1_1.yaml"
MOVE_TOLERANCE_PCT = 5.0  # report a model whose p50 moved by more than this
CEILING_MINUTES = 960.0  # METR's 16-hour limit, as in the chapters' fits


def fetch(source: str, name: str, folder: Path) -> Path:
    """Copy ``name`` from a URL prefix or a local folder into ``folder``."""
    target = folder / name
    if "://" in source:
        url = source.rstrip("/") + "/" + name
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
                shutil.copyfileobj(response, out)
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise ValueError(f"cannot download {url}: {err}") from err
        return target
    origin = Path(source) / name
    if not origin.is_file():
        raise ValueError(f"{origin}: no such file")
    shutil.copyfile(origin, target)
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


def refresh(source: str | None = None, *, data_dir: Path | None = None, as_of: str | None = None) -> str:
    """Download, validate and import METR's current files; returns the change report."""
    source = source or DEFAULT_SOURCE
    data_dir = Path(data_dir or paths.METR_DATA)
    as_of = as_of or dt.date.today().isoformat()
    sources = metr.load_sources(data_dir / "sources.csv")
    with tempfile.TemporaryDirectory() as folder:
        benchmark_file = fetch(source, BENCHMARK_FILE, Path(folder))
        task_file = fetch(source, TASK_FILE, Path(folder))
        origin = source.rstrip("/") + "/" if "://" in source else Path(source).resolve().as_uri() + "/"
        release, targets, updated = metr.prepare_import(
            benchmark_file, data_dir=data_dir, sources=sources, release=f"v1.1_{as_of}",
            source_url=origin + BENCHMARK_FILE, as_of=as_of,
        )
        task_release, task_targets, updated = metr.prepare_import(
            task_file, data_dir=data_dir, sources=updated, release=f"tasks_v1.1_{as_of}",
            source_url=origin + TASK_FILE, as_of=as_of,
        )
        if len(updated) == len(sources):
            return f"already up to date: {release} and {task_release} match files in {data_dir}"
        previous = metr.load_horizons(release=metr.latest_release("1.1", sources), data_dir=data_dir)
        current = metr.read_benchmark_yaml(benchmark_file, metr.load_model_names(data_dir / "models.csv"))
        report = change_report(previous, current)
        metr.write_files({**targets, **task_targets, data_dir / "sources.csv": metr.sources_text(updated)})
    return "\n".join([f"imported {release} and {task_release} into {data_dir}", *report])


