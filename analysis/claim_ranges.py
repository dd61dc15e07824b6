"""The claims in their claimants' words: for each claim of ``data/claims.csv``, the range of
milestones (hours of expert work, reliability) its claimant's own definition allows, and whether the
gap between METR's tasks and real research work applies (``data/timelines/claim_ranges.csv``, each
row with the fact ids it rests on). I/O and validation only; the statistics are in ``forecast``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.paths import DATA

PATH = DATA / "timelines" / "claim_ranges.csv"
COLUMNS = ["claim_id", "hours_low", "hours_high", "reliabilities", "transfer", "fact_ids", "reason"]


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    """A table as text, refused with one line when a column is missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    return frame


def load(path: Path | None = None, claim_ids=None) -> pd.DataFrame:
    """The ranges table, validated: positive hours with low <= high, reliabilities among p50/p80
    (';'-separated), transfer yes/no, a fact id and a reason on every row, one row per claim id (and,
    given ``claim_ids``, exactly those claims)."""
    path = PATH if path is None else Path(path)
    frame = _read(path, COLUMNS)
    for i, row in frame.iterrows():
        where = f"{path}, row {i + 2}"
        try:
            low, high = float(row["hours_low"]), float(row["hours_high"])
        except ValueError:
            raise ValueError(f"{where}, column hours_low/hours_high: not a number") from None
        if not (0 < low <= high):
            raise ValueError(f"{where}, column hours_low: need 0 < hours_low <= hours_high, got {low} and {high}")
        levels = [m for m in row["reliabilities"].split(";") if m]
        if not levels or any(m not in {"p50", "p80"} for m in levels):
            raise ValueError(f"{where}, column reliabilities: {row['reliabilities']!r} (p50, p80 or p50;p80)")
        if row["transfer"] not in {"yes", "no"}:
            raise ValueError(f"{where}, column transfer: {row['transfer']!r} (yes or no)")
        for column in ("fact_ids", "reason"):
            if not row[column].strip():
                raise ValueError(f"{where}, column {column}: empty")
    if frame["claim_id"].duplicated().any():
        raise ValueError(f"{path}: claim_id {frame.loc[frame['claim_id'].duplicated(), 'claim_id'].iloc[0]!r} twice")
    if claim_ids is not None and set(claim_ids) != set(frame["claim_id"]):
        raise ValueError(f"{path}: claim ids differ from claims.csv: {sorted(set(claim_ids) ^ set(frame['claim_id']))}")
    frame[["hours_low", "hours_high"]] = frame[["hours_low", "hours_high"]].astype(float)
    return frame


CIRCULATION_PATH = DATA / "timelines" / "forecasts_in_circulation.csv"
CIRCULATION_COLUMNS = ["forecast_id", "who", "stated", "forecast", "milestone", "by", "stated_probability",
                       "report_milestone", "fact_id", "source_url", "verified", "caveat"]


def load_circulation(path: Path | None = None, claim_ids=None) -> pd.DataFrame:
    """Others' published forecasts for comparable milestones: who, when, what, by when, the stated
    probability (empty when none was stated), the claim whose milestone range the report uses for it
    (``report_milestone``), fact id, source URL, verified (yes/no) and caveat."""
    path = CIRCULATION_PATH if path is None else Path(path)
    frame = _read(path, CIRCULATION_COLUMNS)
    for i, row in frame.iterrows():
        where = f"{path}, row {i + 2}"
        for column in ("stated", "by"):
            if row[column] and pd.isna(pd.to_datetime(row[column], errors="coerce")):
                raise ValueError(f"{where}, column {column}: not a date: {row[column]!r}")
        if row["stated_probability"]:
            try:
                p = float(row["stated_probability"])
            except ValueError:
                raise ValueError(f"{where}, column stated_probability: not a number") from None
            if not 0 <= p <= 1:
                raise ValueError(f"{where}, column stated_probability: {p} is not in [0, 1]")
        if not row["source_url"].startswith("http"):
            raise ValueError(f"{where}, column source_url: not a URL")
        if row["verified"] not in {"yes", "no"}:
            raise ValueError(f"{where}, column verified: {row['verified']!r} (yes or no)")
        if claim_ids is not None and row["report_milestone"] not in set(claim_ids):
            raise ValueError(f"{where}, column report_milestone: unknown claim {row['report_milestone']!r}")
    frame["stated"] = pd.to_datetime(frame["stated"])
    frame["by"] = pd.to_datetime(frame["by"].replace("", None))
    frame["stated_probability"] = pd.to_numeric(frame["stated_probability"].replace("", None))
    return frame
