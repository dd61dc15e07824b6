"""Eras: breakpoint recovery, the acceleration test's size, growth-model selection, backtests, verdicts."""

import numpy as np
import pandas as pd
import pytest
from conftest import exponential_horizons

from analysis import eras, trend


def frontier_series(log2_minutes: np.ndarray, dates: pd.DatetimeIndex) -> pd.DataFrame:
    p50 = 2.0**log2_minutes
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(len(p50))], "display_name": [f"Model {i}" for i in range(len(p50))],
            "release_date": dates, "benchmark": "1.1", "p50": p50, "p50_low": p50 / 2, "p50_high": p50 * 2,
            "p80": p50 / 4, "p80_low": p50 / 8, "p80_high": p50 / 2, "is_sota": True, "average_score": 0.5,
        }
    )


def two_era_series(rng, n=40, noise=0.3, before=220.0, after=110.0, break_date="2023-07-01"):
    # log2 horizon rises 1/before per day until the break and 1/after per day afterwards (joined).
    dates = pd.date_range("2019-01-01", "2026-01-01", periods=n)
    x = trend.days_since_origin(dates)
    tau = trend.days_since_origin([break_date])[0]
    y = -4 + x / before + np.maximum(x - tau, 0) * (1 / after - 1 / before)
    return frontier_series(y + rng.normal(0, noise, n), dates), tau


def test_recovers_a_known_break_and_both_rates():
    rng = np.random.default_rng(11)
    horizons, tau = two_era_series(rng)
    fit = eras.fit_breakpoint(horizons, max_minutes=None, rng=rng, n_bootstrap=300)
    assert abs(fit.break_days - tau) < 120  # within four months
    assert fit.doubling_days_before == pytest.approx(220, rel=0.15)
    assert fit.doubling_days_after == pytest.approx(110, rel=0.15)
    low, high = fit.break_date_ci
    assert low <= pd.Timestamp("2023-07-01") <= high


def test_exact_two_era_data_are_fitted_exactly():
    horizons, tau = two_era_series(np.random.default_rng(0), noise=0.0)
    fit = eras.fit_breakpoint(horizons, max_minutes=None, grid_step_days=1.0)
    assert abs(fit.break_days - tau) <= 1
    assert fit.doubling_days_before == pytest.approx(220, rel=1e-3)
    assert fit.doubling_days_after == pytest.approx(110, rel=1e-3)


def test_separate_segments_option_fits_two_lines():
    horizons, tau = two_era_series(np.random.default_rng(0), noise=0.0)
    fit = eras.fit_breakpoint(horizons, max_minutes=None, continuous=False, grid_step_days=1.0)
    assert fit.doubling_days_after == pytest.approx(110, rel=0.01)


def test_each_segment_keeps_its_minimum_of_models():
    horizons = exponential_horizons(100.0, n=9)
    fit = eras.fit_breakpoint(horizons, max_minutes=None, min_segment=4)
    x = trend.days_since_origin(horizons["release_date"])
    assert (x <= fit.break_days).sum() >= 4 and (x > fit.break_days).sum() >= 4
    with pytest.raises(ValueError, match="at least 10 models"):
        eras.fit_breakpoint(horizons, max_minutes=None, min_segment=5)


def test_acceleration_test_has_nominal_size_on_exponential_data():
    # Under a single exponential with normal noise, p < 0.05 should happen about 5% of the time.
    rng = np.random.default_rng(2024)
    dates = pd.date_range("2019-01-01", "2026-01-01", periods=17)
    x = trend.days_since_origin(dates)
    rejections, simulations = 0, 200
    for _ in range(simulations):
        horizons = frontier_series(-4 + x / 180 + rng.normal(0, 0.8, x.size), dates)
        rejections += eras.acceleration_test(horizons, max_minutes=None, rng=rng, n_null=199).p_value < 0.05
    assert 0.015 <= rejections / simulations <= 0.10


def test_acceleration_test_detects_a_real_break():
    rng = np.random.default_rng(5)
    horizons, _ = two_era_series(rng, n=20, noise=0.3, before=300, after=100)
    assert eras.acceleration_test(horizons, max_minutes=None, rng=rng, n_null=199).p_value < 0.01


def test_superexponential_curve_matches_its_definition():
    # First doubling 200 days, each next one 10% shorter: doublings end at 200, 380, 542 days.
    ends = np.array([200.0, 380.0, 542.0])
    assert eras.superexponential_curve(ends, 0.0, 200.0, 0.1, 0.0) == pytest.approx([1.0, 2.0, 3.0])
    # shrink = 0 is the exponential
    assert eras.superexponential_curve(np.array([300.0]), 1.0, 150.0, 0.0, 0.0) == pytest.approx([3.0])
    # past the singularity at d0 / shrink = 2000 days the horizon is infinite
    assert np.isinf(eras.superexponential_curve(np.array([2100.0]), 0.0, 200.0, 0.1, 0.0))[0]


def test_superexponential_fit_recovers_exact_parameters():
    x = np.linspace(0, 1500, 20)
    y = eras.superexponential_curve(x, -3.0, 250.0, 0.12, 0.0)
    fit = eras.fit_superexponential_model(x, y)
    y0, d0, shrink, x0 = fit.params
    assert (y0, d0, shrink, x0) == pytest.approx((-3.0, 250.0, 0.12, 0.0), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("truth", ["exponential", "two eras", "superexponential"])
def test_aicc_prefers_the_true_model_on_clean_data(truth):
    rng = np.random.default_rng(3)
    dates = pd.date_range("2019-01-01", "2026-01-01", periods=30)
    x = trend.days_since_origin(dates)
    if truth == "exponential":
        y = -4 + x / 200
    elif truth == "two eras":
        y = -4 + x / 250 + np.maximum(x - 1600, 0) * (1 / 100 - 1 / 250)
    else:
        y = eras.superexponential_curve(x, -4.0, 400.0, 0.15, x.min())
    horizons = frontier_series(y + rng.normal(0, 0.05, x.size), dates)
    table = eras.compare_growth_models(horizons, max_minutes=None, min_train=25).table
    assert table.loc[table["aicc"].idxmin(), "model"] == truth


def test_information_criteria_closed_form():
    # n = 10, SSE = 10, two mean parameters plus the variance: k = 3.
    # AIC = 10 ln(1) + 6 = 6; AICc = 6 + 2*3*4/(10-3-1) = 10; BIC = 0 + 3 ln(10).
    criteria = eras.information_criteria(10.0, 10, 2)
    assert criteria["aicc"] == pytest.approx(10.0)
    assert criteria["bic"] == pytest.approx(3 * np.log(10))


def test_backtest_on_exact_exponential_has_no_error():
    comparison = eras.compare_growth_models(exponential_horizons(150.0, n=14), max_minutes=None, min_train=8)
    exp_errors = comparison.backtest.query("model == 'exponential'")["error_log2"]
    assert len(exp_errors) > 0 and np.abs(exp_errors).max() < 1e-6
    assert (comparison.backtest["lead_days"] > 0).all()


def test_backtest_summary_columns():
    backtest = pd.DataFrame(
        {"model": ["a", "a", "b"], "error_log2": [1.0, -3.0, 2.0], "covered": [True, False, True]}
    )
    summary = eras.backtest_summary(backtest).set_index("model")
    assert summary.loc["a", "bias_log2"] == -1.0 and summary.loc["a", "mae_log2"] == 2.0
    assert summary.loc["a", "rmse_log2"] == pytest.approx(np.sqrt(5)) and summary.loc["a", "coverage"] == 0.5


def test_window_sweep_on_exact_exponential_is_flat(rng):
    sweep = eras.window_sweep(exponential_horizons(150.0, n=10), max_minutes=None, rng=rng, n_bootstrap=100)
    assert len(sweep) == 10 - 5 + 1
    assert sweep["doubling_days"].to_numpy() == pytest.approx(150.0)
    ends = eras.window_sweep(exponential_horizons(150.0, n=10), vary="end", max_minutes=None, rng=rng, n_bootstrap=100)
    assert ends["n_models"].tolist() == list(range(5, 11))


def test_jackknife_drops_each_model_once():
    horizons, _ = two_era_series(np.random.default_rng(1), n=12)
    jack = eras.jackknife(horizons, since="2023-01-01", max_minutes=None)
    assert sorted(jack["dropped"]) == sorted(horizons["display_name"])


def test_reliability_gap_sign(rng):
    # p80 = p50 / 2**(1 + t/365): the log2 ratio grows by exactly one per year, so the slope is +1.
    horizons = exponential_horizons(150.0, n=12)
    t = trend.days_since_origin(horizons["release_date"])
    horizons["p80"] = horizons["p50"] / 2.0 ** (1 + (t - t.min()) / 365.25)
    gap = eras.reliability_gap(horizons, max_minutes=None, rng=rng, n_bootstrap=200)
    assert gap.slope_per_year == pytest.approx(1.0)
    assert gap.slope_per_year_ci == pytest.approx((1.0, 1.0))


def test_claimed_days_units():
    assert eras.claimed_days(7, "months") == pytest.approx(7 * 365.25 / 12)
    with pytest.raises(ValueError, match="unknown unit"):
        eras.claimed_days(1, "weeks")


def test_judge_figures_on_synthetic_releases(rng):
    old, new = exponential_horizons(200.0, n=10), exponential_horizons(100.0, n=10)
    figures = pd.DataFrame(
        {"figure_id": ["right", "stale"], "claimed_value": [200.0, 200.0], "claimed_unit": ["days", "days"],
         "start": ["", ""], "end": ["", ""], "release": ["old", "old"]}
    )
    verdicts = eras.judge_figures(
        figures, {"old": old, "new": new}, "new", max_minutes=None, tolerance_pct=5, rng=rng,
        n_bootstrap=100, confidence=0.95,
    ).set_index("figure_id")
    assert verdicts.loc["right", "reproduces"] and not verdicts.loc["right", "survives"]
    assert verdicts.loc["right", "to_date_days"] == pytest.approx(100.0)
