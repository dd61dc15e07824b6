"""Chapter 3, lab timelines as of ``params.as_of``: stated dates mapped to horizon milestones, held
against the arrival distributions of four growth scenarios weighted by chapter 2's backtest; passed
deadlines resolved with what is known since METR's last data file; an in-page explorer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import benchmarks, charts, eras, facts, forecast, intern, metr, nowcast, trend
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import RELIABILITY, milestone_text
from analysis.text import format_date, format_minutes, format_month, format_probability

WEIGHT_CASES = {"stacking": "rule", "judgement": "judgement", "equal": "equal"}  # case -> key part
WEIGHT_LABELS = {"stacking": "Mixture: weights from chapter 2's backtest",
                 "judgement": "Mixture: first release's judgement weights",
                 "equal": "Mixture: equal weights"}


def build(params: Params) -> ChapterResult:
    horizons = metr.load_horizons("1.1")
    sources = metr.load_sources()
    data_as_of = pd.Timestamp(metr.release_as_of(metr.latest_release("1.1", sources), sources))
    as_of = pd.Timestamp(params.as_of)
    if as_of < data_as_of:
        raise ValueError(f"params.as_of {params.as_of} is earlier than the newest data ({data_as_of:%Y-%m-%d})")
    claims = facts.load_claims()
    since = facts.load_since_data()
    facts.check_resolutions(claims, since, params.as_of)
    intern_part = intern_section(claims, params)  # the intern deadline against OpenAI's own claim (below)
    claims = intern_part["claims"]
    status = forecast.claim_status(claims, params.as_of)

    scenarios = list(params.scenarios)
    cases = forecast.weight_cases(horizons, params)
    weights = cases[forecast.WEIGHT_RULE]
    errors = forecast.scenario_errors(horizons, params, forecast.growth_backtest(horizons, params))
    draws = forecast.scenario_draws(horizons, params, params.rng, n_draws=params.n_forecast_draws, weights=weights)
    scatter = forecast.model_scatter_log2(horizons, params)
    milestones = {name: 60 * hours for name, hours in params.milestone_hours().items()}
    arrivals = forecast.arrival_table(draws, milestones, [None, *scenarios])
    reached = forecast.reached_milestones(horizons, milestones)
    probabilities = claim_table(claims, status, horizons, params, data_as_of, draws, scatter, cases)
    latest = horizons.loc[horizons["release_date"].idxmax()]
    fan_dates = pd.date_range(latest["release_date"], params.fan_end, periods=params.fan_points)
    singular = singularity(horizons, draws, params)

    numbers = timeline_numbers(arrivals, reached, probabilities, claims, status, as_of)
    numbers |= weight_numbers(cases)
    numbers |= {f"backtest_rmse_{SCENARIO_CODES[name]}_log2": float(np.sqrt((errors[name] ** 2).mean())) for name in scenarios}
    numbers |= {f"backtest_bias_{SCENARIO_CODES[name]}_signed_log2": float(errors[name].mean()) for name in scenarios}
    numbers |= intern_part["numbers"]
    numbers |= status_numbers(since, data_as_of, as_of, latest)
    numbers |= today_numbers(draws, milestones, as_of, scatter)
    numbers |= {f"singularity_{k}": v for k, v in singular["numbers"].items()}
    stated = claims.set_index("claim_id")
    numbers |= {
        "clark_2028_stated_share": stated.loc["clark_no_human_2028", "stated_probability"],
        "clark_2027_stated_share": stated.loc["clark_no_human_2027", "stated_probability"],
        "cotra_min": 60 * stated.loc["cotra_24h_2026", "milestone_hours"],
        "draws_count": params.n_forecast_draws,
        "ceiling_min": params.max_minutes,
        "latest_model": latest["display_name"],
        "latest_release": format_date(latest["release_date"]),
        "work_week_min": milestones["work-week"],
        "work_month_min": milestones["work-month"],
        "scatter_log2": scatter,
        "scatter_ratio": 2.0**scatter,
        "weights_rule": forecast.WEIGHT_RULE_TEXT,
        "weights_rule_name": "stacking on chapter 2's backtest",
        "backtest_forecasts_count": len(errors),
        "article_week_near_prob": forecast.probability_by(
            stated.loc["article_week_tasks", "stated"] + pd.DateOffset(years=2), draws,
            minutes=60 * stated.loc["article_week_tasks", "milestone_hours"], metric="p50", scatter=scatter),
    }

    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    today_label = f"Today: {format_date(as_of)} (data end {format_date(data_as_of)})"
    explorer, scenario_labels = explorer_draws(draws)
    figures = {
        "fig_fan": charts.fan_chart(
            forecast.fan(draws, fan_dates), observed_points(horizons), scenarios=scenarios, ticks=ticks,
            ceiling_minutes=params.max_minutes,
            ceiling_label=f"{format_minutes(params.max_minutes)}: limit of reliable measurement",
            today=as_of, today_label=today_label, singularity=singular["frame"],
            title="Where the trend goes: projected horizons under four growth scenarios",
            description="Line chart with bands on a log scale: projected 50% or 80% time horizon to 2032 under four growth scenarios (median and 10-90% range), with measured horizons as points, a rule at today's date and the superexponential's infinite-horizon date.",
            width=params.chart_width, height=params.chart_height,
        ),
        "fig_claims": charts.claims_chart(
            claims_points(claims, probabilities), today=as_of, today_label=f"Today: {format_date(as_of)}",
            title="Stated dates against the trend's arrival range",
            description="Dot plot: each claim's target date (diamond if open, square if the deadline has passed; coloured by the probability that a measured model shows the milestone by then) against the 10-90% range of the trend line's arrival, with a rule at today's date.",
            width=params.chart_width - 120,
        ),
        "fig_explorer": charts.arrival_explorer_chart(
            explorer, scenarios=scenario_labels,
            weights={WEIGHT_LABELS[case]: {SCENARIO_CODES[name]: float(w) for name, w in series.items()}
                     for case, series in cases.items()},
            scatter=scatter, hours=params.work_month_hours, max_hours=params.explorer_max_hours,
            presets={f"{label} ({format_minutes(60 * hours)})": hours for label, hours in [
                *params.milestone_hours().items(), ("work-year", params.explorer_max_hours)]},
            by_month=params.explorer_month, first_year=as_of.year - 2, last_year=2036,
            today=as_of, today_label=f"Today: {format_date(as_of)}",
            title="Explore: when is a milestone reached?",
            description="Interactive chart: probability, by the end of each month, that a measured model shows (or the trend line reaches) a chosen number of hours, for a chosen weighting or scenario and reliability level, with a rule at today's date. Tap or hover the line for values.",
            width=params.chart_width,
        ),
    }
    mapping = claims[["who", "claim", "mapping_reason", "caveat"]].rename(
        columns={"who": "Who", "claim": "Claim", "mapping_reason": "Why this milestone", "caveat": "Caveat"})
    tables = {
        "tbl_passed": passed_table_text(claims, status, probabilities, since),
        "tbl_claims": claims_table_text(claims, status, probabilities, scenarios),
        "tbl_arrivals": arrival_table_text(arrivals, reached, as_of),
        "tbl_mapping": mapping,
        "tbl_weights": weights_table_text(cases),
        "tbl_since": since_table_text(since),
        **intern_part["tables"],
    }
    return ChapterResult(page="timelines", numbers=numbers, tables=tables, figures=figures, data={
        "draws": draws, "claims": claims, "status": status, "probabilities": probabilities, "arrivals": arrivals,
        "reached": reached, "weights": cases, "scatter": scatter, "errors": errors, "since": since, "singularity": singular,
        "intern": intern_part["resolution"]})


def claim_table(claims, status, horizons, params, data_as_of, draws, scatter, cases) -> pd.DataFrame:
    """Per claim: per-scenario and mixture probabilities that a measured model shows the milestone by
    the target (claims use this kind), the trend line's probability, the mixture under each weight
    case, and the arrival range. A passed claim whose deadline fell before the data's end uses only
    the models released before its deadline."""
    scenarios = list(params.scenarios)
    rows = []
    for i, claim in claims.iterrows():
        one = claims.loc[[i]]
        use_draws, use_scatter, use_cases = draws, scatter, cases
        if status[i] == "passed" and claim["target_date"] <= data_as_of:
            before = forecast.horizons_before(horizons, claim["target_date"])
            use_cases = forecast.weight_cases(before, params)
            use_draws = forecast.scenario_draws(before, params, params.rng, n_draws=params.n_forecast_draws,
                                                weights=use_cases[forecast.WEIGHT_RULE])
            use_scatter = forecast.model_scatter_log2(before, params)
        model = forecast.claim_probabilities(one, use_draws, [None, *scenarios], scatter=use_scatter)
        line = forecast.claim_probabilities(one, use_draws, [None, *scenarios])
        row = model.iloc[0].to_dict()
        row["line_Mixture"] = line["Mixture"].iloc[0]
        row |= {f"line_{name}": line[name].iloc[0] for name in scenarios}
        for case, series in use_cases.items():
            weights = series.reindex(scenarios).to_numpy()
            row[f"case_{case}"] = float(model[scenarios].iloc[0].to_numpy() @ weights)
            row[f"line_case_{case}"] = float(line[scenarios].iloc[0].to_numpy() @ weights)
        row["data_until"] = min(claim["target_date"], data_as_of)
        rows.append(row)
    return pd.DataFrame(rows)


def singularity(horizons: pd.DataFrame, draws: pd.DataFrame, params: Params) -> dict:
    """The superexponential's infinite-horizon date per reliability level: the least-squares fit's
    point and the 10-90% range of its draws (as a frame for the fan chart and as numbers)."""
    rows, numbers = [], {}
    for metric in trend.METRICS:
        points = trend.select_points(horizons, max_minutes=params.max_minutes, metric=metric)
        x = trend.days_since_origin(points["release_date"])
        fit = eras.fit_superexponential_model(x, np.log2(points[metric].to_numpy(dtype=float)))
        point = forecast.fit_singularity(fit)
        summary = forecast.singularity_summary(draws, metric)
        low, _, high = summary["quantiles"]
        rows.append({"metric": metric, "date": point, "low": low, "high": high,
                     "label": f"Superexponential: infinite horizon, {format_month(point)}"})
        numbers |= {f"{metric}_month": format_month(point),
                    f"{metric}_low": "never" if pd.isna(low) else format_month(low),
                    f"{metric}_high": "never" if pd.isna(high) else format_month(high),
                    f"{metric}_draws_share": summary["share"]}
    return {"frame": pd.DataFrame(rows), "numbers": numbers}


def timeline_numbers(arrivals, reached, probabilities, claims, status, as_of) -> dict[str, float | str]:
    """Arrival months of the trend line for the work-time milestones (mixture), which milestones a
    measured model has already reached, and each claim's probabilities."""
    numbers: dict[str, float | str] = {}
    mixture = arrivals[arrivals["scenario"] == "Mixture"]
    for row in mixture.itertuples():
        key = f"{row.milestone.replace('-', '_')}_{row.metric}"
        for column in ("p10", "median", "p90"):
            value = getattr(row, column)
            numbers[f"{key}_{column}"] = "after the projection" if pd.isna(value) else format_month(value)
        numbers[f"{key}_median_passed"] = "yes" if pd.notna(row.median) and row.median < as_of else "no"
    for row in reached.itertuples():
        key = f"{row.milestone.replace('-', '_')}_{row.metric}"
        if row.reached:
            numbers[f"{key}_reached"] = (f"{row.model} ({format_minutes(row.measured_min)}, "
                                         f"released {format_month(row.release_date)})")
    scenario_codes = {name: code for name, code in SCENARIO_CODES.items()}
    for _, row in probabilities.iterrows():
        cid = row["claim_id"]
        numbers[f"{cid}_prob"] = row["Mixture"]
        if cid == "openai_intern":
            numbers[f"{cid}_share"] = row["Mixture"]  # the key the current landing page quotes
        numbers[f"{cid}_line_prob"] = row["line_Mixture"]
        for name, code in scenario_codes.items():
            numbers[f"{cid}_{code}_prob"] = row[name]
            numbers[f"{cid}_{code}_line_prob"] = row[f"line_{name}"]
        numbers[f"{cid}_judgement_prob"] = row["case_judgement"]
        numbers[f"{cid}_judgement_line_prob"] = row["line_case_judgement"]
        numbers[f"{cid}_equal_prob"] = row["case_equal"]
        numbers[f"{cid}_status"] = "deadline passed" if status[claims["claim_id"] == cid].iloc[0] == "passed" else "open"
    resolved = claims[status == "passed"]
    for claim in resolved.itertuples():
        numbers[f"{claim.claim_id}_resolution"] = claim.resolution
        numbers[f"{claim.claim_id}_resolution_reason"] = claim.resolution_reason
    numbers["claims_count"] = len(claims)
    numbers["claims_passed_count"] = int((status == "passed").sum())
    numbers["claims_open_count"] = int((status == "open").sum())
    numbers["claims_unverified_count"] = int((claims["verified"] == "no").sum())
    return numbers


def weight_numbers(cases: dict[str, pd.Series]) -> dict[str, float]:
    return {f"w_{WEIGHT_CASES[case]}_{SCENARIO_CODES[name]}_share": float(w)
            for case, series in cases.items() for name, w in series.items()}


def status_numbers(since: pd.DataFrame, data_as_of, as_of, latest) -> dict[str, str]:
    """The status line for the landing page and the chapter: the data's date, the report's date, E1-E5."""
    frozen = since.set_index("fact_id")
    return {
        "data_as_of": format_date(data_as_of),
        "as_of": format_date(as_of),
        "data_status": (f"Data as of {format_date(data_as_of)} (METR's file, newest model {latest['display_name']}, "
                        f"released {format_date(latest['release_date'])}); METR's time-horizons page has been frozen "
                        f"since {format_date(frozen.loc['E5', 'date'])} and no METR file holds a model released after "
                        f"April 2026 (E5). This release speaks as of {format_date(as_of)}."),
    }


def today_numbers(draws, milestones, as_of, scatter) -> dict[str, float]:
    """How far the trend, had it held, would have got by today: per milestone, the mixture probability
    that the line has reached it and that a model released today would show it."""
    numbers = {}
    for name, minutes in milestones.items():
        for metric in trend.METRICS:
            key = f"today_{name.replace('-', '_')}_{metric}"
            numbers[f"{key}_line_prob"] = forecast.probability_by(as_of, draws, minutes=minutes, metric=metric)
            numbers[f"{key}_prob"] = forecast.probability_by(as_of, draws, minutes=minutes, metric=metric, scatter=scatter)
    return numbers


def _prob(p: float) -> str:
    return format_probability(p)


def passed_table_text(claims, status, probabilities, since) -> pd.DataFrame:
    """Claims whose deadline has passed: the probability from data before the deadline, what is known
    since, the resolution and its reason."""
    merged = claims[status == "passed"].merge(probabilities, on="claim_id", validate="one_to_one")
    events = since.set_index("fact_id")
    return pd.DataFrame({
        "Who (fact)": [f"{w} ({f})" for w, f in zip(merged["who"], merged["fact_id"])],
        "Claim": merged["claim"],
        "Deadline": merged["target_date"].map(format_month),
        "Mapped to": [milestone_text(h, r) for h, r in zip(merged["milestone_hours"], merged["reliability"])],
        "Probability a measured model shows it, data before the deadline": [
            f"{_prob(p)} (data to {format_date(d)})" for p, d in zip(merged["Mixture"], merged["data_until"])],
        "Known since (unfiled statements)": [
            "; ".join(f"{f}: {events.loc[f, 'event']} ({format_date(events.loc[f, 'date'])})" for f in facts_.split(";") if f)
            for facts_ in merged["resolution_facts"]],
        "Resolution": merged["resolution"],
        "Why": merged["resolution_reason"],
    })


def claims_table_text(claims, status, probabilities, scenarios: list[str]) -> pd.DataFrame:
    merged = claims.assign(status=status).merge(probabilities, on="claim_id", validate="one_to_one")
    merged = merged.sort_values("target_date")
    return pd.DataFrame(
        {
            "Who (fact)": [f"{w} ({f})" for w, f in zip(merged["who"], merged["fact_id"])],
            "Claim": merged["claim"] + np.where(merged["verified"] == "no", " [unverified]", ""),
            "Target": merged["target_date"].map(format_month),
            "Status": merged["status"].map({"passed": "deadline passed", "open": "open"}),
            "Mapped to": [milestone_text(h, r) for h, r in zip(merged["milestone_hours"], merged["reliability"])],
            "Stated odds": merged["stated_probability"].map(lambda p: "" if pd.isna(p) else f"{100 * p:.0f}%"),
            "Measured model: mixture": merged["Mixture"].map(_prob),
            "By scenario (" + " / ".join(SCENARIO_SHORT[s] for s in scenarios) + ")": [
                " / ".join(_prob(v) for v in values) for values in merged[scenarios].to_numpy()],
            "Sensitivity: judgement / equal weights": [
                f"{_prob(j)} / {_prob(e)}" for j, e in zip(merged["case_judgement"], merged["case_equal"])],
            "Trend line: mixture": merged["line_Mixture"].map(_prob),
            "Source": merged["source_url"],  # shown as a link (chapters.table_html)
        }
    )


SCENARIO_SHORT = {"Exponential, all time": "exp. all time", "Exponential, since 2023": "exp. since 2023",
                  "Latest era continues": "latest era", "Superexponential": "superexp."}


def weights_table_text(cases: dict[str, pd.Series]) -> pd.DataFrame:
    table = pd.DataFrame({WEIGHT_LABELS[case]: series for case, series in cases.items()})
    return table.map(lambda w: f"{100 * w:.0f}%").rename_axis("Scenario").reset_index()


def since_table_text(since: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Fact": since["fact_id"],
        "Date": since["date"].map(format_date),
        "What": since["event"],
        "Figures": since["value"],
        "Source": since["source_url"],
        "Caveat": since["caveat"] + np.where(since["verified"] == "no", " [unverified]", ""),
    }).sort_values("Date", key=lambda d: pd.to_datetime(since["date"]))


def claims_points(claims: pd.DataFrame, probabilities: pd.DataFrame) -> pd.DataFrame:
    merged = claims.merge(probabilities, on="claim_id", validate="one_to_one")
    passed = merged["resolution"] != ""
    return pd.DataFrame(
        {
            "label": [f"{o}: {c[:48]}{'…' if len(c) > 48 else ''}" for o, c in zip(merged["organisation"], merged["claim"])],
            "status": np.where(passed, "deadline passed", "open"),
            "target_date": merged["target_date"],
            "arrival_p10": merged["arrival_p10"],
            "arrival_median": merged["arrival_median"],
            "arrival_p90": merged["arrival_p90"],
            "probability": merged["Mixture"],
            "probability_text": merged["Mixture"].map(_prob),
            "milestone_text": [milestone_text(h, r) for h, r in zip(merged["milestone_hours"], merged["reliability"])],
            "claim": merged["claim"],
            "who": merged["who"],
            "resolution": np.where(passed, merged["resolution"], "open"),
            "caveat": merged["caveat"],
        }
    )


def arrival_table_text(arrivals: pd.DataFrame, reached: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per milestone and reliability: reached by a measured model (which, when, how long), or the
    trend line's arrival under the mixture and each scenario (median, 10-90%)."""
    def when(value):
        if pd.isna(value):
            return "beyond the draws"
        return format_month(value) + (" (past)" if value < as_of else "")

    rows = []
    for hit in reached.itertuples():
        chosen = arrivals[(arrivals["milestone"] == hit.milestone) & (arrivals["metric"] == hit.metric)]
        row = {"Milestone": f"{hit.milestone} ({format_minutes(hit.minutes)})", "Reliability": RELIABILITY[hit.metric]}
        if hit.reached:
            row["Measured"] = (f"reached: {hit.model}, released {format_month(hit.release_date)}, "
                               f"measured {format_minutes(hit.measured_min)}")
            row |= {f"Trend line: {scenario}": "" for scenario in chosen["scenario"]}
        else:
            row["Measured"] = "not reached in METR's data"
            for r in chosen.itertuples():
                row[f"Trend line: {r.scenario}"] = f"{when(r.median)} ({when(r.p10)} to {when(r.p90)})"
        rows.append(row)
    return pd.DataFrame(rows)


def observed_points(horizons: pd.DataFrame) -> pd.DataFrame:
    """Measured horizons in long form (one row per model and reliability level) for the fan chart."""
    frames = [
        pd.DataFrame({"metric": metric, "release_date": horizons["release_date"], "horizon_min": horizons[metric],
                      "display_name": horizons["display_name"], "horizon_text": horizons[metric].map(format_minutes)})
        for metric in ("p50", "p80")
    ]
    return pd.concat(frames, ignore_index=True)


SCENARIO_CODES = {
    "Exponential, all time": "exp_all",
    "Exponential, since 2023": "exp_2023",
    "Latest era continues": "latest_era",
    "Superexponential": "super",
}


def _significant(values: pd.Series, digits: int = 6) -> pd.Series:
    return values.map(lambda v: float(f"{v:.{digits}g}") if pd.notna(v) else v)


def explorer_draws(draws: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The parameter draws as the in-browser explorer gets them: scenario codes, six significant
    digits, no stored weights. Returns (draws, code -> label)."""
    table = draws[["scenario", "metric", "kind", "a", "b", "y0", "d0", "shrink", "x0"]].copy()
    table.insert(0, "s", table.pop("scenario").map(SCENARIO_CODES))
    for column in ("a", "b", "y0", "d0", "shrink", "x0"):
        table[column] = _significant(table[column])
    labels = {SCENARIO_CODES[name]: name for name in draws["scenario"].unique()}
    return table, labels


# ------------------------------------------------------------------ the intern deadline (nowcast helper, issue 19)
# Everything about OpenAI's intern claim against the nowcast lives in this block and in analysis/intern.py.


def intern_section(claims: pd.DataFrame, params: Params) -> dict:
    """OpenAI's intern deadline resolved from the nowcast table: the claims frame with the intern's
    resolution recomputed, the numbers the intern subsection quotes, and its two tables."""
    nowcasts = nowcast.nowcast_horizons(params)
    quoted = benchmarks.load_quoted()
    row = claims.set_index("claim_id").loc["openai_intern"]
    resolution = intern.resolve(row, nowcasts, quoted, params)
    claims = claims.copy()
    at = claims["claim_id"] == "openai_intern"
    claims.loc[at, "resolution"] = intern_label(resolution)
    claims.loc[at, "resolution_reason"] = intern_sentence(resolution)
    f, sol = resolution.frontier, resolution.metr_sol
    definitions = intern.load_definitions()
    numbers = {
        "intern_days_low_count": params.intern_days_low,
        "intern_days_high_count": params.intern_days_high,
        "intern_work_day_hours": params.work_day_hours,
        "intern_redefined_low_min": resolution.redefined_low_min,
        "intern_redefined_high_min": resolution.redefined_high_min,
        "intern_first_stated_min": resolution.first_stated_min,
        "intern_frontier_model": f["model"],
        "intern_frontier_release": format_date(f["release_date"]),
        "intern_frontier_p50_min": f["p50_pred"],
        "intern_frontier_low_min": f["p50_low"],
        "intern_frontier_high_min": f["p50_high"],
        "intern_level_share": f["level"],
        "intern_redefined_low_prob": resolution.p_redefined_low,
        "intern_redefined_high_prob": resolution.p_redefined_high,
        "intern_first_stated_prob": resolution.p_first_stated,
        "intern_bridge_only_prob": resolution.p_redefined_low_bridge_only,
        "intern_classical_prob": resolution.p_redefined_low_classical,
        "intern_redefined_words": intern.likelihood_words(resolution.p_redefined_low),
        "intern_redefined_status": resolution.redefined_status,
        "intern_first_stated_status": resolution.first_stated_status,
        "intern_nowcast_count": len(resolution.candidates),
        "intern_sol_metr_min": float(sol["value"]),
        "intern_widening_share": float(f["calibration_factor"]) - 1,
        "intern_claim_date": format_date(definitions.loc["redefined", "date"]),
        "intern_resolution_text": intern_sentence(resolution),
    }
    wordings = pd.DataFrame({
        "Version": definitions["label"], "Fact": definitions["fact_id"], "Wording": definitions["wording"],
        "Caveat": definitions["caveat"] + np.where(definitions["verified"] == "no", " [unverified]", ""),
        "Source": definitions["source_url"],
    })
    levels = (resolution.redefined_low_min, resolution.redefined_high_min, resolution.first_stated_min)
    candidates = resolution.candidates.sort_values("release_date")
    evidence = pd.DataFrame({
        "Model (released)": [f"{m} ({format_date(d)})" for m, d in zip(candidates["model"], candidates["release_date"])],
        "Where the horizon comes from": "nowcast from " + candidates["eci_source"],
        "50% horizon": candidates["p50_pred"].map(format_minutes),
        f"{100 * f['level']:.0f}% interval": [f"{format_minutes(a)} to {format_minutes(b)}"
                                              for a, b in zip(candidates["p50_low"], candidates["p50_high"])],
        **{f"P(at least {format_minutes(m)})": [format_probability(intern.probability_at_least(r, m))
                                                 for _, r in candidates.iterrows()] for m in levels},
    })
    metr_row = {column: "" for column in evidence.columns} | {
        "Model (released)": "GPT-5.6 Sol (METR, before release)",
        "Where the horizon comes from": "METR's standard scoring; not a robust measurement (E2)",
        "50% horizon": format_minutes(sol["value"]),
        f"{100 * f['level']:.0f}% interval": f"{format_minutes(sol['low'])} to {format_minutes(sol['high'])} (95% CI)"}
    evidence = pd.concat([evidence, pd.DataFrame([metr_row])], ignore_index=True)
    return {"claims": claims, "numbers": numbers, "resolution": resolution,
            "tables": {"tbl_intern_wordings": wordings, "tbl_intern_evidence": evidence}}


def intern_label(r: intern.Resolution) -> str:
    """The intern's resolution in a few words (the claims table's "Resolution" cell)."""
    why_first = "OpenAI's own figures" if r.autonomy_contradicted else "nowcast"
    return (f"as redefined: {r.redefined_status} ({intern.likelihood_words(r.p_redefined_low)} on the nowcast, "
            f"not measured); as first stated: {r.first_stated_status} ({why_first})")


def intern_sentence(r: intern.Resolution) -> str:
    """Why: the resolution's reasoning, every number from the nowcast table and the quoted figures."""
    f = r.frontier
    sol = r.metr_sol
    sol_where = ("below" if sol["value"] < r.redefined_low_min else
                 "above" if sol["value"] > r.redefined_high_min else "inside")
    redefined = {intern.SUPPORTED: "supported by the nowcast, though not measured",
                 intern.UNDECIDED: "neither supported nor contradicted by the nowcast",
                 intern.NOT_SUPPORTED: "not supported by the nowcast"}[r.redefined_status]
    share = "half" if r.interventions_share == 0.5 else format_probability(r.interventions_share)
    autonomy = (f"OpenAI's own figures contradict autonomy: over {share} of its successful tasks of up to "
                f"{r.intervention_task_high_min / 60:g} hours needed a human intervention (F3)"
                if r.autonomy_contradicted else
                "OpenAI's own figures do not settle autonomy (F3)")
    first = {intern.NOT_SUPPORTED: "not met as first stated", intern.UNDECIDED: "undecided as first stated",
             intern.SUPPORTED: "consistent with the first statement's horizon"}[r.first_stated_status]
    return (
        f"As redefined (F1), the intern does tasks of a few days' expert work under direction: "
        f"{format_minutes(r.redefined_low_min)} to {format_minutes(r.redefined_high_min)}. The strongest model "
        f"released by the deadline, {f['model']} ({format_date(f['release_date'])}), has a nowcast 50% horizon of "
        f"{format_minutes(f['p50_pred'])} ({100 * f['level']:.0f}% interval {format_minutes(f['p50_low'])} to "
        f"{format_minutes(f['p50_high'])}; Epoch's index read through the report's bridge, not a measurement): it is "
        f"{intern.likelihood_words(r.p_redefined_low)} ({format_probability(r.p_redefined_low)}) that a METR-style "
        f"measurement would reach {format_minutes(r.redefined_low_min)} and "
        f"{intern.likelihood_words(r.p_redefined_high)} ({format_probability(r.p_redefined_high)}) that it would "
        f"reach {format_minutes(r.redefined_high_min)}. METR's only later figure, {format_minutes(sol['value'])} "
        f"for GPT-5.6 Sol, lies {sol_where} that range and is not robust (E2). The claim as redefined is "
        f"{redefined}. As first stated, an autonomous intern at a work-week "
        f"({format_minutes(r.first_stated_min)} at 50%), it is {intern.likelihood_words(r.p_first_stated)} "
        f"({format_probability(r.p_first_stated)}) that the frontier had the horizon, and {autonomy}: {first}."
    )
