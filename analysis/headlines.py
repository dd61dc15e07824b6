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
from analysis.trend import DAY0, TrendFit

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
    "_signed_log2": lambda v: f"{v:+.2f}",
    "_log2": lambda v: f"{v:.2f}",
    "_p": lambda v: f"{v:.3f}",
    "_stat": lambda v: f"{v:.1f}",
    "_share": lambda v: f"{100 * v:.0f}%",
    "_days3": lambda v: f"{v:.3f}",
    "_days": format_days,
    "_min": format_minutes,
    "_pct2": lambda v: f"{v:.2f}%",
    "_pct": lambda v: f"{v:.0f}%" if v == round(v) or abs(v) >= 10 else f"{v:.1f}%",
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


# ------------------------------------------------------------------ the eras chapter


def breakpoint_numbers(fit, prefix: str) -> dict[str, float | str]:
    """Break date, both doubling times and the change in growth rate, with bootstrap intervals."""
    numbers: dict[str, float | str] = {
        f"{prefix}_break": format_month(fit.break_date),
        f"{prefix}_models_count": fit.n,
        f"{prefix}_before_days": fit.doubling_days_before,
        f"{prefix}_after_days": fit.doubling_days_after,
        f"{prefix}_speedup_ratio": fit.doubling_days_before / fit.doubling_days_after,
    }
    if len(fit.draws):
        low_date, high_date = fit.break_date_ci
        numbers[f"{prefix}_break_low"] = format_month(low_date)
        numbers[f"{prefix}_break_high"] = format_month(high_date)
        for side in ("before", "after"):
            low, high = getattr(fit, f"doubling_days_{side}_ci")
            numbers[f"{prefix}_{side}_ci_low_days"] = low
            numbers[f"{prefix}_{side}_ci_high_days"] = high
        low, high = fit.slope_change_per_year_ci
        numbers[f"{prefix}_change_low_per_year"] = low
        numbers[f"{prefix}_change_high_per_year"] = high
        numbers[f"{prefix}_change_per_year"] = 365.25 * (fit.slope_after - fit.slope_before)
    return numbers


def format_month(value) -> str:
    return f"{pd.Timestamp(value):%B %Y}"


def acceleration_numbers(test, jack: pd.DataFrame) -> dict[str, float | str]:
    influential = jack.loc[jack["recent_change_pct"].abs().idxmax()]
    return {
        "accel_sup_f_stat": test.statistic,
        "accel_p": test.p_value,
        "accel_null_count": test.n_null,
        "jack_model": influential["dropped"],
        "jack_change_pct": abs(influential["recent_change_pct"]),
        "jack_direction": "shorter" if influential["recent_change_pct"] < 0 else "longer",
        "jack_break_earliest": format_month(jack["break_date"].min()),
        "jack_break_latest": format_month(jack["break_date"].max()),
        "jack_after_low_days": jack["doubling_days_after"].min(),
        "jack_after_high_days": jack["doubling_days_after"].max(),
    }


_GROWTH_KEYS = {"exponential": "exp", "two eras": "eras", "superexponential": "super"}


def growth_numbers(table: pd.DataFrame, summary: pd.DataFrame, superexponential_params) -> dict[str, float | str]:
    best = table.loc[table["aicc"].idxmin(), "model"]
    numbers: dict[str, float | str] = {"best_growth_model": best}
    for row in table.itertuples():
        key = _GROWTH_KEYS[row.model]
        numbers[f"{key}_aicc_share"] = row.aicc_weight
        numbers[f"{key}_delta_aicc_stat"] = row.delta_aicc
        numbers[f"{key}_delta_bic_stat"] = row.delta_bic
    for row in summary.itertuples():
        key = _GROWTH_KEYS[row.model]
        numbers[f"{key}_bias_signed_log2"] = row.bias_log2
        numbers[f"{key}_mae_log2"] = row.mae_log2
        numbers[f"{key}_coverage_share"] = row.coverage
        numbers["backtest_forecasts_count"] = row.forecasts
    _, d0, shrink, _ = superexponential_params
    numbers["super_first_doubling_days"] = d0
    numbers["super_shrink_pct"] = 100 * shrink
    return numbers


def sweep_numbers(sweep: pd.DataFrame, since) -> dict[str, float]:
    recent = sweep[(sweep["start"] >= pd.Timestamp(since)) & sweep["frontier_only"]]
    return {
        "sweep_recent_min_days": recent["doubling_days"].min(),
        "sweep_recent_max_days": recent["doubling_days"].max(),
        "sweep_starts_count": len(sweep[sweep["frontier_only"]]),
    }


def gap_numbers(gap, label: str) -> dict[str, float]:
    low, high = gap.slope_per_year_ci
    return {
        f"{label}_signed_log2": gap.slope_per_year,
        f"{label}_low_signed_log2": low,
        f"{label}_high_signed_log2": high,
    }


def verdict_numbers(verdicts: pd.DataFrame) -> dict[str, float]:
    return {
        "figures_count": len(verdicts),
        "figures_reproduce_count": int(verdicts["reproduces"].sum()),
        "figures_survive_count": int(verdicts["survives"].sum()),
        "figures_current_count": int(verdicts["current"].sum()),
        "figures_all_three_count": int((verdicts["reproduces"] & verdicts["survives"] & verdicts["current"]).sum()),
    }


def verdict_text(row) -> str:
    """One verdict sentence from the three tests (and a warning when a test sits on a CI bound)."""
    if row.reproduces and row.survives and row.current:
        text = "Holds: reproduces, survives METR's revisions, describes the trend to date"
    elif row.reproduces and row.survives:
        text = "Reproduces and survives the revisions, but no longer describes the trend to date"
    elif row.reproduces and row.current:
        text = "Reproduces; the revised data move the same window, yet the trend to date agrees"
    elif row.reproduces:
        text = "Reproduces from its release, but METR's revisions overturned it"
    elif row.survives or row.current:
        text = "Does not reproduce from its own release, though today's interval contains it"
    else:
        text = "Does not reproduce, and today's data reject it"
    return text + (" (borderline)" if row.borderline else "")


def verdict_table_text(figures: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    merged = figures.merge(verdicts, on="figure_id", validate="one_to_one")

    def estimate(value, low, high):
        return f"{format_days(value)} ({format_days(low)}–{format_days(high)})"

    return pd.DataFrame(
        {
            "Figure in circulation": merged["figure"],
            "Source (fact)": [f"{w}, {s} ({f})" for w, s, f in zip(merged["who"], merged["stated"], merged["fact_id"])],
            "Claimed (days)": merged["claimed_days"].map(format_days),
            "From its own release": [estimate(*v) for v in zip(merged["own_release_days"], merged["own_ci_low"], merged["own_ci_high"])],
            "Same window, today's data": [estimate(*v) for v in zip(merged["same_window_today_days"], merged["same_window_ci_low"], merged["same_window_ci_high"])],
            "Same start, to date": [estimate(*v) for v in zip(merged["to_date_days"], merged["to_date_ci_low"], merged["to_date_ci_high"])],
            "Verdict": [verdict_text(row) for row in merged.itertuples()],
        }
    )


def sweep_points(sweep: pd.DataFrame) -> pd.DataFrame:
    table = sweep.copy()
    table["selection"] = np.where(table["frontier_only"], "Frontier models", "All models")
    for column in ("doubling_days", "ci_low", "ci_high"):
        table[column] = table[column].where(np.isfinite(table[column]))
    table["start_text"] = table["start"].map(format_date)
    table["estimate_text"] = table["doubling_days"].map(lambda d: f"{format_days(d)} days")
    table["ci_text"] = [f"{format_days(lo)}–{format_days(hi)} days" for lo, hi in zip(sweep["ci_low"], sweep["ci_high"])]
    return table


def break_counts(fit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bootstrap break dates binned by quarter, and the point estimate, for the chart."""
    quarters = (DAY0 + pd.to_timedelta(fit.draws["break_days"], unit="D")).dt.to_period("Q")
    share = quarters.value_counts(normalize=True).sort_index()
    counts = pd.DataFrame(
        {
            "quarter": share.index.to_timestamp(),
            "share": share.to_numpy(),
            "quarter_text": [str(q) for q in share.index],
            "share_text": [f"{100 * v:.1f}%" for v in share.to_numpy()],
        }
    )
    estimate = pd.DataFrame({"break_date": [fit.break_date], "label": [f"Estimate: {format_month(fit.break_date)}"]})
    return counts, estimate


def backtest_points(backtest: pd.DataFrame) -> pd.DataFrame:
    table = backtest.copy()
    table["origin_text"] = table["origin"].map(format_date)
    table["error_text"] = table["error_log2"].map(lambda e: f"{e:+.2f} doublings")
    table["covered_text"] = np.where(table["covered"], "yes", "no")
    return table


def backtest_table_text(table: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    merged = table.merge(summary, on="model")
    return pd.DataFrame(
        {
            "Growth model": merged["model"],
            "Parameters": merged["n_params"],
            "ΔAICc": [f"{v:.1f}" for v in merged["delta_aicc"]],
            "AICc weight": [f"{100 * v:.0f}%" for v in merged["aicc_weight"]],
            "ΔBIC": [f"{v:.1f}" for v in merged["delta_bic"]],
            "Backtest forecasts": merged["forecasts"],
            "Bias (doublings)": [f"{v:+.2f}" for v in merged["bias_log2"]],
            "Mean abs. error (doublings)": [f"{v:.2f}" for v in merged["mae_log2"]],
            "80% interval coverage": [f"{100 * v:.0f}%" for v in merged["coverage"]],
        }
    )


def changelog_points(log: pd.DataFrame) -> pd.DataFrame:
    labels = {name: f"v{suite} ({format_date(as_of)})" for name, suite, as_of in
              log[["release", "suite", "as_of"]].drop_duplicates().itertuples(index=False)}
    order = {name: i for i, name in enumerate(log.sort_values("as_of")["release"].drop_duplicates())}
    table = log.copy()
    table["release_label"] = table["release"].map(labels)
    table["release_order"] = table["release"].map(order)
    table["horizon_text"] = table["p50"].map(format_minutes)
    table["ci_text"] = [f"{format_minutes(lo)} to {format_minutes(hi)}" for lo, hi in zip(log["p50_low"], log["p50_high"])]
    return table


def release_doubling_text(table: pd.DataFrame) -> pd.DataFrame:
    def interval(low, high):
        return f"{format_days(low)}–{format_days(high)}"

    return pd.DataFrame(
        {
            "Release": table["label"],
            "Models": table["models"],
            "All time (days)": [f"{v:.1f}" for v in table["all_time_days"]],
            "95% CI": [interval(lo, hi) for lo, hi in zip(table["all_time_low"], table["all_time_high"])],
            "Since 2023 (days)": [f"{v:.1f}" for v in table["since_2023_days"]],
            "95% CI ": [interval(lo, hi) for lo, hi in zip(table["since_2023_low"], table["since_2023_high"])],
            "Since 2024 (days)": [f"{v:.1f}" for v in table["since_2024_days"]],
            "METR published, since 2023": ["" if pd.isna(v) else f"{v:.3f}" for v in table["metr_since_2023"]],
        }
    )


def ratio_points(gap) -> pd.DataFrame:
    return gap.points.assign(ratio_text=gap.points["ratio"].map(lambda r: f"{r:.1f}×"))


def era_lines(exponential: TrendFit, two_eras, grid_points: int) -> pd.DataFrame:
    """The single exponential and the two-era fit, labelled for the legend."""
    one = exponential.line.assign(fit=f"One exponential: doubles every {format_days(exponential.doubling_days)} days")
    two = two_eras.line(grid_points).assign(
        fit=f"Two eras, break {format_month(two_eras.break_date)}: "
        f"{format_days(two_eras.doubling_days_before)} then {format_days(two_eras.doubling_days_after)} days"
    )
    return pd.concat([one, two], ignore_index=True)


# ------------------------------------------------------------------ the timelines chapter

RELIABILITY = {"p50": "50%", "p80": "80%"}


def milestone_text(hours: float, reliability: str) -> str:
    return f"{format_minutes(60 * hours)} at {RELIABILITY[reliability]}"


def timeline_numbers(arrivals: pd.DataFrame, probabilities: pd.DataFrame, claims: pd.DataFrame) -> dict[str, float | str]:
    """Arrival months for the work-time milestones (mixture) and each claim's probabilities."""
    numbers: dict[str, float | str] = {}
    mixture = arrivals[arrivals["scenario"] == "Mixture"]
    for row in mixture.itertuples():
        key = f"{row.milestone.replace('-', '_')}_{row.metric}"
        for column in ("p10", "median", "p90"):
            value = getattr(row, column)
            numbers[f"{key}_{column}"] = "after the projection" if pd.isna(value) else format_month(value)
    scenario_columns = [c for c in probabilities.columns if c not in ("claim_id", "Mixture") and not c.startswith("arrival")]
    for _, row in probabilities.iterrows():
        numbers[f"{row['claim_id']}_share"] = row["Mixture"]
        numbers[f"{row['claim_id']}_low_share"] = row[scenario_columns].min()
        numbers[f"{row['claim_id']}_high_share"] = row[scenario_columns].max()
    numbers["claims_count"] = len(claims)
    numbers["claims_unverified_count"] = int((claims["verified"] == "no").sum())
    return numbers


def claims_table_text(claims: pd.DataFrame, probabilities: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    merged = claims.merge(probabilities, on="claim_id", validate="one_to_one").sort_values("target_date")
    return pd.DataFrame(
        {
            "Who (fact)": [f"{w} ({f})" for w, f in zip(merged["who"], merged["fact_id"])],
            "Claim": merged["claim"] + np.where(merged["verified"] == "no", " [unverified]", ""),
            "Target": merged["target_date"].map(format_month),
            "Mapped to": [milestone_text(h, r) for h, r in zip(merged["milestone_hours"], merged["reliability"])],
            "Stated odds": merged["stated_probability"].map(lambda p: "" if pd.isna(p) else f"{100 * p:.0f}%"),
            "Trend: mixture": merged["Mixture"].map(lambda p: f"{100 * p:.0f}%"),
            "Trend: range over scenarios": [
                f"{100 * min(v):.0f}–{100 * max(v):.0f}%" for v in merged[scenarios].to_numpy()
            ],
        }
    )


def claims_points(claims: pd.DataFrame, probabilities: pd.DataFrame) -> pd.DataFrame:
    merged = claims.merge(probabilities, on="claim_id", validate="one_to_one")
    return pd.DataFrame(
        {
            "label": [f"{o}: {c[:48]}{'…' if len(c) > 48 else ''}" for o, c in zip(merged["organisation"], merged["claim"])],
            "target_date": merged["target_date"],
            "arrival_p10": merged["arrival_p10"],
            "arrival_median": merged["arrival_median"],
            "arrival_p90": merged["arrival_p90"],
            "probability": merged["Mixture"],
            "probability_text": merged["Mixture"].map(lambda p: f"{100 * p:.0f}%"),
            "milestone_text": [milestone_text(h, r) for h, r in zip(merged["milestone_hours"], merged["reliability"])],
            "claim": merged["claim"],
            "who": merged["who"],
            "caveat": merged["caveat"],
        }
    )


def arrival_table_text(arrivals: pd.DataFrame) -> pd.DataFrame:
    def when(value):
        return "beyond the draws" if pd.isna(value) else format_month(value)

    table = arrivals.copy()
    return pd.DataFrame(
        {
            "Milestone": [f"{m} ({format_minutes(v)})" for m, v in zip(table["milestone"], table["minutes"])],
            "Reliability": table["metric"].map(RELIABILITY),
            "Scenario": table["scenario"],
            "10%": table["p10"].map(when),
            "Median": table["median"].map(when),
            "90%": table["p90"].map(when),
        }
    )


def observed_points(horizons: pd.DataFrame) -> pd.DataFrame:
    """Measured horizons in long form (one row per model and reliability level) for the fan chart."""
    frames = [
        pd.DataFrame({"metric": metric, "release_date": horizons["release_date"], "horizon_min": horizons[metric],
                      "display_name": horizons["display_name"], "horizon_text": horizons[metric].map(format_minutes)})
        for metric in ("p50", "p80")
    ]
    return pd.concat(frames, ignore_index=True)


SCENARIO_CODES = {
    "Exponential, all time": "exp_all",
    "Exponential, since 2023": "exp_2023",
    "Latest era continues": "latest_era",
    "Superexponential": "super",
}


def _significant(values: pd.Series, digits: int = 6) -> pd.Series:
    return values.map(lambda v: float(f"{v:.{digits}g}") if pd.notna(v) else v)


def explorer_draws(
    draws: pd.DataFrame, scenario_weights: dict[str, float]
) -> tuple[pd.DataFrame, dict[str, str], dict[str, float]]:
    """The parameter draws as the in-browser explorer gets them: scenario codes, six significant
    digits, no stored weights. Returns (draws, code -> label, code -> normalised mixture weight)."""
    table = draws[["scenario", "metric", "kind", "a", "b", "y0", "d0", "shrink", "x0"]].copy()
    table.insert(0, "s", table.pop("scenario").map(SCENARIO_CODES))
    for column in ("a", "b", "y0", "d0", "shrink", "x0"):
        table[column] = _significant(table[column])
    total = sum(scenario_weights.values())
    labels = {SCENARIO_CODES[name]: name for name in scenario_weights}
    weights = {SCENARIO_CODES[name]: weight / total for name, weight in scenario_weights.items()}
    return table, labels, weights


# ------------------------------------------------------------------ the labour chapter

SENSITIVITY_LABELS = {
    "post_automation": "Pay after automation (share of baseline)",
    "lag_years": "Lag from capability to displacement (years)",
    "discount": "Discount rate",
    "wage_growth": "Real wage growth",
    "years": "Career length (years)",
}


def format_dollars(value: float) -> str:
    if value >= 1e6:
        return f"${value / 1e6:,.2f}M".replace(".00M", "M")
    return f"${value:,.0f}"


def pay_points(pay: pd.DataFrame) -> pd.DataFrame:
    """Pay figures for the salary chart, with source kind and readable ranges."""
    kind = np.select(
        [pay["item_id"] == "openai_rsi_listing", pay["survey"].str.startswith("BLS"), pay["confidence"] == "low"],
        ["The listing", "BLS (official statistics)", "Reported lab pay (low confidence)"],
        default="Reported offers (press)",
    )
    return pd.DataFrame(
        {
            "label": pay["label"],
            "value_low": pay["value_low"],
            "value_high": pay["value_high"],
            "kind": kind,
            "survey": pay["survey"],
            "date_text": pay["reference_date"].map(format_month),
            "range_text": [format_dollars(lo) if lo == hi else f"{format_dollars(lo)} to {format_dollars(hi)}"
                           for lo, hi in zip(pay["value_low"], pay["value_high"])],
            "source_url": pay["source_url"],
            "caveat": pay["caveat"],
        }
    )


def sensitivity_points(table: pd.DataFrame) -> pd.DataFrame:
    def setting(name, value):
        return f"{100 * value:.0f}%" if name in ("discount", "wage_growth", "post_automation") else f"{value:g}"

    return pd.DataFrame(
        {
            "parameter_text": table["parameter"].map(SENSITIVITY_LABELS),
            "premium_at_low": table["premium_at_low"],
            "premium_at_high": table["premium_at_high"],
            "base": table["base"],
            "low_text": [f"{setting(n, v)}: premium {100 * p:.0f}%" for n, v, p in
                         zip(table["parameter"], table["low_value"], table["premium_at_low"])],
            "high_text": [f"{setting(n, v)}: premium {100 * p:.0f}%" for n, v, p in
                          zip(table["parameter"], table["high_value"], table["premium_at_high"])],
        }
    )


def premium_points(premiums: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"scenario": list(premiums), "premium": list(premiums.values()),
         "premium_text": [f"{100 * p:.0f}%" for p in premiums.values()]}
    )


def value_curve_points(curve: pd.DataFrame) -> pd.DataFrame:
    return curve.assign(value_text=curve["relative_value"].map(lambda v: f"{100 * v:.0f}%"))


def precedent_points(employment: pd.DataFrame) -> pd.DataFrame:
    levels = employment[(employment["occupation"] == "Computer programmers") & employment["unit"].str.startswith("jobs")]
    return pd.DataFrame(
        {
            "year": levels["year"],
            "value": levels["value"],
            "survey": levels["survey"],
            "label": [f"{v:,.0f}{' or more' if 'lower bound' in u else ''} ({int(y)})"
                      for v, u, y in zip(levels["value"], levels["unit"], levels["year"])],
            "caveat": levels["caveat"],
        }
    )


def labor_numbers(
    pay: pd.DataFrame,
    employment: pd.DataFrame,
    headcount: pd.DataFrame,
    *,
    premiums: dict[str, float],
    sensitivity: pd.DataFrame,
    arrival: tuple[float, float, float],
    halving: dict[float, float],
    career,
) -> dict[str, float | str]:
    items = pay.set_index("item_id")
    listing_low, listing_high = items.loc["openai_rsi_listing", ["value_low", "value_high"]]
    cirs = items.loc["cirs_median_2024", "value_low"]
    jobs = employment.set_index("item_id")["value"]
    heads = headcount.set_index("item_id")["value"]
    numbers: dict[str, float | str] = {
        "listing_low_usd": format_dollars(listing_low),
        "listing_high_usd": format_dollars(listing_high),
        "cirs_median_usd": format_dollars(cirs),
        "listing_low_ratio": listing_low / cirs,
        "listing_high_ratio": listing_high / cirs,
        "listing_premium_low_share": listing_low / cirs - 1,
        "listing_premium_high_share": listing_high / cirs - 1,
        "all_median_usd": format_dollars(items.loc["all_occupations_median_2024", "value_low"]),
        "lab_tc_low_usd": format_dollars(items.loc["openai_research_scientist_tc", "value_low"]),
        "lab_tc_high_usd": format_dollars(items.loc["openai_research_scientist_tc", "value_high"]),
        "lab_l5_low_usd": format_dollars(items.loc["anthropic_l5_tc", "value_low"]),
        "cirs_jobs_count": jobs["cirs_jobs_2024"],
        "safety_technical_count": heads["technical_2025"],
        "safety_growth_pct": heads["technical_growth"],
        "programmers_drop_pct": abs(jobs["programmers_cps_drop"]),
        "swdev_change_pct": jobs["swdev_cps_change"],
        "premium_mixture_share": premiums["Mixture"],
        "premium_min_share": min(v for k, v in premiums.items() if k != "Mixture"),
        "premium_max_share": max(v for k, v in premiums.items() if k != "Mixture"),
        "arrival_p10_years_stat": arrival[0],
        "arrival_median_years_stat": arrival[1],
        "arrival_p90_years_stat": arrival[2],
        "career_years_stat": career.years,
        "discount_share": career.discount,
        "wage_growth_share": career.wage_growth,
        "post_automation_share": career.post_automation,
        "lag_years_stat": career.lag_years,
        "top_sensitivity": SENSITIVITY_LABELS[sensitivity.loc[0, "parameter"]].lower(),
        "top_low_share": min(sensitivity.loc[0, ["premium_at_low", "premium_at_high"]]),
        "top_high_share": max(sensitivity.loc[0, ["premium_at_low", "premium_at_high"]]),
    }
    for growth, years in halving.items():
        numbers[f"halving_{int(round(100 * growth))}_stat"] = years
    return numbers


# ------------------------------------------------------------------ the methods chapter


def reproduction(ours: pd.DataFrame, published: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """Our re-estimates beside METR's published p50 and p80 (by agent), with differences in percent."""
    table = ours.merge(agents, on="agent").merge(
        published[["model", "display_name", "p50", "p80"]], on="model", suffixes=("", "_metr")
    )
    table["p50_diff_pct"] = 100 * (table["p50"] / table["p50_metr"] - 1)
    table["p80_diff_pct"] = 100 * (table["p80"] / table["p80_metr"] - 1)
    return table.sort_values("release_date")


def reproduction_table_text(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Model": table["display_name"],
            "p50, ours": table["p50"].map(lambda v: f"{v:,.2f}"),
            "p50, METR": table["p50_metr"].map(lambda v: f"{v:,.2f}"),
            "Difference": table["p50_diff_pct"].map(lambda v: f"{v:+.3f}%"),
            "p80, ours": table["p80"].map(lambda v: f"{v:,.2f}"),
            "p80, METR": table["p80_metr"].map(lambda v: f"{v:,.2f}"),
            "Difference ": table["p80_diff_pct"].map(lambda v: f"{v:+.3f}%"),
        }
    )


def interval_points(ours: pd.DataFrame, published: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """Long table of our bootstrap interval and METR's, per agent. ``ours``: agent, low, high, estimate."""
    table = ours.merge(agents, on="agent").merge(published[["model", "display_name", "release_date", "p50", "p50_low", "p50_high"]], on="model")
    frames = []
    for source, low, high in (("Ours (families, tasks, runs)", "low", "high"), ("METR's", "p50_low", "p50_high")):
        frames.append(pd.DataFrame({
            "display_name": table["display_name"], "release_date": table["release_date"], "source": source,
            "low": table[low], "high": table[high], "estimate": table["p50"],
            "interval_text": [f"{format_minutes(lo)} to {format_minutes(hi)}" for lo, hi in zip(table[low], table[high])],
        }))
    return pd.concat(frames, ignore_index=True)


def multiverse_points(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.assign(
        doubling_text=summary["doubling_days"].map(lambda d: f"{format_days(d)} days"),
        median_ratio_text=summary["median_ratio"].map(lambda r: f"{r:.2f}×"),
    )


def saturation_points(table: pd.DataFrame, ceiling_minutes: float) -> pd.DataFrame:
    status = np.where(table["p50"] > ceiling_minutes, f"50% horizon above {format_minutes(ceiling_minutes)}",
                      f"50% horizon up to {format_minutes(ceiling_minutes)}")
    return table.assign(status=status, p50_text=table["p50"].map(format_minutes),
                        longest_text=table["longest_task"].map(format_minutes))
