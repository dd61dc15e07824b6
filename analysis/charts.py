"""Presentation only: the report's altair theme, the offline renderer and one builder per chart.

Builders take tidy, already formatted tables and return altair charts; they compute nothing.

Offline rendering: importing this module enables the ``offline`` renderer, which emits each chart's
Vega-Lite spec inside a ``<div class="vega-chart">``. The site's own vega bundle (written by
``analysis.website`` at build time) finds those divs and draws them; no page loads a CDN.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis import paths

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GREY = "#8c8c8c"
SPEC_MIME = "application/vnd.vegalite+json"

# Colour means one thing across the report: every builder that colours one of these categories takes
# its colour from here (tests/test_referee.py checks every chart). Keys are the labels charts show;
# CATEGORY_PREFIXES maps labels that carry numbers ("All time: doubles every 188 days") or that name
# the same category differently ("One exponential" is the all-time fit) to a key.
COLOURS: dict[str, str] = {
    # which models a point is
    "Frontier (fitted)": PALETTE[0],  # blue
    "Not frontier": GREY,
    "Above 16 hours: not fitted": PALETTE[5],  # vermillion: above the reliable ceiling
    "Up to 16 hours": "#555555",  # measured below the ceiling, frontier or not
    "All models": "#999933",  # olive: frontier and non-frontier together
    # fit windows and growth models
    "All time": PALETTE[1],  # orange: one exponential over all frontier models
    "Since 2023": PALETTE[2],  # bluish green
    "Since 2024": PALETTE[3],  # reddish purple
    "Two eras": PALETTE[7],  # black
    "Superexponential": PALETTE[4],  # sky blue
    # one thing measured two ways: the earlier or reference value, and the later or our own
    "Earlier or METR's": "#AA4499",  # purple
    "Later or ours": "#332288",  # indigo
    # pay and employment sources
    "The listing": "#661100",  # dark brown
    "BLS (official statistics)": "#882255",  # wine
    "Reported lab pay (low confidence)": "#DDCC77",  # sand
    "Reported offers (press)": "#44AA99",  # teal
    "At least this many (CPS, as reported)": "#117733",  # dark green
    # newer evidence than METR's file
    "Nowcast": "#CC6677",  # rose: a horizon predicted from benchmarks, not measured
    "Non-robust estimate": "#EE8866",  # salmon: METR's own later figure, which it calls not robust
    "Reported outside the data": "#BBCC33",  # pear: a score quoted from the fact sheet, not in any file
    # compute (closing chapter): fit windows that are not chapter 1's, and the scenarios
    "Compute, long run": "#6699CC",
    "Before the horizon break": "#997700",
    "After the horizon break": "#EE3377",
    "Observed trend continues": "#004488",
    "Commitment reset slows compute": "#EECC66",
    "Compute stops growing": "#994455",
    # reference marks that are not categories of the data: intervals, estimates, bands, today
    "Interval or band": "#bdbdbd",
    "Estimate": "#222222",
    "Today": "#5D3A9B",  # the report's as-of date
    "Limit or reference": "#666666",  # dashed: the ceiling, a human reference, where data stop
}

CATEGORY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("Frontier", "Frontier (fitted)"),
    ("Not frontier", "Not frontier"),
    ("Above ", "Above 16 hours: not fitted"),
    ("50% horizon above", "Above 16 hours: not fitted"),
    ("50% horizon up to", "Up to 16 hours"),
    ("All models", "All models"),
    ("All time", "All time"),
    ("One exponential", "All time"),
    ("exponential", "All time"),
    ("Exponential, all time", "All time"),
    ("Since 2023", "Since 2023"),
    ("Exponential, since 2023", "Since 2023"),
    ("Since 2024", "Since 2024"),
    ("Two eras", "Two eras"),
    ("two eras", "Two eras"),
    ("Latest era continues", "Two eras"),
    ("Superexponential", "Superexponential"),
    ("superexponential", "Superexponential"),
    ("v1.0", "Earlier or METR's"),
    ("Before the correction", "Earlier or METR's"),
    ("METR's", "Earlier or METR's"),
    ("v1.1", "Later or ours"),
    ("After the correction", "Later or ours"),
    ("Ours", "Later or ours"),
    ("Count (BLS", "BLS (official statistics)"),
    ("METR, frontier", "Frontier (fitted)"),
    ("METR, not frontier", "Not frontier"),
    ("METR, above", "Above 16 hours: not fitted"),
    ("METR's non-robust", "Non-robust estimate"),
    ("METR measurement", "Up to 16 hours"),
    ("Nowcast", "Nowcast"),
    ("At the compute frontier", "Frontier (fitted)"),
    ("Other model", "Not frontier"),
    ("Reported by HAL", "Reported outside the data"),
    ("Time Horizon 1.1", "Later or ours"),
    ("Time Horizon 1.0", "Earlier or METR's"),
    ("Since 2010", "Compute, long run"),
)


def category(label: str) -> str:
    """The COLOURS key a chart label belongs to (KeyError if none: add the category first)."""
    if label in COLOURS:
        return label
    for prefix, key in CATEGORY_PREFIXES:
        if label.startswith(prefix):
            return key
    raise KeyError(f"no colour category for chart label {label!r}: add it to charts.COLOURS")


def colour_of(label: str) -> str:
    return COLOURS[category(label)]


def category_scale(labels: Sequence[str]) -> alt.Scale:
    """An ordinal colour scale that gives each label its category's colour."""
    labels = list(dict.fromkeys(labels))
    return alt.Scale(domain=labels, range=[colour_of(label) for label in labels])


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
    fitted = {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}, "usermeta": usermeta}
    return _clip_text(fitted, True)


def _clip_text(spec: dict, clip: bool) -> dict:
    """Text marks clipped to the plot (``clip``) or not. A chart fitted to its container shrinks its
    plot to make room for any label that runs past it (on a phone, to a few pixels); clipped, a long
    label is cut at the plot's edge instead, and its tooltip or the caption still carries it."""
    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: walk(value) for key, value in node.items()}
        mark = out.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
            mark = {"type": "text"} if mark == "text" else dict(mark)
            if clip:
                mark["clip"] = True
            else:
                mark.pop("clip", None)
            out["mark"] = mark
        return out

    return walk(spec)


def static_spec(spec: dict) -> dict:
    """The inverse of ``responsive``: a fixed-width spec for SVG/PNG export (no container to fit)."""
    width = spec.get("usermeta", {}).get("export_width")
    if spec.get("width") != "container" or width is None:
        return spec
    out = {key: value for key, value in spec.items() if key != "autosize"}
    return _clip_text({**out, "width": width}, False)  # a fixed width leaves room for every label


def stamped(spec: dict) -> dict:
    """The spec stamped with the data files read so far in this process (its provenance)."""
    return {**spec, "usermeta": {**spec.get("usermeta", {}), "inputs": paths.inputs_read()}}


def offline_renderer(spec: dict, **_options) -> dict:
    """Emit the spec for the site's bundle, stamped with the data files read so far (provenance),
    sized to its container (``responsive``)."""
    return _mimebundle(stamped(spec))


def _mimebundle(spec: dict) -> dict:
    spec = responsive(spec)
    return {"text/html": _offline_html(spec), "text/plain": f"<chart: {spec.get('description', '')}>"}


class SpecFigure:
    """A chart already rendered to a stamped spec elsewhere (another page's run): glued as it is."""

    def __init__(self, spec: dict):
        self.spec = spec

    def to_dict(self) -> dict:
        return self.spec

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return _mimebundle(self.spec)


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
            y=alt.Y("horizon_min:Q").scale(y_scale).axis(_time_axis(ticks)).title(y_title),
            color=status_colour,
            tooltip=tooltip,
        )
    )
    ceiling_frame = pd.DataFrame({"minutes": [ceiling_minutes], "label": [ceiling_label]})
    ceiling = alt.Chart(ceiling_frame).mark_rule(strokeDash=[5, 4], color=COLOURS["Limit or reference"]).encode(y="minutes:Q")
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
            color=alt.Color("suite:N").title(legend_title).scale(category_scale(table["suite"])),
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
    label = alt.Chart(estimate).mark_text(align="left", dx=5, baseline="top", y=4, fontSize=11,
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
    y = alt.Y("p50:Q").scale(type="log").axis(_time_axis(ticks)).title("Published 50% horizon")
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


# ------------------------------------------------------------------ timelines (chapter 3)


def _today_layers(today: pd.Timestamp, label: str, label_y: float = 2, *, label_left: bool = False) -> list[alt.Chart]:
    """A solid rule at the report's as-of date with its label ``label_y`` px below the top of the plot,
    right of the rule, or left of it (``label_left``) where "today" ends the axis. A label that ran past
    the plot would make a chart sized to its container shrink its plot to make room."""
    frame = pd.DataFrame({"date": [pd.Timestamp(today)], "label": [label]})
    rule = alt.Chart(frame).mark_rule(color=COLOURS["Today"], strokeWidth=1.5).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N").title("Today")])
    text = alt.Chart(frame).mark_text(align="right" if label_left else "left", baseline="top",
                                      dx=-3 if label_left else 3, y=label_y, fontSize=11,
                                      color=COLOURS["Today"]).encode(x="date:T", text="label:N")
    return [rule, text]


def fan_chart(
    fan: pd.DataFrame,
    points: pd.DataFrame,
    *,
    scenarios: Sequence[str],
    ticks: Sequence[tuple[float, str]],
    ceiling_minutes: float,
    ceiling_label: str,
    today: pd.Timestamp,
    today_label: str,
    singularity: pd.DataFrame,
    title: str,
    description: str,
    width: int,
    height: int,
) -> alt.LayerChart:
    """Projected horizons with 10-90% bands per scenario; the reader picks the reliability level.

    ``fan``: scenario, metric, date, low_min, median_min, high_min. ``points``: metric, release_date,
    horizon_min, display_name, horizon_text. ``today``: the report's as-of date, drawn as a rule.
    ``singularity``: metric, date, low, high, label: the superexponential's infinite-horizon date
    (point estimate) and its 10-90% range, drawn as a dashed rule over a shaded span.
    """
    reliability = alt.param(
        name="reliability", value="p50",
        bind=alt.binding_radio(options=["p50", "p80"], labels=["50%", "80%"], name="Reliability "),
    )
    colour = alt.Color("scenario:N").title("Scenario").scale(category_scale(scenarios)).legend(
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
    ceiling = alt.Chart(ceiling_frame).mark_rule(strokeDash=[5, 4], color=COLOURS["Limit or reference"]).encode(y="minutes:Q")
    ceiling_text = alt.Chart(ceiling_frame).mark_text(align="left", dx=4, dy=-7, color="#555555", fontSize=11).encode(
        y="minutes:Q", text="label:N", x=alt.value(0)
    )
    singular = alt.Chart(singularity).transform_filter(alt.datum.metric == reliability)
    singular_tooltip = [alt.Tooltip("label:N").title("Superexponential"),
                        alt.Tooltip("date:T").title("Infinite horizon (fit)").format("%b %Y"),
                        alt.Tooltip("low:T").title("10% of draws").format("%b %Y"),
                        alt.Tooltip("high:T").title("90% of draws").format("%b %Y")]
    singular_span = singular.mark_rect(opacity=0.08, color=COLOURS["Superexponential"]).encode(x="low:T", x2="high:T", tooltip=singular_tooltip)
    singular_rule = singular.mark_rule(strokeDash=[2, 2], color=COLOURS["Superexponential"], strokeWidth=1.5).encode(
        x="date:T", tooltip=singular_tooltip)
    singular_text = singular.mark_text(align="left", baseline="bottom", dx=3, y=height - 4, fontSize=11,
                                       color=COLOURS["Superexponential"]).encode(x="date:T", text="label:N")
    return (
        alt.layer(singular_span, band, median, observed, ceiling, ceiling_text, singular_rule, singular_text,
                  *_today_layers(today, today_label))
        .add_params(reliability)
        .properties(width=width, height=height, title=title, description=description)
    )


# Vega expression for log2 of a parameter draw's horizon (minutes) at datum.x (days since 2019-01-01);
# the same closed form as analysis.forecast.log2_at. 1e9 stands for "infinite" (past a singularity).
_LOG2_AT_EXPRESSION = (
    "datum.kind == 'line'"
    " ? datum.a + datum.b * datum.x"
    " : (abs(datum.shrink) < 1e-12"
    "    ? datum.y0 + (datum.x - datum.x0) / datum.d0"
    "    : (1 - datum.shrink * (datum.x - datum.x0) / datum.d0 > 0"
    "       ? datum.y0 + log(1 - datum.shrink * (datum.x - datum.x0) / datum.d0) / log(1 - datum.shrink)"
    "       : 1e9))"
)
# Whether a draw counts as reached at datum.x: the trend line (its curve has crossed the milestone,
# as analysis.forecast.arrival_days: a line that does not grow never arrives), or the probability
# that a model released then, scattered N(0, scatter^2) doublings about the line, shows it.
_REACHED_EXPRESSION = (
    "kind == 'line'"
    " ? ((datum.kind != 'line' || datum.b > 0) && datum.y >= datum.target ? 1 : 0)"
    " : cumulativeNormal(datum.y - datum.target, 0, {scatter!r})"
)


def arrival_explorer_chart(
    draws: pd.DataFrame,
    *,
    scenarios: dict[str, str],
    weights: dict[str, dict[str, float]],
    scatter: float,
    hours: float,
    max_hours: float,
    presets: dict[str, float],
    by_month: str,
    first_year: int,
    last_year: int,
    today: pd.Timestamp,
    today_label: str,
    title: str,
    description: str,
    width: int,
) -> alt.LayerChart:
    """Probability that a milestone is reached by the end of each month, recomputed in the browser.

    ``draws``: s (scenario code), metric, kind, a, b, y0, d0, shrink, x0: the parameter draws of
    forecast.scenario_draws. ``scenarios``: code -> label; ``weights``: mixture name -> (code ->
    weight, summing to one); the first mixture is the default. ``scatter``: models' standard
    deviation about the line (doublings). ``presets``: label -> hours for the milestone menu (0
    hours: use the logarithmic slider). The reader chooses the weights or one scenario, the
    reliability, the kind of arrival (trend line or a measured model), the milestone and the month;
    the page evaluates the same closed forms as analysis.forecast.probability_by.
    """
    codes = list(scenarios)
    mixtures = list(weights)
    scenario = alt.param(
        name="scenario", value=mixtures[0],
        bind=alt.binding_select(options=[*mixtures, *codes], labels=[*mixtures, *scenarios.values()], name="Weights or scenario "),
    )
    reliability = alt.param(
        name="level", value="p50", bind=alt.binding_radio(options=["p50", "p80"], labels=["50%", "80%"], name="Reliability ")
    )
    kind = alt.param(
        name="kind", value="model",
        bind=alt.binding_radio(options=["model", "line"], labels=["a measured model", "the trend line"], name="Arrival of "),
    )
    preset = alt.param(
        name="preset", value=float(hours),
        bind=alt.binding_select(options=[*presets.values(), 0.0], labels=[*presets, "the slider below"], name="Milestone "),
    )
    log_hours = alt.param(
        name="log_hours", value=round(math.log10(hours), 2),  # on the slider's 0.01 grid, as a reader would set it
        bind=alt.binding_range(min=0, max=math.log10(max_hours), step=0.01,
                               name="Slider: log10 of hours (0 = 1 h, 1 = 10 h, 2 = 100 h, 3.3 = a work-year) "),
    )
    year, month = (int(part) for part in by_month.split("-"))
    when = alt.param(
        name="when", value=round(year + (month - 1) / 12, 4),
        bind=alt.binding_range(min=first_year, max=last_year + 11 / 12, step=1 / 12,
                               name="Read-out month (year + months/12) "),
    )
    cases = " : ".join(
        f"scenario == {json.dumps(name)} ? ("
        + " : ".join(f"datum.s == {json.dumps(code)} ? {case[code]!r}" for code in codes) + " : 0)"
        for name, case in weights.items()
    )
    n_months = 12 * (last_year - first_year + 1)
    # Thousands of draws travel as one CSV string: about a third of the size of JSON records.
    numeric = ["a", "b", "y0", "d0", "shrink", "x0"]
    data = alt.InlineData(
        values=draws.to_csv(index=False, lineterminator="\n"),
        format=alt.DataFormat(type="csv", parse={column: "number" for column in numeric}),
    )
    month_end = f"utc({first_year} + floor(datum.k / 12), datum.k % 12 + 1, 0)"
    grid = (
        alt.Chart(data)
        .transform_filter("datum.metric == level")
        .transform_joinaggregate(n="count()", groupby=["s"])
        .transform_calculate(
            w=f"({cases} : (datum.s == scenario ? 1 : 0)) / datum.n",
            hours="preset > 0 ? preset : pow(10, log_hours)",
            target="log(preset > 0 ? preset * 60 : pow(10, log_hours) * 60) / LN2",
            k=f"sequence(0, {n_months})",
        )
        .transform_filter("datum.w > 0")
        .transform_flatten(["k"])
        .transform_calculate(date=month_end)
        .transform_calculate(x="(datum.date - utc(2019, 0, 1)) / 864e5")
        .transform_calculate(y=_LOG2_AT_EXPRESSION)
        .transform_calculate(reached=_REACHED_EXPRESSION.format(scatter=float(scatter)))
        .transform_calculate(wr="datum.w * datum.reached")
        .transform_aggregate(p="sum(wr)", groupby=["k", "date", "hours"])
    )
    selected = f"round((when - {first_year}) * 12)"
    curve = grid.mark_line(interpolate="step-after", color=COLOURS["Estimate"], strokeWidth=2).encode(
        x=alt.X("date:T").title("End of month"),
        y=alt.Y("p:Q").title("Probability the milestone is reached").axis(format="%").scale(domain=[0, 1]),
        tooltip=[alt.Tooltip("date:T").title("By the end of").format("%B %Y"), alt.Tooltip("p:Q").title("Probability").format(".0%")],
    )
    marker = grid.transform_filter(f"datum.k == {selected}").mark_rule(color="#555555", strokeDash=[4, 3]).encode(x="date:T")
    readout = (
        grid.transform_filter(f"datum.k == {selected}")
        .transform_calculate(label=(
            "'P(' + (kind == 'model' ? 'a measured model|shows ' : 'the trend line|reaches ') + format(datum.hours, ',.0f')"
            " + ' h|by ' + timeFormat(datum.date, '%b %Y') + ') = '"  # "|": a line break, so a phone shows it whole
            # as analysis.text.format_probability: no "100%" from a model that leaves out a break in
            # the trend; "0%" only when no draw at all reaches the milestone
            " + (datum.p > 0.99 ? 'over 99%' : datum.p == 0 ? '0%' : datum.p < 0.01 ? 'under 1%'"
            " : format(datum.p, '.0%'))"))
        .mark_text(align="left", x=8, y=12, fontSize=13, fontWeight="bold", lineBreak="|", color=COLOURS["Estimate"])
        .encode(text="label:N")
    )
    return (
        alt.layer(curve, marker, readout, *_today_layers(today, today_label, label_y=56))
        .add_params(scenario, reliability, kind, preset, log_hours, when)
        .properties(width=width, height=300, title=title, description=description)
    )


def claims_chart(table: pd.DataFrame, *, today: pd.Timestamp, today_label: str, title: str, description: str,
                 width: int) -> alt.LayerChart:
    """Each claim's target date against its milestone's arrival range under the mixture.

    ``table``: label, status ("deadline passed" or "open"), target_date, arrival_p10, arrival_median,
    arrival_p90, probability, probability_text, milestone_text, claim, who, resolution, caveat.
    ``today``: the report's as-of date, drawn as a rule.
    """
    order = table.sort_values("target_date")["label"].tolist()
    y = alt.Y("label:N").sort(order).title(None).axis(labelLimit=260)
    tooltip = [
        alt.Tooltip("who:N").title("Who"),
        alt.Tooltip("claim:N").title("Claim"),
        alt.Tooltip("milestone_text:N").title("Mapped to"),
        alt.Tooltip("target_date:T").title("Target").format("%b %Y"),
        alt.Tooltip("status:N").title("Status"),
        alt.Tooltip("probability_text:N").title("Probability a measured model shows it by the target"),
        alt.Tooltip("resolution:N").title("Resolution"),
        alt.Tooltip("caveat:N").title("Caveat"),
    ]
    ranges = alt.Chart(table).mark_rule(strokeWidth=4, opacity=0.6, color=COLOURS["Interval or band"]).encode(
        x=alt.X("arrival_p10:T").title("Date (bar: 10-90% range of the trend line's arrival; marker: claimed date)"),
        x2="arrival_p90:T", y=y, tooltip=tooltip,
    )
    medians = alt.Chart(table).mark_tick(color=COLOURS["Estimate"], thickness=2, size=14).encode(
        x="arrival_median:T", y=y, tooltip=tooltip
    )
    targets = alt.Chart(table).mark_point(filled=True, size=110).encode(
        x="target_date:T",
        y=y,
        shape=alt.Shape("status:N").title("Deadline").scale(domain=["open", "deadline passed"], range=["diamond", "square"])
        .legend(orient="bottom"),
        color=alt.Color("probability:Q").title("Probability by target").scale(scheme="viridis", domain=[0, 1])
        .legend(format="%", orient="bottom"),
        tooltip=tooltip,
    )
    return alt.layer(ranges, medians, targets, *_today_layers(today, today_label)).properties(
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
    colour = alt.Color("kind:N").title("Source").scale(category_scale(table["kind"])).legend(
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
    band = alt.Chart(arrivals).mark_rect(opacity=0.35, color=COLOURS["Interval or band"]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Trend")]
    )
    band_label = alt.Chart(arrivals).mark_text(align="left", dx=4, baseline="top", y=4, fontSize=11,
                                               color="#555555").encode(x="low:Q", text="label:N")
    line = alt.Chart(curve).mark_line(color=COLOURS["Estimate"], strokeWidth=2).encode(
        x=alt.X("automation_year:Q").title("Years from the listing until the trend reaches the milestone"),
        y=alt.Y("relative_value:Q").title("Career value ÷ value of an unexposed career").axis(format="%").scale(domain=[0, 1]),
        tooltip=[alt.Tooltip("automation_year:Q").title("Years").format(".1f"), alt.Tooltip("value_text:N").title("Relative value")],
    )
    return alt.layer(band, band_label, line).properties(width=width, height=260, title=title, description=description)


def premium_chart(table: pd.DataFrame, listing: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """The automation-risk premium per scenario against the listing's premium over the BLS median.

    ``table``: scenario, premium, premium_text. ``listing``: low, high, label.
    """
    order = table["scenario"].tolist()
    y = alt.Y("scenario:N").sort(order).title(None).axis(labelLimit=220)
    band = alt.Chart(listing).mark_rect(opacity=0.2, color=COLOURS["The listing"]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Listing")]
    )
    band_label = alt.Chart(listing).mark_text(align="left", dx=4, baseline="bottom", y=-4, fontSize=11,
                                              color=COLOURS["The listing"]).encode(x="low:Q", text="label:N")
    bars = alt.Chart(table).mark_bar(color=COLOURS["Estimate"], height=16).encode(
        x=alt.X("premium:Q").title("Pay premium over the BLS median").axis(format="%"),
        y=y,
        tooltip=[alt.Tooltip("scenario:N").title("Scenario"), alt.Tooltip("premium_text:N").title("Automation-risk premium")],
    )
    return alt.layer(band, band_label, bars).properties(width=width, height=alt.Step(30), title=title,
                                                       description=description)


def tornado_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """How far the premium moves when one assumption moves across its range, others at base.

    ``table``: parameter_text, premium_at_low, premium_at_high, base, low_text, high_text.
    """
    order = table["parameter_text"].tolist()
    y = alt.Y("parameter_text:N").sort(order).title(None).axis(labelLimit=260)
    tooltip = [alt.Tooltip("parameter_text:N").title("Assumption"), alt.Tooltip("low_text:N").title("At low end"),
               alt.Tooltip("high_text:N").title("At high end")]
    bars = alt.Chart(table).mark_bar(color=COLOURS["Interval or band"], height=16).encode(
        x=alt.X("premium_at_low:Q").title("Automation-risk premium").axis(format="%"), x2="premium_at_high:Q", y=y, tooltip=tooltip
    )
    base = alt.Chart(table.head(1)).mark_rule(color=COLOURS["Estimate"], strokeWidth=2).encode(x="base:Q")
    base_label = alt.Chart(table.head(1)).mark_text(align="left", dx=4, baseline="bottom", y=-4, fontSize=11,
                                                    color=COLOURS["Estimate"]).encode(x="base:Q", text="base_text:N")
    return alt.layer(bars, base, base_label).properties(width=width, height=alt.Step(30), title=title,
                                                        description=description)


def precedent_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Computer-programmer employment, by survey. CPS points are lower bounds from a news report: they
    are drawn as open upward triangles with an upward arrow ("at least this many"), exact counts as
    filled circles.

    ``table``: year, value, arrow_top, survey, bound (True for a lower bound), kind, label, caveat.
    """
    colour = alt.Color("kind:N").title(None).legend(labelLimit=360).scale(
        category_scale([LOWER_BOUND_LABEL, EXACT_COUNT_LABEL]))
    tooltip = [alt.Tooltip("label:N").title("Figure"), alt.Tooltip("survey:N").title("Survey"),
               alt.Tooltip("caveat:N").title("Caveat")]
    x = alt.X("year:Q").title("Year").axis(format="d").scale(zero=False)
    y = alt.Y("value:Q").title("Computer programmers employed").axis(format="~s")
    base = alt.Chart(table).encode(x=x, color=colour, tooltip=tooltip)
    bounds = base.transform_filter("datum.bound")
    arrows = bounds.mark_rule(strokeWidth=2).encode(y=y, y2="arrow_top:Q")
    heads = bounds.mark_point(shape="triangle-up", filled=True, size=60).encode(y="arrow_top:Q")
    lower = bounds.mark_point(shape="triangle-up", filled=False, size=130, strokeWidth=2).encode(
        y=y, shape=alt.Shape("kind:N").title(None).scale(domain=[LOWER_BOUND_LABEL, EXACT_COUNT_LABEL],
                                                          range=["triangle-up", "circle"]))
    exact = base.transform_filter("!datum.bound").mark_point(filled=True, size=90).encode(
        y=y, shape=alt.Shape("kind:N").title(None).scale(domain=[LOWER_BOUND_LABEL, EXACT_COUNT_LABEL],
                                                          range=["triangle-up", "circle"]))
    return alt.layer(arrows, heads, lower, exact).properties(width=width, height=260, title=title,
                                                             description=description)


LOWER_BOUND_LABEL = "At least this many (CPS, as reported)"
EXACT_COUNT_LABEL = "Count (BLS handbook)"


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
    colour = alt.Color("source:N").title("95% interval").scale(category_scale(table["source"]))
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
    shade = alt.Chart(band).mark_rect(opacity=0.35, color=COLOURS["Interval or band"]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Band")]
    )
    shade_label = alt.Chart(band).mark_text(align="left", dx=4, baseline="bottom", y=-4, fontSize=11,
                                            color="#555555").encode(x="low:Q", text="label:N")
    dots = alt.Chart(table).mark_point(filled=True, size=90, color=COLOURS["Estimate"]).encode(
        x=alt.X("doubling_days:Q").title("Doubling time since 2023 (days)").scale(zero=False),
        y=y,
        tooltip=[alt.Tooltip("variant:N").title("Choice"), alt.Tooltip("doubling_text:N").title("Doubling time"),
                 alt.Tooltip("median_ratio_text:N").title("Median p50 vs METR's")],
    )
    return alt.layer(shade, shade_label, dots).properties(width=width, height=alt.Step(30), title=title,
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


# ------------------------------------------------------------------ what to watch (closing chapter)


def _fit_container(chart, *, title: str, description: str, height: int):
    """Full width of the page's column on any screen (autosize fit), with a fixed height."""
    return chart.properties(
        width="container", height=height, title=title, description=description,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
    )


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
    return _fit_container(alt.layer(models, fits).resolve_scale(color="independent"),
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
    y_scale = alt.Scale(type="log")
    suite = alt.Color("suite:N").title("METR task suite").scale(category_scale(points["suite"])).legend(
        orient="bottom", direction="vertical", labelLimit=0
    )
    band = alt.Chart(line).mark_area(opacity=0.18, color=COLOURS["Estimate"]).encode(
        x=x, y=alt.Y("band_low_min:Q").scale(y_scale), y2="band_high_min:Q"
    )
    fitted = alt.Chart(line).mark_line(color=COLOURS["Estimate"], strokeWidth=2).encode(x=x, y=alt.Y("fitted_min:Q").scale(y_scale))
    dots = alt.Chart(points).mark_point(filled=True, size=80, opacity=0.9).encode(
        x=x,
        y=alt.Y("horizon_min:Q").scale(y_scale).axis(_time_axis(ticks)).title("50% time horizon"),
        color=suite,
        shape=alt.Shape("suite:N").title("METR task suite"),
        tooltip=[
            alt.Tooltip("display_name:N").title("Model"),
            alt.Tooltip("release_text:N").title("Released"),
            alt.Tooltip("compute_text:N").title("Training compute"),
            alt.Tooltip("horizon_text:N").title("50% horizon"),
            alt.Tooltip("suite:N").title("Suite"),
        ],
    )
    return _fit_container(alt.layer(band, fitted, dots), title=title, description=description, height=height)


def constraint_scenario_chart(
    paths_table: pd.DataFrame, points: pd.DataFrame, *, ticks: Sequence[tuple[float, str]], title: str,
    description: str, height: int,
) -> alt.LayerChart:
    """Projected 50% horizon under each scenario (line and 95% band) after the observed frontier models.

    ``paths_table``: scenario, date, fitted_min, low_min, high_min, date_text, horizon_text.
    ``points``: display_name, release_date, horizon_min, release_text, horizon_text.
    """
    x = alt.X("date:T").title("Date").axis(format="%Y")
    y_scale = alt.Scale(type="log")
    order = paths_table["scenario"].drop_duplicates().tolist()
    colour = alt.Color("scenario:N").title("Scenario").sort(order).scale(category_scale(order)).legend(orient="bottom", direction="vertical", labelLimit=0)
    band = alt.Chart(paths_table).mark_area(opacity=0.12).encode(
        x=x, y=alt.Y("low_min:Q").scale(y_scale), y2="high_min:Q", color=colour
    )
    lines = alt.Chart(paths_table).mark_line(strokeWidth=2).encode(
        x=x,
        y=alt.Y("fitted_min:Q").scale(y_scale).axis(_time_axis(ticks)).title("50% time horizon (projected)"),
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
    return _fit_container(alt.layer(band, lines, observed), title=title, description=description, height=height)
# ------------------------------------------------------------------ beyond time horizons (benchmarks chapter)

NOWCAST_STATUSES = ["METR, frontier", "METR, not frontier", "METR, above 16 h (unreliable)",
                    "METR's non-robust estimate (fact E2)", "Nowcast from ECI"]


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
    y_scale = _time_scale()
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    colour = alt.Color("status:N").title(None).scale(
        domain=NOWCAST_STATUSES, range=[colour_of(status) for status in NOWCAST_STATUSES]).legend(legend)
    shape = alt.Shape("status:N").title(None).scale(
        domain=NOWCAST_STATUSES, range=["circle", "circle", "circle", "square", "diamond"]).legend(legend)
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
        x=x, y=alt.Y("horizon_min:Q").scale(y_scale).axis(_time_axis(ticks)).title("50% time horizon (human-expert time)"),
        color=colour, shape=shape, tooltip=tooltip)
    ceiling_frame = pd.DataFrame({"minutes": [ceiling_minutes], "label": [ceiling_label]})
    ceiling = alt.Chart(ceiling_frame).mark_rule(strokeDash=[5, 4], color=COLOURS["Limit or reference"]).encode(y="minutes:Q")
    ceiling_text = alt.Chart(ceiling_frame).mark_text(align="left", dx=4, dy=-7, color="#555555", fontSize=11).encode(
        y="minutes:Q", text="label:N", x=alt.value(0))
    trend_layer = alt.layer(shade, line)
    today_layers = _today_layers(today, today_label, label_y=4, label_left=True) if today is not None else []
    model_layer = alt.layer(bars, ceiling, ceiling_text, *today_layers, marks)
    return (
        alt.layer(trend_layer, model_layer)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=width, height=height, title=title, description=description)
    )


FRONTIER_KINDS = ["Frontier record", "Other model", "Reported by HAL outside its database (fact D1)"]


def _logit_axis(values: Sequence[float] = (0.05, 0.2, 0.5, 0.8, 0.95)) -> alt.Axis:
    """An axis in logit units labelled as percentages (Vega-Lite has no logit scale)."""
    import math

    return alt.Axis(values=[math.log(v / (1 - v)) for v in values],
                    labelExpr="format(1 / (1 + exp(-datum.value)), '.0%')")


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
        y=alt.Y("score_logit:Q").scale(y_scale).axis(_logit_axis()).title("Score (logit axis)"),
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
    y_scale = _time_scale()
    shade = alt.Chart(line).mark_area(opacity=0.15, color=COLOURS["Estimate"]).encode(
        x=x, y=alt.Y("band_low_min:Q").scale(y_scale), y2="band_high_min:Q")
    fitted = alt.Chart(line).mark_line(color=COLOURS["Estimate"], strokeWidth=2).encode(x=x, y=alt.Y("fitted_min:Q").scale(y_scale))
    dots = alt.Chart(points).mark_point(filled=True, size=70).encode(
        x=x,
        y=alt.Y("horizon_min:Q").scale(y_scale).axis(_time_axis(ticks)).title("50% time horizon"),
        color=alt.Color("kind:N").title(None).scale(category_scale(["METR measurement", "Nowcast from ECI"]))
        .legend(orient="bottom"),
        shape=alt.Shape("kind:N").title(None).scale(domain=["METR measurement", "Nowcast from ECI"],
                                                     range=["circle", "diamond"]).legend(orient="bottom"),
        tooltip=[alt.Tooltip("display_name:N").title("Model"), alt.Tooltip("kind:N").title("What"),
                 alt.Tooltip("eci_text:N").title("ECI"), alt.Tooltip("horizon_text:N").title("50% horizon")],
    )
    return alt.layer(shade, fitted, dots).properties(width=width, height=height, title=title, description=description)
