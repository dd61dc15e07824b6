"""The closing chapter, "What to watch": training compute, the instrument, and the roles.

The whole computation of ``book/watch.md``: Epoch's training compute (frontier growth, where the data
stop being complete), the horizon against compute, a compute-constraint scenario, and the sourced facts
about METR's instrument that the prose quotes. Numbers are raw here; ``ChapterResult.text`` formats them.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from analysis import charts, compute, epoch, eras, facts, metr, trend
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.text import as_text, format_date, format_days, format_flop, format_minutes, format_month

HORIZON_WINDOW_START = "2023-01-01"  # chapter 1's window, the one the article's question is about
SUITE_LABELS = {"1.1": "Time Horizon 1.1 (current)", "1.0": "Time Horizon 1.0 (original)"}


def _interval(numbers: dict, key: str, value: float, ci: tuple[float, float], suffix: str) -> None:
    numbers[f"{key}_{suffix}"] = value
    numbers[f"{key}_low_{suffix}"] = ci[0]
    numbers[f"{key}_high_{suffix}"] = ci[1]


def _ci_text(low: float, high: float) -> str:
    return f"{format_days(low)}–{format_days(high)}"


def _quoted_value(value: float, unit: str) -> str:
    if pd.isna(value):
        return ""
    if unit == "USD":
        return as_text({"x_usd_scale": value})["x_usd_scale"]
    return f"{value:g} {unit}"


def compute_windows(params: Params, break_date: pd.Timestamp, cutoff: pd.Timestamp | None):
    """(key, label, since, until) of the compute fits: long run, the two horizon eras, chapter 1's window."""
    return [
        ("long_run", f"Since {pd.Timestamp(params.compute_fit_start).year}", params.compute_fit_start, cutoff),
        ("before_break", "Before the horizon break", params.compute_era_start, break_date),
        ("after_break", "After the horizon break", break_date, cutoff),
        ("recent", "Since 2023 (chapter 1's window)", HORIZON_WINDOW_START, cutoff),
    ]


def build(params: Params) -> ChapterResult:
    numbers: dict[str, float | str] = {}
    tables: dict[str, pd.DataFrame] = {}
    figures: dict = {}
    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)

    # ---------------------------------------------------------------- inputs
    models = epoch.load_training_compute()
    metr_compute = epoch.load_metr_compute()
    horizons = metr.load_horizons("1.1")
    horizons_v10 = metr.load_horizons("1.0")
    quoted = facts.load_quoted(page="watch").set_index("item_id")

    # ---------------------------------------------------------------- the horizon's own trend (chapters 1-2)
    trend_fit = trend.fit_trend(horizons, since=HORIZON_WINDOW_START, max_minutes=params.max_minutes,
                                rng=params.rng, n_bootstrap=params.n_bootstrap,
                                confidence=params.confidence, grid_points=params.fit_grid_points)
    horizon_points = trend.select_points(horizons, since=HORIZON_WINDOW_START, max_minutes=params.max_minutes)
    # chapter 1's own draws: the stream is named after the points it resamples
    stream_name = trend.bootstrap_stream_name(trend.days_since_origin(horizon_points["release_date"]),
                                              np.log2(horizon_points["p50"].to_numpy(dtype=float)))
    horizon_growth = compute.fit_log2_growth(
        horizon_points["release_date"], horizon_points["p50"], rng=params.rng(stream_name),
        n_bootstrap=params.n_bootstrap, confidence=params.confidence, window="horizon since 2023",
        since=HORIZON_WINDOW_START,
    )
    breakpoint_fit = eras.fit_breakpoint(
        horizons, max_minutes=params.max_minutes, min_segment=params.break_min_segment,
        grid_step_days=params.break_grid_days, rng=params.rng, n_bootstrap=params.n_break_bootstrap,
        confidence=params.confidence,
    )
    break_date = breakpoint_fit.break_date
    _interval(numbers, "horizon_doubling", trend_fit.doubling_days, trend_fit.doubling_days_ci, "days")
    _interval(numbers, "era_doubling", breakpoint_fit.doubling_days_after, breakpoint_fit.doubling_days_after_ci, "days")
    numbers["break_date"] = format_date(break_date)
    numbers["article_doubling_days"] = float(quoted.loc["article_doubling_days", "value"])

    # ---------------------------------------------------------------- compute frontier and completeness
    frontier = compute.running_frontier(models, params.compute_frontier_top_k)
    coverage = compute.coverage_by_half_year(models, params.frontier_labs, since=params.compute_coverage_since)
    cutoff = compute.coverage_cutoff(coverage, params.compute_coverage_floor)
    if cutoff is None:  # the data are complete to the end: fit up to the newest model
        cutoff = models["publication_date"].max() + pd.Timedelta(days=1)
    numbers["cutoff_date"] = format_date(cutoff)
    numbers["cutoff_month"] = format_month(cutoff)
    numbers["coverage_floor_share"] = params.compute_coverage_floor
    numbers["coverage_start"] = format_date(params.compute_coverage_since)
    numbers["top_k_count"] = params.compute_frontier_top_k
    numbers["frontier_labs_list"] = ", ".join(params.frontier_labs)
    sources = epoch.load_sources().set_index("source_id")
    numbers["epoch_as_of"] = format_date(sources.loc[epoch.MODEL_SOURCES[0], "as_of"])
    numbers["epoch_models_count"] = len(models)
    numbers["models_with_compute_count"] = int(models["training_compute_flop"].notna().sum())
    after = coverage[coverage["half"] >= cutoff]
    numbers["after_cutoff_models_count"] = int(after["n_models"].sum())
    numbers["after_cutoff_with_compute_count"] = int(after["n_with_compute"].sum())
    before_cut = coverage[coverage["half"] < cutoff]
    numbers["before_cutoff_share"] = float(before_cut["n_with_compute"].sum() / before_cut["n_models"].sum())
    numbers["after_cutoff_share"] = float(after["n_with_compute"].sum() / after["n_models"].sum())
    largest = frontier.loc[frontier["training_compute_flop"].idxmax()]
    numbers["largest_model"] = largest["model"]
    numbers["largest_flop"] = float(largest["training_compute_flop"])
    numbers["largest_date"] = format_date(largest["publication_date"])

    fits = {}
    for key, label, since, until in compute_windows(params, break_date, cutoff):
        fits[key] = compute.fit_compute_growth(
            frontier, since=since, until=until, rng=params.rng(f"compute/frontier/{key}"),
            n_bootstrap=params.n_compute_bootstrap, confidence=params.confidence, window=label,
        )
        if key != "long_run":  # the eras and chapter 1's window, in months as the prose gives them
            _interval(numbers, f"{key}_doubling", fits[key].doubling_months, fits[key].doubling_months_ci, "months")
    long_run = fits["long_run"]
    _interval(numbers, "long_run_doubling", long_run.doubling_days, long_run.doubling_days_ci, "days")
    numbers["long_run_doubling_months"] = long_run.doubling_months
    numbers["long_run_growth_ratio"] = long_run.growth_per_year
    numbers["long_run_frontier_count"] = long_run.n
    numbers["after_break_frontier_count"] = fits["after_break"].n
    numbers["compute_era_start"] = format_date(params.compute_era_start)
    numbers["compute_fit_year"] = str(pd.Timestamp(params.compute_fit_start).year)

    # ---------------------------------------------------------------- horizon against compute
    pairs = compute.horizon_compute_pairs(horizons, metr_compute, "1.1")
    slope = compute.fit_horizon_on_compute(pairs, rng=params.rng("compute/horizon_on_compute/v1.1"),
                                           n_bootstrap=params.n_compute_bootstrap, confidence=params.confidence)
    pairs_v10 = compute.horizon_compute_pairs(horizons_v10, metr_compute, "1.0")
    slope_v10 = compute.fit_horizon_on_compute(pairs_v10, rng=params.rng("compute/horizon_on_compute/v1.0"),
                                               n_bootstrap=params.n_compute_bootstrap, confidence=params.confidence)
    _interval(numbers, "horizon_per_compute", slope.slope, slope.slope_ci, "slope")
    _interval(numbers, "horizon_per_compute_v10", slope_v10.slope, slope_v10.slope_ci, "slope")
    numbers["pairs_count"] = slope.n
    numbers["pairs_v10_count"] = slope_v10.n
    numbers["pairs_models"] = ", ".join(pairs["display_name"])
    numbers["metr_models_count"] = len(horizons)
    recent_pairs = pairs[pairs["release_date"] >= pd.Timestamp(HORIZON_WINDOW_START)]
    numbers["recent_pairs_count"] = len(recent_pairs)
    numbers["early_pairs_count"] = len(pairs) - len(recent_pairs)

    recent = fits["recent"]
    share_draws = compute.compute_share(*compute.paired(slope.slope_draws, recent.rate_draws, horizon_growth.rate_draws))
    share_point = float(compute.compute_share(slope.slope, recent.rate_per_year, horizon_growth.rate_per_year))
    _interval(numbers, "compute_alone", share_point, trend.percentile_interval(share_draws, params.confidence), "share")
    numbers["other_sources_share"] = 1 - share_point
    numbers["horizon_rate_per_year"] = horizon_growth.rate_per_year
    numbers["recent_compute_rate_per_year"] = recent.rate_per_year
    numbers["compute_driven_rate_per_year"] = slope.slope * recent.rate_per_year
    # the share above is arithmetic on two time trends; with release date as a covariate (issue 20):
    covariate = compute.fit_horizon_on_compute_and_date(pairs)
    numbers["covariate_compute_signed_log2"] = covariate.compute_coef
    numbers["covariate_compute_se_log2"] = covariate.compute_se
    numbers["covariate_date_per_year"] = covariate.date_coef_per_year
    numbers["covariate_pairs_count"] = covariate.n

    # ---------------------------------------------------------------- the constraint scenario
    before_usd = params.compute_commitment_before_usd
    after_usd = params.compute_commitment_after_usd
    cut = compute.commitment_cut_doublings(before_usd, after_usd, params.compute_spend_elasticity)
    years = compute.years_between(params.compute_reset_date, params.compute_commitment_end)
    numbers["commitment_before_usd_scale"] = before_usd
    numbers["commitment_after_usd_scale"] = after_usd
    numbers["commitment_cut_pct"] = 100 * (1 - after_usd / before_usd)
    numbers["cut_doublings"] = cut
    numbers["scenario_years"] = years
    numbers["rate_cut_doublings"] = cut / years
    numbers["spend_elasticity_slope"] = params.compute_spend_elasticity
    numbers["reset_date"] = format_date(params.compute_reset_date)
    numbers["commitment_end_date"] = format_date(params.compute_commitment_end)
    scenarios = compute.constraint_scenarios(horizon=horizon_growth, slope=slope, compute=recent,
                                             cut_doublings=cut, years=years, confidence=params.confidence)
    observed, reset, frozen = scenarios
    _interval(numbers, "constrained_doubling", reset.doubling_days, reset.doubling_days_ci, "days")
    _interval(numbers, "frozen_doubling", frozen.doubling_days, frozen.doubling_days_ci, "days")
    numbers["constrained_change_pct"] = 100 * (reset.doubling_days / observed.doubling_days - 1)
    numbers["frozen_change_pct"] = 100 * (frozen.doubling_days / observed.doubling_days - 1)

    # ---------------------------------------------------------------- the instrument (sourced facts)
    numbers["ceiling_hours"] = float(quoted.loc["ceiling_hours", "value"])
    numbers["frontier_risk_hours"] = float(quoted.loc["frontier_risk_p50_hours", "value"])
    numbers["sol_standard_hours"] = float(quoted.loc["sol_standard_hours", "value"])
    numbers["sol_cheating_hours"] = float(quoted.loc["sol_cheating_counted_hours", "value"])
    numbers["sol_cheating_ratio"] = numbers["sol_cheating_hours"] / numbers["sol_standard_hours"]
    numbers["expenditure_date"] = format_date(quoted.loc["expenditure_horizon", "date"])
    numbers["page_frozen_date"] = format_date(quoted.loc["page_frozen", "date"])
    numbers["last_data_date"] = format_date(quoted.loc["last_data_file", "date"])
    latest = horizons.sort_values("release_date").iloc[-1]
    numbers["latest_metr_model"] = latest["display_name"]
    numbers["latest_metr_release_date"] = format_date(latest["release_date"])
    numbers["commitment_before_date"] = format_date(quoted.loc["commitment_before_usd", "date"])
    numbers["above_ceiling_count"] = int((horizons["p50"] > params.max_minutes).sum())

    # ---------------------------------------------------------------- tables
    tables["tbl_watch_coverage"] = pd.DataFrame({
        "Half-year": [f"{h.year} {'H1' if h.month == 1 else 'H2'}" for h in coverage["half"]],
        "Frontier-lab models": coverage["n_models"],
        "with compute": coverage["n_with_compute"],
        "without": coverage["n_without_compute"],
        "Share with compute": [f"{100 * s:.0f}%" for s in coverage["share_with_compute"]],
    })
    tables["tbl_watch_compute"] = pd.DataFrame([
        {"Window": fit.window, "Frontier models": fit.n,
         "Doubling time (months)": f"{fit.doubling_months:.1f}",
         "95% interval (months)": f"{fit.doubling_months_ci[0]:.1f}–{fit.doubling_months_ci[1]:.1f}",
         "Growth a year": f"{fit.growth_per_year:.1f}×"}
        for fit in fits.values()
    ])
    lost = (0.0, cut / years, recent.rate_per_year)  # compute doublings a year each scenario takes away
    tables["tbl_watch_scenarios"] = pd.DataFrame([
        {"Scenario": s.name, "Compute doublings lost a year": as_text({"x_doublings": lost_rate})["x_doublings"],
         "Horizon doubling time (days)": format_days(s.doubling_days),
         "95% interval (days)": _ci_text(*s.doubling_days_ci)}
        for s, lost_rate in zip(scenarios, lost)
    ])
    quoted_rows = quoted.reset_index()
    tables["tbl_watch_quoted"] = pd.DataFrame({
        "Fact": quoted_rows["fact_id"],
        "Statement": quoted_rows["label"],
        "Value": [_quoted_value(v, u) for v, u in zip(quoted_rows["value"], quoted_rows["unit"])],
        "Dated": [format_month(d) if precision == "month" else format_date(d)
                  for d, precision in zip(quoted_rows["date"], quoted_rows["date_precision"])],
        "Source": quoted_rows["source_url"],
        "Verified": quoted_rows["verified"],
        "Caveat": quoted_rows["caveat"],
    })

    # ---------------------------------------------------------------- figures
    shown = frontier[(frontier["publication_date"] >= pd.Timestamp(params.compute_fit_start))
                     & (frontier["frontier"] | (frontier["training_compute_flop"] >= params.compute_chart_min_flop))]
    frontier_label = f"At the compute frontier (top {params.compute_frontier_top_k} so far)"
    compute_points = pd.DataFrame({
        "model": shown["model"], "organization": shown["organization"], "date": shown["publication_date"],
        "compute_flop": shown["training_compute_flop"],
        "status": np.where(shown["frontier"], frontier_label, "Other models with compute"),
        "date_text": [format_date(d) for d in shown["publication_date"]],
        "compute_text": [format_flop(v) for v in shown["training_compute_flop"]],
        "confidence": shown["confidence"].replace("", "not given"),
    })
    compute_lines = pd.concat(
        [fits[key].line().assign(window=fits[key].window) for key in ("long_run", "before_break", "after_break")],
        ignore_index=True,
    )
    cutoff_frame = pd.DataFrame({"date": [cutoff], "label": [f"Incomplete from {format_month(cutoff)}"]})
    figures["fig_watch_compute"] = charts.compute_frontier_chart(
        compute_points, compute_lines, cutoff_frame,
        title=f"Frontier training compute grew about {as_text(numbers)['long_run_growth_ratio']} a year until the data thin out",
        description=("Scatter on a log axis: training compute of models with an Epoch estimate since "
                     f"{params.compute_fit_start[:4]} (frontier models, and others from {format_flop(params.compute_chart_min_flop)}), "
                     f"the running top {params.compute_frontier_top_k} highlighted, "
                     "with fitted trends per window and a dashed line where the data stop being complete. "
                     "Tap or hover a point for the model."),
        height=params.chart_height,
    )
    slope_points = pd.concat([
        frame.assign(suite=SUITE_LABELS[suite]) for suite, frame in (("1.1", pairs), ("1.0", pairs_v10))
    ], ignore_index=True)
    slope_points = pd.DataFrame({
        "display_name": slope_points["display_name"], "compute_flop": slope_points["training_compute_flop"],
        "horizon_min": slope_points["p50"], "suite": slope_points["suite"],
        "release_text": [format_date(d) for d in slope_points["release_date"]],
        "compute_text": [format_flop(v) for v in slope_points["training_compute_flop"]],
        "horizon_text": [format_minutes(v) for v in slope_points["p50"]],
    })
    figures["fig_watch_slope"] = charts.horizon_compute_chart(
        slope_points, slope.line(), ticks=ticks,
        title="Across models, the horizon grows with training compute, loosely",
        description=("Log-log scatter: METR's 50% horizon against Epoch's training-compute estimate for the "
                     "models that have both, on the current and the original task suite, with the fitted line "
                     "(current suite) and its 95% band. Tap or hover a point for the model."),
        height=params.chart_height,
    )
    paths_table = compute.scenario_paths(scenarios, horizon_growth, start=params.compute_reset_date,
                                         end=params.compute_commitment_end)
    paths_table["date_text"] = [format_month(d) for d in paths_table["date"]]
    paths_table["horizon_text"] = [format_minutes(v) for v in paths_table["fitted_min"]]
    observed_points = pd.DataFrame({
        "display_name": horizon_points["display_name"], "release_date": horizon_points["release_date"],
        "horizon_min": horizon_points["p50"],
        "release_text": [format_date(d) for d in horizon_points["release_date"]],
        "horizon_text": [format_minutes(v) for v in horizon_points["p50"]],
    })
    figures["fig_watch_scenario"] = charts.constraint_scenario_chart(
        paths_table, observed_points, ticks=ticks,
        title="The commitment reset barely moves the projection; frozen compute would",
        description=("Projected 50% horizon from the reset date to the end of 2030 under three scenarios "
                     "(observed trend, compute slowed by the commitment reset, compute frozen), each with a 95% "
                     f"band, after the frontier models of chapter 1's window, and a rule at today's date ({format_date(params.as_of)}). "
                     "Tap or hover a line for values."),
        height=params.chart_height,
        today=pd.Timestamp(params.as_of), today_label="Today",
    )

    return ChapterResult(
        page="watch", numbers=numbers, tables=tables, figures=figures,
        data={"fits": fits, "slope": slope, "slope_v10": slope_v10, "scenarios": scenarios, "coverage": coverage,
              "cutoff": cutoff, "trend_fit": trend_fit, "horizon_growth": horizon_growth, "breakpoint": breakpoint_fit,
              "pairs": pairs, "quoted": quoted, "share_draws": share_draws, "frontier": frontier},
    )
