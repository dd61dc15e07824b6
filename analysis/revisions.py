"""How METR's estimates moved between task suites and releases. Frames in, frames out; no I/O."""

from __future__ import annotations

import numpy as np
import pandas as pd


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
