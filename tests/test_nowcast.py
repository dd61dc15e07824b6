"""The ECI -> horizon bridge: a hand-worked example, nominal coverage on synthetic data, a backtest
that never peeks past its origin, and the public API on the committed data."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import benchmarks, metr, nowcast, trend
from analysis.params import PARAMS


def _points(eci, log2_p50, start="2024-01-01"):
    eci = np.asarray(eci, dtype=float)
    return pd.DataFrame({
        "model": [f"m{i}" for i in range(len(eci))], "display_name": [f"Model {i}" for i in range(len(eci))],
        "release_date": pd.Timestamp(start) + pd.to_timedelta(np.arange(len(eci)) * 30, unit="D"),
        "is_sota": True, "eci": eci, "p50": 2.0 ** np.asarray(log2_p50, dtype=float),
    })


def test_hand_worked_example():
    # x = ECI 0, 1, 2 and y = log2 p50 = 0, 1, 3: x̄ = 1, ȳ = 4/3, Sxx = 2, Sxy = 3, so slope 3/2 and
    # intercept 4/3 - 3/2 = -1/6. Residuals 1/6, -1/3, 1/6 -> SSE = 1/6, s² = SSE / (n - 2) = 1/6.
    # At x0 = 3: ŷ = 13/3 and the spread is s·sqrt(1 + 1/3 + (3 - 1)²/2) = sqrt(1/6 · 10/3) = √5/3.
    # An 80% interval uses t(0.9, 1 df) = tan(0.4π) (the Cauchy quantile) = 3.0777.
    bridge = nowcast.fit_bridge(_points([0, 1, 2], [0, 1, 3]))
    assert bridge.slope == pytest.approx(1.5) and bridge.intercept == pytest.approx(-1 / 6)
    assert bridge.sigma == pytest.approx(np.sqrt(1 / 6))
    low, high = bridge.interval_log2([3.0], 0.8)
    half = np.tan(0.4 * np.pi) * np.sqrt(5) / 3
    assert low[0] == pytest.approx(13 / 3 - half) and high[0] == pytest.approx(13 / 3 + half)


def test_prediction_intervals_cover_at_the_nominal_rate():
    # y = 2 + 0.25 x + N(0, 0.5²), 15 models with x in [120, 160]; one new model per replicate, some
    # beyond the fitted range (x0 up to 170), where parameter uncertainty matters most. With 400
    # replicates the coverage of an 80% interval has sd sqrt(0.8 · 0.2 / 400) = 0.02; allow 3 sd.
    rng = np.random.default_rng(20260702)
    reps, level, hits = 400, 0.8, 0
    for _ in range(reps):
        x = rng.uniform(120, 160, size=15)
        y = 2 + 0.25 * x + rng.normal(0, 0.5, size=15)
        bridge = nowcast.fit_bridge(_points(x, y))
        x0 = rng.uniform(120, 170)
        y0 = 2 + 0.25 * x0 + rng.normal(0, 0.5)
        low, high = bridge.interval_log2([x0], level)
        hits += bool(low[0] <= y0 <= high[0])
    assert abs(hits / reps - level) <= 3 * np.sqrt(level * (1 - level) / reps)


def test_interval_without_parameter_uncertainty_would_be_narrower():
    # The interval must carry the bridge's own uncertainty: at a point far from x̄ it is wider than
    # ŷ ± t·s (residual scatter only).
    bridge = nowcast.fit_bridge(_points([0, 1, 2, 3, 4], [0, 1.2, 1.8, 3.1, 4.0]))
    low, high = bridge.interval_log2([10.0], 0.8)
    t = stats.t.ppf(0.9, df=3)
    assert (high[0] - low[0]) > 2 * t * bridge.sigma * 1.5


def test_bootstrap_interval_agrees_roughly_with_t_interval():
    rng = np.random.default_rng(7)
    x = rng.uniform(120, 160, size=20)
    bridge = nowcast.fit_bridge(_points(x, 2 + 0.25 * x + rng.normal(0, 0.5, size=20)))
    t_low, t_high = bridge.interval_log2([150.0], 0.8)
    b_low, b_high = nowcast.bootstrap_interval(bridge, [150.0], 0.8, np.random.default_rng(8), 4000)
    assert (b_high[0] - b_low[0]) == pytest.approx(t_high[0] - t_low[0], rel=0.25)


# ------------------------------------------------------------ backtest


def test_backtest_uses_no_model_released_after_until():
    until = "2025-06-30"
    result = nowcast.backtest(until)
    assert (result["release_date"] > pd.Timestamp(until)).all()
    assert (result["last_train_release"] <= pd.Timestamp(until)).all()
    points = nowcast.bridge_points(metr.load_horizons("1.1"), benchmarks.load_crosswalk(), benchmarks.load_eci())
    assert result["n_train"].iloc[0] == (points["release_date"] <= pd.Timestamp(until)).sum()
    # Changing a later model's measurement cannot change any prediction: the fit never saw it.
    horizons = metr.load_horizons("1.1")
    edited = horizons.copy()
    edited.loc[edited["model"] == "gpt_5_2", ["p50", "p50_low", "p50_high"]] = [900.0, 800.0, 950.0]
    again = nowcast.backtest(until, horizons=edited)
    pd.testing.assert_series_equal(result["p50_pred"], again["p50_pred"])
    pd.testing.assert_series_equal(result["p50_high"], again["p50_high"])


def test_backtest_summary_by_hand():
    frame = pd.DataFrame({"covered": [True, False, True, True], "error_log2": [1.0, -1.0, 0.5, 0.5], "level": 0.8})
    summary = nowcast.backtest_summary(frame)
    # 3 of 4 covered; mean error (1 - 1 + 0.5 + 0.5)/4 = 0.25 doublings = 2^0.25 = 1.19 times
    assert summary["coverage"] == 0.75 and summary["bias_log2"] == pytest.approx(0.25)
    assert summary["bias_ratio"] == pytest.approx(2**0.25)


def test_sequential_backtest_predicts_each_model_from_earlier_ones():
    result = nowcast.sequential_backtest(min_train=8)
    assert result["model"].is_unique
    assert (result["last_train_release"] < result["release_date"]).all()
    assert (result["n_train"] >= 8).all()


# ------------------------------------------------------------ the bridge on the real data, and the nowcast


def test_bridge_on_metr_v1_1():
    points = nowcast.bridge_points(metr.load_horizons("1.1"), benchmarks.load_crosswalk(), benchmarks.load_eci())
    assert (points["p50"] <= PARAMS.max_minutes).all()
    assert len(points) == 20 and not points["is_sota"].all()  # all models with ECI, frontier or not
    bridge = nowcast.fit_bridge(points)
    # Cross-check against scipy's OLS.
    reference = stats.linregress(points["eci"], np.log2(points["p50"]))
    assert bridge.slope == pytest.approx(reference.slope) and bridge.r2 == pytest.approx(reference.rvalue**2)
    assert bridge.r2 > 0.9


def test_nowcast_covers_every_post_april_frontier_model_with_an_eci_score():
    result = nowcast.nowcast_horizons()
    assert {"model", "release_date", "p50_pred", "p50_low", "p50_high", "level", "basis"} <= set(result.columns)
    newest_metr = metr.load_horizons("1.1")["release_date"].max()
    assert (result["release_date"] > newest_metr).all()
    assert (result["p50_low"] < result["p50_pred"]).all() and (result["p50_pred"] < result["p50_high"]).all()
    assert set(result["level"]) == {PARAMS.nowcast_level}
    # By hand from eci.csv: the post-April models within 3 ECI points of the earlier best.
    assert {"GPT-5.6 Sol", "Claude Opus 5", "Claude Opus 4.8", "Claude Opus 4.7", "GPT-5.5", "Claude Fable 5"} <= set(result["model"])
    assert "Kimi K3" not in set(result["model"])  # 155.59 against GPT-5.6 Sol's 161.72 a week before
    measured = set(benchmarks.load_crosswalk()["epoch_model_name"])
    assert not (set(result["model"]) & measured)


def test_nowcast_level_is_a_parameter():
    wide = nowcast.nowcast_horizons(dataclasses.replace(PARAMS, nowcast_level=0.95))
    narrow = nowcast.nowcast_horizons()
    assert (wide["p50_high"] > narrow["p50_high"]).all()
    pd.testing.assert_series_equal(wide["p50_pred"], narrow["p50_pred"])


def test_trend_prediction_interval_by_hand():
    # Three frontier models on an exact exponential plus a kink: check the interval against the
    # closed form t(n-2) · s · sqrt(1 + 1/n + (x0 - x̄)²/Sxx) computed here independently.
    frame = pd.DataFrame({
        "model": ["a", "b", "c", "d"], "display_name": list("ABCD"),
        "release_date": pd.to_datetime(["2024-01-01", "2024-07-01", "2025-01-01", "2025-07-01"]),
        "benchmark": "1.1", "p50": [10.0, 25.0, 35.0, 100.0], "p50_low": 1.0, "p50_high": 1000.0,
        "p80": 1.0, "p80_low": 0.5, "p80_high": 2.0, "is_sota": True, "average_score": 0.5,
    })
    fit = trend.fit_trend(frame, max_minutes=None)
    x = trend.days_since_origin(frame["release_date"])
    y = np.log2(frame["p50"].to_numpy())
    slope, intercept, *_ = stats.linregress(x, y)
    s = np.sqrt(((y - intercept - slope * x) ** 2).sum() / 2)
    x0 = trend.days_since_origin(["2026-01-01"])[0]
    half = stats.t.ppf(0.9, 2) * s * np.sqrt(1 + 1 / 4 + (x0 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    result = nowcast.trend_prediction(fit, ["2026-01-01"], 0.8)
    assert np.log2(result["trend_high_min"].iloc[0]) == pytest.approx(intercept + slope * x0 + half)
