"""The labour-market argument: what premium would automation risk alone justify, against scarcity.

Careers are valued in continuous time. A wage w growing at g and discounted at r is worth

    V(a, b) = w * (exp(k b) - exp(k a)) / k,   k = g - r   (and w * (b - a) when k = 0)

between years a and b. The specialised AI-research career pays w_b (1 + premium) until its work is
automated at time T (years from the start), then phi * w_b (phi = 0: displaced; 0 < phi < 1: a wage
cut) until the career ends at L. The baseline career pays w_b throughout. Equal expected value gives
the **automation-risk premium**

    premium = (1 - phi) * E[V(min(T, L), L)] / E[V(0, min(T, L))],

the pay rise that automation risk alone would justify. T comes from chapter 3's arrival draws.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Career:
    years: float = 30.0  # career length L (years)
    discount: float = 0.05  # real discount rate r (per year)
    wage_growth: float = 0.02  # real wage growth g (per year)
    post_automation: float = 0.5  # phi: pay after automation as a share of the baseline wage
    lag_years: float = 2.0  # years from the trend reaching the milestone to displacement in practice


def value(start, end, *, growth: float, discount: float, wage: float = 1.0):
    """Present value of a wage flow from ``start`` to ``end`` years (arrays allowed)."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    k = growth - discount
    if abs(k) < 1e-12:
        return wage * (end - start)
    return wage * (np.exp(k * end) - np.exp(k * start)) / k


def career_value(career: Career, *, automation_year=np.inf, premium: float = 0.0, wage: float = 1.0):
    """Value of the specialised career given an automation year (inf: never automated)."""
    cut = np.minimum(np.asarray(automation_year, dtype=float), career.years)
    cut = np.maximum(cut, 0.0)
    rates = dict(growth=career.wage_growth, discount=career.discount, wage=wage)
    return (1 + premium) * value(0.0, cut, **rates) + career.post_automation * value(cut, career.years, **rates)


def risk_premium(automation_years: np.ndarray, weights: np.ndarray, career: Career) -> float:
    """The premium equalising the expected specialised career with the baseline career."""
    cut = np.clip(np.asarray(automation_years, dtype=float) + career.lag_years, 0.0, career.years)
    weights = np.asarray(weights, dtype=float) / np.sum(weights)
    rates = dict(growth=career.wage_growth, discount=career.discount)
    before = np.sum(weights * value(0.0, cut, **rates))
    after = np.sum(weights * value(cut, career.years, **rates))
    if before <= 0:
        return np.inf
    return float((1 - career.post_automation) * after / before)


def premium_by_post_automation(
    automation_years: np.ndarray, weights: np.ndarray, career: Career, shares
) -> pd.DataFrame:
    """The premium across phi, pay after automation as a share of the baseline (phi = 1: the baseline
    career stays open to the same person, so automation costs nothing and the premium is 0)."""
    return pd.DataFrame({"phi": list(shares), "premium": [
        risk_premium(automation_years, weights, replace(career, post_automation=phi)) for phi in shares]})


def premium_sensitivity(
    automation_years: np.ndarray, weights: np.ndarray, career: Career, ranges: dict[str, tuple[float, float]]
) -> pd.DataFrame:
    """Tornado table: the premium with each Career parameter at its low and high value, others fixed."""
    base = risk_premium(automation_years, weights, career)
    rows = []
    for name, (low, high) in ranges.items():
        at_low = risk_premium(automation_years, weights, replace(career, **{name: low}))
        at_high = risk_premium(automation_years, weights, replace(career, **{name: high}))
        rows.append({"parameter": name, "low_value": low, "high_value": high,
                     "premium_at_low": at_low, "premium_at_high": at_high, "base": base})
    table = pd.DataFrame(rows)
    table["swing"] = (table["premium_at_high"] - table["premium_at_low"]).abs()
    return table.sort_values("swing", ascending=False).reset_index(drop=True)


def value_by_automation_year(career: Career, years: np.ndarray) -> pd.DataFrame:
    """Specialised career value (no premium) relative to the baseline, by a certain automation year."""
    baseline = career_value(career)
    shifted = np.asarray(years, dtype=float) + career.lag_years
    return pd.DataFrame({"automation_year": years, "relative_value": career_value(career, automation_year=shifted) / baseline})


def scarcity_path(premium: float, *, supply_growth: float, demand_growth: float, elasticity: float, years: np.ndarray) -> np.ndarray:
    """A scarcity premium under constant-elasticity demand: the wage moves as (demand / supply)^(1/e),
    so with supply and demand growing at constant rates the premium follows
    (1 + premium) * exp((ln(1 + g_d) - ln(1 + g_s)) t / e) - 1."""
    rate = (np.log1p(demand_growth) - np.log1p(supply_growth)) / elasticity
    return (1 + premium) * np.exp(rate * np.asarray(years, dtype=float)) - 1


def halving_years(premium: float, *, supply_growth: float, demand_growth: float, elasticity: float) -> float:
    """Years until a scarcity premium falls to half its size (inf if it does not shrink)."""
    rate = (np.log1p(demand_growth) - np.log1p(supply_growth)) / elasticity
    if rate >= 0:
        return np.inf
    return float(np.log((1 + premium / 2) / (1 + premium)) / rate)


def pay_ratios(pay: pd.DataFrame, item: str, reference: str) -> tuple[float, float]:
    """(low, high) of one pay item over the value of a reference item."""
    table = pay.set_index("item_id")
    base = table.loc[reference, "value_low"]
    return table.loc[item, "value_low"] / base, table.loc[item, "value_high"] / base


# ------------------------------------------------------------------ 2026's labour data against the two readings
READINGS = {"scarcity": "scarcity peak", "hedge": "automation hedge"}


def figure_values(quoted: pd.DataFrame, employment: pd.DataFrame) -> pd.DataFrame:
    """Every figure a reading's row may name, by name: the quoted figures (``facts.load_quoted_figures``)
    and the employment table's items, percentages as shares. Columns: value, unit, fact_id, source_url,
    confidence, verified, caveat."""
    columns = ["value", "unit", "fact_id", "source_url", "confidence", "verified", "caveat"]
    figures = quoted[quoted["figure"] != "statement"].set_index("figure")[columns]
    jobs = employment.set_index("item_id").copy()
    percent = jobs["unit"].str.startswith("percent")
    jobs.loc[percent, "value"] = jobs.loc[percent, "value"] / 100
    jobs.loc[percent, "unit"] = "share"
    return pd.concat([figures, jobs[columns]])


def _fit(prediction: str, observed: bool) -> str:
    if prediction == "silent":
        return "silent"
    return "fits" if (prediction == "holds") == observed else "contradicted"


def weigh_readings(readings: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Each observation's comparison evaluated on the data, and how each reading fares: ``fits`` (it
    predicted what the data show), ``contradicted`` or ``silent`` (it predicts nothing here), with a
    verdict that says which reading the row favours, or that it cannot tell them apart.

    Raises ValueError naming the row when a figure or reference is not a known figure or a number."""
    out = readings.copy()
    def lookup(item: str, name: str) -> float:
        if name in values.index:
            return float(values.loc[name, "value"])
        try:
            return float(name)
        except ValueError:
            raise ValueError(f"data/labor/readings.csv: {item}: {name!r} is neither a quoted figure nor a number") from None
    out["value"] = [lookup(i, f) for i, f in zip(out["item_id"], out["figure"])]
    out["reference_value"] = [lookup(i, r) for i, r in zip(out["item_id"], out["reference"])]
    out["observed"] = np.where(out["relation"] == "greater", out["value"] > out["reference_value"],
                               out["value"] < out["reference_value"])
    for reading in READINGS:
        out[f"{reading}_fit"] = [_fit(p, o) for p, o in zip(out[reading], out["observed"])]
    out["verdict"] = [_verdict(s, h) for s, h in zip(out["scarcity_fit"], out["hedge_fit"])]
    for column in ("fact_id", "source_url", "confidence", "verified", "caveat", "unit"):
        out[column] = [values.loc[f, column] if f in values.index else "" for f in out["figure"]]
    return out


def _verdict(scarcity: str, hedge: str) -> str:
    names = {"scarcity": scarcity, "hedge": hedge}
    fits = [READINGS[k] for k, v in names.items() if v == "fits"]
    against = [READINGS[k] for k, v in names.items() if v == "contradicted"]
    if len(fits) == 2:
        return "fits both: cannot tell them apart"
    if fits and against:
        return f"favours the {fits[0]}"
    if fits:
        return f"fits the {fits[0]}; the other is silent"
    if len(against) == 2:
        return "fits neither"
    if against:
        return f"against the {against[0]}; the other is silent"
    return "neither predicts it"


def annual_growth(start: float, end: float, start_date, end_date) -> float:
    """Compound growth a year between two dated levels: (end / start) ** (365.25 / days) - 1."""
    days = (pd.Timestamp(end_date) - pd.Timestamp(start_date)).days
    return float((end / start) ** (365.25 / days) - 1)
