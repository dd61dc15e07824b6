"""The landing page: it quotes the chapters' own results and computes nothing of its own."""

from __future__ import annotations

from functools import cache

from analysis.chapters import (ChapterResult, benchmarks, eras, labor, methods, shared_numbers, timelines, trend,
                               watch)
from analysis.params import Params

CHAPTERS = {"trend": trend, "eras": eras, "timelines": timelines, "labor": labor, "methods": methods,
            "watch": watch, "benchmarks": benchmarks}

# landing key -> (chapter, the chapter's own key)
QUOTED = {
    "release_as_of": ("trend", "release_as_of"),
    "top_model": ("trend", "top_model"),
    "top_p50_min": ("trend", "top_p50_min"),
    "top_p50_low_min": ("trend", "top_p50_low_min"),
    "top_p50_high_min": ("trend", "top_p50_high_min"),
    "highest_model": ("trend", "highest_model"),
    "highest_p50_min": ("trend", "highest_p50_min"),
    "ceiling_min": ("trend", "ceiling_min"),
    "p50_2023_doubling_days": ("trend", "p50_2023_doubling_days"),
    "p50_2023_ci_low_days": ("trend", "p50_2023_ci_low_days"),
    "p50_2023_ci_high_days": ("trend", "p50_2023_ci_high_days"),
    "p50_all_doubling_days": ("trend", "p50_all_doubling_days"),
    "p50_all_ci_low_days": ("trend", "p50_all_ci_low_days"),
    "p50_all_ci_high_days": ("trend", "p50_all_ci_high_days"),
    "suites_faster_pct": ("trend", "suites_faster_pct"),
    "key_break_month": ("eras", "eras_break"),
    "key_before_days": ("eras", "eras_before_days"),
    "key_after_days": ("eras", "eras_after_days"),
    "key_figures_count": ("eras", "figures_count"),
    "key_figures_hold_count": ("eras", "figures_all_three_count"),
    "key_quoted_2024_days": ("eras", "quoted_2024_days"),
    "key_week_median": ("timelines", "work_week_p50_median"),
    "key_week_p10": ("timelines", "work_week_p50_p10"),
    "key_week_p90": ("timelines", "work_week_p50_p90"),
    "key_intern_share": ("timelines", "openai_intern_share"),
    "key_listing_low_ratio": ("labor", "listing_low_ratio"),
    "key_listing_high_ratio": ("labor", "listing_high_ratio"),
    "key_premium_share": ("labor", "premium_mixture_share"),
}


@cache
def chapter(name: str, params: Params) -> ChapterResult:
    """A chapter's result, computed once per process and parameter set; during a build, the numbers
    the chapter's own page computed earlier in the same build."""
    numbers = shared_numbers(name, params)
    if numbers is not None:
        return ChapterResult(page=name, numbers=numbers)
    return CHAPTERS[name].build(params)


def build(params: Params) -> ChapterResult:
    numbers = {key: chapter(name, params).numbers[source] for key, (name, source) in QUOTED.items()}
    return ChapterResult(page="intro", numbers=numbers)
