"""Chapter 3 (book/timelines.md) as of params.as_of: the weights rule, passed claims and their
resolutions, two kinds of arrival, reached milestones, the singularity, and every sentence-level
claim of the page pinned against the chapter's result."""

import dataclasses
import json

import altair as alt
import numpy as np
import pandas as pd
import pytest
from conftest import rendered_texts
from scipy import stats

from analysis import facts, forecast, metr, trend
from analysis.chapters import landing, timelines
from analysis.params import PARAMS
from analysis.text import format_probability

AS_OF = pd.Timestamp(PARAMS.as_of)
CODES = timelines.SCENARIO_CODES


@pytest.fixture(scope="module")
def result():
    return landing.chapter("timelines", PARAMS)  # shared with every test module (computed once)


@pytest.fixture(scope="module")
def horizons():
    return metr.load_horizons("1.1")


@pytest.fixture(scope="module")
def numbers(result):
    return result.numbers


# ------------------------------------------------------------------ the weights rule


def test_rule_weights_sum_to_one_and_reject_the_all_time_exponential(result, numbers):
    weights = result.data["weights"]["stacking"]
    assert list(weights.index) == list(PARAMS.scenarios)
    assert weights.sum() == pytest.approx(1.0) and (weights >= 0).all()
    # chapter 2 rejects the all-time exponential; the rule must agree (issue 11: under 5%)
    assert weights["Exponential, all time"] < 0.05
    # summary: the latest era "carries" the weight
    assert numbers["w_rule_latest_era_share"] > 0.5


def test_weights_are_recomputed_from_the_backtest(horizons):
    # Change chapter 2's backtest: make the two-era model's forecasts miss by 3 doublings and the
    # superexponential's hit exactly. The rule must move its weight to the superexponential.
    backtest = forecast.growth_backtest(horizons, PARAMS)
    base = forecast.scenario_weights(horizons, PARAMS, backtest=backtest)
    edited = backtest.copy()
    edited.loc[edited["model"] == "two eras", "error_log2"] += 3.0
    edited.loc[edited["model"] == "superexponential", "error_log2"] = 0.0
    moved = forecast.scenario_weights(horizons, PARAMS, backtest=edited)
    assert moved.sum() == pytest.approx(1.0)
    assert moved["Superexponential"] > 0.9 > base["Superexponential"]
    assert moved["Latest era continues"] < 0.1 < base["Latest era continues"]


def test_rule_is_the_best_mixture_on_the_backtest(result):
    # "adding any other scenario to the latest era lowers the score"
    errors, scale = result.data["errors"], result.data["scatter"]
    rule = result.data["weights"]["stacking"]
    best = forecast.log_score(errors, rule, scale)
    for other in PARAMS.scenarios:
        if other == "Latest era continues":
            continue
        mixed = pd.Series({"Latest era continues": 0.9, other: 0.1}).reindex(list(PARAMS.scenarios), fill_value=0.0)
        assert forecast.log_score(errors, mixed, scale) < best


def test_backtest_sentences(result, numbers):
    # "The two exponentials forecast too low at every origin of the backtest"
    errors = result.data["errors"]
    for name in ("Exponential, all time", "Exponential, since 2023"):
        assert (errors[name].groupby(level="origin").mean() > 0).all()
    # "The superexponential was about right on average ... but further off one forecast at a time"
    assert abs(numbers["backtest_bias_super_signed_log2"]) < result.data["scatter"]
    assert numbers["backtest_rmse_super_log2"] > numbers["backtest_rmse_latest_era_log2"]
    # the same forecasts as chapter 2's backtest (45 per model)
    assert numbers["backtest_forecasts_count"] == len(forecast.growth_backtest(metr.load_horizons("1.1"), PARAMS)) / 3


def test_sensitivity_cases(result):
    cases = result.data["weights"]
    assert cases["judgement"].to_dict() == pytest.approx({n: w for n, w in PARAMS.judgement_weights})
    assert cases["equal"].tolist() == pytest.approx([0.25] * 4)


# ------------------------------------------------------------------ claims, as of today


def test_status_is_passed_exactly_when_the_target_is_before_as_of(result):
    claims, status = result.data["claims"], result.data["status"]
    assert ((claims["target_date"] < AS_OF) == (status == "passed")).all()
    # every passed claim is resolved, no open one is
    assert (claims.loc[status == "passed", "resolution"] != "").all()
    assert (claims.loc[status == "open", "resolution"] == "").all()


def test_as_of_before_the_data_is_refused():
    with pytest.raises(ValueError, match="earlier than the newest data"):
        timelines.build(dataclasses.replace(PARAMS, as_of="2026-05-01"))


def test_a_passed_claim_without_resolution_is_refused():
    claims, since = facts.load_claims(), facts.load_since_data()
    with pytest.raises(ValueError, match="openai_intern: resolution"):
        facts.check_resolutions(claims.assign(resolution=""), since, PARAMS.as_of)
    with pytest.raises(ValueError, match="still open"):
        facts.check_resolutions(claims, since, "2026-06-01")


def test_since_data_postdate_the_data(result, numbers):
    since = result.data["since"]
    assert since["fact_id"].tolist() == ["E1", "E2", "E3", "E4", "E5"]
    assert (since["date"] > pd.Timestamp("2026-05-08")).all()
    assert numbers["data_as_of"] == "8 May 2026" and numbers["as_of"] == "6 December 2026"


def test_per_scenario_probabilities_reproduce_the_mixture(result):
    # for every claim: the mixture of each weight case = weights . per-scenario probabilities
    table = result.data["probabilities"]
    scenarios = list(PARAMS.scenarios)
    for case, weights in result.data["weights"].items():
        mixture = table[scenarios].to_numpy() @ weights.reindex(scenarios).to_numpy()
        assert table[f"case_{case}"].to_numpy() == pytest.approx(mixture)
    assert table["Mixture"].to_numpy() == pytest.approx(table["case_headline"].to_numpy(), abs=1e-9)


def test_intern_claim_resolved(result, numbers):
    # summary: deadline passed; probability from data before it; by scenario from exp. all time to superexp.
    assert numbers["openai_intern_status"] == "deadline passed"
    assert numbers["openai_intern_resolution"] == timelines.intern_label(result.data["intern"])  # computed from the nowcast (tests/test_intern.py)
    row = result.data["probabilities"].set_index("claim_id").loc["openai_intern"]
    assert row["data_until"] == pd.Timestamp("2026-05-08")  # the data end before the September deadline
    per = [numbers[f"openai_intern_{code}_prob"] for code in CODES.values()]
    assert min(per) == numbers["openai_intern_exp_all_prob"] and max(per) == numbers["openai_intern_super_prob"]
    # the first release's 47% is the judgement weights applied to the trend line
    assert numbers["openai_intern_judgement_line_prob"] == pytest.approx(0.47, abs=0.005)


def test_claim_probabilities_are_for_a_measured_model(result, numbers):
    draws, scatter = result.data["draws"], result.data["scatter"]
    expected = forecast.probability_by("2028-12-31", draws, minutes=167 * 60, metric="p80", scatter=scatter)
    assert numbers["clark_no_human_2028_trend_prob"] == pytest.approx(expected)
    # "The two can differ a lot": the intern under the latest era
    assert numbers["openai_intern_latest_era_line_prob"] - numbers["openai_intern_latest_era_prob"] > 0.1


def test_model_scatter_is_the_residual_sd_since_2023(horizons, numbers):
    # independent: scipy's linregress on the same frontier models, residual sd with n - 2 dof
    points = trend.select_points(horizons, since="2023-01-01", max_minutes=PARAMS.max_minutes)
    x = trend.days_since_origin(points["release_date"])
    y = np.log2(points["p50"].to_numpy(dtype=float))
    fit = stats.linregress(x, y)
    residual = y - fit.intercept - fit.slope * x
    assert numbers["scatter_log2"] == pytest.approx(np.sqrt((residual**2).sum() / (len(x) - 2)))
    assert numbers["scatter_log2"] == pytest.approx(0.67, abs=0.01)


def test_claim_sentences(numbers):
    # Cotra: still open, and "the trend leans her way" (more than her own median odds of 50%)
    assert numbers["cotra_24h_2026_status"] == "open"
    assert numbers["cotra_24h_2026_prob"] > 0.5
    per = [numbers[f"cotra_24h_2026_{code}_prob"] for code in CODES.values()]
    assert min(per) == numbers["cotra_24h_2026_exp_all_prob"] and max(per) == numbers["cotra_24h_2026_super_prob"]
    # the article: "cautious, not bold" if the trend holds
    assert numbers["article_week_near_prob"] > 0.9 and numbers["article_month_projects_prob"] > 0.9
    per = [numbers[f"article_month_projects_{code}_prob"] for code in CODES.values()]
    assert min(per) == numbers["article_month_projects_exp_all_prob"]
    # probabilities are capped in words, never "100%" or "0%"
    for key, value in numbers.items():
        if key.endswith("_prob"):
            assert format_probability(value) not in {"100%", "0%"}


def test_every_open_milestone_lies_beyond_the_ceiling(result):
    # caveats: "Every open milestone here lies beyond it"
    claims, status = result.data["claims"], result.data["status"]
    assert (60 * claims.loc[status == "open", "milestone_hours"] > PARAMS.max_minutes).all()


# ------------------------------------------------------------------ milestones, today, singularity


def test_reached_milestone_is_shown_as_reached(result, numbers):
    assert numbers["work_day_p50_reached"].startswith("Claude Opus 4.6 (12 hours, released February 2026)")
    table = result.tables["tbl_arrivals"].set_index(["Milestone", "Reliability"])
    row = table.loc[("work-day (8.0 hours)", "50%")]
    assert row["Measured"].startswith("reached: Claude Opus 4.6") and row["Trend line: Mixture"] == ""


def test_past_and_future_crossings(result, numbers):
    arrivals = result.data["arrivals"].set_index(["milestone", "metric", "scenario"])
    # "would have crossed a work-week at 50% around ..., before this report's date"
    assert arrivals.loc[("work-week", "p50", "Mixture"), "median"] < AS_OF
    assert numbers["today_work_week_p50_line_prob"] > 0.5
    # "Still ahead": a work-month at 80%
    assert arrivals.loc[("work-month", "p80", "Mixture"), "p10"] > AS_OF


def test_singularity(result, numbers):
    singular = result.data["singularity"]["frame"].set_index("metric")
    for metric in ("p50", "p80"):
        row = singular.loc[metric]
        assert row["low"] <= row["date"] <= row["high"]
        assert numbers[f"singularity_{metric}_draws_share"] == 1.0  # every draw has one
    assert numbers["singularity_p50_month"] == "November 2027"
    # "near-certain odds on most claims"
    super_probs = result.data["probabilities"]["Superexponential"]
    assert (super_probs > 0.95).mean() > 0.5


# ------------------------------------------------------------------ charts


def _texts(spec: dict) -> list[str]:
    return rendered_texts(spec)


def _explorer(result, **values) -> dict:
    spec = result.figures["fig_explorer"].to_dict()
    for param in spec["params"]:
        if param["name"] in values:
            param["value"] = values[param["name"]]
    return spec


def test_explorer_reproduces_the_page(result, numbers):
    # opens on the researcher claim: a work-month at 50% by the end of March 2028, measured model
    assert f"P(a measured model shows 167 h by Mar 2028) = {format_probability(numbers['openai_researcher_trend_prob'])}" in _texts(
        _explorer(result))
    # the intern: a work-week by the end of September 2026
    september = round(2026 + 8 / 12, 4)
    text = f"P(a measured model shows 40 h by Sep 2026) = {format_probability(numbers['openai_intern_trend_prob'])}"
    assert text in _texts(_explorer(result, preset=40.0, when=september))
    # the first release's figure: judgement weights, trend line
    judgement = timelines.WEIGHT_LABELS["judgement"]
    text = f"P(the trend line reaches 40 h by Sep 2026) = {format_probability(numbers['openai_intern_judgement_line_prob'])}"
    assert text in _texts(_explorer(result, preset=40.0, when=september, scenario=judgement, kind="line"))


def test_timeline_charts_show_today(result):
    for key in ("fig_fan", "fig_claims", "fig_explorer"):
        spec = result.figures[key].to_dict()
        text = str(spec)
        assert "Today: 6 December 2026" in text, key
    fan = str(result.figures["fig_fan"].to_dict())
    assert "Superexponential: infinite horizon, November 2027" in fan


def test_explorer_milestone_control_reaches_a_work_year(result):
    spec = result.figures["fig_explorer"].to_dict()
    params = {p["name"]: p for p in spec["params"]}
    # the slider's top is on its 0.01 grid (a browser stops there) and at or past 2,000 h, the hours
    # it gives capped at 2,000 (it stopped at 3.30, 1,995 h)
    top = params["log_hours"]["bind"]["max"]
    assert round(top / params["log_hours"]["bind"]["step"], 6).is_integer() and 10 ** top >= 2000.0
    assert "min(pow(10, log_hours), 2000.0)" in json.dumps(spec)
    assert 2000.0 in params["preset"]["bind"]["options"]
    alt.Chart.from_dict(spec)  # a valid Vega-Lite spec


def test_a_deadline_before_the_data_end_uses_only_earlier_models(result, horizons):
    # A work-day claim due at the end of 2025 (before METR's last file): its probability must come
    # from the models released before the deadline, so it differs from the one the full data give.
    claims = result.data["claims"].set_index("claim_id").loc[["amodei_swe"]].reset_index()
    claims["target_date"] = pd.Timestamp("2025-12-31")
    claims["milestone_hours"] = 8.0
    status = pd.Series(["passed"], index=claims.index)
    data_end = pd.Timestamp("2026-05-08")
    table = timelines.claim_table(claims, status, horizons, PARAMS, data_end, result.data["draws"],
                                  result.data["scatter"], result.data["weights"])
    assert table.loc[0, "data_until"] == pd.Timestamp("2025-12-31")
    full = forecast.probability_by("2025-12-31", result.data["draws"], minutes=8 * 60, metric="p50",
                                   scatter=result.data["scatter"])
    assert abs(table.loc[0, "Mixture"] - full) > 0.02  # 38% on the data before the deadline, 44% on all


# ------------------------------------------------------------------ issue 20: the headline and its parts


def test_headline_is_the_last_step_and_lies_in_the_range_across_rules(result, numbers):
    decomposed = result.data["decomposition"]
    for cid, steps in decomposed["steps"].items():
        assert numbers[f"{cid}_prob"] == list(steps.values())[-1]
        assert numbers[f"{cid}_step_trend_only_prob"] == steps["trend only"]
        rules = decomposed["rules"][cid]
        assert numbers[f"{cid}_low_prob"] <= numbers[f"{cid}_prob"] <= numbers[f"{cid}_high_prob"] + 1e-12
        assert rules["headline"] == pytest.approx(numbers[f"{cid}_prob"])
        assert len(rules) == len(forecast.RULES) + 1  # the eight rules and the post-May check


def test_claim_table_api_agrees_with_the_page(numbers):
    table = forecast.claim_table(PARAMS)
    assert list(table.columns) == ["claim", "rule", "probability"]
    assert set(table["rule"]) == set(forecast.RULES)
    headline = table[table["rule"] == "headline"].set_index("claim")["probability"]
    for cid, p in headline.items():
        assert p == pytest.approx(numbers[f"{cid}_prob"], abs=1e-9)


def test_summary_sentences(result, numbers):
    # "On the trend alone ... that figure was the answer of earlier releases": over 99% for both
    assert numbers["openai_researcher_step_trend_only_prob"] > 0.99 and numbers["clark_no_human_2028_step_trend_only_prob"] > 0.99
    # and the headline is not: every uncertainty added brings both below 99%
    assert numbers["openai_researcher_prob"] < 0.99 and numbers["clark_no_human_2028_prob"] < 0.99
    # "eight weighting rules"
    assert len(forecast.RULES) == 8


def test_weights_sentences(result, numbers):
    rules = result.data["rules"]
    # stacking on the backtest alone gives the latest era (almost) everything
    assert rules.loc["stacking", "Latest era continues"] > 0.99
    # "no replicate gives them weight": the exponentials' 90th percentile over replicates is nil
    assert numbers["w_boot_exp_all_high_share"] < 0.005 and numbers["w_boot_exp_2023_high_share"] < 0.005
    # the headline gives the superexponential some weight, unlike the point estimate
    assert rules.loc["headline", "Superexponential"] > rules.loc["stacking", "Superexponential"]
    assert rules.loc["AICc", "Exponential, since 2023"] == 0.0


def test_trend_change_sentences(numbers):
    assert numbers["change_seen_count"] == 1
    # the three-year spread grows faster with changes than at fixed rates
    assert numbers["spread_growth_ratio"] > numbers["spread_fixed_growth_ratio"]
    assert numbers["spread_3y_doublings"] > numbers["spread_fixed_3y_doublings"]
    # P(at least one change in t years) for a Gamma(k, span)-mixed Poisson: 1 - (1 + t/span)^-k,
    # here with k = 1.5 (Jeffreys, one change seen)
    k, span = 1.5, numbers["change_span_years"]
    assert numbers["change_three_year_share"] == pytest.approx(1 - (1 + 3 / span) ** -k)
    # "a speed-up multiplies the rate by the ratio of the two eras' slopes": the eras chapter's ratio
    from analysis import eras as eras_module
    fit = eras_module.fit_breakpoint(metr.load_horizons("1.1"), max_minutes=PARAMS.max_minutes,
                                     min_segment=PARAMS.break_min_segment, grid_step_days=PARAMS.break_grid_days)
    assert numbers["change_up_ratio"] == pytest.approx(fit.slope_after / fit.slope_before, rel=0.01)


def test_slowdown_factor_is_the_watch_chapters_compute_stops_case():
    from analysis.chapters import watch
    watch_numbers = watch.build(PARAMS).numbers
    ratio = watch_numbers["frozen_doubling_days"] / watch_numbers["horizon_doubling_days"]
    assert PARAMS.trend_change_slowdown_factor == pytest.approx(ratio, abs=0.01)


def test_decomposition_sentences(result, numbers, horizons):
    decomposed = result.data["decomposition"]
    status = result.data["status"]
    claims = result.data["claims"]
    open_ids = claims.loc[status == "open", "claim_id"]
    # "The mapping and the transfer gap move most claims more than the weights do"
    moved = [abs(s["+ transfer"] - s["+ trend change"]) > abs(s["+ weight uncertainty"] - s["trend only"])
             for cid, s in decomposed["steps"].items() if cid in set(open_ids)]
    assert sum(moved) > len(moved) / 2
    # every open claim's milestone lies above the ceiling on some reading; the count is glued
    ranges = result.data["ranges"].set_index("claim_id").loc[open_ids]
    assert numbers["unmeasurable_open_count"] == int((60 * ranges["hours_low"] > PARAMS.max_minutes).sum())


def test_calibration_sentences(result, numbers):
    record = result.data["calibration"]
    assert numbers["calibration_long_share"] < 0.8 - PARAMS.calibration_tolerance  # so the rule applies
    assert numbers["calibration_widened"] == "yes" and numbers["calibration_widen_ratio"] > 1
    # "beyond two years ... all from origins before April 2024"
    longest = record[record["lead_days"] >= 730]
    assert (longest["origin"] < pd.Timestamp("2024-04-01")).all()
    # with the widening the record's long leads cover at least the nominal level
    long = record[record["lead_days"] >= PARAMS.calibration_widen_min_lead_days]
    widen = numbers["calibration_widen_ratio"]
    assert (np.abs(long["log2_error"]) <= widen * long["log2_half_width"]).mean() >= 0.8


def test_post_may_evidence_sentences(result, numbers):
    # "favour <since 2023>": slower than the latest era; "a Bayes factor of ... against the latest era"
    combined = result.data["evidence"]["combined"]
    assert numbers["evidence_favoured"] == timelines.SCENARIO_PHRASES[combined.idxmax()]
    assert numbers["evidence_lean"] == timelines.SCENARIO_LEAN[combined.idxmax()]
    # the Bayes factors are the exponentiated differences of the log scores
    assert numbers["evidence_bf_2023_vs_latest_ratio"] == pytest.approx(
        np.exp(combined["Exponential, since 2023"] - combined["Latest era continues"]))
    assert numbers["evidence_bf_latest_vs_super_ratio"] == pytest.approx(
        np.exp(combined["Latest era continues"] - combined["Superexponential"]))
    # Cotra: "below ... of the forecast": METR's 11.3 h lies in the forecast's lower tail
    assert numbers["evidence_sol_position_share"] < 0.1
    # the post-May rule is a check: it is not the headline
    assert timelines.EVIDENCE_RULE in result.data["rules"].index


def test_circulation_sentences(numbers):
    # "Clark's 60% by 2028 sits below the headline, his 30% by 2027 above it"
    assert numbers["circ_clark_2028_prob"] > 0.6 and numbers["circ_clark_2027_prob"] < 0.3
    # "Cotra's 10% ... is above the headline's"
    assert numbers["circ_cotra_2026_prob"] < 0.1
    assert numbers["circ_clark_2028_prob"] == numbers["clark_no_human_2028_prob"]


def test_no_over_99_without_its_condition_and_range(numbers):
    # every headline printed as "over 99%" in the page's text comes with its range across rules
    import re
    from pathlib import Path
    text = (Path(__file__).parents[1] / "book" / "timelines.md").read_text()
    for key in re.findall(r"\{glue:text\}`(\w+_prob)`", text):
        if format_probability(numbers[key]) != "over 99%" or key.endswith(("_trend_only_prob", "_trend_prob")):
            continue
        cid = key.removesuffix("_prob")
        after = text[text.index(f"`{key}`"):][:160]
        assert f"{cid}_range" in after or key.startswith("today_"), key


def test_words_that_stand_for_parameters(result):
    # "a speed-up or a slowdown with equal probability"; "Each change's size varies by half either way"
    assert PARAMS.trend_change_up_share == 0.5 and PARAMS.trend_change_size_spread == 0.5
    # "Dirichlet(1, ..., 1) weights on origins"
    assert PARAMS.weight_bootstrap_alpha == 1.0
    # "15 and 30 minutes, 1, 2, 4 and 8 hours"
    assert PARAMS.calibration_thresholds_min == (15.0, 30.0, 60.0, 120.0, 240.0, 480.0)
    # the mapping section: the intern two to four work-days up to a work-week; Clark at 80%; the article's
    # week- and month-long tasks a work-week and a work-month
    ranges = result.data["ranges"].set_index("claim_id")
    assert tuple(ranges.loc["openai_intern", ["hours_low", "hours_high"]]) == (2 * PARAMS.work_day_hours, PARAMS.work_week_hours)
    assert ranges.loc["clark_no_human_2028", "reliabilities"] == "p80" == ranges.loc["clark_no_human_2027", "reliabilities"]
    assert ranges.loc["article_week_tasks", "hours_low"] == PARAMS.work_week_hours
    assert ranges.loc["article_month_projects", "hours_high"] == PARAMS.work_month_hours
    # claims in METR's own units carry no transfer gap
    assert ranges.loc["cotra_24h_2026", "transfer"] == "no"


def test_sensitivity_table_contains_the_headline(numbers):
    # the row "changes at the estimated rate" is the headline itself; no changes and no transfer gap raise it
    for cid in timelines.SENSITIVITY_CLAIMS:
        assert numbers[f"sens_rate_1_{cid}_prob"] == pytest.approx(numbers[f"{cid}_prob"])
        assert numbers[f"sens_gap_0_{cid}_prob"] >= numbers[f"{cid}_prob"] - 1e-9
        assert numbers[f"sens_widen_none_{cid}_prob"] == pytest.approx(numbers[f"{cid}_step_transfer_prob"])
