"""Chapter 2's table of acceleration estimates in circulation: every figure read from data/quoted.csv,
and each sentence of the prose true of the table and of the horizon data."""

import re

import pytest

from analysis import facts, paths
from analysis.chapters import eras as eras_chapter
from analysis.params import PARAMS


@pytest.fixture(scope="module")
def result():
    return eras_chapter.build(PARAMS)


@pytest.fixture(scope="module")
def quoted():
    return facts.load_quoted_figures().set_index("figure")


def test_table_rows_measure_and_cite(result):
    table = result.tables["tbl_others"]
    assert table["Fact"].tolist() == ["", "F7", "F6", "F2", "F8", "F11", "F12"]
    kinds = table["What it measures"].str.split(":").str[0].tolist()
    assert kinds == ["Capability", "Capability", "Capability", "Effort", "Output", "Output", "Output"]
    # every estimate a lab made of itself says so
    for fact in ("F7", "F2", "F8"):
        assert "Self-measured" in table.set_index("Fact").loc[fact, "Caveat"]
    assert "Period unstated" in table.set_index("Fact").loc["F6", "Period"]


def test_figures_come_from_the_quoted_table(result, quoted):
    text, table = result.text(), result.tables["tbl_others"].set_index("Fact")
    assert result.numbers["aeci_ratio2"] == quoted.loc["aeci_slope_ratio", "value"] == 1.53
    assert text["aeci_ratio2"] in table.loc["F7", "Figure"] and text["aeci_high_ratio2"] == "1.82×"
    assert result.numbers["metr_accel_ratio"] == quoted.loc["metr_acceleration", "value"]
    assert result.numbers["workdays_stat"] == quoted.loc["agent_workdays_per_human_workday", "value"]
    assert result.numbers["leads_share"] == quoted.loc["claude_leads_share", "value"]
    assert (result.numbers["return_share"], result.numbers["threshold_share"]) == (0.09, 0.15)
    # F15: 5 ECI points per METR doubling; 14.4 / 5 = 2.88 and 22.2 / 5 = 4.44 doublings a year
    assert result.numbers["aeci_before_doublings"] == pytest.approx(2.88)
    assert result.numbers["aeci_after_doublings"] == pytest.approx(4.44)


def test_own_estimate_is_the_two_era_fit(result):
    fit = result.data["two_eras"]
    numbers = result.numbers
    assert numbers["own_speedup_ratio"] == pytest.approx(fit.doubling_days_before / fit.doubling_days_after)
    # a slope in doublings a day times 365.25 is doublings a year; 365.25 / doubling days is the same
    assert numbers["own_after_doublings"] == pytest.approx(365.25 / fit.doubling_days_after)
    assert numbers["own_speedup_low_ratio"] < numbers["own_speedup_ratio"] < numbers["own_speedup_high_ratio"]


def test_sentences_are_true_of_the_table(result):
    n, text = result.numbers, result.text()
    # "none of them puts AI's own contribution at a doubling": AECI's upper bound, METR's 1.5x, 9% < 15%
    agree = n["aeci_high_ratio2"] < 2 and n["metr_accel_ratio"] < 2 and n["return_share"] < n["threshold_share"]
    assert text["others_agree_text"].startswith("none") == agree
    overlap = n["own_speedup_low_ratio"] <= n["aeci_high_ratio2"] and n["aeci_low_ratio2"] <= n["own_speedup_high_ratio"]
    assert text["overlap_text"] == ("overlap" if overlap else "do not overlap")
    assert text["second_step_text"] == ("show no second step" if n["within_accel_p"] > 1 - PARAMS.confidence else "show a second step")
    # "larger and earlier": the report's step exceeds Anthropic's, and April 2024 precedes September 2025
    assert n["own_speedup_ratio"] > n["aeci_ratio2"] and result.data["two_eras"].break_date < eras_chapter.AECI_BREAK
    # "already climbing at about the horizon's second-era pace before its own break": within 25%
    assert n["aeci_before_doublings"] == pytest.approx(n["own_after_doublings"], rel=0.25)
    # "too few to test it": a handful of models after September 2025
    points = result.data["two_eras"].points
    assert n["after_aeci_break_count"] == (points["release_date"] >= "2025-09-01").sum() <= 5


def test_the_section_cites_its_facts_as_links():
    text = (paths.ROOT / "book" / "eras.md").read_text(encoding="utf-8")
    section = text[text.index("(ch-eras-others)="):text.index("(ch-eras-verdict)=")]
    cited = set(re.findall(r"\[(F\d+)\]\(#fact-f\d+\)", section))
    assert {"F2", "F6", "F8", "F9", "F11", "F12", "F15"} <= cited


def test_dates_in_the_section_are_computed(result):
    text = result.text()
    # fact F9 (12 Sep 2026) and F7 (22 Sep 2026): ten days apart
    assert (text["amodei_date"], text["amodei_gap_count"]) == ("12 September 2026", "10")
    assert text["data_as_of_date"] == "8 May 2026" and text["data_newest_month"] == "April 2026"
    assert f"data to {text['data_as_of_date']}" in result.tables["tbl_others"].loc[0, "Period"]
