"""Chart-ready frames that several pages share: model points with tooltip text, fitted lines."""

from __future__ import annotations


import numpy as np
import pandas as pd

from analysis.text import format_date, format_days, format_minutes
from analysis.trend import TrendFit

WINDOW_LABELS = {"all_time": "All time", "from_2023_on": "Since 2023", "from_2024_on": "Since 2024"}
WINDOW_SHORT = {"all_time": "all", "from_2023_on": "2023", "from_2024_on": "2024"}
RELIABILITY = {"p50": "50%", "p80": "80%"}


def milestone_text(hours: float, reliability: str) -> str:
    return f"{format_minutes(60 * hours)} at {RELIABILITY[reliability]}"


def point_statuses(max_minutes: float) -> list[str]:
    """Status labels of chart points, in the order frontier, other, above the ceiling."""
    return ["Frontier (fitted)", "Not frontier", f"Above {format_minutes(max_minutes)}: not fitted"]


def horizon_points(horizons: pd.DataFrame, metric: str, max_minutes: float) -> pd.DataFrame:
    """Chart points with a status and text columns for tooltips."""
    frontier, other, above = point_statuses(max_minutes)
    status = np.where(horizons["p50"] > max_minutes, above, np.where(horizons["is_sota"], frontier, other))
    return pd.DataFrame(
        {
            "display_name": horizons["display_name"],
            "release_date": horizons["release_date"],
            "horizon_min": horizons[metric],
            "low_min": horizons[f"{metric}_low"],
            "high_min": horizons[f"{metric}_high"],
            "status": status,
            "release_text": horizons["release_date"].map(format_date),
            "horizon_text": horizons[metric].map(format_minutes),
            "ci_text": [
                f"{format_minutes(lo)} to {format_minutes(hi)}"
                for lo, hi in zip(horizons[f"{metric}_low"], horizons[f"{metric}_high"])
            ],
        }
    )


def fit_lines(fits: dict[str, TrendFit]) -> pd.DataFrame:
    """Stack fitted lines, labelled with their window and doubling time."""
    frames = []
    for window, fit in fits.items():
        label = f"{WINDOW_LABELS[window]}: doubles every {format_days(fit.doubling_days)} days"
        frames.append(fit.line.assign(fit=label))
    return pd.concat(frames, ignore_index=True)


def suite_points(comparison: pd.DataFrame, old_label: str, new_label: str) -> pd.DataFrame:
    ratio_text = comparison["ratio"].map(lambda r: f"{r:.2f}×")
    long = []
    for column, label in (("old", old_label), ("new", new_label)):
        long.append(
            pd.DataFrame(
                {
                    "display_name": comparison["display_name"],
                    "release_date": comparison["release_date"],
                    "suite": label,
                    "horizon_min": comparison[column],
                    "horizon_text": comparison[column].map(format_minutes),
                    "ratio_text": ratio_text,
                }
            )
        )
    return pd.concat(long, ignore_index=True)
