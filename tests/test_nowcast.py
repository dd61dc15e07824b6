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


# ------------------------------------------------------------ calibration (split-conformal widening)


def test_conformal_factor_by_hand():
    # m = 5 ratios, level 0.8: rank ceil((5 + 1) * 0.8) = ceil(4.8) = 5, the largest: 1.5.
    assert nowcast.conformal_factor([0.5, 1.2, 0.8, 1.5, 0.9], 0.8) == (1.5, 5, True)
    # level 0.5: rank ceil(3.0) = 3 -> 0.9, floored at 1 (never narrower than the classical interval).
    assert nowcast.conformal_factor([0.5, 1.2, 0.8, 1.5, 0.9], 0.5) == (1.0, 5, True)
    # m = 3 at 0.8: rank ceil(3.2) = 4 > 3, no finite conformal quantile: the largest ratio, flagged.
    assert nowcast.conformal_factor([0.2, 0.4, 1.3], 0.8) == (1.3, 3, False)


def _independent_sequential(points, level, min_train):
    """The calibrated one-step-ahead backtest recomputed from scratch with scipy's linregress and the
    closed-form prediction interval; returns (classical hits, calibrated hits, factors)."""
    points = points.sort_values("release_date").reset_index(drop=True)
    x_all, y_all = points["eci"].to_numpy(float), np.log2(points["p50"].to_numpy(float))
    dates = points["release_date"].to_numpy()

    def ratio(i):
        train = dates < dates[i]
        x, y = x_all[train], y_all[train]
        fit = stats.linregress(x, y)
        n = len(x)
        s = np.sqrt(((y - fit.intercept - fit.slope * x) ** 2).sum() / (n - 2))
        half = stats.t.ppf(0.5 + level / 2, n - 2) * s * np.sqrt(1 + 1 / n + (x_all[i] - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
        return abs(y_all[i] - fit.intercept - fit.slope * x_all[i]) / half

    ratios = {i: ratio(i) for i in range(len(points)) if (dates < dates[i]).sum() >= min_train}
    classical, calibrated, factors = [], [], []
    for i, r in ratios.items():
        earlier = sorted(v for j, v in ratios.items() if dates[j] < dates[i])
        m, rank = len(earlier), int(np.ceil((len(earlier) + 1) * level))
        factor = 1.0 if m == 0 else max(1.0, earlier[rank - 1] if rank <= m else earlier[-1])
        classical.append(r <= 1)
        calibrated.append(r <= factor)
        factors.append(factor)
    return classical, calibrated, factors


def test_calibrated_sequential_backtest_coverage_is_pinned_and_recomputed():
    result = nowcast.sequential_backtest(0.8, min_train=PARAMS.nowcast_min_train)
    summary = nowcast.backtest_summary(result)
    # On METR v1.1 and Epoch's 30 Jul ECI: the classical t intervals covered 8 of 12 models one step
    # ahead, the calibrated ones (factor from earlier models' misses only) 10 of 12.
    assert (summary["n"], summary["coverage_classical"], summary["coverage"]) == (12, 8 / 12, 10 / 12)
    points = nowcast.bridge_points(metr.load_horizons("1.1"), benchmarks.load_crosswalk(), benchmarks.load_eci())
    classical, calibrated, factors = _independent_sequential(points, 0.8, PARAMS.nowcast_min_train)
    assert sum(classical) == result["covered_classical"].sum() and sum(calibrated) == result["covered"].sum()
    assert result["calibration_factor"].to_numpy() == pytest.approx(factors)


def test_nowcast_is_widened_by_the_conformal_factor_of_all_one_step_misses():
    points = nowcast.bridge_points(metr.load_horizons("1.1"), benchmarks.load_crosswalk(), benchmarks.load_eci())
    # All 12 one-step ratios: rank ceil(13 * 0.8) = 11 of 12.
    result = nowcast.nowcast_horizons()
    factor = result["calibration_factor"].iloc[0]
    errors = nowcast.one_step_errors(points, 0.8, PARAMS.nowcast_min_train)
    assert len(errors) == 12 and factor == pytest.approx(np.sort(errors["miss_ratio"])[10])
    assert factor > 1
    widened = np.log2(result["p50_high_bridge"] / result["p50_low_bridge"])
    classical = np.log2(result["p50_high_classical"] / result["p50_low_classical"])
    assert widened.to_numpy() == pytest.approx(factor * classical.to_numpy())


def test_calibration_never_sees_models_after_the_origin():
    # Editing a model released after `until` changes no interval of the single-origin backtest.
    until = PARAMS.nowcast_backtest_until
    horizons = metr.load_horizons("1.1")
    edited = horizons.copy()
    edited.loc[edited["model"] == "gpt_5_4", ["p50", "p50_low", "p50_high"]] = [50.0, 40.0, 60.0]
    a, b = nowcast.backtest(until), nowcast.backtest(until, horizons=edited)
    assert a["calibration_factor"].iloc[0] == b["calibration_factor"].iloc[0]
    pd.testing.assert_series_equal(a["p50_low"], b["p50_low"])


# ------------------------------------------------------------ models after Epoch's file (ECI snapshots)


def test_snapshot_models_are_nowcast_with_their_release_date_source():
    result = nowcast.nowcast_horizons().set_index("model")
    for column in ("eci_source", "eci_reported", "eci_shift", "eci_sd", "eci_sd_interval", "eci_sd_rounding",
                   "eci_sd_refit", "release_date_basis", "p50_low_bridge", "p50_high_bridge"):
        assert column in result.columns
    astra, fable = result.loc["GPT-6 Astra"], result.loc["Claude Fable 5.1"]
    assert astra["release_date"] == pd.Timestamp("2026-09-03") and "F13" in astra["release_date_basis"]
    assert fable["release_date"] == pd.Timestamp("2026-09-01") and "F13" in fable["release_date_basis"]
    assert "F14" in astra["eci_source"] and result.loc["GPT-5.6 Sol", "eci_sd"] == 0


def test_snapshot_score_on_the_bridge_scale_by_hand():
    # The 8 Sep page against Epoch's 30 Jul file, models both hold (typed from the two files):
    # Fable 5 163 - 160.73, Opus 5 163 - 159.38, GPT-5.5 Pro 162 - 160.86, GPT-5.6 Sol 162 - 161.72.
    shifts = np.array([163 - 160.73, 163 - 159.38, 162 - 160.86, 162 - 161.72])
    mean = shifts.mean()  # 1.8275
    refit = np.sqrt((shifts.var(ddof=1) - 1 / 12) * (1 + 1 / 4))  # the refit's spread net of rounding
    interval = (172 - 163) / (2 * 1.959964)  # Astra's 95% interval [163, 172]
    astra = nowcast.nowcast_horizons().set_index("model").loc["GPT-6 Astra"]
    assert astra["eci"] == pytest.approx(167 - mean) and astra["eci_shift"] == pytest.approx(1.8275)
    assert astra["eci_sd_refit"] == pytest.approx(refit) and astra["eci_sd_interval"] == pytest.approx(interval, rel=1e-6)
    assert astra["eci_sd"] == pytest.approx(np.sqrt(refit**2 + interval**2 + 1 / 12), rel=1e-6)
    # The whole interval: sqrt(h_bridge² + (z · slope · sd)²) in log2, z the normal 90% quantile.
    bridge = nowcast.fit_bridge(nowcast.bridge_points(metr.load_horizons("1.1"), benchmarks.load_crosswalk(),
                                                      benchmarks.load_eci()))
    h_bridge = np.log2(astra["p50_high_bridge"] / astra["p50_pred"])
    half = np.sqrt(h_bridge**2 + (stats.norm.ppf(0.9) * bridge.slope * astra["eci_sd"]) ** 2)
    assert np.log2(astra["p50_high"] / astra["p50_pred"]) == pytest.approx(half)


def test_every_new_models_interval_is_at_least_as_wide_as_the_bridges_alone():
    result = nowcast.nowcast_horizons()
    total = np.log2(result["p50_high"] / result["p50_low"])
    bridge = np.log2(result["p50_high_bridge"] / result["p50_low_bridge"])
    classical = np.log2(result["p50_high_classical"] / result["p50_low_classical"])
    assert (total >= bridge - 1e-12).all() and (bridge >= classical - 1e-12).all()
    later = result["eci_sd"] > 0
    assert later.sum() == 2 and (total[later] > bridge[later]).all()


def test_a_snapshot_without_enough_common_models_is_refused():
    snapshots = benchmarks.load_eci_snapshots()
    one = snapshots[(snapshots["snapshot"] == pd.Timestamp("2026-09-08"))
                    & snapshots["model_name"].isin(["GPT-6 Astra", "GPT-5.6 Sol"])]
    with pytest.raises(ValueError, match="2026-09-08: 1 model"):
        nowcast.snapshot_scores(one, benchmarks.load_eci())
