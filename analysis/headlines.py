"""Numbers the prose quotes, and every rule that turns a number into text.

Two layers: ``*_numbers`` functions return raw, unit-tested values; ``as_text`` formats them by key
suffix. The table helpers at the bottom add readable text columns for tooltips and displayed tables.
This is the only module that rounds.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import revisions
from analysis.trend import TrendFit

WINDOW_LABELS = {"all_time": "All time", "from_2023_on": "Since 2023", "from_2024_on": "Since 2024"}
WINDOW_SHORT = {"all_time": "all", "from_2023_on": "2023", "from_2024_on": "2024"}


# ------------------------------------------------------------------ formatting rules


def format_minutes(minutes: float) -> str:
    """Human-expert task length in the unit a reader would use."""
    if not math.isfinite(minutes):
        return "unbounded"
    if minutes < 1:
        seconds = minutes * 60
        return f"{seconds:.0f} seconds" if seconds >= 1.5 else f"{seconds:.1f} seconds"
    if minutes < 10:
        return f"{minutes:.1f} minutes"
    if minutes < 60:
        return f"{minutes:.0f} minutes"
    hours = minutes / 60
    return f"{hours:.1f} hours" if hours < 10 else f"{hours:.0f} hours"


def format_days(days: float) -> str:
    return "no finite doubling" if not math.isfinite(days) else f"{days:,.0f}"


def format_date(value) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


_SUFFIX_RULES = {
    "_days3": lambda v: f"{v:.3f}",
    "_days": format_days,
    "_min": format_minutes,
    "_pct": lambda v: f"{v:.0f}%",
    "_ratio": lambda v: f"{v:.1f}×",
    "_per_year": lambda v: f"{v:.1f}",
    "_r2": lambda v: f"{v:.2f}",
    "_count": lambda v: f"{v:,.0f}",
}


def as_text(numbers: dict[str, float | str]) -> dict[str, str]:
    """Format every value by its key's suffix; strings (names, dates) pass through unchanged."""
    text = {}
    for key, value in numbers.items():
        if isinstance(value, str):
            text[key] = value
            continue
        rule = next((rule for suffix, rule in _SUFFIX_RULES.items() if key.endswith(suffix)), None)
        if rule is None:
            raise KeyError(f"no formatting rule for headline key {key!r}; end it with one of {list(_SUFFIX_RULES)}")
        text[key] = rule(float(value))
    return text


# ------------------------------------------------------------------ the trend chapter's numbers


def _fit_numbers(fits: dict[tuple[str, str], TrendFit]) -> dict[str, float]:
    numbers = {}
    for (window, metric), fit in fits.items():
        key = f"{metric}_{WINDOW_SHORT[window]}"
        low, high = fit.doubling_days_ci
        numbers[f"{key}_doubling_days"] = fit.doubling_days
        numbers[f"{key}_doubling_days3"] = fit.doubling_days
        numbers[f"{key}_ci_low_days"] = low
        numbers[f"{key}_ci_high_days"] = high
        numbers[f"{key}_per_year"] = fit.doublings_per_year
        numbers[f"{key}_fit_r2"] = fit.r2
        numbers[f"{key}_models_count"] = fit.n
    return numbers


def _published_numbers(published: pd.DataFrame, prefix: str) -> dict[str, float]:
    numbers = {}
    for row in published.itertuples():
        key = f"{prefix}_{WINDOW_SHORT[row.window.replace('_stitched', '')]}"
        numbers[f"{key}_days3"] = row.point_estimate
        if not math.isnan(row.ci_low):
            numbers[f"{key}_ci_low_days"] = row.ci_low
            numbers[f"{key}_ci_high_days"] = row.ci_high
    return numbers


def trend_numbers(
    horizons: pd.DataFrame,
    fits: dict[tuple[str, str], TrendFit],
    published: pd.DataFrame,
    *,
    max_minutes: float,
    n_bootstrap: int,
    release_as_of: str,
) -> dict[str, float | str]:
    """Headline numbers for the current release: the fits, METR's block, the top models."""
    measurable = horizons[horizons["p50"] <= max_minutes]
    top = measurable.loc[measurable["p50"].idxmax()]
    highest = horizons.loc[horizons["p50"].idxmax()]
    fitted = fits[("all_time", "p50")].points
    numbers: dict[str, float | str] = {
        "release_as_of": format_date(release_as_of),
        "models_count": len(horizons),
        "frontier_count": int(horizons["is_sota"].sum()),
        "top_model": top["display_name"],
        "top_model_release": format_date(top["release_date"]),
        "top_p50_min": top["p50"],
        "top_p50_low_min": top["p50_low"],
        "top_p50_high_min": top["p50_high"],
        "top_p80_min": top["p80"],
        "highest_model": highest["display_name"],
        "highest_p50_min": highest["p50"],
        "highest_p50_low_min": highest["p50_low"],
        "highest_p50_high_min": highest["p50_high"],
        "ceiling_min": max_minutes,
        "bootstrap_count": n_bootstrap,
        "above_ceiling_count": int((horizons["p50"] > max_minutes).sum()),
        "p50_over_p80_median_ratio": float((fitted["p50"] / fitted["p80"]).median()),
    }
    numbers.update(_fit_numbers(fits))
    numbers.update(_published_numbers(published, "metr"))
    return numbers


def interval_numbers(label: str, fit: TrendFit) -> dict[str, float]:
    low, high = fit.doubling_days_ci
    return {f"{label}_ci_low_days": low, f"{label}_ci_high_days": high}


def suite_numbers(comparison: pd.DataFrame, old_fit: TrendFit, new_fit: TrendFit) -> dict[str, float]:
    summary = revisions.summarise_change(comparison)
    return {
        "suites_common_count": summary["n_common"],
        "suites_lower_count": summary["n_lower"],
        "suites_higher_count": summary["n_higher"],
        "suites_median_ratio": summary["median_ratio"],
        "suites_min_ratio": summary["min_ratio"],
        "suites_max_ratio": summary["max_ratio"],
        "v10_2023_doubling_days": old_fit.doubling_days,
        "v11_2023_doubling_days": new_fit.doubling_days,
        "suites_faster_pct": 100 * (old_fit.doubling_days / new_fit.doubling_days - 1),
    }


# ------------------------------------------------------------------ readable tables


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


def doubling_table_text(table: pd.DataFrame) -> pd.DataFrame:
    """The doubling-time table as a reader sees it."""
    def interval(low, high):
        return "" if pd.isna(low) else f"{format_days(low)}–{format_days(high)}"

    return pd.DataFrame(
        {
            "Window": table["window"].map(WINDOW_LABELS),
            "Reliability": table["metric"].map({"p50": "50%", "p80": "80%"}),
            "Models": table["n_models"],
            "Doubling (days)": [f"{v:.1f}" for v in table["doubling_days"]],
            "95% CI (bootstrap)": [interval(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
            "Doublings / year": [f"{v:.2f}" for v in table["doublings_per_year"]],
            "METR published": ["" if pd.isna(v) else f"{v:.3f}" for v in table["metr_days"]],
            "METR 95% CI": [interval(lo, hi) for lo, hi in zip(table["metr_ci_low"], table["metr_ci_high"])],
        }
    )
