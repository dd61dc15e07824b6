"""Presentation only: the report's altair theme, the offline renderer and one builder per chart.

Builders take tidy, already formatted tables and return altair charts; they compute nothing.

Offline rendering: importing this module enables the ``offline`` renderer, which emits each chart's
Vega-Lite spec inside a ``<div class="vega-chart">``. The site's own vega bundle (written by
``analysis.website`` at build time) finds those divs and draws them; no page loads a CDN.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis import paths

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#8c8c8c"
SPEC_MIME = "application/vnd.vegalite+json"


@alt.theme.register("report", enable=True)
def report_theme() -> alt.theme.ThemeConfig:
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
    return {
        "config": {
            # A white card keeps charts legible in the site's dark mode too.
            "background": "#ffffff",
            "padding": 8,
            "font": font,
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#555555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
        }
    }


# The page draws every chart with one of these merged over the spec's config (analysis.website's embed
# snippet), following pydata-sphinx-theme's ``data-theme`` on <html>: transparent background, so the
# chart sits on the page's own colour, and in dark mode light text and grid. Exports keep the white card.
PAGE_CONFIG = {
    "light": {"background": "transparent"},
    "dark": {
        "background": "transparent",
        "title": {"color": "#ced6dd", "subtitleColor": "#a9b1ba"},
        "axis": {"labelColor": "#ced6dd", "titleColor": "#ced6dd", "gridColor": "#3a4049",
                 "domainColor": "#8b949e", "tickColor": "#8b949e"},
        "legend": {"labelColor": "#ced6dd", "titleColor": "#ced6dd"},
        "text": {"color": "#ced6dd"},
        "header": {"labelColor": "#ced6dd", "titleColor": "#ced6dd"},
    },
}
# Colours fixed in builders that would vanish on a dark page, and their dark-mode stand-ins.
DARK_SWAPS = {"#000000": "#e6e6e6", "#333333": "#d0d0d0", "#555555": "#b8b8b8"}


def _offline_html(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    description = spec.get("description", "Chart")
    return (
        f'<div class="vega-chart" role="figure" aria-label="{_escape_attr(description)}">'
        f'<script type="{SPEC_MIME}">{text}</script></div>'
    )


def _escape_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


_COMPOSED = ("hconcat", "vconcat", "concat", "facet", "repeat")


def responsive(spec: dict) -> dict:
    """The spec as the page draws it: as wide as its container (Vega-Lite ``width: "container"``,
    autosize ``fit-x`` including padding), for every single or layered chart at once. The builder's
    pixel width is kept in ``usermeta.export_width`` for the build-time images (``static_spec``).
    Concatenated or faceted specs cannot take a container width and are left as they are.
    """
    width = spec.get("width")
    if not isinstance(width, (int, float)) or any(key in spec for key in _COMPOSED):
        return spec
    usermeta = {**spec.get("usermeta", {}), "export_width": width}
    return {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}, "usermeta": usermeta}


def static_spec(spec: dict) -> dict:
    """The inverse of ``responsive``: a fixed-width spec for SVG/PNG export (no container to fit)."""
    width = spec.get("usermeta", {}).get("export_width")
    if spec.get("width") != "container" or width is None:
        return spec
    out = {key: value for key, value in spec.items() if key != "autosize"}
    return {**out, "width": width}


def offline_renderer(spec: dict, **_options) -> dict:
    """Emit the spec for the site's bundle, stamped with the data files read so far (provenance),
    sized to its container (``responsive``)."""
    spec = {**spec, "usermeta": {**spec.get("usermeta", {}), "inputs": paths.inputs_read()}}
    spec = responsive(spec)
    return {"text/html": _offline_html(spec), "text/plain": f"<chart: {spec.get('description', '')}>"}


alt.renderers.register("offline", offline_renderer)
alt.renderers.enable("offline")


# ------------------------------------------------------------------ axes in human units


def time_ticks(work_day_hours: float, work_week_hours: float, work_month_hours: float) -> list[tuple[float, str]]:
    """Tick positions (minutes) and labels for a log axis of task length."""
    return [
        (1 / 60, "1 sec"),
        (15 / 60, "15 sec"),
        (1.0, "1 min"),
        (4.0, "4 min"),
        (15.0, "15 min"),
        (60.0, "1 hour"),
        (240.0, "4 hours"),
        (work_day_hours * 60, f"1 work-day ({work_day_hours:g} h)"),
        (work_week_hours * 60, f"1 work-week ({work_week_hours:g} h)"),
        (work_month_hours * 60, f"1 work-month ({work_month_hours:g} h)"),
        (12 * work_month_hours * 60, "1 work-year"),
    ]


def _label_expression(ticks: Sequence[tuple[float, str]]) -> str:
    """A Vega expression mapping a tick value to its label (thresholds halfway in log space)."""
    values = [value for value, _ in ticks]
    labels = [label for _, label in ticks]
    expression = json.dumps(labels[-1])
    for i in range(len(ticks) - 2, -1, -1):
        threshold = (values[i] * values[i + 1]) ** 0.5
        expression = f"datum.value < {threshold!r} ? {json.dumps(labels[i])} : ({expression})"
    return expression


def _time_axis(ticks: Sequence[tuple[float, str]]) -> alt.Axis:
    return alt.Axis(values=[value for value, _ in ticks], labelExpr=_label_expression(ticks))


def _time_scale(domain: Sequence[float] | None = None) -> alt.Scale:
    return alt.Scale(type="log", domain=list(domain)) if domain else alt.Scale(type="log")


# ------------------------------------------------------------------ builders


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
    y_scale = _time_scale()
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    status_colour = (
        alt.Color("status:N")
        .title("Model")
        .scale(domain=list(statuses), range=[PALETTE[0], GREY, PALETTE[5]])
        .legend(legend)
    )
    fit_colour = alt.Color("fit:N").title("Trend fit").scale(range=[PALETTE[1], PALETTE[2], PALETTE[3]]).legend(legend)
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
            y=alt.Y("horizon_min:Q").scale(y_scale).axis(_time_axis(ticks)).title(y_title),
            color=status_colour,
            tooltip=tooltip,
        )
    )
    ceiling_frame = pd.DataFrame({"minutes": [ceiling_minutes], "label": [ceiling_label]})
    ceiling = alt.Chart(ceiling_frame).mark_rule(strokeDash=[5, 4], color=GREY).encode(y="minutes:Q")
    ceiling_text = (
        alt.Chart(ceiling_frame)
        .mark_text(align="left", dx=4, dy=-7, color="#555555", fontSize=11)
        .encode(y="minutes:Q", text="label:N", x=alt.value(0))
    )
    fits = alt.layer(band, fitted)
    models = alt.layer(error_bars, ceiling, ceiling_text, markers)
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
    y = alt.Y("display_name:N").sort(order).title(None)
    x = alt.X("horizon_min:Q").scale(type="log").axis(_time_axis(ticks)).title("50% time horizon")
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
            color=alt.Color("suite:N").title(legend_title).scale(range=[PALETTE[5], PALETTE[0]]),
            shape=alt.Shape("suite:N").title(legend_title),
            tooltip=tooltip,
        )
    )
    return alt.layer(joins, dots).properties(
        width=width, height=alt.Step(22), title=title, description=description
    )


def sweep_chart(
    table: pd.DataFrame, *, y_max: float, title: str, description: str, width: int, height: int
) -> alt.LayerChart:
    """Doubling time against the fit's first release date, with its 95% band, per model selection.

    ``table``: start, doubling_days, ci_low, ci_high, selection, n_models, start_text, estimate_text, ci_text.
    """
    x = alt.X("start:T").title("Fit starts at models released on or after")
    colour = alt.Color("selection:N").title("Models").scale(range=[PALETTE[0], PALETTE[5]])
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
    bars = alt.Chart(counts).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("quarter:T").title("Estimated break date (quarter)").axis(format="%Y", tickCount="year"),
        y=alt.Y("share:Q").title("Share of bootstrap resamples").axis(format="%"),
        tooltip=[alt.Tooltip("quarter_text:N").title("Quarter"), alt.Tooltip("share_text:N").title("Share")],
    )
    rule = alt.Chart(estimate).mark_rule(color=PALETTE[5], strokeDash=[4, 3], strokeWidth=2).encode(
        x="break_date:T", tooltip=[alt.Tooltip("label:N").title("Estimate")]
    )
    return alt.layer(bars, rule).properties(width=width, height=220, title=title, description=description)


def backtest_chart(errors: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Forecast errors (doublings, actual minus predicted) against lead time, per growth model.

    ``errors``: model, lead_days, error_log2, origin_text, target, error_text, covered_text.
    """
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=GREY).encode(y="y:Q")
    points = alt.Chart(errors).mark_circle(size=45, opacity=0.8).encode(
        x=alt.X("lead_days:Q").title("Forecast lead (days after the last model in the fit)"),
        y=alt.Y("error_log2:Q").title("Error (doublings; > 0: the model under-predicted)"),
        color=alt.Color("model:N").title("Growth model"),
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
) -> alt.Chart:
    """Each model's published 50% horizon across METR releases, one line per model.

    ``log``: release_label, release_order, display_name, p50, horizon_text, ci_text.
    """
    order = log.sort_values("release_order")["release_label"].drop_duplicates().tolist()
    return (
        alt.Chart(log)
        .mark_line(point=True, opacity=0.8)
        .encode(
            x=alt.X("release_label:O").sort(order).title("METR release").axis(labelAngle=0),
            y=alt.Y("p50:Q").scale(type="log").axis(_time_axis(ticks)).title("Published 50% horizon"),
            color=alt.Color("display_name:N").title("Model").legend(columns=2, labelLimit=0, symbolLimit=0),
            tooltip=[
                alt.Tooltip("display_name:N").title("Model"),
                alt.Tooltip("release_label:N").title("Release"),
                alt.Tooltip("horizon_text:N").title("50% horizon"),
                alt.Tooltip("ci_text:N").title("95% CI"),
            ],
        )
        .properties(width=width, height=320, title=title, description=description)
    )


def reliability_chart(points: pd.DataFrame, line: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """The p50/p80 ratio of frontier models over time, with its least-squares trend.

    ``points``: display_name, release_date, ratio, ratio_text. ``line``: release_date, ratio.
    """
    x = alt.X("release_date:T").title("Model release date")
    y = alt.Y("ratio:Q").scale(type="log").title("50% horizon ÷ 80% horizon")
    dots = alt.Chart(points).mark_circle(size=60, color=PALETTE[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("ratio_text:N").title("p50 / p80")]
    )
    trend_line = alt.Chart(line).mark_line(color=PALETTE[1], strokeWidth=2).encode(x=x, y="ratio:Q")
    return alt.layer(trend_line, dots).properties(width=width, height=260, title=title, description=description)


# ------------------------------------------------------------------ timelines (chapter 3)


def fan_chart(
    fan: pd.DataFrame,
    points: pd.DataFrame,
    *,
    scenarios: Sequence[str],
    ticks: Sequence[tuple[float, str]],
    ceiling_minutes: float,
    ceiling_label: str,
    title: str,
    description: str,
    width: int,
    height: int,
) -> alt.LayerChart:
    """Projected horizons with 10-90% bands per scenario; the reader picks the reliability level.

    ``fan``: scenario, metric, date, low_min, median_min, high_min. ``points``: metric, release_date,
    horizon_min, display_name, horizon_text.
    """
    reliability = alt.param(
        name="reliability", value="p50",
        bind=alt.binding_radio(options=["p50", "p80"], labels=["50%", "80%"], name="Reliability "),
    )
    colour = alt.Color("scenario:N").title("Scenario").scale(domain=list(scenarios), range=PALETTE[: len(scenarios)]).legend(
        orient="bottom", direction="vertical", labelLimit=0
    )
    x = alt.X("date:T").title("Date").axis(format="%Y")
    # Superexponential draws run off to infinity; the axis stops at the last tick (one work-year).
    y_scale = alt.Scale(type="log", domain=[ticks[0][0], ticks[-1][0]], clamp=True)
    base = alt.Chart(fan).transform_filter(alt.datum.metric == reliability)
    band = base.mark_area(opacity=0.15).encode(x=x, y=alt.Y("low_min:Q").scale(y_scale), y2="high_min:Q", color=colour)
    median = base.mark_line(strokeWidth=2).encode(
        x=x,
        y=alt.Y("median_min:Q").scale(y_scale).axis(_time_axis(ticks)).title("Projected time horizon (human-expert time)"),
        color=colour,
        tooltip=[alt.Tooltip("scenario:N").title("Scenario"), alt.Tooltip("date:T").title("Date").format("%b %Y")],
    )
    observed = (
        alt.Chart(points)
        .transform_filter(alt.datum.metric == reliability)
        .mark_circle(size=45, color="#333333")
        .encode(
            x=alt.X("release_date:T"),
            y=alt.Y("horizon_min:Q").scale(y_scale),
            tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("horizon_text:N").title("Measured")],
        )
    )
    ceiling_frame = pd.DataFrame({"minutes": [ceiling_minutes], "label": [ceiling_label]})
    ceiling = alt.Chart(ceiling_frame).mark_rule(strokeDash=[5, 4], color=GREY).encode(y="minutes:Q")
    ceiling_text = alt.Chart(ceiling_frame).mark_text(align="left", dx=4, dy=-7, color="#555555", fontSize=11).encode(
        y="minutes:Q", text="label:N", x=alt.value(0)
    )
    return (
        alt.layer(band, median, observed, ceiling, ceiling_text)
        .add_params(reliability)
        .properties(width=width, height=height, title=title, description=description)
    )


# Vega expression for the day (since 2019-01-01) a parameter draw reaches 2**target minutes; the same
# closed form as analysis.forecast.arrival_days. 1e7 days stands for "never".
_ARRIVAL_EXPRESSION = (
    "datum.kind == 'line'"
    " ? (datum.b > 0 ? (datum.target - datum.a) / datum.b : 1e7)"
    " : (abs(datum.shrink) > 1e-12"
    "    ? datum.x0 + datum.d0 * (1 - pow(1 - datum.shrink, datum.target - datum.y0)) / datum.shrink"
    "    : datum.x0 + datum.d0 * (datum.target - datum.y0))"
)


def arrival_explorer_chart(
    draws: pd.DataFrame,
    *,
    scenarios: dict[str, str],
    weights: dict[str, float],
    hours: float,
    by_year: int,
    title: str,
    description: str,
    width: int,
) -> alt.LayerChart:
    """Probability that the trend has reached a milestone, by date, recomputed in the browser.

    ``draws``: s (scenario code), metric, kind, a, b, y0, d0, shrink, x0: the parameter draws of
    forecast.scenario_draws. ``scenarios``: code -> label; ``weights``: code -> mixture weight
    (summing to one). The reader chooses scenario (or mixture), reliability, milestone and year; the
    page evaluates the same closed form as analysis.forecast.arrival_days.
    """
    codes = list(scenarios)
    scenario = alt.param(
        name="scenario", value="mixture",
        bind=alt.binding_select(options=["mixture", *codes], labels=["Mixture", *scenarios.values()], name="Scenario "),
    )
    reliability = alt.param(
        name="level", value="p50", bind=alt.binding_radio(options=["p50", "p80"], labels=["50%", "80%"], name="Reliability ")
    )
    milestone = alt.param(
        name="hours", value=hours, bind=alt.binding_range(min=1, max=500, step=1, name="Milestone (hours of expert work) ")
    )
    year = alt.param(name="by_year", value=by_year, bind=alt.binding_range(min=2026, max=2036, step=1, name="Reached by start of "))
    weight_expression = " : ".join(f"datum.s == {json.dumps(code)} ? {weights[code]!r}" for code in codes) + " : 0"
    # Thousands of draws travel as one CSV string: about a third of the size of JSON records.
    numeric = ["a", "b", "y0", "d0", "shrink", "x0"]
    data = alt.InlineData(
        values=draws.to_csv(index=False, lineterminator="\n"),
        format=alt.DataFormat(type="csv", parse={column: "number" for column in numeric}),
    )
    arrivals = (
        alt.Chart(data)
        .transform_filter("datum.metric == level")
        .transform_joinaggregate(n="count()", groupby=["s"])
        .transform_calculate(
            w=f"scenario == 'mixture' ? ({weight_expression}) / datum.n : (datum.s == scenario ? 1 / datum.n : 0)",
            target="log(hours * 60) / LN2",
        )
        .transform_filter("datum.w > 0")
        .transform_calculate(days=_ARRIVAL_EXPRESSION)
        .transform_calculate(arrival="utc(2019, 0, 1) + min(datum.days, 1e7) * 864e5")
    )
    curve = (
        arrivals.transform_window(cdf="sum(w)", sort=[alt.SortField("arrival")], frame=[None, 0])
        .transform_filter("datum.arrival >= utc(2024, 0, 1) && datum.arrival <= utc(2036, 0, 1)")
        .mark_line(interpolate="step-after", color=PALETTE[0], strokeWidth=2)
        .encode(
            x=alt.X("arrival:T").title("Date").scale(domain=["2024-01-01", "2036-01-01"]),
            y=alt.Y("cdf:Q").title("Probability the milestone is reached").axis(format="%").scale(domain=[0, 1]),
        )
    )
    marker = (
        alt.Chart(pd.DataFrame({"one": [1]}))
        .transform_calculate(when="utc(by_year, 0, 1)")
        .mark_rule(color=PALETTE[5], strokeDash=[4, 3])
        .encode(x="when:T")
    )
    readout = (
        arrivals.transform_filter("datum.arrival <= utc(by_year, 0, 1)")
        .transform_aggregate(p="sum(w)")
        .transform_calculate(label="'P(reached by ' + by_year + ') = ' + format(datum.p, '.0%')")
        .mark_text(align="left", x=8, y=12, fontSize=14, fontWeight="bold", color=PALETTE[5])
        .encode(text="label:N")
    )
    return (
        alt.layer(curve, marker, readout)
        .add_params(scenario, reliability, milestone, year)
        .properties(width=width, height=300, title=title, description=description)
    )


def claims_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Each claim's target date against its milestone's arrival range under the mixture.

    ``table``: label, target_date, arrival_p10, arrival_median, arrival_p90, probability,
    probability_text, milestone_text, claim, who, caveat.
    """
    order = table.sort_values("target_date")["label"].tolist()
    y = alt.Y("label:N").sort(order).title(None).axis(labelLimit=260)
    tooltip = [
        alt.Tooltip("who:N").title("Who"),
        alt.Tooltip("claim:N").title("Claim"),
        alt.Tooltip("milestone_text:N").title("Mapped to"),
        alt.Tooltip("target_date:T").title("Target").format("%b %Y"),
        alt.Tooltip("probability_text:N").title("Trend's probability by target"),
        alt.Tooltip("caveat:N").title("Caveat"),
    ]
    ranges = alt.Chart(table).mark_rule(strokeWidth=4, opacity=0.35, color=PALETTE[0]).encode(
        x=alt.X("arrival_p10:T").title("Date (bar: 10-90% range of the trend's arrival; diamond: claimed date)"),
        x2="arrival_p90:T", y=y, tooltip=tooltip,
    )
    medians = alt.Chart(table).mark_tick(color=PALETTE[0], thickness=2, size=14).encode(
        x="arrival_median:T", y=y, tooltip=tooltip
    )
    targets = alt.Chart(table).mark_point(shape="diamond", filled=True, size=110).encode(
        x="target_date:T",
        y=y,
        color=alt.Color("probability:Q").title("Probability by target").scale(scheme="viridis", domain=[0, 1]).legend(format="%"),
        tooltip=tooltip,
    )
    return alt.layer(ranges, medians, targets).properties(
        width=width, height=alt.Step(26), title=title, description=description
    )


# ------------------------------------------------------------------ labour market (chapter 4)


def salary_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Pay figures as ranges on a log dollar axis, coloured by source type, sources in tooltips.

    ``table``: label, value_low, value_high, kind, survey, date_text, range_text, source_url, caveat.
    """
    order = table.sort_values("value_high")["label"].tolist()
    y = alt.Y("label:N").sort(order).title(None).axis(labelLimit=330)
    x_scale = alt.Scale(type="log")
    colour = alt.Color("kind:N").title("Source").scale(range=[PALETTE[0], PALETTE[5], GREY, PALETTE[3]]).legend(
        orient="bottom", direction="vertical", labelLimit=0
    )
    tooltip = [
        alt.Tooltip("label:N").title("Figure"),
        alt.Tooltip("range_text:N").title("Pay"),
        alt.Tooltip("survey:N").title("Source type"),
        alt.Tooltip("date_text:N").title("As of"),
        alt.Tooltip("source_url:N").title("Source"),
        alt.Tooltip("caveat:N").title("Caveat"),
    ]
    ranges = alt.Chart(table).mark_rule(strokeWidth=6, opacity=0.6).encode(
        x=alt.X("value_low:Q").scale(x_scale).title("US dollars a year (log scale)").axis(format="$~s", tickCount=5),
        x2="value_high:Q", y=y, color=colour, tooltip=tooltip,
    )
    ends = alt.Chart(table).mark_point(filled=True, size=50).encode(
        x=alt.X("value_high:Q").scale(x_scale), y=y, color=colour, tooltip=tooltip
    )
    starts = alt.Chart(table).mark_point(filled=True, size=50).encode(
        x=alt.X("value_low:Q").scale(x_scale), y=y, color=colour, tooltip=tooltip
    )
    return alt.layer(ranges, starts, ends).properties(width=width, height=alt.Step(24), title=title, description=description)


def career_value_chart(
    curve: pd.DataFrame, arrivals: pd.DataFrame, *, title: str, description: str, width: int
) -> alt.LayerChart:
    """Value of the specialised career (no premium) relative to the baseline, by automation year,
    over the 10-90% range of the trend's automation years.

    ``curve``: automation_year, relative_value, value_text. ``arrivals``: low, high, label.
    """
    band = alt.Chart(arrivals).mark_rect(opacity=0.15, color=PALETTE[1]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Trend")]
    )
    line = alt.Chart(curve).mark_line(color=PALETTE[0], strokeWidth=2).encode(
        x=alt.X("automation_year:Q").title("Years from the listing until the trend reaches the milestone"),
        y=alt.Y("relative_value:Q").title("Career value ÷ value of an unexposed career").axis(format="%").scale(domain=[0, 1]),
        tooltip=[alt.Tooltip("automation_year:Q").title("Years").format(".1f"), alt.Tooltip("value_text:N").title("Relative value")],
    )
    return alt.layer(band, line).properties(width=width, height=260, title=title, description=description)


def premium_chart(table: pd.DataFrame, listing: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """The automation-risk premium per scenario against the listing's premium over the BLS median.

    ``table``: scenario, premium, premium_text. ``listing``: low, high, label.
    """
    order = table["scenario"].tolist()
    y = alt.Y("scenario:N").sort(order).title(None).axis(labelLimit=220)
    band = alt.Chart(listing).mark_rect(opacity=0.18, color=PALETTE[5]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Listing")]
    )
    bars = alt.Chart(table).mark_bar(color=PALETTE[0], height=16).encode(
        x=alt.X("premium:Q").title("Pay premium over the BLS median").axis(format="%"),
        y=y,
        tooltip=[alt.Tooltip("scenario:N").title("Scenario"), alt.Tooltip("premium_text:N").title("Automation-risk premium")],
    )
    return alt.layer(band, bars).properties(width=width, height=alt.Step(30), title=title, description=description)


def tornado_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """How far the premium moves when one assumption moves across its range, others at base.

    ``table``: parameter_text, premium_at_low, premium_at_high, base, low_text, high_text.
    """
    order = table["parameter_text"].tolist()
    y = alt.Y("parameter_text:N").sort(order).title(None).axis(labelLimit=260)
    tooltip = [alt.Tooltip("parameter_text:N").title("Assumption"), alt.Tooltip("low_text:N").title("At low end"),
               alt.Tooltip("high_text:N").title("At high end")]
    bars = alt.Chart(table).mark_bar(color=PALETTE[4], height=16).encode(
        x=alt.X("premium_at_low:Q").title("Automation-risk premium").axis(format="%"), x2="premium_at_high:Q", y=y, tooltip=tooltip
    )
    base = alt.Chart(table.head(1)).mark_rule(color=PALETTE[5], strokeWidth=2).encode(x="base:Q")
    return alt.layer(bars, base).properties(width=width, height=alt.Step(30), title=title, description=description)


def precedent_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.Chart:
    """Computer-programmer employment, by survey; CPS points are lower bounds from a news report.

    ``table``: year, value, survey, label, caveat.
    """
    return (
        alt.Chart(table)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("year:Q").title("Year").axis(format="d").scale(zero=False),
            y=alt.Y("value:Q").title("Computer programmers employed").axis(format="~s"),
            color=alt.Color("survey:N").title("Survey").scale(range=[PALETTE[5], PALETTE[0]]),
            shape=alt.Shape("survey:N").title("Survey"),
            tooltip=[alt.Tooltip("label:N").title("Figure"), alt.Tooltip("survey:N").title("Survey"),
                     alt.Tooltip("caveat:N").title("Caveat")],
        )
        .properties(width=width, height=260, title=title, description=description)
    )


# ------------------------------------------------------------------ methods


def interval_comparison_chart(
    table: pd.DataFrame, *, ticks: Sequence[tuple[float, str]], title: str, description: str, width: int
) -> alt.LayerChart:
    """Two 95% intervals per agent, ours and METR's, with the point estimate.

    ``table``: display_name, release_date, source, low, high, estimate, interval_text.
    """
    order = table.sort_values("release_date")["display_name"].drop_duplicates().tolist()
    y = alt.Y("display_name:N").sort(order).title(None)
    y_offset = alt.YOffset("source:N").title(None)
    colour = alt.Color("source:N").title("95% interval").scale(range=[PALETTE[0], PALETTE[5]])
    tooltip = [alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("source:N").title("Interval"),
               alt.Tooltip("interval_text:N").title("Range")]
    ranges = alt.Chart(table).mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q").scale(type="log").axis(_time_axis(ticks)).title("50% time horizon"), x2="high:Q",
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
    shade = alt.Chart(band).mark_rect(opacity=0.15, color=PALETTE[0]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Band")]
    )
    dots = alt.Chart(table).mark_point(filled=True, size=90, color=PALETTE[5]).encode(
        x=alt.X("doubling_days:Q").title("Doubling time since 2023 (days)").scale(zero=False),
        y=y,
        tooltip=[alt.Tooltip("variant:N").title("Choice"), alt.Tooltip("doubling_text:N").title("Doubling time"),
                 alt.Tooltip("median_ratio_text:N").title("Median p50 vs METR's")],
    )
    return alt.layer(shade, dots).properties(width=width, height=alt.Step(30), title=title, description=description)


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
            color=alt.Color("status:N").title(None).scale(range=[PALETTE[0], PALETTE[5]]).legend(orient="bottom", labelLimit=0),
            tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("p50_text:N").title("50% horizon"),
                     alt.Tooltip("tasks_near_p50:Q").title("Tasks near it"), alt.Tooltip("longest_text:N").title("Longest task")],
        )
        .properties(width=width, height=alt.Step(16), title=title, description=description)
    )


# ------------------------------------------------------------------ landing page (issue 15: the site)


def headline_chart(
    points: pd.DataFrame,
    line: pd.DataFrame,
    today: pd.DataFrame,
    *,
    ticks: Sequence[tuple[float, str]],
    title: str,
    description: str,
    width: int,
    height: int,
    nowcast: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """The landing page's chart: measured horizons, the fitted trend and today's date, with the
    nowcast's interval at today when given.

    ``points``: display_name, release_date, horizon_min, release_text, horizon_text (as
    ``points.horizon_points``). ``line``: release_date, fitted_min, fit (as ``points.fit_lines``).
    ``today``: date, label (one row). ``nowcast``: date, low_min, median_min, high_min, label, text.
    """
    x = alt.X("release_date:T").title(None).axis(format="%Y")
    y_scale = _time_scale()
    fitted = alt.Chart(line).mark_line(strokeWidth=2, color=PALETTE[1]).encode(
        x=x, y=alt.Y("fitted_min:Q").scale(y_scale), detail="fit:N", tooltip=[alt.Tooltip("fit:N").title("Trend")]
    )
    dots = alt.Chart(points).mark_circle(size=55, color=PALETTE[0], opacity=0.9).encode(
        x=x,
        y=alt.Y("horizon_min:Q").scale(y_scale).axis(_time_axis(ticks)).title("50% time horizon (human-expert time)"),
        tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("release_text:N").title("Released"),
                 alt.Tooltip("horizon_text:N").title("Horizon")],
    )
    now = alt.Chart(today).mark_rule(color=GREY, strokeDash=[4, 3]).encode(
        x=alt.X("date:T"), tooltip=[alt.Tooltip("label:N").title("Today")]
    )
    now_text = alt.Chart(today).mark_text(align="right", dx=-4, y=8, color=GREY, fontSize=11).encode(
        x=alt.X("date:T"), text="label:N"
    )
    layers = [fitted, dots, now, now_text]
    if nowcast is not None and len(nowcast):
        tooltip = [alt.Tooltip("label:N").title("Nowcast"), alt.Tooltip("text:N").title("Horizon today")]
        layers.append(alt.Chart(nowcast).mark_rule(strokeWidth=3, color=PALETTE[5], opacity=0.6).encode(
            x=alt.X("date:T"), y=alt.Y("low_min:Q").scale(y_scale), y2="high_min:Q", tooltip=tooltip))
        layers.append(alt.Chart(nowcast).mark_point(shape="diamond", filled=True, size=90, color=PALETTE[5]).encode(
            x=alt.X("date:T"), y=alt.Y("median_min:Q").scale(y_scale), tooltip=tooltip))
    return alt.layer(*layers).properties(width=width, height=height, title=title, description=description)
