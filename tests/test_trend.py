"""The exponential trend: closed-form cases, scipy cross-checks, interval coverage, METR reproduction."""

import time

import numpy as np
import pandas as pd
import pytest
from conftest import exponential_horizons
from scipy import stats

from analysis import metr, paths, trend

PUBLISHED_FILES = [
    "benchmark_results_1_1.yaml",
    "history/benchmark_results_1_1_2026-01-30.yaml",
    "history/benchmark_results_1_1_2026-03-03.yaml",
]


def test_doubling_time_of_exact_exponential():
    # p50 = 10 * 2 ** (t / 200): log2(p50) is linear in t with slope 1/200, so doubling = 200 days.
    fit = trend.fit_trend(exponential_horizons(200.0))
    assert fit.doubling_days == pytest.approx(200.0)
    assert fit.doublings_per_year == pytest.approx(365.25 / 200)
    assert fit.r2 == pytest.approx(1.0)


def test_fitted_line_passes_through_exact_points():
    horizons = exponential_horizons(150.0)
    fit = trend.fit_trend(horizons)
    assert fit.predict_minutes(horizons["release_date"]) == pytest.approx(horizons["p50"].to_numpy())


def test_p80_metric_uses_its_own_column():
    # p80 = p50 / 4 shifts the line down by 2 doublings but keeps the slope.
    horizons = exponential_horizons(120.0)
    p50_fit, p80_fit = trend.fit_trend(horizons), trend.fit_trend(horizons, metric="p80")
    assert p80_fit.doubling_days == pytest.approx(120.0)
    assert p50_fit.intercept_log2 - p80_fit.intercept_log2 == pytest.approx(2.0)


def test_t_interval_matches_scipy_linregress():
    horizons = exponential_horizons(180.0, n=15)
    noise = np.random.default_rng(7).normal(0, 0.6, len(horizons))
    horizons["p50"] = horizons["p50"] * 2.0**noise
    horizons["p50_low"], horizons["p50_high"] = horizons["p50"] / 2, horizons["p50"] * 2
    fit = trend.fit_trend(horizons, confidence=0.9)
    x = trend.days_since_origin(horizons["release_date"])
    reference = stats.linregress(x, np.log2(horizons["p50"]))
    half = stats.t.ppf(0.95, len(x) - 2) * reference.stderr
    assert fit.slope_per_day == pytest.approx(reference.slope)
    assert fit.slope_ci == pytest.approx((reference.slope - half, reference.slope + half))
    assert fit.r2 == pytest.approx(reference.rvalue**2)


def test_vectorised_slopes_match_polyfit(rng):
    x = rng.uniform(0, 1000, size=(4, 9))
    y = rng.normal(size=(4, 9))
    slopes, intercepts = trend.ols_slopes(x, y)
    for row in range(4):
        slope, intercept = np.polyfit(x[row], y[row], 1)
        assert slopes[row] == pytest.approx(slope) and intercepts[row] == pytest.approx(intercept)


def test_slope_at_or_below_zero_has_no_finite_doubling():
    assert trend.doubling_days_from_slope(0.0) == float("inf")
    assert trend.doubling_days_from_slope(-0.01) == float("inf")
    # a slope interval straddling zero: shortest time from the fastest slope, the other end infinite
    assert trend.doubling_interval(-0.001, 0.01) == (pytest.approx(100.0), float("inf"))


def test_shrinking_trend_reports_infinite_doubling(rng):
    horizons = exponential_horizons(100.0)
    horizons["p50"] = horizons["p50"].to_numpy()[::-1]
    horizons["p50_low"], horizons["p50_high"] = horizons["p50"] / 2, horizons["p50"] * 2
    fit = trend.fit_trend(horizons, max_minutes=None, rng=rng, n_bootstrap=200)
    assert fit.doubling_days == float("inf")
    assert all(d > 0 for d in fit.doubling_days_ci)


def test_bootstrap_on_exact_data_has_zero_width(rng):
    fit = trend.fit_trend(exponential_horizons(200.0), rng=rng, n_bootstrap=300)
    assert fit.doubling_days_ci == pytest.approx((200.0, 200.0))


def test_redrawing_within_published_ci_widens_the_interval(rng):
    # Exact points: resampling models alone gives zero width; measurement error adds width.
    fit = trend.fit_trend(exponential_horizons(200.0), rng=rng, n_bootstrap=2000, redraw_within_ci=True)
    low, high = fit.doubling_days_ci
    assert low < 190 and high > 210


def test_same_seed_same_interval():
    horizons = exponential_horizons(150.0)
    horizons["p50"] *= 2.0 ** np.random.default_rng(1).normal(0, 0.5, len(horizons))
    horizons["p50_low"], horizons["p50_high"] = horizons["p50"] / 2, horizons["p50"] * 2
    first = trend.fit_trend(horizons, rng=np.random.default_rng(3), n_bootstrap=500)
    second = trend.fit_trend(horizons, rng=np.random.default_rng(3), n_bootstrap=500)
    assert first.doubling_days_ci == second.doubling_days_ci


def test_ten_thousand_resamples_well_under_a_second(rng):
    horizons = exponential_horizons(150.0, n=17)
    start = time.perf_counter()
    trend.fit_trend(horizons, rng=rng, n_bootstrap=10_000)
    assert time.perf_counter() - start < 1.0


def test_bootstrap_interval_coverage_is_near_nominal():
    # Seeded simulation: 15 frontier models over 3 years, log2 noise sd 0.7, true doubling 150 days.
    # A percentile bootstrap over 15 points undercovers slightly; anything from 88% to 98% is fine.
    rng = np.random.default_rng(2026)
    true_slope = 1 / 150
    horizons = exponential_horizons(150.0, n=15, span_days=1100)
    exact = horizons["p50"].to_numpy()
    covered = 0
    n_simulations = 300
    for _ in range(n_simulations):
        horizons["p50"] = exact * 2.0 ** rng.normal(0, 0.7, len(exact))
        horizons["p50_low"], horizons["p50_high"] = horizons["p50"] / 2, horizons["p50"] * 2
        fit = trend.fit_trend(horizons, max_minutes=None, rng=rng, n_bootstrap=1000)
        covered += fit.slope_ci[0] <= true_slope <= fit.slope_ci[1]
    assert 0.88 <= covered / n_simulations <= 0.98


def test_selection_applies_frontier_window_and_ceiling():
    horizons = exponential_horizons(100.0, n=10, p50_at_start=100.0)
    horizons.loc[2, "is_sota"] = False
    selected = trend.select_points(horizons, since="2023-06-01", until="2025-01-01", max_minutes=960)
    assert "m2" not in set(selected["model"])
    assert selected["release_date"].between("2023-06-01", "2025-01-01").all()
    assert (selected["p50"] <= 960).all()
    assert len(trend.select_points(horizons, frontier_only=False, max_minutes=None)) == 10


def test_ceiling_uses_p50_even_for_p80_fits():
    horizons = exponential_horizons(100.0, n=10, p50_at_start=100.0)
    p80_points = trend.select_points(horizons, metric="p80", max_minutes=960)
    assert p80_points["p50"].max() <= 960


def test_too_few_models_is_an_error():
    with pytest.raises(ValueError, match="at least 3 models"):
        trend.fit_trend(exponential_horizons(100.0, n=2))


def test_band_contains_the_fitted_line(rng):
    horizons = exponential_horizons(150.0)
    horizons["p50"] *= 2.0 ** rng.normal(0, 0.5, len(horizons))
    horizons["p50_low"], horizons["p50_high"] = horizons["p50"] / 2, horizons["p50"] * 2
    line = trend.fit_trend(horizons, rng=rng, n_bootstrap=500).line
    assert (line["band_low_min"] <= line["fitted_min"] * 1.0001).all()
    assert (line["fitted_min"] <= line["band_high_min"] * 1.0001).all()


# ------------------------------------------------------------ METR's published figures


@pytest.mark.parametrize("release", ["v1.0_2026-01-30", "v1.1_2026-01-30", "v1.1_2026-03-03", "v1.1_2026-05-08"])
def test_reproduces_metr_since_2023_to_three_decimals(release):
    # METR's own figures: 165.251 (v1.0, stated in its later copy), 130.801, 128.744, 128.744.
    expected = {"v1.0_2026-01-30": 165.251, "v1.1_2026-01-30": 130.801}.get(release, 128.744)
    fit = trend.fit_trend(metr.load_horizons(release=release), since="2023-01-01")
    assert round(fit.doubling_days, 3) == expected


@pytest.mark.skipif(not paths.SHARED_METR.exists(), reason="upstream METR files not available")
@pytest.mark.parametrize("name", PUBLISHED_FILES)
def test_reproduces_metr_block_straight_from_upstream_files(name):
    """From any METR file with a doubling block, not only the tables this repository commits."""
    path = paths.SHARED_METR / name
    horizons = metr.read_benchmark_yaml(path)
    published = metr.read_published_doubling(path).set_index("window")["point_estimate"]
    since_2023 = trend.fit_trend(horizons, since="2023-01-01").doubling_days
    all_time = trend.fit_trend(horizons).doubling_days
    assert round(since_2023, 3) == published["from_2023_on"]
    assert all_time == pytest.approx(published["all_time_stitched"], rel=0.02)


def test_doubling_table_lines_up_with_published_block(params, rng):
    release = "v1.1_2026-05-08"
    fits = trend.fit_windows(metr.load_horizons(release=release), params, rng)
    table = trend.doubling_table(fits, metr.load_published_doubling(release)).set_index(["window", "metric"])
    assert table.loc[("from_2023_on", "p50"), "metr_days"] == 128.744
    assert table.loc[("all_time", "p50"), "difference_pct"] == pytest.approx(0, abs=0.01)
    assert pd.isna(table.loc[("from_2024_on", "p50"), "metr_days"])
    assert len(table) == len(params.windows) * 2
