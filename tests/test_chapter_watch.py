"""The closing chapter: its result object, every sentence-level claim against its inputs, and its charts."""

import math
import re

import numpy as np
import pytest

from analysis import charts, compute, facts, metr, paths, trend
from analysis.chapters import landing, watch
from analysis.params import PARAMS
from analysis.text import as_text, format_date

CHAPTER = paths.ROOT / "book" / "watch.md"


@pytest.fixture(scope="module")
def result():
    return landing.chapter("watch", PARAMS)  # shared with every test module (computed once)


@pytest.fixture(scope="module")
def n(result):
    return result.numbers


def test_every_glued_key_is_used_and_every_used_key_is_glued(result):
    text = CHAPTER.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`([^`]+)`", text))
    used |= set(re.findall(r":::\{glue:figure\} (\S+)", text)) | set(re.findall(r"```\{glue:\} (\S+)", text))
    assert used == set(result.glue_values())


def test_no_number_is_typed_in_the_prose():
    # Outside code cells, roles, labels and links, the only digits allowed are chapter numbers,
    # window years ("since 2023", "2030" in "through 2030"), fact ids (A20, E2...) and the model names.
    text = CHAPTER.read_text(encoding="utf-8").split("result.glue()\n```", 1)[1]
    text = re.sub(r"```.*?```", "", text, flags=re.S).replace("sha256", "")
    for name in ("GPT-5.6 Sol", "GPT-5", "Grok 4", "Claude 3.5 Sonnet", "Time Horizon 1.1"):  # model and suite names
        text = text.replace(name, "")
    text = re.sub(r"\{[a-z:]+\}`[^`]+`|`[^`]+`|\([a-z-]+\)=|\]\([^)]+\)|:name: \S+|:::\{glue:figure\} \S+", "", text)
    # "95% interval" names the interval level, pinned to the parameters here.
    assert PARAMS.confidence == 0.95
    allowed = re.compile(r"^(19|20)\d\d$|^[ABCDES]\d+$|^[1-4]$|^\d+\.$|^95$|^4\.0$")  # CC-BY 4.0
    for token in re.findall(r"[A-Z]?\d+(?:\.\d+)?\.?", text):
        assert allowed.match(token), token


def test_compute_share_is_consistent_with_its_inputs(result, n):
    slope, recent, horizon = result.data["slope"], result.data["fits"]["recent"], result.data["horizon_growth"]
    assert n["compute_alone_share"] == pytest.approx(slope.slope * recent.rate_per_year / horizon.rate_per_year)
    assert n["compute_driven_rate_per_year"] == pytest.approx(slope.slope * n["recent_compute_rate_per_year"])
    assert n["compute_alone_share"] == pytest.approx(n["compute_driven_rate_per_year"] / n["horizon_rate_per_year"])
    assert n["other_sources_share"] == pytest.approx(1 - n["compute_alone_share"])
    # "growth from algorithms and post-training, about the other half here"
    assert 0.3 < n["other_sources_share"] < 0.7
    # "The interval includes both a minor share and all of it."
    assert n["compute_alone_low_share"] < 0.5 and n["compute_alone_high_share"] >= 1
    assert n["compute_alone_low_share"] < n["compute_alone_share"] < n["compute_alone_high_share"]


def test_horizon_interval_is_chapter_ones(n):
    # The same named stream, function and data give chapter 1's interval exactly (not approximately).
    fit = landing.chapter("trend", PARAMS).data["fits"][("from_2023_on", "p50")]
    assert (n["horizon_doubling_low_days"], n["horizon_doubling_high_days"]) == fit.doubling_days_ci
    assert n["horizon_rate_per_year"] == pytest.approx(365.25 / fit.doubling_days)


def test_scenario_arithmetic_and_claims(n):
    cut = math.log2(PARAMS.compute_commitment_before_usd / PARAMS.compute_commitment_after_usd)
    years = (np.datetime64(PARAMS.compute_commitment_end) - np.datetime64(PARAMS.compute_reset_date)).astype(int) / 365.25
    assert n["cut_doublings"] == pytest.approx(cut * PARAMS.compute_spend_elasticity)
    assert n["rate_cut_doublings"] == pytest.approx(n["cut_doublings"] / years)
    assert n["commitment_cut_pct"] == pytest.approx(100 * (1 - 0.6 / 1.4))
    expected = 365.25 / (n["horizon_rate_per_year"] - n["horizon_per_compute_slope"] * n["rate_cut_doublings"])
    assert n["constrained_doubling_days"] == pytest.approx(expected)
    assert n["constrained_change_pct"] == pytest.approx(100 * (expected / n["horizon_doubling_days"] - 1))
    # "a small change against the uncertainty": inside chapter 1's interval.
    assert n["horizon_doubling_days"] < n["constrained_doubling_days"] < n["horizon_doubling_high_days"]
    # "still far faster than the all-time pace"
    all_time = trend.fit_trend(metr.load_horizons("1.1"), max_minutes=PARAMS.max_minutes)
    assert n["constrained_doubling_days"] < all_time.doubling_days
    # "The reset is small against compute's own growth" (less than a quarter of it).
    assert n["rate_cut_doublings"] < n["recent_compute_rate_per_year"] / 4
    # "if frontier compute stopped growing ... slower"
    frozen = 365.25 / (n["horizon_rate_per_year"] * (1 - n["compute_alone_share"]))
    assert n["frozen_doubling_days"] == pytest.approx(frozen)
    assert n["frozen_doubling_days"] > n["constrained_doubling_days"]


def test_parameters_equal_the_sourced_commitments():
    quoted = facts.load_quoted().set_index("item_id")
    assert PARAMS.compute_commitment_before_usd == quoted.loc["commitment_before_usd", "value"]
    assert PARAMS.compute_commitment_after_usd == quoted.loc["commitment_after_usd", "value"]
    assert str(quoted.loc["commitment_after_usd", "date"].date()) == PARAMS.compute_reset_date
    assert quoted.loc["commitment_after_usd", "verified"] == "no"  # the prose carries the caveat


def test_compute_era_claims(n, result):
    # "After it, the point estimate is shorter ... its interval does not exclude the earlier rate."
    assert n["after_break_doubling_months"] < n["before_break_doubling_months"]
    assert n["after_break_doubling_low_months"] <= n["before_break_doubling_months"] <= n["after_break_doubling_high_months"]
    assert n["long_run_growth_ratio"] == pytest.approx(2 ** (365.25 / n["long_run_doubling_days"]))
    assert n["long_run_doubling_months"] == pytest.approx(n["long_run_doubling_days"] / (365.25 / 12))
    assert n["largest_model"] == "Grok 4" and n["largest_flop"] == pytest.approx(5e26)  # the MANIFEST's landmark
    # "The largest run in the data, and the last model to join the running frontier"
    frontier = result.data["frontier"]
    assert frontier[frontier["frontier"]].iloc[-1]["model"] == n["largest_model"]
    # Caveats: "several of them graded Speculative (GPT-5, Grok 4, Claude 3.5 Sonnet)"
    grades = frontier.set_index("model")["confidence"]
    assert {grades["GPT-5"], grades["Grok 4"], grades["Claude 3.5 Sonnet"]} == {"Speculative"}


def test_cutoff_claims(result, n):
    coverage, cutoff = result.data["coverage"], result.data["cutoff"]
    later = coverage[coverage["half"] >= cutoff]
    assert (later["share_with_compute"] < PARAMS.compute_coverage_floor).all()
    assert coverage[coverage["half"] < cutoff]["share_with_compute"].iloc[-1] >= PARAMS.compute_coverage_floor
    assert n["after_cutoff_share"] < 0.5  # "most frontier models have no public compute figure"
    assert n["after_cutoff_with_compute_count"] / n["after_cutoff_models_count"] == pytest.approx(n["after_cutoff_share"])
    # The fits stop at the cut-off.
    for fit in result.data["fits"].values():
        assert (fit.points["date"] < cutoff).all()
    # The MANIFEST: blank for most closed frontier models after mid-2025.
    assert str(cutoff.date()) == "2025-07-01"


def test_slope_claims(result, n):
    # "On METR's original task suite ... the slope is similar": each point inside the other's interval.
    assert n["horizon_per_compute_low_slope"] <= n["horizon_per_compute_v10_slope"] <= n["horizon_per_compute_high_slope"]
    assert n["horizon_per_compute_v10_low_slope"] <= n["horizon_per_compute_slope"] <= n["horizon_per_compute_v10_high_slope"]
    assert n["pairs_count"] == len(result.data["pairs"]) == n["recent_pairs_count"] + n["early_pairs_count"]
    assert n["pairs_models"].count(",") == n["pairs_count"] - 1


def test_instrument_claims(n):
    assert n["ceiling_hours"] * 60 == PARAMS.max_minutes
    assert n["sol_cheating_ratio"] == pytest.approx(270 / 11.3)
    assert as_text({"x_ratio": n["sol_cheating_ratio"]})["x_ratio"] == "23.9×"  # the fact sheet's "24-fold"
    # "{above_ceiling_count} model already lies above that line ({latest_metr_model})": one, the newest.
    horizons = metr.load_horizons("1.1")
    above = horizons[horizons["p50"] > PARAMS.max_minutes]
    assert n["above_ceiling_count"] == 1 and above["display_name"].iloc[0] == n["latest_metr_model"]
    assert n["last_data_date"] == format_date(metr.release_as_of(metr.latest_release("1.1")))


def test_charts_validate_and_encode_the_expected_fields(result):
    specs = {key: chart.to_dict() for key, chart in result.figures.items()}
    assert set(specs) == {"fig_watch_compute", "fig_watch_slope", "fig_watch_scenario"}
    for spec in specs.values():
        # a plot of fixed height, drawn as wide as the page's column (title and legends add height)
        page = charts.responsive(spec)
        assert page["width"] == "container" and page["autosize"]["type"] == "fit-x" and isinstance(spec["height"], int)
        assert "tap or hover" in spec["description"].lower()

    def fields(spec):
        found = set()
        for layer in spec.get("layer", []):
            found |= fields(layer)
        for channel in spec.get("encoding", {}).values():
            if isinstance(channel, dict) and "field" in channel:
                found.add((channel["field"], channel.get("type")))
        return found

    assert {("compute_flop", "quantitative"), ("date", "temporal"), ("status", "nominal")} <= fields(specs["fig_watch_compute"])
    assert {("compute_flop", "quantitative"), ("horizon_min", "quantitative")} <= fields(specs["fig_watch_slope"])
    assert {("fitted_min", "quantitative"), ("scenario", "nominal")} <= fields(specs["fig_watch_scenario"])


def test_scenario_paths_start_together(result):
    scenarios = result.data["scenarios"]
    paths_table = compute.scenario_paths(scenarios, result.data["horizon_growth"], start=PARAMS.compute_reset_date,
                                         end=PARAMS.compute_commitment_end, grid_points=3)
    first = paths_table.groupby("scenario")["fitted_min"].first()
    assert first.nunique() == 1


def test_new_text_rules():
    text = as_text({"a_usd_scale": 1.4e12, "b_usd_scale": 6e11, "c_flop": 5e26, "d_hours": 11.3, "e_hours": 270.0,
                    "f_slope": 0.7235, "g_doublings": 1.2224, "h_months": 5.5})
    assert text == {"a_usd_scale": "$1.4 trillion", "b_usd_scale": "$600 billion", "c_flop": "5.0 × 10²⁶ FLOP",
                    "d_hours": "11.3 hours", "e_hours": "270 hours", "f_slope": "0.72", "g_doublings": "1.22",
                    "h_months": "5.5"}
