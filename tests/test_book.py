"""The whole book: built with warnings as errors, charts embedded, glued numbers present, no CDN."""

import json
import re

import pytest
from conftest import pasted_texts, shown

from analysis.chapters import landing
from analysis.params import PARAMS

pytestmark = pytest.mark.slow


def _specs(html: str) -> list[dict]:
    pattern = r'<script type="application/vnd\.vegalite\+json">(.*?)</script>'
    return [json.loads(text.replace("<\\/", "</")) for text in re.findall(pattern, html, flags=re.S)]


def test_trend_page_embeds_its_charts(site):
    specs = _specs((site / "book" / "trend.html").read_text(encoding="utf-8"))
    assert len(specs) == 3
    assert len(_specs((site / "book" / "eras.html").read_text(encoding="utf-8"))) == 6
    assert len(_specs((site / "book" / "methods.html").read_text(encoding="utf-8"))) == 4
    assert len(_specs((site / "book" / "labor.html").read_text(encoding="utf-8"))) == 5
    assert all(spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6") for spec in specs)
    assert (site / "_static" / "vega-charts.js").stat().st_size > 500_000


def test_trend_page_shows_the_computed_doubling_time(site):
    text = landing.chapter("trend", PARAMS).text()
    html = (site / "book" / "trend.html").read_text(encoding="utf-8")
    glued = '<span class="pasted-text">{}</span>'
    assert f"every <strong>{glued.format(text['p50_2023_doubling_days'])} days</strong>" in html
    assert glued.format(text["p50_2023_doubling_days3"]) in html


def test_no_page_loads_anything_from_outside_the_site(site):
    loads = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', re.I)
    canonical = re.compile(r'<link rel="canonical" href="https://[^"]+" />')  # names the page's address, loads nothing
    for page in site.rglob("*.html"):
        assert not loads.search(canonical.sub("", page.read_text(encoding="utf-8"))), page.name


def test_chart_bundle_loads_as_a_module_after_the_page(site):
    # analysis.site.website's loader adds the bundle as a module script at the reader's first action,
    # or after the window's load event where a chart has controls (first paint on slow links: text and
    # build-time chart images come first); a page without charts does not load it.
    html = (site / "book" / "trend.html").read_text(encoding="utf-8")
    assert 'script.type = "module";' in html and '"_static/vega-charts.js?v=' in html
    assert 'window.addEventListener("load", eager)' in html and '"pointermove"' in html
    assert "vega-charts.js" not in (site / "book" / "cite.html").read_text(encoding="utf-8")


def test_every_page_shows_its_results_numbers(site):
    # Each page glues the formatted numbers of its own result object: find each one in the built page.
    for name in landing.CHAPTERS:
        result = landing.chapter(name, PARAMS)
        shown_texts = pasted_texts((site / "book" / f"{name}.html").read_text(encoding="utf-8"))
        for key, value in result.glue_values().items():
            if isinstance(value, str):
                assert shown(value) in shown_texts, (name, key)
    intro = pasted_texts((site / "book" / "intro.html").read_text(encoding="utf-8"))
    for key, value in landing.build(PARAMS).glue_values().items():
        if isinstance(value, str):
            assert shown(value) in intro, key
