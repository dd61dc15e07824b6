"""Back matter, "Facts quoted": every fact of the fact sheet the report uses, each under its own anchor
(``fact-<id>``), with every row that holds one of its figures: the one table of quoted figures
(``data/quoted.csv``) and the tables that keep a fact's figures in their own shape. Fact ids in the
text link here (``analysis.text.fact_link``)."""

from __future__ import annotations

import pandas as pd

from analysis import facts, metr
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.text import format_date, format_month, format_quoted_value

SECTIONS = {"A": "METR time-horizon trend", "B": "Stated timelines", "C": "Labour market", "D": "Benchmarks",
            "E": "After May 2026", "F": "August to October 2026", "S": "The article"}


def _date_text(date, precision: str) -> str:
    if pd.isna(date):
        return ""
    return {"day": format_date, "month": format_month}.get(precision, lambda d: f"{pd.Timestamp(d).year}")(date)


def fact_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One fact's rows as the page shows them."""
    caveat = rows["caveat"].fillna("") + rows["verified"].map(lambda v: " [unverified]" if v == "no" else "")
    return pd.DataFrame({
        "Fact": rows["fact_id"],
        "Figure or statement": rows["figure"],
        "Value": [format_quoted_value(v, lo, hi, u) if isinstance(u, str) and u in facts.QUOTED_UNITS
                  else ("" if pd.isna(v) else f"{v:,g} {u}")
                  for v, lo, hi, u in zip(rows["value"], rows["low"], rows["high"], rows["unit"])],
        "Date": [_date_text(d, p) for d, p in zip(rows["date"], rows["date_precision"])],
        "Source": rows["source_url"].replace("", None),
        "Confidence": rows["confidence"],
        "Caveat": caveat.str.strip(),
        "Table": "data/" + rows["table"],
    })


def build(params: Params) -> ChapterResult:
    index = facts.fact_index(releases=set(metr.benchmark_releases()))
    tables = {f"tbl_fact_{fact_id.lower()}": fact_table(rows) for fact_id, rows in index.groupby("fact_id", sort=False)}
    quoted = facts.load_quoted_figures()
    numbers = {
        "facts_count": index["fact_id"].nunique(),
        "quoted_rows_count": len(quoted),
        "index_rows_count": len(index),
        "unverified_rows_count": int((index["verified"] == "no").sum()),
    }
    return ChapterResult(page="facts", numbers=numbers, tables=tables, data={"index": index, "quoted": quoted})
