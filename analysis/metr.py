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

# (metric block in the YAML, our column prefix); each block has estimate, ci_low, ci_high.
_HORIZON_BLOCKS = (("p50_horizon_length", "p50"), ("p80_horizon_length", "p80"))


class _UniqueKeyLoader(yaml.SafeLoader):
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
    path = Path(path or paths.METR_DATA / "models.csv")
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


def latest_release(version: str, sources: pd.DataFrame | None = None) -> str:
    sources = load_sources() if sources is None else sources
    of_version = sources[sources["benchmark"] == version]
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


def doubling_path(release: str, data_dir: Path | None = None) -> Path:
    return Path(data_dir or paths.METR_DATA) / f"doubling_{release}.csv"


def load_horizons(version: str = "1.1", *, release: str | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """The committed horizons table: the latest release of ``version``, or a named ``release``."""
    data_dir = Path(data_dir or paths.METR_DATA)
    release = release or latest_release(version, load_sources(data_dir / "sources.csv"))
    path = horizons_path(release, data_dir)
    if not path.exists():
        raise ValueError(f"{path}: no such table; run `python -m analysis.metr import` for release {release!r}")
    frame = pd.read_csv(path, dtype={"model": str, "display_name": str, "benchmark": str})
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
    path = doubling_path(release, data_dir)
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
            staged.append((temp, target))
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.remove(temp)


def _horizons_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    out["release_date"] = out["release_date"].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n")


def import_release(
    path: Path | str,
    *,
    data_dir: Path | None = None,
    release: str | None = None,
    source_url: str | None = None,
    as_of: str | None = None,
) -> str:
    """Import one upstream YAML into ``data_dir``; returns the release id. Writes nothing on error."""
    path = Path(path)
    data_dir = Path(data_dir or paths.METR_DATA)
    sources_path = data_dir / "sources.csv"
    sources = load_sources(sources_path)
    digest = sha256_of(path)
    horizons = read_benchmark_yaml(path, load_model_names(data_dir / "models.csv"))
    doubling = read_published_doubling(path)
    known = sources[sources["sha256"] == digest]
    targets = {}
    if len(known):
        release = release or known["release"].iloc[0]
    else:
        if not (release and source_url and as_of):
            raise ValueError(
                f"{path}: sha256 {digest} is not in {sources_path}; "
                "give --release, --source-url and --as-of to record its provenance"
            )
        new_row = {column: "" for column in SOURCE_COLUMNS}
        new_row.update(
            release=release,
            benchmark=horizons["benchmark"].iloc[0],
            upstream_file=path.name,
            sha256=digest,
            as_of=as_of,
            source_url=source_url,
            license="no license stated; attribute METR and cite arXiv:2503.14499",
            attribution="METR (2025), Measuring AI Ability to Complete Long Tasks, arXiv:2503.14499",
        )
        sources = pd.concat([sources, pd.DataFrame([new_row])], ignore_index=True)
        targets[sources_path] = sources.to_csv(index=False, lineterminator="\n")
    targets[horizons_path(release, data_dir)] = _horizons_csv(horizons)
    targets[doubling_path(release, data_dir)] = doubling.to_csv(index=False, lineterminator="\n")
    _write_atomically(targets)
    return release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.metr", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    importer = commands.add_parser("import", help="import a METR benchmark_results YAML into data/metr/")
    importer.add_argument("path", type=Path)
    importer.add_argument("--release", help="release id for a file not yet in sources.csv, e.g. v1.1_2026-07-01")
    importer.add_argument("--source-url", help="where the file was downloaded from")
    importer.add_argument("--as-of", help="publication or retrieval date, YYYY-MM-DD")
    importer.add_argument("--data-dir", type=Path, default=paths.METR_DATA)
    args = parser.parse_args(argv)
    try:
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
