"""Benchmarks beyond METR's horizons: read upstream tables, validate, write and load tidy tables.

I/O and validation only; no statistics. Every error names the file, the row (or model) and the column:
``<file>: <row or model>: <column>: <what>``.

Command line::

    python -m analysis.benchmarks import [--from FOLDER] [--data-dir FOLDER]

reads the upstream files listed in ``data/benchmarks/sources.csv`` from FOLDER (default
``../shared/data``), refuses any whose sha256 differs from the recorded one, validates every row and
writes all tables at once (``importing.write_tables``): nothing is written if anything fails. Each
upstream file is read once: its sha256 and its parse come from the same bytes.

    python -m analysis.benchmarks refresh --from ZIP_OR_FOLDER [--as-of DATE] [--allow-removals]

re-imports the tables that come from Epoch's ``benchmark_data.zip`` from a newer zip (URL or path)
or folder and prints what changed (``analysis.refresh``; the command lines are in
``analysis.importers``).

Tables (``data/benchmarks/``), one per benchmark, long format (see ``data/README.md``):

* ``posttrainbench.csv``, ``swe_bench_verified.csv``, ``gso.csv``, ``weirdml.csv``,
  ``terminalbench.csv`` (Epoch AI's benchmark hub). Epoch lists a model once per reasoning setting
  (``Model version`` suffixes such as ``_high``), per scaffold or agent, and sometimes per repeated
  run. **Dedup rule: one row per model** (Epoch's ``Model name`` for the version, looked up in the
  ECI file, together with the release date, since one name can cover dated snapshots): the row with
  the highest score across versions, scaffolds and runs (ties: the first in upstream order). The
  kept row's version, scaffold and upstream id stay, and ``n_rows_merged`` says how many upstream
  rows the model had. Rows without a model version or release date (two Terminal-Bench rows, three
  WeirdML rows) cannot be placed in time and are dropped. Scores are fractions 0-1 even where
  Epoch's header says "(%)". GSO's hack-adjusted score is kept in its own column, never mixed with
  the raw score.
* ``corebench_hard.csv``: HAL's CORE-Bench Hard (v1, 45 tasks, automated grading) from the SQLite
  database behind its leaderboard (read-only). HAL names models with a month label, "Claude Opus 4.5
  (November 2025)": the label is the model's release month (the first of that month is stored, with
  ``date_basis`` saying so); ``result_date`` is the run date. Same dedup rule: best run per model
  (the name without its month label and reasoning-effort word, "High", "Medium"...) across HAL's two
  scaffolds (CORE-Agent, HAL Generalist Agent), reasoning settings and repeated runs.
* ``corebench_v11.csv``: CORE-Bench v1.1 (Nadgir, Kapoor et al. 2026), a revised task set whose
  accuracies are not comparable with v1: kept apart, one row per split and agent configuration (no
  dedup; the key is checked unique).
* ``mlebench.csv``: the leaderboard in MLE-bench's README, one row per leaderboard entry (agent,
  LLMs, time budget) and task split, score and its ± standard error as fractions, the known-leakage
  flag and the padded-seeds footnote. Entries are agent submissions, not models: there is no model
  release date, only the submission date (``result_date``). No dedup: the key is checked unique.
* ``eci.csv``: the Epoch Capabilities Index, one dated release only, one row per model version with a
  score and a release date (the score is the model's, repeated on every reasoning-setting row).
* ``references.csv``: PostTrainBench's reference rows (official instruct models, zero-shot base
  models), parsed from its README.

* ``eci_snapshots.csv``: Epoch's live ECI page after its last file, as hand-transcribed by a third
  party on 28 Aug and 8 Sep 2026 (integers, top rows; ``transcribed`` is always True). Release dates
  come from ``eci.csv`` or the curated ``eci_release_dates.csv`` (fact F13). A transcribed row gives
  way to Epoch's own file once one at least as new holds the model (``load_eci_snapshots``).
* ``posttrainbench_v12.csv``: PostTrainBench v1.2 (30 Sep 2026), one row per agent; a changed task
  set and scoring, so its own series, never mixed with v1.1 (``posttrainbench.csv``).

Curated, not written by the import: ``sources.csv`` (provenance, one row per upstream file),
``crosswalk.csv`` (METR model keys to Epoch model versions) and ``eci_release_dates.csv``; figures
quoted from the fact sheet are in ``data/quoted.csv`` (``load_quoted``).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import importing, paths, staging

BENCH_DATA = paths.DATA / "benchmarks"
SHARED_DATA = paths.ROOT.parent / "shared" / "data"

SCORE_COLUMNS = [
    "model",  # upstream model key (Epoch's Model version; HAL's or MLE-bench's model label)
    "model_name",  # the model, as one name per model (Epoch's Model name; HAL without the month label)
    "release_date",  # model release date (empty for MLE-bench, whose rows are agent submissions)
    "date_basis",  # what release_date means for this table
    "result_date",  # when the score was produced (run, evaluation or submission date), if given
    "benchmark",
    "score",  # fraction 0-1
    "stderr",  # standard error of the score, fraction (where given)
    "sd",  # standard deviation across runs, fraction (where given; PostTrainBench)
    "scaffold",  # agent scaffold or harness (where relevant)
    "n_rows_merged",  # upstream rows behind this row (the dedup rule keeps the best)
    "source_row",  # upstream row id (Epoch's id, HAL's run_id, the README's line)
]
EXTRA_COLUMNS = {
    "gso.csv": ["score_hack_adjusted"],
    "mlebench.csv": ["running_hours", "known_leakage", "padded_seeds"],
}
SCORE_KEYS = {  # the key each table is unique on after the dedup rule
    "posttrainbench.csv": ["model_name", "release_date"],
    "swe_bench_verified.csv": ["model_name", "release_date"],
    "gso.csv": ["model_name", "release_date"],
    "weirdml.csv": ["model_name", "release_date"],
    "terminalbench.csv": ["model_name", "release_date"],
    "corebench_hard.csv": ["model_name"],
    "mlebench.csv": ["scaffold", "model_name", "running_hours", "benchmark"],
}
V11_COLUMNS = ["split", "agent_id", "scaffold", "model", "benchmark", "score", "n", "n_pass", "cost_mean_usd"]
ECI_COLUMNS = ["model", "model_name", "display_name", "release_date", "eci", "organization", "accessibility", "confidence"]
REFERENCE_COLUMNS = ["benchmark", "reference", "score", "source_row"]
ECI_SNAPSHOT_COLUMNS = ["model", "model_name", "release_date", "release_date_basis", "eci", "eci_low", "eci_high",
                        "rank", "snapshot", "transcribed", "source_file"]
ECI_RELEASE_DATE_COLUMNS = ["model", "release_date", "fact_id", "note"]
V12_COLUMNS = ["agent", "benchmark", "score", "sd", "n_runs", "note", "source_row"]
V12_BENCHMARK = "PostTrainBench v1.2"
# The v1.2 data README: "Five underlying Fable 5.1 GPQA Main cells use Opus 5 fallback scores."
V12_NOTES = {"Fable 5.1 (Max)": "five of its GPQA Main cells are Opus 5 fallback scores (v1.2 data README)"}
SOURCE_COLUMNS = ["table", "upstream_path", "source_url", "mirror", "as_of", "sha256", "licence", "attribution"]
CROSSWALK_COLUMNS = ["metr_model", "metr_display_name", "epoch_model_version", "epoch_model_name", "note"]
QUOTED_COLUMNS = ["fact_id", "quantity", "value", "low", "high", "unit", "date", "source_url", "confidence", "caveat"]

BENCHMARK_NAMES = {
    "posttrainbench.csv": "PostTrainBench",
    "swe_bench_verified.csv": "SWE-bench Verified",
    "gso.csv": "GSO",
    "weirdml.csv": "WeirdML",
    "terminalbench.csv": "Terminal-Bench 2.0",
    "corebench_hard.csv": "CORE-Bench Hard",
    "corebench_v11.csv": "CORE-Bench v1.1",
    "mlebench.csv": "MLE-bench",
}
RELEASE = "model release (Epoch)"
# Epoch tables: (score column, stderr column, sd column, scaffold column, result-date column, extra renames)
_EPOCH_SPECS = {
    "posttrainbench.csv": ("Average (%)", None, "Average SD (%)", "Scaffold", None, {}),
    "swe_bench_verified.csv": ("mean_score", "stderr", None, None, "Started at", {}),
    "gso.csv": ("Score OPT@1", None, None, "Scaffold", "Evaluation date", {"OPT@1 (hack-adjusted)": "score_hack_adjusted"}),
    "weirdml.csv": ("Accuracy", "Accuracy SE", None, None, None, {}),
    "terminalbench.csv": ("Accuracy mean", "Accuracy SE", None, "Agent", "Run date", {}),
}


# ------------------------------------------------------------------ checks shared by readers and loaders


def _name(source) -> str:
    """A file's name for an error message (a path, or an upstream file read into memory)."""
    return source.name if isinstance(source, importing.Upstream) else Path(source).name


def _fail(source, where, column, what) -> None:
    raise ValueError(f"{_name(source)}: {where}: {column}: {what}")


def _require_columns(frame: pd.DataFrame, source, columns) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{_name(source)}: header: {missing[0]}: missing column (missing: {missing})")


def _upstream(path) -> importing.Upstream:
    """The upstream file, read once (a regular file within the size cap), or as already read."""
    if not isinstance(path, importing.Upstream) and not Path(path).exists():
        raise ValueError(f"{_name(path)}: -: -: missing file ({path})")
    try:
        return importing.read_upstream(path)
    except ValueError as err:
        raise ValueError(f"{_name(path)}: -: -: {err}") from None


def _read_upstream_csv(path) -> pd.DataFrame:
    upstream = _upstream(path)
    try:
        return upstream.csv()
    except ValueError as err:
        raise ValueError(f"{_name(upstream)}: -: -: {str(err).split(': ', 1)[-1]}") from None


def _to_number(source, where, column, value, *, lower=None, upper=None, allow_empty=False) -> float:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    if text == "":
        if allow_empty:
            return float("nan")
        _fail(source, where, column, "empty")
    if not text.isascii():
        _fail(source, where, column, f"not a number (ASCII digits only): {importing.show(text)}")
    try:
        number = float(text)
    except ValueError:
        _fail(source, where, column, f"not a number: {text!r}")
    if not np.isfinite(number):
        _fail(source, where, column, f"not a finite number: {text!r}")
    if (lower is not None and number < lower) or (upper is not None and number > upper):
        _fail(source, where, column, f"out of range [{lower}, {upper}]: {number!r}")
    return number


def _to_date(source, where, column, value, *, allow_empty=False) -> pd.Timestamp | None:
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    if text == "":
        if allow_empty:
            return None
        _fail(source, where, column, "empty date")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+Z?)?", text, re.ASCII):
        _fail(source, where, column, f"not a date (YYYY-MM-DD): {text!r}")
    try:
        stamp = pd.Timestamp(text[:10])
    except ValueError:
        _fail(source, where, column, f"not a date: {text!r}")
    if isinstance(source, importing.Upstream):  # reading an upstream file: no date after the import's day
        problem = importing.future_problem(stamp.date())
        if problem:
            _fail(source, where, column, problem)
    return stamp


def _date_text(value) -> str | None:
    """A date cell (text or timestamp) as YYYY-MM-DD, or None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == "":
        return None
    return str(value)[:10]


def _check_unique(frame: pd.DataFrame, source, key: list[str]) -> None:
    duplicated = frame.duplicated(key, keep="first")
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        where = f"row {row + 2}: " + " / ".join(str(frame.iloc[row][c]) for c in key)
        _fail(source, where, "+".join(key), "duplicate key after dedup")


def validate_scores(frame: pd.DataFrame, source, key: list[str], extra=()) -> pd.DataFrame:
    """Check a tidy score table (columns, dates, scores in [0, 1], unique key); return it typed."""
    _require_columns(frame, source, SCORE_COLUMNS + list(extra))
    out = frame[SCORE_COLUMNS + list(extra)].copy()
    for i, record in enumerate(out.to_dict("records")):
        where = f"row {i + 2}: {record['model']}"
        if str(record["model"]).strip() in ("", "nan"):
            _fail(source, f"row {i + 2}", "model", "empty")
        for column in ("score", "stderr", "sd", "score_hack_adjusted"):
            if column in out.columns:
                _to_number(source, where, column, record[column], lower=0.0, upper=1.0, allow_empty=column != "score")
        _to_date(source, where, "release_date", record["release_date"], allow_empty=record["date_basis"] == "none")
        _to_date(source, where, "result_date", record["result_date"], allow_empty=True)
    for column in ("score", "stderr", "sd", "score_hack_adjusted", "running_hours"):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column])
    for column in ("release_date", "result_date"):
        out[column] = pd.to_datetime(out[column].map(_date_text))
    out["n_rows_merged"] = pd.to_numeric(out["n_rows_merged"]).astype(int)
    _check_unique(out, source, key)
    return out


# ------------------------------------------------------------------ readers of upstream files


def read_eci(path: Path) -> pd.DataFrame:
    """Epoch's ECI file -> one row per model version with a score."""
    raw = _read_upstream_csv(path)
    _require_columns(raw, path, ["Model version", "ECI Score", "Release date", "Model name", "Display name",
                                 "Organization", "Model accessibility", "Confidence"])
    rows = []
    for i, record in raw.iterrows():
        where = f"row {i + 2}: {record['Model version']}"
        if record["ECI Score"].strip() == "" or record["Release date"].strip() == "":
            continue  # no score, or no date to place it in time
        score = _to_number(path, where, "ECI Score", record["ECI Score"], lower=0.0, upper=1000.0)
        release = _to_date(path, where, "Release date", record["Release date"])
        if record["Model name"].strip() == "":
            _fail(path, where, "Model name", "empty")
        rows.append({"model": record["Model version"], "model_name": record["Model name"],
                     "display_name": record["Display name"], "release_date": release, "eci": score,
                     "organization": record["Organization"], "accessibility": record["Model accessibility"],
                     "confidence": record["Confidence"]})
    frame = pd.DataFrame(rows, columns=ECI_COLUMNS)
    return validate_eci(frame, path)


def version_names(path: Path) -> dict[str, str]:
    """Epoch Model version -> Model name, from the ECI file (which lists every version Epoch knows)."""
    raw = _read_upstream_csv(path)
    _require_columns(raw, path, ["Model version", "Model name"])
    return dict(zip(raw["Model version"], raw["Model name"]))


def read_epoch_scores(path: Path, table: str, names: dict[str, str]) -> pd.DataFrame:
    """One of Epoch's benchmark files -> the tidy table, deduplicated to one row per model."""
    score_col, se_col, sd_col, scaffold_col, date_col, extra = _EPOCH_SPECS[table]
    raw = _read_upstream_csv(path)
    needed = ["Model version", "Release date", "id", score_col] + [c for c in (se_col, sd_col, scaffold_col, date_col) if c]
    _require_columns(raw, path, needed + list(extra))
    rows = []
    for i, record in raw.iterrows():
        version = record["Model version"].strip()
        if version == "" or record["Release date"].strip() == "":
            continue  # cannot be placed in time (documented in the module docstring)
        where = f"row {i + 2}: {version}"
        if version not in names:
            _fail(path, where, "Model version", "not in Epoch's ECI file (no model name)")
        row = {
            "model": version,
            "model_name": names[version],
            "release_date": _to_date(path, where, "Release date", record["Release date"]),
            "date_basis": RELEASE,
            "result_date": _to_date(path, where, date_col, record[date_col], allow_empty=True) if date_col else None,
            "benchmark": BENCHMARK_NAMES[table],
            "score": _to_number(path, where, score_col, record[score_col], lower=0.0, upper=1.0),
            "stderr": _to_number(path, where, se_col, record[se_col], lower=0.0, upper=1.0, allow_empty=True) if se_col else np.nan,
            "sd": _to_number(path, where, sd_col, record[sd_col], lower=0.0, upper=1.0, allow_empty=True) if sd_col else np.nan,
            "scaffold": record[scaffold_col].strip() if scaffold_col else "",
            "source_row": record["id"],
            "_order": i,
        }
        for upstream, column in extra.items():
            row[column] = _to_number(path, where, upstream, record[upstream], lower=0.0, upper=1.0, allow_empty=True)
        rows.append(row)
    frame = pd.DataFrame(rows)
    return validate_scores(best_per_model(frame, ["model_name", "release_date"]), path, SCORE_KEYS[table],
                           EXTRA_COLUMNS.get(table, []))


def best_per_model(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The dedup rule: per key, the row with the highest score (ties: first upstream row)."""
    counts = frame.groupby(key, sort=False)["score"].transform("size")
    ranked = frame.assign(n_rows_merged=counts).sort_values(["score", "_order"], ascending=[False, True], kind="stable")
    best = ranked.drop_duplicates(key, keep="first")
    return best.sort_values(["release_date", "model_name"], kind="stable").drop(columns="_order").reset_index(drop=True)


_REASONING = re.compile(r"\s+(High|Medium|Low|Minimal)$")  # HAL's reasoning-effort suffix
_MONTH_LABEL = re.compile(r"^(?P<name>.*?)\s*\((?P<month>[A-Z][a-z]+) (?P<year>[0-9]{4})\)$")


def read_corebench_hard(path: Path) -> pd.DataFrame:
    """HAL's CORE-Bench Hard SQLite database (opened read-only) -> best run per model."""
    path = _upstream(path)
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(path.data)  # the bytes whose sha256 was checked, never the file again
        connection.execute("PRAGMA query_only = ON")
        raw = pd.read_sql_query(
            "SELECT agent_name, date, run_id, accuracy, model_name, benchmark_name FROM parsed_results", connection
        )
    except (sqlite3.DatabaseError, pd.errors.DatabaseError, OverflowError) as err:
        raise ValueError(f"{_name(path)}: -: parsed_results: unreadable database ({err})") from None
    finally:
        connection.close()
    rows = []
    for i, record in raw.iterrows():
        where = f"run {record['run_id']}"
        if record["benchmark_name"] != "corebench_hard":
            _fail(path, where, "benchmark_name", f"not corebench_hard: {record['benchmark_name']!r}")
        label = str(record["model_name"] or "").strip()
        match = _MONTH_LABEL.match(label)
        if not match:
            _fail(path, where, "model_name", f"no '(Month YYYY)' release label: {label!r}")
        try:
            month = pd.Timestamp(f"{match['month']} 1, {match['year']}")
        except ValueError:
            _fail(path, where, "model_name", f"bad month label: {label!r}")
        scaffold = str(record["agent_name"]).split(" (")[0]
        rows.append({
            "model": label, "model_name": _REASONING.sub("", match["name"]), "release_date": month,
            "date_basis": "model release month (HAL's label)",
            "result_date": _to_date(path, where, "date", record["date"]),
            "benchmark": BENCHMARK_NAMES["corebench_hard.csv"],
            "score": _to_number(path, where, "accuracy", record["accuracy"], lower=0.0, upper=1.0),
            "stderr": np.nan, "sd": np.nan, "scaffold": scaffold, "source_row": record["run_id"], "_order": i,
        })
    frame = best_per_model(pd.DataFrame(rows), ["model_name"])
    return validate_scores(frame, path, SCORE_KEYS["corebench_hard.csv"])


def read_corebench_v11(path: Path) -> pd.DataFrame:
    raw = _read_upstream_csv(path)
    _require_columns(raw, path, ["split", "agent_id", "scaffold", "model", "n", "accuracy", "n_pass", "cost_mean"])
    rows = []
    for i, record in raw.iterrows():
        where = f"row {i + 2}: {record['agent_id']}"
        n = _to_number(path, where, "n", record["n"], lower=1)
        rows.append({
            "split": record["split"], "agent_id": record["agent_id"], "scaffold": record["scaffold"],
            "model": record["model"], "benchmark": BENCHMARK_NAMES["corebench_v11.csv"],
            "score": _to_number(path, where, "accuracy", record["accuracy"], lower=0.0, upper=1.0),
            "n": int(n), "n_pass": int(_to_number(path, where, "n_pass", record["n_pass"], lower=0, upper=n)),
            "cost_mean_usd": _to_number(path, where, "cost_mean", record["cost_mean"], lower=0.0, allow_empty=True),
        })
    return validate_v11(pd.DataFrame(rows, columns=V11_COLUMNS), path)


def validate_v11(frame: pd.DataFrame, source) -> pd.DataFrame:
    _require_columns(frame, source, V11_COLUMNS)
    for i, record in enumerate(frame.to_dict("records")):
        _to_number(source, f"row {i + 2}: {record['agent_id']}", "score", record["score"], lower=0.0, upper=1.0)
    _check_unique(frame, source, ["split", "agent_id"])
    return frame


_MLE_SPLITS = {"Low == Lite (%)": "MLE-bench Lite", "Medium (%)": "MLE-bench Medium",
               "High (%)": "MLE-bench High", "All (%)": "MLE-bench All"}
_MLE_CELL = re.compile(r"^\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*±\s*(?P<se>[0-9]+(?:\.[0-9]+)?)\s*(?P<note>(?:\[\^[0-9]+\])*)\s*$")


def _plain(cell: str) -> str:
    """Markdown cell -> text: links to their label, <br> to a space, footnote marks dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    text = re.sub(r"\[\^[0-9]+\]", "", text).replace("<br>", " ")
    return re.sub(r"\s+", " ", text).strip()


def read_mlebench(path: Path) -> pd.DataFrame:
    """The Leaderboard table of MLE-bench's README -> one row per entry and split (fractions)."""
    path = _upstream(path)
    lines = path.text().splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "## Leaderboard")
        header_at = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("|"))
    except StopIteration:
        raise ValueError(f"{_name(path)}: -: Leaderboard: missing section or table") from None
    header = [_plain(c) for c in lines[header_at].strip().strip("|").split("|")]
    needed = ["Agent", "LLM(s) used", *_MLE_SPLITS, "Running Time (hours)", "Date", "Known Leakage"]
    missing = [c for c in needed if c not in header]
    if missing:
        raise ValueError(f"{_name(path)}: line {header_at + 1}: {missing[0]}: missing column (missing: {missing})")
    rows, order = [], 0
    for number in range(header_at + 2, len(lines)):
        line = lines[number].strip()
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(header):
            _fail(path, f"line {number + 1}", "-", f"expected {len(header)} cells, got {len(cells)}")
        cell = dict(zip(header, cells))
        agent, llm = _plain(cell["Agent"]), _plain(cell["LLM(s) used"])
        where = f"line {number + 1}: {agent} ({llm})"
        hours = _to_number(path, where, "Running Time (hours)", cell["Running Time (hours)"], lower=0.0)
        date = _to_date(path, where, "Date", cell["Date"])
        leakage = _plain(cell["Known Leakage"])
        if leakage not in ("✓", "-", ""):
            _fail(path, where, "Known Leakage", f"expected ✓ or -: {leakage!r}")
        for column, benchmark in _MLE_SPLITS.items():
            match = _MLE_CELL.match(cell[column])
            if not match:
                _fail(path, where, column, f"not 'value ± error': {cell[column]!r}")
            rows.append({
                "model": llm, "model_name": llm, "release_date": None, "date_basis": "none",
                "result_date": date, "benchmark": benchmark,
                "score": _to_number(path, where, column, match["value"], lower=0.0, upper=100.0) / 100,
                "stderr": _to_number(path, where, column, match["se"], lower=0.0, upper=100.0) / 100,
                "sd": np.nan, "scaffold": agent, "n_rows_merged": 1, "source_row": f"line {number + 1}",
                "running_hours": hours, "known_leakage": leakage == "✓", "padded_seeds": "[^3]" in match["note"],
            })
            order += 1
    if not rows:
        raise ValueError(f"{_name(path)}: line {header_at + 1}: Leaderboard: no rows")
    frame = pd.DataFrame(rows)
    return validate_scores(frame, path, SCORE_KEYS["mlebench.csv"], EXTRA_COLUMNS["mlebench.csv"])


def read_posttrainbench_references(path: Path) -> pd.DataFrame:
    """The two reference rows of PostTrainBench's README (Avg column, percent -> fraction)."""
    path = _upstream(path)
    lines = path.text().splitlines()
    wanted = {"Official Instruct Models": "official instruct models", "Base Models": "base models, zero-shot"}
    rows = []
    header = None
    for number, line in enumerate(lines, start=1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.strip().startswith("|") else None
        if cells and "Avg" in cells and "Agent" in cells:
            header = cells
            continue
        if header and cells and len(cells) == len(header):
            record = dict(zip(header, cells))
            if record["Agent"] in wanted:
                where = f"line {number}: {record['Agent']}"
                rows.append({"benchmark": "PostTrainBench", "reference": wanted[record["Agent"]],
                             "score": _to_number(path, where, "Avg", record["Avg"], lower=0.0, upper=100.0) / 100,
                             "source_row": f"line {number}"})
    found = {row["reference"] for row in rows}
    for label, reference in wanted.items():
        if reference not in found:
            raise ValueError(f"{_name(path)}: -: Avg: reference row {label!r} not found")
    return pd.DataFrame(rows, columns=REFERENCE_COLUMNS)


_SNAPSHOT_UPSTREAM = ["rank", "model", "eci", "ci_low", "ci_high", "retrieved"]


def _whole(source, where, column, value, *, lower=None, upper=None) -> int:
    number = _to_number(source, where, column, value, lower=lower, upper=upper)
    if not float(number).is_integer():
        _fail(source, where, column, f"not a whole number: {value!r}")
    return int(number)


def _model_key(source, where, column, value) -> str:
    problem = importing.key_problem(value)
    if problem:
        _fail(source, where, column, problem)
    return value


def read_eci_snapshot(path: Path) -> pd.DataFrame:
    """One hand transcription of Epoch's live ECI page (integers, top rows, one retrieval date)."""
    raw = _read_upstream_csv(path)
    _require_columns(raw, path, _SNAPSHOT_UPSTREAM)
    if raw.empty:
        _fail(path, "-", "model", "no rows")
    rows = []
    for i, record in raw.iterrows():
        where = f"row {i + 2}: {record['model']}"
        model = _model_key(path, f"row {i + 2}", "model", record["model"])
        eci = _whole(path, where, "eci", record["eci"], lower=0, upper=1000)
        low = _whole(path, where, "ci_low", record["ci_low"], lower=0, upper=1000)
        high = _whole(path, where, "ci_high", record["ci_high"], lower=0, upper=1000)
        if not low <= eci <= high:
            _fail(path, where, "ci_low", f"not ci_low <= eci <= ci_high: {low} <= {eci} <= {high}")
        rows.append({"model": model, "eci": eci, "eci_low": low, "eci_high": high,
                     "rank": _whole(path, where, "rank", record["rank"], lower=1, upper=10_000),
                     "snapshot": _to_date(path, where, "retrieved", record["retrieved"])})
    frame = pd.DataFrame(rows)
    if frame["snapshot"].nunique() != 1:
        _fail(path, "-", "retrieved", "a snapshot holds one retrieval date")
    _check_unique(frame, path, ["model"])
    return frame


def read_eci_snapshots(files: list[Path], eci: pd.DataFrame, release_dates: pd.DataFrame,
                       eci_as_of: str) -> pd.DataFrame:
    """Every transcribed ECI snapshot, with each model's release date and where that date comes from.

    Release dates: Epoch's own file (``eci.csv``) where it names the model, else the curated
    ``eci_release_dates.csv`` (fact sheet, F13), else empty with the basis saying so."""
    epoch_dates = eci.groupby("model_name")["release_date"].min()
    curated = release_dates.set_index("model")
    parts = []
    for path in files:
        frame = read_eci_snapshot(path)
        frame["model_name"] = frame["model"]
        dates, bases = [], []
        for model in frame["model"]:
            if model in epoch_dates.index:
                dates.append(epoch_dates[model])
                bases.append(f"Epoch's ECI file of {eci_as_of} (eci.csv)")
            elif model in curated.index and curated.at[model, "release_date"] != "":
                dates.append(pd.Timestamp(curated.at[model, "release_date"]))
                bases.append(f"fact {curated.at[model, 'fact_id']}: {curated.at[model, 'note']}".rstrip(": "))
            else:
                dates.append(pd.NaT)
                note = curated.at[model, "note"] if model in curated.index else ""
                bases.append(note or "unknown: not in Epoch's file nor the fact sheet")
        frame["release_date"] = pd.to_datetime(pd.Series(dates, dtype="datetime64[ns]"))
        frame["release_date_basis"] = bases
        frame["transcribed"] = True
        frame["source_file"] = _name(path)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)[ECI_SNAPSHOT_COLUMNS]
    out = out.sort_values(["snapshot", "rank"], kind="stable").reset_index(drop=True)
    return validate_eci_snapshots(out, "eci_snapshots.csv")


def validate_eci_snapshots(frame: pd.DataFrame, source) -> pd.DataFrame:
    _require_columns(frame, source, ECI_SNAPSHOT_COLUMNS)
    out = frame[ECI_SNAPSHOT_COLUMNS].copy()
    for i, record in enumerate(out.to_dict("records")):
        where = f"row {i + 2}: {record['model']}"
        _model_key(source, f"row {i + 2}", "model", record["model"])
        values = [_to_number(source, where, column, record[column], lower=0.0, upper=1000.0)
                  for column in ("eci_low", "eci", "eci_high")]
        if not values[0] <= values[1] <= values[2]:
            _fail(source, where, "eci_low", "not eci_low <= eci <= eci_high")
        _to_date(source, where, "release_date", record["release_date"], allow_empty=True)
        _to_date(source, where, "snapshot", record["snapshot"])
        if str(record["transcribed"]) != "True":
            _fail(source, where, "transcribed", "every snapshot row is a hand transcription (True)")
    for column in ("eci", "eci_low", "eci_high"):
        out[column] = pd.to_numeric(out[column])
    out["rank"] = pd.to_numeric(out["rank"]).astype(int)
    out["release_date"] = pd.to_datetime(out["release_date"].map(_date_text))
    out["snapshot"] = pd.to_datetime(out["snapshot"].map(_date_text))
    out["transcribed"] = True
    _check_unique(out, source, ["snapshot", "model"])
    return out


def read_posttrainbench_v12(path: Path) -> pd.DataFrame:
    """PostTrainBench v1.2's leaderboard file (fractions): one row per agent, kept apart from v1.1."""
    raw = _read_upstream_csv(path)
    _require_columns(raw, path, ["agent", "avg", "std", "n"])
    if raw.empty:
        _fail(path, "-", "agent", "no rows")
    rows = []
    for i, record in raw.iterrows():
        agent = _model_key(path, f"row {i + 2}", "agent", record["agent"])
        where = f"row {i + 2}: {agent}"
        rows.append({"agent": agent, "benchmark": V12_BENCHMARK,
                     "score": _to_number(path, where, "avg", record["avg"], lower=0.0, upper=1.0),
                     "sd": _to_number(path, where, "std", record["std"], lower=0.0, upper=1.0, allow_empty=True),
                     "n_runs": _whole(path, where, "n", record["n"], lower=1, upper=1000),
                     "note": V12_NOTES.get(agent, ""), "source_row": f"row {i + 2}"})
    return validate_v12(pd.DataFrame(rows, columns=V12_COLUMNS), path)


def validate_v12(frame: pd.DataFrame, source) -> pd.DataFrame:
    _require_columns(frame, source, V12_COLUMNS)
    out = frame[V12_COLUMNS].copy()
    for i, record in enumerate(out.to_dict("records")):
        _model_key(source, f"row {i + 2}", "agent", record["agent"])
        where = f"row {i + 2}: {record['agent']}"
        if record["benchmark"] != V12_BENCHMARK:
            _fail(source, where, "benchmark", f"expected {V12_BENCHMARK!r}")
        _to_number(source, where, "score", record["score"], lower=0.0, upper=1.0)
        _to_number(source, where, "sd", record["sd"], lower=0.0, upper=1.0, allow_empty=True)
        _whole(source, where, "n_runs", record["n_runs"], lower=1, upper=1000)
    for column in ("score", "sd"):
        out[column] = pd.to_numeric(out[column])
    out["n_runs"] = pd.to_numeric(out["n_runs"]).astype(int)
    _check_unique(out, source, ["agent"])
    return out


def validate_eci(frame: pd.DataFrame, source) -> pd.DataFrame:
    _require_columns(frame, source, ECI_COLUMNS)
    for i, record in enumerate(frame.to_dict("records")):
        where = f"row {i + 2}: {record['model']}"
        _to_number(source, where, "eci", record["eci"], lower=0.0, upper=1000.0)
        _to_date(source, where, "release_date", record["release_date"])
    out = frame.copy()
    out["eci"] = pd.to_numeric(out["eci"])
    out["release_date"] = pd.to_datetime(out["release_date"])
    _check_unique(out, source, ["model"])
    return out.sort_values(["release_date", "model"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ provenance, import, CLI


def load_sources(path: Path | None = None) -> pd.DataFrame:
    path = Path(path or BENCH_DATA / "sources.csv")
    staging.settle(path.parent)
    if not path.exists():
        raise ValueError(f"{path.name}: -: -: missing file ({path})")
    sources = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require_columns(sources, path, SOURCE_COLUMNS)
    for i, record in sources.iterrows():
        for column in SOURCE_COLUMNS:
            if column != "mirror" and record[column].strip() == "":
                _fail(path, f"row {i + 2}: {record['table']}", column, "empty")
        if not re.fullmatch(r"[0-9a-f]{64}", record["sha256"]):
            _fail(path, f"row {i + 2}: {record['table']}", "sha256", "not a sha256 hex digest")
    return sources


_READERS = {
    "eci.csv": lambda files, context: read_eci(files[0]),
    "references.csv": lambda files, context: read_posttrainbench_references(files[0]),
    "corebench_hard.csv": lambda files, context: read_corebench_hard(files[0]),
    "corebench_v11.csv": lambda files, context: read_corebench_v11(files[0]),
    "mlebench.csv": lambda files, context: read_mlebench(files[0]),
    "posttrainbench_v12.csv": lambda files, context: read_posttrainbench_v12(files[0]),
    "eci_snapshots.csv": lambda files, context: read_eci_snapshots(files, context["eci"], context["release_dates"], context["eci_as_of"]),
    **{table: (lambda files, context, table=table: read_epoch_scores(files[0], table, context["names"]))
       for table in _EPOCH_SPECS},
}
# The tables that come from Epoch's benchmark_data.zip (``refresh`` re-imports these).
EPOCH_TABLES = ("eci.csv", *_EPOCH_SPECS)
# Tables read from several upstream files (one provenance row each); every other table has one.
MULTI_FILE_TABLES = {"eci_snapshots.csv"}


def sources_text(sources: pd.DataFrame) -> str:
    return sources.to_csv(index=False, lineterminator="\n")


def _csv_text(frame: pd.DataFrame) -> str:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n")


def prepare_import(source_dir: Path, data_dir: Path) -> dict[Path, str]:
    """Check every upstream file's sha256 against sources.csv, read and validate all; return the texts."""
    sources = load_sources(data_dir / "sources.csv")
    unknown = sorted(set(sources["table"]) - set(_READERS))
    if unknown:
        raise ValueError(f"sources.csv: -: table: unknown table {unknown[0]!r}")
    upstream: dict[str, list[Path]] = {}
    for _, record in sources.iterrows():
        files = upstream.setdefault(record["table"], [])
        if files and record["table"] not in MULTI_FILE_TABLES:
            raise ValueError(f"sources.csv: -: table: {record['table']!r} has two provenance rows")
        files.append(Path(source_dir) / record["upstream_path"])
    read = {}
    for _, record in sources.iterrows():
        path = Path(source_dir) / record["upstream_path"]
        read[path] = _upstream(path)  # one read: the sha256 and the parse see the same bytes
        expected, actual = record["sha256"], read[path].sha256
        if actual != expected:
            raise ValueError(f"{path.name}: -: sha256: mismatch: file has {actual}, sources.csv records {expected} "
                             f"(a changed upstream file: record its new provenance in sources.csv first)")
    upstream = {table: [read[path] for path in files] for table, files in upstream.items()}
    if "eci.csv" not in upstream:
        raise ValueError("sources.csv: -: table: eci.csv is required (it names Epoch's model versions)")
    missing = sorted(set(_READERS) - set(upstream))
    if missing:
        raise ValueError(f"sources.csv: -: table: no provenance row for {missing[0]!r}")
    eci_path = upstream["eci.csv"][0]
    context = {"names": version_names(eci_path), "eci": read_eci(eci_path),
               "release_dates": load_eci_release_dates(data_dir),
               "eci_as_of": sources.loc[sources["table"] == "eci.csv", "as_of"].iloc[0]}
    return {Path(data_dir) / table: _csv_text(_READERS[table](files, context)) for table, files in upstream.items()}


def import_all(source_dir: Path | None = None, data_dir: Path | None = None) -> list[str]:
    """Re-create every table from the upstream files; writes nothing unless everything validates."""
    targets = prepare_import(Path(source_dir or SHARED_DATA), Path(data_dir or BENCH_DATA))
    importing.write_tables(targets)
    return sorted(path.name for path in targets)


# ------------------------------------------------------------------ loaders of the committed tables


def _load_csv(name: str, data_dir: Path | None) -> tuple[Path, pd.DataFrame]:
    path = Path(data_dir or BENCH_DATA) / name
    staging.settle(path.parent)  # an interrupted import: completed before anything is read
    if not path.exists():
        raise ValueError(f"{name}: -: -: missing file ({path}); run `python -m analysis.benchmarks import`")
    return path, pd.read_csv(paths.note_read(path), dtype=str, keep_default_na=False)


def _load_scores(name: str, data_dir: Path | None) -> pd.DataFrame:
    path, frame = _load_csv(name, data_dir)
    frame = validate_scores(frame, path, SCORE_KEYS[name], EXTRA_COLUMNS.get(name, []))
    if "known_leakage" in frame.columns:
        for column in ("known_leakage", "padded_seeds"):
            bad = ~frame[column].isin(["True", "False"])
            if bad.any():
                _fail(path, f"row {int(np.flatnonzero(bad.to_numpy())[0]) + 2}", column, "not True/False")
            frame[column] = frame[column] == "True"
    return frame


def load_score_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Any committed score table by file name (``gso.csv``, ...), validated and typed."""
    return _load_scores(name, data_dir)


def table_text(frame: pd.DataFrame) -> str:
    """A table as the importer writes it (dates as YYYY-MM-DD, LF line ends)."""
    return _csv_text(frame)


def load_posttrainbench(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("posttrainbench.csv", data_dir)


def load_swe_bench_verified(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("swe_bench_verified.csv", data_dir)


def load_gso(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("gso.csv", data_dir)


def load_weirdml(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("weirdml.csv", data_dir)


def load_terminalbench(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("terminalbench.csv", data_dir)


def load_corebench_hard(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("corebench_hard.csv", data_dir)


def load_mlebench(data_dir: Path | None = None) -> pd.DataFrame:
    return _load_scores("mlebench.csv", data_dir)


def load_corebench_v11(data_dir: Path | None = None) -> pd.DataFrame:
    path, frame = _load_csv("corebench_v11.csv", data_dir)
    frame = validate_v11(frame, path)
    for column in ("score", "cost_mean_usd"):
        frame[column] = pd.to_numeric(frame[column])
    for column in ("n", "n_pass"):
        frame[column] = pd.to_numeric(frame[column]).astype(int)
    return frame


def load_eci(data_dir: Path | None = None) -> pd.DataFrame:
    path, frame = _load_csv("eci.csv", data_dir)
    return validate_eci(frame, path)


def load_eci_release_dates(data_dir: Path | None = None) -> pd.DataFrame:
    """Curated: release dates of snapshot models that Epoch's file does not hold (fact ids, F13)."""
    path, frame = _load_csv("eci_release_dates.csv", data_dir)
    _require_columns(frame, path, ECI_RELEASE_DATE_COLUMNS)
    _check_unique(frame, path, ["model"])
    for i, record in frame.iterrows():
        where = f"row {i + 2}: {record['model']}"
        _to_date(path, where, "release_date", record["release_date"], allow_empty=True)
        if record["release_date"] and not record["fact_id"]:
            _fail(path, where, "fact_id", "a release date needs its fact id")
        if not record["release_date"] and not record["note"]:
            _fail(path, where, "note", "a model without a release date needs a reason")
    return frame


def load_eci_snapshots(data_dir: Path | None = None, *, keep_superseded: bool = False) -> pd.DataFrame:
    """Hand transcriptions of Epoch's ECI page after its last file (integers, top rows; F14).

    A transcribed row gives way to Epoch's own file: when the imported ``eci.csv`` is as new as the
    snapshot (its ``as_of`` in ``sources.csv`` on or after the retrieval day) and holds the model,
    the row is ``superseded`` and left out unless ``keep_superseded``."""
    path, frame = _load_csv("eci_snapshots.csv", data_dir)
    frame = validate_eci_snapshots(frame, path)
    eci = load_eci(data_dir)
    as_of = pd.Timestamp(load_sources(Path(data_dir or BENCH_DATA) / "sources.csv")
                         .set_index("table").loc["eci.csv", "as_of"])
    frame["superseded"] = frame["model_name"].isin(set(eci["model_name"])) & (frame["snapshot"] <= as_of)
    if not keep_superseded:
        frame = frame[~frame["superseded"]].reset_index(drop=True)
    return frame


def load_posttrainbench_v12(data_dir: Path | None = None) -> pd.DataFrame:
    """PostTrainBench v1.2 (30 Sep 2026; F16): its own series, not comparable with v1.1 or Epoch's copy."""
    path, frame = _load_csv("posttrainbench_v12.csv", data_dir)
    return validate_v12(frame, path)


def load_references(data_dir: Path | None = None) -> pd.DataFrame:
    path, frame = _load_csv("references.csv", data_dir)
    _require_columns(frame, path, REFERENCE_COLUMNS)
    for i, record in frame.iterrows():
        _to_number(path, f"row {i + 2}: {record['reference']}", "score", record["score"], lower=0.0, upper=1.0)
    frame["score"] = pd.to_numeric(frame["score"])
    return frame


NEW_MODEL_COLUMNS = ["model", "release_date", "release_date_note", "fact_id", "source_url", "confidence",
                     "eci_snapshot_model", "posttrainbench_v12_agent", "vals_rsi_quantity", "caveat"]
PTB_VERSION_COLUMNS = ["v12_agent", "v11_model", "note"]


def load_new_models(data_dir: Path | None = None) -> pd.DataFrame:
    """Frontier models released after Epoch's last file (fact F13), with where each release date
    comes from and which later source, if any, scored it (curated crosswalk)."""
    path, frame = _load_csv("new_models.csv", data_dir)
    _require_columns(frame, path, NEW_MODEL_COLUMNS)
    _check_unique(frame, path, ["model"])
    for i, record in frame.iterrows():
        where = f"row {i + 2}: {record['model']}"
        _to_date(path, where, "release_date", record["release_date"])
        if not record["fact_id"]:
            _fail(path, where, "fact_id", "a release date needs its fact id")
        if not record["source_url"].startswith("https://"):
            _fail(path, where, "source_url", "needs an https URL")
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    return frame


def load_posttrainbench_versions(data_dir: Path | None = None) -> pd.DataFrame:
    """PostTrainBench v1.2 agent names -> the v1.1 model keys of Epoch's copy (curated), for the
    agents both versions scored."""
    path, frame = _load_csv("posttrainbench_versions.csv", data_dir)
    _require_columns(frame, path, PTB_VERSION_COLUMNS)
    _check_unique(frame, path, ["v12_agent"])
    _check_unique(frame, path, ["v11_model"])
    return frame


def load_crosswalk(data_dir: Path | None = None) -> pd.DataFrame:
    """METR model key -> Epoch model version (blank: no counterpart at Epoch). Curated."""
    path, frame = _load_csv("crosswalk.csv", data_dir)
    _require_columns(frame, path, CROSSWALK_COLUMNS)
    _check_unique(frame, path, ["metr_model"])
    # One model can carry two METR keys (v1.0 and its v1.1 "_inspect" re-run): a version may repeat
    # across suites; tests check that within one METR release no two keys share a version.
    for i, record in frame.iterrows():
        if (record["epoch_model_version"] == "") != (record["epoch_model_name"] == ""):
            _fail(path, f"row {i + 2}: {record['metr_model']}", "epoch_model_name", "given without a version, or missing")
        if record["epoch_model_version"] == "" and record["note"].strip() == "":
            _fail(path, f"row {i + 2}: {record['metr_model']}", "note", "an unmapped model needs a reason")
    return frame


# The names this chapter has read its quoted figures by since 0.2.0, and the figure each is in data/quoted.csv.
QUOTED_NAMES = {
    ("E2", "gpt_5_6_sol_p50_standard"): "sol_standard_hours",
    ("E2", "gpt_5_6_sol_p50_cheating_counted"): "sol_cheating_counted_hours",
    ("E2", "gpt_5_6_sol_p50_cheating_dropped"): "sol_cheating_dropped_hours",
    ("E2", "gpt_5_6_sol_ci_level"): "sol_ci_level",
    ("D1", "corebench_opus_4_5_claude_code"): "corebench_opus_4_5_claude_code",
    ("D1", "corebench_opus_4_5_core_agent"): "corebench_opus_4_5_core_agent",
    ("D1", "corebench_final_after_fixes"): "corebench_final_after_fixes",
    ("F3", "intervention_share"): "intervention_share",
    ("F3", "intervention_task_shortest"): "intervention_task_shortest",
    ("F3", "intervention_task_longest"): "intervention_task_longest",
    ("F17", "vals_rsi_opus_5_5"): "vals_rsi_opus_5_5",
    ("F17", "vals_rsi_fable_5_1"): "vals_rsi_fable_5_1",
    ("F17", "vals_rsi_opus_5"): "vals_rsi_opus_5",
    ("F17", "vals_rsi_gemini_4_argon"): "vals_rsi_gemini_4_argon",
    ("F17", "vals_rsi_human_reference"): "vals_rsi_human_reference",
    ("F17", "vals_rsi_projection_date"): "vals_rsi_projection",  # its date is the projected month
}


def load_quoted(data_dir: Path | None = None) -> pd.DataFrame:
    """Figures the chapter quotes from the fact sheet (not from any data file), with fact id and URL.

    A view of the report's one table of quoted figures (``data/quoted.csv``, ``facts.load_quoted_figures``)
    under this chapter's names (``quantity``), durations in minutes; indexed by (fact_id, quantity).
    ``data_dir`` is ignored (the table is not in ``data/benchmarks/``)."""
    from analysis import facts

    table = facts.load_quoted_figures().set_index(["fact_id", "figure"])
    rows = []
    for (fact_id, quantity), figure in QUOTED_NAMES.items():
        record = table.loc[(fact_id, figure)]
        scale = 60.0 if record["unit"] == "hours" else 1.0
        rows.append({"fact_id": fact_id, "quantity": quantity, "value": record["value"] * scale,
                     "low": record["low"] * scale, "high": record["high"] * scale,
                     "unit": "minutes" if record["unit"] == "hours" else record["unit"], "date": record["date"],
                     "source_url": record["source_url"], "confidence": record["confidence"], "caveat": record["caveat"]})
    return pd.DataFrame(rows).set_index(["fact_id", "quantity"], drop=False)


LOADERS = {
    "PostTrainBench": load_posttrainbench,
    "SWE-bench Verified": load_swe_bench_verified,
    "GSO": load_gso,
    "WeirdML": load_weirdml,
    "Terminal-Bench 2.0": load_terminalbench,
    "CORE-Bench Hard": load_corebench_hard,
    "MLE-bench": load_mlebench,
}


if __name__ == "__main__":  # the command line lives above this module, in analysis.importers
    import sys

    from analysis import importers

    sys.exit(importers.benchmarks_main())
