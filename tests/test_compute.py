"""Statistics of training compute: the running frontier, growth fits, the horizon-compute slope, the scenario."""

import numpy as np
import pandas as pd
import pytest

from analysis import compute


def models(rows):
    return pd.DataFrame(rows, columns=["model", "organization", "publication_date", "training_compute_flop"]).assign(
        publication_date=lambda f: pd.to_datetime(f["publication_date"])
    )


def test_running_frontier_uses_only_the_past():
    table = models([
        ("a", "X", "2020-01-01", 1e20),
        ("b", "X", "2020-06-01", 1e19),  # smaller than a, but only 1 larger model exists yet: frontier for k=2
        ("c", "X", "2021-01-01", 1e18),  # two larger models before it: not frontier for k=2
        ("d", "X", "2022-01-01", 1e22),
        ("e", "X", "2022-01-01", np.nan),  # no compute: not in the table
    ])
    frontier = compute.running_frontier(table, top_k=2)
    assert frontier.set_index("model")["frontier"].to_dict() == {"a": True, "b": True, "c": False, "d": True}
    # Adding a much larger model later does not change whether the earlier ones counted.
    later = pd.concat([table, models([("z", "X", "2030-01-01", 1e30)])])
    assert compute.running_frontier(later, top_k=2).set_index("model").loc[["a", "b", "c"], "frontier"].tolist() == [
        True, True, False]


def test_compute_growth_fit_recovers_a_known_doubling_time():
    # compute = 1e20 * 2 ** (t / 180): log2 compute is linear in t with slope 1/180 a day,
    # so the doubling time is exactly 180 days, about 5.91 months (180 / 30.4375).
    dates = pd.date_range("2018-01-01", periods=12, freq="91D")
    t = ((dates - dates[0]) / pd.Timedelta(days=1)).to_numpy()
    frontier = pd.DataFrame({"model": [f"m{i}" for i in range(12)], "organization": "X", "publication_date": dates,
                             "training_compute_flop": 1e20 * 2 ** (t / 180), "confidence": "", "frontier": True})
    fit = compute.fit_compute_growth(frontier, rng=np.random.default_rng(1), n_bootstrap=200, confidence=0.95)
    assert fit.doubling_days == pytest.approx(180)
    assert fit.doubling_months == pytest.approx(180 / 30.4375)
    assert fit.doubling_days_ci == pytest.approx((180, 180))  # exact data: every resample has the same slope
    assert fit.growth_per_year == pytest.approx(2 ** (365.25 / 180))


def test_compute_growth_interval_covers_the_truth_on_noisy_data():
    rng = np.random.default_rng(7)
    dates = pd.date_range("2015-01-01", periods=40, freq="60D")
    t = ((dates - dates[0]) / pd.Timedelta(days=1)).to_numpy()
    values = 2 ** (70 + t / 150 + rng.normal(0, 0.5, len(t)))
    fit = compute.fit_log2_growth(dates, values, rng=np.random.default_rng(8), n_bootstrap=2000, confidence=0.95)
    low, high = fit.doubling_days_ci
    assert low < 150 < high
    assert low < fit.doubling_days < high


def test_horizon_compute_slope_recovers_a_known_slope():
    # horizon = 2 ** (-60 + 0.75 * log2(compute)): 0.75 doublings of horizon per doubling of compute.
    log2_compute = np.array([70.0, 75, 80, 84, 85, 86])
    pairs = pd.DataFrame({"training_compute_flop": 2.0**log2_compute, "p50": 2.0 ** (-60 + 0.75 * log2_compute)})
    fit = compute.fit_horizon_on_compute(pairs, rng=np.random.default_rng(2), n_bootstrap=300, confidence=0.95)
    assert fit.slope == pytest.approx(0.75)
    assert fit.intercept == pytest.approx(-60)
    assert fit.slope_ci == pytest.approx((0.75, 0.75))
    assert fit.line()["fitted_min"].iloc[-1] == pytest.approx(2 ** (-60 + 0.75 * 86))


def test_compute_share_is_the_ratio_of_rates():
    # slope 0.5, compute 2 doublings a year, horizon 2.5 a year: compute carries 0.5 * 2 / 2.5 = 40%.
    assert compute.compute_share(0.5, 2.0, 2.5) == pytest.approx(0.4)


def test_commitment_reset_scenario_by_hand():
    # Worked example. $1.4T -> $0.6T: log2(1.4 / 0.6) = log2(7/3) = 1.2224 doublings of compute lost.
    cut = compute.commitment_cut_doublings(1.4e12, 6.0e11, 1.0)
    assert cut == pytest.approx(np.log(7 / 3) / np.log(2))
    # Spread over 2026-02-20 .. 2030-12-31: 1775 days = 4.8597 years, i.e. 0.25154 doublings a year.
    years = compute.years_between("2026-02-20", "2030-12-31")
    assert years == pytest.approx(1775 / 365.25)
    # Horizon doubling every 128.74 days = 2.8371 doublings a year; slope 0.7235 loses 0.7235 * 0.25154
    # = 0.18199 a year, leaving 2.6551 doublings a year: a doubling every 365.25 / 2.6551 = 137.57 days.
    horizon_rate = 365.25 / 128.74
    constrained = compute.constrained_horizon_rate(horizon_rate, 0.7235, cut / years)
    assert constrained == pytest.approx(horizon_rate - 0.7235 * 1.2224 / 4.8597, rel=1e-4)
    assert compute.doubling_days_from_rate(constrained) == pytest.approx(137.57, abs=0.05)
    # Half the spending elasticity halves the doublings lost.
    assert compute.commitment_cut_doublings(1.4e12, 6.0e11, 0.5) == pytest.approx(cut / 2)


def test_scenarios_propagate_draws_and_keep_the_observed_interval():
    rng = np.random.default_rng(3)
    dates = pd.date_range("2023-01-01", periods=10, freq="90D")
    t = ((dates - dates[0]) / pd.Timedelta(days=1)).to_numpy()
    horizon = compute.fit_log2_growth(dates, 2 ** (3 + t / 120 + rng.normal(0, 0.3, 10)), rng=np.random.default_rng(4),
                                      n_bootstrap=500, confidence=0.95)
    compute_fit = compute.fit_log2_growth(dates, 2 ** (80 + t / 180 + rng.normal(0, 0.3, 10)),
                                          rng=np.random.default_rng(5), n_bootstrap=500, confidence=0.95)
    pairs = pd.DataFrame({"training_compute_flop": 2.0 ** np.arange(70, 76), "p50": 2.0 ** (0.7 * np.arange(70, 76) - 50)})
    slope = compute.fit_horizon_on_compute(pairs, rng=np.random.default_rng(6), n_bootstrap=500, confidence=0.95)
    observed, reset, frozen = compute.constraint_scenarios(horizon=horizon, slope=slope, compute=compute_fit,
                                                           cut_doublings=1.0, years=4.0, confidence=0.95)
    assert observed.doubling_days_ci == pytest.approx(horizon.doubling_days_ci)
    # reset: horizon rate minus 0.7 * 0.25 doublings a year (the slope is exact, so every draw loses the same).
    assert reset.horizon_rate == pytest.approx(horizon.rate_per_year - 0.7 * 0.25)
    assert frozen.horizon_rate == pytest.approx(horizon.rate_per_year - 0.7 * compute_fit.rate_per_year)
    assert observed.doubling_days < reset.doubling_days < frozen.doubling_days
    paths = compute.scenario_paths([observed, reset], horizon, start="2026-01-01", end="2030-01-01", grid_points=5)
    start = paths[paths["date"] == paths["date"].min()]
    assert start["fitted_min"].nunique() == 1  # every scenario starts from the trend's value
    assert (paths["low_min"] <= paths["fitted_min"] * (1 + 1e-9)).all()


def test_coverage_cutoff_is_the_start_of_the_last_run_below_the_floor():
    coverage = pd.DataFrame({
        "half": pd.to_datetime(["2023-01-01", "2023-07-01", "2024-01-01", "2024-07-01", "2025-01-01"]),
        "share_with_compute": [0.2, 0.6, 0.5, 0.2, 0.0],
    })
    # 2023H1 is below 0.25 but later half-years recover; the final run below starts in 2024H2.
    assert compute.coverage_cutoff(coverage, 0.25) == pd.Timestamp("2024-07-01")
    assert compute.coverage_cutoff(coverage.iloc[:3], 0.25) is None


def test_coverage_counts_frontier_lab_models_with_and_without_compute():
    table = models([
        ("a", "OpenAI", "2025-02-01", 1e25),
        ("b", "Google DeepMind,Google", "2025-03-01", np.nan),
        ("c", "Some University", "2025-03-01", np.nan),  # not a frontier lab
        ("d", "Anthropic", "2025-08-01", np.nan),
    ])
    coverage = compute.coverage_by_half_year(table, ("OpenAI", "Google", "Anthropic"), since="2025-01-01")
    assert coverage["n_models"].tolist() == [2, 1]
    assert coverage["n_with_compute"].tolist() == [1, 0]
    assert coverage["share_with_compute"].tolist() == [0.5, 0.0]


def test_rate_and_doubling_conversions():
    assert compute.doubling_days_from_rate(2.0) == pytest.approx(365.25 / 2)
    assert compute.doubling_days_from_rate(-0.1) == np.inf
    assert compute.interval_of_days(np.array([1.0, 2.0, 4.0] * 100), 0.5) == pytest.approx((365.25 / 4, 365.25 / 1))
