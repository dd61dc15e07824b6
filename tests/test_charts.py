"""Chart builders: valid Vega-Lite, the expected encodings, the offline renderer, human-unit axes."""

import json
import re

import altair as alt
import pandas as pd
import pytest
from conftest import exponential_horizons

from analysis import charts, revisions, trend
from analysis import points as chart_points

TICKS = charts.time_ticks(8, 40, 167)


def _horizon_chart():
    horizons = exponential_horizons(150.0, n=8)
    fit = trend.fit_trend(horizons)
    return charts.horizon_chart(
        chart_points.horizon_points(horizons, "p50", 960.0),
        chart_points.fit_lines({"all_time": fit}),
        statuses=chart_points.point_statuses(960.0),
        ticks=TICKS,
        title="t",
        y_title="y",
        description="A test chart",
        ceiling_minutes=960.0,
        ceiling_label="16 hours",
        width=400,
        height=300,
    )


def test_horizon_chart_is_valid_vega_lite_with_expected_encodings():
    spec = _horizon_chart().to_dict()  # validates against the Vega-Lite schema
    fits, models = spec["layer"]
    markers = models["layer"][-1]
    assert markers["mark"]["type"] == "circle"
    assert markers["encoding"]["x"] == {**markers["encoding"]["x"], "field": "release_date", "type": "temporal"}
    assert markers["encoding"]["y"]["field"] == "horizon_min" and markers["encoding"]["y"]["scale"]["type"] == "log"
    assert {t["field"] for t in markers["encoding"]["tooltip"]} >= {"display_name", "horizon_text", "ci_text"}
    assert spec["description"] == "A test chart"
    assert [layer["mark"]["type"] for layer in fits["layer"]] == ["area", "line"]
    status = markers["encoding"]["color"]["scale"]
    assert status["domain"][0] == "Frontier (fitted)" and status["range"][0] == charts.PALETTE[0]


def test_log_axis_is_labelled_in_human_units():
    spec = _horizon_chart().to_dict()
    axis = spec["layer"][1]["layer"][-1]["encoding"]["y"]["axis"]
    assert axis["values"][5] == 60.0 and axis["values"][7] == 480.0
    assert '"1 hour"' in axis["labelExpr"] and '"1 work-week (40 h)"' in axis["labelExpr"]


def test_label_thresholds_sit_between_ticks():
    expression = charts.label_expression([(1.0, "a"), (4.0, "b"), (16.0, "c")])
    # geometric midpoints: sqrt(1 * 4) = 2, sqrt(4 * 16) = 8
    assert expression == 'datum.value < 2.0 ? "a" : (datum.value < 8.0 ? "b" : ("c"))'


def test_suite_chart_encodings():
    old = pd.DataFrame({"display_name": ["A", "B"], "release_date": pd.to_datetime(["2024-01-01", "2025-01-01"]), "p50": [10.0, 30.0]})
    new = old.assign(p50=[5.0, 40.0])
    points = chart_points.suite_points(revisions.compare_suites(old, new), "v1.0", "v1.1")
    spec = charts.suite_comparison_chart(points, ticks=TICKS, title="t", description="d", width=300).to_dict()
    dots = spec["layer"][1]
    assert dots["encoding"]["color"]["field"] == "suite" and dots["encoding"]["x"]["scale"]["type"] == "log"
    assert dots["encoding"]["y"]["sort"] == ["A", "B"]


def test_offline_renderer_embeds_the_spec_and_escapes_script_ends():
    chart = _horizon_chart().properties(title="a </script> title")
    bundle = charts.offline_renderer(chart.to_dict())
    html = bundle["text/html"]
    assert html.startswith('<div class="vega-chart"') and html.count("</script>") == 1
    payload = html[html.index(">", html.index("<script")) + 1 : html.index("</script>")]
    assert json.loads(payload)["title"] == "a </script> title"


def test_renderer_sizes_charts_to_their_container_and_export_restores_the_width():
    spec = _horizon_chart().to_dict()
    html = charts.offline_renderer(spec)["text/html"]
    emitted = json.loads(html[html.index(">", html.index("<script")) + 1 : html.index("</script>")])
    assert emitted["width"] == "container"
    assert emitted["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert emitted["usermeta"]["export_width"] == 400  # the builder's width, from _horizon_chart
    exported = charts.static_spec(emitted)
    assert exported["width"] == 400 and "autosize" not in exported
    fixed = charts.static_spec(spec)  # a fixed-width spec keeps its width; only its labels are made whole
    assert fixed["width"] == spec["width"] and fixed["config"]["legend"]["labelLimit"] == 0


def test_exports_keep_every_label_whole():
    chart = alt.Chart(pd.DataFrame({"a": ["a very long category label indeed"], "b": [1]})).mark_bar().encode(
        y=alt.Y("a:N").axis(labelLimit=120), x="b:Q").properties(width=300)
    exported = charts.static_spec(charts.responsive(chart.to_dict()))
    assert exported["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert exported["config"]["axis"]["labelLimit"] == 0 and exported["config"]["legend"]["labelLimit"] == 0


def test_contrast_matches_wcag_reference_values():
    # WCAG 2's end points and a hand-worked case: black on white is (1 + 0.05) / (0 + 0.05) = 21;
    # #777777: channel 119/255 = 0.4667 -> ((0.4667 + 0.055) / 1.055) ** 2.4 = 0.1845, so on white
    # 1.05 / 0.2345 = 4.48, just under the text bar; the same colour's own contrast is 1.
    from analysis.charts import theme

    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert theme.contrast("#777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast("#0072B2", "#0072b2") == pytest.approx(1)


def test_every_colour_has_a_dark_variant_above_the_text_bar():
    # The rule, applied to every colour the report names: each variant is at least 4.5:1 against the
    # dark page; a colour already above the bar is kept; greys keep their order (mirrored: black ->
    # white); a colour keeps its hue (within rounding to whole channels).
    import colorsys

    from analysis.charts import theme

    for colour in [*theme.PALETTE, *theme.COLOURS.values(), theme.GREY, "black", "#333"]:
        variant = theme.dark_variant(colour)
        assert theme.contrast(variant, theme.DARK_PAGE) >= theme.TEXT_CONTRAST, (colour, variant)
        if theme.contrast(colour, theme.DARK_PAGE) >= theme.TEXT_CONTRAST:
            assert variant == colour
    assert theme.dark_variant("black") == "#ffffff" and theme.dark_variant("#222222") == "#dddddd"
    greys = ["#000000", "#222222", "#555555", "#666666"]
    lightness = [theme.luminance(theme.dark_variant(g)) for g in greys]
    assert lightness == sorted(lightness, reverse=True)
    for colour in ("#332288", "#882255", "#004488"):
        hue = lambda c: colorsys.rgb_to_hls(*(int(theme.hex_of(c)[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]
        assert hue(theme.dark_variant(colour)) == pytest.approx(hue(colour), abs=0.01)


def test_every_chart_carries_its_dark_swaps():
    # The renderer attaches the swaps by rule to every chart, from every colour its spec writes:
    # mark colours, encoded values, conditions, scale ranges and config colours alike.
    chart = alt.layer(
        alt.Chart(pd.DataFrame({"x": [0, 1], "c": ["a", "b"]})).mark_line(color="#332288").encode(
            x="x:Q", color=alt.Color("c:N").scale(domain=["a", "b"], range=["#000000", "#E69F00"])),
        alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q", fill=alt.value("#555555")),
    ).properties(width=300)
    html = charts.offline_renderer(chart.to_dict())["text/html"]
    emitted = json.loads(html[html.index(">", html.index("<script")) + 1 : html.index("</script>")])
    swaps = emitted["usermeta"]["darkColours"]
    assert swaps["#332288"] == charts.theme.dark_variant("#332288") and swaps["#000000"] == "#ffffff"
    assert swaps["#555555"] == "#aaaaaa" and "#e69f00" not in swaps  # orange already stands out


def test_text_on_marks_keeps_its_colour_and_stands_out_on_every_cell():
    # A heatmap's labels sit on its cells, not on the page: the dark rule leaves the colour the spec
    # lists in usermeta.onMarks alone, and the cells' scheme starts where that text still reads.
    # Reference: viridis at 0.5 is #21918c (matplotlib's 256-entry table, entry 128), WCAG luminance
    # 0.2126*0.0152 + 0.7152*0.2832 + 0.0722*0.2623 = 0.2247; #111111 has 0.0056, so
    # (0.2247 + 0.05) / (0.0056 + 0.05) = 4.94; at the top, viridis' #fde725 gives 14.96.
    from analysis.charts import theme

    assert theme.ON_MARK_EXTENT[0] == 0.5
    assert theme.contrast(theme.ON_MARK_TEXT, "#21918c") == pytest.approx(4.94, abs=0.01)
    assert theme.contrast(theme.ON_MARK_TEXT, "#fde725") == pytest.approx(14.96, abs=0.01)
    table = pd.DataFrame({"claim": ["a", "a"], "order": [0, 0], "step": ["one", "two"], "step_name": ["one", "two"], "step_index": [0, 1],
                          "probability": [0.004, 0.995], "probability_text": ["under 1%", "over 99%"],
                          "cell_text": ["<1", ">99"]})
    spec = charts.decomposition_chart(table, title="t", description="d", width=300).to_dict()
    assert spec["usermeta"]["onMarks"] == [theme.ON_MARK_TEXT]
    assert theme.ON_MARK_TEXT not in theme.dark_colours(spec)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["scheme"] == {"name": "viridis", "extent": [0.5, 1.0]}
    assert spec["layer"][1]["mark"]["color"] == theme.ON_MARK_TEXT
    # without the listing the same colour is swapped, as any dark text on the page would be
    assert theme.ON_MARK_TEXT in theme.dark_colours({**spec, "usermeta": {}})


def test_composed_charts_keep_their_widths():
    chart = alt.hconcat(alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").properties(width=100))
    spec = chart.to_dict()
    assert charts.responsive(spec) == spec


def test_dark_mode_config_is_transparent_and_light_on_dark():
    for mode in ("light", "dark"):
        assert charts.PAGE_CONFIG[mode]["background"] == "transparent"
    dark = charts.PAGE_CONFIG["dark"]
    # relative luminance of the label colour, against pydata-sphinx-theme's dark page (#14181e): light text
    red, green, blue = (int(dark["axis"]["labelColor"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.6


def test_altair_uses_the_offline_renderer():
    bundle = _horizon_chart()._repr_mimebundle_()  # what Jupyter and MyST-NB's glue receive
    assert 'class="vega-chart"' in bundle["text/html"]
    assert "cdn" not in bundle["text/html"]


def test_sweep_chart_clamps_its_axis():
    table = pd.DataFrame(
        {"start": pd.to_datetime(["2023-01-01", "2024-01-01"]), "doubling_days": [130.0, 100.0],
         "ci_low": [100.0, 60.0], "ci_high": [160.0, 900.0], "selection": "Frontier models", "n_models": [10, 6],
         "start_text": ["a", "b"], "estimate_text": ["a", "b"], "ci_text": ["a", "b"]}
    )
    spec = charts.sweep_chart(table, y_max=400, title="t", description="d", width=300, height=200).to_dict()
    line = spec["layer"][1]
    assert line["encoding"]["y"]["scale"] == {"domain": [0, 400], "clamp": True}
    assert line["encoding"]["x"]["field"] == "start" and line["encoding"]["x"]["type"] == "temporal"


def test_backtest_and_break_and_reliability_charts_validate():
    errors = pd.DataFrame({"model": ["exponential"], "lead_days": [100.0], "error_log2": [1.5], "origin_text": ["o"],
                           "target": ["GPT-5"], "error_text": ["+1.50"], "covered_text": ["no"]})
    spec = charts.backtest_chart(errors, title="t", description="d", width=300).to_dict()
    assert spec["layer"][1]["encoding"]["y"]["field"] == "error_log2"
    counts = pd.DataFrame({"quarter": pd.to_datetime(["2024-01-01"]), "share": [1.0], "quarter_text": ["2024Q1"], "share_text": ["100%"]})
    estimate = pd.DataFrame({"break_date": pd.to_datetime(["2024-02-01"]), "label": ["Estimate"]})
    spec = charts.break_distribution_chart(counts, estimate, title="t", description="d", width=300).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == "%"
    points = pd.DataFrame({"display_name": ["A"], "release_date": pd.to_datetime(["2024-01-01"]), "ratio": [4.0], "ratio_text": ["4.0×"]})
    line = pd.DataFrame({"release_date": pd.to_datetime(["2024-01-01", "2025-01-01"]), "ratio": [4.0, 5.0]})
    spec = charts.reliability_chart(points, line, title="t", description="d", width=300).to_dict()
    assert spec["layer"][1]["encoding"]["y"]["scale"]["type"] == "log"


def test_changelog_chart_orders_releases():
    log = pd.DataFrame({"release_label": ["v1.1 (b)", "v1.0 (a)"], "release_order": [1, 0], "display_name": ["A", "A"],
                        "p50": [10.0, 12.0], "horizon_text": ["10", "12"], "ci_text": ["x", "y"]})
    spec = charts.changelog_chart(log, ticks=TICKS, title="t", description="d", width=300).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["v1.0 (a)", "v1.1 (b)"]


def test_labor_charts_validate_with_expected_encodings():
    pay = pd.DataFrame({"label": ["A", "B"], "value_low": [1e5, 3e5], "value_high": [1e5, 4e5], "kind": ["BLS (official statistics)", "The listing"],
                        "survey": ["s", "t"], "date_text": ["May 2024", "May 2026"], "range_text": ["x", "y"],
                        "source_url": ["https://a", "https://b"], "caveat": ["", "c"]})
    spec = charts.salary_chart(pay, title="t", description="d", width=300).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log" and spec["layer"][0]["encoding"]["x2"]["field"] == "value_high"
    assert "source_url" in {t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]}
    tornado = pd.DataFrame({"parameter_text": ["a", "b"], "premium_at_low": [0.5, 1.0], "premium_at_high": [3.0, 2.0],
                            "base": [1.5, 1.5], "base_text": ["c", "c"], "low_text": ["x", "y"], "high_text": ["x", "y"]})
    spec = charts.tornado_chart(tornado, title="t", description="d", width=300).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["a", "b"] and spec["layer"][1]["mark"]["type"] == "rule"
    premiums = pd.DataFrame({"scenario": ["Mixture"], "premium": [2.0], "premium_text": ["200%"]})
    listing = pd.DataFrame({"low": [1.1], "high": [2.2], "label": ["listing"]})
    spec = charts.premium_chart(premiums, listing, title="t", description="d", width=300).to_dict()
    assert spec["layer"][1]["encoding"]["x"]["axis"]["format"] == "%"  # band, bars
    assert spec["title"]["subtitle"] == "Shaded: listing"  # the band named under the title, not clipped over the plot


def test_labels_are_clipped_on_the_page_and_whole_in_exports():
    # On the page a chart fits its container, and a label that ran past the plot would shrink the plot
    # (to a few pixels on a phone): text marks are clipped there; exported images keep every label.
    chart = alt.layer(
        alt.Chart(pd.DataFrame({"x": [0, 1]})).mark_line().encode(x="x:Q"),
        alt.Chart(pd.DataFrame({"x": [1], "t": ["a label"]})).mark_text().encode(x="x:Q", text="t:N"),
    ).properties(width=300)
    page = charts.responsive(chart.to_dict())
    assert page["width"] == "container" and page["layer"][1]["mark"]["clip"] is True
    assert "clip" not in charts.static_spec(page)["layer"][1]["mark"]


def test_orange_means_the_all_time_fit_only():
    # Figs 1.1, 1.2 and 2.2 draw these categories together: no other colour among them may be within
    # 30 degrees of the all-time fit's orange (#E69F00, hue 41 degrees; vermillion #D55E00, once used
    # for the points above 16 hours, is at 26 degrees and read as the same orange).
    import colorsys

    from analysis.charts import theme

    def hue(colour):
        value = theme.hex_of(colour)
        return 360 * colorsys.rgb_to_hls(*(int(value[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]

    together = ["Frontier (fitted)", "Not frontier", "Above 16 hours: not fitted", "Up to 16 hours", "Since 2023",
                "Since 2024", "Two eras", "Superexponential"]
    orange = hue(theme.COLOURS["All time"])
    for label in together:
        distance = abs(hue(theme.COLOURS[label]) - orange)
        grey = colorsys.rgb_to_hls(*(int(theme.hex_of(theme.COLOURS[label])[i:i + 2], 16) / 255 for i in (1, 3, 5)))[2] < 0.1
        assert grey or min(distance, 360 - distance) >= 30, label


# ------------------------------------------------------------------ one quantity, one value, inside charts too

_RANGE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:–|-| to )\s*(\d[\d,]*(?:\.\d+)?)")


def _ranges(text: str) -> set[tuple[float, float]]:
    return {(float(a.replace(",", "")), float(b.replace(",", ""))) for a, b in _RANGE.findall(text)}


def test_near_miss_ranges_on_hand_made_text():
    # the check below, on text made by hand: 128–210 against 130–210 is a near miss (one end equal,
    # the other within 5%); 101 to 155 against 101–155 agrees; 20–30 against 20–90 is another range.
    assert _near_misses({(128.0, 210.0)}, {(130.0, 210.0)}) == [((128.0, 210.0), (130.0, 210.0))]
    assert _near_misses(_ranges("101 to 155 days"), _ranges("(95% CI 101–155)")) == []
    assert _near_misses({(20.0, 30.0)}, {(20.0, 90.0)}) == []


def _near_misses(chart: set, text: set) -> list:
    """Chart ranges that share one end with a range in the text and miss the other by under 5%: the
    same quantity computed or rounded twice."""
    misses = []
    for low, high in chart:
        for t_low, t_high in text:
            if (low, high) == (t_low, t_high):
                continue
            if (low == t_low and high != t_high and abs(high - t_high) <= 0.05 * t_high) or \
               (high == t_high and low != t_low and abs(low - t_low) <= 0.05 * max(t_low, 1)):
                misses.append(((low, high), (t_low, t_high)))
    return misses


def _numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def test_chart_tooltips_and_csvs_quote_the_texts_values():
    # An estimate the text quotes with its interval ("188 days (130–210)"), shown on a chart row with
    # the same estimate and an interval that shares one end and misses the other by under 5%, is the
    # same quantity computed twice: it must be the text's (Fig 2.1's sweep showed the all-time fit as
    # 188 days, 128–210, from its own bootstrap; the text says 130–210).
    from analysis.chapters import landing
    from analysis.params import PARAMS
    from analysis.site import website

    pages = {name: landing.chapter(name, PARAMS) for name in landing.CHAPTERS}
    quoted = []  # (estimate, (low, high)) as the text shows them
    for result in pages.values():
        text = result.text()
        for key, low in text.items():
            if "ci_low" not in key or key.replace("ci_low", "ci_high") not in text:
                continue
            stem, unit = key.split("ci_low")
            for estimate_key in (f"{stem}doubling{unit}", f"{stem.rstrip('_')}{unit}", f"{stem}estimate{unit}"):
                if estimate_key in text:
                    pair = _ranges(f"{low}–{text[key.replace('ci_low', 'ci_high')]}")
                    quoted += [(value, next(iter(pair))) for value in _numbers(text[estimate_key])][:1] if pair else []
    assert quoted  # the check has something to check
    problems = []
    for name, result in pages.items():
        for key, figure in result.figures.items():
            for _, table in website.figure_tables(figure.to_dict()):
                columns = [c for c in table.columns if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])]
                for row in table[columns].fillna("").astype(str).itertuples(index=False):
                    cells = " | ".join(row)
                    for estimate, interval in quoted:
                        if estimate in _numbers(cells):
                            problems += [f"{name}/{key}: {estimate:g} with {a} on the chart, {b} in the text"
                                         for a, b in _near_misses(_ranges(cells), {interval})]
    assert not problems, "\n".join(sorted(set(problems))[:20])


def test_long_labels_wrap_by_rule_and_keep_their_own_expression():
    # the wrap expression, run by Vega itself: a 60-character label at 25 characters a line comes
    # back as lines of at most 25, in order, nothing lost; a time axis keeps its own labelExpr inside.
    import vl_convert

    from analysis.charts import render
    from analysis.site import website

    label = "Computer and information research scientists: median pay"
    chart = alt.Chart(pd.DataFrame({"who": [label], "pay": [1.0]})).mark_point().encode(
        y=alt.Y("who:N").axis(labelExpr="upper(datum.label)"), x="pay:Q").properties(width=200)
    spec = render.wrap_labels(chart.to_dict(), 25, 30)
    expression = spec["encoding"]["y"]["axis"]["labelExpr"]
    assert "upper(datum.label)" in expression and render.LINE_MARK in expression
    svg = vl_convert.vegalite_to_svg(spec, vl_version=website.vega_lite_version())
    lines = [line for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg) if line.isupper()]
    assert " ".join(lines) == label.upper() and all(len(line) <= 25 for line in lines) and len(lines) == 3
    # in a layer, a layer that names no axis is left alone (it shares the other layer's)
    layered = alt.layer(alt.Chart(pd.DataFrame({"y": [1]})).mark_point().encode(y="y:Q"),
                        alt.Chart(pd.DataFrame({"y": [1]})).mark_point().encode(y=alt.Y("y:Q").axis(labelExpr="'x'")))
    wrapped = render.wrap_labels(layered.to_dict(), 25, 30)
    assert "axis" not in wrapped["layer"][0]["encoding"]["y"] and render.LINE_MARK in wrapped["layer"][1]["encoding"]["y"]["axis"]["labelExpr"]
    # rotated labels keep one line (wrapped, their lines widen into the next label)
    upright = alt.Chart(pd.DataFrame({"who": [label], "pay": [1.0]})).mark_point().encode(
        x=alt.X("who:N").axis(labelAngle=-90), y="pay:Q")
    assert "labelExpr" not in render.wrap_labels(upright.to_dict(), 25, 30)["encoding"]["x"]["axis"]
