"""The results layer: each page's build(params) returns its numbers, tables and figures; the pages
glue exactly what their text uses; one quantity has one value on every page."""

import numpy as np
import pandas as pd
import pytest
from conftest import exponential_horizons, page_results

from analysis import trend
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
    [  # (reproduces, within_own_ci, survives, current, borderline)
        ((True, True, True, True, False), "Reproduces (within 5%); survives METR's revisions; describes the trend"),
        ((True, True, True, False, False), "Reproduces (within 5%); survives METR's revisions; does not describe"),
        ((True, True, False, False, False), "Reproduces (within 5%); METR's revisions overturned it"),
        ((False, False, False, False, False), "Does not reproduce by either test; METR's revisions overturned it"),
        ((False, True, False, False, True), "Inside its release's interval, but 8.7% off: reproduces by the interval test only"),
    ],
)
def test_verdict_text(flags, start):
    row = pd.Series(dict(zip(["reproduces", "within_own_ci", "survives", "current", "borderline"], flags)) | {"own_diff_pct": -8.7})
    text = eras_chapter.verdict_text(row)
    assert text.startswith(start)
    assert text.endswith("(borderline)") == flags[4]




@pytest.fixture(scope="module")
def results():
    return page_results()


def test_every_glue_key_a_page_uses_is_defined_and_every_table_and_figure_is_placed(results):
    for page, result in results.items():
        used = page_glue_keys(page)
        glued = result.glue_values()  # raises on an undefined key or an unplaced table/figure
        assert set(glued) == used, page


def test_glue_values_refuses_an_undefined_key():
    # a result that lacks a key its page uses must fail loudly, not glue nothing
    result = landing.build(PARAMS)
    result.numbers.pop("top_model")
    with pytest.raises(KeyError, match="top_model"):
        result.glue_values()


def test_one_quantity_has_one_value_on_every_page(results):
    # Every key quoted on more than one page has the same text everywhere it appears.
    seen: dict[str, tuple[str, str]] = {}
    for page, result in results.items():
        for key, value in result.glue_values().items():
            if not isinstance(value, str):
                continue
            if key in seen:
                assert seen[key][1] == value, (key, seen[key][0], page)
            seen[key] = (page, value)


def test_the_since_2023_interval_is_the_same_in_chapters_1_and_2(results):
    # Chapter 1's bootstrap interval for the since-2023 doubling time, and the same fit recomputed in
    # chapter 2's verdict table (today, same window) and release table (current release), come from
    # the same named stream, so they agree to the last digit.
    fit = results["trend"].data["fits"][("from_2023_on", "p50")]
    verdicts = results["eras"].data["verdicts"].set_index("figure_id")
    row = verdicts.loc["th11_since_2023"]
    assert (row["to_date_ci_low"], row["to_date_ci_high"]) == fit.doubling_days_ci
    current = results["eras"].data["by_release"].iloc[-1]
    assert (current["since_2023_low"], current["since_2023_high"]) == fit.doubling_days_ci
    all_time = results["trend"].data["fits"][("all_time", "p50")]
    assert results["eras"].data["exponential"].doubling_days_ci == all_time.doubling_days_ci


def test_named_streams_do_not_depend_on_order():
    # A quantity's draws depend only on its name: drawing another stream first changes nothing.
    first = PARAMS.rng("x/y").random(3)
    PARAMS.rng("other").random(10)
    assert np.array_equal(PARAMS.rng("x/y").random(3), first)
    assert not np.array_equal(PARAMS.rng("x/z").random(3), first)


def test_landing_quotes_the_chapters_own_values(results):
    intro = results["intro"].text()
    for key, (name, source) in landing.QUOTED.items():
        assert intro[key] == results[name if name != "landing" else "intro"].text()[source]


def test_chapter_builds_are_deterministic():
    # Recomputing a chapter from scratch gives byte-identical text and chart specs.
    import json
    first, second = trend_chapter.build(PARAMS), trend_chapter.build(PARAMS)
    assert first.text() == second.text()
    for key in first.figures:
        assert json.dumps(first.figures[key].to_dict(), sort_keys=True) == json.dumps(second.figures[key].to_dict(), sort_keys=True)
