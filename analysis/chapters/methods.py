"""Chapter 5, methods: every METR horizon re-estimated from task results, the March 2026 correction,
intervals, a multiverse of modelling choices, and saturation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import charts, horizon, metr, refresh, revisions, trend
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import suite_points
from analysis.text import format_days, format_minutes

OPUS = "claude_opus_4_6_inspect"  # the model METR's March 2026 correction moved most visibly
FIRST_TH11 = "v1.1_2026-01-30"


def build(params: Params) -> ChapterResult:
    tasks, _ = metr.load_tasks()
    agents = metr.load_agents()
    published = metr.load_horizons("1.1")
    first_release = metr.load_horizons(release=FIRST_TH11)
    first_estimates = metr.load_first_estimates()
    since_2023 = params.window_start("from_2023_on")
    metr_block = metr.load_published_doubling(metr.latest_release("1.1")).set_index("window")

    ours = horizon.fit_agents(tasks, regularization=params.logistic_regularization)
    before = horizon.fit_agents(tasks, regularization=params.logistic_regularization, weight_total="one")
    table = reproduction(ours, published, agents)
    before_table = reproduction(before, first_release, agents)  # agents METR had published by then
    opus = before.merge(agents, on="agent").set_index("model").loc[OPUS]

    multiplicities = horizon.task_multiplicities(tasks, params.rng("methods/task_bootstrap"), params.n_task_bootstrap)
    replicates = horizon.bootstrap_horizons(tasks, multiplicities, regularization=params.logistic_regularization,
                                            rng=params.rng("methods/run_bootstrap"))
    replicates_no_runs = horizon.bootstrap_horizons(tasks, multiplicities, regularization=params.logistic_regularization)
    intervals = horizon.bootstrap_bounds(replicates, params.confidence).merge(
        ours[["agent", "p50"]], on="agent").rename(columns={"p50": "estimate"})
    doubling_ci = {
        name: trend.percentile_interval(
            horizon.bootstrap_doubling(draws, published, agents, since=since_2023, max_minutes=params.max_minutes),
            params.confidence,
        )
        for name, draws in (("runs", replicates), ("tasks", replicates_no_runs))
    }
    width_ratio = horizon.width_ratio(intervals, published, agents)

    variants = horizon.multiverse(tasks)
    summary = horizon.summarise_multiverse(variants, published, agents, since=since_2023, max_minutes=params.max_minutes)
    near = horizon.saturation(tasks, ours)
    sat = near.merge(agents, on="agent").merge(published[["model", "display_name"]], on="model")

    numbers = {
        "agents_count": tasks["agent"].nunique(),
        "tasks_count": tasks["task_id"].nunique(),
        "families_count": tasks["task_family"].nunique(),
        # the table rounds differences to three decimals: the prose quotes the maximum the same way
        "p50_max_diff_pct3": table["p50_diff_pct"].abs().max(),
        "p80_max_diff_pct3": table["p80_diff_pct"].abs().max(),
        "before_common_count": len(before_table),
        "before_max_diff_pct2": before_table["p50_diff_pct"].abs().max(),
        "opus_before_min": opus["p50"],
        "opus_after_min": ours.merge(agents, on="agent").set_index("model").loc[OPUS, "p50"],
        "opus_first_estimate_min": 60 * first_estimates.set_index("model").loc[OPUS, "p50_hours"],
        "regularization_stat": params.logistic_regularization,
        "task_bootstrap_count": params.n_task_bootstrap,
        "boot_low_days": doubling_ci["runs"][0],
        "boot_high_days": doubling_ci["runs"][1],
        "boot_tasks_low_days": doubling_ci["tasks"][0],
        "boot_tasks_high_days": doubling_ci["tasks"][1],
        "metr_low_days": metr_block.loc["from_2023_on", "ci_low"],
        "metr_high_days": metr_block.loc["from_2023_on", "ci_high"],
        "width_ratio_median_ratio": float(width_ratio.median()),
        "longest_task_min": tasks["human_minutes"].max(),
        "top_near_count": int(near.loc[near["p50"].idxmax(), "tasks_near_p50"]),
        "top_share_of_longest_share": near["p50"].max() / tasks["human_minutes"].max(),
        "top_doublings_to_longest_log2": float(np.log2(tasks["human_minutes"].max() / near["p50"].max())),
        "top_doublings_to_longest": doublings_phrase(float(np.log2(tasks["human_minutes"].max() / near["p50"].max()))),
        "others_near_min_count": int(near.drop(index=near["p50"].idxmax())["tasks_near_p50"].min()),
        "others_near_max_count": int(near.drop(index=near["p50"].idxmax())["tasks_near_p50"].max()),
        "refresh_tolerance_pct": refresh.MOVE_TOLERANCE_PCT,
        "top_agent": sat.loc[sat["p50"].idxmax(), "display_name"],
        "median_near_count": float(near["tasks_near_p50"].median()),
        "runs_per_agent_count": float(tasks.groupby("agent")["n_runs"].sum().median()),
    }
    for row in summary.itertuples():
        numbers[f"mv_{row.key}_days"] = row.doubling_days
        numbers[f"mv_{row.key}_ratio"] = row.median_ratio

    diagnostics, diagnostic_numbers = line_checks(published, params)
    numbers |= diagnostic_numbers

    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    revision = revisions.compare_suites(horizon.as_horizons(before, published, agents),
                                        horizon.as_horizons(ours, published, agents))
    figures = {
        "fig_revision": charts.suite_comparison_chart(
            suite_points(revision, "Before the correction", "After the correction"), ticks=ticks,
            title="The March 2026 correction, re-estimated from the same task results",
            description="Dot plot: each agent's 50% time horizon re-estimated with the penalty METR used before and after its March 2026 correction.",
            width=params.chart_width, ratio_title="After / before", legend_title="Penalty",
        ),
        "fig_intervals": charts.interval_comparison_chart(
            interval_points(intervals, published, agents), ticks=ticks,
            title="Our bootstrap intervals against METR's",
            description="Range chart: for each agent, our 95% bootstrap interval for the 50% horizon and METR's published interval, on a log scale.",
            width=params.chart_width,
        ),
        "fig_multiverse": charts.multiverse_chart(
            multiverse_points(summary),
            pd.DataFrame({"low": [numbers["boot_low_days"]], "high": [numbers["boot_high_days"]],
                          "label": ["95% bootstrap interval, METR's choices"]}),
            title="How modelling choices move the doubling time",
            description="Dot plot: since-2023 doubling time of the 50% horizon under six modelling choices, against the 95% bootstrap interval of METR's choice.",
            width=params.chart_width - 120,
        ),
        "fig_saturation": charts.saturation_chart(
            saturation_points(sat, params.max_minutes),
            title="How many tasks pin down each horizon",
            description="Bar chart: number of tasks whose human time lies within one doubling of each agent's 50% horizon.",
            width=params.chart_width - 120,
        ),
    }
    tables = {"tbl_reproduction": reproduction_table_text(table), "tbl_diagnostics": diagnostics_table_text(diagnostics)}
    return ChapterResult(page="methods", numbers=numbers, tables=tables, figures=figures,
                         data={"reproduction": table, "summary": summary, "saturation": sat, "diagnostics": diagnostics})


def doublings_phrase(doublings: float) -> str:
    """How many doublings are left, in words a reader can check against the number."""
    if doublings < 1:
        return "less than one more doubling"
    if doublings < 2:
        return "one more doubling"
    return f"{int(doublings)} more doublings"


def reproduction(ours: pd.DataFrame, published: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """Our re-estimates beside METR's published p50 and p80 (by agent), with differences in percent."""
    table = ours.merge(agents, on="agent").merge(
        published[["model", "display_name", "p50", "p80"]], on="model", suffixes=("", "_metr")
    )
    table["p50_diff_pct"] = 100 * (table["p50"] / table["p50_metr"] - 1)
    table["p80_diff_pct"] = 100 * (table["p80"] / table["p80_metr"] - 1)
    return table.sort_values("release_date")


def reproduction_table_text(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Model": table["display_name"],
            "p50, ours": table["p50"].map(lambda v: f"{v:,.2f}"),
            "p50, METR": table["p50_metr"].map(lambda v: f"{v:,.2f}"),
            "Difference": table["p50_diff_pct"].map(lambda v: f"{v:+.3f}%"),
            "p80, ours": table["p80"].map(lambda v: f"{v:,.2f}"),
            "p80, METR": table["p80_metr"].map(lambda v: f"{v:,.2f}"),
            "Difference ": table["p80_diff_pct"].map(lambda v: f"{v:+.3f}%"),
        }
    )


def interval_points(ours: pd.DataFrame, published: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """Long table of our bootstrap interval and METR's, per agent. ``ours``: agent, low, high, estimate."""
    table = ours.merge(agents, on="agent").merge(published[["model", "display_name", "release_date", "p50", "p50_low", "p50_high"]], on="model")
    frames = []
    for source, low, high in (("Ours (families, tasks, runs)", "low", "high"), ("METR's", "p50_low", "p50_high")):
        frames.append(pd.DataFrame({
            "display_name": table["display_name"], "release_date": table["release_date"], "source": source,
            "low": table[low], "high": table[high], "estimate": table["p50"],
            "interval_text": [f"{format_minutes(lo)} to {format_minutes(hi)}" for lo, hi in zip(table[low], table[high])],
        }))
    return pd.concat(frames, ignore_index=True)


def multiverse_points(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.assign(
        doubling_text=summary["doubling_days"].map(lambda d: f"{format_days(d)} days"),
        median_ratio_text=summary["median_ratio"].map(lambda r: f"{r:.2f}×"),
    )


def saturation_points(table: pd.DataFrame, ceiling_minutes: float) -> pd.DataFrame:
    status = np.where(table["p50"] > ceiling_minutes, f"50% horizon above {format_minutes(ceiling_minutes)}",
                      f"50% horizon up to {format_minutes(ceiling_minutes)}")
    return table.assign(status=status, p50_text=table["p50"].map(format_minutes),
                        longest_text=table["longest_task"].map(format_minutes))


COVERAGE_SIMULATIONS = 2_000  # simulated data sets for the pairs bootstrap's coverage (Monte Carlo SE about 0.7 points)
COVERAGE_BOOTSTRAP = 1_000  # bootstrap resamples within each simulated data set


def small_p_text(p: float) -> str:
    """An analytic p-value too small to print at three decimals, as a bound (text only)."""
    for bound in (1e-4, 1e-3):
        if p < bound:
            return f"< {bound:g}"
    return f"= {p:.3f}"


def line_checks(published: pd.DataFrame, params: Params) -> tuple[pd.DataFrame, dict]:
    """Is one straight line right? Residual diagnostics and three slope intervals per window, and the
    pairs bootstrap's real coverage at the since-2023 sample size, by simulation from the fitted line."""
    rows, numbers = [], {}
    for window in ("all_time", "from_2023_on"):
        since = params.window_start(window)
        fit = trend.fit_trend(published, since=since, max_minutes=params.max_minutes, rng=params.rng,
                              n_bootstrap=params.n_bootstrap, confidence=params.confidence)
        check = trend.line_diagnostics(fit, params.confidence)
        intervals = {"boot": fit.doubling_days_ci, "t": trend.doubling_interval(*check.slope_ci_t),
                     "hc3": trend.doubling_interval(*check.slope_ci_hc3)}
        short = "all" if window == "all_time" else "2023"
        rows.append({"window": window, "n": check.n, "doubling_days": fit.doubling_days,
                     "durbin_watson": check.durbin_watson, "quadratic_p": check.quadratic_p,
                     **{f"{k}_{side}": v[i] for k, v in intervals.items() for i, side in enumerate(("low", "high"))}})
        numbers[f"diag_{short}_models_count"] = check.n
        numbers[f"diag_{short}_dw_r2"] = check.durbin_watson  # two decimals, like an R²
        numbers[f"diag_{short}_quadratic_p_text"] = small_p_text(check.quadratic_p)
        numbers[f"diag_{short}_quadratic_p"] = check.quadratic_p
        for k, (low, high) in intervals.items():
            numbers[f"diag_{short}_{k}_low_days"] = low
            numbers[f"diag_{short}_{k}_high_days"] = high
        if window == "from_2023_on":
            x = trend.days_since_origin(fit.points["release_date"])
            y = np.log2(fit.points["p50"].to_numpy(dtype=float))
            residuals = y - (fit.intercept_log2 + fit.slope_per_day * x)
            sigma = float(np.sqrt(residuals @ residuals / (len(x) - 2)))
            coverage = trend.pairs_bootstrap_coverage(
                x, sigma, params.rng("methods/pairs_bootstrap_coverage/from_2023_on"),
                n_simulations=COVERAGE_SIMULATIONS, n_bootstrap=COVERAGE_BOOTSTRAP, confidence=params.confidence,
                slope=fit.slope_per_day)
            numbers["coverage_share"] = coverage
            numbers["coverage_nominal_share"] = params.confidence
            numbers["coverage_models_count"] = len(x)
            numbers["coverage_simulations_count"] = COVERAGE_SIMULATIONS
            numbers["coverage_mc_se_share"] = float(np.sqrt(coverage * (1 - coverage) / COVERAGE_SIMULATIONS))
    return pd.DataFrame(rows), numbers


def diagnostics_table_text(table: pd.DataFrame) -> pd.DataFrame:
    def interval(low, high):
        return f"{format_days(low)}–{format_days(high)}"

    return pd.DataFrame({
        "Window": table["window"].map({"all_time": "All time", "from_2023_on": "Since 2023"}),
        "Models": table["n"],
        "Doubling (days)": table["doubling_days"].map(format_days),
        "Durbin–Watson": table["durbin_watson"].map(lambda v: f"{v:.2f}"),
        "Quadratic term, p": table["quadratic_p"].map(lambda p: small_p_text(p).removeprefix("= ")),
        "95% CI, pairs bootstrap": [interval(lo, hi) for lo, hi in zip(table["boot_low"], table["boot_high"])],
        "95% CI, t": [interval(lo, hi) for lo, hi in zip(table["t_low"], table["t_high"])],
        "95% CI, HC3": [interval(lo, hi) for lo, hi in zip(table["hc3_low"], table["hc3_high"])],
    })
