"""The report's altair theme and what every chart shares: the palette, the one colour per category
(COLOURS), the light/dark page configurations, and axes in human units (log time, logit scores).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

import altair as alt
import pandas as pd


# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


GREY = "#8c8c8c"


# Colour means one thing across the report: every builder that colours one of these categories takes
# its colour from here (tests/test_referee.py checks every chart). Keys are the labels charts show;
# CATEGORY_PREFIXES maps labels that carry numbers ("All time: doubles every 188 days") or that name
# the same category differently ("One exponential" is the all-time fit) to a key.
COLOURS: dict[str, str] = {
    # which models a point is
    "Frontier (fitted)": PALETTE[0],  # blue
    "Not frontier": GREY,
    "Above 16 hours: not fitted": "#A50026",  # crimson: above the reliable ceiling (not orange, the all-time fit's)
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
            # Legend labels whole (Vega cuts them at 160 px by default); narrow screens wrap them
            # (analysis.site.website's embed snippet). Crowded time axes drop overlapping labels.
            # Legend swatches drawn opaque: a legend shared by a line and its pale band shows the
            # line's colour, not the band's.
            # Several legends below a chart stack (side by side they ran past its right edge); Vega-Lite
            # passes Vega's legend layout only as an expression.
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 0,
                       "symbolOpacity": 1, "layout": {"expr": "{bottom: {anchor: 'start', direction: 'vertical'}}"}},
            "axisX": {"labelOverlap": True, "labelSeparation": 6},
            # a date axis without its own format names the year with the month ("Apr 2024", not
            # "April October"); crowded labels are dropped rather than run together
            "axisTemporal": {"format": "%b %Y", "labelOverlap": True, "labelSeparation": 6},
            "axisY": {"labelLimit": 260},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
        }
    }


# The dark page the charts are drawn on (pydata-sphinx-theme's --pst-color-background in dark mode; the
# lightest of the theme's dark backgrounds, so the hardest case for light marks) and the contrast every
# chart colour keeps against it: WCAG's 3:1 for graphical objects and 4.5:1 for text. A colour is used
# for both (a category colours points and their labels), so every colour is held to the text bar.
DARK_PAGE = "#14181e"
MARK_CONTRAST = 3.0
TEXT_CONTRAST = 4.5

# The page draws every chart with one of these merged over the spec's config (analysis.site.website's embed
# snippet), following pydata-sphinx-theme's ``data-theme`` on <html>: transparent background, so the
# chart sits on the page's own colour, and in dark mode light text and grid. Exports keep the white card.
PAGE_CONFIG = {
    "light": {"background": "transparent"},
    "dark": {
        "background": "transparent",
        "title": {"color": "#ced6dd", "subtitleColor": "#a9b1ba"},
        "axis": {"labelColor": "#ced6dd", "titleColor": "#ced6dd", "gridColor": "#3a4049",
                 "domainColor": "#8b949e", "tickColor": "#8b949e"},
        # a legend without a colour scale (shape, dash) draws its symbols in these
        "legend": {"labelColor": "#ced6dd", "titleColor": "#ced6dd", "symbolBaseFillColor": "#ced6dd",
                   "symbolBaseStrokeColor": "#ced6dd"},
        "text": {"color": "#ced6dd"},
        "header": {"labelColor": "#ced6dd", "titleColor": "#ced6dd"},
        "mark": {"color": "#6fa8dc"},  # Vega-Lite's default #4c78a8, lifted to the text bar
    },
}

# Named colours a builder may write, as hex (the rule below works on hex).
_NAMED = {"black": "#000000", "white": "#ffffff", "grey": "#808080", "gray": "#808080", "darkgrey": "#a9a9a9",
          "darkgray": "#a9a9a9", "lightgrey": "#d3d3d3", "lightgray": "#d3d3d3", "dimgrey": "#696969",
          "dimgray": "#696969", "steelblue": "#4682b4", "red": "#ff0000", "orange": "#ffa500", "purple": "#800080"}


def hex_of(colour: str) -> str | None:
    """``#rrggbb`` (lower case) for a hex (#rgb, #rrggbb) or a named colour; None for anything else."""
    text = colour.strip().lower()
    text = _NAMED.get(text, text)
    if len(text) == 4 and text.startswith("#"):
        text = "#" + "".join(c * 2 for c in text[1:])
    if len(text) == 7 and text.startswith("#") and all(c in "0123456789abcdef" for c in text[1:]):
        return text
    return None


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a hex colour."""
    value = hex_of(colour)
    channels = [int(value[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def dark_variant(colour: str, minimum: float = TEXT_CONTRAST, page: str = DARK_PAGE) -> str:
    """The colour as the dark page draws it: itself if it already stands out from ``page`` by
    ``minimum``; else a grey is mirrored (black becomes white, dark grey light grey, so greys keep
    their order) and a colour keeps its hue and saturation; then either is made lighter, step by step,
    until it stands out."""
    import colorsys

    value = hex_of(colour)
    if value is None or contrast(value, page) >= minimum:
        return colour
    red, green, blue = (int(value[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.08 or max(red, green, blue) - min(red, green, blue) < 0.04:
        light = 1 - light
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, light, saturation))
        if contrast(candidate, page) >= minimum:
            return candidate
    while light < 1:
        light = min(1.0, light + 0.01)
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hls_to_rgb(hue, light, saturation))
        if contrast(candidate, page) >= minimum:
            return candidate
    return "#ffffff"


_COLOUR_KEYS = {"color", "fill", "stroke"}


def _is_colour_key(key: str) -> bool:
    return key in _COLOUR_KEYS or key.endswith("Color")


def spec_colours(spec) -> set[str]:
    """Every colour a spec writes: values of color/fill/stroke/...Color keys (and their ``value`` and
    ``condition``), and the entries of scale ranges; data are not read."""
    found: set[str] = set()

    def walk(node, key=""):
        if isinstance(node, dict):
            for child, value in node.items():
                if child in ("data", "datasets"):
                    continue
                if isinstance(value, str) and (_is_colour_key(child) or (child == "value" and _is_colour_key(key))):
                    found.add(value)
                else:
                    walk(value, key if child in ("condition", "value") and _is_colour_key(key) else child)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str) and key == "range":
                    found.add(item)
                else:
                    walk(item, key)

    walk(spec)
    return found


def dark_colours(spec: dict) -> dict[str, str]:
    """The swaps the page makes to draw ``spec`` in dark mode: each colour it writes that does not
    stand out from the dark page by the text bar, lower-cased, to its ``dark_variant``. Applied by
    rule to every chart (analysis.charts.render stores it with the spec), so a new builder's colours
    are covered without a list to keep. Colours the spec lists in ``usermeta.onMarks`` are drawn on
    the chart's own marks, not on the page (``ON_MARK_TEXT``), and keep their colour."""
    out = {}
    on_marks = {colour.lower() for colour in spec.get("usermeta", {}).get("onMarks", [])}
    for colour in spec_colours(spec) - on_marks:
        variant = dark_variant(colour)
        if variant != colour:
            out[colour.strip().lower()] = variant
    return dict(sorted(out.items()))


# Sequential colour schemes start dark (viridis at 0 is #440154): on the dark page a scheme is drawn
# from this share of its extent on, where its colours stand out by the marks' bar.
DARK_SCHEME_EXTENT = [0.4, 1.0]

# Text drawn on a chart's own marks (a heatmap's cell labels) is held against those marks, not the
# page: a sequential scheme drawn from ON_MARK_EXTENT on (viridis from #21918c, WCAG luminance 0.22)
# keeps this text at least 4.9:1 on every cell, in both modes. The spec names it in usermeta.onMarks.
ON_MARK_TEXT = "#111111"
ON_MARK_EXTENT = [0.5, 1.0]

# Kept for the embed snippet: colours that are not in a spec's own map (none today) are swapped too.
DARK_SWAPS = {colour: dark_variant(colour) for colour in ("#000000", "#333333", "#555555")}


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


def label_expression(ticks: Sequence[tuple[float, str]]) -> str:
    """A Vega expression mapping a tick value to its label (thresholds halfway in log space)."""
    values = [value for value, _ in ticks]
    labels = [label for _, label in ticks]
    expression = json.dumps(labels[-1])
    for i in range(len(ticks) - 2, -1, -1):
        threshold = (values[i] * values[i + 1]) ** 0.5
        expression = f"datum.value < {threshold!r} ? {json.dumps(labels[i])} : ({expression})"
    return expression


def time_axis(ticks: Sequence[tuple[float, str]], *, flush: bool = False) -> alt.Axis:
    """Human units on a log axis; ``flush`` keeps the end labels inside the plot and drops one that
    would still run past it (an x axis, where "1 work-week (40 h)" ran past a phone's screen)."""
    ends = {"labelFlush": True, "labelBound": True} if flush else {}
    return alt.Axis(values=[value for value, _ in ticks], labelExpr=label_expression(ticks), **ends)


def time_scale(domain: Sequence[float] | None = None) -> alt.Scale:
    return alt.Scale(type="log", domain=list(domain)) if domain else alt.Scale(type="log")


def ceiling_marks(minutes: float, label: str) -> list[alt.Chart]:
    """METR's reliability ceiling: a dashed rule at ``minutes`` and its label under it at the plot's left
    edge, where no model sits that high, broken at its colon ("16 hours" / "METR's reliability limit"):
    above the rule it was cut where the rule is the plot's top (80% charts); on one line it ran past a
    phone's plot."""
    frame = pd.DataFrame({"minutes": [minutes], "label": [label]})
    rule = alt.Chart(frame).mark_rule(strokeDash=[5, 4], color=COLOURS["Limit or reference"]).encode(y="minutes:Q")
    text = alt.Chart(frame).mark_text(align="left", baseline="top", dx=4, dy=3, color="#555555", fontSize=11,
                                      lineBreak=": ").encode(y="minutes:Q", text="label:N", x=alt.value(0))
    return [rule, text]


def today_marks(today: pd.Timestamp, label: str, label_y: float = 2, *, label_left: bool = False) -> list[alt.Chart]:
    """A solid rule at the report's as-of date with its label ``label_y`` px below the top of the plot,
    right of the rule, or left of it (``label_left``) where "today" ends the axis. A label that ran past
    the plot would make a chart sized to its container shrink its plot to make room."""
    # A label breaks after its colon, before its first year and before a parenthesis ("Today" / "2 December"
    # / "2026" / "(data end 8 May 2026)"): short lines fit beside the rule on a phone, where one long one
    # was cut at the plot's edge.
    lines = re.sub(r" (\d{4})\b", r"\n\1", label.replace(": ", "\n"), count=1).replace(" (", "\n(")
    frame = pd.DataFrame({"date": [pd.Timestamp(today)], "label": [label], "lines": [lines]})
    rule = alt.Chart(frame).mark_rule(color=COLOURS["Today"], strokeWidth=1.5).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N").title("Today")])
    text = alt.Chart(frame).mark_text(align="right" if label_left else "left", baseline="top",
                                      dx=-3 if label_left else 3, y=label_y, fontSize=11, lineBreak="\n",
                                      color=COLOURS["Today"]).encode(x="date:T", text="lines:N")
    return [rule, text]


# The width the downloads (PNG, SVG) and the PDF draw a chart at when its builder names none: wide
# enough for a title, a y axis of time labels and a usable plot (analysis.site.website's exports).
EXPORT_WIDTH = 640


def fit_container(chart, *, title: str, description: str, height: int, width: int = EXPORT_WIDTH):
    """Full width of the page's column on any screen, with a fixed plot height: the page fits the
    width only (``render.responsive``), so the title and legends add to the height instead of
    squeezing the plot; exports draw it ``width`` px wide."""
    return chart.properties(width=width, height=height, title=title, description=description)


def logit_axis(values: Sequence[float] = (0.05, 0.2, 0.5, 0.8, 0.95)) -> alt.Axis:
    """An axis in logit units labelled as percentages (Vega-Lite has no logit scale)."""
    import math

    return alt.Axis(values=[math.log(v / (1 - v)) for v in values],
                    labelExpr="format(1 / (1 + exp(-datum.value)), '.0%')")
