"""METR time-horizon data: read upstream YAML, validate, write and load the project's tidy tables.

I/O and validation only; no statistics. Every error names the file, the model (row) and the column.

Command line::

    python -m analysis.metr import PATH [--release ID --source-url URL --as-of DATE]

looks PATH's sha256 up in ``data/metr/sources.csv`` (the provenance table) and writes
``data/metr/horizons_<release>.csv`` and ``data/metr/doubling_<release>.csv`` atomically.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import paths

# The v1.0 file calls itself "METR-Horizon-v1"; later copies say "v1.0".
BENCHMARK_VERSIONS = {"METR-Horizon-v1": "1.0", "METR-Horizon-v1.0": "1.0", "METR-Horizon-v1.1": "1.1"}

HORIZON_COLUMNS = [
    "model",
    "display_name",
    "release_date",
    "benchmark",
    "p50",
    "p50_low",
    "p50_high",
    "p80",
    "p80_low",
    "p80_high",
    "is_sota",
    "average_score",
]
DOUBLING_COLUMNS = ["window", "point_estimate", "ci_low", "ci_high"]
SOURCE_COLUMNS = [
    "release",
    "kind",  # benchmark (summary horizons) or tasks (per-task results)
    "benchmark",
    "upstream_file",
    "sha256",
    "as_of",
    "source_url",
    "mirror",
    "license",
    "attribution",
]
NAME_COLUMNS = ["model", "display_name", "organisation"]
TASK_COLUMNS = ["agent", "release_date", "task_id", "task_family", "human_minutes", "n_successes", "n_runs", "task_weight"]
TASK_FIT_COLUMNS = ["agent", "release_date", "coefficient", "intercept"]

# (metric block in the YAML, our column prefix); each block has estimate, ci_low, ci_high.
_HORIZON_BLOCKS = (("p50_horizon_length", "p50"), ("p80_horizon_length", "p80"))


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader that refuses duplicate keys (plain YAML keeps the last one silently)."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _parse_yaml(path: Path) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: cannot read file ({err})") from err
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{path}: malformed YAML{where}: {err}") from err
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a YAML mapping at the top level (empty or truncated file?)")
    return document


def _benchmark_version(path: Path, document: dict) -> str:
    name = document.get("benchmark_name")
    if name is None:
        raise ValueError(f"{path}: missing top-level field 'benchmark_name'")
    if name not in BENCHMARK_VERSIONS:
        known = ", ".join(BENCHMARK_VERSIONS)
        raise ValueError(f"{path}: unknown benchmark version {name!r} (known: {known})")
    return BENCHMARK_VERSIONS[name]


def _field(path: Path, model: str, record: dict, *keys: str):
    """Walk nested keys of one model's record; a missing key is a missing column."""
    value = record
    for depth, key in enumerate(keys):
        if not isinstance(value, dict) or key not in value:
            column = ".".join(keys[: depth + 1])
            raise ValueError(f"{path}: model {model!r}: missing column {column!r}")
        value = value[key]
    return value


def _number(path: Path, model: str, column: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{path}: model {model!r}: column {column!r} is not a number: {value!r}")
    return float(value)


def _date(path: Path, model: str, value) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(str(value))
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{path}: model {model!r}: column 'release_date' is not a date: {value!r}"
        ) from err
    if pd.isna(stamp):
        raise ValueError(f"{path}: model {model!r}: column 'release_date' is empty")
    return stamp


def _record_row(path: Path, model: str, record: dict, benchmark: str, names: pd.DataFrame) -> dict:
    if not isinstance(record, dict):
        raise ValueError(f"{path}: model {model!r}: expected a mapping, got {record!r}")
    row = {
        "model": model,
        "display_name": display_name(model, names),
        "release_date": _date(path, model, _field(path, model, record, "release_date")),
        "benchmark": benchmark,
    }
    for block, prefix in _HORIZON_BLOCKS:
        for key, suffix in (("estimate", ""), ("ci_low", "_low"), ("ci_high", "_high")):
            value = _field(path, model, record, "metrics", block, key)
            row[prefix + suffix] = _number(path, model, f"{prefix}{suffix}", value)
    sota = _field(path, model, record, "metrics", "is_sota")
    if not isinstance(sota, bool):
        raise ValueError(f"{path}: model {model!r}: column 'is_sota' is not true/false: {sota!r}")
    row["is_sota"] = sota
    score = _field(path, model, record, "metrics", "average_score", "estimate")
    row["average_score"] = _number(path, model, "average_score", score)
    return row


def validate_horizons(frame: pd.DataFrame, source: Path | str) -> pd.DataFrame:
    """Check a horizons table; raise ValueError naming the file, the model and the column."""
    missing = [c for c in HORIZON_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {missing}")
    if frame.empty:
        raise ValueError(f"{source}: no models")
    for column in HORIZON_COLUMNS:
        empty = frame[column].isna()
        if empty.any():
            model = frame.loc[empty, "model"].iloc[0] if column != "model" else "?"
            raise ValueError(f"{source}: model {model!r}: column {column!r} is empty")
    duplicated = frame["model"].duplicated()
    if duplicated.any():
        model = frame.loc[duplicated, "model"].iloc[0]
        raise ValueError(f"{source}: model {model!r}: column 'model' is duplicated")
    unknown = ~frame["benchmark"].isin(sorted(set(BENCHMARK_VERSIONS.values())))
    if unknown.any():
        row = frame.loc[unknown].iloc[0]
        raise ValueError(
            f"{source}: model {row['model']!r}: column 'benchmark' has unknown version {row['benchmark']!r}"
        )
    for prefix in ("p50", "p80"):
        for column in (prefix, f"{prefix}_low", f"{prefix}_high"):
            bad = ~(frame[column] > 0)
            if bad.any():
                row = frame.loc[bad].iloc[0]
                raise ValueError(
                    f"{source}: model {row['model']!r}: column {column!r} must be > 0 minutes, got {row[column]!r}"
                )
        low, est, high = frame[f"{prefix}_low"], frame[prefix], frame[f"{prefix}_high"]
        for column, bad in ((f"{prefix}_low", low > est), (f"{prefix}_high", est > high)):
            if bad.any():
                row = frame.loc[bad].iloc[0]
                raise ValueError(
                    f"{source}: model {row['model']!r}: column {column!r} violates "
                    f"low <= estimate <= high ({row[f'{prefix}_low']} <= {row[prefix]} <= {row[f'{prefix}_high']})"
                )
    bad_score = ~frame["average_score"].between(0, 1)
    if bad_score.any():
        row = frame.loc[bad_score].iloc[0]
        raise ValueError(
            f"{source}: model {row['model']!r}: column 'average_score' must lie in [0, 1], got {row['average_score']!r}"
        )
    return frame


def load_model_names(path: Path | None = None) -> pd.DataFrame:
    path = paths.note_read(path or paths.METR_DATA / "models.csv")
    names = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in NAME_COLUMNS if c not in names.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    duplicated = names["model"].duplicated()
    if duplicated.any():
        raise ValueError(f"{path}: model {names.loc[duplicated, 'model'].iloc[0]!r}: column 'model' is duplicated")
    return names


def display_name(model: str, names: pd.DataFrame) -> str:
    """METR's key -> a readable name; a key not in models.csv gets a plain, recognisable fallback."""
    match = names.loc[names["model"] == model, "display_name"]
    if len(match):
        return match.iloc[0]
    return model.removesuffix("_inspect").replace("_", " ")


def read_benchmark_yaml(path: Path | str, names: pd.DataFrame | None = None) -> pd.DataFrame:
    """One METR ``benchmark_results_1_x.yaml`` -> one validated row per model."""
    path = Path(path)
    document = _parse_yaml(path)
    benchmark = _benchmark_version(path, document)
    results = document.get("results")
    if not isinstance(results, dict) or not results:  # a truncated download often ends here
        raise ValueError(f"{path}: missing or empty top-level field 'results' (truncated file?)")
    names = load_model_names() if names is None else names
    rows = [_record_row(path, str(model), record, benchmark, names) for model, record in results.items()]
    frame = pd.DataFrame(rows, columns=HORIZON_COLUMNS)
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    frame = frame.sort_values(["release_date", "model"], kind="stable").reset_index(drop=True)
    return validate_horizons(frame, path)


def read_published_doubling(path: Path | str) -> pd.DataFrame:
    """METR's own doubling-time block (days); empty when the file carries none."""
    path = Path(path)
    block = _parse_yaml(path).get("doubling_time_in_days") or {}
    if not isinstance(block, dict):
        raise ValueError(f"{path}: 'doubling_time_in_days' is not a mapping")
    rows = []
    for window, values in block.items():
        if not isinstance(values, dict) or "point_estimate" not in values:
            raise ValueError(f"{path}: window {window!r}: missing column 'point_estimate'")
        row = {"window": str(window)}
        for column in DOUBLING_COLUMNS[1:]:
            value = values.get(column)
            row[column] = np.nan if value is None else _number(path, str(window), column, value)
        if not row["point_estimate"] > 0:
            raise ValueError(f"{path}: window {window!r}: column 'point_estimate' must be > 0")
        rows.append(row)
    return pd.DataFrame(rows, columns=DOUBLING_COLUMNS)


def _task_rows(path: Path, agent: str, record: dict) -> tuple[list[dict], dict]:
    if not isinstance(record, dict):
        raise ValueError(f"{path}: agent {agent!r}: expected a mapping, got {record!r}")
    release = _date(path, agent, _field(path, agent, record, "release_date"))
    fit = {
        "agent": agent,
        "release_date": release,
        "coefficient": _number(path, agent, "coefficient", _field(path, agent, record, "coefficient")),
        "intercept": _number(path, agent, "intercept", _field(path, agent, record, "intercept")),
    }
    tasks = _field(path, agent, record, "tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ValueError(f"{path}: agent {agent!r}: column 'tasks' is missing or empty")
    rows = []
    for task in tasks:
        task_id = str(_field(path, agent, task, "task_id"))
        where = f"{agent} / {task_id}"
        row = {"agent": agent, "release_date": release, "task_id": task_id, "task_family": task_id.split("/")[0]}
        for column in ("human_minutes", "n_successes", "n_runs", "task_weight"):
            row[column] = _number(path, where, column, _field(path, where, task, column))
        if not row["human_minutes"] > 0:
            raise ValueError(f"{path}: task {where!r}: column 'human_minutes' must be > 0")
        if not (row["n_runs"] >= 1 and 0 <= row["n_successes"] <= row["n_runs"]):
            raise ValueError(f"{path}: task {where!r}: column 'n_successes' must lie in [0, n_runs]")
        if not row["task_weight"] > 0:
            raise ValueError(f"{path}: task {where!r}: column 'task_weight' must be > 0")
        rows.append(row)
    return rows, fit


def read_task_yaml(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """METR's ``task_results_1_x.yaml`` -> (one row per agent and task, METR's stored fit per agent)."""
    path = Path(path)
    document = _parse_yaml(path)
    _benchmark_version(path, document)
    agents = document.get("agents")
    if not isinstance(agents, dict) or not agents:
        raise ValueError(f"{path}: missing or empty top-level field 'agents' (truncated file?)")
    rows, fits = [], []
    for agent, record in agents.items():
        agent_rows, fit = _task_rows(path, str(agent), record)
        rows.extend(agent_rows)
        fits.append(fit)
    tasks = pd.DataFrame(rows, columns=TASK_COLUMNS)
    duplicated = tasks.duplicated(["agent", "task_id"])
    if duplicated.any():
        row = tasks.loc[duplicated].iloc[0]
        raise ValueError(f"{path}: task {row['agent']} / {row['task_id']!r}: column 'task_id' is duplicated")
    for column in ("n_successes", "n_runs"):
        tasks[column] = tasks[column].astype(int)
    return tasks, pd.DataFrame(fits, columns=TASK_FIT_COLUMNS)


def is_task_file(path: Path) -> bool:
    return "agents" in _parse_yaml(path)


# ---------------------------------------------------------------- committed tables


def load_sources(path: Path | None = None) -> pd.DataFrame:
    path = Path(path or paths.METR_DATA / "sources.csv")
    sources = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in SOURCE_COLUMNS if c not in sources.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for column in ("release", "sha256", "source_url", "as_of"):
        empty = sources[column] == ""
        if empty.any():
            raise ValueError(f"{path}: row {int(empty.idxmax()) + 2}: column {column!r} is empty")
    return sources


def benchmark_releases(sources: pd.DataFrame | None = None, version: str | None = None) -> list[str]:
    """Summary-horizon releases (not task results), oldest first; optionally of one suite version."""
    sources = load_sources() if sources is None else sources
    chosen = sources[sources["kind"] == "benchmark"]
    if version is not None:
        chosen = chosen[chosen["benchmark"] == version]
    return chosen.sort_values("as_of", kind="stable")["release"].tolist()


def latest_release(version: str, sources: pd.DataFrame | None = None, kind: str = "benchmark") -> str:
    sources = load_sources() if sources is None else sources
    of_version = sources[(sources["benchmark"] == version) & (sources["kind"] == kind)]
    if of_version.empty:
        known = sorted(sources["benchmark"].unique())
        raise ValueError(f"no METR release of benchmark version {version!r} (known: {known})")
    return of_version.sort_values("as_of")["release"].iloc[-1]


def release_as_of(release: str, sources: pd.DataFrame | None = None) -> str:
    """Publication or retrieval date (YYYY-MM-DD) of a release, from the provenance table."""
    sources = load_sources() if sources is None else sources
    match = sources.loc[sources["release"] == release, "as_of"]
    if match.empty:
        raise ValueError(f"release {release!r} is not in the provenance table (sources.csv)")
    return match.iloc[0]


def horizons_path(release: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.METR_DATA) / f"horizons_{release}.csv"


def tasks_path(release: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.METR_DATA) / f"{release}.csv"


def task_fits_path(release: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.METR_DATA) / f"{release}_fits.csv"


def load_tasks(release: str | None = None, data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed per-task table and METR's stored per-agent fits (latest tasks release by default)."""
    data_dir = Path(data_dir or paths.METR_DATA)
    release = release or latest_release("1.1", load_sources(data_dir / "sources.csv"), kind="tasks")
    tasks = pd.read_csv(paths.note_read(tasks_path(release, data_dir)), parse_dates=["release_date"],
                        dtype={"agent": str, "task_id": str})
    fits = pd.read_csv(paths.note_read(task_fits_path(release, data_dir)), parse_dates=["release_date"], dtype={"agent": str})
    for frame, columns, path in ((tasks, TASK_COLUMNS, tasks_path(release, data_dir)),
                                 (fits, TASK_FIT_COLUMNS, task_fits_path(release, data_dir))):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"{path}: missing column(s) {missing}")
    return tasks, fits


def load_agents(path: Path | None = None) -> pd.DataFrame:
    """METR's agent names in the task file -> its model keys in the benchmark file (curated)."""
    path = paths.note_read(path or paths.METR_DATA / "agents.csv")
    agents = pd.read_csv(path, dtype=str, keep_default_na=False)
    if agents["agent"].duplicated().any() or agents["model"].duplicated().any():
        raise ValueError(f"{path}: agents and models must each appear once")
    return agents


def load_first_estimates(path: Path | None = None) -> pd.DataFrame:
    """METR's first, later withdrawn, estimates quoted in the report (sourced, see data/README.md)."""
    path = paths.note_read(path or paths.METR_DATA / "first_estimates.csv")
    frame = pd.read_csv(path, dtype={"model": str})
    if not frame["source_url"].str.startswith("https://").all():
        raise ValueError(f"{path}: every row needs an https source_url")
    return frame


def doubling_path(release: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.METR_DATA) / f"doubling_{release}.csv"


def load_horizons(version: str = "1.1", *, release: str | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """The committed horizons table: the latest release of ``version``, or a named ``release``."""
    data_dir = Path(data_dir or paths.METR_DATA)
    release = release or latest_release(version, load_sources(data_dir / "sources.csv"))
    path = horizons_path(release, data_dir)
    if not path.exists():
        raise ValueError(f"{path}: no such table; run `python -m analysis.metr import` for release {release!r}")
    frame = pd.read_csv(paths.note_read(path), dtype={"model": str, "display_name": str, "benchmark": str})
    missing = [c for c in HORIZON_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for row, value in frame["release_date"].items():
        try:
            pd.Timestamp(value)
        except (ValueError, TypeError) as err:
            raise ValueError(
                f"{path}: row {row + 2}: model {frame.at[row, 'model']!r}: column 'release_date' is not a date: {value!r}"
            ) from err
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    if frame["is_sota"].dtype != bool:
        raise ValueError(f"{path}: column 'is_sota' must hold only True/False")
    return validate_horizons(frame, path)


def load_published_doubling(release: str, data_dir: Path | None = None) -> pd.DataFrame:
    path = paths.note_read(doubling_path(release, data_dir))
    frame = pd.read_csv(path)
    missing = [c for c in DOUBLING_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    return frame


def _write_atomically(targets: dict[Path, str]) -> None:
    """Write every text to a temporary file first, then rename all; a failure leaves old files intact."""
    staged = []
    try:
        for target, text in targets.items():
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.chmod(temp, 0o644)  # mkstemp creates 0600; data files are for everyone to read
            staged.append((temp, target))
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.remove(temp)


def _dated_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    out["release_date"] = out["release_date"].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n")


def prepare_import(
    path: Path | str,
    *,
    data_dir: Path,
    sources: pd.DataFrame,
    release: str | None = None,
    source_url: str | None = None,
    as_of: str | None = None,
) -> tuple[str, dict[Path, str], pd.DataFrame]:
    """Validate one upstream file and return (release id, {path: text} to write, updated sources)."""
    path = Path(path)
    digest = sha256_of(path)
    kind = "tasks" if is_task_file(path) else "benchmark"
    if kind == "tasks":
        tasks, fits = read_task_yaml(path)
        benchmark = BENCHMARK_VERSIONS[_parse_yaml(path)["benchmark_name"]]
    else:
        horizons = read_benchmark_yaml(path, load_model_names(data_dir / "models.csv"))
        doubling = read_published_doubling(path)
        benchmark = horizons["benchmark"].iloc[0]
    known = sources[sources["sha256"] == digest]
    if len(known):
        release = known["release"].iloc[0]  # a file already imported keeps its recorded release id
    else:
        if not (release and source_url and as_of):
            raise ValueError(
                f"{path}: sha256 {digest} is not in {data_dir / 'sources.csv'}; "
                "give --release, --source-url and --as-of to record its provenance"
            )
        new_row = {column: "" for column in SOURCE_COLUMNS}
        new_row.update(
            release=release,
            kind=kind,
            benchmark=benchmark,
            upstream_file=path.name,
            sha256=digest,
            as_of=as_of,
            source_url=source_url,
            license="no license stated; attribute METR and cite arXiv:2503.14499",
            attribution="METR (2025), Measuring AI Ability to Complete Long Tasks, arXiv:2503.14499",
        )
        sources = pd.concat([sources, pd.DataFrame([new_row])], ignore_index=True)
    if kind == "tasks":
        targets = {tasks_path(release, data_dir): _dated_csv(tasks), task_fits_path(release, data_dir): _dated_csv(fits)}
    else:
        targets = {
            horizons_path(release, data_dir): _dated_csv(horizons),
            doubling_path(release, data_dir): doubling.to_csv(index=False, lineterminator="\n"),
        }
    return release, targets, sources


def sources_text(sources: pd.DataFrame) -> str:
    return sources.to_csv(index=False, lineterminator="\n")


def write_files(targets: dict[Path, str]) -> None:
    """Write all files at once (temporary files, then renames); on error nothing is replaced."""
    _write_atomically(targets)


def import_release(
    path: Path | str,
    *,
    data_dir: Path | None = None,
    release: str | None = None,
    source_url: str | None = None,
    as_of: str | None = None,
) -> str:
    """Import one upstream YAML into ``data_dir``; returns the release id. Writes nothing on error."""
    data_dir = Path(data_dir or paths.METR_DATA)
    sources_path = data_dir / "sources.csv"
    sources = load_sources(sources_path)
    release, targets, updated = prepare_import(
        path, data_dir=data_dir, sources=sources, release=release, source_url=source_url, as_of=as_of
    )
    if len(updated) != len(sources):
        targets[sources_path] = sources_text(updated)
    _write_atomically(targets)
    return release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.metr", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    importer = commands.add_parser("import", help="import a METR benchmark_results or task_results YAML into data/metr/")
    importer.add_argument("path", type=Path)
    importer.add_argument("--release", help="release id for a file not yet in sources.csv, e.g. v1.1_2026-07-01")
    importer.add_argument("--source-url", help="where the file was downloaded from")
    importer.add_argument("--as-of", help="publication or retrieval date, YYYY-MM-DD")
    importer.add_argument("--data-dir", type=Path, default=paths.METR_DATA)
    refresher = commands.add_parser("refresh", help="download METR's current files, validate, import and report changes")
    refresher.add_argument("--from", dest="source", default=None,
                           help="URL prefix or local folder holding benchmark_results_1_1.yaml and task_results_1_1.yaml "
                                "(default: METR's published assets)")
    refresher.add_argument("--as-of", help="retrieval date for new releases, YYYY-MM-DD (default: today)")
    refresher.add_argument("--data-dir", type=Path, default=paths.METR_DATA)
    args = parser.parse_args(argv)
    try:
        if args.command == "refresh":
            from analysis import refresh  # statistics for the change report live outside this I/O module

            print(refresh.refresh(args.source, data_dir=args.data_dir, as_of=args.as_of))
            return 0
        release = import_release(
            args.path, data_dir=args.data_dir, release=args.release, source_url=args.source_url, as_of=args.as_of
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"imported {args.path} as release {release} into {args.data_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
