"""I/O for tables of sourced facts (quoted figures, figures in circulation, stated claims). Validation only.

Every row carries a fact id from the project's fact sheet and a source URL; a row whose source is
not verified carries a caveat, which the chapters print.

Every figure the report quotes from the fact sheet (and no data file holds) is one row of
``data/quoted.csv``, keyed by (fact id, figure), read by every chapter through
``load_quoted_figures``; ``load_quoted``, ``load_since_data`` and ``benchmarks.load_quoted`` are views
of it under the names and columns chapters used before. ``fact_index`` gathers every sourced row of
every table by fact id: the "Facts quoted" page gives each fact an anchor there, and fact ids in the
text link to it (``analysis.text.fact_link``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.text import fact_anchor

FIGURE_COLUMNS = [
    "figure_id", "figure", "who", "stated", "claimed_value", "claimed_unit", "start", "end",
    "release", "fact_id", "source_url", "confidence", "caveat",
]
CONFIDENCE_LEVELS = {"high", "medium-high", "medium", "low-medium", "low"}
FACT_ID = r"[A-FS][0-9]{1,2}"  # a row of the fact sheet: A1-A21, B1-B21, C1-C14, D1-D4, E1-E5, F1-F20, S1-S3


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


def load_since_data(path: Path | None = None) -> pd.DataFrame:
    """What is known after METR's last data file (fact sheet section E): later, unfiled statements.

    A view of ``data/quoted.csv``: its section-E "statement" rows, one per fact, with the columns
    chapter 4 has always read (``event``: what; ``value``: the figures, paraphrased)."""
    table = load_quoted_figures(path)
    rows = table[table["fact_id"].str.startswith("E") & (table["figure"] == "statement")]
    frame = pd.DataFrame({
        "fact_id": rows["fact_id"], "date": rows["date"], "event": rows["label"], "value": rows["statement"],
        "source_url": rows["source_url"], "confidence": rows["confidence"], "verified": rows["verified"],
        "caveat": rows["caveat"],
    })
    return frame.sort_values("fact_id", key=lambda ids: ids.str[1:].astype(int)).reset_index(drop=True)


def check_resolutions(claims: pd.DataFrame, since: pd.DataFrame, as_of) -> None:
    """Every claim whose target date lies before ``as_of`` has a resolution whose facts exist; no
    open claim has one."""
    known = set(since["fact_id"]) | set(load_quoted_figures()["fact_id"])
    for claim in claims.itertuples():
        passed = claim.target_date < pd.Timestamp(as_of)
        if passed and not claim.resolution:
            raise ValueError(f"claims.csv: {claim.claim_id}: resolution: the target date has passed (as of {as_of}) but the claim has no resolution")
        if not passed and claim.resolution:
            raise ValueError(f"claims.csv: {claim.claim_id}: resolution: the claim is still open (as of {as_of})")
        unknown = [f for f in claim.resolution_facts.split(";") if f and f not in known]
        if unknown:
            raise ValueError(f"claims.csv: {claim.claim_id}: resolution_facts: unknown fact(s) {unknown} (not in data/quoted.csv)")


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


QUOTED_COLUMNS = ["fact_id", "figure", "label", "value", "low", "high", "unit", "date", "pages", "source_url",
                  "confidence", "verified", "caveat", "statement"]
QUOTED_UNITS = {"", "hours", "minutes", "days", "share", "ratio", "USD", "count", "people", "points_per_year",
                "eci_points"}
STATEMENT = "statement"  # the figure name of a row that quotes a fact as words (``statement``), not a number


def _pages() -> set[str]:
    """The book's page slugs (``book/<slug>.md``): what the ``pages`` column may name."""
    return {page.stem for page in (paths.ROOT / "book").glob("*.md")}


def load_quoted_figures(path: Path | None = None) -> pd.DataFrame:
    """Every figure the report quotes from the fact sheet, once: one row per (fact id, figure).

    ``value`` (with ``low``/``high`` for an interval) in ``unit``; a ``statement`` row quotes the fact
    in words (column ``statement``) and has no value. ``date`` is YYYY-MM-DD, or YYYY-MM / YYYY when the
    source gives no day (``date_precision``). ``pages`` names the pages that quote the row. A row
    without an address (the fact sheet gives none) must be unverified and say so in its caveat.
    """
    path = paths.note_read(path or paths.DATA / "quoted.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in QUOTED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    pages = _pages()
    seen: set[tuple[str, str]] = set()
    figures: set[str] = set()
    for row, record in frame.iterrows():
        where = f"{path}: row {row + 2} ({record['fact_id']}/{record['figure']})"
        for column in ("fact_id", "figure", "label", "date", "pages", "confidence", "verified"):
            if not record[column].strip():
                raise ValueError(f"{where}: column {column!r} is empty")
        if not re.fullmatch(FACT_ID, record["fact_id"]):
            raise ValueError(f"{where}: column 'fact_id' is not a fact sheet id: {record['fact_id']!r}")
        key = (record["fact_id"], record["figure"])
        if key in seen:
            raise ValueError(f"{where}: column 'figure': ({key[0]}, {key[1]}) is duplicated (one row per fact and figure)")
        seen.add(key)
        if record["figure"] != STATEMENT:
            if record["figure"] in figures:
                raise ValueError(f"{where}: column 'figure': {record['figure']!r} names a figure of another fact")
            figures.add(record["figure"])
        if record["figure"] == STATEMENT and not record["statement"].strip():
            raise ValueError(f"{where}: column 'statement': a statement row needs the statement")
        for column in ("value", "low", "high"):
            if record[column]:
                _number(where, record, column)
        if (record["low"] or record["high"]) and not (record["low"] and record["high"] and record["value"]):
            raise ValueError(f"{where}: columns 'low'/'high': an interval needs value, low and high")
        if record["low"] and not float(record["low"]) <= float(record["value"]) <= float(record["high"]):
            raise ValueError(f"{where}: column 'value' lies outside [low, high]")
        _one_of(where, record, "unit", QUOTED_UNITS)
        if record["value"] and not record["unit"]:
            raise ValueError(f"{where}: column 'unit' is empty for a value")
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", record["date"]):
            raise ValueError(f"{where}: column 'date' is not YYYY-MM-DD, YYYY-MM or YYYY: {record['date']!r}")
        _date(where, record, "date")
        unknown = sorted(set(record["pages"].split(";")) - pages)
        if unknown:
            raise ValueError(f"{where}: column 'pages' names unknown page(s) {unknown}")
        _one_of(where, record, "confidence", CONFIDENCE_LEVELS)
        _one_of(where, record, "verified", {"yes", "no"})
        if record["source_url"]:
            if not re.match(r"https?://", record["source_url"]):
                raise ValueError(f"{where}: column 'source_url' is not an http(s) URL")
        elif record["verified"] != "no" or not record["caveat"]:
            raise ValueError(f"{where}: column 'source_url' is empty: only an unverified row whose caveat says why may have no address")
        if record["verified"] == "no" and not record["caveat"]:
            raise ValueError(f"{where}: an unverified row needs a caveat (column 'caveat')")
    for column in ("value", "low", "high"):
        frame[column] = pd.to_numeric(frame[column].replace("", np.nan))
    frame["date_precision"] = frame["date"].str.len().map({4: "year", 7: "month", 10: "day"})
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")  # a month alone is its first day
    frame["anchor"] = frame["fact_id"].map(fact_anchor)
    return frame


def load_quoted(path: Path | None = None, page: str | None = None) -> pd.DataFrame:
    """The figures of ``data/quoted.csv`` (not its statement rows) under the closing chapter's old
    names: ``item_id`` is the figure. With ``page``, only the rows that page quotes."""
    table = load_quoted_figures(path)
    rows = table[table["figure"] != STATEMENT]
    if page is not None:
        rows = rows[rows["pages"].str.split(";").map(lambda names: page in names)]
    return rows.rename(columns={"figure": "item_id"}).reset_index(drop=True)


def quoted_figure(table: pd.DataFrame, figure: str) -> pd.Series:
    """One figure's row (by its unique name), from ``load_quoted_figures()``."""
    rows = table[table["figure"] == figure]
    if len(rows) != 1:
        raise KeyError(f"data/quoted.csv: no figure {figure!r}")
    return rows.iloc[0]


def fact_index(releases: set[str] | None = None) -> pd.DataFrame:
    """Every sourced row of every table, by fact id: ``data/quoted.csv`` and the tables that hold a
    fact's figures in their own shape (claims, circulating figures, labour, METR's first estimates).
    The "Facts quoted" page lists it; a fact id cited anywhere must appear here."""
    def part(frame: pd.DataFrame, table: str, figure, value, unit, date) -> pd.DataFrame:
        out = pd.DataFrame({"fact_id": frame["fact_id"], "table": table, "figure": figure,
                            "value": value, "unit": unit, "date": date})
        out["low"] = frame["low"] if "low" in frame else np.nan
        out["high"] = frame["high"] if "high" in frame else np.nan
        out["date_precision"] = frame["date_precision"] if "date_precision" in frame else "day"
        for column in ("source_url", "confidence", "verified", "caveat"):
            out[column] = frame[column] if column in frame else ""
        return out

    quoted = load_quoted_figures()
    parts = [part(quoted, "quoted.csv", np.where(quoted["figure"] == STATEMENT, quoted["statement"], quoted["label"]),
                  quoted["value"], quoted["unit"], quoted["date"])]
    claims = load_claims()
    parts.append(part(claims, "claims.csv", claims["claim"], claims["milestone_hours"], "hours (milestone)", claims["stated"]))
    figures = load_circulating_figures(releases=releases)
    parts.append(part(figures, "circulating_figures.csv", figures["figure"], figures["claimed_value"],
                      figures["claimed_unit"], pd.to_datetime(figures["stated"].replace("", None))))
    pay = load_labor("pay")
    parts.append(part(pay, "labor/pay.csv", pay["label"], pay["value_high"], pay["unit"], pd.to_datetime(pay["reference_date"].replace("", None))))
    employment = load_labor("employment")
    parts.append(part(employment, "labor/employment.csv", employment["occupation"] + ", " + employment["year"].astype(int).astype(str),
                      employment["value"], employment["unit"], pd.NaT))
    headcount = load_labor("safety_headcount")
    parts.append(part(headcount, "labor/safety_headcount.csv", headcount["group"] + ", " + headcount["year"].astype(int).astype(str),
                      headcount["value"], headcount["unit"], pd.NaT))
    first = pd.read_csv(paths.note_read(paths.DATA / "metr" / "first_estimates.csv"), dtype=str, keep_default_na=False)
    parts.append(part(first, "metr/first_estimates.csv", "METR's first estimate: " + first["display_name"],
                      pd.to_numeric(first["p50_hours"]), "hours", pd.to_datetime(first["reported"])))
    index = pd.concat(parts, ignore_index=True)
    order = index["fact_id"].map(lambda f: ("ABCDEFS".index(f[0]), int(f[1:])))
    return index.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


READING_COLUMNS = ["item_id", "observation", "source_type", "figure", "relation", "reference", "scarcity", "hedge", "note"]
SOURCE_TYPES = {"postings", "payrolls", "survey", "headcount", "listings"}
PREDICTIONS = {"holds", "fails", "silent"}


def load_readings(path: Path | None = None) -> pd.DataFrame:
    """Chapter 5's observations against the two readings of the listing (``data/labor/readings.csv``):
    each row compares a quoted figure with a reference (another figure's name, or a number), and says
    whether each reading predicts that the comparison holds, fails, or says nothing (``silent``).
    The figures themselves are in ``data/quoted.csv`` or ``data/labor/employment.csv``."""
    path = paths.note_read(path or paths.DATA / "labor" / "readings.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(frame, path, READING_COLUMNS, tuple(c for c in READING_COLUMNS if c != "note"))
    for where, record in _rows(frame, path):
        _one_of(where, record, "source_type", SOURCE_TYPES)
        _one_of(where, record, "relation", {"greater", "less"})
        _one_of(where, record, "scarcity", PREDICTIONS)
        _one_of(where, record, "hedge", PREDICTIONS)
    return frame
