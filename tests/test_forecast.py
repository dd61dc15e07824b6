"""Milestone dates, arrival distributions and their in-browser twin."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import vl_convert
from conftest import exponential_horizons

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
    draws = forecast.scenario_draws(horizons, dataclasses.replace(params, max_minutes=1e9), rng, n_draws=200)
    for scenario in [None, "Exponential, all time", "Superexponential", "Latest era continues"]:
        low, mid, high = forecast.arrival_quantiles(draws, minutes=50_000, metric="p50", scenario=scenario)
        assert low <= mid <= high


def test_scenario_draws_reproduce_the_fits(rng, params):
    horizons = exponential_horizons(120.0, n=14)
    draws = forecast.scenario_draws(horizons, dataclasses.replace(params, max_minutes=1e9), rng, n_draws=100)
    exact = draws[(draws["scenario"] == "Exponential, all time") & (draws["metric"] == "p50")]
    assert exact["b"].to_numpy() == pytest.approx(1 / 120)  # exact data: every bootstrap slope is the truth
    assert set(draws["scenario"]) == {name for name, _ in params.scenario_weights}


def test_browser_readout_matches_python(rng, params):
    # Render the explorer with vl-convert (the same Vega runtime as the page) and read its text mark.
    horizons = exponential_horizons(150.0, n=14)
    horizons["p50"] *= 2.0 ** rng.normal(0, 0.4, len(horizons))
    horizons[["p50_low", "p50_high"]] = np.column_stack([horizons["p50"] / 2, horizons["p50"] * 2])
    draws = forecast.scenario_draws(horizons, dataclasses.replace(params, max_minutes=1e9), rng, n_draws=60)
    table, labels, weights = explorer_draws(draws, dict(params.scenario_weights))
    chart = charts.arrival_explorer_chart(table, scenarios=labels, weights=weights, hours=20, by_year=2026,
                                          title="t", description="d", width=300)
    scenegraph = vl_convert.vegalite_to_scenegraph(chart.to_dict(), vl_version="v6.4")
    texts = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("marktype") == "text":
                texts.extend(item.get("text") for item in node.get("items", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(scenegraph)
    expected = forecast.probability_by("2026-01-01", draws, minutes=20 * 60, metric="p50")
    assert f"P(reached by 2026) = {100 * expected:.0f}%" in texts
