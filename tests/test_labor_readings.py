"""Chapter 5 against 2026's labour data: each observation's comparison evaluated on the quoted figures,
each reading's fit, and the prose's counts and names pinned to the table."""

import pandas as pd
import pytest

from analysis import facts, labor
from analysis.chapters import labor as labor_chapter
from analysis.params import PARAMS


def _values():
    return pd.DataFrame({"value": [0.2, -0.1, 3.0], "unit": ["share", "share", "people"], "fact_id": ["F1", "F1", "F2"],
                         "source_url": ["https://a", "https://a", ""], "confidence": ["medium"] * 3,
                         "verified": ["no"] * 3, "caveat": ["c"] * 3}, index=["up", "down", "staff"])


def _readings(rows):
    return pd.DataFrame(rows, columns=["item_id", "observation", "source_type", "figure", "relation", "reference",
                                       "scarcity", "hedge", "note"])


def test_weighing_a_hand_worked_example():
    readings = _readings([
        ("a", "A", "postings", "up", "greater", "down", "holds", "holds", ""),     # 0.2 > -0.1: both fit
        ("b", "B", "postings", "up", "less", "down", "holds", "fails", ""),        # 0.2 < -0.1 is false: hedge fits
        ("c", "C", "headcount", "staff", "greater", "2", "silent", "holds", ""),   # 3 > 2 (a number reference)
        ("d", "D", "survey", "down", "greater", "0", "silent", "silent", ""),       # -0.1 > 0 false, nobody predicts
        ("e", "E", "survey", "down", "greater", "0", "holds", "holds", ""),         # both contradicted
    ])
    weighed = labor.weigh_readings(readings, _values()).set_index("item_id")
    assert weighed["observed"].tolist() == [True, False, True, False, False]
    assert weighed.loc["a", "verdict"] == "fits both: cannot tell them apart"
    assert weighed.loc["b", "verdict"] == "favours the automation hedge"
    assert weighed.loc["b", ["scarcity_fit", "hedge_fit"]].tolist() == ["contradicted", "fits"]
    assert weighed.loc["c", "verdict"] == "fits the automation hedge; the other is silent"
    assert weighed.loc["d", "verdict"] == "neither predicts it"
    assert weighed.loc["e", "verdict"] == "fits neither"


def test_an_unknown_figure_names_the_row():
    readings = _readings([("x", "X", "postings", "nowhere", "greater", "0", "holds", "silent", "")])
    with pytest.raises(ValueError, match="readings.csv: x: 'nowhere' is neither a quoted figure nor a number"):
        labor.weigh_readings(readings, _values())


def test_a_bad_row_names_file_row_and_column(tmp_path):
    frame = pd.read_csv(facts.paths.DATA / "labor" / "readings.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "hedge"] = "maybe"
    path = tmp_path / "readings.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError) as caught:
        facts.load_readings(path)
    assert str(path) in str(caught.value) and "row 4" in str(caught.value) and "column 'hedge'" in str(caught.value)


def test_annual_growth_closed_form():
    # 1,500 (1 Jul 2024) to 4,500 (1 Mar 2026): 608 days, so 3 ** (365.25 / 608) - 1 = 0.9348
    assert labor.annual_growth(1500, 4500, "2024-07-01", "2026-03-01") == pytest.approx(3 ** (365.25 / 608) - 1)
    assert labor.annual_growth(1500, 4500, "2024-07-01", "2026-03-01") == pytest.approx(0.9348, abs=1e-4)


@pytest.fixture(scope="module")
def result():
    return labor_chapter.build(PARAMS)


def test_every_row_reads_its_figures_from_the_quoted_tables(result):
    weighed = result.data["readings"].set_index("item_id")
    quoted = facts.load_quoted_figures().set_index("figure")
    for item, row in weighed.iterrows():
        if row["figure"] in quoted.index:
            assert row["value"] == quoted.loc[row["figure"], "value"], item
            assert row["source_url"] == quoted.loc[row["figure"], "source_url"], item
    # fact F18: "almost 15%" against all postings' -7%
    table = result.tables["tbl_readings"]
    assert table.loc[0, "Figure"] == "+15% against −7%"
    assert set(table["Source type"]) == {"postings", "payrolls", "survey", "headcount", "listings"}
    assert set(table["Fact"]) >= {"F18", "F19", "F20"} and (table["Caveat"].str.len() > 0).all()


def test_sentences_are_pinned_to_the_table(result):
    weighed, n, text = result.data["readings"], result.numbers, result.text()
    assert n["readings_count"] == len(weighed) == len(result.tables["tbl_readings"])
    assert n["scarcity_fits_count"] == (weighed["scarcity_fit"] == "fits").sum()
    assert n["hedge_fits_count"] == (weighed["hedge_fit"] == "fits").sum()
    both = weighed[weighed["verdict"] == "fits both: cannot tell them apart"]
    assert n["both_count"] == len(both) and text["both_text"] == "s" + both["observation"].iloc[0][1:]
    opposed = weighed[weighed["verdict"].str.startswith("favours")]
    assert n["opposed_count"] == len(opposed) == 1
    assert text["opposed_confidence"] == "low" and "other labs" in text["opposed_text"]
    # "rebounded ... while all postings fell"; "entry-level roles are a sliver"; "young workers ... trail"
    row = weighed.set_index("item_id")
    assert row.loc["software_rebound", "value"] > 0 > row.loc["software_rebound", "reference_value"]
    assert row.loc["entry_level", "value"] < 0.1 * row.loc["entry_level", "reference_value"]
    assert row.loc["young_exposed", "observed"] and row.loc["cs_graduates", "observed"]
    assert n["scarcity_only_count"] + n["hedge_only_count"] + n["both_count"] + n["opposed_count"] == len(weighed)
