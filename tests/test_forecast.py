"""Milestone dates, arrival distributions and their in-browser twin."""

import dataclasses

import altair as alt
import numpy as np
import pandas as pd
import pytest
from conftest import rendered_texts
from conftest import exponential_horizons
from scipy import optimize, stats

from analysis import charts, eras, forecast, trend
from analysis.chapters.timelines import explorer_draws


def test_milestone_date_of_exact_exponential():
    # 60 minutes on 2025-01-01, doubling every 100 days: 2,400 minutes is log2(40) = 5.32 doublings
    # later, 532.19 days, i.e. on 2026-06-17.
    horizons = exponential_horizons(100.0, n=4, start="2025-01-01", span_days=300, p50_at_start=60.0)
    fit = trend.fit_trend(horizons, max_minutes=None)
    assert forecast.milestone_date(fit, 2400).normalize() == pd.Timestamp("2026-06-17")


def test_milestone_date_of_a_flat_trend_is_never():
    horizons = exponential_horizons(100.0, n=5)
    horizons["p50"] = 30.0
    assert pd.isna(forecast.milestone_date(trend.fit_trend(horizons, max_minutes=None), 100.0))


def _draws():
    line = pd.DataFrame({"scenario": "L", "metric": "p50", "kind": "line", "a": [0.0, 0.0, 0.0], "b": [0.01, 0.02, -0.01],
                         "y0": np.nan, "d0": np.nan, "shrink": np.nan, "x0": np.nan})
    curve = pd.DataFrame({"scenario": "S", "metric": "p50", "kind": "super", "a": np.nan, "b": np.nan,
                          "y0": [0.0, 1.0], "d0": [200.0, 100.0], "shrink": [0.1, 0.0], "x0": [0.0, 50.0]})
    return forecast.with_weights(pd.concat([line, curve], ignore_index=True), {"L": 1.0, "S": 3.0})


def test_arrival_days_closed_forms():
    arrival = forecast.arrival_days(_draws(), minutes=2.0**3)
    # line: (3 - 0) / b -> 300 and 150 days; a shrinking line never arrives
    assert arrival[:2] == pytest.approx([300.0, 150.0]) and np.isinf(arrival[2])
    # superexponential: 3 doublings of 200, 180, 162 days end at 542; with shrink 0, 2 doublings of 100 after day 50
    assert arrival[3:] == pytest.approx([542.0, 250.0])
    curve = _draws().iloc[3]
    assert eras.superexponential_curve(np.array([arrival[3]]), curve.y0, curve.d0, curve.shrink, curve.x0) == pytest.approx([3.0])


def test_weights_sum_to_one():
    draws = _draws()
    assert draws.groupby("scenario")["w_scenario"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert draws["w_mixture"].sum() == pytest.approx(1.0)
    assert draws.loc[draws["scenario"] == "S", "w_mixture"].sum() == pytest.approx(0.75)


def test_probability_by_is_a_monotone_distribution_function():
    draws = _draws()
    days = np.arange(-100, 1000, 7)
    values = [forecast.probability_by(trend.DAY0 + pd.Timedelta(days=int(d)), draws, minutes=8.0, metric="p50") for d in days]
    assert np.all(np.diff(values) >= 0) and values[0] == 0
    # by day 600 every draw has arrived except the shrinking line (mixture weight 1/4 * 1/3)
    assert values[-1] == pytest.approx(1 - 1 / 12)
    assert forecast.probability_by(trend.DAY0 + pd.Timedelta(days=200), draws, minutes=8.0, metric="p50", scenario="L") == pytest.approx(1 / 3)


def test_arrival_quantiles_are_ordered(rng, params):
    horizons = exponential_horizons(150.0, n=14)
    horizons["p50"] *= 2.0 ** rng.normal(0, 0.4, len(horizons))
    horizons[["p50_low", "p50_high"]] = np.column_stack([horizons["p50"] / 2, horizons["p50"] * 2])
    horizons["p80"] = horizons["p50"] / 4
    horizons[["p80_low", "p80_high"]] = np.column_stack([horizons["p80"] / 2, horizons["p80"] * 2])
    draws = forecast.scenario_draws(horizons, dataclasses.replace(params, max_minutes=1e9), rng, n_draws=200,
                                    weights=dict(params.judgement_weights))
    for scenario in [None, "Exponential, all time", "Superexponential", "Latest era continues"]:
        low, mid, high = forecast.arrival_quantiles(draws, minutes=50_000, metric="p50", scenario=scenario)
        assert low <= mid <= high


def test_scenario_draws_reproduce_the_fits(rng, params):
    horizons = exponential_horizons(120.0, n=14)
    draws = forecast.scenario_draws(horizons, dataclasses.replace(params, max_minutes=1e9), rng, n_draws=100)
    exact = draws[(draws["scenario"] == "Exponential, all time") & (draws["metric"] == "p50")]
    assert exact["b"].to_numpy() == pytest.approx(1 / 120)  # exact data: every bootstrap slope is the truth
    assert set(draws["scenario"]) == set(params.scenarios)


def _texts(chart) -> list[str]:
    """The text marks of a chart as rendered by vl-convert (the same Vega runtime as the page)."""
    return rendered_texts(chart.to_dict())


@pytest.mark.parametrize("kind", ["model", "line"])
def test_browser_readout_matches_python(rng, params, kind):
    # Render the explorer and read its text mark: the month-level read-out (end of March 2026) must
    # be the Python probability for the same kind of arrival, formatted as the prose formats it.
    horizons = exponential_horizons(150.0, n=14)
    horizons["p50"] *= 2.0 ** rng.normal(0, 0.4, len(horizons))
    horizons[["p50_low", "p50_high"]] = np.column_stack([horizons["p50"] / 2, horizons["p50"] * 2])
    weights = dict(params.judgement_weights)
    draws = forecast.scenario_draws(horizons, dataclasses.replace(params, max_minutes=1e9), rng, n_draws=60,
                                    weights=weights)
    table, labels = explorer_draws(draws)
    codes = {label: code for code, label in labels.items()}
    chart = charts.arrival_explorer_chart(
        table, scenarios=labels, weights={"Judgement": {codes[n]: w for n, w in weights.items()}}, scatter=0.7,
        hours=20, max_hours=2000, presets={"day": 8.0}, by_month="2026-03", first_year=2024, last_year=2030,
        today=pd.Timestamp("2026-12-02"), today_label="Today", title="t", description="d", width=300)
    spec = chart.to_dict()
    for param in spec["params"]:
        if param["name"] == "kind":
            param["value"] = kind
    scatter = 0.7 if kind == "model" else None
    expected = forecast.probability_by("2026-03-31", draws, minutes=20 * 60, metric="p50", scatter=scatter)
    assert 0.01 < expected < 0.99  # a read-out that the formatting does not cap
    phrase = "a measured model shows" if kind == "model" else "the trend line reaches"
    assert f"P({phrase} 20 h by Mar 2026) = {100 * expected:.0f}%" in _texts(alt.Chart.from_dict(spec))


def test_probability_for_a_measured_model_closed_form():
    # One line draw, log2 horizon = 0.01 x: at day 300 the line is at 3 doublings (8 minutes). A model
    # scattered N(0, 0.5^2) doublings about it shows 16 minutes (4 doublings) with probability
    # P(Z > (4 - 3) / 0.5) = 1 - Phi(2) = 0.02275; the line itself has not reached 16 minutes.
    draws = forecast.with_weights(pd.DataFrame({
        "scenario": "L", "metric": "p50", "kind": "line", "a": [0.0], "b": [0.01],
        "y0": np.nan, "d0": np.nan, "shrink": np.nan, "x0": np.nan}), {"L": 1.0})
    date = trend.DAY0 + pd.Timedelta(days=300)
    assert forecast.probability_by(date, draws, minutes=16.0, metric="p50", scatter=0.5) == pytest.approx(0.0227501, abs=1e-6)
    assert forecast.probability_by(date, draws, minutes=16.0, metric="p50") == 0.0
    # at the line itself a model is as likely above as below
    assert forecast.probability_by(date, draws, minutes=8.0, metric="p50", scatter=0.5) == pytest.approx(0.5)


def test_per_scenario_probabilities_reproduce_the_mixture():
    # the mixture of probabilities is the weighted sum of per-scenario probabilities (weights 1/4, 3/4)
    draws = _draws()
    date = trend.DAY0 + pd.Timedelta(days=260)
    for scatter in (None, 0.6):
        per = {s: forecast.probability_by(date, draws, minutes=8.0, metric="p50", scenario=s, scatter=scatter) for s in "LS"}
        mixture = forecast.probability_by(date, draws, minutes=8.0, metric="p50", scatter=scatter)
        assert mixture == pytest.approx(0.25 * per["L"] + 0.75 * per["S"])


def test_log2_at_matches_the_curve_formula():
    draws = _draws()
    x = 123.0
    expected = [0.01 * x, 0.02 * x, -0.01 * x,
                eras.superexponential_curve(np.array([x]), 0.0, 200.0, 0.1, 0.0)[0],
                eras.superexponential_curve(np.array([x]), 1.0, 100.0, 0.0, 50.0)[0]]
    assert forecast.log2_at(draws, x) == pytest.approx(expected)


def test_singularity_closed_form():
    # first doubling 200 days, each next one 10% shorter: all doublings take 200 / 0.1 = 2,000 days
    draws = _draws()
    days = forecast.singularity_days(draws)
    assert days[0] == pytest.approx(2000.0) and np.isinf(days[1])  # shrink 0: no singularity
    curve = draws.iloc[3]
    before, after = eras.superexponential_curve(np.array([1999.0, 2001.0]), curve.y0, curve.d0, curve.shrink, curve.x0)
    assert np.isfinite(before) and np.isinf(after)


def test_stacking_weights_maximise_the_log_score():
    # Two scenarios, errors known: the optimum of sum log(w p1 + (1 - w) p2) over w, found by scipy
    # on a bounded scalar problem, must equal the EM fixed point.
    errors = pd.DataFrame({"A": [0.1, -0.4, 1.2, 0.3, -1.0, 0.8], "B": [1.0, 0.6, 0.2, -0.9, 0.4, 1.5]})
    scale = 0.7
    p1, p2 = (stats.norm.pdf(errors[c], scale=scale) for c in "AB")
    best = optimize.minimize_scalar(lambda w: -np.log(w * p1 + (1 - w) * p2).sum(), bounds=(0, 1), method="bounded",
                                    options={"xatol": 1e-10})
    weights = forecast.stacking_weights(errors, scale)
    assert weights.sum() == pytest.approx(1.0)
    assert weights["A"] == pytest.approx(best.x, abs=1e-5)
    assert forecast.log_score(errors, weights, scale) == pytest.approx(-best.fun / len(errors))


def test_stacking_puts_everything_on_a_scenario_that_is_always_closer():
    errors = pd.DataFrame({"A": [0.1, -0.1, 0.05], "B": [2.0, 2.5, 1.8]})
    assert forecast.stacking_weights(errors, 0.5)["A"] == pytest.approx(1.0, abs=1e-6)


def test_claim_status_is_passed_exactly_before_as_of():
    claims = pd.DataFrame({"target_date": pd.to_datetime(["2026-12-01", "2026-12-02", "2026-12-03"])})
    assert forecast.claim_status(claims, "2026-12-02").tolist() == ["passed", "open", "open"]


def test_reached_milestones_names_the_first_model():
    horizons = exponential_horizons(100.0, n=5, start="2025-01-01", span_days=400, p50_at_start=60.0)
    # p50 = 60 * 2 ** (day / 100) at days 0, 100, ..., 400: 60, 120, 240, 480, 960 minutes
    reached = forecast.reached_milestones(horizons, {"work-day": 480.0, "work-week": 2400.0}).set_index(["milestone", "metric"])
    assert reached.loc[("work-day", "p50"), "model"] == "Model 3"
    assert reached.loc[("work-day", "p50"), "measured_min"] == pytest.approx(480.0)
    assert not reached.loc[("work-week", "p50"), "reached"]
    assert not reached.loc[("work-day", "p80"), "reached"]  # p80 = p50 / 4 stays below a work-day
