"""Formatting rules and the headline numbers the prose quotes."""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import exponential_horizons

from analysis import headlines, trend


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0.05, "3 seconds"),
        (0.01, "0.6 seconds"),
        (4.0, "4.0 minutes"),
        (37.4, "37 minutes"),
        (293.0, "4.9 hours"),  # 293 / 60 = 4.88
        (718.8, "12 hours"),  # 11.98 h; from 10 h on, whole hours
        (1044.78, "17 hours"),
        (math.inf, "unbounded"),
    ],
)
def test_format_minutes(minutes, text):
    assert headlines.format_minutes(minutes) == text


def test_as_text_formats_by_suffix():
    text = headlines.as_text(
        {
            "a_doubling_days": 128.744,
            "a_doubling_days3": 128.7438,
            "b_ci_high_days": math.inf,
            "c_min": 60.0,
            "d_pct": 28.4,
            "e_ratio": 5.26,
            "f_per_year": 2.837,
            "g_fit_r2": 0.9342,
            "models_count": 26,
            "top_model": "Claude Opus 4.6",
        }
    )
    assert text == {
        "a_doubling_days": "129",
        "a_doubling_days3": "128.744",
        "b_ci_high_days": "no finite doubling",
        "c_min": "1.0 hours",
        "d_pct": "28%",
        "e_ratio": "5.3×",
        "f_per_year": "2.8",
        "g_fit_r2": "0.93",
        "models_count": "26",
        "top_model": "Claude Opus 4.6",
    }


def test_as_text_refuses_a_key_without_a_rule():
    with pytest.raises(KeyError, match="no formatting rule"):
        headlines.as_text({"mystery": 1.0})


def test_trend_numbers_on_synthetic_series(params, rng):
    horizons = exponential_horizons(200.0, n=8, p50_at_start=30.0)  # ends at 30 * 2**4.5 = 679 min
    fits = trend.fit_windows(horizons, params, rng)
    block = pd.DataFrame(
        {"window": ["from_2023_on"], "point_estimate": [200.0], "ci_low": [np.nan], "ci_high": [np.nan]}
    )
    numbers = headlines.trend_numbers(
        horizons, fits, block, max_minutes=960, n_bootstrap=params.n_bootstrap, release_as_of="2026-05-08"
    )
    assert numbers["p50_2023_doubling_days"] == pytest.approx(200.0)
    assert numbers["metr_2023_days3"] == 200.0
    assert numbers["top_model"] == "Model 7"
    assert numbers["above_ceiling_count"] == 0
    assert numbers["p50_over_p80_median_ratio"] == pytest.approx(4.0)  # p80 = p50 / 4 in the fixture
    assert numbers["release_as_of"] == "8 May 2026"


def test_horizon_points_status_and_text():
    horizons = exponential_horizons(100.0, n=10, p50_at_start=100.0)
    horizons.loc[1, "is_sota"] = False
    points = headlines.horizon_points(horizons, "p50", 960.0).set_index("display_name")
    assert points.loc["Model 1", "status"] == "Not frontier"
    assert points.loc["Model 0", "status"] == "Frontier (fitted)"
    assert points.loc["Model 9", "status"] == "Above 16 hours: not fitted"
    assert points.loc["Model 0", "ci_text"] == "50 minutes to 3.3 hours"


@pytest.mark.parametrize(
    ("flags", "start"),
    [
        ((True, True, True, False), "Holds"),
        ((True, True, False, False), "Reproduces and survives the revisions, but no longer"),
        ((True, False, False, False), "Reproduces from its release, but METR's revisions overturned it"),
        ((False, False, False, False), "Does not reproduce, and today's data reject it"),
        ((False, True, True, True), "Does not reproduce from its own release, though"),
    ],
)
def test_verdict_text(flags, start):
    row = pd.Series(dict(zip(["reproduces", "survives", "current", "borderline"], flags)))
    text = headlines.verdict_text(row)
    assert text.startswith(start)
    assert text.endswith("(borderline)") == flags[3]


def test_new_suffix_rules():
    text = headlines.as_text({"a_signed_log2": 0.154, "b_log2": 0.654, "c_p": 0.001, "d_stat": 86.57, "e_share": 0.6505})
    assert text == {"a_signed_log2": "+0.15", "b_log2": "0.65", "c_p": "0.001", "d_stat": "86.6", "e_share": "65%"}
