"""Refresh the upstream data: download, validate, import atomically, and report what changed.

* METR (``python -m analysis.metr refresh [--from URL_OR_FOLDER]``): its benchmark and task files.
* Epoch's benchmark hub (``python -m analysis.benchmarks refresh --from ZIP_OR_FOLDER``): the six
  members of ``benchmark_data.zip`` behind ``data/benchmarks/`` (ECI and five benchmarks).
* Epoch's "Data on AI Models" (``python -m analysis.epoch refresh --from ZIP_OR_FOLDER``): the two
  model tables and Epoch's METR table behind ``data/compute/``.

Every file is read once (``analysis.importing``: the sha256 and the parse come from the same bytes),
within a size cap and one deadline that counts every byte. A download is checked for completeness by
its length and by its content: METR's benchmark file must end with its trailing fields, a zip must be
whole, and no refresh may drop more than ``importing.MAX_REMOVED_SHARE`` of the known models unless
``allow_removals``. A file of the wrong kind (METR's task file at the benchmark file's address,
Epoch's GSO table where the ECI belongs, one file under two names) is refused. Any failure raises
ValueError before anything under data/ is replaced; the write itself is one transaction.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import benchmarks, epoch, importing, metr, paths, staging, trend

DEFAULT_SOURCE = "https://metr.org/assets/"
SUITE = "1.1"  # the suite asked for: a file naming another suite is refused
BENCHMARK_FILE = "benchmark_results_1_1.yaml"
TASK_FILE = "task_results_1_1.yaml"
# Size caps, generous: METR's benchmark file is under 100 KB, its task file under 1 MB.
MAX_BYTES = {BENCHMARK_FILE: 5 * 2**20, TASK_FILE: 20 * 2**20}
DEADLINE_SECONDS = importing.DEADLINE_SECONDS
MOVE_TOLERANCE_PCT = 5.0  # report a model whose p50 moved by more than this
CEILING_MINUTES = 960.0  # METR's 16-hour limit, as in the chapters' fits
SCORE_TOLERANCE = 1e-9  # a benchmark score that moved by more than this is "changed"
SHOWN_CHANGES = 10  # changed scores listed one by one, the rest counted

DownloadError = importing.DownloadError
download = importing.download


def fetch(source: str, name: str, folder: Path | None = None, *,
          deadline_seconds: float = DEADLINE_SECONDS) -> importing.Upstream:
    """``name`` from a URL prefix or a local folder, read once into memory (``folder`` is unused:
    nothing is saved to disk between the check and the parse)."""
    return importing.fetch(source, name, max_bytes=MAX_BYTES.get(name, importing.MAX_FILE_BYTES),
                           deadline_seconds=deadline_seconds)


def _as_of(as_of: str | None) -> str:
    return metr.check_as_of(as_of or importing.today().isoformat())


# ------------------------------------------------------------------ METR


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
            deadline_seconds: float = DEADLINE_SECONDS, allow_removals: bool = False) -> str:
    """Download, validate and import METR's current files; returns the change report.

    New releases are named ``v1.1_<as_of>`` (``_2``, ``_3``, ... when that id is taken by other bytes)."""
    source = source or DEFAULT_SOURCE
    data_dir = Path(data_dir or paths.METR_DATA)
    as_of = _as_of(as_of)
    benchmark_file = fetch(source, BENCHMARK_FILE, deadline_seconds=deadline_seconds)
    task_file = fetch(source, TASK_FILE, deadline_seconds=deadline_seconds)
    origin = source.rstrip("/") + "/" if "://" in source else Path(source).resolve().as_uri() + "/"
    with staging.locked(data_dir):  # from reading sources.csv to the commit
        sources = metr.load_sources(data_dir / "sources.csv")
        release, targets, updated = metr.prepare_import(
            benchmark_file, data_dir=data_dir, sources=sources,
            release=metr.free_release_id(f"v{SUITE}_{as_of}", sources),
            source_url=origin + BENCHMARK_FILE, as_of=as_of, expect_version=SUITE, expect_kind="benchmark",
        )
        task_release, task_targets, updated = metr.prepare_import(
            task_file, data_dir=data_dir, sources=updated,
            release=metr.free_release_id(f"tasks_v{SUITE}_{as_of}", updated),
            source_url=origin + TASK_FILE, as_of=as_of, expect_version=SUITE, expect_kind="tasks",
        )
        metr.check_complete(benchmark_file)
        if metr.sources_text(updated) == metr.sources_text(sources):
            return f"already up to date: {release} and {task_release} match files in {data_dir}"
        previous = metr.load_horizons(release=metr.latest_release(SUITE, sources), data_dir=data_dir)
        current = metr.read_benchmark_yaml(benchmark_file, metr.load_model_names(data_dir / "models.csv"))
        importing.check_removals(set(previous["model"]), set(current["model"]), benchmark_file,
                                 allow_removals=allow_removals)
        old_tasks, _ = metr.load_tasks(data_dir=data_dir)
        new_tasks, _ = metr.read_task_yaml(task_file)
        importing.check_removals(set(old_tasks["agent"]), set(new_tasks["agent"]), task_file,
                                 allow_removals=allow_removals, what="agents")
        report = change_report(previous, current)
        metr.write_files({**targets, **task_targets, data_dir / "sources.csv": metr.sources_text(updated)})
    return "\n".join([f"imported {release} and {task_release} into {data_dir}", *report])


# ------------------------------------------------------------------ Epoch: shared by both refreshes


def gather(source: str, names: list[str], *, optional: tuple[str, ...] = (),
           deadline_seconds: float = DEADLINE_SECONDS) -> dict[str, importing.Upstream]:
    """The files ``names`` (base names) from a zip (URL or path) or a folder (URL prefix or path),
    and those of ``optional`` that it holds.

    A zip must be whole and hold every name; a folder must hold them all too. An optional file may be
    absent (not in the zip or folder, a 404), but any other failure (a FIFO, a cut download) is an
    error, never a silent fallback. The same bytes under two names are refused (one file served for
    another), and so is a file that does not end with a line break (a CSV cut short)."""
    source = str(source)
    if source.lower().endswith(".zip"):
        archive = importing.fetch_any(source, max_bytes=importing.MAX_ARCHIVE_BYTES, deadline_seconds=deadline_seconds)
        found = importing.archive_members(archive, [*names, *optional])
        missing = [name for name in names if name not in found]
        if missing:
            raise ValueError(f"{source}: no member {missing[0]!r} (the wrong archive?)")
    else:
        found = {name: importing.fetch(source, name, deadline_seconds=deadline_seconds) for name in names}
        for name in optional:
            if "://" not in source and not os.path.lexists(Path(source) / name):
                continue
            try:
                found[name] = importing.fetch(source, name, deadline_seconds=deadline_seconds)
            except importing.DownloadError as err:
                if "(status 404)" not in str(err):
                    raise
    seen: dict[str, str] = {}
    for name, upstream in found.items():
        if upstream.sha256 in seen:
            raise ValueError(f"{upstream}: the same bytes as {seen[upstream.sha256]} (one file served for another)")
        seen[upstream.sha256] = name
        if not upstream.data.endswith(b"\n"):
            raise ValueError(f"{upstream}: does not end with a line break (a download cut short?)")
    return found


def _changes(label: str, old: pd.DataFrame, new: pd.DataFrame, key: list[str], value: str, unit: str = "") -> list[str]:
    """New and dropped keys and changed values of one table, for the report."""
    old_rows, new_rows = old.set_index(key)[value], new.set_index(key)[value]
    added = sorted(str(k if not isinstance(k, tuple) else k[0]) for k in set(new_rows.index) - set(old_rows.index))
    dropped = sorted(str(k if not isinstance(k, tuple) else k[0]) for k in set(old_rows.index) - set(new_rows.index))
    both = old_rows.to_frame("old").join(new_rows.to_frame("new"), how="inner")
    moved = both[~np.isclose(both["old"].astype(float), both["new"].astype(float), rtol=0, atol=SCORE_TOLERANCE,
                             equal_nan=True)]
    lines = [f"{label}: {len(new_rows):,} models; new: {', '.join(added) if added else 'none'}"]
    if dropped:
        lines.append(f"  no longer listed: {', '.join(dropped)}")
    lines.append(f"  changed {value}: {len(moved)} of the {len(both)} both releases hold")
    moved = moved.assign(_size=(moved["new"].astype(float) - moved["old"].astype(float)).abs())
    moved = moved.sort_values("_size", ascending=False, kind="stable")
    for index, row in moved.head(SHOWN_CHANGES).iterrows():
        name = index[0] if isinstance(index, tuple) else index
        lines.append(f"    {name}: {row['old']:.6g} -> {row['new']:.6g}{unit}")
    if len(moved) > SHOWN_CHANGES:
        lines.append(f"    ... and {len(moved) - SHOWN_CHANGES} more")
    return lines


def refit_shift(old: pd.DataFrame, new: pd.DataFrame) -> dict:
    """How a re-fit of the ECI moved the models both releases hold (one score per model name):
    the number of models, the median and mean shift and the largest one (points, new - old)."""
    both = (old.groupby("model_name")["eci"].first().to_frame("old")
            .join(new.groupby("model_name")["eci"].first().to_frame("new"), how="inner"))
    if both.empty:
        return {"n": 0, "median": float("nan"), "mean": float("nan"), "largest": float("nan"), "model": ""}
    shift = both["new"] - both["old"]
    largest = shift.abs().idxmax()
    return {"n": len(both), "median": float(shift.median()), "mean": float(shift.mean()),
            "largest": float(shift[largest]), "model": str(largest)}


def _update_sources(sources: pd.DataFrame, changed: dict[str, importing.Upstream], source: str,
                    as_of: str) -> pd.DataFrame:
    """sources.csv with the new sha256 and date on the rows of the changed files (by base name). The
    bytes' origin goes in ``mirror``; ``source_url`` (where the publisher serves the file) becomes the
    origin only when that is an https address."""
    out = sources.copy()
    for index, record in out.iterrows():
        name = record["upstream_path"].rsplit("/", 1)[-1]
        if name in changed:
            origin = str(source) if str(source).lower().endswith(".zip") else str(changed[name])
            out.loc[index, "sha256"] = changed[name].sha256
            out.loc[index, "as_of"] = as_of
            if origin.startswith("https://"):
                out.loc[index, "source_url"] = origin
            where = origin if "://" in origin else Path(origin).resolve().as_uri()
            out.loc[index, "mirror"] = f"refreshed {as_of} from {where}"
    return out


# ------------------------------------------------------------------ Epoch's benchmark hub -> data/benchmarks/


def refresh_benchmarks(source: str, *, data_dir: Path | None = None, as_of: str | None = None,
                       allow_removals: bool = False, deadline_seconds: float = DEADLINE_SECONDS) -> str:
    """Re-import the tables that come from Epoch's ``benchmark_data.zip`` from a newer zip or folder."""
    data_dir = Path(data_dir or benchmarks.BENCH_DATA)
    as_of = _as_of(as_of)
    with staging.locked(data_dir):
        sources = benchmarks.load_sources(data_dir / "sources.csv")
        tables = {record["upstream_path"].rsplit("/", 1)[-1]: record["table"] for _, record in sources.iterrows()
                  if record["table"] in benchmarks.EPOCH_TABLES}
        files = gather(source, sorted(tables), deadline_seconds=deadline_seconds)
        recorded = {record["upstream_path"].rsplit("/", 1)[-1]: record["sha256"] for _, record in sources.iterrows()}
        changed = {name: upstream for name, upstream in files.items() if upstream.sha256 != recorded[name]}
        if not changed:
            return f"already up to date: Epoch's {len(files)} benchmark files match {data_dir / 'sources.csv'}"
        by_table = {tables[name]: upstream for name, upstream in files.items()}
        eci_new = benchmarks.read_eci(by_table["eci.csv"])
        names = benchmarks.version_names(by_table["eci.csv"])
        targets, report = {}, []
        for table in sorted(by_table):
            upstream = by_table[table]
            new = eci_new if table == "eci.csv" else benchmarks.read_epoch_scores(upstream, table, names)
            old = benchmarks.load_eci(data_dir) if table == "eci.csv" else benchmarks.load_score_table(table, data_dir)
            if table == "eci.csv":  # one score per model, repeated on each reasoning setting's row
                old, new = (frame.groupby("model_name", as_index=False)["eci"].first() for frame in (old, new))
            key = ["model_name"] if table == "eci.csv" else ["model_name", "release_date"]
            importing.check_removals(set(map(tuple, old[key].astype(str).to_numpy())),
                                     set(map(tuple, new[key].astype(str).to_numpy())), upstream,
                                     allow_removals=allow_removals)
            value = "eci" if table == "eci.csv" else "score"
            report.extend(_changes(table, old, new, key, value))
            if table == "eci.csv":
                shift = refit_shift(old, new)  # per model already
                report.append(f"  the refit moved the {shift['n']} models both releases hold by {shift['median']:+.2f} "
                              f"points (median; mean {shift['mean']:+.2f}; largest {shift['largest']:+.2f}, "
                              f"{shift['model']})")
            targets[data_dir / table] = benchmarks.table_text(eci_new if table == "eci.csv" else new)
        updated = _update_sources(sources, changed, source, as_of)
        targets[data_dir / "sources.csv"] = benchmarks.sources_text(updated)
        importing.write_tables(targets)
    return "\n".join([f"refreshed {len(changed)} of Epoch's {len(files)} benchmark files into {data_dir} "
                      f"({', '.join(sorted(tables[name] for name in changed))})", *report])


# ------------------------------------------------------------------ Epoch's "Data on AI Models" -> data/compute/


def refresh_compute(source: str, *, data_dir: Path | None = None, as_of: str | None = None,
                    allow_removals: bool = False, shared: Path | None = None,
                    deadline_seconds: float = DEADLINE_SECONDS) -> str:
    """Re-import ``data/compute/`` from a newer ``ai_models.zip`` (or a folder of its members).

    Epoch's METR table, from the benchmark zip, is taken from ``source`` when it holds it, else from
    the shared folder (checked against its recorded sha256)."""
    data_dir = Path(data_dir or epoch.COMPUTE_DATA)
    as_of = _as_of(as_of)
    with staging.locked(data_dir):
        sources = epoch.load_sources(data_dir / "sources.csv")
        base = {record["source_id"]: record["upstream_path"].rsplit("/", 1)[-1] for _, record in sources.iterrows()}
        wanted = [base[source_id] for source_id in epoch.MODEL_SOURCES]
        metr_name = base[epoch.METR_SOURCE]
        files = gather(source, wanted, optional=(metr_name,), deadline_seconds=deadline_seconds)
        if metr_name not in files:
            files[metr_name] = epoch.upstream_file(sources, epoch.METR_SOURCE, shared)
        recorded = {record["upstream_path"].rsplit("/", 1)[-1]: record["sha256"] for _, record in sources.iterrows()}
        changed = {name: upstream for name, upstream in files.items() if upstream.sha256 != recorded[name]}
        if not changed:
            return f"already up to date: Epoch's model files match {data_dir / 'sources.csv'}"
        uploads = {source_id: files[base[source_id]] for source_id in base}
        targets = epoch.prepare_import(data_dir=data_dir, upstreams=uploads)
        old = epoch.load_training_compute(data_dir / "training_compute.csv")
        new = epoch.read_training_compute_text(targets[data_dir / "training_compute.csv"])
        importing.check_removals(set(old["model"]), set(new["model"]), files[wanted[0]],
                                 allow_removals=allow_removals)
        report = _changes("training_compute.csv", old, new, ["model"], "training_compute_flop", " FLOP")
        updated = _update_sources(sources, changed, source, as_of)
        targets[data_dir / "sources.csv"] = epoch.sources_text(updated)
        importing.write_tables(targets)
    return "\n".join([f"refreshed {len(changed)} of Epoch's files into {data_dir} ({', '.join(sorted(changed))})",
                      *report])
