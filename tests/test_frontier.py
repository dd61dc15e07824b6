"""Benchmark frontiers: records defined without the future, the logit trend, crossing dates, breaks."""

import numpy as np
import pandas as pd
import pytest

from analysis import frontier, trend


def _table(dates, scores):
    return pd.DataFrame({"model": [f"m{i}" for i in range(len(scores))], "model_name": [f"M{i}" for i in range(len(scores))],
                         "release_date": pd.to_datetime(dates), "score": scores, "scaffold": ""})


def test_records_beat_every_earlier_date_and_same_day_models_compete():
    table = _table(["2025-01-01", "2025-02-01", "2025-02-01", "2025-03-01", "2025-04-01"], [0.2, 0.1, 0.3, 0.25, 0.3])
    records = frontier.frontier_records(table)
    # 0.2 (first), then 0.3 (best of 1 Feb); 0.25 is below 0.3; 0.3 on 1 April only ties: not a record.
    assert records["model"].tolist() == ["m0", "m2"]


def test_records_do_not_depend_on_later_models():
    table = _table(["2025-01-01", "2025-02-01", "2025-03-01"], [0.2, 0.4, 0.5])
    later = pd.concat([table, _table(["2025-06-01"], [0.99]).assign(model="late")], ignore_index=True)
    before = frontier.frontier_records(table)
    after = frontier.frontier_records(later)
    pd.testing.assert_frame_equal(before, after.iloc[: len(before)])
    running = frontier.running_frontier(later)
    assert running["frontier"].tolist() == [0.2, 0.4, 0.5, 0.99]


def test_logit_trend_recovers_an_exact_line_and_its_crossing_date():
    # logit(score) = -2 + x / 365 (x in days since trend.DAY0): slope 1 logit per 365 days. The score
    # reaches 0.9 when logit = ln 9 = 2.197, i.e. x = 365 * (2 + ln 9) days after DAY0.
    days = np.array([0, 200, 400, 600, 800])
    scores = 1 / (1 + np.exp(-(-2 + days / 365)))
    records = _table(trend.DAY0 + pd.to_timedelta(days, unit="D"), scores).assign(date=lambda f: f["release_date"])
    fit = frontier.fit_logit_trend(records, name="test", rng=np.random.default_rng(1), n_bootstrap=200, confidence=0.95)
    assert fit.slope_per_year == pytest.approx(365.25 / 365)
    crossing = fit.crossing(0.9)
    expected = trend.DAY0 + pd.Timedelta(days=365 * (2 + np.log(9)))
    assert crossing["kind"] == "projected"
    assert abs(crossing["date"] - expected) < pd.Timedelta(hours=1)
    # an exact line: every bootstrap resample gives the same line, so the interval collapses
    assert abs(crossing["high"] - crossing["low"]) < pd.Timedelta(hours=1)


def test_observed_crossing_is_the_first_record_at_or_above_the_target():
    records = frontier.frontier_records(_table(["2025-01-01", "2025-06-01", "2025-09-01", "2026-01-01"], [0.3, 0.6, 0.91, 0.95]))
    fit = frontier.fit_logit_trend(records, name="t", rng=np.random.default_rng(2), n_bootstrap=100, confidence=0.95)
    crossing = fit.crossing(0.9)
    assert crossing["kind"] == "observed" and crossing["model"] == "M2"
    assert crossing["date"] == pd.Timestamp("2025-09-01")


def test_a_falling_trend_never_crosses():
    records = frontier.frontier_records(_table(["2025-01-01", "2025-06-01", "2025-09-01"], [0.3, 0.31, 0.32]))
    fit = frontier.fit_logit_trend(records, name="t", rng=np.random.default_rng(3), n_bootstrap=50, confidence=0.95)
    object.__setattr__(fit, "slope_per_day", -abs(fit.slope_per_day))  # a shrinking frontier
    assert pd.isna(fit.crossing(0.9)["date"])


def test_break_comparison_needs_points_on_both_sides():
    records = frontier.frontier_records(_table(pd.date_range("2024-01-01", periods=6, freq="90D"), np.linspace(0.1, 0.6, 6)))
    early = frontier.break_comparison(records, "2024-02-01", min_points=3)
    assert early["n_before"] == 1 and not early["testable"]
    middle = frontier.break_comparison(records, "2024-08-15", min_points=3)
    assert middle["n_before"] == 3 and middle["n_after"] == 3 and middle["testable"]
    assert middle["slope_before_per_year"] > 0 and middle["slope_after_per_year"] > 0
