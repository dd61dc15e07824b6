"""The chapter "Beyond time horizons": its result object, every glue key used by the prose, each
sentence-level claim pinned to the data, and its chart specifications."""

import re

import numpy as np
import pandas as pd
import pytest

from analysis import benchmarks, metr, paths
from analysis.chapters import benchmarks as chapter
from analysis.chapters import landing
from analysis.params import PARAMS

PAGE = paths.ROOT / "book" / "benchmarks.md"


@pytest.fixture(scope="module")
def result():
    return landing.chapter("benchmarks", PARAMS)  # shared with every test module (computed once)


@pytest.fixture(scope="module")
def prose():
    return PAGE.read_text(encoding="utf-8")


def test_every_glued_key_is_used_and_every_used_key_is_glued(result, prose):
    used = set(re.findall(r"\{glue:text\}`([^`]+)`", prose))
    used |= set(re.findall(r":::\{glue:figure\} (\S+)", prose)) | set(re.findall(r"```\{glue:\} (\S+)", prose))
    assert used == set(result.glue_values())


def test_no_number_is_typed_in_the_prose(prose):
    body = prose.split("result.glue()\n```", 1)[1]
    body = re.sub(r"\{(glue:text|numref|ref)\}`[^`]*`", "", body)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)  # comments are not prose
    body = re.sub(r"```\{glue:\} \S+", "", body)  # nor are the names of glued tables
    # Allowed: fact ids (D1, E2...), version and model names (v1.1, GPT-5.6, 4.5, log2) and "50% horizon".
    body = re.sub(r"\b[A-FS]\d+\b|\bv\d(\.\d)?\b|\d+(\.\d+)?(?=[ -]?(Sol|Bench|\)|,))|GPT-[\d.]+|Opus [\d.]+|log2|50% horizon|"
                  r"Horizon 1\.1|Bench 2\.0|2\.0\*\*", "", body)
    assert not re.findall(r"\d", body), re.findall(r".{20}\d.{20}", body)


def test_landing_page_headline_keys(result):
    text = result.text()
    for key in ("nowcast_model", "nowcast_release_date", "nowcast_p50_min", "nowcast_low_min", "nowcast_high_min",
                "nowcast_level_share", "backtest_coverage_share", "backtest_count", "nowcast_verdict"):
        assert key in text
    numbers = result.numbers
    assert numbers["nowcast_low_min"] < numbers["nowcast_p50_min"] < numbers["nowcast_high_min"]
    assert numbers["nowcast_level_share"] == PARAMS.nowcast_level
    assert text["nowcast_verdict"].endswith(".")


# ------------------------------------------------------------ sentence-level claims


def test_summary_the_strongest_model_epoch_scored_is_the_headline_nowcast(result):
    # benchmarks.md summary: "the strongest model Epoch has scored, {nowcast_model}": the highest score
    # on Epoch's file and its later page (fact F14: GPT-6 Astra 167 on 8 Sep 2026, above every other).
    eci, snapshots = benchmarks.load_eci(), benchmarks.load_eci_snapshots()
    newest = snapshots[snapshots["snapshot"] == snapshots["snapshot"].max()]
    assert newest.loc[newest["eci"].idxmax(), "model_name"] == result.numbers["nowcast_model"] == "GPT-6 Astra"
    assert result.data["nowcasts"].set_index("model").loc["GPT-6 Astra", "eci"] > eci["eci"].max()


def test_summary_log_horizon_is_close_to_a_straight_line_in_eci(result):
    # "the logarithm of the 50% horizon is close to a straight line in ECI"
    assert result.numbers["bridge_r2"] > 0.9


def test_summary_verdict_is_on_trend(result):
    # "Verdict: On trend: ..." and the figure caption "they lie inside its prediction band"
    nowcasts = result.data["nowcasts"]
    assert nowcasts["inside"].all()
    assert result.text()["nowcast_verdict"].startswith("On trend")
    assert result.numbers["nowcast_inside_count"] == result.numbers["nowcast_count"]


def test_ptb_is_far_from_its_reference_and_the_crossing_is_beyond_the_data(result):
    # "PostTrainBench ... is still far from its reference" and "The newest model in Epoch's file was
    # released on ..., so no score in it shows whether that happened."
    numbers = result.numbers
    assert numbers["ptb_frontier_share"] < 0.75 * numbers["ptb_reference_share"]
    crossing = result.data["frontiers"]["trends"]["PostTrainBench"]["crossing"]
    assert crossing["kind"] == "projected"
    assert crossing["date"] > benchmarks.load_posttrainbench()["release_date"].max()


def test_every_frontier_rises_and_some_saturated(result):
    # caption: "Every benchmark's frontier has risen steadily on the logit scale; some have reached saturation"
    trends = result.data["frontiers"]["trends"]
    assert all(v["fit"].slope_ci[0] > 0 for v in trends.values())
    assert result.numbers["reached_count"] >= 1


def test_corebench_claims(result):
    # "the frontier stopped at ... after only {n} records, too few for a trend"; "None of these runs is
    # in the database: the scaffold, not only the model, moved the score"; v1.1 "confirms the saturation"
    numbers = result.numbers
    assert numbers["core_records_count"] <= 3
    assert benchmarks.load_corebench_hard()["score"].max() < numbers["core_claude_code_share"]
    assert numbers["core_claude_code_share"] > numbers["core_core_agent_share"]
    assert numbers["core_v11_top_share"] >= PARAMS.benchmark_saturation


def test_mlebench_flagged_submission_is_the_top_one(result):
    # "(the top one, {mle_flagged_agent}, scored ...)": the flagged submission beats the unflagged frontier
    assert result.numbers["mle_flagged_share"] > result.numbers["mle_frontier_share"]
    table = benchmarks.load_mlebench()
    all_split = table[table["benchmark"] == "MLE-bench All"]
    assert all_split.loc[all_split["score"].idxmax(), "scaffold"] == result.numbers["mle_flagged_agent"]


def test_terminal_bench_top_is_a_third_party_agent(result):
    # "the top score ... belongs to an agent scaffold rather than to a model alone"
    assert result.numbers["terminal_frontier_agent"] not in {"Claude Code", "Codex CLI", "Gemini CLI", "Terminus 2"}


def test_the_one_model_above_the_ceiling_has_no_eci(result):
    # "the one such model, Claude Mythos Preview, has no ECI score in any case"
    horizons = metr.load_horizons("1.1")
    above = horizons[horizons["p50"] > PARAMS.max_minutes]
    assert above["display_name"].tolist() == ["Claude Mythos Preview (early)"]
    version = benchmarks.load_crosswalk().set_index("metr_model").loc[above["model"].iloc[0], "epoch_model_version"]
    assert version not in set(benchmarks.load_eci()["model"])


def test_bootstrap_gives_almost_the_same_interval(result):
    # "a bootstrap over models ... gives almost the same" as the textbook interval; "Both are too narrow"
    numbers = result.numbers
    assert numbers["nowcast_boot_low_min"] == pytest.approx(numbers["nowcast_classical_low_min"], rel=0.15)
    assert numbers["nowcast_boot_high_min"] == pytest.approx(numbers["nowcast_classical_high_min"], rel=0.15)
    assert numbers["nowcast_low_min"] < numbers["nowcast_bridge_low_min"] < numbers["nowcast_classical_low_min"]


def test_backtest_claims(result):
    # "the textbook intervals contained the measured horizon for only 8 of 12": below nominal; calibrated
    # "they covered 10 of 12" (83%, about the nominal 80%: one model either way is 8 points); "no
    # systematic bias"; "{widening} wider" is the conformal factor minus one.
    numbers = result.numbers
    assert numbers["backtest_classical_coverage_share"] < numbers["backtest_level_share"]
    assert (numbers["backtest_classical_covered_count"], numbers["backtest_covered_count"], numbers["backtest_count"]) == (8, 10, 12)
    assert abs(numbers["backtest_coverage_share"] - numbers["backtest_level_share"]) <= 1 / numbers["backtest_count"]
    assert numbers["single_coverage_share"] >= numbers["single_classical_coverage_share"]
    assert abs(np.log2(numbers["backtest_bias_ratio"])) < 0.25
    assert numbers["calibration_widening_share"] == pytest.approx(result.data["nowcasts"]["calibration_factor"].iloc[0] - 1)
    assert 0 < numbers["calibration_widening_share"] < 0.5


def test_nowcast_range_and_the_headline_is_the_top(result):
    # "run from {nowcast_lowest_min} ({nowcast_lowest_model}) to {nowcast_p50_min} ({nowcast_model})"
    nowcasts = result.data["nowcasts"]
    assert nowcasts["p50_pred"].max() == result.numbers["nowcast_p50_min"]


def test_sol_comparison_words_match_the_numbers(result):
    numbers = result.numbers
    assert numbers["sol_metr_position"] == "below"  # 11.3 h < the nowcast interval's lower end
    assert numbers["sol_metr_p50_quoted_min"] < numbers["sol_nowcast_low_min"]
    assert numbers["nowcast_in_metr_ci"] == "inside"
    assert numbers["sol_metr_low_quoted_min"] <= numbers["sol_nowcast_min"] <= numbers["sol_metr_high_quoted_min"]
    # fact E2: 11.3 h (5-40 h)
    assert (numbers["sol_metr_p50_quoted_min"], numbers["sol_metr_low_quoted_min"], numbers["sol_metr_high_quoted_min"]) == (678, 300, 2400)


def test_break_cannot_be_tested_on_benchmarks_but_eci_rose_faster_after(result):
    # "{break_testable_count} of the {benchmark_count} have enough records on both sides (WeirdML, the
    # oldest, has {n} records before it; the others start after it)" and "agrees in direction"
    numbers = result.numbers
    trends = result.data["frontiers"]["trends"]
    cut = result.data["break_date"]
    assert numbers["break_testable_count"] == 0
    firsts = {name: v["records"]["date"].min() for name, v in trends.items()}
    assert min(firsts, key=firsts.get) == "WeirdML"
    assert all(date >= cut for name, date in firsts.items() if name != "WeirdML")
    assert numbers["eci_slope_after_per_year"] > numbers["eci_slope_before_per_year"]
    assert cut == pd.Timestamp("2024-04-18")  # chapter 2's break on the current data


# ------------------------------------------------------------ charts


def test_nowcast_chart_spec(result):
    spec = result.figures["fig_benchmarks_nowcast"].to_dict()  # validates against the Vega-Lite schema
    trend_layer, model_layer = spec["layer"]
    marks = model_layer["layer"][-1]
    assert marks["encoding"]["y"]["field"] == "horizon_min" and marks["encoding"]["y"]["scale"]["type"] == "log"
    shape = marks["encoding"]["shape"]["scale"]
    assert shape["range"][shape["domain"].index("Nowcast from ECI")] == "diamond"
    # the models scored only on Epoch's later page show, as triangles
    later = [row for row in marks_data(spec, marks) if row["status"].startswith("Nowcast from ECI, Epoch's later")]
    assert {row["display_name"] for row in later} == {"GPT-6 Astra", "Claude Fable 5.1"}
    assert shape["range"][shape["domain"].index(later[0]["status"])] == "triangle-up"
    assert {t["field"] for t in marks["encoding"]["tooltip"]} >= {"display_name", "horizon_text", "ci_text"}
    assert [layer["mark"]["type"] for layer in trend_layer["layer"]] == ["area", "line"]
    assert "tap or hover" in spec["description"].lower()
    # one quantity, one value: METR's figure for GPT-5.6 Sol is "11.3 hours" as every page quotes it
    # (fact E2), not format_minutes' two-figure "11 hours"
    sol = [row for row in marks_data(spec, marks) if row["display_name"] == "GPT-5.6 Sol (METR, not robust)"]
    assert [row["horizon_text"] for row in sol] == ["11.3 hours"]


def test_frontiers_chart_spec(result):
    spec = result.figures["fig_benchmarks_frontiers"].to_dict()
    assert spec["facet"]["field"] == "benchmark"
    layers = spec["spec"]["layer"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers]
    assert marks == ["area", "line", "rule", "text", "circle"]
    assert "exp(-datum.value)" in layers[-1]["encoding"]["y"]["axis"]["labelExpr"]  # logit axis in percent
    rules = result.data["frontiers"]["rules"].set_index("benchmark")
    assert rules.loc["PostTrainBench", "target_logit"] == pytest.approx(np.log(0.511 / 0.489))


def test_bridge_chart_spec(result):
    spec = result.figures["fig_benchmarks_bridge"].to_dict()
    dots = spec["layer"][-1]
    assert dots["encoding"]["x"]["field"] == "eci" and dots["encoding"]["y"]["scale"]["type"] == "log"


def test_frontier_table_has_sources(result):
    table = result.tables["tbl_benchmarks_frontier"]
    assert table["Source"].str.startswith("https://").all()
    assert len(table) == result.numbers["benchmark_count"]


def marks_data(spec, marks):
    """The rows a layer draws (inline data, or the top-level datasets by name)."""
    data = marks.get("data", {})
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


# ------------------------------------------------------------ up to September 2026


def test_posttrainbench_v12_is_its_own_series(result):
    # "v1.2 is lower for {n} of them": every model both versions scored (typed from the two files:
    # Opus 4.6 0.2482 -> 0.1486, GPT-5.2 0.2138 -> 0.1853, ...); fact F16: 44.7 / 43.7 / 42.0.
    numbers = result.numbers
    assert numbers["ptb12_lower_count"] == numbers["ptb12_common_count"] == 7
    assert numbers["ptb12_ratio_share"] < 1
    assert (numbers["ptb12_top_agent"], round(numbers["ptb12_top_pct1"], 1)) == ("Fable 5.1 (Max)", 44.7)
    assert round(numbers["ptb12_second_pct1"], 1) == 43.7 and round(numbers["ptb12_astra_pct1"], 1) == 42.0
    assert result.text()["ptb12_top_pct1"] == "44.7%"
    row = result.tables["tbl_benchmarks_frontier"].set_index("Benchmark").loc["PostTrainBench", "Reached"]
    assert "not in v1.1 data" in row and "v1.2, a separate series" in row and "44.7%" in row
    # the v1.1 trend's own rows are untouched by v1.2 (kept apart)
    assert result.data["frontiers"]["trends"]["PostTrainBench"]["records"]["score"].max() < numbers["ptb12_top_pct1"] / 100


def test_rsi_index_is_below_its_human_reference(result):
    # "below the human reference"; F17: Opus 5.5 37.3%, Fable 5.1 36.1%, Opus 5 33.0%, Gemini 4 Argon 30.6%
    numbers = result.numbers
    scores = [numbers[k] / 100 for k in ("rsi_opus55_pct1", "rsi_fable51_pct1", "rsi_opus5_pct1", "rsi_argon_pct1")]
    assert scores == pytest.approx([0.373, 0.361, 0.33, 0.306]) and scores == sorted(scores, reverse=True)
    assert max(scores) < numbers["rsi_reference_share"] < numbers["rsi_projection_share"]


def test_september_models_unmeasured_are_flagged(result):
    # "{unmeasured_count} ({names}) have no score in any source the report holds"
    table = result.tables["tbl_benchmarks_new_models"]
    crosswalk = benchmarks.load_new_models()
    assert len(table) == len(crosswalk) == result.numbers["new_models_count"] == 10
    unscored = crosswalk[(crosswalk[["eci_snapshot_model", "posttrainbench_v12_agent", "vals_rsi_quantity"]] == "").all(axis=1)]
    flagged = table[table["Status"] == chapter.UNMEASURED]
    assert set(flagged["Model"]) == set(unscored["model"]) and result.numbers["unmeasured_count"] == 6
    assert (table["METR horizon"] == "none (E5)").all() and (crosswalk["fact_id"] == "F13").all()
    nowcast_rows = table[table["Status"] == "nowcast"]
    assert set(nowcast_rows["Model"]) == {"GPT-6 Astra", "Claude Fable 5.1"}


def test_snapshot_shift_sentence(result):
    # "moved by {mean} points on average and by up to {max}": the 8 Sep page against the file (fact
    # F14: Opus 5 159.38 -> 163 is the largest, 3.62)
    numbers = result.numbers
    assert numbers["snapshot_shift_max_index"] == pytest.approx(3.62)
    assert numbers["snapshot_common_count"] == 4 and numbers["snapshot_shift_index"] == pytest.approx(1.8275)
    assert numbers["later_top_widening_share"] > 0


def test_metrs_sol_estimate_sits_at_sols_release_date(result):
    # The chart's METR square for GPT-5.6 Sol (fact E2) belongs at Sol's release, not the headline model's.
    spec = result.figures["fig_benchmarks_nowcast"].to_dict()
    marks = spec["layer"][1]["layer"][-1]
    rows = [row for row in marks_data(spec, marks) if row["status"] == "METR's non-robust estimate (fact E2)"]
    sol = result.data["nowcasts"].set_index("model").loc["GPT-5.6 Sol", "release_date"]
    assert len(rows) == 1 and pd.Timestamp(rows[0]["release_date"]) == sol


def test_rsi_projection_month(result):
    # F17: Vals' line reaches 0.6 "by July 2027" (the quoted row's date is that month).
    assert result.numbers["rsi_projection_month"] == "July 2027"


def test_undated_snapshot_models_are_not_frontier(result):
    # "each scores more than {margin} points below the top of its page, so none would count as frontier"
    snapshots = benchmarks.load_eci_snapshots()
    undated = snapshots[snapshots["release_date"].isna()]
    assert result.numbers["snapshot_undated_count"] == undated["model_name"].nunique() == 3
    tops = snapshots.groupby("snapshot")["eci"].max()
    assert (undated["eci"] < undated["snapshot"].map(tops) - PARAMS.nowcast_frontier_margin_eci).all()


def test_headline_against_sol_and_the_trend(result):
    # "{Astra}'s nowcast is {1.7x} GPT-5.6 Sol's; for the weeks between their releases the trend alone gives {1.4x}"
    numbers, nowcasts = result.numbers, result.data["nowcasts"].set_index("model")
    # the trend's ratio is 2 ** (days between releases / doubling time)
    days = (nowcasts.loc["GPT-6 Astra", "release_date"] - nowcasts.loc["GPT-5.6 Sol", "release_date"]).days
    assert numbers["trend_astra_vs_sol_ratio"] == pytest.approx(2 ** (days / numbers["trend_doubling_days"]))
    assert numbers["nowcast_vs_sol_ratio"] > numbers["trend_astra_vs_sol_ratio"]
