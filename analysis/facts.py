"""I/O for tables of sourced facts (figures in circulation, stated claims). Validation only.

Every row carries a fact id from the project's fact sheet and a source URL; a row whose source is
not verified carries a caveat, which the chapters print.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths

FIGURE_COLUMNS = [
    "figure_id", "figure", "who", "stated", "claimed_value", "claimed_unit", "start", "end",
    "release", "fact_id", "source_url", "confidence", "caveat",
]
CONFIDENCE_LEVELS = {"high", "medium", "low"}


def _require(frame: pd.DataFrame, path: Path, columns: list[str], required: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for column in required:
        empty = frame[column].astype(str).str.strip() == ""
        if empty.any():
            row = int(empty.idxmax())
            raise ValueError(f"{path}: row {row + 2} ({frame.iloc[row, 0]}): column {column!r} is empty")
    key = columns[0]
    if frame[key].duplicated().any():
        raise ValueError(f"{path}: {frame.loc[frame[key].duplicated(), key].iloc[0]!r}: column {key!r} is duplicated")


def _rows(frame: pd.DataFrame, path: Path):
    """Each record with the prefix its errors carry: file, row number (as in a spreadsheet) and key."""
    for row, record in frame.iterrows():
        yield f"{path}: row {row + 2} ({record.iloc[0]})", record


def _number(where: str, record: pd.Series, column: str, *, positive: bool = False) -> float:
    try:
        value = float(record[column])
    except ValueError as err:
        raise ValueError(f"{where}: column {column!r} is not a number: {record[column]!r}") from err
    if positive and not value > 0:
        raise ValueError(f"{where}: column {column!r} must be > 0")
    return value


def _date(where: str, record: pd.Series, column: str) -> None:
    if record[column]:
        try:
            pd.Timestamp(record[column])
        except ValueError as err:
            raise ValueError(f"{where}: column {column!r} is not a date: {record[column]!r}") from err


def _one_of(where: str, record: pd.Series, column: str, allowed) -> None:
    if record[column] not in allowed:
        raise ValueError(f"{where}: column {column!r} must be one of {sorted(allowed)}, got {record[column]!r}")


def _sourced(where: str, record: pd.Series) -> None:
    """An https source, a confidence level and, for an unverified row, a caveat."""
    if not record["source_url"].startswith("https://"):
        raise ValueError(f"{where}: column 'source_url' is not an https URL")
    _one_of(where, record, "confidence", CONFIDENCE_LEVELS)
    if "verified" in record:
        _one_of(where, record, "verified", {"yes", "no"})
        if record["verified"] == "no" and not record["caveat"]:
            raise ValueError(f"{where}: an unverified row needs a caveat (column 'caveat')")


def load_circulating_figures(path: Path | None = None, releases: set[str] | None = None) -> pd.DataFrame:
    path = paths.note_read(path or paths.DATA / "circulating_figures.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(frame, path, FIGURE_COLUMNS,
             ("figure_id", "figure", "claimed_value", "claimed_unit", "release", "fact_id", "source_url", "confidence"))
    for where, record in _rows(frame, path):
        _number(where, record, "claimed_value", positive=True)
        _one_of(where, record, "claimed_unit", {"days", "months"})
        _sourced(where, record)
        for column in ("start", "end", "stated"):
            _date(where, record, column)
        if releases is not None and record["release"] not in releases:
            raise ValueError(f"{where}: column 'release' names unknown release {record['release']!r}")
    frame["claimed_value"] = frame["claimed_value"].astype(float)
    return frame


CLAIM_COLUMNS = [
    "claim_id", "who", "organisation", "stated", "claim", "target_date", "target_note", "stated_probability",
    "milestone_hours", "reliability", "mapping_reason", "fact_id", "source_url", "confidence", "verified", "caveat",
    "resolution", "resolution_facts", "resolution_reason",
]
RESOLUTIONS = {"", "met", "not met", "not measurable"}


def load_claims(path: Path | None = None) -> pd.DataFrame:
    """Stated timelines, each mapped to a measurable milestone (hours at 50% or 80% reliability)."""
    path = paths.note_read(path or paths.DATA / "claims.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(frame, path, CLAIM_COLUMNS, ("claim_id", "who", "stated", "claim", "target_date", "milestone_hours",
                                          "reliability", "mapping_reason", "fact_id", "source_url", "confidence"))
    for where, record in _rows(frame, path):
        _date(where, record, "stated")
        _date(where, record, "target_date")
        _number(where, record, "milestone_hours", positive=True)
        _one_of(where, record, "reliability", {"p50", "p80"})
        if record["stated_probability"] and not 0 <= _number(where, record, "stated_probability") <= 1:
            raise ValueError(f"{where}: column 'stated_probability' must lie in [0, 1]")
        _one_of(where, record, "resolution", RESOLUTIONS)
        if record["resolution"] and not (record["resolution_reason"] and record["resolution_facts"]):
            raise ValueError(f"{where}: a resolution needs a reason and its facts (columns 'resolution_reason', 'resolution_facts')")
        _sourced(where, record)
    frame["stated"] = pd.to_datetime(frame["stated"])
    frame["target_date"] = pd.to_datetime(frame["target_date"])
    frame["milestone_hours"] = frame["milestone_hours"].astype(float)
    frame["stated_probability"] = pd.to_numeric(frame["stated_probability"].replace("", np.nan))
    return frame


SINCE_COLUMNS = ["fact_id", "date", "event", "value", "source_url", "confidence", "verified", "caveat"]


def load_since_data(path: Path | None = None) -> pd.DataFrame:
    """What is known after METR's last data file (fact sheet section E): later, unfiled statements."""
    path = paths.note_read(path or paths.DATA / "since_data.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(frame, path, SINCE_COLUMNS, ("fact_id", "date", "event", "value", "source_url", "confidence", "verified"))
    for where, record in _rows(frame, path):
        _date(where, record, "date")
        if not record["fact_id"].startswith("E"):
            raise ValueError(f"{where}: column 'fact_id' must name a row of the fact sheet's section E")
        _sourced(where, record)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def check_resolutions(claims: pd.DataFrame, since: pd.DataFrame, as_of) -> None:
    """Every claim whose target date lies before ``as_of`` has a resolution whose facts exist; no
    open claim has one."""
    known = set(since["fact_id"])
    for claim in claims.itertuples():
        passed = claim.target_date < pd.Timestamp(as_of)
        if passed and not claim.resolution:
            raise ValueError(f"claims.csv: {claim.claim_id}: resolution: the target date has passed (as of {as_of}) but the claim has no resolution")
        if not passed and claim.resolution:
            raise ValueError(f"claims.csv: {claim.claim_id}: resolution: the claim is still open (as of {as_of})")
        unknown = [f for f in claim.resolution_facts.split(";") if f and f not in known]
        if unknown:
            raise ValueError(f"claims.csv: {claim.claim_id}: resolution_facts: unknown fact(s) {unknown} (not in since_data.csv)")


LABOR_FILES = {
    "pay": ["item_id", "label", "value_low", "value_high", "unit", "measure", "survey", "reference_date",
            "fact_id", "source_url", "confidence", "verified", "caveat"],
    "employment": ["item_id", "occupation", "year", "value", "unit", "measure", "survey", "fact_id",
                   "source_url", "confidence", "verified", "caveat"],
    "safety_headcount": ["item_id", "group", "year", "value", "unit", "fact_id", "source_url", "confidence",
                         "verified", "caveat"],
}


def load_labor(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One of the labour tables (pay, employment, safety_headcount), validated."""
    if name not in LABOR_FILES:
        raise ValueError(f"unknown labour table {name!r}; known: {sorted(LABOR_FILES)}")
    path = paths.note_read(Path(folder or paths.DATA / "labor") / f"{name}.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = LABOR_FILES[name]
    _require(frame, path, columns, ("item_id", "fact_id", "source_url", "confidence", "verified"))
    numeric = [c for c in ("value_low", "value_high", "value", "year") if c in columns]
    for where, record in _rows(frame, path):
        for column in numeric:
            _number(where, record, column)
        _sourced(where, record)
    for column in numeric:
        frame[column] = frame[column].astype(float)
    if "value_low" in columns and (frame["value_low"] > frame["value_high"]).any():
        bad = frame.loc[frame["value_low"] > frame["value_high"], "item_id"].iloc[0]
        raise ValueError(f"{path}: item {bad!r}: column 'value_low' exceeds 'value_high'")
    return frame


QUOTED_COLUMNS = ["item_id", "label", "value", "unit", "date", "fact_id", "source_url", "confidence", "verified", "caveat"]


def load_quoted(path: Path | None = None) -> pd.DataFrame:
    """Facts a chapter quotes (the closing chapter's ``data/watch/quoted.csv``): value may be blank
    (a dated statement without a number); every row carries its fact id and source."""
    path = paths.note_read(path or paths.DATA / "watch" / "quoted.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(frame, path, QUOTED_COLUMNS, ("item_id", "label", "date", "fact_id", "source_url", "confidence", "verified"))
    for where, record in _rows(frame, path):
        if record["value"]:
            _number(where, record, "value", positive=True)
        _date(where, record, "date")
        _sourced(where, record)
    frame["value"] = pd.to_numeric(frame["value"].replace("", np.nan))
    frame["date_precision"] = np.where(frame["date"].str.len() == 7, "month", "day")  # YYYY-MM: month only
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")  # a month alone (YYYY-MM) is its first day
    return frame
