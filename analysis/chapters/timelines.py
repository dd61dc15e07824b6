"""Chapter 3, lab timelines as of ``params.as_of``: stated dates mapped to horizon milestones, held
against the arrival distributions of four growth scenarios weighted by chapter 2's backtest; passed
deadlines resolved with what is known since METR's last data file; an in-page explorer."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from analysis import benchmarks, charts, claim_ranges, eras, facts, forecast, intern, metr, nowcast, trend
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import RELIABILITY, milestone_text
from analysis.text import (format_date, format_minutes, format_month, format_probability, format_probability_short,
                           format_quoted_hours)

WEIGHT_CASES = {"stacking": "rule", "judgement": "judgement", "equal": "equal", "headline": "headline"}  # case -> key part
WEIGHT_LABELS = {"headline": "Mixture: headline weights (stacking, averaged over origins)",
                 "stacking": "Mixture: stacking point estimate",
                 "judgement": "Mixture: first release's judgement weights",
                 "equal": "Mixture: equal weights"}
RULE_CODES = {"headline": "headline", "stacking": "stacking", "regularised stacking": "regularised",
              "AICc": "aicc", "equal among not rejected": "not_rejected", "last-k origins": "last_k",
              "judgement": "judgement", "equal": "equal", "headline + post-May evidence": "evidence"}
STEP_CODES = {"trend only": "trend_only", "+ weight uncertainty": "weights", "+ trend change": "change",
              "+ mapping": "mapping", "+ transfer": "transfer", "+ calibration widening": "widening"}
# the decomposition chart's column heads: short enough to stand upright on a 360 px phone
STEP_SHORT = {"+ weight uncertainty": "+ weights", "+ calibration widening": "+ widening"}
EVIDENCE_RULE = "headline + post-May evidence"
SENSITIVITY_CLAIMS = ("openai_researcher", "clark_no_human_2028", "article_month_projects")
KIND_LABELS = {"crossing": "date a threshold is first shown", "horizon": "horizon of a later frontier model"}


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
    ranges = claim_ranges.load(claim_ids=claims["claim_id"])
    circulation = claim_ranges.load_circulation(claim_ids=claims["claim_id"])

    scenarios = list(params.scenarios)
    out = forecast.outlook(horizons, params)
    rules = out.rules
    cases = {case: rules.loc[case].rename("weight") for case in ("headline", "stacking", "judgement", "equal")}
    errors = forecast.scenario_errors(horizons, params, forecast.growth_backtest(horizons, params))
    draws = forecast.base_draws(out)  # the outlook's parameter draws, once each, with the headline weights
    scatter = out.scatter
    milestones = {name: 60 * hours for name, hours in params.milestone_hours().items()}
    arrivals = forecast.arrival_table(draws, milestones, [None, *scenarios])
    reached = forecast.reached_milestones(horizons, milestones)
    probabilities = claim_table(claims, status, horizons, params, data_as_of, draws, scatter, cases)
    latest = horizons.loc[horizons["release_date"].idxmax()]
    fan_dates = pd.date_range(latest["release_date"], params.fan_end, periods=params.fan_points)
    singular = singularity(horizons, draws, params)

    record = forecast.calibration(params, horizons=horizons)
    widen = forecast.calibration_widening(horizons, params)
    evidence = post_may_evidence(horizons, out, params)
    # a sensitivity rule: the headline weights updated by the post-May evidence's log scores (Bayes' rule
    # with the headline as prior); not the headline, because the nowcasts share one bridge
    updated = rules.loc["headline"] * np.exp(evidence["combined"] - evidence["combined"].max())
    rules = pd.concat([rules, (updated / updated.sum()).rename(EVIDENCE_RULE).to_frame().T])
    out = replace(out, rules=rules)
    decomposed = decompositions(claims, ranges, horizons, out, params, data_as_of, widen)
    headline = decomposed["headline"]

    numbers = timeline_numbers(arrivals, reached, probabilities, claims, status, as_of)
    numbers |= headline_numbers(decomposed, claims, status)
    numbers |= weight_numbers(cases)
    numbers |= rule_weight_numbers(rules, out.replicates)
    numbers |= {f"backtest_rmse_{SCENARIO_CODES[name]}_log2": float(np.sqrt((errors[name] ** 2).mean())) for name in scenarios}
    numbers |= {f"backtest_bias_{SCENARIO_CODES[name]}_signed_log2": float(errors[name].mean()) for name in scenarios}
    numbers |= intern_part["numbers"]
    numbers |= status_numbers(since, data_as_of, as_of, latest)
    numbers |= today_numbers(draws, milestones, as_of, scatter)
    numbers |= {f"singularity_{k}": v for k, v in singular["numbers"].items()}
    numbers |= change_numbers(out, horizons, params)
    numbers |= calibration_numbers(record, widen, params)
    sensitivity = sensitivity_table(claims, ranges, out, params, widen, record)
    numbers |= sensitivity["numbers"]
    numbers |= evidence["numbers"]
    circulating = circulation_table(circulation, claims, ranges, out, params, widen, headline)
    numbers |= circulating["numbers"]
    stated = claims.set_index("claim_id")
    numbers |= {
        "clark_2028_stated_share": stated.loc["clark_no_human_2028", "stated_probability"],
        "clark_2027_stated_share": stated.loc["clark_no_human_2027", "stated_probability"],
        "cotra_min": 60 * stated.loc["cotra_24h_2026", "milestone_hours"],
        "draws_count": params.n_forecast_draws,
        "histories_count": params.trend_change_histories,
        "weight_bootstrap_count": params.weight_bootstrap_draws,
        "regularised_alpha_index": params.regularised_stacking_alpha,
        "last_k_count": params.weight_last_k_origins,
        "reject_level_share": params.weight_reject_level,
        "calibration_draws_count": params.calibration_draws,
        "calibration_weight_draws_count": params.calibration_weight_draws,
        "transfer_low_doublings": params.transfer_gap_log2[0],
        "transfer_high_doublings": params.transfer_gap_log2[1],
        "ceiling_min": params.max_minutes,
        "latest_model": latest["display_name"],
        "latest_release": format_date(latest["release_date"]),
        "work_week_min": milestones["work-week"],
        "work_month_min": milestones["work-month"],
        "scatter_log2": scatter,
        "scatter_ratio": 2.0**scatter,
        "weights_rule": forecast.RULE_TEXT["headline"],
        "weights_rule_name": "stacking on chapter 2's backtest, averaged over a Bayesian bootstrap of its origins",
        "backtest_forecasts_count": len(errors),
        "backtest_origins_count": errors.index.get_level_values("origin").nunique(),
        "article_week_near_prob": decomposed["near_week"],
        "unmeasurable_open_count": int(((ranges.set_index("claim_id").loc[claims.loc[status == "open", "claim_id"], "hours_low"] * 60)
                                        > params.max_minutes).sum()),
        "open_claims_count": int((status == "open").sum()),
    }

    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    today_label = f"Today: {format_date(as_of)}"
    explorer, scenario_labels = explorer_draws(draws)
    figures = {
        "fig_fan": charts.fan_chart(
            forecast.fan(draws, fan_dates), observed_points(horizons), scenarios=scenarios, ticks=ticks,
            ceiling_minutes=params.max_minutes,
            ceiling_label=f"{format_minutes(params.max_minutes)}: METR's reliability limit",
            today=as_of, today_label=today_label, singularity=singular["frame"],
            title="Where the trend goes: projected horizons under four growth scenarios",
            subtitle=f"Points: METR's measurements, data to {format_date(data_as_of)}; lines and bands after them: projections",
            description="Line chart with bands on a log scale: projected 50% or 80% time horizon to 2032 under four growth scenarios at fixed rates (median and 10-90% range), with measured horizons as points, a rule at today's date and the superexponential's infinite-horizon date.",
            width=params.chart_width, height=params.chart_height,
        ),
        "fig_claims": charts.claims_chart(
            claims_points(claims, probabilities, headline), today=as_of, today_label=f"Today: {format_date(as_of)}",
            title="Stated dates against the trend's arrival range",
            description="Dot plot: each claim's target date (diamond if open, square if the deadline has passed; coloured by the headline probability that a measured model shows the milestone by then) against the 10-90% range of the trend line's arrival at fixed rates, with a rule at today's date.",
            width=params.chart_width - 120,
        ),
        "fig_explorer": charts.arrival_explorer_chart(
            explorer, scenarios=scenario_labels,
            weights={WEIGHT_LABELS[case]: {SCENARIO_CODES[name]: float(w) for name, w in cases[case].items()}
                     for case in ("headline", "stacking", "judgement", "equal")},
            scatter=scatter, hours=params.work_month_hours, max_hours=params.explorer_max_hours,
            presets={f"{label} ({format_minutes(60 * hours)})": hours for label, hours in [
                *params.milestone_hours().items(), ("work-year", params.explorer_max_hours)]},
            by_month=params.explorer_month, first_year=as_of.year - 2, last_year=2036,
            today=as_of, today_label=f"Today: {format_date(as_of)}",
            title="Explore: when is a milestone reached (fixed growth rates)?",
            description="Interactive chart: probability, by the end of each month, that a measured model shows (or the trend line reaches) a chosen number of hours, for a chosen weighting or scenario and reliability level, at fixed growth rates, with a rule at today's date. Tap or hover the line for values.",
            width=params.chart_width,
        ),
        "fig_calibration": charts.calibration_chart(
            calibration_points(record), level_text="80%", level=0.8,
            title="Calibration record: how often the procedure's 80% intervals held",
            description="Dot plot: share of the procedure's 80% intervals, rerun at past quarterly origins on the data of each origin, that contained the outcome, by lead time and kind of target, with a dashed rule at 80%.",
            width=params.chart_width - 100,
        ),
        "fig_decomposition": charts.decomposition_chart(
            decomposition_points(decomposed["steps"], claims, status),
            title="What each source of uncertainty does to the open claims",
            description="Heat map: for each open claim (rows), the probability that a measured model shows its milestone by the claimed date after adding each source of uncertainty in turn (columns), from the trend alone to the headline.",
            width=params.chart_width - 100,
        ),
    }
    mapping = claims[["claim_id", "who", "claim", "mapping_reason", "caveat"]].merge(
        ranges[["claim_id", "hours_low", "hours_high", "reliabilities", "transfer", "reason"]], on="claim_id")
    mapping = pd.DataFrame({
        "Who": mapping["who"], "Claim": mapping["claim"],
        "Point mapping (trend only)": [milestone_text(h, r) for h, r in zip(claims["milestone_hours"], claims["reliability"])],
        "Range in the claimant's words": [range_text(r) for r in mapping.itertuples()],
        "Why this range": mapping["reason"],
        "On METR's suite today": [measurable_text(r, params) for r in mapping.itertuples()],
    })
    tables = {
        "tbl_passed": passed_table_text(claims, status, probabilities, since),
        "tbl_claims": claims_table_text(claims, status, probabilities, scenarios, headline, ranges, decomposed["rules"],
                                        decomposed["steps"]),
        "tbl_arrivals": arrival_table_text(arrivals, reached, as_of),
        "tbl_mapping": mapping,
        "tbl_weights": rules_table_text(rules, evidence["numbers"]["evidence_sol_hours"]),
        "tbl_rule_probs": rule_probability_text(decomposed["rules"], claims, status),
        "tbl_decomposition": decomposition_text(decomposed["steps"], claims),
        "tbl_calibration": coverage_text(record),
        "tbl_sensitivity": sensitivity["table"],
        "tbl_evidence": evidence["table"],
        "tbl_circulation": circulating["table"],
        "tbl_since": since_table_text(since),
        **intern_part["tables"],
    }
    return ChapterResult(page="timelines", numbers=numbers, tables=tables, figures=figures, data={
        "draws": draws, "claims": claims, "status": status, "probabilities": probabilities, "arrivals": arrivals,
        "reached": reached, "weights": cases, "rules": rules, "scatter": scatter, "errors": errors, "since": since,
        "singularity": singular, "outlook": out, "calibration": record, "widen": widen, "decomposition": decomposed,
        "ranges": ranges, "evidence": evidence, "circulation": circulating["frame"],
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
        numbers[f"{cid}_trend_prob"] = row["Mixture"]  # trend only: headline weights, fixed rates, point mapping
        numbers[f"{cid}_line_prob"] = row["line_Mixture"]
        for name, code in scenario_codes.items():
            numbers[f"{cid}_{code}_prob"] = row[name]
            numbers[f"{cid}_{code}_line_prob"] = row[f"line_{name}"]
        numbers[f"{cid}_trend_stacking_prob"] = row["case_stacking"]
        numbers[f"{cid}_judgement_line_prob"] = row["line_case_judgement"]
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


def claims_table_text(claims, status, probabilities, scenarios: list[str], headline: dict | None = None,
                      ranges: pd.DataFrame | None = None, rules: dict | None = None, steps: dict | None = None) -> pd.DataFrame:
    """Per claim: target, status, the point mapping and the range in the claimant's words, stated
    odds, the headline probability, its range across weighting rules, and the trend alone."""
    merged = claims.assign(status=status).merge(probabilities, on="claim_id", validate="one_to_one")
    if ranges is not None:
        merged = merged.merge(ranges[["claim_id", "hours_low", "hours_high", "reliabilities", "transfer"]], on="claim_id")
    merged = merged.sort_values("target_date")
    table = {
        "Who (fact)": [f"{w} ({f})" for w, f in zip(merged["who"], merged["fact_id"])],
        "Claim": merged["claim"] + np.where(merged["verified"] == "no", " [unverified]", ""),
        "Target": merged["target_date"].map(format_month),
        "Status": merged["status"].map({"passed": "deadline passed", "open": "open"}),
        "Stated odds": merged["stated_probability"].map(lambda p: "" if pd.isna(p) else f"{100 * p:.0f}%"),
    }
    if ranges is not None:
        table["Milestone (claimant's words)"] = [range_text(r) for r in merged.itertuples()]
    if headline is not None:
        table["Headline"] = [format_probability(headline[c]) for c in merged["claim_id"]]
    if rules is not None:
        table["Across weighting rules"] = [probability_range(min(rules[c].values()), max(rules[c].values()))
                                           for c in merged["claim_id"]]
    if steps is not None:
        table["Trend alone (point mapping, fixed rates, stacking weights)"] = [
            format_probability(steps[c]["trend only"]) for c in merged["claim_id"]]
    else:
        table["Trend alone (point mapping, fixed rates)"] = merged["Mixture"].map(_prob)
    table["Source"] = merged["source_url"]  # shown as a link (chapters.table_html)
    return pd.DataFrame(table)


SCENARIO_PHRASES = {"Exponential, all time": "the all-time exponential, slower than the latest era",
                    "Exponential, since 2023": "the since-2023 exponential, slower than the latest era",
                    "Latest era continues": "the latest era continuing",
                    "Superexponential": "the superexponential, faster than the latest era"}
SCENARIO_LEAN = {"Exponential, all time": "slower growth than the latest era, not faster",
                 "Exponential, since 2023": "slower growth than the latest era, not faster",
                 "Latest era continues": "the latest era itself, neither faster nor slower",
                 "Superexponential": "faster growth than the latest era, not slower"}
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


def claims_points(claims: pd.DataFrame, probabilities: pd.DataFrame, headline: dict | None = None) -> pd.DataFrame:
    merged = claims.merge(probabilities, on="claim_id", validate="one_to_one")
    passed = merged["resolution"] != ""
    shown = merged["Mixture"] if headline is None else merged["claim_id"].map(headline)
    return pd.DataFrame(
        {
            "label": [f"{o}: {c[:48]}{'…' if len(c) > 48 else ''}" for o, c in zip(merged["organisation"], merged["claim"])],
            "status": np.where(passed, "deadline passed", "open"),
            "target_date": merged["target_date"],
            "arrival_p10": merged["arrival_p10"],
            "arrival_median": merged["arrival_median"],
            "arrival_p90": merged["arrival_p90"],
            "probability": shown,
            "probability_text": shown.map(_prob),
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
        "intern_sol_metr_quoted_min": float(sol["value"]),
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
        "50% horizon": format_quoted_hours(sol["value"] / 60),
        f"{100 * f['level']:.0f}% interval": f"{format_quoted_hours(sol['low'] / 60)} to {format_quoted_hours(sol['high'] / 60)} (95% CI)"}
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
        f"reach {format_minutes(r.redefined_high_min)}. METR's only later figure, {format_quoted_hours(sol['value'] / 60)} "
        f"for GPT-5.6 Sol, lies {sol_where} that range and is not robust (E2). The claim as redefined is "
        f"{redefined}. As first stated, an autonomous intern at a work-week "
        f"({format_minutes(r.first_stated_min)} at 50%), it is {intern.likelihood_words(r.p_first_stated)} "
        f"({format_probability(r.p_first_stated)}) that the frontier had the horizon, and {autonomy}: {first}."
    )


# ------------------------------------------------------------------ issue 20: the headline and its parts


def decompositions(claims, ranges, horizons, out, params, data_as_of, widen) -> dict:
    """Per claim: the decomposition's steps, every rule's probability (full model) and the headline; a
    claim whose deadline fell before the data's end is forecast from the data before its deadline."""
    indexed = ranges.set_index("claim_id")
    steps, rules, headline, per_scenario = {}, {}, {}, {}
    for claim in claims.to_dict("records"):
        use = out
        if claim["target_date"] <= data_as_of:
            use = forecast.outlook(forecast.horizons_before(horizons, claim["target_date"]), params)
        parts = forecast.decomposition(claim, indexed.loc[claim["claim_id"]], use, params, widen=widen)
        cid = claim["claim_id"]
        steps[cid], rules[cid], per_scenario[cid] = parts["steps"], parts["rules"], parts["per_scenario"]
        headline[cid] = list(parts["steps"].values())[-1]
    week = claims.set_index("claim_id").loc["article_week_tasks"].to_dict() | {"claim_id": "article_week_tasks"}
    near = forecast.decomposition(week | {"target_date": week["stated"] + pd.DateOffset(years=2)},
                                  indexed.loc["article_week_tasks"], out, params, widen=widen, rules=())
    return {"steps": steps, "rules": rules, "headline": headline, "per_scenario": per_scenario,
            "near_week": list(near["steps"].values())[-1]}


def headline_numbers(decomposed, claims, status) -> dict:
    numbers = {}
    for cid, steps in decomposed["steps"].items():
        numbers[f"{cid}_prob"] = decomposed["headline"][cid]
        values = list(decomposed["rules"][cid].values())
        numbers[f"{cid}_low_prob"], numbers[f"{cid}_high_prob"] = min(values), max(values)
        numbers[f"{cid}_range"] = probability_range(min(values), max(values))
        for step, p in steps.items():
            numbers[f"{cid}_step_{STEP_CODES[step]}_prob"] = p
        for rule, p in decomposed["rules"][cid].items():
            numbers[f"{cid}_rule_{RULE_CODES[rule]}_prob"] = p
        for name, p in decomposed["per_scenario"][cid].items():
            numbers[f"{cid}_{SCENARIO_CODES[name]}_full_prob"] = float(p)
    numbers["intern_share"] = numbers["openai_intern_prob"]
    over = [cid for cid in decomposed["headline"] if decomposed["headline"][cid] > 0.99]
    numbers["over_99_count"] = len(over)
    return numbers


def probability_range(low: float, high: float) -> str:
    low_text, high_text = format_probability(low), format_probability(high)
    return low_text if low_text == high_text else f"{low_text} to {high_text}"


def rule_weight_numbers(rules: pd.DataFrame, replicates: pd.DataFrame) -> dict:
    numbers = {f"w_{RULE_CODES[rule]}_{SCENARIO_CODES[name]}_share": float(w)
               for rule, row in rules.iterrows() for name, w in row.items()}
    for name in rules.columns:
        values = replicates[name].to_numpy() if len(replicates) else np.array([rules.loc["headline", name]])
        numbers[f"w_boot_{SCENARIO_CODES[name]}_low_share"] = float(np.quantile(values, 0.1))
        numbers[f"w_boot_{SCENARIO_CODES[name]}_high_share"] = float(np.quantile(values, 0.9))
    top = replicates.idxmax(axis=1) if len(replicates) else pd.Series(dtype=str)
    numbers["boot_latest_era_top_share"] = float((top == "Latest era continues").mean()) if len(top) else 1.0
    return numbers


def change_numbers(out, horizons, params) -> dict:
    """The change process's parameters and how the predictive spread grows with lead time, with and
    without changes (fixed-rate lines)."""
    process = out.process
    with_changes = forecast.spread_by_lead(out, params)
    fixed = forecast.spread_by_lead(out, params, histories=out.without_changes())
    p_change = {lead: 1 - (1 + process.mean_rate_per_year * lead / process.rate_shape) ** (-process.rate_shape)
                for lead in (1.0, 3.0)}  # P(at least one change): negative binomial (Gamma-mixed Poisson)
    return {
        "change_seen_count": process.changes_seen,
        "change_span_years": process.span_years,
        "change_rate_per_year": process.mean_rate_per_year,
        "change_every_years": 1 / process.mean_rate_per_year,
        "change_up_ratio": process.up_factor,
        "change_down_ratio": process.down_factor,
        "change_up_share": process.up_share,
        "change_one_year_share": p_change[1.0],
        "change_three_year_share": p_change[3.0],
        "spread_1y_doublings": with_changes.loc[1.0], "spread_3y_doublings": with_changes.loc[3.0],
        "spread_fixed_1y_doublings": fixed.loc[1.0], "spread_fixed_3y_doublings": fixed.loc[3.0],
        "spread_growth_ratio": (with_changes.loc[3.0] / with_changes.loc[1.0]),
        "spread_fixed_growth_ratio": (fixed.loc[3.0] / fixed.loc[1.0]),
    }


def calibration_numbers(record: pd.DataFrame, widen: float, params: Params) -> dict:
    long = record[record["lead_days"] >= params.calibration_widen_min_lead_days]
    longest = record[record["lead_days"] >= 730]
    widened = (np.abs(record["log2_error"]) <= widen * record["log2_half_width"]).mean()
    return {
        "calibration_origins_count": record["origin"].nunique(),
        "calibration_first_origin": format_month(record["origin"].min()),
        "calibration_last_origin": format_month(record["origin"].max()),
        "calibration_forecasts_count": len(record),
        "calibration_coverage_share": float(record["covered"].mean()),
        "calibration_crossing_share": float(record.loc[record["kind"] == "crossing", "covered"].mean()),
        "calibration_horizon_share": float(record.loc[record["kind"] == "horizon", "covered"].mean()),
        "calibration_long_share": float(long["covered"].mean()),
        "calibration_long_count": len(long),
        "calibration_longest_share": float(longest["covered"].mean()) if len(longest) else float("nan"),
        "calibration_longest_count": len(longest),
        "calibration_widen_ratio": widen,
        "calibration_widened_share": float(widened),
        "calibration_min_lead_days": params.calibration_widen_min_lead_days,
        "calibration_tolerance_share": params.calibration_tolerance,
        "calibration_widened": "yes" if widen > 1 else "no",
    }


def sensitivity_table(claims, ranges, out, params, widen, record) -> dict:
    """Headline probabilities of three claims under other trend-change rates, transfer gaps and
    widening factors (none; the one the record's leads of two years and more would ask for)."""
    indexed = ranges.set_index("claim_id")
    chosen = claims.set_index("claim_id").loc[list(SENSITIVITY_CLAIMS)].reset_index()
    cases = []
    for scale in params.trend_change_sensitivity:
        label = ("no changes (fixed-rate lines)" if scale == 0 else
                 "changes at the estimated rate" if scale == 1 else f"changes at {scale:g}× the estimated rate")
        cases.append((label, f"rate_{scale:g}".replace(".", "_"), forecast.with_process(out, out.process.scaled(scale), params)
                      if scale != 1 else out, params))
    half = replace(out.process, up_factor=out.process.up_factor ** 0.5, down_factor=out.process.down_factor ** 0.5)
    cases.append(("changes half as large (in doublings)", "size_half", forecast.with_process(out, half, params), params))
    low, high = params.transfer_gap_log2
    for gap in (low, high):
        cases.append((f"transfer gap fixed at {gap:g} doublings", f"gap_{gap:g}".replace(".", "_"), out,
                      replace(params, transfer_gap_log2=(gap, gap))))
    longest = record[record["lead_days"] >= 730]
    widest = forecast.widening_factor(longest, 0.8) if len(longest) else widen
    widenings = {code: widen for _, code, _, _ in cases}
    cases.append(("no calibration widening", "widen_none", out, params))
    widenings["widen_none"] = 1.0
    cases.append((f"widened ×{widest:.2f}, as the record's leads of two years and more ask", "widen_longest", out, params))
    widenings["widen_longest"] = widest
    rows, numbers = [], {"sens_widest_ratio": widest}
    for label, code, use, use_params in cases:
        row = {"Assumption": label}
        for claim in chosen.to_dict("records"):
            p = list(forecast.decomposition(claim, indexed.loc[claim["claim_id"]], use, use_params, widen=widenings[code],
                                            rules=())["steps"].values())[-1]
            row[_short_label(claim)] = format_probability(p)
            numbers[f"sens_{code}_{claim['claim_id']}_prob"] = p
        rows.append(row)
    return {"table": pd.DataFrame(rows), "numbers": numbers}


def post_may_evidence(horizons, out, params) -> dict:
    """The evidence after METR's last file against the forecast actually used: the ECI nowcasts of
    chapter 3 and METR's non-robust estimate for GPT-5.6 Sol (E2), each placed in the headline's
    predictive distribution for a model released on its date, and the log score each scenario gives
    them (a check; not fed into the weights, because the nowcasts share one bridge and are not
    independent observations)."""
    quoted = facts.load_quoted().set_index("item_id")
    sol_hours = float(quoted.loc["sol_standard_hours", "value"])
    sol_low, sol_high = (float(quoted.loc["sol_standard_hours", c]) for c in ("low", "high"))
    sol_level = float(quoted.loc["sol_ci_level", "value"])
    sol_date = pd.Timestamp(quoted.loc["sol_standard_hours", "date"])
    nowcasts = nowcast.nowcast_horizons(params, horizons=horizons)
    nowcasts = nowcasts[nowcasts["release_date"] > horizons["release_date"].max()].sort_values("release_date")
    z = stats.norm.ppf(0.5 + float(nowcasts["level"].iloc[0]) / 2) if len(nowcasts) else 1.0
    observed = pd.DataFrame({
        "what": [f"ECI nowcast: {m}" for m in nowcasts["model"]] + ["METR's estimate: GPT-5.6 Sol (E2, not robust)"],
        "release_date": [*nowcasts["release_date"], sol_date],
        "p50": [*nowcasts["p50_pred"], 60 * sol_hours],
        "horizon_text": [*nowcasts["p50_pred"].map(format_minutes), format_quoted_hours(sol_hours)],
        # the observation's own error (doublings): the interval's half-width / z, for the nowcasts and for E2's CI
        "extra_sd": [*(np.log2(nowcasts["p50_high"] / nowcasts["p50_low"]) / (2 * z)),
                     np.log2(sol_high / sol_low) / (2 * stats.norm.ppf(0.5 + sol_level / 2))],
    })
    against = forecast.compare_with_forecast(observed.assign(model=observed["what"]), horizons, params, out=out)
    rows, position = [], list(against["share_below"])
    for obs, row in zip(observed.itertuples(), against.itertuples()):
        rows.append({"Evidence": obs.what, "Released": format_date(obs.release_date),
                     "Horizon": obs.horizon_text,
                     "Headline forecast for a model released then (80%)":
                         f"{format_minutes(row.forecast_min)} ({format_minutes(row.forecast_low)} to {format_minutes(row.forecast_high)})",
                     "Doublings from the forecast's median": f"{row.doublings_off:+.1f}",
                     "Share of the forecast below it": f"{100 * row.share_below:.0f}%"})
    sol = observed.iloc[[-1]]
    frontier = observed.iloc[:-1]
    scores = {}
    for label, frame in (("sol", sol), ("nowcast", frontier.iloc[[-1]] if len(frontier) else sol)):
        scores[label] = forecast.scenario_log_scores(out, frame, params, extra_sd_log2=frame["extra_sd"].to_numpy())
    combined = scores["sol"] + scores["nowcast"]
    best = combined.idxmax()
    numbers = {
        "evidence_sol_hours": sol_hours,
        "evidence_sol_position_share": position[-1],
        "evidence_sol_median_min": float(against["forecast_min"].iloc[-1]),
        "evidence_nowcast_count": len(frontier),
        "evidence_nowcast_below_median_count": int(sum(p < 0.5 for p in position[:-1])),
        "evidence_nowcast_below_range_count": int(sum(p < 0.1 for p in position[:-1])),
        "evidence_nowcast_low_share": min(position[:-1]) if len(frontier) else float("nan"),
        "evidence_nowcast_high_share": max(position[:-1]) if len(frontier) else float("nan"),
        "evidence_favoured": SCENARIO_PHRASES[best],
        "evidence_lean": SCENARIO_LEAN[best],
        "evidence_bf_latest_vs_super_ratio": float(np.exp(combined["Latest era continues"] - combined["Superexponential"]))
        if "Superexponential" in combined else float("nan"),
        "evidence_bf_2023_vs_latest_ratio": float(np.exp(combined["Exponential, since 2023"] - combined["Latest era continues"]))
        if "Exponential, since 2023" in combined else float("nan"),
    }
    if len(frontier):
        last = frontier.iloc[-1]
        numbers["evidence_last_nowcast_model"] = last["what"].removeprefix("ECI nowcast: ")
        numbers["evidence_last_nowcast_min"] = float(last["p50"])
        numbers["evidence_last_nowcast_position_share"] = position[len(frontier) - 1]
    table = pd.DataFrame(rows)
    score_rows = pd.DataFrame({"Scenario": combined.index, f"Log score: METR's {format_quoted_hours(sol_hours)} and the latest nowcast":
                               [f"{v:.2f}" for v in combined.to_numpy()]})
    return {"table": table, "scores": score_rows, "numbers": numbers, "observed": observed, "combined": combined}


def circulation_table(circulation, claims, ranges, out, params, widen, headline) -> dict:
    """Others' published forecasts beside the report's headline probability for the same milestone
    (the named claim's range in its claimant's words) by the same date."""
    indexed = ranges.set_index("claim_id")
    base = claims.set_index("claim_id")
    rows, numbers, report = [], {}, []
    for row in circulation.itertuples():
        claim = base.loc[row.report_milestone].to_dict() | {"claim_id": row.report_milestone}
        if pd.isna(row.by):
            p, text = np.nan, "no date stated: not comparable"
        else:
            p = list(forecast.decomposition(claim | {"target_date": row.by}, indexed.loc[row.report_milestone], out, params,
                                            widen=widen, rules=())["steps"].values())[-1]
            text = f"{format_probability(p)} by {format_month(row.by)}"
            numbers[f"circ_{row.forecast_id}_prob"] = p
        report.append(p)
        rows.append({
            "Who": row.who, "Said (date)": format_date(row.stated),
            "Forecast": row.forecast + (" [unverified]" if row.verified == "no" else ""),
            "Their probability": "none stated" if pd.isna(row.stated_probability) else f"{100 * row.stated_probability:.0f}%",
            "This report (headline, same milestone range)": text,
            "Fact": row.fact_id, "Caveat": row.caveat, "Source": row.source_url,
        })
    numbers["circulation_count"] = len(circulation)
    return {"table": pd.DataFrame(rows), "numbers": numbers, "frame": circulation.assign(report_probability=report)}


def range_text(row) -> str:
    hours = (f"{row.hours_low:g} h" if row.hours_low == row.hours_high else f"{row.hours_low:g}-{row.hours_high:g} h")
    levels = " or ".join(RELIABILITY[m] for m in row.reliabilities.split(";"))
    return f"{hours} at {levels}" + ("; transfer gap applies" if row.transfer == "yes" else "; METR's own units")


def measurable_text(row, params) -> str:
    if 60 * row.hours_low > params.max_minutes:
        return f"not measurable (above the {format_minutes(params.max_minutes)} ceiling)"
    if 60 * row.hours_high > params.max_minutes:
        return f"partly (the range crosses the {format_minutes(params.max_minutes)} ceiling)"
    return "measurable"


def rules_table_text(rules: pd.DataFrame, sol_hours: float) -> pd.DataFrame:
    table = rules.map(lambda w: f"{100 * w:.0f}%")
    how = forecast.RULE_TEXT | {EVIDENCE_RULE: f"the headline updated by the log scores of METR's {format_quoted_hours(sol_hours)} "
                                               "and the latest nowcast (a check)"}
    table.insert(0, "How", [how[r] for r in rules.index])
    return table.rename_axis("Rule").reset_index()


def _claim_label(claims, cid) -> str:
    row = claims.set_index("claim_id").loc[cid]
    return f"{row['who']}: {row['claim'][:70]}{'…' if len(row['claim']) > 70 else ''} ({format_month(row['target_date'])})"


def rule_probability_text(rules: dict, claims, status) -> pd.DataFrame:
    open_ids = claims.loc[status == "open", "claim_id"]
    table = pd.DataFrame({_claim_label(claims, cid): {rule: format_probability(p) for rule, p in rules[cid].items()}
                          for cid in open_ids}).T
    return table.rename_axis("Claim (target)").reset_index()


def decomposition_text(steps: dict, claims) -> pd.DataFrame:
    table = pd.DataFrame({_claim_label(claims, cid): {step: format_probability(p) for step, p in s.items()}
                          for cid, s in steps.items()}).T
    return table.rename_axis("Claim (target)").reset_index()


def _short_label(row) -> str:
    claim = row["claim"] if len(row["claim"]) <= 34 else row["claim"][:33] + "…"
    return f"{row['organisation']}: {claim} ({format_month(row['target_date'])})"


def decomposition_points(steps: dict, claims, status) -> pd.DataFrame:
    rows = []
    chosen = claims[status == "open"].sort_values("target_date", kind="stable")
    for order, claim in enumerate(chosen.to_dict("records")):
        for i, (step, p) in enumerate(steps[claim["claim_id"]].items()):
            rows.append({"claim": _short_label(claim), "order": order, "step": STEP_SHORT.get(step, step),
                         "step_name": step, "step_index": i, "probability": p,
                         "probability_text": format_probability(p), "cell_text": format_probability_short(p)})
    return pd.DataFrame(rows)


def calibration_points(record: pd.DataFrame) -> pd.DataFrame:
    table = forecast.coverage_by_lead(record)
    return table.assign(kind=table["kind"].map(KIND_LABELS), lead=table["lead"].astype(str),
                        coverage_text=[f"{100 * c:.0f}% of {n}" for c, n in zip(table["coverage"], table["count"])])


def coverage_text(record: pd.DataFrame) -> pd.DataFrame:
    table = forecast.coverage_by_lead(record)
    return pd.DataFrame({"Lead time": table["lead"].astype(str), "Target": table["kind"].map(KIND_LABELS),
                         "Forecasts": table["count"], "Inside the 80% interval": [f"{100 * c:.0f}%" for c in table["coverage"]]})
