"""How METR's estimates moved between task suites and releases. Frames in, frames out; no I/O."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import trend


def compare_suites(old: pd.DataFrame, new: pd.DataFrame, metric: str = "p50") -> pd.DataFrame:
    """Models present in both tables, matched by display name (METR's keys differ between suites).

    Returns display_name, release_date, old, new, ratio (new / old), log2_change.
    """
    left = old[["display_name", "release_date", metric]].rename(columns={metric: "old"})
    right = new[["display_name", metric]].rename(columns={metric: "new"})
    both = left.merge(right, on="display_name", how="inner", validate="one_to_one")
    both["ratio"] = both["new"] / both["old"]
    both["log2_change"] = np.log2(both["ratio"])
    return both.sort_values("release_date", kind="stable").reset_index(drop=True)


def summarise_change(comparison: pd.DataFrame) -> dict[str, float]:
    """Median ratio, its geometric mean, and how many models moved down or up."""
    return {
        "n_common": float(len(comparison)),
        "median_ratio": float(comparison["ratio"].median()),
        "geometric_mean_ratio": float(2.0 ** comparison["log2_change"].mean()),
        "n_lower": float((comparison["ratio"] < 1).sum()),
        "n_higher": float((comparison["ratio"] > 1).sum()),
        "min_ratio": float(comparison["ratio"].min()),
        "max_ratio": float(comparison["ratio"].max()),
    }


def changelog(releases: dict[str, pd.DataFrame], as_of: dict[str, str]) -> pd.DataFrame:
    """Every model's published p50 in every release (long form), oldest release first."""
    frames = [
        table[["display_name", "release_date", "p50", "p50_low", "p50_high", "is_sota"]].assign(
            release=name, as_of=pd.Timestamp(as_of[name]), suite=table["benchmark"].iloc[0]
        )
        for name, table in releases.items()
    ]
    return pd.concat(frames, ignore_index=True).sort_values(["as_of", "release_date"], kind="stable")


def moved_models(log: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Models published in both releases, with the ratio last / first of their p50."""
    both = compare_suites(log[log["release"] == first], log[log["release"] == last])
    return both.rename(columns={"old": first, "new": last})


def doubling_by_release(
    releases: dict[str, pd.DataFrame],
    labels: dict[str, str],
    published: dict[str, pd.DataFrame],
    windows: dict[str, str | None],
    *,
    max_minutes: float,
    rng: np.random.Generator,
    n_bootstrap: int,
    confidence: float,
) -> pd.DataFrame:
    """Doubling times (with bootstrap CIs) fitted on each release, beside METR's published figure."""
    rows = []
    for name, table in releases.items():
        row = {"release": name, "label": labels[name], "models": len(table)}
        for window, since in windows.items():
            fit = trend.fit_trend(table, since=since, max_minutes=max_minutes, rng=rng,
                                  n_bootstrap=n_bootstrap, confidence=confidence)
            row[f"{window}_days"] = fit.doubling_days
            row[f"{window}_low"], row[f"{window}_high"] = fit.doubling_days_ci
        block = published[name].set_index("window")["point_estimate"]
        row["metr_since_2023"] = block.get("from_2023_on", np.nan)
        rows.append(row)
    return pd.DataFrame(rows)
