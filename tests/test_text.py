"""Formatting rules: every number the prose quotes goes through them."""

import math

import pytest

from analysis import text as fmt


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
    assert fmt.format_minutes(minutes) == text


def test_as_text_formats_by_suffix():
    text = fmt.as_text(
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
        fmt.as_text({"mystery": 1.0})


def test_new_suffix_rules():
    text = fmt.as_text({"a_signed_log2": 0.154, "b_log2": 0.654, "c_p": 0.001, "d_stat": 86.57, "e_share": 0.6505})
    assert text == {"a_signed_log2": "+0.15", "b_log2": "0.65", "c_p": "0.001", "d_stat": "86.6", "e_share": "65%"}


def test_p_value_at_the_simulation_floor_is_an_upper_bound():
    # 999 null draws: the smallest attainable p is 1 / (999 + 1) = 0.001, so it is written "≤ 0.001"
    assert fmt.format_p_value(0.001, 999) == "≤ 0.001"
    assert fmt.format_p_value(0.25, 999) == "= 0.250"


def test_quoted_hours_keep_their_source_precision():
    # 678 minutes is fact E2's 11.3 h; format_minutes would round it to "11 hours"
    assert fmt.format_quoted_hours(678 / 60) == "11.3 hours"
    assert fmt.format_quoted_hours(270) == "270 hours"
    assert fmt.format_quoted_hours(1500) == "1,500 hours"


def test_short_probabilities_keep_the_bounds_in_fewer_characters():
    # a heatmap cell's text, in percent: never 0 or 100, as format_probability, in three characters
    assert [fmt.format_probability_short(p) for p in (0.995, 0.004, 0.5, 0.99, 0.01)] == [">99", "<1", "50", "99", "1"]
