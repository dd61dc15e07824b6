"""I/O for tables of sourced facts (figures in circulation, stated claims). Validation only.

Every row carries a fact id from the project's fact sheet and a source URL; a row whose source is
not verified carries a caveat, which the chapters print.
"""

from __future__ import annotations

from pathlib import Path

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


def load_circulating_figures(path: Path | None = None, releases: set[str] | None = None) -> pd.DataFrame:
    path = Path(path or paths.DATA / "circulating_figures.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(frame, path, FIGURE_COLUMNS,
             ("figure_id", "figure", "claimed_value", "claimed_unit", "release", "fact_id", "source_url", "confidence"))
    if frame["figure_id"].duplicated().any():
        raise ValueError(f"{path}: figure {frame.loc[frame['figure_id'].duplicated(), 'figure_id'].iloc[0]!r}: column 'figure_id' is duplicated")
    for row, record in frame.iterrows():
        where = f"{path}: row {row + 2} ({record['figure_id']})"
        try:
            value = float(record["claimed_value"])
        except ValueError as err:
            raise ValueError(f"{where}: column 'claimed_value' is not a number: {record['claimed_value']!r}") from err
        if value <= 0:
            raise ValueError(f"{where}: column 'claimed_value' must be > 0")
        if record["claimed_unit"] not in ("days", "months"):
            raise ValueError(f"{where}: column 'claimed_unit' must be days or months, got {record['claimed_unit']!r}")
        if not record["source_url"].startswith("https://"):
            raise ValueError(f"{where}: column 'source_url' is not an https URL")
        if record["confidence"] not in CONFIDENCE_LEVELS:
            raise ValueError(f"{where}: column 'confidence' must be one of {sorted(CONFIDENCE_LEVELS)}")
        for column in ("start", "end", "stated"):
            if record[column]:
                try:
                    pd.Timestamp(record[column])
                except ValueError as err:
                    raise ValueError(f"{where}: column {column!r} is not a date: {record[column]!r}") from err
        if releases is not None and record["release"] not in releases:
            raise ValueError(f"{where}: column 'release' names unknown release {record['release']!r}")
    frame["claimed_value"] = frame["claimed_value"].astype(float)
    return frame
