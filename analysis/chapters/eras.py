"""Chapter 2, acceleration across eras: window sweeps, the estimated break, the acceleration test,
competing growth models and their backtests, verdicts on circulating figures, METR's revisions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import charts, eras, facts, metr, revisions, trend
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import horizon_points, point_statuses
from analysis.text import as_text, format_date, format_days, format_minutes, format_month, format_p_value
from analysis.trend import DAY0, TrendFit


def build(params: Params) -> ChapterResult:
    sources = metr.load_sources()
    current = metr.latest_release("1.1", sources)
    releases = {name: metr.load_horizons(release=name) for name in metr.benchmark_releases(sources)}
    horizons = releases[current]
    since_2023, since_2024 = params.window_start("from_2023_on"), params.window_start("from_2024_on")
    shape = dict(max_minutes=params.max_minutes, min_segment=params.break_min_segment,
                 grid_step_days=params.break_grid_days)
    rng = params.rng  # every quantity below draws from the stream named after it

    exponential = trend.fit_trend(horizons, max_minutes=params.max_minutes, rng=rng, n_bootstrap=params.n_bootstrap,
                                  confidence=params.confidence, grid_points=params.fit_grid_points)
    two_eras = eras.fit_breakpoint(horizons, rng=rng, n_bootstrap=params.n_break_bootstrap, **shape)
    separate = eras.fit_breakpoint(horizons, continuous=False, **shape)
    original_suite = eras.fit_breakpoint(releases[metr.latest_release("1.0", sources)], **shape)
    test = eras.acceleration_test(horizons, rng=rng, n_null=params.n_null, **shape)
    test_within = eras.acceleration_test(horizons, since=two_eras.break_date, rng=rng, n_null=params.n_null, **shape)
    jack = eras.jackknife(horizons, since=since_2023, **shape)
    growth = eras.compare_growth_models(
        horizons, min_train=params.backtest_min_train, max_lead_days=params.backtest_max_lead_days,
        interval_level=params.backtest_interval, **shape,
    )
    backtest = eras.backtest_summary(growth.backtest)
    weight_sets = eras.aicc_weight_sets(growth.table, growth.fits[0].n)
    sweep_options = dict(max_minutes=params.max_minutes, min_models=params.sweep_min_models, rng=rng,
                         n_bootstrap=params.n_sweep_bootstrap, confidence=params.confidence)
    sweep = eras.window_sweep(horizons, **sweep_options)
    sweep_all = eras.window_sweep(horizons, frontier_only=False, **sweep_options)
    gap = eras.reliability_gap(horizons, max_minutes=params.max_minutes, rng=rng, n_bootstrap=params.n_bootstrap,
                               confidence=params.confidence)
    gap_recent = eras.reliability_gap(horizons, since=since_2023, max_minutes=params.max_minutes, rng=rng,
                                      n_bootstrap=params.n_bootstrap, confidence=params.confidence)
    with_ceiling_model = trend.fit_trend(horizons, since=since_2024, max_minutes=None)
    without_ceiling_model = trend.fit_trend(horizons, since=since_2024, max_minutes=params.max_minutes)

    figures_quoted = facts.load_circulating_figures(releases=set(releases))
    verdicts = eras.judge_figures(
        figures_quoted, releases, current, max_minutes=params.max_minutes, tolerance_pct=params.figure_tolerance_pct,
        rng=rng, n_bootstrap=params.n_bootstrap, confidence=params.confidence,
    )
    labels = {name: f"v{table['benchmark'].iloc[0]} of {format_date(metr.release_as_of(name, sources))}"
              for name, table in releases.items()}
    by_release = revisions.doubling_by_release(
        releases, labels, {name: metr.load_published_doubling(name) for name in releases},
        {"all_time": None, "since_2023": since_2023, "since_2024": since_2024},
        max_minutes=params.max_minutes, rng=rng, n_bootstrap=params.n_bootstrap, confidence=params.confidence,
    )
    log = revisions.changelog(releases, {name: metr.release_as_of(name, sources) for name in releases})
    first_th11 = metr.benchmark_releases(sources, version="1.1")[0]
    revised = revisions.moved_models(log, first_th11, current)

    numbers = {
        "exp_all_doubling_days": exponential.doubling_days,
        "exp_all_ci_low_days": exponential.doubling_days_ci[0],
        "exp_all_ci_high_days": exponential.doubling_days_ci[1],
        "ceiling_min": params.max_minutes,
        "since_2024_with_top_days": with_ceiling_model.doubling_days,
        "since_2024_without_top_days": without_ceiling_model.doubling_days,
        "revised_common_count": len(revised),
        "revised_lower_count": int((revised["ratio"] < 1).sum()),
        "break_bootstrap_count": params.n_break_bootstrap,
        "figure_tolerance_pct": params.figure_tolerance_pct,
        "within_accel_p": test_within.p_value,
        "within_accel_p_text": format_p_value(test_within.p_value, test_within.n_null),
        "within_models_count": len(trend.select_points(horizons, since=two_eras.break_date, max_minutes=params.max_minutes)),
    }
    numbers |= breakpoint_numbers(original_suite, "v10")
    numbers |= breakpoint_numbers(two_eras, "eras")
    numbers |= breakpoint_numbers(separate, "separate")
    numbers |= acceleration_numbers(test, jack)
    numbers |= growth_numbers(growth.table, backtest, growth.fits[2].params)
    for row in weight_sets.itertuples():  # the searched break date counted as one parameter, or as two
        numbers[f"{_GROWTH_KEYS[row.model]}_aicc1_share"] = row.weight_1
        numbers[f"{_GROWTH_KEYS[row.model]}_aicc2_share"] = row.weight_2
    numbers |= sweep_numbers(sweep, since_2024)
    numbers |= gap_numbers(gap, "gap_all")
    numbers |= gap_numbers(gap_recent, "gap_2023")
    numbers |= verdict_numbers(verdicts)
    quoted = facts.load_quoted_figures()
    numbers |= others_numbers(quoted, two_eras, test_within.p_value, 1 - params.confidence)
    numbers |= data_span_numbers(horizons, metr.release_as_of(current, sources))
    numbers["quoted_2024_days"] = figures_quoted.set_index("figure_id").loc["th11_since_2024", "claimed_value"]
    numbers["paper_2024_days"] = verdicts.set_index("figure_id").loc["paper_2024", "claimed_days"]

    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    counts, estimate = break_counts(two_eras)
    figures = {
        "fig_eras": charts.horizon_chart(
            horizon_points(horizons, "p50", params.max_minutes),
            era_lines(exponential, two_eras, params.fit_grid_points),
            statuses=point_statuses(params.max_minutes), ticks=ticks,
            title="One exponential or two eras? (METR Time Horizon 1.1, 50% horizon)",
            y_title="Task length at 50% success (human-expert time)",
            description="Scatter plot on a log scale of 50% time horizons by release date, with one exponential fit and a joined two-era fit whose break date is estimated.",
            ceiling_minutes=params.max_minutes,
            ceiling_label=f"{format_minutes(params.max_minutes)}: METR's reliability limit",
            width=params.chart_width, height=params.chart_height,
        ),
        "fig_sweep": charts.sweep_chart(
            sweep_points(with_quoted_intervals(pd.concat([sweep, sweep_all], ignore_index=True),
                                               quoted_intervals(horizons, params))),
            y_max=params.sweep_axis_max_days,
            title="Doubling time depends on where the fit starts",
            description="Line chart: doubling time of the 50% horizon, with 95% bands, for fits that start at each model's release date and run to the latest model; frontier-only and all models.",
            width=params.chart_width, height=params.chart_height,
        ),
        "fig_break": charts.break_distribution_chart(
            counts, estimate, title="Where the break falls, across bootstrap resamples",
            description="Bar chart: share of bootstrap resamples whose estimated break date falls in each quarter.",
            width=params.chart_width,
        ),
        "fig_backtest": charts.backtest_chart(
            backtest_points(growth.backtest),
            title="Forecasting later frontier models from earlier ones",
            description="Scatter plot: errors, in doublings, of forecasts of frontier models' 50% horizons made by three growth models fitted on earlier models, against forecast lead time.",
            width=params.chart_width,
        ),
        "fig_changelog": charts.changelog_chart(
            changelog_points(log[log["release_date"] >= since_2023]), ticks=ticks,
            title="How METR's published horizons moved between releases (models from 2023 on)",
            description="Line chart: each model's published 50% time horizon in each METR release, on a log scale.",
            width=params.chart_width,
        ),
        "fig_reliability": charts.reliability_chart(
            ratio_points(gap), gap.line,
            title="How much shorter the 80% horizon is than the 50% horizon",
            description="Scatter plot on a log scale: ratio of 50% to 80% time horizon for frontier models by release date, with a least-squares trend.",
            width=params.chart_width,
        ),
    }
    caveats = figures_quoted.loc[figures_quoted["confidence"] != "high", ["figure", "caveat", "source_url"]]
    tables = {
        "tbl_verdicts": verdict_table_text(figures_quoted, verdicts, params.figure_tolerance_pct),
        "tbl_growth": backtest_table_text(growth.table.merge(weight_sets[["model", "weight_2"]], on="model"), backtest),
        "tbl_releases": release_doubling_text(by_release),
        "tbl_others": acceleration_table_text(quoted, numbers),
        "tbl_caveats": caveats.rename(columns={"figure": "Figure", "caveat": "Caveat", "source_url": "Source"}),
    }
    return ChapterResult(page="eras", numbers=numbers, tables=tables, figures=figures, data={
        "horizons": horizons, "two_eras": two_eras, "growth": growth, "backtest": backtest,
        "verdicts": verdicts, "figures": figures_quoted, "test": test, "exponential": exponential,
        "aicc_weights": weight_sets,
        "by_release": by_release,
    })


def breakpoint_numbers(fit, prefix: str) -> dict[str, float | str]:
    """Break date, both doubling times and the change in growth rate, with bootstrap intervals."""
    numbers: dict[str, float | str] = {
        f"{prefix}_break": format_month(fit.break_date),
        f"{prefix}_models_count": fit.n,
        f"{prefix}_before_days": fit.doubling_days_before,
        f"{prefix}_after_days": fit.doubling_days_after,
        f"{prefix}_speedup_ratio": fit.doubling_days_before / fit.doubling_days_after,
    }
    if len(fit.draws):
        low_date, high_date = fit.break_date_ci
        numbers[f"{prefix}_break_low"] = format_month(low_date)
        numbers[f"{prefix}_break_high"] = format_month(high_date)
        for side in ("before", "after"):
            low, high = getattr(fit, f"doubling_days_{side}_ci")
            numbers[f"{prefix}_{side}_ci_low_days"] = low
            numbers[f"{prefix}_{side}_ci_high_days"] = high
        low, high = fit.slope_change_per_year_ci
        numbers[f"{prefix}_change_low_per_year"] = low
        numbers[f"{prefix}_change_high_per_year"] = high
        numbers[f"{prefix}_change_per_year"] = 365.25 * (fit.slope_after - fit.slope_before)
    return numbers


# ------------------------------------------------------------------ acceleration as others measure it
AECI_BREAK = pd.Timestamp("2025-09-01")  # Anthropic's trend break on its index: "break Sep 2025" (fact F7)


def others_numbers(quoted: pd.DataFrame, two_eras, within_p: float, alpha: float) -> dict[str, float | str]:
    """The acceleration estimates in circulation (facts F2, F6-F8, F11, F12; data/quoted.csv) beside
    the report's own step in the horizon's growth rate, and what the comparison says."""
    q = quoted.set_index("figure")
    value = lambda figure: float(q.loc[figure, "value"])  # noqa: E731
    eci_points_per_doubling = value("eci_points_per_doubling")
    own_low, own_high = two_eras.speedup_ratio_ci
    aeci_low, aeci_high = float(q.loc["aeci_slope_ratio", "low"]), float(q.loc["aeci_slope_ratio", "high"])
    numbers: dict[str, float | str] = {
        "own_speedup_ratio": two_eras.doubling_days_before / two_eras.doubling_days_after,
        "own_speedup_low_ratio": own_low, "own_speedup_high_ratio": own_high,
        "own_before_doublings": 365.25 * two_eras.slope_before, "own_after_doublings": 365.25 * two_eras.slope_after,
        "aeci_ratio2": value("aeci_slope_ratio"), "aeci_low_ratio2": aeci_low, "aeci_high_ratio2": aeci_high,
        "aeci_before_per_year": value("aeci_slope_before"), "aeci_after_per_year": value("aeci_slope_after"),
        # at Epoch's launch-era rate of ECI points per METR doubling (fact F15): an assumption for AECI
        "aeci_before_doublings": value("aeci_slope_before") / eci_points_per_doubling,
        "aeci_after_doublings": value("aeci_slope_after") / eci_points_per_doubling,
        "eci_per_doubling_count": eci_points_per_doubling,
        "metr_accel_ratio": value("metr_acceleration"), "metr_2x_share": value("metr_acceleration_2x_chance"),
        "workdays_stat": value("agent_workdays_per_human_workday"),
        "leads_share": value("claude_leads_share"), "leads_feb_share": value("claude_leads_share_february"),
        "return_share": value("feedback_return"), "threshold_share": value("feedback_threshold"),
        "algorithm_series_count": value("algorithm_series"),
    }
    # what they agree on: no estimate of AI's own contribution reaches a doubling of the pace
    agree = aeci_high < 2 and value("metr_acceleration") < 2 and value("feedback_return") < value("feedback_threshold")
    numbers["others_agree_text"] = (
        "none of them puts AI's own contribution at a doubling of the pace" if agree
        else "they disagree on whether AI's own contribution has doubled the pace")
    numbers["aeci_break_month"] = format_month(AECI_BREAK)
    # Amodei's "drastically faster" (F9) and his company's card (F7), days apart
    numbers["amodei_date"] = format_date(quoted.loc[(quoted["fact_id"] == "F9") & (quoted["figure"] == "statement"), "date"].iloc[0])
    numbers["amodei_gap_count"] = (q.loc["aeci_slope_ratio", "date"]
                                   - quoted.loc[(quoted["fact_id"] == "F9") & (quoted["figure"] == "statement"), "date"].iloc[0]).days
    later = two_eras.points[two_eras.points["release_date"] >= AECI_BREAK]
    numbers["after_aeci_break_count"] = len(later)
    numbers["overlap_text"] = "overlap" if own_low <= aeci_high and aeci_low <= own_high else "do not overlap"
    # the horizon data's own test for a second step within the latest era (at the report's level)
    numbers["second_step_text"] = "show no second step" if within_p > alpha else "show a second step"
    return numbers


def data_span_numbers(horizons: pd.DataFrame, data_as_of) -> dict[str, str]:
    """The span of the horizon data the report's own estimate rests on, in words."""
    return {"data_first_year": f"{horizons['release_date'].min():%Y}",
            "data_newest_month": format_month(horizons["release_date"].max()),
            "data_as_of_date": format_date(data_as_of)}


def acceleration_table_text(quoted: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    """The acceleration estimates in circulation beside the report's own, as the page shows them:
    what each measures (capability, effort or output), who measured whom, the figure and its caveat."""
    text = as_text({key: value for key, value in numbers.items() if not isinstance(value, bool)})
    q = quoted.set_index("figure")
    date = lambda figure: format_date(q.loc[figure, "date"])  # noqa: E731
    rows = [
        ("This report (this chapter)", "METR's horizons of the labs' models (independent measurement), refitted here",
         "Capability: growth rate of the 50% time horizon",
         f"{text['own_speedup_ratio']} after the break ({text['eras_break']}; 95% CI {text['own_speedup_low_ratio']} "
         f"to {text['own_speedup_high_ratio']}); no second speed-up since (p {text['within_accel_p_text']})",
         f"Models released {text['data_first_year']} to {text['data_newest_month']} (data to {text['data_as_of_date']})",
         f"A step in growth, not attributed to AI; few models after the break; nothing measured after {text['data_as_of_date']}", ""),
        ("Anthropic, trend-break fit", "Anthropic, its own models, on its own fork of Epoch's index (AECI)",
         "Capability: slope of a capability index",
         f"{text['aeci_ratio2']} (95% range {text['aeci_low_ratio2']} to {text['aeci_high_ratio2']}), break {text['aeci_break_month']}; "
         "\"the slope has not doubled\"", f"To {date('aeci_slope_ratio')}",
         "Self-measured, unaudited; a one-time jump fits better in 99 of 100 resamples; an earlier card gave 1.86-4.3", "F7"),
        ("METR on Claude Opus 5.5", "A METR team, Anthropic's AI R&D (preliminary)",
         "Capability: pace of progress due to AI (\"1.5 years in 1 year\")",
         f"about {text['metr_accel_ratio']}, perhaps {text['metr_2x_share']} chance of 2×", "Period unstated",
         "Evidence not shared; period unstated; Anthropic could review and edit the text", "F6"),
        ("OpenAI, agent-workdays", "OpenAI, its own research organisation",
         "Effort: agent runtime per workday of human labour",
         f"{text['workdays_stat']} agent-workdays per human workday (below 1 before June 2026)", "Mid-August 2026",
         "Self-measured, unaudited; effort, not output (8 h per workday, subagents counted separately)", "F2"),
        ("Anthropic, \"Claude leads\"", "Anthropic, its own AI R&D work",
         "Output: share of work Claude leads end to end under supervision",
         f"{text['leads_share']} (under {text['leads_feb_share']} in February 2026); not fully autonomous for any measured subset",
         "August 2026", "Self-measured; levels set by a Claude judge (59% agreement with humans)", "F8"),
        ("Economists' feedback return", "Outside economists, the field's R&D productivity",
         "Output: R&D productivity gained per unit of capability",
         f"about {text['return_share']} against {text['threshold_share']} needed for self-sustaining acceleration",
         "Since coding agents launched", "One copy; the authors call the calibration \"very loose\"", "F11"),
        ("METR, discoveries", "METR, public discoveries by anyone",
         "Output: rate of discoveries",
         f"cyber vulnerabilities sharply faster, maths somewhat, optimisations not; none of {text['algorithm_series_count']} "
         "algorithm-progress series shows a clear change of slope", f"To {date('algorithm_series')}",
         "Public discoveries only; known through copies", "F12"),
    ]
    return pd.DataFrame(rows, columns=["Estimate", "Who measured whom", "What it measures", "Figure", "Period",
                                       "Caveat", "Fact"])


def acceleration_numbers(test, jack: pd.DataFrame) -> dict[str, float | str]:
    influential = jack.loc[jack["recent_change_pct"].abs().idxmax()]
    return {
        "accel_sup_f_stat": test.statistic,
        "accel_p": test.p_value,
        # simulated p-values: at the floor 1/(n+1) the text says "≤", not "="
        "accel_p_text": format_p_value(test.p_value, test.n_null),
        "accel_null_count": test.n_null,
        "jack_model": influential["dropped"],
        "jack_change_pct": abs(influential["recent_change_pct"]),
        "jack_direction": "shorter" if influential["recent_change_pct"] < 0 else "longer",
        "jack_break_earliest": format_month(jack["break_date"].min()),
        "jack_break_latest": format_month(jack["break_date"].max()),
        "jack_after_low_days": jack["doubling_days_after"].min(),
        "jack_after_high_days": jack["doubling_days_after"].max(),
    }


_GROWTH_KEYS = {"exponential": "exp", "two eras": "eras", "superexponential": "super"}


def growth_numbers(table: pd.DataFrame, summary: pd.DataFrame, superexponential_params) -> dict[str, float | str]:
    best = table.loc[table["aicc"].idxmin(), "model"]
    numbers: dict[str, float | str] = {"best_growth_model": best}
    for row in table.itertuples():
        key = _GROWTH_KEYS[row.model]
        numbers[f"{key}_aicc_share"] = row.aicc_weight
        numbers[f"{key}_delta_aicc_stat"] = row.delta_aicc
        numbers[f"{key}_delta_bic_stat"] = row.delta_bic
    for row in summary.itertuples():
        key = _GROWTH_KEYS[row.model]
        numbers[f"{key}_bias_signed_log2"] = row.bias_log2
        numbers[f"{key}_mae_log2"] = row.mae_log2
        numbers[f"{key}_coverage_share"] = row.coverage
        numbers["backtest_forecasts_count"] = row.forecasts
    _, d0, shrink, _ = superexponential_params
    numbers["super_first_doubling_days"] = d0
    numbers["super_shrink_pct"] = 100 * shrink
    return numbers


def sweep_numbers(sweep: pd.DataFrame, since) -> dict[str, float]:
    recent = sweep[(sweep["start"] >= pd.Timestamp(since)) & sweep["frontier_only"]]
    return {
        "sweep_recent_min_days": recent["doubling_days"].min(),
        "sweep_recent_max_days": recent["doubling_days"].max(),
        "sweep_starts_count": len(sweep[sweep["frontier_only"]]),
    }


def gap_numbers(gap, label: str) -> dict[str, float]:
    low, high = gap.slope_per_year_ci
    return {
        f"{label}_signed_log2": gap.slope_per_year,
        f"{label}_low_signed_log2": low,
        f"{label}_high_signed_log2": high,
    }


def verdict_numbers(verdicts: pd.DataFrame) -> dict[str, float]:
    later = verdicts["survives"] & verdicts["current"]
    by_id = verdicts.set_index("figure_id")
    numbers = {
        "figures_count": len(verdicts),
        "figures_reproduce_count": int(verdicts["reproduces"].sum()),
        "figures_within_own_ci_count": int(verdicts["within_own_ci"].sum()),
        "figures_survive_count": int(verdicts["survives"].sum()),
        "figures_current_count": int(verdicts["current"].sum()),
        "figures_all_three_count": int((verdicts["reproduces"] & later).sum()),
        "figures_all_three_interval_count": int((verdicts["within_own_ci"] & later).sum()),
    }
    for figure_id, key in (("th11_since_2024", "quoted_2024"), ("paper_2024", "paper_2024")):
        row = by_id.loc[figure_id]
        numbers[f"{key}_own_days"] = row["own_release_days"]
        numbers[f"{key}_own_low_days"] = row["own_ci_low"]
        numbers[f"{key}_own_high_days"] = row["own_ci_high"]
        numbers[f"{key}_own_diff_pct"] = abs(row["own_diff_pct"])
        numbers[f"{key}_today_days"] = row["same_window_today_days"]
        numbers[f"{key}_today_low_days"] = row["same_window_ci_low"]
        numbers[f"{key}_today_high_days"] = row["same_window_ci_high"]
    return numbers


def verdict_text(row, tolerance_pct: float = 5.0) -> str:
    """One verdict sentence: both reproduction tests, then the two later tests (and a warning when a
    test sits on a CI bound)."""
    if row.reproduces:
        first = f"Reproduces (within {tolerance_pct:g}%)"
    elif row.within_own_ci:
        off = as_text({"off_pct": abs(row.own_diff_pct)})["off_pct"]
        first = f"Inside its release's interval, but {off} off: reproduces by the interval test only"
    else:
        first = "Does not reproduce by either test"
    second = "survives METR's revisions" if row.survives else "METR's revisions overturned it"
    third = "describes the trend to date" if row.current else "does not describe the trend to date"
    return f"{first}; {second}; {third}" + (" (borderline)" if row.borderline else "")


def verdict_table_text(figures: pd.DataFrame, verdicts: pd.DataFrame, tolerance_pct: float = 5.0) -> pd.DataFrame:
    merged = figures.merge(verdicts, on="figure_id", validate="one_to_one")

    def estimate(value, low, high):
        return f"{format_days(value)} ({format_days(low)}–{format_days(high)})"

    return pd.DataFrame(
        {
            "Figure in circulation": merged["figure"],
            "Source (fact)": [f"{w}, {s} ({f})" for w, s, f in zip(merged["who"], merged["stated"], merged["fact_id"])],
            "Claimed (days)": merged["claimed_days"].map(format_days),
            "From its own release": [estimate(*v) for v in zip(merged["own_release_days"], merged["own_ci_low"], merged["own_ci_high"])],
            "Same window, today's data": [estimate(*v) for v in zip(merged["same_window_today_days"], merged["same_window_ci_low"], merged["same_window_ci_high"])],
            "Same start, to date": [estimate(*v) for v in zip(merged["to_date_days"], merged["to_date_ci_low"], merged["to_date_ci_high"])],
            "Reproduces: within tolerance": np.where(merged["reproduces"], "yes", "no"),
            "Reproduces: inside interval": np.where(merged["within_own_ci"], "yes", "no"),
            "Verdict": [verdict_text(row, tolerance_pct) for row in merged.itertuples()],
            "Source": merged["source_url"],  # shown as a link (chapters.table_html)
        }
    )


def quoted_intervals(horizons: pd.DataFrame, params: Params) -> dict[tuple, tuple[float, float]]:
    """The doubling-time intervals chapter 1 quotes, per (window start, frontier only): the same fits
    from the same named random streams (analysis.chapters.trend.frontier_comparison), so the same
    values to the last digit."""
    out = {}
    for _, since in params.windows:
        for frontier_only in (True, False):
            fit = trend.fit_trend(horizons, since=since, frontier_only=frontier_only, max_minutes=params.max_minutes,
                                  rng=params.rng, n_bootstrap=params.n_bootstrap, confidence=params.confidence)
            out[(since, frontier_only)] = fit.doubling_days_ci
    return out


def with_quoted_intervals(sweep: pd.DataFrame, intervals: dict) -> pd.DataFrame:
    """One quantity, one value: the sweep's fit that starts where a fit the text quotes starts (the
    first model of its selection on or after the window's start; None: the first of all) is the same
    fit on the same models, so it shows the text's interval, not the sweep's own bootstrap of it."""
    out = sweep.copy()
    for (since, frontier_only), (low, high) in intervals.items():
        rows = out[out["frontier_only"] == frontier_only]
        starts = rows["start"] if since is None else rows.loc[rows["start"] >= pd.Timestamp(since), "start"]
        if len(starts):
            out.loc[starts.idxmin(), ["ci_low", "ci_high"]] = [low, high]
    return out


def sweep_points(sweep: pd.DataFrame) -> pd.DataFrame:
    table = sweep.copy()
    table["selection"] = np.where(table["frontier_only"], "Frontier models", "All models")
    for column in ("doubling_days", "ci_low", "ci_high"):
        table[column] = table[column].where(np.isfinite(table[column]))
    table["start_text"] = table["start"].map(format_date)
    table["estimate_text"] = table["doubling_days"].map(lambda d: f"{format_days(d)} days")
    table["ci_text"] = [f"{format_days(lo)}–{format_days(hi)} days" for lo, hi in zip(sweep["ci_low"], sweep["ci_high"])]
    return table


def break_counts(fit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bootstrap break dates binned by quarter, and the point estimate, for the chart."""
    quarters = (DAY0 + pd.to_timedelta(fit.draws["break_days"], unit="D")).dt.to_period("Q")
    share = quarters.value_counts(normalize=True).sort_index()
    counts = pd.DataFrame(
        {
            "quarter": share.index.to_timestamp(),
            "share": share.to_numpy(),
            "quarter_text": [str(q) for q in share.index],
            "share_text": [f"{100 * v:.1f}%" for v in share.to_numpy()],
        }
    )
    estimate = pd.DataFrame({"break_date": [fit.break_date], "label": [f"Estimate: {format_month(fit.break_date)}"]})
    return counts, estimate


def backtest_points(backtest: pd.DataFrame) -> pd.DataFrame:
    table = backtest.copy()
    table["origin_text"] = table["origin"].map(format_date)
    table["error_text"] = table["error_log2"].map(lambda e: f"{e:+.2f} doublings")
    table["covered_text"] = np.where(table["covered"], "yes", "no")
    return table


def backtest_table_text(table: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    merged = table.merge(summary, on="model")
    return pd.DataFrame(
        {
            "Growth model": merged["model"],
            "Parameters": merged["n_params"],
            "ΔAICc (break date = 1 parameter)": [f"{v:.1f}" for v in merged["delta_aicc"]],
            "AICc weight (break date = 1 parameter)": [f"{100 * v:.0f}%" for v in merged["aicc_weight"]],
            "AICc weight (break date = 2 parameters)": [f"{100 * v:.0f}%" for v in merged["weight_2"]],
            "ΔBIC": [f"{v:.1f}" for v in merged["delta_bic"]],
            "Backtest forecasts": merged["forecasts"],
            "Bias (doublings)": [f"{v:+.2f}" for v in merged["bias_log2"]],
            "Mean abs. error (doublings)": [f"{v:.2f}" for v in merged["mae_log2"]],
            "80% interval coverage": [f"{100 * v:.0f}%" for v in merged["coverage"]],
        }
    )


def changelog_points(log: pd.DataFrame) -> pd.DataFrame:
    labels = {name: f"v{suite} ({pd.Timestamp(as_of).day} {pd.Timestamp(as_of):%b %Y})" for name, suite, as_of in
              log[["release", "suite", "as_of"]].drop_duplicates().itertuples(index=False)}
    order = {name: i for i, name in enumerate(log.sort_values("as_of")["release"].drop_duplicates())}
    table = log.copy()
    table["release_label"] = table["release"].map(labels)
    table["release_order"] = table["release"].map(order)
    table["horizon_text"] = table["p50"].map(format_minutes)
    table["ci_text"] = [f"{format_minutes(lo)} to {format_minutes(hi)}" for lo, hi in zip(log["p50_low"], log["p50_high"])]
    return table


def release_doubling_text(table: pd.DataFrame) -> pd.DataFrame:
    def interval(low, high):
        return f"{format_days(low)}–{format_days(high)}"

    return pd.DataFrame(
        {
            "Release": table["label"],
            "Models": table["models"],
            "All time (days)": [f"{v:.1f}" for v in table["all_time_days"]],
            "95% CI": [interval(lo, hi) for lo, hi in zip(table["all_time_low"], table["all_time_high"])],
            "Since 2023 (days)": [f"{v:.1f}" for v in table["since_2023_days"]],
            "95% CI ": [interval(lo, hi) for lo, hi in zip(table["since_2023_low"], table["since_2023_high"])],
            "Since 2024 (days)": [f"{v:.1f}" for v in table["since_2024_days"]],
            "METR published, since 2023": ["" if pd.isna(v) else f"{v:.3f}" for v in table["metr_since_2023"]],
        }
    )


def ratio_points(gap) -> pd.DataFrame:
    return gap.points.assign(ratio_text=gap.points["ratio"].map(lambda r: f"{r:.1f}×"))


def era_lines(exponential: TrendFit, two_eras, grid_points: int) -> pd.DataFrame:
    """The single exponential and the two-era fit, labelled for the legend."""
    one = exponential.line.assign(fit=f"One exponential: doubles every {format_days(exponential.doubling_days)} days")
    two = two_eras.line(grid_points).assign(
        fit=f"Two eras, break {format_month(two_eras.break_date)}: "
        f"{format_days(two_eras.doubling_days_before)} then {format_days(two_eras.doubling_days_after)} days"
    )
    return pd.concat([one, two], ignore_index=True)
