"""Sentences in the chapters that are not numbers but claims about the data.

Each test names the sentence it guards; when new data overturn one, the build's tests fail and the
prose has to change with them.
"""

import numpy as np
import pytest

from analysis import metr, revisions, trend
from analysis.params import PARAMS

SINCE_2023 = PARAMS.window_start("from_2023_on")


@pytest.fixture(scope="module")
def current():
    return metr.load_horizons("1.1")


@pytest.fixture(scope="module")
def fits(current):
    return trend.fit_windows(current, PARAMS, np.random.default_rng(PARAMS.seed))


def test_growth_is_faster_since_2023_than_over_all_time(fits):
    # trend.md, figure caption: "grown exponentially since 2019 and faster since 2023"
    assert fits[("from_2023_on", "p50")].doubling_days < fits[("all_time", "p50")].doubling_days


def test_exactly_one_model_lies_above_the_ceiling(current):
    # trend.md: "Today {above_ceiling_count} model lies above that line" (singular)
    assert (current["p50"] > PARAMS.max_minutes).sum() == 1


def test_p80_grows_at_a_similar_pace(fits):
    # trend.md summary: "the 80% horizon ... grows at a similar pace": its doubling time lies
    # inside the 50% horizon's 95% interval, for all time and since 2023.
    for window in ("all_time", "from_2023_on"):
        low, high = fits[(window, "p50")].doubling_days_ci
        assert low <= fits[(window, "p80")].doubling_days <= high


def test_p80_is_several_fold_shorter(fits):
    # trend.md: "Demanding 80% reliability shortens every horizon several-fold"
    points = fits[("all_time", "p50")].points
    assert (points["p50"] / points["p80"] >= 2).all()


def test_most_models_score_lower_on_v11_and_the_recent_trend_steepened(current):
    # trend.md: "most older models score lower on v1.1" and "the since-2023 trend steepened"
    v10 = metr.load_horizons("1.0")
    summary = revisions.summarise_change(revisions.compare_suites(v10, current))
    assert summary["n_lower"] > summary["n_higher"]
    old = trend.fit_trend(v10, since=SINCE_2023, max_minutes=PARAMS.max_minutes)
    new = trend.fit_trend(current, since=SINCE_2023, max_minutes=PARAMS.max_minutes)
    assert new.doubling_days < old.doubling_days


def test_window_moves_the_estimate_more_than_any_interval(current, fits):
    # trend.md: "None of these covers the choice of window, which moves the estimate more than any
    # of them": the spread of estimates across windows exceeds the width of each since-2023 interval.
    rng = np.random.default_rng(PARAMS.seed)
    common = dict(since=SINCE_2023, max_minutes=PARAMS.max_minutes)
    intervals = [
        fits[("from_2023_on", "p50")].doubling_days_ci,
        trend.fit_trend(current, rng=rng, n_bootstrap=PARAMS.n_bootstrap, redraw_within_ci=True, **common).doubling_days_ci,
        trend.fit_trend(current, **common).doubling_days_ci,
    ]
    estimates = [fits[(w, "p50")].doubling_days for w, _ in PARAMS.windows]
    assert max(estimates) - min(estimates) > max(high - low for low, high in intervals)


def test_reproduces_published_figures_to_the_third_decimal(fits):
    # trend.md summary: "Our fits reproduce METR's published doubling times to the third decimal"
    published = metr.load_published_doubling(metr.latest_release("1.1")).set_index("window")["point_estimate"]
    assert round(fits[("from_2023_on", "p50")].doubling_days, 3) == published["from_2023_on"]
    assert round(fits[("all_time", "p50")].doubling_days, 3) == published["all_time_stitched"]
