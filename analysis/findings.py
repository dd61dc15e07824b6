"""The landing page's key findings, computed with the same functions and seeds as the chapters.

Only figures that do not depend on a chapter's order of random draws are quoted here (point
estimates; draws made first from a fresh Generator), so the landing page and the chapters agree.
"""

from __future__ import annotations

import numpy as np

from analysis import eras, facts, forecast, headlines, labor, metr, trend
from analysis.params import Params


def key_numbers(params: Params) -> dict[str, float | str]:
    releases = {name: metr.load_horizons(release=name) for name in metr.benchmark_releases()}
    current = metr.latest_release("1.1")
    horizons = releases[current]
    shape = dict(max_minutes=params.max_minutes, min_segment=params.break_min_segment, grid_step_days=params.break_grid_days)
    two_eras = eras.fit_breakpoint(horizons, **shape)
    figures = facts.load_circulating_figures(releases=set(releases))
    verdicts = eras.judge_figures(
        figures, releases, current, max_minutes=params.max_minutes,
        tolerance_pct=params.figure_tolerance_pct, rng=np.random.default_rng(params.seed),
        n_bootstrap=params.n_bootstrap, confidence=params.confidence,
    ).set_index("figure_id")
    draws = forecast.scenario_draws(horizons, params, np.random.default_rng(params.seed), n_draws=params.n_forecast_draws)
    claims = facts.load_claims().set_index("claim_id")
    intern = claims.loc["openai_intern"]
    week = forecast.arrival_quantiles(draws, minutes=60 * params.work_week_hours, metric="p50")
    career = labor.Career(years=params.career_years, discount=params.discount_rate, wage_growth=params.wage_growth,
                          post_automation=params.post_automation_share, lag_years=params.automation_lag_years)
    years, weights = forecast.arrival_years(draws, minutes=60 * params.milestone_hours()[params.labor_milestone],
                                            metric=params.labor_reliability, reference=params.listing_date)
    pay = facts.load_labor("pay")
    low, high = labor.pay_ratios(pay, "openai_rsi_listing", "cirs_median_2024")
    since_2023 = trend.fit_trend(horizons, since=params.window_start("from_2023_on"), max_minutes=params.max_minutes)
    return {
        "break_month": headlines.format_month(two_eras.break_date),
        "before_days": two_eras.doubling_days_before,
        "after_days": two_eras.doubling_days_after,
        "p50_2023_doubling_days": since_2023.doubling_days,
        "figures_count": len(verdicts),
        "quoted_2024_days": figures.set_index("figure_id").loc["th11_since_2024", "claimed_value"],
        "figures_hold_count": int((verdicts["reproduces"] & verdicts["survives"] & verdicts["current"]).sum()),
        "week_median": headlines.format_month(week[1]),
        "week_p10": headlines.format_month(week[0]),
        "week_p90": headlines.format_month(week[2]),
        "intern_share": forecast.probability_by(intern["target_date"], draws, minutes=60 * intern["milestone_hours"],
                                                metric=intern["reliability"]),
        "listing_low_ratio": low,
        "listing_high_ratio": high,
        "premium_share": labor.risk_premium(years, weights, career),
    }
