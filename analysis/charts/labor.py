"""Chart builders for chapter 5 (the labour-market argument).

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts.theme import COLOURS, category_scale


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
    line = alt.Chart(curve).mark_line(color=COLOURS["Estimate"], strokeWidth=2).encode(
        x=alt.X("automation_year:Q").title("Years from the listing until the trend reaches the milestone"),
        y=alt.Y("relative_value:Q").title("Career value ÷ value of an unexposed career").axis(format="%").scale(domain=[0, 1]),
        tooltip=[alt.Tooltip("automation_year:Q").title("Years").format(".1f"), alt.Tooltip("value_text:N").title("Relative value")],
    )
    # the band's name under the title: inside the plot it ran past a phone's edge
    return alt.layer(band, line).properties(width=width, height=260, description=description,
                                            title=alt.Title(title, subtitle=f"Shaded: {arrivals['label'].iloc[0]}"))


def premium_chart(table: pd.DataFrame, listing: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """The automation-risk premium per scenario against the listing's premium over the BLS median.

    ``table``: scenario, premium, premium_text. ``listing``: low, high, label.
    """
    order = table["scenario"].tolist()
    y = alt.Y("scenario:N").sort(order).title(None).axis(labelLimit=220)
    band = alt.Chart(listing).mark_rect(opacity=0.2, color=COLOURS["The listing"]).encode(
        x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N").title("Listing")]
    )
    bars = alt.Chart(table).mark_bar(color=COLOURS["Estimate"], height=16).encode(
        x=alt.X("premium:Q").title("Pay premium over the BLS median").axis(format="%"),
        y=y,
        tooltip=[alt.Tooltip("scenario:N").title("Scenario"), alt.Tooltip("premium_text:N").title("Automation-risk premium")],
    )
    # the band's name under the title: written over the plot's top edge it was clipped on the page
    return alt.layer(band, bars).properties(width=width, height=alt.Step(30), description=description,
                                            title=alt.Title(title, subtitle=f"Shaded: {listing['label'].iloc[0]}"))


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
    # the line's value under the title: written over the plot's top edge it was clipped on the page
    return alt.layer(bars, base).properties(width=width, height=alt.Step(30), description=description,
                                            title=alt.Title(title, subtitle=f"Line: {table['base_text'].iloc[0]}"))


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
