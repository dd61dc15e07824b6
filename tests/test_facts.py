"""Sourced fact tables: the data contract on the real file, and clear errors on bad rows."""

import pandas as pd
import pytest

from analysis import facts, metr


def test_circulating_figures_contract():
    figures = facts.load_circulating_figures(releases=set(metr.benchmark_releases()))
    assert figures["figure_id"].is_unique
    assert figures["source_url"].str.startswith("https://").all()
    assert figures["fact_id"].str.fullmatch(r"[A-D]\d{1,2}").all()
    # rows not confirmed against a primary text must say so
    assert (figures.loc[figures["confidence"] != "high", "caveat"].str.len() > 0).all()


@pytest.fixture
def edited_copy(tmp_path):
    """A copy of a data table with one row changed; returns the copy's path."""

    def write(name, row, **changes):
        frame = pd.read_csv(facts.paths.DATA / name, dtype=str, keep_default_na=False)
        for column, value in changes.items():
            frame.loc[row, column] = value
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path

    return write


@pytest.fixture
def figures_file(edited_copy):
    return lambda **changes: edited_copy("circulating_figures.csv", 1, **changes)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("claimed_value", "seven", "column 'claimed_value' is not a number"),
        ("claimed_value", "-3", "must be > 0"),
        ("claimed_unit", "weeks", "column 'claimed_unit'"),
        ("source_url", "", "column 'source_url' is empty"),
        ("confidence", "certain", "column 'confidence'"),
        ("start", "spring 2024", "column 'start' is not a date"),
        ("release", "v9", "unknown release 'v9'"),
    ],
)
def test_bad_rows_name_file_row_and_column(figures_file, column, value, message):
    path = figures_file(**{column: value})
    with pytest.raises(ValueError) as caught:
        facts.load_circulating_figures(path, releases=set(metr.benchmark_releases()))
    assert str(path) in str(caught.value) and "row 3" in str(caught.value) and message in str(caught.value)


def test_claims_contract():
    claims = facts.load_claims()
    assert len(claims) >= 8 and claims["claim_id"].is_unique
    assert claims["source_url"].str.startswith("https://").all()
    assert claims["fact_id"].str.fullmatch(r"[A-DS]\d{1,2}").all()  # S: the article's own extrapolations
    assert set(claims["reliability"]) <= {"p50", "p80"}
    assert (claims["target_date"] > claims["stated"]).all()
    assert (claims.loc[claims["verified"] == "no", "caveat"].str.len() > 0).all()


@pytest.fixture
def claims_file(edited_copy):
    return lambda **changes: edited_copy("claims.csv", 0, **changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_date": "soon"}, "column 'target_date' is not a date"),
        ({"milestone_hours": "0"}, "column 'milestone_hours' must be > 0"),
        ({"reliability": "p90"}, "column 'reliability' must be one of ['p50', 'p80']"),
        ({"stated_probability": "1.5"}, "column 'stated_probability' must lie in [0, 1]"),
        ({"verified": "no", "caveat": ""}, "an unverified row needs a caveat"),
        ({"source_url": "http://insecure.example"}, "column 'source_url' is not an https URL"),
    ],
)
def test_bad_claims_name_file_row_and_column(claims_file, changes, message):
    path = claims_file(**changes)
    with pytest.raises(ValueError) as caught:
        facts.load_claims(path)
    assert str(path) in str(caught.value) and "row 2 (openai_intern)" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize("name", ["pay", "employment", "safety_headcount"])
def test_labor_tables_contract(name):
    table = facts.load_labor(name)
    assert table["item_id"].is_unique and table["source_url"].str.startswith("https://").all()
    assert table["fact_id"].str.fullmatch(r"C\d{1,2}").all()
    assert (table.loc[table["verified"] == "no", "caveat"].str.len() > 0).all()


def test_employment_series_are_labelled_by_survey():
    employment = facts.load_labor("employment")
    assert employment["survey"].isin(["BLS OOH", "CPS (Washington Post)"]).all()


def test_labor_bad_row(tmp_path):
    frame = pd.read_csv(facts.paths.DATA / "labor" / "pay.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "value_low"] = "lots"
    frame.to_csv(tmp_path / "pay.csv", index=False)
    with pytest.raises(ValueError, match=r"pay.csv: row 2 \(openai_rsi_listing\): column 'value_low' is not a number"):
        facts.load_labor("pay", tmp_path)
