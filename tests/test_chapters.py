"""The results layer: each page's build(params) returns its numbers, tables and figures; the pages
glue exactly what their text uses; one quantity has one value on every page."""

import re

import numpy as np
import pandas as pd
import pytest
from conftest import exponential_horizons

from analysis import paths, trend
from analysis.chapters import eras as eras_chapter
from analysis.chapters import landing, page_glue_keys
from analysis.chapters import trend as trend_chapter
from analysis.params import PARAMS
from analysis.points import horizon_points


def test_trend_numbers_on_synthetic_series(params, rng):
    horizons = exponential_horizons(200.0, n=8, p50_at_start=30.0)  # ends at 30 * 2**4.5 = 679 min
    fits = trend.fit_windows(horizons, params, rng)
    block = pd.DataFrame(
        {"window": ["from_2023_on"], "point_estimate": [200.0], "ci_low": [np.nan], "ci_high": [np.nan]}
    )
    numbers = trend_chapter.trend_numbers(
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
    points = horizon_points(horizons, "p50", 960.0).set_index("display_name")
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
    text = eras_chapter.verdict_text(row)
    assert text.startswith(start)
    assert text.endswith("(borderline)") == flags[3]


