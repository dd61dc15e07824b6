"""Chapter 3, lab timelines: stated dates mapped to horizon milestones and held against the arrival
distributions of four growth scenarios; an in-page explorer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import charts, facts, forecast, metr
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import RELIABILITY, milestone_text
from analysis.text import format_date, format_minutes, format_month


def build(params: Params) -> ChapterResult:
    horizons = metr.load_horizons("1.1")
    claims = facts.load_claims()
    scenarios = [name for name, _ in params.scenario_weights]
    draws = forecast.scenario_draws(horizons, params, params.rng, n_draws=params.n_forecast_draws)
    milestones = {name: 60 * hours for name, hours in params.milestone_hours().items()}
    arrivals = forecast.arrival_table(draws, milestones, [None, *scenarios])
    probabilities = forecast.claim_probabilities(claims, draws, [None, *scenarios])
    latest = horizons.loc[horizons["release_date"].idxmax()]
    fan_dates = pd.date_range(latest["release_date"], params.fan_end, periods=params.fan_points)

    numbers = timeline_numbers(arrivals, probabilities, claims)
    numbers |= {f"weight_{i}_share": weight / sum(w for _, w in params.scenario_weights)
                for i, (_, weight) in enumerate(params.scenario_weights)}
    stated = claims.set_index("claim_id")
    numbers |= {
        "clark_2028_stated_share": stated.loc["clark_no_human_2028", "stated_probability"],
        "clark_2027_stated_share": stated.loc["clark_no_human_2027", "stated_probability"],
        "cotra_min": 60 * stated.loc["cotra_24h_2026", "milestone_hours"],
        "draws_count": params.n_forecast_draws,
        "ceiling_min": params.max_minutes,
        "latest_model": latest["display_name"],
        "latest_release": format_date(latest["release_date"]),
        "work_week_min": milestones["work-week"],
        "work_month_min": milestones["work-month"],
    }

    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    explorer, scenario_labels, scenario_weights = explorer_draws(draws, dict(params.scenario_weights))
    figures = {
        "fig_fan": charts.fan_chart(
            forecast.fan(draws, fan_dates), observed_points(horizons), scenarios=scenarios, ticks=ticks,
            ceiling_minutes=params.max_minutes,
            ceiling_label=f"{format_minutes(params.max_minutes)}: limit of reliable measurement",
            title="Where the trend goes: projected horizons under four growth scenarios",
            description="Line chart with bands on a log scale: projected 50% or 80% time horizon to 2032 under four growth scenarios (median and 10-90% range), with measured horizons as points.",
            width=params.chart_width, height=params.chart_height,
        ),
        "fig_claims": charts.claims_chart(
            claims_points(claims, probabilities),
            title="Stated dates against the trend's arrival range",
            description="Dot plot: each lab or forecaster claim's target date (diamond, coloured by the trend's probability) against the 10-90% arrival range of the milestone it is mapped to.",
            width=params.chart_width - 120,
        ),
        "fig_explorer": charts.arrival_explorer_chart(
            explorer, scenarios=scenario_labels, weights=scenario_weights, hours=params.work_week_hours,
            by_year=params.explorer_year,
            title="Explore: when does the trend reach a milestone?",
            description="Interactive step chart: probability that the projected horizon reaches a chosen number of hours, by date, for a chosen scenario and reliability level.",
            width=params.chart_width,
        ),
    }
    mapping = claims[["who", "claim", "mapping_reason", "caveat"]].rename(
        columns={"who": "Who", "claim": "Claim", "mapping_reason": "Why this milestone", "caveat": "Caveat"})
    tables = {
        "tbl_claims": claims_table_text(claims, probabilities, scenarios),
        "tbl_arrivals": arrival_table_text(arrivals),
        "tbl_mapping": mapping,
    }
    return ChapterResult(page="timelines", numbers=numbers, tables=tables, figures=figures, data={
        "draws": draws, "claims": claims, "probabilities": probabilities, "arrivals": arrivals})



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
