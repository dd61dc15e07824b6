"""Chapter 1, the METR trend: horizons against release date, exponential fits, METR's figures
reproduced, the two task suites compared."""

from __future__ import annotations

import math

import pandas as pd

from analysis import charts, facts, metr, revisions, trend
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import WINDOW_LABELS, WINDOW_SHORT, fit_lines, horizon_points, point_statuses, suite_points
from analysis.text import format_date, format_days, format_minutes
from analysis.trend import TrendFit

MARCH_RELEASE = "v1.1_2026-03-03"  # the file whose all-time figure does not match METR's stitched one


def build(params: Params) -> ChapterResult:
    release = metr.latest_release("1.1")
    horizons = metr.load_horizons(release=release)
    published = metr.load_published_doubling(release)
    fits = trend.fit_windows(horizons, params, params.rng)
    numbers = trend_numbers(horizons, fits, published, max_minutes=params.max_minutes,
                            n_bootstrap=params.n_bootstrap, release_as_of=metr.release_as_of(release))

    common = dict(since=params.window_start("from_2023_on"), max_minutes=params.max_minutes,
                  confidence=params.confidence)
    redrawn = trend.fit_trend(horizons, rng=params.rng, n_bootstrap=params.n_bootstrap, redraw_within_ci=True, **common)
    classical = trend.fit_trend(horizons, **common)
    numbers |= interval_numbers("redraw_2023", redrawn)
    numbers |= interval_numbers("tinterval_2023", classical)
    # the all-time line is misspecified (it bends): show the analytic intervals beside the bootstrap's
    all_time_check = trend.line_diagnostics(fits[("all_time", "p50")], params.confidence)
    for name, slope_ci in (("t", all_time_check.slope_ci_t), ("hc3", all_time_check.slope_ci_hc3)):
        low, high = trend.doubling_interval(*slope_ci)
        numbers[f"p50_all_{name}_low_days"], numbers[f"p50_all_{name}_high_days"] = low, high
    numbers["p50_all_dw_r2"] = all_time_check.durbin_watson
    # the since-2023 line is the headline, and it is misspecified too (April 2024's break falls inside it):
    # its analytic HC3 interval and the two diagnostics stand beside the bootstrap's interval
    check_2023 = trend.line_diagnostics(fits[("from_2023_on", "p50")], params.confidence)
    numbers["p50_2023_hc3_low_days"], numbers["p50_2023_hc3_high_days"] = trend.doubling_interval(*check_2023.slope_ci_hc3)
    numbers["p50_2023_dw_r2"] = check_2023.durbin_watson
    numbers["p50_2023_quadratic_p"] = check_2023.quadratic_p
    numbers["p50_2023_quadratic_p_text"] = f"= {check_2023.quadratic_p:.3f}"  # analytic (t distribution): no floor

    v10 = metr.load_horizons("1.0")
    v10_fit = trend.fit_trend(v10, **common)
    # The three oldest models (GPT-2, davinci-002, gpt-3.5-turbo-instruct) were only ever run on the
    # original suite: their v1.1 values are re-estimates, not measurements. Compare only the models with
    # task results on v1.1 (METR's task file lists every agent run on the new suite).
    run_on_v11 = set(metr.load_agents()["model"])
    both_suites = horizons[horizons["model"].isin(run_on_v11)]
    comparison = revisions.compare_suites(v10, both_suites)
    numbers |= suite_numbers(comparison, v10_fit, fits[("from_2023_on", "p50")])
    numbers["suites_original_only_count"] = len(revisions.compare_suites(v10, horizons)) - len(comparison)

    march_fit = trend.fit_trend(metr.load_horizons(release=MARCH_RELEASE), max_minutes=params.max_minutes)
    march_published = metr.load_published_doubling(MARCH_RELEASE).set_index("window").loc["all_time_stitched", "point_estimate"]
    numbers |= {
        "march_all_days3": march_fit.doubling_days,
        "march_metr_all_days3": march_published,
        "march_diff_pct2": 100 * abs(march_fit.doubling_days / march_published - 1),
    }

    frontier = frontier_comparison(horizons, params)
    numbers |= frontier_numbers(horizons, frontier, params)

    quoted = facts.load_quoted().set_index("item_id")
    numbers |= {"as_of_date": format_date(params.as_of),
                "page_frozen_date": format_date(quoted.loc["page_frozen", "date"])}

    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    figures = {}
    for metric, label in (("p50", "50%"), ("p80", "80%")):
        figures[f"fig_trend_{metric}"] = charts.horizon_chart(
            horizon_points(horizons, metric, params.max_minutes),
            fit_lines({w: fits[(w, metric)] for w in ("all_time", "from_2023_on")}),
            statuses=point_statuses(params.max_minutes),
            ticks=ticks,
            title=f"{label} time horizon of AI agents by release date (METR Time Horizon 1.1)",
            y_title=f"Task length at {label} success (human-expert time)",
            description=(
                f"Scatter plot, log scale: {label} time horizon of {len(horizons)} AI models against release "
                "date, with 95% intervals and exponential fits for all time and since 2023."
            ),
            ceiling_minutes=params.max_minutes,
            ceiling_label=f"{format_minutes(params.max_minutes)}: METR's reliability limit",
            width=params.chart_width,
            height=params.chart_height,
        )
    figures["fig_trend_suites"] = charts.suite_comparison_chart(
        suite_points(comparison, "v1.0", "v1.1"),
        ticks=ticks,
        title="The same models on METR's two task suites",
        description="Dot plot: 50% time horizon of each model measured on both task suites, v1.0 and v1.1.",
        width=params.chart_width,
    )
    tables = {"tbl_doubling": doubling_table_text(trend.doubling_table(fits, published)),
              "tbl_frontier": frontier_table_text(frontier)}
    return ChapterResult(page="trend", numbers=numbers, tables=tables, figures=figures,
                         data={"horizons": horizons, "fits": fits, "comparison": comparison, "frontier": frontier})


def _fit_numbers(fits: dict[tuple[str, str], TrendFit]) -> dict[str, float]:
    numbers = {}
    for (window, metric), fit in fits.items():
        key = f"{metric}_{WINDOW_SHORT[window]}"
        low, high = fit.doubling_days_ci
        numbers[f"{key}_doubling_days"] = fit.doubling_days
        numbers[f"{key}_doubling_days3"] = fit.doubling_days
        numbers[f"{key}_ci_low_days"] = low
        numbers[f"{key}_ci_high_days"] = high
        numbers[f"{key}_per_year"] = fit.doublings_per_year
        numbers[f"{key}_fit_r2"] = fit.r2
        numbers[f"{key}_models_count"] = fit.n
    return numbers


def _published_numbers(published: pd.DataFrame, prefix: str) -> dict[str, float]:
    numbers = {}
    for row in published.itertuples():
        key = f"{prefix}_{WINDOW_SHORT[row.window.replace('_stitched', '')]}"
        numbers[f"{key}_days3"] = row.point_estimate
        if not math.isnan(row.ci_low):
            numbers[f"{key}_ci_low_days"] = row.ci_low
            numbers[f"{key}_ci_high_days"] = row.ci_high
    return numbers


def trend_numbers(
    horizons: pd.DataFrame,
    fits: dict[tuple[str, str], TrendFit],
    published: pd.DataFrame,
    *,
    max_minutes: float,
    n_bootstrap: int,
    release_as_of: str,
) -> dict[str, float | str]:
    """Headline numbers for the current release: the fits, METR's block, the top models."""
    measurable = horizons[horizons["p50"] <= max_minutes]
    top = measurable.loc[measurable["p50"].idxmax()]
    highest = horizons.loc[horizons["p50"].idxmax()]
    fitted = fits[("all_time", "p50")].points
    numbers: dict[str, float | str] = {
        "release_as_of": format_date(release_as_of),
        "models_count": len(horizons),
        "frontier_count": int(horizons["is_sota"].sum()),
        "top_model": top["display_name"],
        "top_model_release": format_date(top["release_date"]),
        "top_p50_min": top["p50"],
        "top_p50_low_min": top["p50_low"],
        "top_p50_high_min": top["p50_high"],
        "top_p80_min": top["p80"],
        "highest_model": highest["display_name"],
        "highest_p50_min": highest["p50"],
        "highest_p50_low_min": highest["p50_low"],
        "highest_p50_high_min": highest["p50_high"],
        "ceiling_min": max_minutes,
        "bootstrap_count": n_bootstrap,
        "above_ceiling_count": int((horizons["p50"] > max_minutes).sum()),
        "p50_over_p80_median_ratio": float((fitted["p50"] / fitted["p80"]).median()),
    }
    numbers.update(_fit_numbers(fits))
    numbers.update(_published_numbers(published, "metr"))
    return numbers


def interval_numbers(label: str, fit: TrendFit) -> dict[str, float]:
    low, high = fit.doubling_days_ci
    return {f"{label}_ci_low_days": low, f"{label}_ci_high_days": high}


def suite_numbers(comparison: pd.DataFrame, old_fit: TrendFit, new_fit: TrendFit) -> dict[str, float]:
    summary = revisions.summarise_change(comparison)
    return {
        "suites_common_count": summary["n_common"],
        "suites_lower_count": summary["n_lower"],
        "suites_higher_count": summary["n_higher"],
        "suites_median_ratio": summary["median_ratio"],
        "suites_min_ratio": summary["min_ratio"],
        "suites_max_ratio": summary["max_ratio"],
        "v10_2023_doubling_days": old_fit.doubling_days,
        "v11_2023_doubling_days": new_fit.doubling_days,
        # growth rate is 1/doubling time: a rate 28% faster is a doubling time 1 - 1/1.28 = 22% shorter
        "suites_faster_pct": 100 * (old_fit.doubling_days / new_fit.doubling_days - 1),
        "suites_shorter_pct": 100 * (1 - new_fit.doubling_days / old_fit.doubling_days),
    }


def doubling_table_text(table: pd.DataFrame) -> pd.DataFrame:
    """The doubling-time table as a reader sees it."""
    def interval(low, high):
        return "" if pd.isna(low) else f"{format_days(low)}–{format_days(high)}"

    return pd.DataFrame(
        {
            "Window": table["window"].map(WINDOW_LABELS),
            "Reliability": table["metric"].map({"p50": "50%", "p80": "80%"}),
            "Models": table["n_models"],
            "Doubling (days)": [f"{v:.1f}" for v in table["doubling_days"]],
            "95% CI (bootstrap)": [interval(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
            "Doublings / year": [f"{v:.2f}" for v in table["doublings_per_year"]],
            "METR published": ["" if pd.isna(v) else f"{v:.3f}" for v in table["metr_days"]],
            "METR 95% CI": [interval(lo, hi) for lo, hi in zip(table["metr_ci_low"], table["metr_ci_high"])],
        }
    )


FRONTIER_RULES = {
    "is_sota": "METR's frontier (is_sota): above every earlier release",
    "all": "All models, no frontier label",
    "running": "Not measurably behind: 95% interval reaches the best earlier estimate",
    **{f"q{round(100 * q)}": f"Upper {round(100 * q)}th percentile line through all models (quantile regression)"
       for q in trend.FRONTIER_QUANTILES},
}


def frontier_comparison(horizons: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Doubling time (days) per frontier definition and window, with n; the same 16 h ceiling throughout."""
    running = horizons.assign(is_sota=trend.running_frontier(horizons))
    rows = []
    for window, since in params.windows:
        common = dict(since=since, max_minutes=params.max_minutes)
        for rule, table, frontier_only in (("is_sota", horizons, True), ("all", horizons, False),
                                           ("running", running, True)):
            fit = trend.fit_trend(table, frontier_only=frontier_only, rng=params.rng, n_bootstrap=params.n_bootstrap,
                                  confidence=params.confidence, **common)
            low, high = fit.doubling_days_ci
            rows.append({"rule": rule, "window": window, "doubling_days": fit.doubling_days, "n": fit.n,
                         "ci_low": low, "ci_high": high})
        for q in trend.FRONTIER_QUANTILES:
            days, n = trend.quantile_trend_days(horizons, quantile=q, **common)
            rows.append({"rule": f"q{round(100 * q)}", "window": window, "doubling_days": days, "n": n,
                         "ci_low": float("nan"), "ci_high": float("nan")})
    table = pd.DataFrame(rows)
    headline = table[table["rule"] == "is_sota"].set_index("window")["doubling_days"]
    table["change_pct"] = 100 * (table["doubling_days"] / table["window"].map(headline) - 1)
    return table


def frontier_numbers(horizons: pd.DataFrame, frontier: pd.DataFrame, params: Params) -> dict[str, float | str]:
    """What is_sota is, checked against its rule, and how far other frontier definitions move the headline."""
    rule = trend.above_every_earlier(horizons)
    ordered = horizons.sort_values("release_date")
    # the closest exclusion: a non-frontier model's shortfall from the best earlier central estimate
    shortfall = {row.display_name: ordered.loc[ordered["release_date"] < row.release_date, "p50"].max() - row.p50
                 for row in ordered.itertuples() if not row.is_sota}
    closest = min(shortfall, key=shortfall.get)
    cell = frontier.set_index(["rule", "window"])
    alternatives = frontier[(frontier["rule"] != "is_sota") & (frontier["window"] == "from_2023_on")]
    numbers: dict[str, float | str] = {
        "sota_rule_agree_count": int((rule == horizons["is_sota"].astype(bool)).sum()),
        "sota_closest_model": closest,
        "sota_closest_margin_min": shortfall[closest],
        "frontier_move_low_pct": alternatives["change_pct"].min(),
        "frontier_move_high_pct": alternatives["change_pct"].max(),
        "running_frontier_count": int(trend.running_frontier(horizons).sum()),
        "running_fitted_count": int(cell.loc[("running", "all_time"), "n"]),  # up to the ceiling, as the table counts
        "all_2023_change_pct": cell.loc[("all", "from_2023_on"), "change_pct"],
        "frontier_spread_days": alternatives["doubling_days"].max() - alternatives["doubling_days"].min(),
        "p50_2023_ci_width_days": cell.loc[("is_sota", "from_2023_on"), "ci_high"] - cell.loc[("is_sota", "from_2023_on"), "ci_low"],
    }
    for window in ("all_time", "from_2023_on", "from_2024_on"):
        short = WINDOW_SHORT[window]
        for rule_key in ("all", "running", *[f"q{round(100 * q)}" for q in trend.FRONTIER_QUANTILES]):
            numbers[f"{rule_key}_{short}_doubling_days"] = cell.loc[(rule_key, window), "doubling_days"]
        numbers[f"all_{short}_models_count"] = cell.loc[("all", window), "n"]
        numbers[f"all_{short}_ci_low_days"] = cell.loc[("all", window), "ci_low"]
        numbers[f"all_{short}_ci_high_days"] = cell.loc[("all", window), "ci_high"]
    return numbers


def frontier_table_text(frontier: pd.DataFrame) -> pd.DataFrame:
    def cell(row):
        text = f"{format_days(row.doubling_days)} ({row.n} models"
        text += ")" if pd.isna(row.ci_low) else f"; {format_days(row.ci_low)}–{format_days(row.ci_high)})"
        return text

    wide = {}
    for window in ("all_time", "from_2023_on", "from_2024_on"):
        part = frontier[frontier["window"] == window].set_index("rule")
        wide[f"{WINDOW_LABELS[window]} (days)"] = [cell(part.loc[r]) for r in FRONTIER_RULES]
    return pd.DataFrame({"Which models trace the trend": list(FRONTIER_RULES.values()), **wide})
