"""Chart builders for chapter 6 (what to watch): compute and the horizon.

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import COLOURS, category_scale, fit_container, time_axis, today_marks


def compute_frontier_chart(
    points: pd.DataFrame, lines: pd.DataFrame, cutoff: pd.DataFrame, *, title: str, description: str, height: int
) -> alt.LayerChart:
    """Training compute of notable models over time (log axis), the running frontier highlighted, a
    fitted trend with its band per window, and a rule where the data stop being complete.

    ``points``: model, date, compute_flop, status, date_text, compute_text, confidence, organization.
    ``lines``: window, date, fitted, band_low, band_high. ``cutoff``: date, label.
    """
    x = alt.X("date:T").title("Publication date").axis(format="%Y")
    y_scale = alt.Scale(type="log")
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    status = (
        alt.Color("status:N").title("Model").scale(category_scale(points["status"])).legend(legend)
    )
    window = alt.Color("window:N").title("Trend fit").scale(category_scale(lines["window"])).legend(legend)
    tooltip = [
        alt.Tooltip("model:N").title("Model"),
        alt.Tooltip("organization:N").title("Developer"),
        alt.Tooltip("date_text:N").title("Published"),
        alt.Tooltip("compute_text:N").title("Training compute"),
        alt.Tooltip("confidence:N").title("Epoch's confidence"),
    ]
    band = alt.Chart(lines).mark_area(opacity=0.18).encode(
        x=x, y=alt.Y("band_low:Q").scale(y_scale), y2="band_high:Q", color=window
    )
    fitted = alt.Chart(lines).mark_line(strokeWidth=2).encode(
        x=x, y=alt.Y("fitted:Q").scale(y_scale), color=window, tooltip=[alt.Tooltip("window:N").title("Trend fit")]
    )
    dots = alt.Chart(points).mark_circle(size=36, opacity=0.8).encode(
        x=x,
        y=alt.Y("compute_flop:Q").scale(y_scale).axis(format=".0e").title("Training compute (FLOP, log scale)"),
        color=status,
        tooltip=tooltip,
    )
    rule = alt.Chart(cutoff).mark_rule(color=COLOURS["Limit or reference"], strokeDash=[5, 4], strokeWidth=2).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N").title("Data")]
    )
    label = alt.Chart(cutoff).mark_text(align="right", dx=-4, y=8, color=COLOURS["Limit or reference"], fontSize=11).encode(
        x="date:T", text="label:N"
    )
    fits = alt.layer(band, fitted)
    models = alt.layer(dots, rule, label)
    return fit_container(alt.layer(models, fits).resolve_scale(color="independent"),
                          title=title, description=description, height=height)


def horizon_compute_chart(
    points: pd.DataFrame, line: pd.DataFrame, *, ticks: Sequence[tuple[float, str]], title: str, description: str,
    height: int,
) -> alt.LayerChart:
    """50% horizon against training compute (both log), one point per model, with the fitted line and band.

    ``points``: display_name, compute_flop, horizon_min, release_text, compute_text, horizon_text, suite.
    ``line``: compute_flop, fitted_min, band_low_min, band_high_min.
    """
    x = alt.X("compute_flop:Q").scale(type="log").axis(format=".0e").title("Training compute (FLOP, log scale)")
    # The axis starts at its lowest tick: the band below it (the fit's uncertainty far from the data)
    # is cut at the plot's edge instead of stretching the axis and crushing its labels together.
    y_scale = alt.Scale(type="log", domainMin=ticks[0][0])
    suites = list(dict.fromkeys(points["suite"]))
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    suite = alt.Color("suite:N").title("METR task suite").scale(category_scale(suites)).legend(legend)
    # the same field, title and domain: one legend shows colour and shape together
    shape = alt.Shape("suite:N").title("METR task suite").scale(domain=suites).legend(legend)
    band = alt.Chart(line).mark_area(opacity=0.18, color=COLOURS["Estimate"], clip=True).encode(
        x=x, y=alt.Y("band_low_min:Q").scale(y_scale), y2="band_high_min:Q"
    )
    fitted = alt.Chart(line).mark_line(color=COLOURS["Estimate"], strokeWidth=2, clip=True).encode(
        x=x, y=alt.Y("fitted_min:Q").scale(y_scale))
    dots = alt.Chart(points).mark_point(filled=True, size=80, opacity=0.9).encode(
        x=x,
        y=alt.Y("horizon_min:Q").scale(y_scale).axis(time_axis(ticks)).title("50% time horizon"),
        color=suite,
        shape=shape,
        tooltip=[
            alt.Tooltip("display_name:N").title("Model"),
            alt.Tooltip("release_text:N").title("Released"),
            alt.Tooltip("compute_text:N").title("Training compute"),
            alt.Tooltip("horizon_text:N").title("50% horizon"),
            alt.Tooltip("suite:N").title("Suite"),
        ],
    )
    return fit_container(alt.layer(band, fitted, dots), title=title, description=description, height=height)


def constraint_scenario_chart(
    paths_table: pd.DataFrame, points: pd.DataFrame, *, ticks: Sequence[tuple[float, str]], title: str,
    description: str, height: int, today: pd.Timestamp | None = None, today_label: str = "Today",
) -> alt.LayerChart:
    """Projected 50% horizon under each scenario (line and 95% band) after the observed frontier models,
    with a rule at ``today`` (the report's as-of date) between what was measured and what is projected.

    ``paths_table``: scenario, date, fitted_min, low_min, high_min, date_text, horizon_text.
    ``points``: display_name, release_date, horizon_min, release_text, horizon_text.
    """
    x = alt.X("date:T").title("Date").axis(format="%Y")
    y_scale = alt.Scale(type="log", domainMin=ticks[0][0])  # bands below the lowest tick are cut at the edge
    order = paths_table["scenario"].drop_duplicates().tolist()
    colour = alt.Color("scenario:N").title("Scenario").sort(order).scale(category_scale(order)).legend(orient="bottom", direction="vertical", labelLimit=0)
    band = alt.Chart(paths_table).mark_area(opacity=0.12, clip=True).encode(
        x=x, y=alt.Y("low_min:Q").scale(y_scale), y2="high_min:Q", color=colour
    )
    lines = alt.Chart(paths_table).mark_line(strokeWidth=2).encode(
        x=x,
        y=alt.Y("fitted_min:Q").scale(y_scale).axis(time_axis(ticks)).title("50% time horizon (projected)"),
        color=colour,
        tooltip=[alt.Tooltip("scenario:N").title("Scenario"), alt.Tooltip("date_text:N").title("Date"),
                 alt.Tooltip("horizon_text:N").title("Horizon")],
    )
    observed = alt.Chart(points).mark_circle(size=60, color=COLOURS["Frontier (fitted)"]).encode(
        x=alt.X("release_date:T"),
        y=alt.Y("horizon_min:Q").scale(y_scale),
        tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("release_text:N").title("Released"),
                 alt.Tooltip("horizon_text:N").title("50% horizon")],
    )
    layers = [band, lines, observed] + (today_marks(today, today_label) if today is not None else [])
    return fit_container(alt.layer(*layers), title=title, description=description, height=height)
