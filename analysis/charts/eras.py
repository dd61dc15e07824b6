"""Chart builders for chapter 2 (acceleration across eras).

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import GREY, COLOURS, category_scale, time_axis


def sweep_chart(
    table: pd.DataFrame, *, y_max: float, title: str, description: str, width: int, height: int
) -> alt.LayerChart:
    """Doubling time against the fit's first release date, with its 95% band, per model selection.

    ``table``: start, doubling_days, ci_low, ci_high, selection, n_models, start_text, estimate_text, ci_text.
    """
    x = alt.X("start:T").title("Fit starts at models released on or after")
    colour = alt.Color("selection:N").title("Models").scale(category_scale(table["selection"]))
    tooltip = [
        alt.Tooltip("selection:N").title("Models"),
        alt.Tooltip("start_text:N").title("Window starts"),
        alt.Tooltip("n_models:Q").title("Models in fit"),
        alt.Tooltip("estimate_text:N").title("Doubling time"),
        alt.Tooltip("ci_text:N").title("95% CI"),
    ]
    # Late windows hold few models and have very wide intervals: clamp them at y_max.
    y_scale = alt.Scale(domain=[0, y_max], clamp=True)
    band = alt.Chart(table).mark_area(opacity=0.15).encode(
        x=x, y=alt.Y("ci_low:Q").scale(y_scale), y2="ci_high:Q", color=colour
    )
    line = alt.Chart(table).mark_line(point=True).encode(
        x=x,
        y=alt.Y("doubling_days:Q").scale(y_scale).title(f"Doubling time (days; axis cut at {y_max:g})"),
        color=colour,
        tooltip=tooltip,
    )
    return alt.layer(band, line).properties(width=width, height=height, title=title, description=description)


def break_distribution_chart(
    counts: pd.DataFrame, estimate: pd.DataFrame, *, title: str, description: str, width: int
) -> alt.LayerChart:
    """Bootstrap distribution of the estimated break date (share of resamples per quarter).

    ``counts``: quarter, share, quarter_text, share_text. ``estimate``: break_date, label.
    """
    bars = alt.Chart(counts).mark_bar(color=COLOURS["Interval or band"]).encode(
        x=alt.X("quarter:T").title("Estimated break date (quarter)").axis(format="%Y", tickCount="year"),
        y=alt.Y("share:Q").title("Share of bootstrap resamples").axis(format="%"),
        tooltip=[alt.Tooltip("quarter_text:N").title("Quarter"), alt.Tooltip("share_text:N").title("Share")],
    )
    rule = alt.Chart(estimate).mark_rule(color=COLOURS["Estimate"], strokeDash=[4, 3], strokeWidth=2).encode(
        x="break_date:T", tooltip=[alt.Tooltip("label:N").title("Estimate")]
    )
    label = alt.Chart(estimate).mark_text(align="left", dx=5, baseline="top", y=4, fontSize=11, lineBreak=": ",
                                          color=COLOURS["Estimate"]).encode(x="break_date:T", text="label:N")
    return alt.layer(bars, rule, label).properties(width=width, height=220, title=title, description=description)


def backtest_chart(errors: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Forecast errors (doublings, actual minus predicted) against lead time, per growth model.

    ``errors``: model, lead_days, error_log2, origin_text, target, error_text, covered_text.
    """
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=GREY).encode(y="y:Q")
    points = alt.Chart(errors).mark_circle(size=45, opacity=0.8).encode(
        x=alt.X("lead_days:Q").title("Forecast lead (days after the last model in the fit)"),
        y=alt.Y("error_log2:Q").title("Error (doublings; > 0: the model under-predicted)"),
        color=alt.Color("model:N").title("Growth model").scale(category_scale(errors["model"])),
        tooltip=[
            alt.Tooltip("model:N").title("Growth model"),
            alt.Tooltip("origin_text:N").title("Fitted on models up to"),
            alt.Tooltip("target:N").title("Predicted model"),
            alt.Tooltip("error_text:N").title("Error"),
            alt.Tooltip("covered_text:N").title("Inside 80% interval"),
        ],
    )
    return alt.layer(zero, points).properties(width=width, height=300, title=title, description=description)


def changelog_chart(
    log: pd.DataFrame, *, ticks: Sequence[tuple[float, str]], title: str, description: str, width: int
) -> alt.LayerChart:
    """Each model's published 50% horizon across METR releases: every model a faint line, the one under
    the pointer (tap or hover) or picked in the menu drawn dark and labelled. No colour per model: with
    dozens of models any palette repeats.

    ``log``: release_label, release_order, display_name, p50, horizon_text, ci_text.
    """
    order = log.sort_values("release_order")["release_label"].drop_duplicates().tolist()
    names = sorted(log["display_name"].unique())
    hover = alt.selection_point(name="hovered", fields=["display_name"], on="pointerover", clear="pointerout",
                                nearest=True)
    picked = alt.selection_point(name="picked", fields=["display_name"],
                                 bind=alt.binding_select(options=[None, *names], labels=["(none)", *names],
                                                         name="Model "))
    # nothing is highlighted until a model is chosen (an empty selection selects none)
    chosen = {"or": [{"param": "hovered", "empty": False}, {"param": "picked", "empty": False}]}
    x = alt.X("release_label:O").sort(order).title("METR release").axis(
        # "v1.1 (30 Jan 2026)" on three short lines, so four releases fit a phone's width
        labelAngle=0, labelExpr="[slice(datum.label, 0, indexof(datum.label, ' (')), "
                                "slice(datum.label, indexof(datum.label, '(') + 1, -6), slice(datum.label, -5, -1)]")
    y = alt.Y("p50:Q").scale(type="log").axis(time_axis(ticks)).title("Published 50% horizon")
    tooltip = [
        alt.Tooltip("display_name:N").title("Model"),
        alt.Tooltip("release_label:N").title("Release"),
        alt.Tooltip("horizon_text:N").title("50% horizon"),
        alt.Tooltip("ci_text:N").title("95% CI"),
    ]
    base = alt.Chart(log).encode(x=x, y=y, detail="display_name:N", tooltip=tooltip)
    lines = base.mark_line(point=True).encode(
        color=alt.ColorValue(COLOURS["Interval or band"], condition={"test": chosen, "value": COLOURS["Estimate"]}),
        strokeWidth=alt.StrokeWidthValue(1.2, condition={"test": chosen, "value": 3}),
        opacity=alt.OpacityValue(0.7, condition={"test": chosen, "value": 1.0}),
    ).add_params(hover, picked)
    last = log[log["release_order"] == log["release_order"].max()]
    labels = alt.Chart(last).mark_text(align="left", dx=6, fontSize=11, color=COLOURS["Estimate"]).encode(
        x=x, y=y, text="display_name:N").transform_filter(chosen)
    return alt.layer(lines, labels).properties(
        width=width, height=320, title=alt.Title(title, subtitle="Tap or hover over a line, or pick a model, to follow it."),
        description=description)


def reliability_chart(points: pd.DataFrame, line: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """The p50/p80 ratio of frontier models over time, with its least-squares trend.

    ``points``: display_name, release_date, ratio, ratio_text. ``line``: release_date, ratio.
    """
    x = alt.X("release_date:T").title("Model release date")
    y = alt.Y("ratio:Q").scale(type="log").title("50% horizon ÷ 80% horizon")
    dots = alt.Chart(points).mark_circle(size=60, color=COLOURS["Frontier (fitted)"]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("ratio_text:N").title("p50 / p80")]
    )
    trend_line = alt.Chart(line).mark_line(color=COLOURS["All time"], strokeWidth=2).encode(x=x, y="ratio:Q")
    return alt.layer(trend_line, dots).properties(width=width, height=260, title=title, description=description)
