"""Sentences in the chapters that are not numbers but claims about the data.

Each test names the sentence it guards; when new data overturn one, the build's tests fail and the
prose has to change with them.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import eras, facts, forecast, horizon, labor, metr, revisions, trend
from analysis.params import PARAMS

SINCE_2023 = PARAMS.window_start("from_2023_on")


@pytest.fixture(scope="module")
def current():
    return metr.load_horizons("1.1")


@pytest.fixture(scope="module")
def fits(current):
    return trend.fit_windows(current, PARAMS, PARAMS.rng)


def test_growth_is_faster_since_2023_than_over_all_time(fits):
    # trend.md, figure caption: "grown exponentially since 2019 and faster since 2023"
    assert fits[("from_2023_on", "p50")].doubling_days < fits[("all_time", "p50")].doubling_days


def test_exactly_one_model_lies_above_the_ceiling(current):
    # trend.md: "Today {above_ceiling_count} model lies above that line" (singular)
    assert (current["p50"] > PARAMS.max_minutes).sum() == 1


def test_p80_grows_at_a_similar_pace(fits):
    # trend.md summary: "the 80% horizon ... grows at a similar pace": its doubling time lies
    # inside the 50% horizon's 95% interval, for all time and since 2023.
    for window in ("all_time", "from_2023_on"):
        low, high = fits[(window, "p50")].doubling_days_ci
        assert low <= fits[(window, "p80")].doubling_days <= high


def test_p80_is_several_fold_shorter(fits):
    # trend.md: "Demanding 80% reliability shortens every horizon several-fold"
    points = fits[("all_time", "p50")].points
    assert (points["p50"] / points["p80"] >= 2).all()


def test_most_models_score_lower_on_v11_and_the_recent_trend_steepened(current):
    # trend.md: "most older models score lower on v1.1" and "the since-2023 trend steepened"
    v10 = metr.load_horizons("1.0")
    summary = revisions.summarise_change(revisions.compare_suites(v10, current))
    assert summary["n_lower"] > summary["n_higher"]
    old = trend.fit_trend(v10, since=SINCE_2023, max_minutes=PARAMS.max_minutes)
    new = trend.fit_trend(current, since=SINCE_2023, max_minutes=PARAMS.max_minutes)
    assert new.doubling_days < old.doubling_days


def test_window_moves_the_estimate_more_than_any_interval(current, fits):
    # trend.md: "None of these covers the choice of window, which moves the estimate more than any
    # of them": the spread of estimates across windows exceeds the width of each since-2023 interval.
    rng = PARAMS.rng
    common = dict(since=SINCE_2023, max_minutes=PARAMS.max_minutes)
    intervals = [
        fits[("from_2023_on", "p50")].doubling_days_ci,
        trend.fit_trend(current, rng=rng, n_bootstrap=PARAMS.n_bootstrap, redraw_within_ci=True, **common).doubling_days_ci,
        trend.fit_trend(current, **common).doubling_days_ci,
    ]
    estimates = [fits[(w, "p50")].doubling_days for w, _ in PARAMS.windows]
    assert max(estimates) - min(estimates) > max(high - low for low, high in intervals)


def test_reproduces_published_figures_to_the_third_decimal(fits):
    # trend.md summary: "Our fits reproduce METR's published doubling times to the third decimal"
    published = metr.load_published_doubling(metr.latest_release("1.1")).set_index("window")["point_estimate"]
    assert round(fits[("from_2023_on", "p50")].doubling_days, 3) == published["from_2023_on"]
    assert round(fits[("all_time", "p50")].doubling_days, 3) == published["all_time_stitched"]


# ------------------------------------------------------------------ eras.md

SHAPE = dict(max_minutes=PARAMS.max_minutes, min_segment=PARAMS.break_min_segment, grid_step_days=PARAMS.break_grid_days)


@pytest.fixture(scope="module")
def releases():
    return {name: metr.load_horizons(release=name) for name in metr.benchmark_releases()}


@pytest.fixture(scope="module")
def two_eras(current):
    return eras.fit_breakpoint(current, rng=PARAMS.rng, n_bootstrap=PARAMS.n_break_bootstrap, **SHAPE)


@pytest.fixture(scope="module")
def growth(current):
    comparison = eras.compare_growth_models(
        current, min_train=PARAMS.backtest_min_train, max_lead_days=PARAMS.backtest_max_lead_days,
        interval_level=PARAMS.backtest_interval, **SHAPE,
    )
    return comparison.table.set_index("model"), eras.backtest_summary(comparison.backtest).set_index("model")


def test_one_exponential_fits_worse_by_every_measure(growth):
    # eras.md: "One exponential fits worse by every measure we tried, and it under-predicts later models."
    table, backtest = growth
    assert table.loc["exponential", "delta_aicc"] > 0 and table.loc["exponential", "delta_bic"] > 0
    assert backtest.loc["exponential", "mae_log2"] > backtest["mae_log2"].drop("exponential").max()
    assert backtest.loc["exponential", "bias_log2"] > 0


def test_other_forecasts_scatter_around_zero_and_cannot_be_told_apart(growth):
    # eras.md: fig-backtest caption, and "the data cannot yet tell a one-time shift from steady acceleration"
    table, backtest = growth
    assert backtest.loc[["two eras", "superexponential"], "bias_log2"].abs().max() < 0.5
    assert table.loc["superexponential", "aicc_weight"] > 0.1  # evidence ratio against it below 10


def test_acceleration_is_significant_but_not_again_within_the_latest_era(current, two_eras):
    # eras.md: "p = {accel_p}" (a significant break) and "no evidence of a second speed-up"
    rng = PARAMS.rng
    assert eras.acceleration_test(current, rng=rng, n_null=PARAMS.n_null, **SHAPE).p_value < 0.01
    within = eras.acceleration_test(current, since=two_eras.break_date, rng=rng, n_null=PARAMS.n_null, **SHAPE)
    assert within.p_value > 0.1


def test_break_is_in_the_original_suite_too_and_the_new_suite_made_era_two_faster(releases, two_eras):
    # eras.md verdict: "It is not an artefact of the new task suite ... the new suite made the second era faster"
    original = releases[metr.latest_release("1.0")]
    v10 = eras.fit_breakpoint(original, **SHAPE)
    assert v10.doubling_days_after < v10.doubling_days_before
    assert eras.acceleration_test(original, rng=PARAMS.rng, n_null=PARAMS.n_null, **SHAPE).p_value < 0.05
    assert two_eras.doubling_days_after < v10.doubling_days_after


def test_break_date_is_uncertain_by_about_a_year(two_eras):
    # eras.md: "its date is uncertain by about a year"; fig-break: "resamples spread it over about a year"
    low, high = two_eras.break_date_ci
    assert pd.Timedelta(days=180) <= high - low <= pd.Timedelta(days=730)


def test_sweep_falls_until_about_2024(current):
    # eras.md fig-sweep: "The later a fit starts, the shorter the doubling time, until about 2024"
    sweep = eras.window_sweep(current, max_minutes=PARAMS.max_minutes, min_models=PARAMS.sweep_min_models,
                              rng=PARAMS.rng, n_bootstrap=200)
    early = sweep[sweep["start"] < "2024-01-01"]["doubling_days"]
    assert early.is_monotonic_decreasing
    fastest_start = sweep.loc[sweep["doubling_days"].idxmin(), "start"]
    assert pd.Timestamp("2023-10-01") <= fastest_start <= pd.Timestamp("2024-12-31")


def test_reliability_is_not_catching_up(current):
    # eras.md: "A negative value would mean reliability catching up; the data show no such thing."
    rng = PARAMS.rng
    for since in (None, SINCE_2023):
        gap = eras.reliability_gap(current, since=since, max_minutes=PARAMS.max_minutes, rng=rng, n_bootstrap=2000)
        assert gap.slope_per_year > 0 and gap.slope_per_year_ci[1] > 0


def test_suite_change_and_correction_moved_old_and_new_models_in_opposite_directions(releases):
    # eras.md fig-changelog: "Moving to the new task suite lowered older models' horizons more than
    # recent ones'; the March 2026 correction did the opposite, on a smaller scale."
    order = list(releases)
    v10, first, corrected = order[0], order[1], order[2]
    suite = revisions.compare_suites(releases[v10], releases[first])
    fix = revisions.compare_suites(releases[first], releases[corrected])
    fix = fix[fix["release_date"] >= "2023-01-01"]  # the three stitched oldest models did not move then
    days = lambda frame: (frame["release_date"] - frame["release_date"].min()).dt.days
    assert np.corrcoef(days(suite), suite["log2_change"])[0, 1] > 0
    assert np.corrcoef(days(fix), fix["log2_change"])[0, 1] < 0
    assert np.ptp(fix["log2_change"]) < np.ptp(suite["log2_change"])


EXPECTED_VERDICTS = {  # (reproduces, survives, current)
    "paper_all_time": (True, True, False),
    "paper_2024": (False, True, True),
    "ai2027_four_months": (True, False, False),
    "th10_since_2023": (True, False, False),
    "th10_since_2024": (False, True, True),
    "th11_since_2023": (True, True, True),
    "th11_since_2024": (False, False, False),
    "th11_all_time": (True, True, True),
}


def test_each_verdict_in_the_table(releases):
    # eras.md verdict table, computed with its own Generator exactly as the chapter does.
    figures = facts.load_circulating_figures(releases=set(releases))
    verdicts = eras.judge_figures(
        figures, releases, metr.latest_release("1.1"), max_minutes=PARAMS.max_minutes,
        tolerance_pct=PARAMS.figure_tolerance_pct, rng=PARAMS.rng,
        n_bootstrap=PARAMS.n_bootstrap, confidence=PARAMS.confidence,
    ).set_index("figure_id")
    got = {fid: tuple(bool(v) for v in row) for fid, row in verdicts[["reproduces", "survives", "current"]].iterrows()}
    assert got == EXPECTED_VERDICTS
    # summary: "the often-quoted '89 days since 2024' is not one of them"
    assert not verdicts.loc["th11_since_2024", ["reproduces", "survives", "current"]].any()


# ------------------------------------------------------------------ timelines.md


@pytest.fixture(scope="module")
def draws(current):
    # named streams and the rule's weights: the chapter's draws exactly
    return forecast.scenario_draws(current, PARAMS, PARAMS.rng, n_draws=PARAMS.n_forecast_draws)


def test_scenarios_are_doublings_apart_within_a_year(current, draws):
    # timelines.md fig-fan: "The scenarios are doublings apart within a year of the latest model, and
    # the superexponential runs off the chart before its infinite-horizon date" (within two years)
    latest = current["release_date"].max()
    dates = pd.DatetimeIndex([latest + pd.Timedelta(days=365), latest + pd.Timedelta(days=730)])
    fan = forecast.fan(draws, dates).query("metric == 'p50'").pivot(index="date", columns="scenario", values="median_min")
    one_year = np.log2(fan.iloc[0])
    assert one_year.max() - one_year.min() > 2
    assert fan.iloc[1]["Superexponential"] > 12 * PARAMS.work_month_hours * 60  # above the axis (one work-year)


def test_only_ai2027_comes_before_the_arrival_range(draws):
    # timelines.md fig-claims: "Only AI 2027's superhuman coder comes before the trend line's arrival
    # range for its milestone; every other claim falls inside the range or after it"
    claims = facts.load_claims()
    table = forecast.claim_probabilities(claims, draws, [None]).merge(claims, on="claim_id")
    before = table.loc[table["target_date"] < table["arrival_p10"], "claim_id"].tolist()
    assert before == ["ai2027_superhuman_coder"]


# ------------------------------------------------------------------ labor.md


@pytest.fixture(scope="module")
def labor_results(draws):
    career = labor.Career(years=PARAMS.career_years, discount=PARAMS.discount_rate, wage_growth=PARAMS.wage_growth,
                          post_automation=PARAMS.post_automation_share, lag_years=PARAMS.automation_lag_years)
    milestone = dict(minutes=60 * PARAMS.milestone_hours()[PARAMS.labor_milestone], metric=PARAMS.labor_reliability,
                     reference=PARAMS.listing_date)
    years, weights = forecast.arrival_years(draws, **milestone)
    premiums = {name: labor.risk_premium(*forecast.arrival_years(draws, scenario=name, **milestone), career)
                for name in PARAMS.scenarios}
    premiums["Mixture"] = labor.risk_premium(years, weights, career)
    sensitivity = labor.premium_sensitivity(years, weights, career, {n: (lo, hi) for n, lo, hi in PARAMS.sensitivity})
    pay = facts.load_labor("pay")
    listing = [r - 1 for r in labor.pay_ratios(pay, "openai_rsi_listing", "cirs_median_2024")]
    return career, premiums, sensitivity, listing, pay.set_index("item_id")


def test_every_scenario_premium_is_of_the_order_of_the_listing(labor_results):
    # labor.md: "the same order as the listing's premium"; fig-premium: "Under every growth scenario ..."
    _, premiums, _, listing, _ = labor_results
    for premium in premiums.values():
        assert listing[0] / 2 <= premium <= 2 * listing[1]


def test_assumptions_move_the_premium_more_than_the_scenario(labor_results):
    # labor.md fig-tornado: "depends more on what happens to pay after automation and on how fast
    # displacement follows capability than on the growth scenario"; summary: "above all the pay after automation"
    _, premiums, sensitivity, _, _ = labor_results
    scenario_spread = max(premiums.values()) - min(premiums.values())
    swings = sensitivity.set_index("parameter")["swing"]
    assert swings["post_automation"] > scenario_spread and swings["lag_years"] > scenario_spread
    # the summary glues the top one; under the backtest-weighted mixture (arrival about a year and a
    # half after the listing) it is the lag, with pay after automation second
    assert set(sensitivity.loc[:1, "parameter"]) == {"post_automation", "lag_years"}


def test_listing_sits_below_reported_lab_pay(labor_results):
    # labor.md: "the listing sits below what frontier labs reportedly pay researchers"
    *_, pay = labor_results
    reported = pay.loc[["openai_research_scientist_tc", "openai_l5_tc", "anthropic_l5_tc"], "value_low"]
    assert pay.loc["openai_rsi_listing", "value_high"] < reported.min()


def test_early_automation_leaves_a_fraction_of_the_value(labor_results):
    # labor.md fig-value: "a career automated within a few years is worth a fraction of an unexposed one"
    career = labor_results[0]
    assert labor.value_by_automation_year(career, np.array([3.0]))["relative_value"].iloc[0] < 0.75


# ------------------------------------------------------------------ methods.md


@pytest.fixture(scope="module")
def methods():
    tasks, _ = metr.load_tasks()
    agents = metr.load_agents()
    published = metr.load_horizons("1.1")
    ours, before = horizon.fit_agents(tasks), horizon.fit_agents(tasks, weight_total="one")
    return tasks, agents, published, ours, before


def test_stronger_penalty_inflated_longer_horizons_most(methods):
    # methods.md: "the longer the horizon, the more it was inflated"; fig-revision caption
    _, _, _, ours, before = methods
    ratio = np.log(before.set_index("agent")["p50"] / ours.set_index("agent")["p50"])
    assert np.corrcoef(np.log(ours.set_index("agent")["p50"]), ratio)[0, 1] > 0.5


def test_bootstrap_matches_metr_and_runs_add_little(methods):
    # methods.md: "closely match METR's published ones" and "the run level adds little"
    tasks, agents, published, ours, _ = methods
    counts = horizon.task_multiplicities(tasks, PARAMS.rng("methods/task_bootstrap"), 200)
    with_runs = horizon.bootstrap_horizons(tasks, counts, rng=PARAMS.rng("methods/run_bootstrap"))
    without = horizon.bootstrap_horizons(tasks, counts)
    bounds = with_runs.quantile([0.025, 0.975]).T.set_axis(["low", "high"], axis=1).rename_axis("agent").reset_index()
    assert 0.8 < horizon.width_ratio(bounds, published, agents).median() < 1.25
    widths = [np.diff(np.percentile(horizon.bootstrap_doubling(b, published, agents, since=SINCE_2023,
                                                                max_minutes=PARAMS.max_minutes), [2.5, 97.5]))[0]
              for b in (with_runs, without)]
    assert widths[0] / widths[1] < 1.2


def test_every_modelling_choice_stays_inside_the_interval(methods):
    # methods.md fig-multiverse: "leaves the since-2023 doubling time inside the bootstrap interval"
    tasks, agents, published, _, _ = methods
    summary = horizon.summarise_multiverse(horizon.multiverse(tasks), published, agents, since=SINCE_2023,
                                           max_minutes=PARAMS.max_minutes)
    block = metr.load_published_doubling(metr.latest_release("1.1")).set_index("window").loc["from_2023_on"]
    assert summary["doubling_days"].between(block["ci_low"], block["ci_high"]).all()


def test_no_horizon_is_beyond_the_longest_task_yet(methods):
    # methods.md: "No agent's horizon yet lies beyond the longest task"
    tasks, _, _, ours, _ = methods
    assert not horizon.saturation(tasks, ours)["beyond_longest"].any()


def test_march_file_differs_only_through_the_three_oldest_models():
    # trend.md: the March 2026 file lists the oldest models with original-suite values, which is
    # why its all-time fit misses METR's stitched figure; with today's values it matches exactly.
    march = metr.load_horizons(release="v1.1_2026-03-03").set_index("model")
    today = metr.load_horizons("1.1").set_index("model")
    oldest = ["gpt2", "davinci_002", "gpt_3_5_turbo_instruct"]
    original = metr.load_horizons("1.0").set_index("model")
    assert (march.loc[oldest, "p50"] == original.loc[oldest, "p50"]).all()
    stitched = march.copy()
    stitched.loc[oldest, "p50"] = today.loc[oldest, "p50"]
    published = metr.load_published_doubling("v1.1_2026-03-03").set_index("window").loc["all_time_stitched", "point_estimate"]
    assert round(trend.fit_trend(stitched.reset_index(), max_minutes=PARAMS.max_minutes).doubling_days, 3) == published


def test_interval_levels_named_in_prose_match_the_parameters():
    # Every chapter says "95% CI" / "95% interval", and the backtest table says "80% interval
    # coverage": if these parameters change, the prose must change with them.
    assert PARAMS.confidence == 0.95
    assert PARAMS.backtest_interval == 0.8
