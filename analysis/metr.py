"""METR time-horizon data: read upstream YAML, validate, write and load the project's tidy tables.

I/O and validation only; no statistics. Every error names the file, the model (row) and the column.

Command line::

    python -m analysis.metr import PATH [--release ID --source-url URL --as-of DATE]

(the command lines live in ``analysis.importers``, above this module and ``analysis.refresh``)

looks PATH's sha256 up in ``data/metr/sources.csv`` (the provenance table) and writes
``data/metr/horizons_<release>.csv`` and ``data/metr/doubling_<release>.csv`` and the provenance row
as one transaction (``analysis.staging``). Every failure ends in one line
``error: <file>: <model or row>: <column>: <what>`` on stderr and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import importing, paths, staging

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


# Limits, generous for the real data (METR's benchmark files are under 100 KB with 33 models; the task
# file is under 1 MB with 23 agents and 10,414 task rows), checked before anything large is built.
MAX_FILE_BYTES = importing.MAX_FILE_BYTES
MAX_MODELS = 10_000
MAX_TASK_ROWS = 1_000_000
MAX_YAML_VALUES = 2_000_000  # the task file expands to about 75,000
SHOWN_CHARS = importing.SHOWN_CHARS
MAX_KEY_CHARS = importing.MAX_KEY_CHARS
FORMULA_PREFIXES = importing.FORMULA_PREFIXES
NA_TEXTS = importing.NA_TEXTS
ISO_DATE = importing.ISO_DATE
# v1.1_2026-05-08, tasks_v1.1_2026-05-08, and v1.1_2026-05-08_2 for a second release on one day
# (ASCII digits only: a release id names a file)
RELEASE_ID = re.compile(r"(?P<tasks>tasks_)?v(?P<version>[0-9]+\.[0-9]+)_(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
                        r"(?:_(?P<seq>[2-9]|[1-9][0-9]+))?", re.ASCII)
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100  # a release date outside these years is a typo
# METR's benchmark files end with fields after ``results`` (swaa_version): a download cut at a model
# boundary is still valid YAML, but has none.
TRAILING_FIELDS = ("swaa_version", "long_tasks_version")

show = importing.show
key_problem = importing.key_problem


def _scalar_or_text(constructor):
    """A YAML scalar constructor that keeps the text when the value is impossible (2024-13-45, a
    5,000-digit integer), so the validation below can name the model and the column."""

    def construct(loader, node):
        try:
            return constructor(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    return construct


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader that refuses duplicate and non-scalar keys (plain YAML keeps the last one silently)."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key is a list or a mapping, not a name", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {show(key)}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)
for _tag, _method in (("int", "construct_yaml_int"), ("float", "construct_yaml_float"),
                      ("timestamp", "construct_yaml_timestamp")):
    _UniqueKeyLoader.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _scalar_or_text(getattr(yaml.constructor.SafeConstructor, _method))
    )


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


read_upstream_bytes = importing.read_bytes  # the bounded, regular-file-only read of every importer


def _refuse_alias_bombs(path: Path, document) -> None:
    """Refuse a document that expands to more than MAX_YAML_VALUES values once its aliases (*name)
    are followed: an alias bomb (or a recursive alias) would explode when tabulated or formatted.
    The walk stops at the cap, so it costs at most MAX_YAML_VALUES steps."""
    count, stack = 0, [document]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_YAML_VALUES:
            raise ValueError(f"{path}: expands to more than {MAX_YAML_VALUES:,} values once YAML aliases (*) "
                             "are followed (an alias bomb?); METR's files hold under 100,000")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _parse_yaml(source) -> dict:
    """The YAML document of an upstream file (a path, read once, or ``importing.Upstream``)."""
    path = importing.read_upstream(source)
    if "yaml" in path._cache:
        return path._cache["yaml"]
    text = path.text()
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = " ".join(str(getattr(err, "problem", None) or err).split())[:200]
        raise ValueError(f"{path}: malformed YAML{where}: {problem}") from None
    except RecursionError:
        raise ValueError(f"{path}: malformed YAML: nested too deeply") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a YAML mapping at the top level (empty or truncated file?)")
    _refuse_alias_bombs(path, document)
    path._cache["yaml"] = document
    return document


def _benchmark_version(path: Path, document: dict) -> str:
    name = document.get("benchmark_name")
    if name is None:
        raise ValueError(f"{path}: missing top-level field 'benchmark_name'")
    if not isinstance(name, str) or name not in BENCHMARK_VERSIONS:
        known = ", ".join(BENCHMARK_VERSIONS)
        raise ValueError(f"{path}: unknown benchmark version {show(name)} (known: {known})")
    return BENCHMARK_VERSIONS[name]


def _field(path: Path, row: str, record: dict, *keys: str):
    """Walk nested keys of one model's record; a missing key is a missing column."""
    value = record
    for depth, key in enumerate(keys):
        if not isinstance(value, dict) or key not in value:
            column = ".".join(keys[: depth + 1])
            raise ValueError(f"{path}: {row}: missing column {column!r}")
        value = value[key]
    return value


def _number(path: Path, row: str, column: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{path}: {row}: column {column!r} is not a number: {show(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{path}: {row}: column {column!r} is too large: {show(value)}") from None
    if not math.isfinite(number):
        raise ValueError(f"{path}: {row}: column {column!r} is not a finite number: {show(value)}")
    return number


def _whole_number(path: Path, row: str, column: str, value) -> int:
    number = _number(path, row, column, value)
    if not number.is_integer():
        raise ValueError(f"{path}: {row}: column {column!r} is not a whole number: {show(value)}")
    return int(number)


def parse_iso_date(value) -> dt.date | None:
    """A literal calendar date: a YAML date or the text YYYY-MM-DD ('now', 'today' and 2024-13-45 are not)."""
    return importing.parse_day(value, earliest=EARLIEST_YEAR, latest=LATEST_YEAR)


def _date(path: Path, row: str, value, column: str = "release_date") -> pd.Timestamp:
    day = parse_iso_date(value)
    if day is None:
        raise ValueError(
            f"{path}: {row}: column {column!r} is not a date (YYYY-MM-DD, {EARLIEST_YEAR}-{LATEST_YEAR}): {show(value)}"
        )
    problem = importing.future_problem(day)  # an upstream file's date: never after the day of the import
    if problem:
        raise ValueError(f"{path}: {row}: column {column!r}: {problem}")
    return pd.Timestamp(day.isoformat())  # as from the text, so the resolution matches a loaded table


def _key(path: Path, label: str, column: str, key) -> str:
    problem = key_problem(key)
    if problem:
        raise ValueError(f"{path}: {label} {show(key)}: column {column!r} {problem}")
    return key


def _record_row(path: Path, model: str, record: dict, benchmark: str, names: pd.DataFrame) -> dict:
    row_label = f"model {show(model)}"
    if not isinstance(record, dict):
        raise ValueError(f"{path}: {row_label}: expected a mapping, got {show(record)}")
    row = {
        "model": model,
        "display_name": display_name(model, names),
        "release_date": _date(path, row_label, _field(path, row_label, record, "release_date")),
        "benchmark": benchmark,
    }
    for block, prefix in _HORIZON_BLOCKS:
        for key, suffix in (("estimate", ""), ("ci_low", "_low"), ("ci_high", "_high")):
            value = _field(path, row_label, record, "metrics", block, key)
            row[prefix + suffix] = _number(path, row_label, f"{prefix}{suffix}", value)
    sota = _field(path, row_label, record, "metrics", "is_sota")
    if not isinstance(sota, bool):
        raise ValueError(f"{path}: {row_label}: column 'is_sota' is not true/false: {show(sota)}")
    row["is_sota"] = sota
    score = _field(path, row_label, record, "metrics", "average_score", "estimate")
    row["average_score"] = _number(path, row_label, "average_score", score)
    return row


def _first_bad(frame: pd.DataFrame, bad: pd.Series, source, column: str, what: str, label: str = "model"):
    if bad.any():
        row = frame.loc[bad].iloc[0]
        raise ValueError(f"{source}: {label} {show(row[label])}: column {column!r} {what}: {show(row[column])}")


def _check_numbers(frame: pd.DataFrame, columns, source, label: str = "model") -> None:
    """Every value numeric and finite (a CSV can hold 'inf', 'nan' or text)."""
    for column in columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            numeric = pd.to_numeric(frame[column], errors="coerce")
            _first_bad(frame, numeric.isna(), source, column, "is not a number", label)
        values = frame[column].astype(float)
        _first_bad(frame, ~np.isfinite(values), source, column, "is not a finite number", label)


def _check_keys(frame: pd.DataFrame, column: str, source, label: str = "model") -> None:
    for index, key in frame[column].items():
        problem = key_problem(key)
        if problem:
            other = frame.at[index, label] if label != column else key
            raise ValueError(f"{source}: {label} {show(other)}: column {column!r} {problem}")


def validate_horizons(frame: pd.DataFrame, source: Path | str) -> pd.DataFrame:
    """Check a horizons table; raise ValueError naming the file, the model and the column."""
    missing = [c for c in HORIZON_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {missing}")
    if frame.empty:
        raise ValueError(f"{source}: no models")
    if len(frame) > MAX_MODELS:
        raise ValueError(f"{source}: {len(frame):,} models, above the cap of {MAX_MODELS:,}")
    for column in HORIZON_COLUMNS:
        empty = frame[column].isna()
        if empty.any():
            model = frame.loc[empty, "model"].iloc[0] if column != "model" else "?"
            raise ValueError(f"{source}: model {show(model)}: column {column!r} is empty")
    _check_keys(frame, "model", source)
    _check_keys(frame, "display_name", source)
    duplicated = frame["model"].duplicated()
    if duplicated.any():
        model = frame.loc[duplicated, "model"].iloc[0]
        raise ValueError(f"{source}: model {show(model)}: column 'model' is duplicated")
    shared = frame["display_name"].duplicated(keep=False)
    if shared.any():
        row = frame.loc[shared].iloc[1]
        first = frame.loc[shared & (frame["display_name"] == row["display_name"]), "model"].iloc[0]
        raise ValueError(
            f"{source}: model {show(row['model'])}: column 'display_name' {show(row['display_name'])} "
            f"is also the display name of model {show(first)}; give each model its own name in models.csv"
        )
    unknown = ~frame["benchmark"].isin(sorted(set(BENCHMARK_VERSIONS.values())))
    _first_bad(frame, unknown, source, "benchmark", "has an unknown version")
    numeric = [f"{prefix}{suffix}" for prefix in ("p50", "p80") for suffix in ("", "_low", "_high")]
    _check_numbers(frame, [*numeric, "average_score"], source)
    for prefix in ("p50", "p80"):
        for column in (prefix, f"{prefix}_low", f"{prefix}_high"):
            bad = ~(frame[column] > 0)
            if bad.any():
                row = frame.loc[bad].iloc[0]
                raise ValueError(
                    f"{source}: model {show(row['model'])}: column {column!r} must be > 0 minutes, got {show(row[column])}"
                )
        low, est, high = frame[f"{prefix}_low"], frame[prefix], frame[f"{prefix}_high"]
        for column, bad in ((f"{prefix}_low", low > est), (f"{prefix}_high", est > high)):
            if bad.any():
                row = frame.loc[bad].iloc[0]
                raise ValueError(
                    f"{source}: model {show(row['model'])}: column {column!r} violates "
                    f"low <= estimate <= high ({row[f'{prefix}_low']} <= {row[prefix]} <= {row[f'{prefix}_high']})"
                )
    bad_score = ~frame["average_score"].between(0, 1)
    if bad_score.any():
        row = frame.loc[bad_score].iloc[0]
        raise ValueError(
            f"{source}: model {show(row['model'])}: column 'average_score' must lie in [0, 1], got {show(row['average_score'])}"
        )
    return frame


def validate_doubling(frame: pd.DataFrame, source: Path | str) -> pd.DataFrame:
    """METR's doubling-time block: finite, positive, ci_low <= point_estimate <= ci_high where given."""
    missing = [c for c in DOUBLING_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {missing}")
    if frame.empty:
        return frame
    _check_keys(frame, "window", source, label="window")
    if frame["window"].duplicated().any():
        raise ValueError(f"{source}: window {show(frame.loc[frame['window'].duplicated(), 'window'].iloc[0])}: "
                         "column 'window' is duplicated")
    _first_bad(frame, frame["point_estimate"].isna(), source, "point_estimate", "is empty", "window")
    for column in DOUBLING_COLUMNS[1:]:
        given = frame.loc[frame[column].notna()]
        _check_numbers(given, [column], source, label="window")
        _first_bad(given, ~(given[column].astype(float) > 0), source, column, "must be > 0 days", "window")
    point = frame["point_estimate"].astype(float)
    low, high = pd.to_numeric(frame["ci_low"]), pd.to_numeric(frame["ci_high"])
    _first_bad(frame, low > point, source, "ci_low", "is above the point estimate", "window")
    _first_bad(frame, point > high, source, "ci_high", "is below the point estimate", "window")
    return frame


def _read_csv(path: Path, **options) -> pd.DataFrame:
    """A committed table; an unreadable or malformed file is a ValueError naming it."""
    staging.settle(Path(path).parent)
    try:
        return pd.read_csv(path, **options)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such table") from None
    except OSError as err:
        raise ValueError(f"{path}: cannot read the table ({err.strerror or type(err).__name__})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError, OverflowError) as err:
        raise ValueError(f"{path}: malformed table ({' '.join(str(err).split())[:200]})") from None


def load_model_names(path: Path | None = None) -> pd.DataFrame:
    path = paths.note_read(path or paths.METR_DATA / "models.csv")
    names = _read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in NAME_COLUMNS if c not in names.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    duplicated = names["model"].duplicated()
    if duplicated.any():
        raise ValueError(f"{path}: model {show(names.loc[duplicated, 'model'].iloc[0])}: column 'model' is duplicated")
    return names


def display_name(model: str, names: pd.DataFrame) -> str:
    """METR's key -> a readable name; a key not in models.csv gets a plain, recognisable fallback."""
    match = names.loc[names["model"] == model, "display_name"]
    if len(match):
        return match.iloc[0]
    return model.removesuffix("_inspect").replace("_", " ")


def read_benchmark_yaml(path: Path | str, names: pd.DataFrame | None = None) -> pd.DataFrame:
    """One METR ``benchmark_results_1_x.yaml`` -> one validated row per model."""
    path = importing.read_upstream(path)
    document = _parse_yaml(path)
    benchmark = _benchmark_version(path, document)
    results = document.get("results")
    if not isinstance(results, dict) or not results:  # a truncated download often ends here
        raise ValueError(f"{path}: missing or empty top-level field 'results' (truncated file?)")
    if len(results) > MAX_MODELS:
        raise ValueError(f"{path}: {len(results):,} models, above the cap of {MAX_MODELS:,}")
    names = load_model_names() if names is None else names
    rows = [
        _record_row(path, _key(path, "model", "model", model), record, benchmark, names)
        for model, record in results.items()
    ]
    frame = pd.DataFrame(rows, columns=HORIZON_COLUMNS)
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    frame = frame.sort_values(["release_date", "model"], kind="stable").reset_index(drop=True)
    return validate_horizons(frame, path)


def read_published_doubling(path: Path | str) -> pd.DataFrame:
    """METR's own doubling-time block (days); empty when the file carries none."""
    path = importing.read_upstream(path)
    block = _parse_yaml(path).get("doubling_time_in_days") or {}
    if not isinstance(block, dict):
        raise ValueError(f"{path}: 'doubling_time_in_days' is not a mapping")
    rows = []
    for window, values in block.items():
        label = f"window {show(_key(path, 'window', 'window', window))}"
        if not isinstance(values, dict) or "point_estimate" not in values:
            raise ValueError(f"{path}: {label}: missing column 'point_estimate'")
        row = {"window": window}
        for column in DOUBLING_COLUMNS[1:]:
            value = values.get(column)
            row[column] = np.nan if value is None else _number(path, label, column, value)
        rows.append(row)
    return validate_doubling(pd.DataFrame(rows, columns=DOUBLING_COLUMNS), path)


def _task_rows(path: Path, agent: str, record: dict) -> tuple[list[dict], dict]:
    label = f"agent {show(agent)}"
    if not isinstance(record, dict):
        raise ValueError(f"{path}: {label}: expected a mapping, got {show(record)}")
    release = _date(path, label, _field(path, label, record, "release_date"))
    fit = {
        "agent": agent,
        "release_date": release,
        "coefficient": _number(path, label, "coefficient", _field(path, label, record, "coefficient")),
        "intercept": _number(path, label, "intercept", _field(path, label, record, "intercept")),
    }
    tasks = _field(path, label, record, "tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ValueError(f"{path}: {label}: column 'tasks' is missing or empty")
    rows = []
    for task in tasks:
        task_id = _key(path, label, "task_id", _field(path, label, task, "task_id"))
        where = f"task {show(f'{agent} / {task_id}')}"
        row = {"agent": agent, "release_date": release, "task_id": task_id, "task_family": task_id.split("/")[0]}
        for column in ("human_minutes", "task_weight"):
            row[column] = _number(path, where, column, _field(path, where, task, column))
        for column in ("n_successes", "n_runs"):
            row[column] = _whole_number(path, where, column, _field(path, where, task, column))
        if not row["human_minutes"] > 0:
            raise ValueError(f"{path}: {where}: column 'human_minutes' must be > 0")
        if not (row["n_runs"] >= 1 and 0 <= row["n_successes"] <= row["n_runs"]):
            raise ValueError(f"{path}: {where}: column 'n_successes' must lie in [0, n_runs]")
        if not row["task_weight"] > 0:
            raise ValueError(f"{path}: {where}: column 'task_weight' must be > 0")
        rows.append(row)
    return rows, fit


def read_task_yaml(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """METR's ``task_results_1_x.yaml`` -> (one row per agent and task, METR's stored fit per agent)."""
    path = importing.read_upstream(path)
    document = _parse_yaml(path)
    _benchmark_version(path, document)
    agents = document.get("agents")
    if not isinstance(agents, dict) or not agents:
        raise ValueError(f"{path}: missing or empty top-level field 'agents' (truncated file?)")
    if len(agents) > MAX_MODELS:
        raise ValueError(f"{path}: {len(agents):,} agents, above the cap of {MAX_MODELS:,}")
    n_rows = sum(len(record["tasks"]) for record in agents.values()
                 if isinstance(record, dict) and isinstance(record.get("tasks"), list))
    if n_rows > MAX_TASK_ROWS:
        raise ValueError(f"{path}: {n_rows:,} task rows, above the cap of {MAX_TASK_ROWS:,}")
    rows, fits = [], []
    for agent, record in agents.items():
        agent_rows, fit = _task_rows(path, _key(path, "agent", "agent", agent), record)
        rows.extend(agent_rows)
        fits.append(fit)
    tasks = pd.DataFrame(rows, columns=TASK_COLUMNS)
    duplicated = tasks.duplicated(["agent", "task_id"])
    if duplicated.any():
        row = tasks.loc[duplicated].iloc[0]
        raise ValueError(f"{path}: task {show(row['agent'] + ' / ' + row['task_id'])}: column 'task_id' is duplicated")
    for column in ("n_successes", "n_runs"):
        tasks[column] = tasks[column].astype(int)
    return tasks, pd.DataFrame(fits, columns=TASK_FIT_COLUMNS)


def is_task_file(path) -> bool:
    return "agents" in _parse_yaml(path)


def check_complete(path) -> None:
    """A benchmark file has fields after ``results`` (a download cut at a model boundary has none)."""
    keys = list(_parse_yaml(path))
    if "results" in keys and not any(key in TRAILING_FIELDS for key in keys[keys.index("results") + 1:]):
        raise ValueError(f"{path}: no field after 'results' (METR's files end with {TRAILING_FIELDS[0]!r}): "
                         "a truncated file?")


# ---------------------------------------------------------------- committed tables


def validate_sources(sources: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """The provenance table: known columns, well-formed release ids, literal dates, one row per release."""
    missing = [c for c in SOURCE_COLUMNS if c not in sources.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for column in ("release", "sha256", "source_url", "as_of"):
        empty = sources[column] == ""
        if empty.any():
            raise ValueError(f"{path}: row {int(empty.idxmax()) + 2}: column {column!r} is empty")
    for index, row in sources.iterrows():
        where = f"{path}: row {index + 2}: release {show(row['release'])}"
        match = RELEASE_ID.fullmatch(row["release"])
        if match is None:
            raise ValueError(f"{where}: column 'release' is not a release id like v1.1_2026-05-08")
        if parse_iso_date(row["as_of"]) is None:
            raise ValueError(f"{where}: column 'as_of' is not a date (YYYY-MM-DD): {show(row['as_of'])}")
        if row["kind"] not in ("benchmark", "tasks") or (row["kind"] == "tasks") != bool(match["tasks"]):
            raise ValueError(f"{where}: column 'kind' must be 'tasks' for tasks_ ids, else 'benchmark': {show(row['kind'])}")
        if row["benchmark"] not in BENCHMARK_VERSIONS.values():
            raise ValueError(f"{where}: column 'benchmark' has an unknown version: {show(row['benchmark'])}")
        if not re.fullmatch(r"[0-9a-f]{64}", row["sha256"]):
            raise ValueError(f"{where}: column 'sha256' is not a sha256 digest: {show(row['sha256'])}")
    duplicated = sources["release"].duplicated()
    if duplicated.any():
        raise ValueError(f"{path}: row {int(duplicated.idxmax()) + 2}: release "
                         f"{show(sources.loc[duplicated, 'release'].iloc[0])}: column 'release' is duplicated")
    return sources


def load_sources(path: Path | None = None) -> pd.DataFrame:
    path = Path(path or paths.METR_DATA / "sources.csv")
    return validate_sources(_read_csv(path, dtype=str, keep_default_na=False), path)


def _release_order(sources: pd.DataFrame) -> pd.DataFrame:
    """Oldest first: by as-of date, then by the same-day sequence number (_2, _3, ...)."""
    sequence = sources["release"].str.extract(r"_([0-9]+)$", expand=False).fillna("1").astype(int)
    return sources.assign(_sequence=sequence).sort_values(["as_of", "_sequence"], kind="stable")


def benchmark_releases(sources: pd.DataFrame | None = None, version: str | None = None) -> list[str]:
    """Summary-horizon releases (not task results), oldest first; optionally of one suite version."""
    sources = load_sources() if sources is None else sources
    chosen = sources[sources["kind"] == "benchmark"]
    if version is not None:
        chosen = chosen[chosen["benchmark"] == version]
    return _release_order(chosen)["release"].tolist()


def latest_release(version: str, sources: pd.DataFrame | None = None, kind: str = "benchmark") -> str:
    sources = load_sources() if sources is None else sources
    of_version = sources[(sources["benchmark"] == version) & (sources["kind"] == kind)]
    if of_version.empty:
        known = sorted(sources["benchmark"].unique())
        raise ValueError(f"no METR release of benchmark version {version!r} (known: {known})")
    return _release_order(of_version)["release"].iloc[-1]


def free_release_id(release: str, sources: pd.DataFrame) -> str:
    """``release`` if no row uses it, else the first free ``release_2``, ``release_3``, ..."""
    taken = set(sources["release"])
    candidate, sequence = release, 1
    while candidate in taken:
        sequence += 1
        candidate = f"{release}_{sequence}"
    return candidate


def release_as_of(release: str, sources: pd.DataFrame | None = None) -> str:
    """Publication or retrieval date (YYYY-MM-DD) of a release, from the provenance table."""
    sources = load_sources() if sources is None else sources
    match = sources.loc[sources["release"] == release, "as_of"]
    if match.empty:
        raise ValueError(f"release {show(release)} is not in the provenance table (sources.csv)")
    return match.iloc[0]


def _table_path(data_dir: Path | None, name: str, release: str) -> Path:
    if not isinstance(release, str) or RELEASE_ID.fullmatch(release) is None:
        raise ValueError(f"release {show(release)}: not a release id like v1.1_2026-05-08")
    return Path(data_dir or paths.METR_DATA) / name


def horizons_path(release: str, data_dir: Path | None = None) -> Path:
    return _table_path(data_dir, f"horizons_{release}.csv", release)


def tasks_path(release: str, data_dir: Path | None = None) -> Path:
    return _table_path(data_dir, f"{release}.csv", release)


def task_fits_path(release: str, data_dir: Path | None = None) -> Path:
    return _table_path(data_dir, f"{release}_fits.csv", release)


def _check_dates(frame: pd.DataFrame, source, label: str, column: str = "release_date") -> None:
    for row, value in frame[column].items():
        if parse_iso_date(value) is None:
            raise ValueError(
                f"{source}: row {row + 2}: {label} {show(frame.at[row, label])}: column {column!r} is not a date: {show(value)}"
            )


def validate_tasks(tasks: pd.DataFrame, fits: pd.DataFrame, source_tasks, source_fits) -> None:
    """The committed per-task table and per-agent fits, checked as strictly as the import."""
    for frame, columns, source in ((tasks, TASK_COLUMNS, source_tasks), (fits, TASK_FIT_COLUMNS, source_fits)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"{source}: missing column(s) {missing}")
        _check_keys(frame, "agent", source, label="agent")
    _check_keys(tasks, "task_id", source_tasks, label="agent")
    _check_numbers(tasks, ["human_minutes", "n_successes", "n_runs", "task_weight"], source_tasks, label="agent")
    _check_numbers(fits, ["coefficient", "intercept"], source_fits, label="agent")
    for column in ("n_successes", "n_runs"):
        _first_bad(tasks, tasks[column] % 1 != 0, source_tasks, column, "is not a whole number", "agent")
    _first_bad(tasks, ~(tasks["human_minutes"] > 0), source_tasks, "human_minutes", "must be > 0", "agent")
    _first_bad(tasks, ~(tasks["task_weight"] > 0), source_tasks, "task_weight", "must be > 0", "agent")
    _first_bad(tasks, ~(tasks["n_runs"] >= 1), source_tasks, "n_runs", "must be >= 1", "agent")
    _first_bad(tasks, ~tasks["n_successes"].between(0, tasks["n_runs"]), source_tasks, "n_successes",
               "must lie in [0, n_runs]", "agent")


def load_tasks(release: str | None = None, data_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed per-task table and METR's stored per-agent fits (latest tasks release by default)."""
    data_dir = Path(data_dir or paths.METR_DATA)
    release = release or latest_release("1.1", load_sources(data_dir / "sources.csv"), kind="tasks")
    task_file, fits_file = tasks_path(release, data_dir), task_fits_path(release, data_dir)
    tasks = _read_csv(paths.note_read(task_file), dtype={"agent": str, "task_id": str, "release_date": str},
                      keep_default_na=False, na_values=[""])
    fits = _read_csv(paths.note_read(fits_file), dtype={"agent": str, "release_date": str},
                     keep_default_na=False, na_values=[""])
    validate_tasks(tasks, fits, task_file, fits_file)
    for frame, source in ((tasks, task_file), (fits, fits_file)):
        _check_dates(frame, source, "agent")
        frame["release_date"] = pd.to_datetime(frame["release_date"])
    for column in ("n_successes", "n_runs"):
        tasks[column] = tasks[column].astype(int)
    return tasks, fits


def load_agents(path: Path | None = None) -> pd.DataFrame:
    """METR's agent names in the task file -> its model keys in the benchmark file (curated)."""
    path = paths.note_read(path or paths.METR_DATA / "agents.csv")
    agents = _read_csv(path, dtype=str, keep_default_na=False)
    if agents["agent"].duplicated().any() or agents["model"].duplicated().any():
        raise ValueError(f"{path}: agents and models must each appear once")
    return agents


def load_first_estimates(path: Path | None = None) -> pd.DataFrame:
    """METR's first, later withdrawn, estimates quoted in the report (sourced, see data/README.md)."""
    path = paths.note_read(path or paths.METR_DATA / "first_estimates.csv")
    frame = _read_csv(path, dtype={"model": str})
    if not frame["source_url"].str.startswith("https://").all():
        raise ValueError(f"{path}: every row needs an https source_url")
    return frame


def doubling_path(release: str, data_dir: Path | None = None) -> Path:
    return _table_path(data_dir, f"doubling_{release}.csv", release)


def load_horizons(version: str = "1.1", *, release: str | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """The committed horizons table: the latest release of ``version``, or a named ``release``."""
    data_dir = Path(data_dir or paths.METR_DATA)
    release = release or latest_release(version, load_sources(data_dir / "sources.csv"))
    path = horizons_path(release, data_dir)
    staging.settle(data_dir)
    if not path.exists():
        raise ValueError(f"{path}: no such table; run `python -m analysis.metr import` for release {show(release)}")
    frame = _read_csv(paths.note_read(path), dtype={"model": str, "display_name": str, "benchmark": str,
                                                    "release_date": str})
    missing = [c for c in HORIZON_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    _check_dates(frame, path, "model")
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    if frame["is_sota"].dtype != bool:
        raise ValueError(f"{path}: column 'is_sota' must hold only True/False")
    return validate_horizons(frame, path)


def load_published_doubling(release: str, data_dir: Path | None = None) -> pd.DataFrame:
    path = paths.note_read(doubling_path(release, data_dir))
    frame = _read_csv(path, dtype={"window": str}, keep_default_na=False, na_values=[""])
    return validate_doubling(frame, path)


def _write_atomically(targets: dict[Path, str]) -> None:
    """Kept for old callers: the transactional ``write_files``."""
    write_files(targets)


def _dated_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    out["release_date"] = out["release_date"].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n")


def check_as_of(as_of, *, source: str = "--as-of") -> str:
    """A retrieval date given on the command line: a literal YYYY-MM-DD ('next tuesday' is not), no
    later than the day of the import."""
    day = parse_iso_date(as_of)
    if day is None:
        raise ValueError(f"{source}: not a date (YYYY-MM-DD, {EARLIEST_YEAR}-{LATEST_YEAR}): {show(as_of)}")
    if importing.future_problem(day):
        raise ValueError(f"{source} {as_of}: a retrieval date cannot be in the future (today is {importing.today()})")
    return str(as_of)


def _check_release_id(path: Path, release, *, kind: str, benchmark: str, as_of: str) -> str:
    match = RELEASE_ID.fullmatch(release) if isinstance(release, str) else None
    if match is None:
        raise ValueError(f"{path}: --release {show(release)}: not a release id like v1.1_2026-05-08 "
                         "(or tasks_v1.1_2026-05-08, with _2, _3, ... for a second release on one day)")
    if bool(match["tasks"]) != (kind == "tasks"):
        raise ValueError(f"{path}: --release {show(release)}: a {kind} file needs an id "
                         f"{'starting' if kind == 'tasks' else 'not starting'} with 'tasks_'")
    if match["version"] != benchmark:
        raise ValueError(f"{path}: --release {show(release)}: the file is suite v{benchmark}, the id says v{match['version']}")
    if match["date"] != as_of:
        raise ValueError(f"{path}: --release {show(release)}: the id's date differs from --as-of {as_of}")
    return release


def _check_source_url(path: Path, url) -> str:
    if (not isinstance(url, str) or len(url) > 2000 or not re.match(r"(https?|file):", url)
            or any(ord(char) <= 32 or ord(char) == 127 for char in url)):
        raise ValueError(f"{path}: --source-url {show(url)}: not an http(s) or file URL without spaces")
    return url


def prepare_import(
    path: Path | str,
    *,
    data_dir: Path,
    sources: pd.DataFrame,
    release: str | None = None,
    source_url: str | None = None,
    as_of: str | None = None,
    replace: bool = False,
    expect_version: str | None = None,
    expect_kind: str | None = None,
) -> tuple[str, dict[Path, str], pd.DataFrame]:
    """Validate one upstream file and return (release id, {path: text} to write, updated sources).

    An existing release is never given other bytes unless ``replace``; the updated sources then
    carry ``attrs["replaced"]``. ``expect_version`` refuses a file of another suite (a v1.0 file
    served where v1.1 was asked for); ``expect_kind`` one of the other kind (the task file served at
    the benchmark file's address). The sha256 and every parse come from one read of the bytes."""
    path = importing.read_upstream(path)
    digest = path.sha256
    document = _parse_yaml(path)
    benchmark = _benchmark_version(path, document)
    if expect_version is not None and benchmark != expect_version:
        raise ValueError(f"{path}: benchmark_name {show(document['benchmark_name'])} is suite v{benchmark}, "
                         f"not the v{expect_version} asked for")
    kind = "tasks" if "agents" in document else "benchmark"
    if expect_kind is not None and kind != expect_kind:
        raise ValueError(f"{path}: is a METR {kind} file, not the {expect_kind} file asked for (the wrong file?)")
    if kind == "tasks":
        tasks, fits = read_task_yaml(path)
        latest_day = fits["release_date"].max()
    else:
        horizons = read_benchmark_yaml(path, load_model_names(data_dir / "models.csv"))
        doubling = read_published_doubling(path)
        latest_day = horizons["release_date"].max()
    problem = importing.future_problem(latest_day.date())
    if problem:
        raise ValueError(f"{path}: column 'release_date': {problem}")
    replaced = []
    known = sources[sources["sha256"] == digest]
    if len(known):
        release = known["release"].iloc[0]  # a file already imported keeps its recorded release id
    else:
        if not (release and source_url and as_of):
            raise ValueError(
                f"{path}: sha256 {digest} is not in {data_dir / 'sources.csv'}; "
                "give --release, --source-url and --as-of to record its provenance"
            )
        as_of = check_as_of(as_of)
        if pd.Timestamp(as_of) < latest_day:
            raise ValueError(f"{path}: --as-of {as_of} is before the latest release date in the file "
                             f"({latest_day:%Y-%m-%d}); it must be the day the file was published or retrieved")
        _check_release_id(path, release, kind=kind, benchmark=benchmark, as_of=as_of)
        source_url = _check_source_url(path, source_url)
        new_row = {column: "" for column in SOURCE_COLUMNS}
        new_row.update(
            release=release,
            kind=kind,
            benchmark=benchmark,
            upstream_file=_key(path, "file", "upstream_file", path.name),
            sha256=digest,
            as_of=as_of,
            source_url=source_url,
            license="no license stated; attribute METR and cite arXiv:2503.14499",
            attribution="METR (2025), Measuring AI Ability to Complete Long Tasks, arXiv:2503.14499",
        )
        existing = sources.index[sources["release"] == release]
        if len(existing):
            old = sources.loc[existing[0]]
            if not replace:
                raise ValueError(
                    f"{path}: --release {release}: already in {data_dir / 'sources.csv'} with other bytes "
                    f"(sha256 {old['sha256'][:12]}…, this file {digest[:12]}…); choose another release id, "
                    "or give --replace to overwrite it"
                )
            if old["kind"] != kind:
                raise ValueError(f"{path}: --release {release}: is a {old['kind']} release; this is a {kind} file")
            sources = sources.copy()
            sources.loc[existing[0], SOURCE_COLUMNS] = [new_row[column] for column in SOURCE_COLUMNS]
            replaced.append(f"{release} (sha256 {old['sha256'][:12]}… -> {digest[:12]}…)")
        else:
            sources = pd.concat([sources, pd.DataFrame([new_row])], ignore_index=True)
    if kind == "tasks":
        targets = {tasks_path(release, data_dir): _dated_csv(tasks), task_fits_path(release, data_dir): _dated_csv(fits)}
    else:
        targets = {
            horizons_path(release, data_dir): _dated_csv(horizons),
            doubling_path(release, data_dir): doubling.to_csv(index=False, lineterminator="\n"),
        }
    if not replace and not len(known):
        for target, text in targets.items():  # a table with no provenance row: never silently overwritten
            if target.is_file() and target.read_bytes() != text.encode("utf-8"):
                raise ValueError(f"{path}: {target.name} exists with other content and no row in sources.csv; "
                                 "give --replace to overwrite it")
    sources.attrs["replaced"] = replaced
    return release, targets, sources


def sources_text(sources: pd.DataFrame) -> str:
    return sources.to_csv(index=False, lineterminator="\n")


def write_files(targets: dict[Path, str]) -> None:
    """Write all files or none, as one transaction under the data folder's lock (``analysis.staging``):
    a failure, or a process killed at any point, leaves the old files or the new ones, never a mix."""
    importing.write_tables(targets)


def import_release(
    path: Path | str,
    *,
    data_dir: Path | None = None,
    release: str | None = None,
    source_url: str | None = None,
    as_of: str | None = None,
    replace: bool = False,
) -> str:
    """Import one upstream YAML into ``data_dir``; returns the release id. Writes nothing on error.

    Holds the data folder's lock from reading ``sources.csv`` to the commit, so concurrent imports
    both land their rows."""
    data_dir = Path(data_dir or paths.METR_DATA)
    sources_path = data_dir / "sources.csv"
    with staging.locked(data_dir):
        sources = load_sources(sources_path)
        release, targets, updated = prepare_import(
            path, data_dir=data_dir, sources=sources, release=release, source_url=source_url, as_of=as_of,
            replace=replace,
        )
        if sources_text(updated) != sources_text(sources):
            targets[sources_path] = sources_text(updated)
        write_files(targets)
    return release


if __name__ == "__main__":  # the command line lives above this module, in analysis.importers
    import sys

    from analysis import importers

    sys.exit(importers.metr_main())
