"""Chart builders for chapter 1 (the METR trend); the horizon chart is also chapter 2's and the suite
comparison also the methods page's.

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import GREY, COLOURS, category_scale, ceiling_marks, time_axis, time_scale


def horizon_chart(
    points: pd.DataFrame,
    line: pd.DataFrame,
    *,
    statuses: Sequence[str],
    ticks: Sequence[tuple[float, str]],
    title: str,
    y_title: str,
    description: str,
    ceiling_minutes: float,
    ceiling_label: str,
    width: int,
    height: int,
) -> alt.LayerChart:
    """Horizon against release date on a log axis: CI bars, status-coded points, fitted lines and bands.

    ``points``: display_name, release_date, horizon_min, low_min, high_min, status, release_text,
    horizon_text, ci_text. ``line``: release_date, fitted_min, band_low_min, band_high_min, fit.
    ``statuses``: the status labels in the order frontier, other, above the ceiling.
    """
    x = alt.X("release_date:T").title("Model release date").axis(format="%Y")
    y_scale = time_scale()
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    status_colour = (
        alt.Color("status:N")
        .title("Model")
        .scale(category_scale(statuses))
        .legend(legend)
    )
    fit_colour = alt.Color("fit:N").title("Trend fit").scale(category_scale(line["fit"])).legend(legend)
    tooltip = [
        alt.Tooltip("display_name:N").title("Model"),
        alt.Tooltip("release_text:N").title("Released"),
        alt.Tooltip("horizon_text:N").title("Horizon"),
        alt.Tooltip("ci_text:N").title("95% CI"),
        alt.Tooltip("status:N").title("Status"),
    ]
    band = (
        alt.Chart(line)
        .mark_area(opacity=0.18)
        .encode(x=x, y=alt.Y("band_low_min:Q").scale(y_scale), y2="band_high_min:Q", color=fit_colour)
    )
    fitted = (
        alt.Chart(line)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("fitted_min:Q").scale(y_scale),
            color=fit_colour,
            tooltip=[alt.Tooltip("fit:N").title("Trend fit")],
        )
    )
    error_bars = (
        alt.Chart(points)
        .mark_rule(opacity=0.55)
        .encode(x=x, y=alt.Y("low_min:Q").scale(y_scale), y2="high_min:Q", color=status_colour)
    )
    markers = (
        alt.Chart(points)
        .mark_circle(size=70, opacity=0.95, stroke="white", strokeWidth=0.8)
        .encode(
            x=x,
            y=alt.Y("horizon_min:Q").scale(y_scale).axis(time_axis(ticks)).title(y_title),
            color=status_colour,
            tooltip=tooltip,
        )
    )
    fits = alt.layer(band, fitted)
    models = alt.layer(error_bars, *ceiling_marks(ceiling_minutes, ceiling_label), markers)
    return (
        alt.layer(fits, models)
        .resolve_scale(color="independent")
        .properties(width=width, height=height, title=title, description=description)
    )


def suite_comparison_chart(
    table: pd.DataFrame,
    *,
    ticks: Sequence[tuple[float, str]],
    title: str,
    description: str,
    width: int,
    ratio_title: str = "v1.1 / v1.0",
    legend_title: str = "Task suite",
) -> alt.LayerChart:
    """The same models measured on two task suites: one row per model, a dot per suite, joined.

    ``table``: display_name, release_date, suite, horizon_min, horizon_text, ratio_text.
    """
    order = table.sort_values("release_date")["display_name"].drop_duplicates().tolist()
    y = alt.Y("display_name:N").sort(order).title(None).axis(labelLimit=260)  # an axis of its own: a phone wraps it
    x = alt.X("horizon_min:Q").scale(type="log").axis(time_axis(ticks, flush=True)).title("50% time horizon")
    tooltip = [
        alt.Tooltip("display_name:N").title("Model"),
        alt.Tooltip("suite:N").title(legend_title),
        alt.Tooltip("horizon_text:N").title("Horizon"),
        alt.Tooltip("ratio_text:N").title(ratio_title),
    ]
    joins = alt.Chart(table).mark_line(color=GREY, strokeWidth=1.5).encode(x=x, y=y, detail="display_name:N")
    dots = (
        alt.Chart(table)
        .mark_point(filled=True, size=70, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("suite:N").title(legend_title).scale(category_scale(table["suite"])).legend(labelLimit=0),
            # the same field, title, domain and legend as the colour: one legend shows both
            shape=alt.Shape("suite:N").title(legend_title).scale(domain=list(dict.fromkeys(table["suite"]))).legend(labelLimit=0),
            tooltip=tooltip,
        )
    )
    return alt.layer(joins, dots).properties(
        width=width, height=alt.Step(22), title=title, description=description
    )
