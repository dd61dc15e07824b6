"""Chart builders for chapter 4 (lab timelines against the trend): the fan, the arrival explorer, the claims.

Presentation only: builders take tidy, already formatted tables and return altair charts; they
compute nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.charts import theme
from analysis.charts.theme import COLOURS, category_scale, ceiling_marks, time_axis, today_marks


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
    subtitle: str = "",
) -> alt.LayerChart:
    """Projected horizons with 10-90% bands per scenario; the reader picks the reliability level.
    ``subtitle`` (under the title) says where the data end, so today's label stays short.

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
        y=alt.Y("median_min:Q").scale(y_scale).axis(time_axis(ticks)).title("Projected time horizon (human-expert time)"),
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
    singular = alt.Chart(singularity).transform_filter(alt.datum.metric == reliability)
    singular_tooltip = [alt.Tooltip("label:N").title("Superexponential"),
                        alt.Tooltip("date:T").title("Infinite horizon (fit)").format("%b %Y"),
                        alt.Tooltip("low:T").title("10% of draws").format("%b %Y"),
                        alt.Tooltip("high:T").title("90% of draws").format("%b %Y")]
    singular_span = singular.mark_rect(opacity=0.08, color=COLOURS["Superexponential"]).encode(x="low:T", x2="high:T", tooltip=singular_tooltip)
    singular_rule = singular.mark_rule(strokeDash=[2, 2], color=COLOURS["Superexponential"], strokeWidth=1.5).encode(
        x="date:T", tooltip=singular_tooltip)
    # left of its rule, where the plot's floor is empty after 2020, in three lines (broken at the colon and
    # the comma) whose first baseline sits two lines above the floor: one line ran past a phone's plot
    singular_text = (singular.transform_calculate(lines="split(replace(datum.label, regexp(': |, ', 'g'), '|'), '|')")
                     .mark_text(align="right", baseline="bottom", dx=-3, y=height - 28, fontSize=10,
                                color=COLOURS["Superexponential"]).encode(x="date:T", text="lines:N"))
    return (
        alt.layer(singular_span, band, median, observed, *ceiling_marks(ceiling_minutes, ceiling_label), singular_rule,
                  singular_text,
                  *today_marks(today, today_label, label_left=True))  # the empty top left, not the fan
        .add_params(reliability)
        .properties(width=width, height=height, title=alt.Title(title, subtitle=subtitle) if subtitle else title,
                    description=description)
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
    # The slider's top is the first 0.01 step at or past max_hours (a browser stops a range input on its
    # step grid: log10(2000) = 3.301 would stop at 3.30, 1,995 h); the hours are capped at max_hours.
    log_hours = alt.param(
        name="log_hours", value=round(math.log10(hours), 2),  # on the slider's 0.01 grid, as a reader would set it
        bind=alt.binding_range(min=0, max=math.ceil(round(math.log10(max_hours) * 100, 6)) / 100, step=0.01,
                               name="Slider: log10 of hours (0 = 1 h, 1 = 10 h, 2 = 100 h, 3.3 = a work-year) "),
    )
    year, month = (int(part) for part in by_month.split("-"))
    when = alt.param(
        name="when", value=round(year + (month - 1) / 12, 4),
        bind=alt.binding_range(min=first_year, max=last_year + 11 / 12, step=1 / 12,
                               name="Read-out month "),
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
            hours=f"preset > 0 ? preset : min(pow(10, log_hours), {float(max_hours)!r})",
            target=f"log((preset > 0 ? preset : min(pow(10, log_hours), {float(max_hours)!r})) * 60) / LN2",
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
        alt.layer(curve, marker, readout, *today_marks(today, today_label, label_y=56))
        .add_params(scenario, reliability, kind, preset, log_hours, when)
        .properties(width=width, height=300, title=title, description=description,
                    # the page shows the month slider's value as a month ("December 2027"), and keeps
                    # every control's value in the page's address (analysis.site.website)
                    usermeta={"sliderFormats": {"when": "year-month"}, "shareState": True})
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
    return alt.layer(ranges, medians, targets, *today_marks(today, today_label)).properties(
        width=width, height=alt.Step(26), title=title, description=description
    )


def calibration_chart(table: pd.DataFrame, *, level_text: str, level: float, title: str, description: str,
                      width: int) -> alt.LayerChart:
    """Coverage of the procedure's intervals by lead time, against the nominal level.

    ``table``: lead (bin label, in order), kind ("date a threshold is first shown" or "horizon of a later
    frontier model"), coverage (0-1), count, coverage_text. ``level``: the nominal coverage, drawn as a rule.
    """
    order = list(dict.fromkeys(table["lead"]))
    tooltip = [alt.Tooltip("lead:N").title("Lead"), alt.Tooltip("kind:N").title("Target"),
               alt.Tooltip("coverage_text:N").title("Covered"), alt.Tooltip("count:Q").title("Forecasts")]
    points = alt.Chart(table).mark_point(filled=True).encode(
        x=alt.X("lead:N").sort(order).title("Lead time (origin to target)").axis(labelAngle=0),
        y=alt.Y("coverage:Q").title(f"Share inside the {level_text} interval").scale(domain=[0, 1]).axis(format="%"),
        color=alt.value(COLOURS["Estimate"]),
        shape=alt.Shape("kind:N").title(None).legend(orient="bottom", direction="vertical"),
        size=alt.Size("count:Q").title("Forecasts").legend(orient="bottom"),
        tooltip=tooltip,
    )
    nominal = alt.Chart(pd.DataFrame({"y": [level]})).mark_rule(strokeDash=[4, 4], color=COLOURS["Estimate"]).encode(
        y="y:Q")
    return alt.layer(nominal, points).properties(width=width, height=260, title=title, description=description)


def decomposition_chart(table: pd.DataFrame, *, title: str, description: str, width: int) -> alt.LayerChart:
    """Each claim's probability after each added source of uncertainty: one row per claim, one cell
    per step (left to right), coloured and labelled by the probability.

    ``table``: claim (label), order (rows top to bottom), step (its short column head), step_name (in
    full, for the tooltip), step_index, probability (0-1),
    probability_text (the tooltip's), cell_text (short enough for a phone's cell).
    """
    steps = list(dict.fromkeys(table.sort_values("step_index")["step"]))
    tooltip = [alt.Tooltip("claim:N").title("Claim"), alt.Tooltip("step_name:N").title("Step"),
               alt.Tooltip("probability_text:N").title("Probability")]
    base = alt.Chart(table).encode(
        x=alt.X("step:N").sort(steps).title(None)
        # upright labels: cells too narrow for words side by side, and none runs past the image's edge
        .axis(labelAngle=-90, labelAlign="left", labelBaseline="middle", labelLimit=150, orient="top"),
        y=alt.Y("claim:N").sort(alt.EncodingSortField("order")).title(None).axis(labelLimit=380),
        tooltip=tooltip,
    )
    # one light range in both modes, so the cell labels read the same on every cell and every page
    cells = base.mark_rect().encode(
        color=alt.Color("probability:Q").title("Probability (cells in %)")
        .scale(scheme={"name": "viridis", "extent": theme.ON_MARK_EXTENT}, domain=[0, 1]).legend(format="%", orient="bottom"))
    labels = base.mark_text(fontSize=10, color=theme.ON_MARK_TEXT).encode(text="cell_text:N")  # ">99" fits a phone's cell
    return alt.layer(cells, labels).properties(width=width, height=alt.Step(24), title=title, description=description,
                                               usermeta={"onMarks": [theme.ON_MARK_TEXT]})
