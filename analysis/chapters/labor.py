"""Chapter 4, the labour-market argument: the automation-risk premium against the scarcity reading."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import charts, facts, forecast, labor, metr
from analysis.chapters import ChapterResult
from analysis.params import Params
from analysis.points import milestone_text
from analysis.text import as_text, format_dollars, format_month


def build(params: Params) -> ChapterResult:
    pay = facts.load_labor("pay")
    employment = facts.load_labor("employment")
    headcount = facts.load_labor("safety_headcount")
    scenarios = list(params.scenarios)
    # the same draws and weights as chapter 3: each scenario's stream is named and the weights follow
    # forecast.scenario_weights (chapter 2's backtest), so both pages get the same mixture
    draws = forecast.scenario_draws(metr.load_horizons("1.1"), params, params.rng, n_draws=params.n_forecast_draws)
    career = labor.Career(
        years=params.career_years, discount=params.discount_rate, wage_growth=params.wage_growth,
        post_automation=params.post_automation_share, lag_years=params.automation_lag_years,
    )
    milestone = dict(minutes=60 * params.milestone_hours()[params.labor_milestone], metric=params.labor_reliability,
                     reference=params.listing_date)
    years, weights = forecast.arrival_years(draws, **milestone)
    premiums = {"Mixture": labor.risk_premium(years, weights, career)}
    premiums |= {name: labor.risk_premium(*forecast.arrival_years(draws, scenario=name, **milestone), career)
                 for name in scenarios}
    sensitivity = labor.premium_sensitivity(years, weights, career, {n: (lo, hi) for n, lo, hi in params.sensitivity})
    arrival = tuple(forecast.weighted_quantiles(years, weights))
    supply_growth = headcount.set_index("item_id").loc["technical_growth", "value"] / 100
    listing_premium = labor.pay_ratios(pay, "openai_rsi_listing", "cirs_median_2024")
    halving = {g: labor.halving_years(listing_premium[0] - 1, supply_growth=supply_growth, demand_growth=g,
                                      elasticity=params.scarcity_elasticity) for g in params.scarcity_demand_growth}

    numbers = labor_numbers(pay, employment, headcount, premiums=premiums, sensitivity=sensitivity,
                            arrival=arrival, halving=halving, career=career)
    by_phi = labor.premium_by_post_automation(years, weights, career, PHI_GRID)
    numbers |= {f"premium_phi{round(100 * phi)}_share": premium for phi, premium in zip(by_phi["phi"], by_phi["premium"])}
    numbers |= sensitivity_numbers(sensitivity)
    numbers["demand_mid_pct"] = 100 * params.scarcity_demand_growth[1]
    numbers["milestone_text"] = milestone_text(params.milestone_hours()[params.labor_milestone], params.labor_reliability)

    figures = {
        "fig_salaries": charts.salary_chart(
            pay_points(pay), title="What AI-research expertise is paid, by source",
            description="Range chart on a log dollar scale: the OpenAI listing's pay range against BLS medians and reported frontier-lab pay and offers.",
            width=params.chart_width - 150,
        ),
        "fig_value": charts.career_value_chart(
            value_curve_points(labor.value_by_automation_year(career, np.linspace(0, params.career_years, 61))),
            pd.DataFrame({"low": [arrival[0]], "high": [arrival[2]], "label": ["10-90% range of the trend's arrival"]}),
            title="A career's value falls steeply the sooner its work is automated",
            description="Line chart: value of a specialised career without a premium, relative to an unexposed career, against the year its work is automated, with the trend's 10-90% arrival range shaded.",
            width=params.chart_width,
        ),
        "fig_premium": charts.premium_chart(
            premium_points(premiums),
            pd.DataFrame({"low": [listing_premium[0] - 1], "high": [listing_premium[1] - 1],
                          "label": ["The listing's range over the BLS median"]}),
            title="Premium that automation risk alone would justify, by scenario",
            description="Bar chart: automation-risk premium under each growth scenario and the mixture; shaded band: the listing's premium over the BLS median for research scientists.",
            width=params.chart_width - 100,
        ),
        "fig_tornado": charts.tornado_chart(
            sensitivity_points(sensitivity), title="Which assumption moves the premium most",
            description="Tornado chart: the automation-risk premium with each assumption at the low and high end of its range, the others at their base values.",
            width=params.chart_width - 100,
        ),
        "fig_precedent": charts.precedent_chart(
            precedent_points(employment), title="Computer programmers employed: the precedent",
            description="Scatter plot: computer-programmer employment in a few sourced years, Current Population Survey figures (lower bounds from a news report) and the BLS Occupational Outlook Handbook.",
            width=params.chart_width,
        ),
    }
    caveats = pay.loc[pay["verified"] == "no", ["label", "caveat", "source_url"]].rename(
        columns={"label": "Figure", "caveat": "Caveat", "source_url": "Source"})  # Source: rendered as links
    quoted = facts.load_quoted_figures()
    weighed = labor.weigh_readings(facts.load_readings(), labor.figure_values(quoted, employment))
    numbers |= readings_numbers(weighed, quoted)
    tables = {"tbl_caveats": caveats, "tbl_phi": phi_table_text(by_phi, career.post_automation),
              "tbl_readings": readings_table_text(weighed)}
    return ChapterResult(page="labor", numbers=numbers, tables=tables, figures=figures, data={
        "premiums": premiums, "by_phi": by_phi, "sensitivity": sensitivity, "arrival": arrival, "halving": halving,
        "listing_premium": listing_premium, "career": career, "readings": weighed})


# ------------------------------------------------------------------ 2026's labour data against the two readings
PREDICTION_TEXT = {"holds": "predicts it", "fails": "predicts the opposite", "silent": "says nothing"}


def _figure_text(value: float, unit: str, signed: bool) -> str:
    if unit == "share":
        shown = f"{100 * value:.3g}%"
        return f"+{shown}" if signed and value > 0 else shown.replace("-", "−")
    return f"{value:,.0f}"


def readings_table_text(weighed: pd.DataFrame) -> pd.DataFrame:
    """Each observation, its source and type, what each reading predicts, what the data show and
    what the row tells, as the page shows them."""
    signed = (weighed["value"] < 0) | (weighed["reference_value"] < 0)
    figures = [f"{_figure_text(v, u, s)} against {_figure_text(r, u, s)}" if name != "other_labs" else f"{v:.0f} found"
               for name, v, r, u, s in zip(weighed["item_id"], weighed["value"], weighed["reference_value"],
                                           weighed["unit"], signed)]
    return pd.DataFrame({
        "Observation": weighed["observation"],
        "Figure": figures,
        "Source type": weighed["source_type"],
        "Scarcity peak": weighed["scarcity"].map(PREDICTION_TEXT),
        "Automation hedge": weighed["hedge"].map(PREDICTION_TEXT),
        "The data show it": weighed["observed"].map({True: "yes", False: "no"}),
        "What it tells": weighed["verdict"],
        "Caveat": weighed["note"] + " (" + weighed["confidence"] + " confidence)",
        "Fact": weighed["fact_id"],
        "Source": weighed["source_url"].replace("", None),
    })


def readings_numbers(weighed: pd.DataFrame, quoted: pd.DataFrame) -> dict[str, float | str]:
    """The counts and names the section's prose quotes, and the labs' headcount growth (fact F20)."""
    fits = {reading: weighed[f"{reading}_fit"] == "fits" for reading in labor.READINGS}
    both = fits["scarcity"] & fits["hedge"]
    opposed = (weighed["scarcity_fit"] == "contradicted") & fits["hedge"] | (weighed["hedge_fit"] == "contradicted") & fits["scarcity"]
    q = quoted.set_index("figure")
    growth = lambda new, old: labor.annual_growth(q.loc[old, "value"], q.loc[new, "value"], q.loc[old, "date"], q.loc[new, "date"])  # noqa: E731
    lower = lambda name: weighed.loc[name, "observation"][0].lower() + weighed.loc[name, "observation"][1:]  # noqa: E731
    return {
        "readings_count": len(weighed),
        "scarcity_fits_count": int(fits["scarcity"].sum()),
        "hedge_fits_count": int(fits["hedge"].sum()),
        "both_count": int(both.sum()),
        "both_text": "; ".join(lower(i) for i in weighed.index[both]) or "none",
        "opposed_count": int(opposed.sum()),
        "opposed_text": "; ".join(lower(i) for i in weighed.index[opposed]) or "none",
        "opposed_confidence": ", ".join(sorted(set(weighed.loc[opposed, "confidence"]))) or "no",
        "scarcity_only_count": int((fits["scarcity"] & (weighed["hedge_fit"] == "silent")).sum()),
        "hedge_only_count": int((fits["hedge"] & (weighed["scarcity_fit"] == "silent")).sum()),
        "source_types_count": weighed["source_type"].nunique(),
        "openai_staff_count": q.loc["openai_staff_2026", "value"],
        "openai_staff_before_count": q.loc["openai_staff_2024", "value"],
        "openai_growth_pct": 100 * growth("openai_staff_2026", "openai_staff_2024"),
        "anthropic_growth_pct": 100 * growth("anthropic_staff_2026", "anthropic_staff_2025"),
        "senior_rise_share": q.loc["senior_share_of_increase", "value"],
        "rebound_share": q.loc["software_postings_rebound", "value"],
        "remote_share": q.loc["remote_work_share", "value"],
    }


PHI_GRID = (0.0, 0.25, 0.5, 0.75, 0.9, 1.0)  # pay after automation as a share of the baseline wage
TIE_TOLERANCE = 0.01  # two swings within 1% of each other are reported as a tie, not a ranking


def sensitivity_numbers(table: pd.DataFrame) -> dict[str, float | str]:
    """The assumption(s) that move the premium most; near-equal swings are named together as a tie."""
    top = table.iloc[0]
    tied = table[table["swing"] >= top["swing"] * (1 - TIE_TOLERANCE)]
    names = [SENSITIVITY_LABELS[p].split(" (")[0].lower() for p in tied["parameter"]]
    lows = tied[["premium_at_low", "premium_at_high"]].min(axis=1)
    highs = tied[["premium_at_low", "premium_at_high"]].max(axis=1)
    numbers: dict[str, float | str] = {
        "top_tied_count": len(tied),
        "top_sensitivity": names[0] if len(names) == 1 else " and ".join([", ".join(names[:-1]), names[-1]]),
        "top_swing_share": top["swing"],
        "second_swing_share": table.iloc[1]["swing"],
        "tie_tolerance_share": TIE_TOLERANCE,
    }
    for i, (low, high) in enumerate(zip(lows, highs), start=1):
        numbers[f"top{i}_name"] = names[i - 1]
        numbers[f"top{i}_low_share"] = low
        numbers[f"top{i}_high_share"] = high
    second = SENSITIVITY_LABELS[table.iloc[1]["parameter"]].split(" (")[0].lower()
    share = lambda v: as_text({"v_share": v})["v_share"]  # noqa: E731 - the one formatting rule, inline
    if len(tied) > 1:
        numbers["top_summary"] = f"above all {len(tied)} that tie, {numbers['top_sensitivity']}"
        numbers["top_sentence"] = (
            f"Assumptions tie at the top: across its range, {names[0]} moves the premium from "
            f"{share(lows.iloc[0])} to {share(highs.iloc[0])}, and {names[1]} from {share(lows.iloc[1])} to "
            f"{share(highs.iloc[1])}, swings of {share(top['swing'])} and {share(table.iloc[1]['swing'])} of the "
            f"baseline wage, within {share(TIE_TOLERANCE)} of each other: neither ranks above the other.")
    else:
        numbers["top_summary"] = f"above all {names[0]}, then {second}"
        numbers["top_sentence"] = (
            f"One assumption moves it most: across its range, {names[0]} moves the premium from "
            f"{share(lows.iloc[0])} to {share(highs.iloc[0])}, a swing of {share(top['swing'])} of the baseline "
            f"wage, against {share(table.iloc[1]['swing'])} for the next, {second}.")
    return numbers


def phi_table_text(by_phi: pd.DataFrame, central: float) -> pd.DataFrame:
    return pd.DataFrame({
        "Pay after automation (share of the baseline wage)": [
            f"{100 * phi:.0f}%" + (" (central assumption)" if phi == central else "")
            + (" (the baseline career stays open)" if phi == 1 else "") for phi in by_phi["phi"]],
        "Automation-risk premium (scenario mixture)": [f"{100 * p:.0f}%" for p in by_phi["premium"]],
    })


SENSITIVITY_LABELS = {
    "post_automation": "Pay after automation (share of baseline)",
    "lag_years": "Lag from capability to displacement (years)",
    "discount": "Discount rate",
    "wage_growth": "Real wage growth",
    "years": "Career length (years)",
}


def pay_points(pay: pd.DataFrame) -> pd.DataFrame:
    """Pay figures for the salary chart, with source kind and readable ranges."""
    kind = np.select(
        [pay["item_id"] == "openai_rsi_listing", pay["survey"].str.startswith("BLS"), pay["confidence"] == "low"],
        ["The listing", "BLS (official statistics)", "Reported lab pay (low confidence)"],
        default="Reported offers (press)",
    )
    return pd.DataFrame(
        {
            "label": pay["label"],
            "value_low": pay["value_low"],
            "value_high": pay["value_high"],
            "kind": kind,
            "survey": pay["survey"],
            "date_text": pay["reference_date"].map(format_month),
            "range_text": [format_dollars(lo) if lo == hi else f"{format_dollars(lo)} to {format_dollars(hi)}"
                           for lo, hi in zip(pay["value_low"], pay["value_high"])],
            "source_url": pay["source_url"],
            "caveat": pay["caveat"],
        }
    )


def sensitivity_points(table: pd.DataFrame) -> pd.DataFrame:
    def setting(name, value):
        return f"{100 * value:.0f}%" if name in ("discount", "wage_growth", "post_automation") else f"{value:g}"

    return pd.DataFrame(
        {
            "parameter_text": table["parameter"].map(SENSITIVITY_LABELS),
            "premium_at_low": table["premium_at_low"],
            "premium_at_high": table["premium_at_high"],
            "base": table["base"],
            "base_text": [f"Central assumptions: {100 * b:.0f}%" for b in table["base"]],
            "low_text": [f"{setting(n, v)}: premium {100 * p:.0f}%" for n, v, p in
                         zip(table["parameter"], table["low_value"], table["premium_at_low"])],
            "high_text": [f"{setting(n, v)}: premium {100 * p:.0f}%" for n, v, p in
                          zip(table["parameter"], table["high_value"], table["premium_at_high"])],
        }
    )


def premium_points(premiums: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"scenario": list(premiums), "premium": list(premiums.values()),
         "premium_text": [f"{100 * p:.0f}%" for p in premiums.values()]}
    )


def value_curve_points(curve: pd.DataFrame) -> pd.DataFrame:
    return curve.assign(value_text=curve["relative_value"].map(lambda v: f"{100 * v:.0f}%"))


def precedent_points(employment: pd.DataFrame) -> pd.DataFrame:
    levels = employment[(employment["occupation"] == "Computer programmers") & employment["unit"].str.startswith("jobs")]
    bound = levels["unit"].str.contains("lower bound").to_numpy()
    return pd.DataFrame(
        {
            "year": levels["year"],
            "value": levels["value"],
            "arrow_top": levels["value"] * np.where(bound, 1.25, 1.0),  # the arrow says "or more"; its length means nothing
            "survey": levels["survey"],
            "bound": bound,
            "kind": np.where(bound, charts.LOWER_BOUND_LABEL, charts.EXACT_COUNT_LABEL),
            "label": [f"{v:,.0f}{' or more' if b else ''} ({int(y)})"
                      for v, b, y in zip(levels["value"], bound, levels["year"])],
            "caveat": levels["caveat"],
        }
    )


def labor_numbers(
    pay: pd.DataFrame,
    employment: pd.DataFrame,
    headcount: pd.DataFrame,
    *,
    premiums: dict[str, float],
    sensitivity: pd.DataFrame,
    arrival: tuple[float, float, float],
    halving: dict[float, float],
    career,
) -> dict[str, float | str]:
    items = pay.set_index("item_id")
    listing_low, listing_high = items.loc["openai_rsi_listing", ["value_low", "value_high"]]
    cirs = items.loc["cirs_median_2024", "value_low"]
    jobs = employment.set_index("item_id")["value"]
    heads = headcount.set_index("item_id")["value"]
    numbers: dict[str, float | str] = {
        "listing_low_usd": format_dollars(listing_low),
        "listing_high_usd": format_dollars(listing_high),
        "cirs_median_usd": format_dollars(cirs),
        "listing_low_ratio": listing_low / cirs,
        "listing_high_ratio": listing_high / cirs,
        "listing_premium_low_share": listing_low / cirs - 1,
        "listing_premium_high_share": listing_high / cirs - 1,
        "all_median_usd": format_dollars(items.loc["all_occupations_median_2024", "value_low"]),
        "lab_tc_low_usd": format_dollars(items.loc["openai_research_scientist_tc", "value_low"]),
        "lab_tc_high_usd": format_dollars(items.loc["openai_research_scientist_tc", "value_high"]),
        "lab_l5_low_usd": format_dollars(items.loc["anthropic_l5_tc", "value_low"]),
        # same employer, similar role (fact C11, low confidence): the listing's ceiling against the reported floor
        "listing_below_lab_pct": 100 * (1 - listing_high / items.loc["openai_research_scientist_tc", "value_low"]),
        "cirs_jobs_count": jobs["cirs_jobs_2024"],
        "safety_technical_count": heads["technical_2025"],
        "safety_growth_pct": heads["technical_growth"],
        "programmers_drop_pct": abs(jobs["programmers_cps_drop"]),
        "swdev_change_pct": jobs["swdev_cps_change"],
        "premium_mixture_share": premiums["Mixture"],
        "premium_min_share": min(v for k, v in premiums.items() if k != "Mixture"),
        "premium_max_share": max(v for k, v in premiums.items() if k != "Mixture"),
        "arrival_p10_years_stat": arrival[0],
        "arrival_median_years_stat": arrival[1],
        "arrival_p90_years_stat": arrival[2],
        "career_years_stat": career.years,
        "discount_share": career.discount,
        "wage_growth_share": career.wage_growth,
        "post_automation_share": career.post_automation,
        "lag_years_stat": career.lag_years,
        "top_sensitivity": SENSITIVITY_LABELS[sensitivity.loc[0, "parameter"]].lower(),
        "top_low_share": min(sensitivity.loc[0, ["premium_at_low", "premium_at_high"]]),
        "top_high_share": max(sensitivity.loc[0, ["premium_at_low", "premium_at_high"]]),
    }
    for growth, years in halving.items():
        numbers[f"halving_{int(round(100 * growth))}_stat"] = years
    return numbers
