"""The site's own vega bundle."""

import altair as alt

from analysis import website


def test_bundle_version_matches_altair_schema():
    assert alt.SCHEMA_VERSION.startswith(website.vega_lite_version())


def test_bundle_contains_libraries_and_the_drawing_snippet():
    source = website.bundle_source()
    assert "div.vega-chart" in source and "application/vnd.vegalite+json" in source
    assert len(source) > 500_000  # vega + vega-lite + vega-embed, not a stub
    assert "cdn.jsdelivr" not in source and "unpkg.com" not in source


# ------------------------------------------------------------------ figure downloads and citations

import pandas as pd  # noqa: E402

from analysis import charts, citation  # noqa: E402


def _two_table_chart():
    models = pd.DataFrame({"display_name": ["A", "B"], "release_date": pd.to_datetime(["2024-01-01", "2025-06-30"]),
                           "y": [1.0, 2.0]})
    line = pd.DataFrame({"release_date": pd.to_datetime(["2024-01-01T00:00:00", "2025-06-30T13:45:10.123456789"], format="ISO8601"), "y": [1.0, 2.0]})
    dots = alt.Chart(models).mark_circle().encode(x="release_date:T", y="y:Q")
    fit = alt.Chart(line).mark_line().encode(x="release_date:T", y="y:Q")
    return alt.layer(fit, dots).properties(width=300, height=200, title="T")


def test_figure_tables_are_named_by_what_they_hold_and_dated_as_iso_dates():
    spec = charts.responsive(_two_table_chart().to_dict())
    tables = dict(website.figure_tables(spec))
    assert set(tables) == {"models", "lines"}
    dated = website.iso_dates(tables["lines"])
    # the nanosecond timestamp becomes the day it falls on
    assert dated["release_date"].tolist() == ["2024-01-01", "2025-06-30"]


def test_export_spec_has_fixed_width_white_card_and_credit():
    spec = charts.responsive(_two_table_chart().to_dict())
    build = citation.Build(version="1.2.3", commit="abc1234def", date="2026-12-02", base_url="https://example.org/r/")
    url = build.url("book/trend.html", "fig-x")
    exported = website.export_spec(spec, website.figure_credit({"usermeta": {"inputs": ["data/metr/x.csv"]}}, build, url))
    assert exported["width"] == 300 and exported["config"]["background"] == "#ffffff"
    assert exported["title"]["text"] == "T"
    source, stamp = exported["title"]["subtitle"]
    assert source.startswith("Source: METR") and stamp == "Doubling Time 1.2.3, built 2026-12-02 · CC BY 4.0 · https://example.org/r/book/trend.html#fig-x"


def test_citations_use_the_canonical_address_and_fitting_entry_types():
    build = citation.current_build()
    assert build.base_url == citation.configured_base_url() and build.base_url.startswith("https://")
    entries = {title: entry for title, _, entry in citation.chapter_citations(build, [
        ("book/trend.html", "The trend", True), ("book/data.html", "Data", False)])}
    assert entries["The trend"].startswith("@incollection{doublingtime_trend,") and "booktitle" in entries["The trend"]
    assert entries["Data"].startswith("@misc{doublingtime_data,") and "Chapter of" not in entries["Data"]
    assert f"url          = {{{build.base_url}book/trend.html}}" in entries["The trend"]
    block = citation.citation_block("a <b>", "@misc{x}")
    assert block.count('<div class="highlight citation-block') == 2 and "a &lt;b&gt;" in block


def test_commit_links_to_the_repository():
    build = citation.Build(version="1", commit="abc1234def+changes", date="2026-12-02", base_url="")
    assert citation.commit_url(build) == citation.repository_url() + "/commit/abc1234def"


# ------------------------------------------------------------------ sources one click away (analysis.chapters.table_html)


def test_url_columns_become_escaped_source_links():
    from analysis.chapters import table_html

    table = pd.DataFrame({"Figure": ["a <b> & c", "d"], "Value": [1.5, 2.0],
                          "Source": ["https://www.bls.gov/ooh/x?a=1&b=2", "https://example.org/p"]})
    html = table_html(table).data
    assert html.startswith('<div class="table-scroll">')
    assert '<a class="source-link" href="https://www.bls.gov/ooh/x?a=1&amp;b=2" rel="noopener">bls.gov</a>' in html
    assert '>example.org</a>' in html and "a &lt;b&gt; &amp; c" in html and "<b>" not in html


def test_a_column_that_is_not_all_urls_stays_text():
    from analysis.chapters import table_html

    table = pd.DataFrame({"Source": ["https://example.org/p", "a note", 'https://x.org/"><script>']})
    html = table_html(table).data
    assert "<a " not in html and "<script>" not in html


def test_key_numbers_table_links_each_row_to_its_section_and_source():
    from analysis.chapters import key_numbers_html

    html = key_numbers_html([
        {"question": "How fast?", "answer": "every 129 days", "section": "trend.html#ch-trend",
         "source": "https://metr.org/x"},
        {"question": "A <b> question", "answer": "x & y", "section": "eras.html#ch-eras"},
    ]).data
    assert '<a href="trend.html#ch-trend">How fast?</a>' in html and ">metr.org</a>" in html
    assert "A &lt;b&gt; question" in html and "x &amp; y" in html and html.count("<tr>") == 3


def test_headline_chart_marks_today_and_the_nowcast():
    from conftest import exponential_horizons

    from analysis import points, trend

    horizons = exponential_horizons(150.0, n=6)
    chart = charts.headline_chart(
        points.horizon_points(horizons, "p50", 960.0), points.fit_lines({"all_time": trend.fit_trend(horizons)}),
        pd.DataFrame({"date": pd.to_datetime(["2026-12-02"]), "label": ["Today"]}),
        ticks=charts.time_ticks(8, 40, 167), title="t", description="d", width=500, height=300,
        nowcast=pd.DataFrame({"date": pd.to_datetime(["2026-12-02"]), "low_min": [100.0], "median_min": [200.0],
                              "high_min": [400.0], "label": ["n"], "text": ["3 hours"]}),
    )
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "circle", "rule", "text", "rule", "point"]
    assert charts.responsive(spec)["width"] == "container"
