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
