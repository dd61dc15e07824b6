"""Comparing METR's estimates across task suites."""

import pandas as pd
import pytest

from analysis import revisions


def _table(names, p50):
    return pd.DataFrame(
        {"display_name": names, "release_date": pd.to_datetime(["2024-01-01"] * len(names)), "p50": p50}
    )


def test_compare_suites_matches_by_display_name():
    old = _table(["A", "B", "C"], [10.0, 20.0, 40.0])
    new = _table(["B", "C", "D"], [10.0, 80.0, 5.0])
    comparison = revisions.compare_suites(old, new)
    assert comparison["display_name"].tolist() == ["B", "C"]
    assert comparison["ratio"].tolist() == [0.5, 2.0]
    assert comparison["log2_change"].tolist() == [-1.0, 1.0]


def test_summary_counts_and_geometric_mean():
    comparison = revisions.compare_suites(_table(list("ABC"), [10.0, 10.0, 10.0]), _table(list("ABC"), [5.0, 20.0, 2.5]))
    summary = revisions.summarise_change(comparison)
    # ratios 0.5, 2, 0.25: geometric mean (0.5 * 2 * 0.25) ** (1/3) = 0.25 ** (1/3)
    assert summary["geometric_mean_ratio"] == pytest.approx(0.25 ** (1 / 3))
    assert (summary["n_lower"], summary["n_higher"]) == (2, 1)
    assert summary["median_ratio"] == 0.5


def test_duplicate_names_are_refused():
    with pytest.raises(pd.errors.MergeError):
        revisions.compare_suites(_table(["A", "A"], [1.0, 2.0]), _table(["A"], [1.0]))


def test_changelog_orders_releases_and_tags_suites():
    old = _table(["A"], [10.0]).assign(p50_low=5.0, p50_high=20.0, is_sota=True, benchmark="1.0")
    new = _table(["A"], [8.0]).assign(p50_low=4.0, p50_high=16.0, is_sota=True, benchmark="1.1")
    log = revisions.changelog({"new": new, "old": old}, {"new": "2026-05-01", "old": "2026-01-01"})
    assert log["release"].tolist() == ["old", "new"] and log["suite"].tolist() == ["1.0", "1.1"]
    moved = revisions.moved_models(log, "old", "new")
    assert moved.loc[0, "ratio"] == pytest.approx(0.8)
