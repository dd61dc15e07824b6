"""The whole book: built with warnings as errors, charts embedded, glued numbers present, no CDN."""

import json
import re

import numpy as np
import pytest

from analysis import facts, forecast, headlines, metr, trend
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
    horizons = metr.load_horizons("1.1")
    fit = trend.fit_trend(horizons, since=PARAMS.window_start("from_2023_on"), max_minutes=PARAMS.max_minutes)
    text = headlines.as_text({"d_days": fit.doubling_days, "e_days3": fit.doubling_days})
    html = (site / "book" / "trend.html").read_text(encoding="utf-8")
    glued = '<span class="pasted-text">{}</span>'
    assert f"every <strong>{glued.format(text['d_days'])} days</strong>" in html
    assert glued.format(text["e_days3"]) in html


def test_no_page_loads_anything_from_outside_the_site(site):
    loads = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', re.I)
    for page in site.rglob("*.html"):
        assert not loads.search(page.read_text(encoding="utf-8")), page.name


def test_chart_bundle_loads_as_a_module(site):
    html = (site / "book" / "trend.html").read_text(encoding="utf-8")
    assert '<script type="module" src="../_static/vega-charts.js">' in html


def test_two_builds_glue_the_same_numbers(site):
    # The chapter's numbers come from a seeded Generator: recompute them here and find each in the page.
    rng = np.random.default_rng(PARAMS.seed)
    fits = trend.fit_windows(metr.load_horizons("1.1"), PARAMS, rng)
    low, high = fits[("from_2023_on", "p50")].doubling_days_ci
    text = headlines.as_text({"low_days": low, "high_days": high})
    html = (site / "book" / "trend.html").read_text(encoding="utf-8")
    glued = '<span class="pasted-text">{}</span>'
    assert f"{glued.format(text['low_days'])}–{glued.format(text['high_days'])}" in html


def test_timelines_page_quotes_the_computed_probabilities(site):
    # Every claim probability the chapter quotes is glued; recompute the chapter's draws and find them.
    draws = forecast.scenario_draws(metr.load_horizons("1.1"), PARAMS, np.random.default_rng(PARAMS.seed),
                                    n_draws=PARAMS.n_forecast_draws)
    claims = facts.load_claims()
    html = (site / "book" / "timelines.html").read_text(encoding="utf-8")
    quoted = ["openai_intern", "openai_researcher", "clark_no_human_2028", "clark_no_human_2027",
              "cotra_24h_2026", "ai2027_superhuman_coder", "anthropic_powerful_ai"]
    for claim in claims[claims["claim_id"].isin(quoted)].itertuples():
        p = forecast.probability_by(claim.target_date, draws, minutes=60 * claim.milestone_hours, metric=claim.reliability)
        assert f'<span class="pasted-text">{headlines.as_text({"p_share": p})["p_share"]}</span>' in html, claim.claim_id
    assert len(_specs(html)) == 3
