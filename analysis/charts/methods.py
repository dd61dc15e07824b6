"""Chart builders for the methods page.

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import COLOURS, category_scale, time_axis


def interval_comparison_chart(
    table: pd.DataFrame, *, ticks: Sequence[tuple[float, str]], title: str, description: str, width: int
) -> alt.LayerChart:
    """Two 95% intervals per agent, ours and METR's, with the point estimate.

    ``table``: display_name, release_date, source, low, high, estimate, interval_text.
    """
    order = table.sort_values("release_date")["display_name"].drop_duplicates().tolist()
    y = alt.Y("display_name:N").sort(order).title(None).axis(labelLimit=260)  # an axis of its own: a phone wraps it
    y_offset = alt.YOffset("source:N").title(None)
    colour = alt.Color("source:N").title("95% interval").scale(category_scale(table["source"])).legend(labelLimit=0)
    tooltip = [alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("source:N").title("Interval"),
               alt.Tooltip("interval_text:N").title("Range")]
    ranges = alt.Chart(table).mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q").scale(type="log").axis(time_axis(ticks, flush=True)).title("50% time horizon"), x2="high:Q",
        y=y, yOffset=y_offset, color=colour, tooltip=tooltip,
    )
    points = alt.Chart(table).mark_tick(color="#333333", thickness=2, size=10).encode(x="estimate:Q", y=y, yOffset=y_offset)
    return alt.layer(ranges, points).properties(width=width, height=alt.Step(12), title=title, description=description)


def multiverse_chart(table: pd.DataFrame, band: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Since-2023 doubling time under each modelling choice, against the baseline's 95% interval.

    ``table``: variant, doubling_days, doubling_text, median_ratio_text. ``band``: low, high, label.
    """
    order = table["variant"].tolist()
    y = alt.Y("variant:N").sort(order).title(None).axis(labelLimit=280)
    shade = alt.Chart(band).mark_rect(opacity=0.35, color=COLOURS["Interval or band"]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Band")]
    )
    dots = alt.Chart(table).mark_point(filled=True, size=90, color=COLOURS["Estimate"]).encode(
        x=alt.X("doubling_days:Q").title("Doubling time since 2023 (days)").scale(zero=False),
        y=y,
        tooltip=[alt.Tooltip("variant:N").title("Choice"), alt.Tooltip("doubling_text:N").title("Doubling time"),
                 alt.Tooltip("median_ratio_text:N").title("Median p50 vs METR's")],
    )
    # the band's name under the title: written over the plot's top edge it was clipped on the page
    return alt.layer(shade, dots).properties(width=width, height=alt.Step(30),
                                             title=alt.Title(title, subtitle=f"Shaded: {band['label'].iloc[0]}"),
                                                          description=description)


def saturation_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.Chart:
    """How many tasks lie within one doubling of each agent's 50% horizon.

    ``table``: display_name, release_date, tasks_near_p50, status, p50_text, longest_text.
    """
    order = table.sort_values("release_date")["display_name"].tolist()
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("tasks_near_p50:Q").title("Tasks within one doubling of the agent's 50% horizon"),
            y=alt.Y("display_name:N").sort(order).title(None),
            color=alt.Color("status:N").title(None).scale(category_scale(table["status"])).legend(orient="bottom", labelLimit=0),
            tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("p50_text:N").title("50% horizon"),
                     alt.Tooltip("tasks_near_p50:Q").title("Tasks near it"), alt.Tooltip("longest_text:N").title("Longest task")],
        )
        .properties(width=width, height=alt.Step(16), title=title, description=description)
    )
