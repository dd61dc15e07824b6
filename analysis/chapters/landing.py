"""The landing page: it quotes the chapters' own results (numbers and its headline figure) and the
sourced status facts; it computes nothing of its own."""

from __future__ import annotations

from functools import cache

import pandas as pd

from analysis import facts, metr, paths
from analysis.chapters import (ChapterResult, benchmarks, eras, labor, methods, shared_result, timelines, trend,
                               watch)
from analysis.params import Params
from analysis.text import format_date, format_quoted_hours

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
    "p50_2023_hc3_low_days": ("trend", "p50_2023_hc3_low_days"),
    "p50_2023_hc3_high_days": ("trend", "p50_2023_hc3_high_days"),
    "p50_all_doubling_days": ("trend", "p50_all_doubling_days"),
    "p50_all_ci_low_days": ("trend", "p50_all_ci_low_days"),
    "p50_all_ci_high_days": ("trend", "p50_all_ci_high_days"),
    "suites_faster_pct": ("trend", "suites_faster_pct"),
    "suites_shorter_pct": ("trend", "suites_shorter_pct"),
    "key_break_month": ("eras", "eras_break"),
    "key_before_days": ("eras", "eras_before_days"),
    "key_after_days": ("eras", "eras_after_days"),
    "key_figures_count": ("eras", "figures_count"),
    "key_figures_hold_count": ("eras", "figures_all_three_count"),
    "key_quoted_2024_days": ("eras", "quoted_2024_days"),
    "key_today_week_prob": ("timelines", "today_work_week_p50_prob"),
    "key_work_day_reached": ("timelines", "work_day_p50_reached"),
    "key_weights_rule_name": ("timelines", "weights_rule_name"),
    "key_intern_prob": ("timelines", "openai_intern_prob"),
    "key_intern_range": ("timelines", "openai_intern_range"),
    "key_intern_resolution": ("timelines", "openai_intern_resolution"),
    "key_researcher_prob": ("timelines", "openai_researcher_prob"),
    "key_researcher_range": ("timelines", "openai_researcher_range"),
    "key_researcher_trend_only_prob": ("timelines", "openai_researcher_step_trend_only_prob"),
    "key_clark_prob": ("timelines", "clark_no_human_2028_prob"),
    "key_clark_range": ("timelines", "clark_no_human_2028_range"),
    "key_clark_stated_share": ("timelines", "clark_2028_stated_share"),
    "key_article_week_prob": ("timelines", "article_week_tasks_prob"),
    "key_article_week_range": ("timelines", "article_week_tasks_range"),
    "key_article_month_prob": ("timelines", "article_month_projects_prob"),
    "key_article_month_range": ("timelines", "article_month_projects_range"),
    "key_calibration_long_share": ("timelines", "calibration_long_share"),
    "key_evidence_favoured": ("timelines", "evidence_favoured"),
    "key_listing_premium_low_share": ("labor", "listing_premium_low_share"),
    "key_listing_premium_high_share": ("labor", "listing_premium_high_share"),
    "key_premium_share": ("labor", "premium_mixture_share"),
    "nowcast_model": ("benchmarks", "nowcast_model"),
    "nowcast_release_date": ("benchmarks", "nowcast_release_date"),
    "nowcast_p50_min": ("benchmarks", "nowcast_p50_min"),
    "nowcast_low_min": ("benchmarks", "nowcast_low_min"),
    "nowcast_high_min": ("benchmarks", "nowcast_high_min"),
    "nowcast_level_share": ("benchmarks", "nowcast_level_share"),
    "nowcast_verdict": ("benchmarks", "nowcast_verdict"),
    "fc_nowcast_count": ("benchmarks", "fc_nowcast_count"),
    "fc_below_median_count": ("benchmarks", "fc_below_median_count"),
    "fc_sol_off_signed_log2": ("benchmarks", "fc_sol_off_signed_log2"),
    "fc_side": ("benchmarks", "fc_side"),
    "backtest_coverage_share": ("benchmarks", "backtest_coverage_share"),
    "backtest_count": ("benchmarks", "backtest_count"),
    "eci_as_of_date": ("benchmarks", "eci_as_of_date"),
    "compute_doubling_days": ("watch", "long_run_doubling_days"),
    "compute_doubling_low_days": ("watch", "long_run_doubling_low_days"),
    "compute_doubling_high_days": ("watch", "long_run_doubling_high_days"),
    "compute_cutoff_month": ("watch", "cutoff_month"),
    "constrained_doubling_days": ("watch", "constrained_doubling_days"),
    "constrained_doubling_low_days": ("watch", "constrained_doubling_low_days"),
    "constrained_doubling_high_days": ("watch", "constrained_doubling_high_days"),
}

# the headline figure: chapter, figure key
HEADLINE_FIGURE = ("benchmarks", "fig_benchmarks_nowcast")


@cache
def chapter(name: str, params: Params) -> ChapterResult:
    """A chapter's result, computed once per process and parameter set; during a build, the numbers
    and figures the chapter's own page computed earlier in the same build."""
    shared = shared_result(name, params)
    return shared if shared is not None else CHAPTERS[name].build(params)


def status_numbers(params: Params, eci_as_of: str | None = None) -> dict[str, str]:
    """The status box: this release's date, and the date each kind of evidence reaches: METR's data,
    Epoch's index (its file, or a later page quoted as fact F14), and the newest statement quoted from
    the fact sheet (facts E1-E5, F1-F20), none of it later than ``params.as_of``."""
    table = facts.load_quoted_figures()
    quoted = facts.load_quoted().set_index("item_id")
    newest = metr.load_horizons("1.1").sort_values("release_date").iloc[-1]
    known = table[table["date"] <= pd.Timestamp(params.as_of)]
    eci_pages = known.loc[known["fact_id"] == "F14", "date"]
    eci_dates = [date for date in [pd.Timestamp(eci_as_of) if eci_as_of else None, eci_pages.max()] if pd.notna(date)]
    return {
        "release_version": paths.version(),
        "statements_latest_date": format_date(known.loc[known["fact_id"].str[0].isin(["E", "F"]), "date"].max()),
        "eci_latest_date": format_date(max(eci_dates)),
        "as_of_date": format_date(params.as_of),
        "newest_metr_model": newest["display_name"],
        "newest_metr_release": format_date(newest["release_date"]),
        "page_frozen_date": format_date(quoted.loc["page_frozen", "date"]),
        "sol_standard_hours": format_quoted_hours(quoted.loc["sol_standard_hours", "value"]),
        "sol_counted_hours": format_quoted_hours(quoted.loc["sol_cheating_counted_hours", "value"]),
        "frontier_risk_date": format_date(quoted.loc["frontier_risk_p50_hours", "date"]),
    }


def build(params: Params) -> ChapterResult:
    numbers = {key: chapter(name, params).numbers[source] for key, (name, source) in QUOTED.items()}
    numbers |= status_numbers(params, numbers.get("eci_as_of_date"))
    name, key = HEADLINE_FIGURE
    return ChapterResult(page="intro", numbers=numbers, figures={"fig_headline": chapter(name, params).figures[key]})
