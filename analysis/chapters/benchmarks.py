"""Chapter "Beyond time horizons": the benchmarks behind "AI trains itself", and a nowcast of where
agents are now. Every number, table and figure of ``book/benchmarks.md``, computed once.

Landing-page headline keys: ``nowcast_model``, ``nowcast_release_date``, ``nowcast_p50_min``,
``nowcast_low_min``, ``nowcast_high_min``, ``nowcast_level_share``, ``backtest_coverage_share``,
``backtest_count``, ``nowcast_verdict``.

For the forecast (issue 20, item 5): ``result.data["nowcasts"]`` holds every nowcast (models to
September 2026) with its calibrated interval, ready to set beside ``forecast.predictive_interval``;
the page keeps a marked place for that comparison in its "Where agents are now" section.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import benchmarks, charts, eras, forecast, frontier, metr, nowcast, trend
from analysis.chapters import ChapterResult
from analysis.charts.benchmarks import NOWCAST_LATER
from analysis.params import Params
from analysis.text import format_date, format_minutes, format_month, format_quoted_hours

SLUG = "benchmarks"
TREND_WINDOW = "from_2023_on"  # chapter 1's headline fit window (a key of params.windows)
BRIDGE_STEP = 10  # the prose states the bridge's slope per this many ECI points

# What each benchmark measures, and where its numbers come from (the table's source column).
ABOUT = {
    "PostTrainBench": ("post-train a small base LLM in 10 h on one H100", "https://posttrainbench.com/"),
    "CORE-Bench Hard": ("reproduce a paper's results from its code (HAL, automated grading)",
                        "https://hal.cs.princeton.edu/corebench_hard"),
    "MLE-bench": ("win a medal in Kaggle competitions (75; agent submissions, leakage-flagged ones left out)",
                  "https://github.com/openai/mle-bench"),
    "SWE-bench Verified": ("fix real GitHub issues (Epoch's own runs)", "https://epoch.ai/benchmarks"),
    "GSO": ("speed up real software (OpenHands scaffold)", "https://gso-bench.github.io"),
    "WeirdML": ("solve unusual ML tasks by writing PyTorch code", "https://htihle.github.io/weirdml.html"),
    "Terminal-Bench 2.0": ("complete tasks in a terminal (best agent per model)",
                           "https://www.tbench.ai/leaderboard/terminal-bench/2.0"),
}


def _series(name: str) -> tuple[pd.DataFrame, str]:
    """A benchmark's table as one time series, and the column that places it in time."""
    table = benchmarks.LOADERS[name]()
    if name == "MLE-bench":
        keep = (table["benchmark"] == "MLE-bench All") & ~table["known_leakage"]
        return table[keep].reset_index(drop=True), "result_date"
    return table, "release_date"


def _targets(params: Params, references: pd.DataFrame) -> dict[str, tuple[float, str]]:
    instruct = float(references.set_index("reference").loc["official instruct models", "score"])
    saturation = (params.benchmark_saturation, "saturation")
    out = {name: saturation for name in ABOUT}
    out["PostTrainBench"] = (instruct, "official instruct models (human post-training)")
    return out


def _interval_text(low, high) -> str:
    if pd.isna(low) or pd.isna(high):
        return "open-ended (the trend may never get there)"
    return f"{format_date(low)} to {format_date(high)}"


def _frontier_section(params: Params, break_date, quoted: pd.DataFrame) -> dict:
    references = benchmarks.load_references()
    solved = quoted.loc[("D1", "corebench_opus_4_5_claude_code")]
    targets = _targets(params, references)
    rows, points, lines, rules, trends = [], [], [], [], {}
    for name in ABOUT:
        table, date_column = _series(name)
        records = frontier.frontier_records(table, date_column)
        fit = frontier.fit_logit_trend(records, name=name, rng=params.rng(f"benchmarks/{name}/trend"),
                                       n_bootstrap=params.n_benchmark_bootstrap, confidence=params.confidence)
        target, target_label = targets[name]
        crossing = fit.crossing(target)
        broken = frontier.break_comparison(records, break_date, min_points=params.benchmark_min_points)
        latest = records.iloc[-1]
        trends[name] = {"fit": fit, "crossing": crossing, "break": broken, "records": records, "latest": latest,
                        "date_column": date_column, "n_models": len(table)}
        rows.append({
            "Benchmark": name, "Measures": ABOUT[name][0],
            "Frontier (latest record)": f"{latest['model_name']}" + (f" ({latest['scaffold']})" if latest["scaffold"] else ""),
            "Score": f"{100 * latest['score']:.1f}%",
            "Dated": format_date(latest["date"]) + (" (submitted)" if date_column == "result_date" else " (released)"),
            "Target": f"{100 * target:.1f}% ({target_label})",
            "Reached": (f"{format_date(crossing['date'])} ({crossing['model']})" if crossing["kind"] == "observed"
                        else f"not in the data; trend: {format_date(crossing['date'])} ({_interval_text(crossing['low'], crossing['high'])})"
                        if pd.notna(crossing["date"]) else "not in the data; the trend never gets there"),
            "Source": ABOUT[name][1],
        })
        if name == "CORE-Bench Hard":  # HAL's verdict is not in any file: quoted from the fact sheet
            rows[-1]["Reached"] = (f"declared solved by HAL, {format_month(solved['date'])} (fact D1: "
                                   f"{100 * solved['value']:.0f}% with Claude Code, not in HAL's database); "
                                   f"database trend: {rows[-1]['Reached'].split('trend: ')[-1]}")
            opus = table[table["model_name"] == "Claude Opus 4.5"].iloc[0]
            points.append(pd.DataFrame({
                "benchmark": [name], "date": [opus["release_date"]], "score_logit": frontier.logit([solved["value"]]),
                "kind": ["Reported by HAL outside its database (fact D1)"], "model": ["Claude Opus 4.5"],
                "scaffold": ["Claude Code"], "score_text": [f"{100 * solved['value']:.0f}%"],
                "date_text": [format_date(opus["release_date"])]}))
        is_record = table.set_index(["model", date_column]).index.isin(records.set_index(["model", date_column]).index)
        points.append(pd.DataFrame({
            "benchmark": name, "date": table[date_column], "score_logit": frontier.logit(table["score"]),
            "kind": np.where(is_record, "Frontier record", "Other model"), "model": table["model_name"],
            "scaffold": table["scaffold"], "score_text": (100 * table["score"]).map(lambda v: f"{v:.1f}%"),
            "date_text": table[date_column].map(format_date),
        }))
        end = max(records["date"].max(), pd.Timestamp(crossing["date"]) if pd.notna(crossing["date"]) else records["date"].max())
        end = min(end, pd.Timestamp(params.as_of))
        line = fit.line(records["date"].min(), end, points=40)
        lines.append(pd.DataFrame({"benchmark": name, "date": line["date"], "fitted_logit": frontier.logit(line["fitted"]),
                                   "band_low_logit": frontier.logit(line["band_low"]),
                                   "band_high_logit": frontier.logit(line["band_high"])}))
        rules.append({"benchmark": name, "target_logit": float(frontier.logit([target])[0]),
                      "label": f"{100 * target:.1f}%: {target_label.split(' (')[0]}"})
    return {"table": pd.DataFrame(rows), "points": pd.concat(points, ignore_index=True),
            "lines": pd.concat(lines, ignore_index=True), "rules": pd.DataFrame(rules), "trends": trends,
            "references": references}


def _eci_break(eci: pd.DataFrame, break_date, since) -> dict:
    """Does the ECI frontier (records of Epoch's index) grow faster after chapter 2's break? (linear scale)"""
    models = nowcast.eci_models(eci).rename(columns={"eci": "score"})
    models = models[models["release_date"] >= pd.Timestamp(since)]
    records = frontier.frontier_records(models.assign(model=models["model_name"]))
    cut = pd.Timestamp(break_date)
    out = {}
    for side, part in (("before", records[records["date"] < cut]), ("after", records[records["date"] >= cut])):
        x = trend.days_since_origin(part["date"])
        slope, _ = trend.ols_slopes(x, part["score"].to_numpy(dtype=float))
        out[side] = (float(slope) * trend.DAYS_PER_YEAR, len(part))
    return out


def _nowcast_points(nowcasts: pd.DataFrame, level: float) -> pd.DataFrame:
    later = nowcasts["eci_sd"] > 0
    return pd.DataFrame({
        "display_name": nowcasts["model"], "release_date": nowcasts["release_date"],
        "horizon_min": nowcasts["p50_pred"], "low_min": nowcasts["p50_low"], "high_min": nowcasts["p50_high"],
        "status": np.where(later, NOWCAST_LATER, "Nowcast from ECI"),
        "release_text": nowcasts["release_date"].map(format_date),
        "horizon_text": nowcasts["p50_pred"].map(format_minutes),
        "ci_text": [f"{format_minutes(lo)} to {format_minutes(hi)} ({100 * level:.0f}% prediction interval)"
                    for lo, hi in zip(nowcasts["p50_low"], nowcasts["p50_high"])],
        "eci_text": [f"{e:.1f}" if sd == 0 else f"{r:.0f} on Epoch's later page, {e:.1f} on the bridge's scale"
                     for e, r, sd in zip(nowcasts["eci"], nowcasts["eci_reported"], nowcasts["eci_sd"])],
    })


def _measured_points(horizons: pd.DataFrame, max_minutes: float) -> pd.DataFrame:
    status = np.where(horizons["p50"] > max_minutes, "METR, above 16 h (unreliable)",
                      np.where(horizons["is_sota"], "METR, frontier", "METR, not frontier"))
    return pd.DataFrame({
        "display_name": horizons["display_name"], "release_date": horizons["release_date"],
        "horizon_min": horizons["p50"], "low_min": horizons["p50_low"], "high_min": horizons["p50_high"],
        "status": status, "release_text": horizons["release_date"].map(format_date),
        "horizon_text": horizons["p50"].map(format_minutes),
        "ci_text": [f"{format_minutes(lo)} to {format_minutes(hi)} (95% CI)" for lo, hi in zip(horizons["p50_low"], horizons["p50_high"])],
        "eci_text": "",
    })


def _verdict(row: pd.Series, inside: int, total: int, level: float, since) -> str:
    band = f"{format_minutes(row['trend_low_min'])} to {format_minutes(row['trend_high_min'])}"
    head = {"on trend": "On trend", "ahead": "Ahead of the trend", "behind": "Behind the trend"}[row["position"]]
    return (f"{head}: {row['model']}'s nowcast of {format_minutes(row['p50_pred'])} lies "
            f"{'inside' if row['position'] == 'on trend' else 'outside'} the {100 * level:.0f}% prediction band of "
            f"the METR trend since {format_date(since)} ({band} for a model released on {format_date(row['release_date'])}), "
            f"as do {'all ' + str(total) if inside == total else f'{inside} of {total}'} nowcasts for frontier models "
            f"released since; the intervals are too wide to tell a modestly faster or slower pace from the trend.")


def build(params: Params) -> ChapterResult:
    since = params.window_start(TREND_WINDOW)
    horizons = metr.load_horizons("1.1")
    crosswalk, eci = benchmarks.load_crosswalk(), benchmarks.load_eci()
    quoted = benchmarks.load_quoted()
    level = params.nowcast_level
    numbers: dict[str, float | str] = {}

    # --- the bridge and the nowcast
    points = nowcast.bridge_points(horizons, crosswalk, eci, max_minutes=params.max_minutes)
    bridge = nowcast.fit_bridge(points)
    snapshots = benchmarks.load_eci_snapshots()
    nowcasts = nowcast.nowcast_horizons(params, horizons=horizons, crosswalk=crosswalk, eci=eci, snapshots=snapshots)
    chapter1 = trend.fit_trend(horizons, since=since, max_minutes=params.max_minutes)
    compared = nowcast.compare_with_trend(nowcasts, chapter1, level)
    head = compared.sort_values(["eci", "release_date"], ascending=[False, False]).iloc[0]
    if "GPT-5.6 Sol" not in set(compared["model"]):  # the prose compares GPT-5.6 Sol with METR's own figure (E2)
        raise ValueError("GPT-5.6 Sol is not among the nowcasts: revise the chapter's comparison with METR's figure")
    sol_row = compared.set_index("model").loc["GPT-5.6 Sol"]
    later = compared[compared["eci_sd"] > 0]
    shifts = nowcast.snapshot_shifts(snapshots, eci)
    newest_snapshot = snapshots["snapshot"].max()
    newest_shifts = shifts[shifts["snapshot"] == newest_snapshot]
    calibrated = nowcast.calibration(points, level, min_train=params.nowcast_min_train)
    boot_low, boot_high = nowcast.bootstrap_interval(bridge, [head["eci"]], level, params.rng("benchmarks/nowcast/bootstrap"),
                                                     params.n_nowcast_bootstrap)
    single = nowcast.backtest(params.nowcast_backtest_until, level, params=params, horizons=horizons, crosswalk=crosswalk, eci=eci)
    sequential = nowcast.sequential_backtest(level, min_train=params.nowcast_min_train, params=params,
                                             horizons=horizons, crosswalk=crosswalk, eci=eci)
    single_summary, sequential_summary = nowcast.backtest_summary(single), nowcast.backtest_summary(sequential)
    sol = quoted.loc[("E2", "gpt_5_6_sol_p50_standard")]
    sol_counted = quoted.loc[("E2", "gpt_5_6_sol_p50_cheating_counted")]
    inside, total = int(compared["inside"].sum()), len(compared)
    eci_upstream = benchmarks.load_sources().set_index("table").loc["eci.csv", "as_of"]

    numbers |= {
        "newest_metr_date": format_date(horizons["release_date"].max()),
        "newest_metr_model": horizons.sort_values("release_date").iloc[-1]["display_name"],
        "eci_as_of_date": format_date(eci_upstream),
        "eci_newest_date": format_date(eci["release_date"].max()),
        "bridge_count": bridge.n,
        "bridge_first_model": points.iloc[0]["display_name"],
        "bridge_last_model": points.sort_values("release_date").iloc[-1]["display_name"],
        "bridge_eci_low_index": points["eci"].min(),
        "bridge_eci_high_index": points["eci"].max(),
        "bridge_r2": bridge.r2,
        "bridge_step_count": BRIDGE_STEP,
        "bridge_step_ratio": 2.0 ** (BRIDGE_STEP * bridge.slope),
        "bridge_sigma_ratio": 2.0**bridge.sigma,
        "nowcast_count": total,
        "nowcast_model": head["model"],
        "nowcast_release_date": format_date(head["release_date"]),
        "nowcast_eci_index": head["eci"],
        "nowcast_p50_min": head["p50_pred"],
        "nowcast_low_min": head["p50_low"],
        "nowcast_high_min": head["p50_high"],
        "nowcast_level_share": level,
        "nowcast_boot_low_min": 2.0 ** boot_low[0],
        "nowcast_boot_high_min": 2.0 ** boot_high[0],
        "nowcast_beyond_eci_index": head["eci"] - points["eci"].max(),
        "nowcast_lowest_min": compared["p50_pred"].min(),
        "nowcast_lowest_model": compared.sort_values("p50_pred").iloc[0]["model"],
        "nowcast_above_ceiling_count": int((compared["p50_pred"] > params.max_minutes).sum()),
        "ceiling_min": params.max_minutes,
        "sol_metr_p50_quoted_min": float(sol["value"]),
        "sol_metr_level_share": float(quoted.loc[("E2", "gpt_5_6_sol_ci_level"), "value"]),
        "sol_metr_low_quoted_min": float(sol["low"]),
        "sol_metr_high_quoted_min": float(sol["high"]),
        "sol_cheating_counted_min": float(sol_counted["value"]),
        "sol_nowcast_min": sol_row["p50_pred"],
        "sol_nowcast_low_min": sol_row["p50_low"],
        "sol_nowcast_high_min": sol_row["p50_high"],
        "sol_release_date": format_date(sol_row["release_date"]),
        "sol_vs_metr_ratio": float(sol_row["p50_pred"] / sol["value"]),
        "sol_metr_position": ("below" if sol["value"] < sol_row["p50_low"] else
                              "above" if sol["value"] > sol_row["p50_high"] else "inside"),
        "nowcast_in_metr_ci": "inside" if sol["low"] <= sol_row["p50_pred"] <= sol["high"] else "outside",
        "trend_doubling_days": chapter1.doubling_days,
        "trend_since_date": format_date(since),
        "band_level_share": params.confidence,
        "trend_at_nowcast_min": head["trend_min"],
        "trend_low_at_nowcast_min": head["trend_low_min"],
        "trend_high_at_nowcast_min": head["trend_high_min"],
        "nowcast_vs_trend_ratio": head["ratio"],
        "trend_band_span_ratio": head["trend_high_min"] / head["trend_low_min"],
        "trend_band_half_ratio": np.sqrt(head["trend_high_min"] / head["trend_low_min"]),
        "nowcast_inside_count": inside,
        "nowcast_ahead_count": int((compared["position"] == "ahead").sum()),
        "nowcast_behind_count": int((compared["position"] == "behind").sum()),
        "nowcast_verdict": _verdict(head, inside, total, level, since),
        "backtest_count": len(sequential),
        "backtest_covered_count": int(sequential["covered"].sum()),
        "backtest_coverage_share": sequential_summary["coverage"],
        "backtest_level_share": level,
        "backtest_bias_ratio": sequential_summary["bias_ratio"],
        "backtest_median_error_ratio": 2.0 ** sequential_summary["median_abs_error_log2"],
        "backtest_min_train_count": params.nowcast_min_train,
        "single_until_date": format_date(params.nowcast_backtest_until),
        "single_train_count": int(single["n_train"].iloc[0]),
        "single_count": len(single),
        "single_coverage_share": single_summary["coverage"],
        "single_bias_ratio": single_summary["bias_ratio"],
    }
    # --- calibration, and the models scored only on Epoch's later page
    astra = later.sort_values("eci").iloc[-1] if len(later) else head
    numbers |= {
        "backtest_classical_covered_count": int(sequential["covered_classical"].sum()),
        "backtest_classical_coverage_share": sequential_summary["coverage_classical"],
        "single_classical_coverage_share": single_summary["coverage_classical"],
        "calibration_widening_share": calibrated["factor"] - 1,
        "calibration_errors_count": calibrated["n"],
        "calibration_in_sample_share": calibrated["calibrated_coverage"],
        "nowcast_bridge_low_min": head["p50_low_bridge"],
        "nowcast_classical_low_min": head["p50_low_classical"],
        "nowcast_classical_high_min": head["p50_high_classical"],
        "nowcast_bridge_high_min": head["p50_high_bridge"],
        "snapshot_date": format_date(newest_snapshot),
        "snapshot_count": int(snapshots["snapshot"].nunique()),
        "snapshot_common_count": len(newest_shifts),
        "snapshot_shift_index": float(newest_shifts["shift"].mean()),
        "snapshot_shift_max_index": float(newest_shifts["shift"].abs().max()),
        "snapshot_shift_doublings": float(newest_shifts["shift"].abs().max() * bridge.slope),
        "later_count": len(later),
        "later_names": " and ".join(later.sort_values("release_date")["model"]),
        "later_top_reported_index0": float(astra["eci_reported"]),
        "later_top_reported_low_index0": float(snapshots.set_index("model_name").loc[astra["model"], "eci_low"]) if len(later) else float("nan"),
        "later_top_reported_high_index0": float(snapshots.set_index("model_name").loc[astra["model"], "eci_high"]) if len(later) else float("nan"),
        "later_top_sd_index": float(astra["eci_sd"]),
        "later_top_sd_interval_index": float(astra["eci_sd_interval"]),
        "later_top_sd_rounding_index": float(astra["eci_sd_rounding"]),
        "later_top_sd_refit_index": float(astra["eci_sd_refit"]),
        "later_top_widening_share": float(np.log2(astra["p50_high"] / astra["p50_low"])
                                          / np.log2(astra["p50_high_bridge"] / astra["p50_low_bridge"]) - 1),
        "nowcast_vs_sol_ratio": float(head["p50_pred"] / sol_row["p50_pred"]),
        "trend_astra_vs_sol_ratio": float(head["trend_min"] / sol_row["trend_min"]),
        "margin_index": params.nowcast_frontier_margin_eci,
    }

    # --- benchmark frontiers
    break_date = eras.fit_breakpoint(horizons, max_minutes=params.max_minutes, min_segment=params.break_min_segment,
                                     grid_step_days=params.break_grid_days).break_date
    section = _frontier_section(params, break_date, quoted)
    ptb12 = _posttrainbench_v12(section)
    t = section["trends"]
    ptb, core, mle = t["PostTrainBench"], t["CORE-Bench Hard"], t["MLE-bench"]
    ptb_cross = ptb["crossing"]
    reached = [n for n, v in t.items() if v["crossing"]["kind"] == "observed"]
    testable = [n for n, v in t.items() if v["break"]["testable"]]
    eci_break = _eci_break(eci, break_date, since)
    v11 = benchmarks.load_corebench_v11()
    main39 = v11[v11["split"] == "main39"].sort_values("score", ascending=False)
    ood = v11[v11["split"] == "ood19"].sort_values("score", ascending=False)
    mle_table = benchmarks.load_mlebench()
    mle_all = mle_table[mle_table["benchmark"] == "MLE-bench All"]
    mle_flagged = mle_all[mle_all["known_leakage"]].sort_values("score", ascending=False).iloc[0]
    terminal_top = t["Terminal-Bench 2.0"]["latest"]
    ptb_data_end = benchmarks.load_posttrainbench()["release_date"].max()
    numbers |= {
        "benchmark_count": len(t),
        "saturation_share": params.benchmark_saturation,
        "reached_count": len(reached),
        "reached_names": " and ".join(reached),
        "ptb_frontier_share": float(ptb["latest"]["score"]),
        "ptb_frontier_model": ptb["latest"]["model_name"],
        "ptb_frontier_date": format_date(ptb["latest"]["date"]),
        "ptb_reference_share": float(section["references"].set_index("reference").loc["official instruct models", "score"]),
        "ptb_base_share": float(section["references"].set_index("reference").loc["base models, zero-shot", "score"]),
        "ptb_records_count": ptb["fit"].n,
        "ptb_cross_date": format_date(ptb_cross["date"]),
        "ptb_cross_low_date": format_date(ptb_cross["low"]),
        "ptb_cross_high_date": format_date(ptb_cross["high"]),
        "ptb_data_end_date": format_date(ptb_data_end),
        "ptb_slope_per_year": ptb["fit"].slope_per_year,
        "core_frontier_share": float(core["latest"]["score"]),
        "core_frontier_model": core["latest"]["model_name"],
        "core_records_count": core["fit"].n,
        "core_claude_code_share": float(quoted.loc[("D1", "corebench_opus_4_5_claude_code"), "value"]),
        "core_core_agent_share": float(quoted.loc[("D1", "corebench_opus_4_5_core_agent"), "value"]),
        "core_final_share": float(quoted.loc[("D1", "corebench_final_after_fixes"), "value"]),
        "core_v11_top_share": float(main39.iloc[0]["score"]),
        "core_v11_top_model": main39.iloc[0]["model"].split("/")[-1],
        "core_v11_ood_top_share": float(ood.iloc[0]["score"]),
        "mle_frontier_share": float(mle["latest"]["score"]),
        "mle_frontier_se_pct2": 100 * float(mle["latest"]["stderr"]),
        "mle_frontier_agent": mle["latest"]["scaffold"],
        "mle_frontier_llm": mle["latest"]["model_name"],
        "mle_frontier_date": format_date(mle["latest"]["date"]),
        "mle_flagged_share": float(mle_flagged["score"]),
        "mle_flagged_agent": mle_flagged["scaffold"],
        "mle_cross_date": format_date(mle["crossing"]["date"]),
        "swe_frontier_share": float(t["SWE-bench Verified"]["latest"]["score"]),
        "terminal_frontier_share": float(terminal_top["score"]),
        "terminal_frontier_agent": terminal_top["scaffold"],
        "break_date": format_date(break_date),
        "break_testable_count": len(testable),
        "weirdml_before_count": t["WeirdML"]["break"]["n_before"],
        "eci_slope_before_per_year": eci_break["before"][0],
        "eci_slope_after_per_year": eci_break["after"][0],
        "eci_records_before_count": eci_break["before"][1],
        "eci_records_after_count": eci_break["after"][1],
    }

    numbers |= ptb12["numbers"]
    numbers |= _rsi_numbers(quoted)
    new_models = _new_models_table(compared, snapshots, quoted)
    unmeasured = new_models[new_models["Status"] == UNMEASURED]
    numbers |= {
        "new_models_count": len(new_models),
        "new_models_month": format_month(benchmarks.load_new_models()["release_date"].min()),
        "rsi_argon_model": "Gemini 4 Argon",
        "unmeasured_count": len(unmeasured),
        "unmeasured_names": ", ".join(unmeasured["Model"]),
        "snapshot_undated_names": ", ".join(sorted(snapshots.loc[snapshots["release_date"].isna(), "model_name"].unique())),
        "snapshot_undated_count": int(snapshots.loc[snapshots["release_date"].isna(), "model_name"].nunique()),
    }

    # --- tables
    nowcast_table = pd.DataFrame({
        "Model": compared["model"], "Released": compared["release_date"].map(format_date),
        "ECI": compared["eci"].map(lambda v: f"{v:.1f}"),
        "ECI from": ["Epoch's file" if sd == 0 else f"Epoch's later page ({r:.0f}, shifted {shift:+.1f})"
                     for sd, r, shift in zip(compared["eci_sd"], compared["eci_reported"], -compared["eci_shift"])],
        "Nowcast 50% horizon": compared["p50_pred"].map(format_minutes),
        f"{100 * level:.0f}% prediction interval": [f"{format_minutes(a)} to {format_minutes(b)}"
                                                    for a, b in zip(compared["p50_low"], compared["p50_high"])],
        f"Trend since {format_date(since)} ({100 * level:.0f}% band)": [f"{format_minutes(c)} ({format_minutes(a)} to {format_minutes(b)})"
                                                        for c, a, b in zip(compared["trend_min"], compared["trend_low_min"], compared["trend_high_min"])],
        "Against the trend": compared["position"],
    })
    tables = {"tbl_benchmarks_frontier": section["table"], "tbl_benchmarks_nowcast": nowcast_table,
              "tbl_benchmarks_ptb12": ptb12["table"], "tbl_benchmarks_new_models": new_models}

    # --- figures
    ticks = charts.time_ticks(params.work_day_hours, params.work_week_hours, params.work_month_hours)
    grid = pd.date_range(since, compared["release_date"].max() + pd.Timedelta(days=31), periods=params.fit_grid_points)
    band = nowcast.trend_prediction(chapter1, grid, level).assign(
        fit=f"METR trend since {format_date(since)} ({100 * level:.0f}% prediction band)")
    measured = _measured_points(horizons[horizons["release_date"] >= pd.Timestamp(since)], params.max_minutes)
    metr_sol = pd.DataFrame({
        "display_name": ["GPT-5.6 Sol (METR, not robust)"], "release_date": [sol_row["release_date"]],
        "horizon_min": [sol["value"]], "low_min": [sol["low"]], "high_min": [sol["high"]],
        "status": ["METR's non-robust estimate (fact E2)"], "release_text": [format_date(sol_row["release_date"])],
        "horizon_text": [format_quoted_hours(sol["value"] / 60)], "eci_text": [""],
        "ci_text": [f"{format_quoted_hours(sol['low'] / 60)} to {format_quoted_hours(sol['high'] / 60)} (95% CI; counting "
                    f"cheating as success: beyond {format_quoted_hours(sol_counted['value'] / 60)})"],
    })
    figures = {
        "fig_benchmarks_nowcast": charts.nowcast_chart(
            pd.concat([measured, metr_sol, _nowcast_points(compared, level)], ignore_index=True), band,
            ticks=ticks, ceiling_minutes=params.max_minutes, ceiling_label=f"{format_minutes(params.max_minutes)}: METR's reliability limit",
            title="Where agents are now: METR's measurements and ECI nowcasts",
            description=(f"Scatter on a log axis of 50% time horizon against model release date since {format_date(since)}: METR's "
                         "measurements with 95% intervals, nowcasts from Epoch's Capabilities Index for frontier models "
                         f"released after {numbers['newest_metr_date']} with {100 * level:.0f}% prediction intervals "
                         "(diamonds), METR's non-robust GPT-5.6 Sol estimate, and chapter 1's METR trend with its "
                         "prediction band, and a rule at the report's date. Tap or hover a point for its values."),
            width=params.chart_width, height=params.chart_height,
            today=pd.Timestamp(params.as_of), today_label=f"Today ({format_date(params.as_of)})"),
        "fig_benchmarks_frontiers": charts.benchmark_frontiers_chart(
            section["points"], section["lines"], section["rules"],
            title="The benchmarks behind \"AI trains itself\": frontier by date",
            description=("Small multiples, one per benchmark: every model's score against its release date (MLE-bench: "
                         "submission date) on a logit axis, frontier records highlighted, a logit-linear trend through "
                         "the records with a 95% bootstrap band, and a dashed line at the human reference or saturation "
                         "level. Tap or hover a point for its values."),
            cell_width=220, cell_height=170),
        "fig_benchmarks_bridge": charts.bridge_chart(
            _bridge_points(points, compared, bridge, level), _bridge_line(bridge, points, compared, level, calibrated["factor"]), ticks=ticks,
            title="The bridge: METR's horizon against Epoch's Capabilities Index",
            description=(f"Scatter on a log axis of METR's 50% horizon against ECI for the {bridge.n} models with both, "
                         f"the least-squares line with its calibrated {100 * level:.0f}% prediction band, and the nowcasts at their "
                         "ECI scores. Tap or hover a point for its values."),
            width=params.chart_width, height=300),
    }
    # --- the forecast actually used (chapter 4's headline), owned by the forecast branch (issue 20)
    numbers |= forecast_check_numbers(nowcasts, horizons, float(sol["value"]), pd.Timestamp(sol["date"]), params, level)
    return ChapterResult(page="benchmarks", numbers=numbers, tables=tables, figures=figures,
                         data={"nowcasts": compared, "bridge": bridge, "sequential_backtest": sequential,
                               "single_backtest": single, "frontiers": section, "chapter1_trend": chapter1,
                               "break_date": break_date})


def _bridge_points(points: pd.DataFrame, compared: pd.DataFrame, bridge, level: float) -> pd.DataFrame:
    measured = pd.DataFrame({"eci": points["eci"], "horizon_min": points["p50"], "kind": "METR measurement",
                             "display_name": points["display_name"], "horizon_text": points["p50"].map(format_minutes)})
    now = pd.DataFrame({"eci": compared["eci"], "horizon_min": compared["p50_pred"], "kind": "Nowcast from ECI",
                        "display_name": compared["model"], "horizon_text": compared["p50_pred"].map(format_minutes)})
    return pd.concat([measured, now], ignore_index=True).assign(eci_text=lambda f: f["eci"].map(lambda v: f"{v:.1f}"))


def _bridge_line(bridge, points: pd.DataFrame, compared: pd.DataFrame, level: float, factor: float) -> pd.DataFrame:
    """The bridge and its prediction band, widened by the calibration factor (as the nowcasts are)."""
    grid = np.linspace(points["eci"].min(), max(points["eci"].max(), compared["eci"].max()), 60)
    low, high = bridge.interval_log2(grid, level)
    centre, half = bridge.predict_log2(grid), factor * (high - low) / 2
    return pd.DataFrame({"eci": grid, "fitted_min": 2.0**centre, "band_low_min": 2.0 ** (centre - half),
                         "band_high_min": 2.0 ** (centre + half)})


UNMEASURED = "unmeasured: no score anywhere"
TOP_V12 = 5  # the v1.2 table shows the top agents and every agent v1.1 also scored


def _posttrainbench_v12(section: dict) -> dict:
    """PostTrainBench v1.2 as its own series: its leaderboard, how far its scale sits from v1.1's on
    the models both scored, and the frontier table's PostTrainBench row brought up to date."""
    v12 = benchmarks.load_posttrainbench_v12().sort_values("score", ascending=False).reset_index(drop=True)
    released = format_date(benchmarks.load_sources().set_index("table").loc["posttrainbench_v12.csv", "as_of"])
    v11 = benchmarks.load_posttrainbench().set_index("model")["score"]
    pairs = benchmarks.load_posttrainbench_versions()
    both = pairs.assign(v12=pairs["v12_agent"].map(v12.set_index("agent")["score"]), v11=pairs["v11_model"].map(v11))
    both = both.dropna(subset=["v12", "v11"])
    top = v12.iloc[0]
    reference = float(section["references"].set_index("reference").loc["official instruct models", "score"])
    ptb_row = section["table"]["Benchmark"] == "PostTrainBench"
    section["table"].loc[ptb_row, "Reached"] = (
        f"not in v1.1 data ({section['table'].loc[ptb_row, 'Reached'].iloc[0].removeprefix('not in the data; ')}); "
        f"v1.2, a separate series on its own scale: best {top['agent']} {100 * top['score']:.1f}% "
        f"({released}, fact F16), no reference row")
    shown = v12[(v12.index < TOP_V12) | v12["agent"].isin(both["v12_agent"])]
    v12 = shown.reset_index(drop=True)
    table = pd.DataFrame({
        "Agent (v1.2)": v12["agent"], "Score": (100 * v12["score"]).map(lambda v: f"{v:.1f}%"),
        "Runs": v12["n_runs"], "Same model in v1.1 (Epoch's copy)": v12["agent"].map(
            both.set_index("v12_agent")["v11"].map(lambda v: f"{100 * v:.1f}%")).fillna(""),
        "Note": v12["note"],
    })
    return {"table": table, "numbers": {
        "ptb12_count": len(benchmarks.load_posttrainbench_v12()),
        "ptb12_date": released,
        "ptb12_top_agent": top["agent"], "ptb12_top_pct1": 100 * float(top["score"]),
        "ptb12_second_agent": v12.iloc[1]["agent"], "ptb12_second_pct1": 100 * float(v12.iloc[1]["score"]),
        "ptb12_astra_pct1": 100 * float(v12.set_index("agent").loc["GPT-6-Astra", "score"]),
        "ptb12_top_runs_count": int(top["n_runs"]),
        "ptb12_common_count": len(both),
        "ptb12_lower_count": int((both["v12"] < both["v11"]).sum()),
        "ptb12_ratio_share": float((both["v12"] / both["v11"]).median()),
        "ptb12_vs_v11_reference_share": float(top["score"]) / reference,
    }}


def _rsi_numbers(quoted: pd.DataFrame) -> dict:
    """Vals' RSI Index (fact F17), quoted with its caveats: secondary copies, a log-normalised scale."""
    rsi = quoted.loc["F17"]
    return {
        "rsi_opus55_pct1": 100 * float(rsi.loc["vals_rsi_opus_5_5", "value"]),
        "rsi_fable51_pct1": 100 * float(rsi.loc["vals_rsi_fable_5_1", "value"]),
        "rsi_opus5_pct1": 100 * float(rsi.loc["vals_rsi_opus_5", "value"]),
        "rsi_argon_pct1": 100 * float(rsi.loc["vals_rsi_gemini_4_argon", "value"]),
        "rsi_reference_share": float(rsi.loc["vals_rsi_human_reference", "value"]),
        "rsi_projection_share": float(rsi.loc["vals_rsi_projection_date", "value"]),
        "rsi_projection_month": format_month(rsi.loc["vals_rsi_projection_date", "date"]),
        "rsi_date": format_date(rsi.loc["vals_rsi_opus_5_5", "date"]),
    }


def _new_models_table(compared: pd.DataFrame, snapshots: pd.DataFrame, quoted: pd.DataFrame) -> pd.DataFrame:
    """Frontier models released after Epoch's file (fact F13): which source scored each, and the
    ones no source scored, flagged unmeasured."""
    models = benchmarks.load_new_models().sort_values(["release_date", "model"], kind="stable")
    eci_page = snapshots.drop_duplicates("model_name", keep="last").set_index("model_name")
    v12 = benchmarks.load_posttrainbench_v12().set_index("agent")["score"]
    rsi = quoted.loc["F17"]["value"] if "F17" in quoted.index.get_level_values(0) else pd.Series(dtype=float)
    nowcasts = compared.set_index("model")
    rows = []
    for m in models.itertuples():
        eci = (f"{eci_page.loc[m.eci_snapshot_model, 'eci']:.0f} [{eci_page.loc[m.eci_snapshot_model, 'eci_low']:.0f}, "
               f"{eci_page.loc[m.eci_snapshot_model, 'eci_high']:.0f}]") if m.eci_snapshot_model else ""
        horizon = ""
        if m.eci_snapshot_model in nowcasts.index:
            n = nowcasts.loc[m.eci_snapshot_model]
            horizon = f"{format_minutes(n['p50_pred'])} ({format_minutes(n['p50_low'])} to {format_minutes(n['p50_high'])})"
        ptb = f"{100 * v12[m.posttrainbench_v12_agent]:.1f}%" if m.posttrainbench_v12_agent else ""
        vals = f"{100 * rsi[m.vals_rsi_quantity]:.1f}% [low confidence]" if m.vals_rsi_quantity else ""
        scored = any((eci, ptb, vals))
        note = "" if m.release_date_note.startswith("released") else f", {m.release_date_note}"
        rows.append({"Model": m.model, "Released": f"{format_date(m.release_date)} ({m.fact_id}{note})",
                     "METR horizon": "none (E5)", "ECI, 8 Sep page": eci, "Nowcast 50% horizon": horizon,
                     "PostTrainBench v1.2": ptb, "Vals RSI Index": vals,
                     "Status": ("nowcast" if horizon else "scored, no horizon") if scored else UNMEASURED})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ owned by the forecast branch (issue 20)


def forecast_check_numbers(nowcasts, horizons, sol_minutes, sol_date, params, level) -> dict:
    """The post-May evidence (nowcasts after METR's last model, METR's figure for GPT-5.6 Sol) against
    chapter 4's headline forecast, not only chapter 1's since-2023 line."""
    later = nowcasts[nowcasts["release_date"] > horizons["release_date"].max()]
    observed = pd.concat([later[["model", "release_date"]].assign(p50=later["p50_pred"]),
                          pd.DataFrame({"model": ["METR: GPT-5.6 Sol"], "release_date": [sol_date], "p50": [sol_minutes]})],
                         ignore_index=True)
    against = forecast.compare_with_forecast(observed, horizons, params, level)
    nowcast_rows, sol_row = against.iloc[:-1], against.iloc[-1]
    return {
        "fc_nowcast_count": len(nowcast_rows),
        "fc_inside_count": int(nowcast_rows["inside"].sum()),
        "fc_below_median_count": int((nowcast_rows["doublings_off"] < 0).sum()),
        "fc_off_low_signed_log2": float(nowcast_rows["doublings_off"].min()),
        "fc_off_high_signed_log2": float(nowcast_rows["doublings_off"].max()),
        "fc_sol_off_signed_log2": float(sol_row["doublings_off"]),
        "fc_sol_forecast_min": float(sol_row["forecast_min"]),
        "fc_sol_below_share": float(sol_row["share_below"]),
        "fc_level_share": level,
        "fc_side": ("on the low side of" if (nowcast_rows["doublings_off"] < 0).mean() > 0.5 else
                    "on the high side of" if (nowcast_rows["doublings_off"] > 0).mean() > 0.5 else "around the middle of"),
    }
