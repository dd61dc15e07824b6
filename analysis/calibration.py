"""The calibration record: the whole forecasting procedure (weight rules with their Bayesian
bootstrap, the scenarios' draws, trend changes, the models' scatter) rerun at past origins on the
data released before each origin, and its 80% intervals scored against what came later.

Two kinds of target: the date the frontier first showed a 50% horizon of at least a threshold
(15, 30 minutes, 1, 2, 4, 8 hours) that no model had shown by the origin; and the 50% horizon of
every later frontier model. Each origin uses ``params.calibration_draws`` draws per scenario and
``params.calibration_weight_draws`` bootstrap replicates (modest counts, so the record reruns in
seconds); origins with fewer than ``params.calibration_min_models`` frontier models are skipped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import forecast, trend
from analysis.params import Params, digest

COLUMNS = ["origin", "target", "kind", "lead_days", "actual", "low", "high", "covered", "log2_error", "log2_half_width"]
_CACHE: dict[tuple, pd.DataFrame] = {}


def origins(horizons: pd.DataFrame, params: Params) -> list[pd.Timestamp]:
    """Quarterly origins from ``params.calibration_start`` to the newest model, each with at least
    ``params.calibration_min_models`` frontier models released before it and something after it."""
    end = horizons["release_date"].max()
    dates = pd.date_range(params.calibration_start, end, freq=f"{params.calibration_step_months}MS")
    keep = []
    for date in dates:
        before = forecast.horizons_before(horizons, date)
        if len(trend.select_points(before, max_minutes=params.max_minutes)) >= params.calibration_min_models:
            keep.append(pd.Timestamp(date))
    return keep


def first_crossings(horizons: pd.DataFrame, thresholds) -> dict[float, pd.Timestamp]:
    """The release date of the first model whose measured 50% horizon reached each threshold (minutes)."""
    ordered = horizons.sort_values("release_date", kind="stable")
    out = {}
    for minutes in thresholds:
        hit = ordered[ordered["p50"] >= minutes]
        if len(hit):
            out[float(minutes)] = hit["release_date"].iloc[0]
    return out


def _arrival_interval(out: forecast.Outlook, minutes: float, params: Params, level: float) -> tuple[float, float]:
    """Days since DAY0 (low, high) by which a measured model would first show ``minutes``: each row's
    curve under its change history, shifted by one draw of the models' scatter."""
    chosen = (out.rows["metric"] == "p50").to_numpy()
    rows = out.rows[chosen]
    noise = params.rng("calibration/arrival-scatter").normal(0.0, out.scatter, size=len(out.rows))[chosen]
    tau = forecast.arrival_days(rows, 2.0 ** (np.log2(minutes) - noise))
    full = np.full(len(out.histories), np.inf)
    full[chosen] = tau
    days = out.histories.x_of_tau(full)[chosen]
    low, high = forecast.weighted_quantiles(days, rows["w_mixture"].to_numpy(), (0.5 - level / 2, 0.5 + level / 2))
    return low, high


def record(horizons: pd.DataFrame, params: Params, level: float = 0.8) -> pd.DataFrame:
    """One row per (origin, target): lead (days from origin to the target's date), the actual value
    and the interval (dates as days since DAY0 for crossings, minutes for horizons), and coverage."""
    key = (digest(trend.days_since_origin(horizons["release_date"]), horizons["p50"].to_numpy(dtype=float)),
           params, level)
    if key in _CACHE:
        return _CACHE[key].copy()
    crossings = first_crossings(horizons, params.calibration_thresholds_min)
    frontier = trend.select_points(horizons, max_minutes=params.max_minutes)
    rows = []
    for origin in origins(horizons, params):
        data = forecast.horizons_before(horizons, origin)
        out = forecast.outlook(data, params, n_draws=params.calibration_draws, metrics=("p50",),
                               n_bootstrap=params.calibration_weight_draws)
        x_origin = trend.days_since_origin([origin])[0]
        shown = data["p50"].max()
        for minutes, date in crossings.items():
            if minutes <= shown or date < origin:
                continue
            low, high = _arrival_interval(out, minutes, params, level)
            actual = trend.days_since_origin([date])[0]
            rows.append({"origin": origin, "target": f"first {minutes:g} min", "kind": "crossing",
                         "lead_days": actual - x_origin, "actual": actual, "low": low, "high": high})
        later = frontier[frontier["release_date"] >= origin]
        if len(later):
            values, weights = forecast.predictive_samples(out, later["release_date"], params)
            for j, model in enumerate(later.itertuples()):
                low, high = forecast.weighted_quantiles(values[:, j], weights, (0.5 - level / 2, 0.5 + level / 2))
                actual = trend.days_since_origin([model.release_date])[0]
                rows.append({"origin": origin, "target": model.display_name, "kind": "horizon",
                             "lead_days": actual - x_origin, "actual": float(model.p50),
                             "low": 2.0**low, "high": 2.0**high})
    frame = pd.DataFrame(rows, columns=["origin", "target", "kind", "lead_days", "actual", "low", "high"])
    frame["covered"] = (frame["actual"] >= frame["low"]) & (frame["actual"] <= frame["high"])
    horizon = frame["kind"] == "horizon"
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["log2_error"] = np.where(horizon, np.log2(frame["actual"]) - 0.5 * np.log2(frame["low"] * frame["high"]),
                                       frame["actual"] - 0.5 * (frame["low"] + frame["high"]))
        frame["log2_half_width"] = np.where(horizon, 0.5 * np.log2(frame["high"] / frame["low"]),
                                            0.5 * (frame["high"] - frame["low"]))
    _CACHE[key] = frame
    return frame.copy()


def coverage_by_lead(frame: pd.DataFrame, bins=(0, 180, 365, 730, np.inf)) -> pd.DataFrame:
    """Coverage and count per lead-time bin (days) and kind."""
    labels = [f"{int(a)}-{int(b)} days" if np.isfinite(b) else f"over {int(a)} days" for a, b in zip(bins[:-1], bins[1:])]
    binned = frame.assign(lead=pd.cut(frame["lead_days"], bins=list(bins), labels=labels, right=False))
    table = binned.groupby(["lead", "kind"], observed=True)["covered"].agg(["mean", "size"]).reset_index()
    return table.rename(columns={"mean": "coverage", "size": "count"})


def widening_factor(frame: pd.DataFrame, level: float) -> float:
    """The smallest factor (on a 0.05 grid from 1) by which scaling every interval's half-width about
    its centre makes the record cover at least ``level`` (the stated widening rule)."""
    for factor in np.arange(1.0, 5.0001, 0.05):
        covered = (np.abs(frame["log2_error"]) <= factor * frame["log2_half_width"]).mean()
        if covered >= level:
            return float(round(factor, 2))
    return 5.0
