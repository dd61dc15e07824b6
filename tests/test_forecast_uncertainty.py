"""Issue 20: weights with their own uncertainty, a trend that can change, the claims in their
claimants' words, the decomposition, predictive intervals and the calibration record."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import exponential_horizons
from scipy import optimize, stats

from analysis import claim_ranges, forecast, metr, regimes, trend
from analysis.params import PARAMS

FAST = dataclasses.replace(PARAMS, calibration_draws=40, calibration_weight_draws=30, n_forecast_draws=80,
                           weight_bootstrap_draws=60, trend_change_histories=4)


@pytest.fixture(scope="module")
def horizons():
    return metr.load_horizons("1.1")


def _errors(values: dict[str, list[float]], origins: list[str]) -> pd.DataFrame:
    index = pd.MultiIndex.from_arrays([pd.to_datetime(origins), [f"t{i}" for i in range(len(origins))]],
                                      names=["origin", "target"])
    return pd.DataFrame(values, index=index)


# ------------------------------------------------------------------ weights


def test_stacking_em_matches_a_direct_optimiser():
    # Independent: maximise sum_i log(sum_s w_s p_is) + (alpha - 1) sum_s log w_s over the simplex with
    # scipy (softmax parametrisation, Nelder-Mead) and compare.
    rng = np.random.default_rng(1)
    density = rng.uniform(0.01, 1.0, size=(30, 3))
    for alpha in (1.0, 2.0):
        em = forecast._stacking_em(density, np.ones((1, 30)), alpha=alpha, tolerance=1e-12, max_iter=200_000)[0]

        def negative(theta):
            w = np.exp(np.append(theta, 0.0))
            w /= w.sum()
            return -(np.log(density @ w).sum() + (alpha - 1) * np.log(w).sum())

        best = optimize.minimize(negative, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
        w = np.exp(np.append(best.x, 0.0))
        assert em == pytest.approx(w / w.sum(), abs=2e-4)


def test_weight_rules_rows_sum_to_one(horizons):
    rules = forecast.weight_rules(horizons, FAST)
    assert list(rules.index) == forecast.RULES and list(rules.columns) == list(PARAMS.scenarios)
    assert rules.sum(axis=1).to_numpy() == pytest.approx(np.ones(len(rules)))
    assert (rules.to_numpy() >= 0).all()
    assert rules.loc["equal"].tolist() == pytest.approx([0.25] * 4)
    # the exponentials are biased at every origin: rejected, so "equal among not rejected" excludes them
    assert rules.loc["equal among not rejected", "Exponential, all time"] == 0.0


def test_resampling_origins_moves_the_headline_weights():
    # Two origins favour A (error 0 for A, 2 for B), one favours B strongly (3 vs 0). Plain stacking
    # gives a point answer; the Bayesian bootstrap over origins spreads it, and a different draw of
    # origin weights (another seed) moves the average.
    errors = _errors({"A": [0.0, 0.0, 0.0, 0.0, 3.0, 3.0], "B": [2.0, 2.0, 2.0, 2.0, 0.0, 0.0]},
                     ["2024-01-01"] * 2 + ["2024-06-01"] * 2 + ["2025-01-01"] * 2)
    one = forecast.origin_bootstrap_weights(errors, 0.7, np.random.default_rng(1), 200)
    two = forecast.origin_bootstrap_weights(errors, 0.7, np.random.default_rng(2), 200)
    assert one.sum(axis=1).to_numpy() == pytest.approx(np.ones(200))
    assert one["B"].min() < 0.05 and one["B"].max() > 0.95  # replicates disagree: the origins carry it
    assert abs(one["B"].mean() - two["B"].mean()) > 1e-3
    # dropping the origin that favours B moves the headline to A
    kept = errors[errors.index.get_level_values("origin") < pd.Timestamp("2025-01-01")]
    assert forecast.origin_bootstrap_weights(kept, 0.7, np.random.default_rng(1), 200)["A"].mean() > one["A"].mean()


def test_rejection_is_a_t_test_over_origin_means():
    errors = _errors({"biased": [1.0, 1.2, 0.8, 1.1, 0.9, 1.0], "fair": [0.5, -0.4, 0.1, -0.2, 0.3, -0.3]},
                     ["2024-01-01", "2024-01-01", "2024-06-01", "2024-06-01", "2025-01-01", "2025-01-01"])
    # origin means: biased 1.1, 0.95, 0.95 -> t = mean / (sd / sqrt 3), p well below 5%
    means = np.array([1.1, 0.95, 0.95])
    p = 2 * stats.t.sf(means.mean() / (means.std(ddof=1) / np.sqrt(3)), df=2)
    assert p < 0.05
    assert forecast.rejected_scenarios(errors, 0.05) == ["biased"]


# ------------------------------------------------------------------ trend changes


def test_histories_change_the_clock_piecewise():
    # one change 100 days after the origin, then twice as fast: 150 days after the origin the clock
    # shows 100 + 2 x 50 = 200 days; the inverse returns the date
    h = regimes.Histories(origin=1000.0, times=np.array([[100.0, np.inf]]), speed=np.array([[1.0, 2.0, 2.0]]))
    assert h.tau(1150.0) == pytest.approx([1200.0])
    assert h.tau(900.0) == pytest.approx([900.0])
    assert h.x_of_tau(np.array([1200.0])) == pytest.approx([1150.0])
    assert np.isinf(h.x_of_tau(np.array([np.inf]))[0])


def _changed_series(seed: int, change: bool) -> pd.DataFrame:
    # 22 frontier models over 6 years, doubling every 220 days, then (with change) every 90 days after
    # day 1500; noise 0.3 doublings
    rng = np.random.default_rng(seed)
    days = np.linspace(0, 2200, 22)
    slope = np.where(days < 1500, days / 220, 1500 / 220 + (days - 1500) / 90) if change else days / 220
    horizons = exponential_horizons(220.0, n=22, start="2020-01-01", span_days=2200, p50_at_start=0.5)
    horizons["p50"] = 0.5 * 2.0 ** (slope + rng.normal(0, 0.3, len(days)))
    horizons["p80"] = horizons["p50"] / 4
    return horizons


def test_estimated_process_sees_a_known_change_and_not_a_missing_one():
    changed = regimes.estimate_process(_changed_series(3, True), PARAMS)
    steady = regimes.estimate_process(_changed_series(3, False), PARAMS)
    assert changed.changes_seen == 1 and steady.changes_seen == 0
    # the era fit recovers the speed-up: 220 / 90 = 2.4
    assert changed.up_factor == pytest.approx(220 / 90, rel=0.35)
    # Jeffreys posterior mean rate: (1 + 1/2) / span, the span of the frontier models (at most the 6 years)
    assert changed.mean_rate_per_year == pytest.approx(1.5 / changed.span_years)
    assert changed.span_years <= 2200 / trend.DAYS_PER_YEAR + 1e-9
    assert steady.mean_rate_per_year == pytest.approx(0.5 / steady.span_years)


def test_the_trend_change_model_widens_the_spread_faster_than_fixed_rates():
    # line scenarios only: the superexponential's draws reach an infinite horizon within three years
    params = dataclasses.replace(FAST, max_minutes=1e9, scenarios=("Exponential, all time", "Exponential, since 2023",
                                                                   "Latest era continues"))
    with np.errstate(all="ignore"):  # chapter 2's superexponential backtest on simulated data
        out = forecast.outlook(_changed_series(3, True), params, metrics=("p50",))
    with_changes = forecast.spread_by_lead(out, params, (1.0, 3.0))
    fixed = forecast.spread_by_lead(out, params, (1.0, 3.0), histories=out.without_changes())
    assert with_changes.loc[3.0] > fixed.loc[3.0]
    assert with_changes.loc[3.0] / with_changes.loc[1.0] > fixed.loc[3.0] / fixed.loc[1.0]


# ------------------------------------------------------------------ probabilities


def test_widened_probability_closed_form():
    # one row: D ~ N(m, s^2), median m; widening by f gives P(D >= m (1 - 1/f)) = Phi(m / (f s))
    for m, s, f in [(1.0, 0.7, 1.5), (-0.5, 0.5, 2.0)]:
        assert forecast.widened_probability(np.array([m]), np.array([1.0]), s, f) == pytest.approx(stats.norm.cdf(m / (f * s)))
        assert forecast.widened_probability(np.array([m]), np.array([1.0]), s, 1.0) == pytest.approx(stats.norm.cdf(m / s))


def test_decomposition_steps_end_at_the_headline(horizons):
    out = forecast.outlook(horizons, FAST)
    claims = pd.DataFrame([{"claim_id": "x", "target_date": pd.Timestamp("2028-03-31"), "milestone_hours": 167.0,
                            "reliability": "p50"}])
    ranges = {"hours_low": 80.0, "hours_high": 334.0, "reliabilities": "p50", "transfer": "yes"}
    plain = forecast.decomposition(claims.iloc[0], ranges, out, FAST)
    assert list(plain["steps"]) == forecast.STEPS
    assert list(plain["steps"].values())[-1] == pytest.approx(plain["rules"]["headline"])
    widened = forecast.decomposition(claims.iloc[0], ranges, out, FAST, widen=1.3)
    assert list(widened["steps"])[-1] == "+ calibration widening"
    assert list(widened["steps"].values())[-1] == pytest.approx(widened["rules"]["headline"])
    # the first step is the trend-only mixture under stacking weights: weights . per-scenario probabilities
    fixed = plain["fixed_per_scenario"]
    assert plain["steps"]["trend only"] == pytest.approx(float(fixed @ out.rules.loc["stacking"]))
    # no transfer gap for a claim in METR's own units
    own = forecast.decomposition(claims.iloc[0], ranges | {"transfer": "no"}, out, FAST)
    assert own["steps"]["+ transfer"] == pytest.approx(own["steps"]["+ mapping"])


def test_predictive_interval(horizons):
    dates = pd.to_datetime(["2026-06-26", "2027-06-30", "2028-06-30"])
    table = forecast.predictive_interval(horizons, dates, FAST)
    assert list(table.columns) == ["date", "p50_pred", "p50_low", "p50_high"]
    assert (table["p50_low"] < table["p50_pred"]).all() and (table["p50_pred"] < table["p50_high"]).all()
    width = np.log2(table["p50_high"] / table["p50_low"])
    assert width.is_monotonic_increasing and table["p50_pred"].is_monotonic_increasing
    # a 95% interval contains the 80% one
    wide = forecast.predictive_interval(horizons, dates, FAST, level=0.95)
    assert (wide["p50_low"] <= table["p50_low"]).all() and (wide["p50_high"] >= table["p50_high"]).all()


# ------------------------------------------------------------------ the calibration record


def test_calibration_is_recomputed_from_the_data(horizons):
    full = forecast.calibration(FAST, horizons=horizons)
    assert {"origin", "target", "lead_days", "actual", "low", "high", "covered"} <= set(full.columns)
    assert (full["covered"] == ((full["actual"] >= full["low"]) & (full["actual"] <= full["high"]))).all()
    assert (full["lead_days"] >= 0).all()
    # truncating the data (drop the last three models) changes the record: fewer targets, other intervals
    cut = horizons[horizons["release_date"] < pd.Timestamp("2025-12-01")]
    truncated = forecast.calibration(FAST, horizons=cut)
    assert len(truncated) < len(full)
    assert set(full["target"]) - set(truncated["target"]) == {"Claude Opus 4.6", "GPT-5.2"} | (
        set(full.loc[full["actual"] >= trend.days_since_origin([pd.Timestamp("2025-12-01")])[0], "target"])
        & set(full.loc[full["kind"] == "crossing", "target"]))
    # changing one measured horizon (o3, halved) changes every interval forecast from an origin after it
    edited = horizons.copy()
    edited.loc[edited["display_name"] == "o3", "p50"] /= 2
    moved = forecast.calibration(FAST, horizons=edited)
    later = lambda frame: frame[frame["origin"] > pd.Timestamp("2025-04-16")].sort_values(["origin", "target"])
    assert not np.allclose(later(full)["low"].to_numpy(), later(moved)["low"].to_numpy()[: len(later(full))])
    # every forecast uses only data before its origin: the first origin has the minimum model count
    first = full["origin"].min()
    before = forecast.horizons_before(horizons, first)
    assert len(trend.select_points(before, max_minutes=FAST.max_minutes)) >= FAST.calibration_min_models


def test_widening_factor_reaches_the_level():
    frame = pd.DataFrame({"log2_error": [0.5, 1.0, 1.5, 2.0, 0.1], "log2_half_width": [1.0] * 5})
    # covered at factor f when |error| <= f: 3 of 5 at 1.0; 4 of 5 (80%) first at 1.5
    assert forecast.widening_factor(frame, 0.8) == pytest.approx(1.5)


# ------------------------------------------------------------------ data files


def test_claim_ranges_cover_every_claim_and_refuse_bad_rows(tmp_path):
    from analysis import facts

    ranges = claim_ranges.load(claim_ids=facts.load_claims()["claim_id"])
    assert (ranges["hours_low"] <= ranges["hours_high"]).all()
    bad = claim_ranges.PATH.read_text().replace("openai_intern,16,40", "openai_intern,50,40")
    path = tmp_path / "claim_ranges.csv"
    path.write_text(bad)
    with pytest.raises(ValueError, match=r"row 2, column hours_low"):
        claim_ranges.load(path)
    circulation = claim_ranges.load_circulation(claim_ids=facts.load_claims()["claim_id"])
    assert {"clark_2028", "clark_2027", "insiders_paper", "vals_rsi"} <= set(circulation["forecast_id"])
    assert circulation["source_url"].str.startswith("http").all()


def test_benchmarks_page_compares_with_the_forecast_used():
    # one quantity, one value: chapter 3's comparison and chapter 4's evidence table agree
    from analysis.chapters import benchmarks, timelines

    fc = benchmarks.build(PARAMS).numbers
    ev = timelines.build(PARAMS).numbers
    assert fc["fc_sol_below_share"] == pytest.approx(ev["evidence_sol_position_share"])
    assert fc["fc_sol_forecast_min"] == pytest.approx(ev["evidence_sol_median_min"])
    assert fc["fc_below_median_count"] == ev["evidence_nowcast_below_median_count"]
    # "the straight line ... gets no weight in the forecast"
    assert ev["w_headline_exp_2023_share"] < 0.005
    # "The newest nowcasts sit <side> the forecast": the side follows the count below the median
    below = fc["fc_below_median_count"] / fc["fc_nowcast_count"]
    assert (fc["fc_side"] == "on the low side of") == (below > 0.5)
    assert fc["fc_sol_off_signed_log2"] < 0  # METR's 11.3 h lies below the forecast's median


def test_base_draws_are_scenario_draws(horizons):
    # the outlook's draws, once each, are the draws scenario_draws makes from the same named streams
    out = forecast.outlook(horizons, FAST)
    base = forecast.base_draws(out)
    direct = forecast.scenario_draws(horizons, FAST, FAST.rng, n_draws=FAST.n_forecast_draws,
                                     weights=out.weights("headline").to_dict())
    assert len(base) == len(direct)
    columns = ["a", "b", "y0", "d0", "shrink", "x0", "w_scenario", "w_mixture"]
    assert np.allclose(base[columns].to_numpy(dtype=float), direct[columns].to_numpy(dtype=float), equal_nan=True)


def test_predictive_interval_is_the_pages_forecast(horizons):
    # predictive_interval and compare_with_forecast (chapters 3 and 4) use one fitted outlook: same numbers
    observed = pd.DataFrame({"model": ["x"], "release_date": [pd.Timestamp("2026-06-26")], "p50": [678.0]})
    against = forecast.compare_with_forecast(observed, horizons, FAST)
    interval = forecast.predictive_interval(horizons, observed["release_date"], FAST)
    assert against["forecast_min"].iloc[0] == pytest.approx(interval["p50_pred"].iloc[0])
    assert against["forecast_low"].iloc[0] == pytest.approx(interval["p50_low"].iloc[0])


def test_headline_weights_move_with_the_resampled_origins_on_metr_data(horizons):
    # another draw of origin weights (another seed) moves the headline; the point estimate does not move
    one = forecast.weight_rules(horizons, FAST)
    two = forecast.weight_rules(horizons, dataclasses.replace(FAST, seed=1))
    assert not np.allclose(one.loc["headline"], two.loc["headline"], atol=1e-6)
    assert np.allclose(one.loc["stacking"], two.loc["stacking"])
    # dropping the latest origins' targets (data up to end 2025) moves it too
    cut = forecast.weight_rules(horizons[horizons["release_date"] < pd.Timestamp("2025-11-01")], FAST)
    assert not np.allclose(one.loc["headline"], cut.loc["headline"], atol=1e-3)


def test_a_claim_due_before_the_data_end_is_forecast_from_earlier_data(horizons):
    from analysis.chapters import timelines

    claims = pd.DataFrame([{"claim_id": "early", "target_date": pd.Timestamp("2025-12-31"), "milestone_hours": 8.0,
                            "reliability": "p50", "stated": pd.Timestamp("2025-01-01")},
                           {"claim_id": "article_week_tasks", "target_date": pd.Timestamp("2030-05-31"),
                            "milestone_hours": 40.0, "reliability": "p50", "stated": pd.Timestamp("2026-05-01")}])
    ranges = pd.DataFrame([{"claim_id": cid, "hours_low": h, "hours_high": h, "reliabilities": "p50", "transfer": "no"}
                           for cid, h in (("early", 8.0), ("article_week_tasks", 40.0))])
    out = forecast.outlook(horizons, FAST)
    data_end = pd.Timestamp("2026-05-08")
    parts = timelines.decompositions(claims, ranges, horizons, out, FAST, data_end, 1.0)
    full = forecast.decomposition(claims.iloc[0], ranges.iloc[0], out, FAST)
    assert abs(parts["headline"]["early"] - list(full["steps"].values())[-1]) > 0.01
