"""Chart builders for chapter 3 (the benchmarks behind "AI trains itself", and the nowcast).

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts.theme import COLOURS, ceiling_marks, colour_of, category_scale, time_axis, time_scale, today_marks, logit_axis


NOWCAST_LATER = "Nowcast from ECI, Epoch's later page (transcribed)"
NOWCAST_STATUSES = ["METR, frontier", "METR, not frontier", "METR, above 16 h (unreliable)",
                    "METR's non-robust estimate (fact E2)", "Nowcast from ECI", NOWCAST_LATER]


def nowcast_chart(
    points: pd.DataFrame,
    band: pd.DataFrame,
    *,
    ticks: Sequence[tuple[float, str]],
    ceiling_minutes: float,
    ceiling_label: str,
    title: str,
    description: str,
    width: int,
    height: int,
    today: pd.Timestamp | None = None,
    today_label: str = "",
) -> alt.LayerChart:
    """METR's measurements and the ECI nowcasts (diamonds) on a log horizon axis, with the time trend's
    prediction band, and a rule at the report's as-of date when ``today`` is given.

    ``points``: display_name, release_date, horizon_min, low_min, high_min, status (one of
    NOWCAST_STATUSES), release_text, horizon_text, ci_text, eci_text. ``band``: release_date,
    trend_min, trend_low_min, trend_high_min, fit.
    """
    x = alt.X("release_date:T").title("Model release date").axis(format="%b %Y", labelAngle=0, tickCount=6)
    y_scale = time_scale()
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    colour = alt.Color("status:N").title(None).scale(
        domain=NOWCAST_STATUSES, range=[colour_of(status) for status in NOWCAST_STATUSES]).legend(legend)
    shape = alt.Shape("status:N").title(None).scale(
        domain=NOWCAST_STATUSES, range=["circle", "circle", "circle", "square", "diamond", "triangle-up"]).legend(legend)
    tooltip = [
        alt.Tooltip("display_name:N").title("Model"),
        alt.Tooltip("status:N").title("What"),
        alt.Tooltip("release_text:N").title("Released"),
        alt.Tooltip("horizon_text:N").title("50% horizon"),
        alt.Tooltip("ci_text:N").title("Interval"),
        alt.Tooltip("eci_text:N").title("ECI"),
    ]
    fit_colour = alt.Color("fit:N").title(None).scale(range=[COLOURS["Since 2023"]]).legend(legend)
    shade = alt.Chart(band).mark_area(opacity=0.15).encode(
        x=x, y=alt.Y("trend_low_min:Q").scale(y_scale), y2="trend_high_min:Q", color=fit_colour)
    line = alt.Chart(band).mark_line(strokeWidth=2).encode(
        x=x, y=alt.Y("trend_min:Q").scale(y_scale), color=fit_colour, tooltip=[alt.Tooltip("fit:N").title("Trend")])
    bars = alt.Chart(points).mark_rule(opacity=0.5).encode(
        x=x, y=alt.Y("low_min:Q").scale(y_scale), y2="high_min:Q", color=colour)
    marks = alt.Chart(points).mark_point(filled=True, size=80, opacity=0.95).encode(
        x=x, y=alt.Y("horizon_min:Q").scale(y_scale).axis(time_axis(ticks)).title("50% time horizon (human-expert time)"),
        color=colour, shape=shape, tooltip=tooltip)
    trend_layer = alt.layer(shade, line)
    today_layers = today_marks(today, today_label, label_y=4, label_left=True) if today is not None else []
    model_layer = alt.layer(bars, *ceiling_marks(ceiling_minutes, ceiling_label), *today_layers, marks)
    return (
        alt.layer(trend_layer, model_layer)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=width, height=height, title=title, description=description)
    )


FRONTIER_KINDS = ["Frontier record", "Other model", "Reported by HAL outside its database (fact D1)"]


def benchmark_frontiers_chart(
    points: pd.DataFrame,
    lines: pd.DataFrame,
    rules: pd.DataFrame,
    *,
    title: str,
    description: str,
    cell_width: int,
    cell_height: int,
    columns: int = 2,
) -> alt.FacetChart:
    """Small multiples: each benchmark's scores by date on a logit axis, frontier records, the logit
    trend with its band and a dashed, labelled line at the human reference or saturation level.

    ``points``: benchmark, date, score_logit, kind, model, scaffold, score_text, date_text.
    ``lines``: benchmark, date, fitted_logit, band_low_logit, band_high_logit.
    ``rules``: benchmark, target_logit, label.
    """
    data = pd.concat([points.assign(layer="point"), lines.assign(layer="line"), rules.assign(layer="rule")],
                     ignore_index=True)
    base = alt.Chart(data)
    x = alt.X("date:T").title("Date (model release; MLE-bench: submission)").axis(format="%Y", tickCount="year")
    y_scale = alt.Scale(domain=[-4.6, 4.6], clamp=True)
    band = base.transform_filter("datum.layer == 'line'").mark_area(opacity=0.15, color=COLOURS["Estimate"]).encode(
        x=x, y=alt.Y("band_low_logit:Q").scale(y_scale), y2="band_high_logit:Q")
    trend_line = base.transform_filter("datum.layer == 'line'").mark_line(color=COLOURS["Estimate"], strokeWidth=2).encode(
        x=x, y=alt.Y("fitted_logit:Q").scale(y_scale))
    reference = base.transform_filter("datum.layer == 'rule'").mark_rule(strokeDash=[5, 4], color=COLOURS["Limit or reference"]).encode(
        y=alt.Y("target_logit:Q").scale(y_scale), tooltip=[alt.Tooltip("label:N").title("Target")])
    reference_label = base.transform_filter("datum.layer == 'rule'").mark_text(
        align="left", dx=2, dy=-6, fontSize=10, color=COLOURS["Limit or reference"]).encode(
        y=alt.Y("target_logit:Q").scale(y_scale), x=alt.value(0), text="label:N")
    dots = base.transform_filter("datum.layer == 'point'").mark_circle(size=40, opacity=0.85).encode(
        x=x,
        y=alt.Y("score_logit:Q").scale(y_scale).axis(logit_axis()).title("Score (logit axis)"),
        color=alt.Color("kind:N").title(None).scale(domain=FRONTIER_KINDS, range=[colour_of(k) for k in FRONTIER_KINDS])
        .legend(orient="bottom", direction="vertical", labelLimit=0),
        tooltip=[alt.Tooltip("model:N").title("Model"), alt.Tooltip("scaffold:N").title("Scaffold / agent"),
                 alt.Tooltip("score_text:N").title("Score"), alt.Tooltip("date_text:N").title("Date")],
    )
    return (
        alt.layer(band, trend_line, reference, reference_label, dots, data=data)
        .properties(width=cell_width, height=cell_height)
        .facet(facet=alt.Facet("benchmark:N").title(None), columns=columns)
        .resolve_scale(x="independent")
        .properties(title=title, description=description)
    )


def bridge_chart(
    points: pd.DataFrame,
    line: pd.DataFrame,
    *,
    ticks: Sequence[tuple[float, str]],
    title: str,
    description: str,
    width: int,
    height: int,
) -> alt.LayerChart:
    """METR's 50% horizon against Epoch's ECI: measurements, the least-squares bridge with its
    prediction band, and the nowcasts placed on the line.

    ``points``: eci, horizon_min, kind, display_name, horizon_text, eci_text.
    ``line``: eci, fitted_min, band_low_min, band_high_min.
    """
    x = alt.X("eci:Q").title("Epoch Capabilities Index (ECI)").scale(zero=False)
    y_scale = time_scale()
    shade = alt.Chart(line).mark_area(opacity=0.15, color=COLOURS["Estimate"]).encode(
        x=x, y=alt.Y("band_low_min:Q").scale(y_scale), y2="band_high_min:Q")
    fitted = alt.Chart(line).mark_line(color=COLOURS["Estimate"], strokeWidth=2).encode(x=x, y=alt.Y("fitted_min:Q").scale(y_scale))
    dots = alt.Chart(points).mark_point(filled=True, size=70).encode(
        x=x,
        y=alt.Y("horizon_min:Q").scale(y_scale).axis(time_axis(ticks)).title("50% time horizon"),
        color=alt.Color("kind:N").title(None).scale(category_scale(["METR measurement", "Nowcast from ECI"]))
        .legend(orient="bottom"),
        shape=alt.Shape("kind:N").title(None).scale(domain=["METR measurement", "Nowcast from ECI"],
                                                     range=["circle", "diamond"]).legend(orient="bottom"),
        tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("kind:N").title("What"),
                 alt.Tooltip("eci_text:N").title("ECI"), alt.Tooltip("horizon_text:N").title("50% horizon")],
    )
    return alt.layer(shade, fitted, dots).properties(width=width, height=height, title=title, description=description)
