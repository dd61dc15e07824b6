"""The nowcast: METR-style 50% horizons for models METR never measured, bridged from Epoch's ECI.

**The bridge.** Ordinary least squares of y = log2(METR's p50 in minutes) on x = the model's Epoch
Capabilities Index (ECI), over METR's latest Time Horizon 1.1 release. Why ECI: it is the one index
that covers nearly every model METR measured *and* every frontier model released after METR stopped
(April 2026); the single benchmarks each cover a few months and a few models, and combining them
would need a model of missing scores, which is what ECI already is (an item-response fit over
about 54 benchmarks). Both sides are log-like capability scales, and log2 p50 is close to linear in
ECI over the range METR measured (tests pin the fit).

Which METR models: **all** models of the release that have an ECI score, frontier or not (the
bridge relates two measurements of the same model, so a non-frontier model is as informative as a
frontier one), **leaving out any model whose central p50 exceeds the 16-hour ceiling**
(``params.max_minutes``): METR calls such measurements unreliable, and one wrong point at the end of
the range would tilt the line. (In the current data the one such model, Claude Mythos Preview, has
no ECI score, so the rule removes nothing; it is there for the next release.)

**The interval** for a new model with index x0 is the classical prediction interval
ŷ ± t(n-2) · s · sqrt(1 + 1/n + (x0 - x̄)² / Sxx): it carries the residual scatter (which contains
METR's own measurement noise) and the uncertainty of the bridge's intercept and slope. Its level is
``params.nowcast_level``. A pairs bootstrap (``bootstrap_interval``) checks it without the normal
assumption.

**Frontier models METR never measured**: models released after the newest model in METR's file,
that METR has no horizon for, and whose ECI is within ``params.nowcast_frontier_margin_eci`` points of
the best ECI of any model released before them.

Statistics only: the public functions load the committed tables when no frames are passed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.params import PARAMS, Params
from analysis.trend import TrendFit, days_since_origin


@dataclass(frozen=True)
class Bridge:
    """log2(p50 minutes) = intercept + slope * ECI, fitted by OLS."""

    n: int
    slope: float
    intercept: float
    sigma: float  # residual standard deviation (n - 2 degrees of freedom), doublings
    x_mean: float
    sxx: float
    r2: float
    points: pd.DataFrame  # the models the fit used

    def predict_log2(self, eci) -> np.ndarray:
        return self.intercept + self.slope * np.asarray(eci, dtype=float)

    def interval_log2(self, eci, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Two-sided t prediction interval for a new model's log2 p50 (carries parameter uncertainty)."""
        x = np.asarray(eci, dtype=float)
        spread = self.sigma * np.sqrt(1 + 1 / self.n + (x - self.x_mean) ** 2 / self.sxx)
        t = stats.t.ppf(0.5 + level / 2, df=self.n - 2)
        centre = self.predict_log2(x)
        return centre - t * spread, centre + t * spread


def fit_bridge(points: pd.DataFrame) -> Bridge:
    """OLS of log2(p50) on ECI; ``points`` has columns ``eci`` and ``p50`` (minutes)."""
    if len(points) < 3:
        raise ValueError(f"fit_bridge needs at least 3 models, got {len(points)}")
    x = points["eci"].to_numpy(dtype=float)
    y = np.log2(points["p50"].to_numpy(dtype=float))
    x_mean = x.mean()
    sxx = float(((x - x_mean) ** 2).sum())
    if sxx <= 0:
        raise ValueError("fit_bridge needs models with different ECI scores")
    slope = float(((x - x_mean) * (y - y.mean())).sum() / sxx)
    intercept = float(y.mean() - slope * x_mean)
    residuals = y - intercept - slope * x
    total = float(((y - y.mean()) ** 2).sum())
    return Bridge(
        n=len(x), slope=slope, intercept=intercept,
        sigma=float(np.sqrt((residuals**2).sum() / (len(x) - 2))),
        x_mean=float(x_mean), sxx=sxx,
        r2=1 - float((residuals**2).sum()) / total if total > 0 else float("nan"),
        points=points.reset_index(drop=True),
    )


def bootstrap_interval(bridge: Bridge, eci, level: float, rng: np.random.Generator, n_resamples: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs bootstrap of the prediction: refit on resampled models, add a resampled residual."""
    x = bridge.points["eci"].to_numpy(dtype=float)
    y = np.log2(bridge.points["p50"].to_numpy(dtype=float))
    residuals = y - bridge.predict_log2(x)
    residuals = residuals * np.sqrt(bridge.n / (bridge.n - 2))  # unbiased scale for the noise draws
    index = rng.integers(0, bridge.n, size=(n_resamples, bridge.n))
    xs, ys = x[index], y[index]
    xm = xs.mean(axis=1, keepdims=True)
    sxx = ((xs - xm) ** 2).sum(axis=1)
    ok = sxx > 0
    slopes = ((xs - xm) * (ys - ys.mean(axis=1, keepdims=True))).sum(axis=1)[ok] / sxx[ok]
    intercepts = ys.mean(axis=1)[ok] - slopes * xm[ok, 0]
    targets = np.atleast_1d(np.asarray(eci, dtype=float))
    draws = intercepts[:, None] + slopes[:, None] * targets[None, :]
    draws = draws + rng.choice(residuals, size=draws.shape)
    alpha = 1 - level
    low, high = np.percentile(draws, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
    return low, high


# ------------------------------------------------------------------ inputs


def _frames(horizons, crosswalk, eci):
    from analysis import benchmarks, metr  # I/O lives there; imported here so tests can pass frames

    horizons = metr.load_horizons("1.1") if horizons is None else horizons
    crosswalk = benchmarks.load_crosswalk() if crosswalk is None else crosswalk
    eci = benchmarks.load_eci() if eci is None else eci
    return horizons, crosswalk, eci


def bridge_points(horizons: pd.DataFrame, crosswalk: pd.DataFrame, eci: pd.DataFrame, *,
                  max_minutes: float | None = 960.0) -> pd.DataFrame:
    """METR models (all, frontier or not) with an ECI score, at or below the ceiling."""
    scores = eci.set_index("model")["eci"]
    versions = crosswalk.set_index("metr_model")["epoch_model_version"]
    frame = horizons.copy()
    frame["epoch_model_version"] = frame["model"].map(versions)
    frame["eci"] = frame["epoch_model_version"].map(scores)
    keep = frame["eci"].notna()
    if max_minutes is not None:
        keep &= frame["p50"] <= max_minutes
    columns = ["model", "display_name", "release_date", "is_sota", "eci", "p50", "p50_low", "p50_high"]
    return frame.loc[keep, columns].sort_values(["release_date", "model"], kind="stable").reset_index(drop=True)


def eci_models(eci: pd.DataFrame) -> pd.DataFrame:
    """One row per model (Epoch's model name and release date): its score, organisation, accessibility."""
    grouped = (eci.sort_values("model", kind="stable")
               .groupby(["model_name", "release_date"], as_index=False)
               .agg(eci=("eci", "max"), organization=("organization", "first"), accessibility=("accessibility", "first")))
    return grouped.sort_values(["release_date", "model_name"], kind="stable").reset_index(drop=True)


def nowcast_targets(eci: pd.DataFrame, crosswalk: pd.DataFrame, horizons: pd.DataFrame, *, margin: float) -> pd.DataFrame:
    """Frontier models METR never measured, released after the newest model METR measured."""
    models = eci_models(eci)
    after = horizons["release_date"].max()
    measured = set(crosswalk.loc[crosswalk["metr_model"].isin(horizons["model"]), "epoch_model_name"])
    best_before = []
    for date in models["release_date"]:
        earlier = models.loc[models["release_date"] < date, "eci"]
        best_before.append(earlier.max() if len(earlier) else -np.inf)
    models["best_before"] = best_before
    models["eci_gap"] = models["eci"] - models["best_before"]
    chosen = (models["release_date"] > after) & ~models["model_name"].isin(measured) & (models["eci_gap"] >= -margin)
    return models.loc[chosen].rename(columns={"model_name": "model"}).reset_index(drop=True)


# ------------------------------------------------------------------ public API


def _basis(bridge: Bridge) -> str:
    first = bridge.points.sort_values("release_date").iloc[0]["display_name"]
    last = bridge.points.sort_values("release_date").iloc[-1]["display_name"]
    return (f"OLS of log2 METR p50 on Epoch ECI, {bridge.n} METR v1.1 models ({first} to {last}), "
            f"t prediction interval")


def _predict(bridge: Bridge, eci_values, level: float) -> pd.DataFrame:
    low, high = bridge.interval_log2(eci_values, level)
    return pd.DataFrame({"p50_pred": 2.0 ** bridge.predict_log2(eci_values), "p50_low": 2.0**low, "p50_high": 2.0**high})


def nowcast_horizons(params: Params = PARAMS, *, horizons: pd.DataFrame | None = None,
                     crosswalk: pd.DataFrame | None = None, eci: pd.DataFrame | None = None,
                     level: float | None = None) -> pd.DataFrame:
    """Predicted 50% horizons (minutes) with a prediction interval for frontier models METR never measured."""
    horizons, crosswalk, eci = _frames(horizons, crosswalk, eci)
    level = params.nowcast_level if level is None else level
    bridge = fit_bridge(bridge_points(horizons, crosswalk, eci, max_minutes=params.max_minutes))
    targets = nowcast_targets(eci, crosswalk, horizons, margin=params.nowcast_frontier_margin_eci)
    predicted = _predict(bridge, targets["eci"].to_numpy(), level)
    out = pd.concat([targets[["model", "release_date", "eci", "eci_gap", "organization"]], predicted], axis=1)
    out["level"] = level
    out["basis"] = _basis(bridge)
    return out


def backtest(until: str, level: float = 0.8, *, params: Params = PARAMS, horizons: pd.DataFrame | None = None,
             crosswalk: pd.DataFrame | None = None, eci: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fit the bridge on METR models released up to ``until``; predict every later METR model."""
    horizons, crosswalk, eci = _frames(horizons, crosswalk, eci)
    points = bridge_points(horizons, crosswalk, eci, max_minutes=params.max_minutes)
    cut = pd.Timestamp(until)
    train, test = points[points["release_date"] <= cut], points[points["release_date"] > cut]
    bridge = fit_bridge(train)
    predicted = _predict(bridge, test["eci"].to_numpy(), level)
    out = pd.concat([test[["model", "display_name", "release_date", "eci", "p50"]].reset_index(drop=True), predicted], axis=1)
    out["covered"] = (out["p50"] >= out["p50_low"]) & (out["p50"] <= out["p50_high"])
    out["error_log2"] = np.log2(out["p50"]) - np.log2(out["p50_pred"])
    out["until"] = cut
    out["n_train"] = bridge.n
    out["last_train_release"] = train["release_date"].max()
    out["level"] = level
    return out


def sequential_backtest(level: float = 0.8, *, min_train: int = 8, params: Params = PARAMS,
                        horizons: pd.DataFrame | None = None, crosswalk: pd.DataFrame | None = None,
                        eci: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each METR model predicted from the models released strictly before it (once ``min_train`` exist)."""
    horizons, crosswalk, eci = _frames(horizons, crosswalk, eci)
    points = bridge_points(horizons, crosswalk, eci, max_minutes=params.max_minutes)
    rows = []
    for date in points["release_date"].drop_duplicates():
        if (points["release_date"] < date).sum() < min_train:
            continue
        until = (date - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
        result = backtest(until, level, params=params, horizons=horizons, crosswalk=crosswalk, eci=eci)
        rows.append(result[result["release_date"] == date])
    return pd.concat(rows, ignore_index=True)


def backtest_summary(frame: pd.DataFrame) -> dict[str, float]:
    """Coverage of the prediction intervals and bias (mean of log2 measured - log2 predicted)."""
    errors = frame["error_log2"].to_numpy(dtype=float)
    return {
        "n": float(len(frame)),
        "coverage": float(frame["covered"].mean()),
        "bias_log2": float(errors.mean()),
        "bias_ratio": float(2.0 ** errors.mean()),
        "median_abs_error_log2": float(np.median(np.abs(errors))),
        "level": float(frame["level"].iloc[0]),
    }


# ------------------------------------------------------------------ against chapter 1's trend


def trend_prediction(fit: TrendFit, dates, level: float) -> pd.DataFrame:
    """The time trend's prediction interval for a new model released on ``dates`` (OLS, t-based)."""
    x = days_since_origin(fit.points["release_date"])
    y = np.log2(fit.points[fit.metric].to_numpy(dtype=float))
    residuals = y - (fit.intercept_log2 + fit.slope_per_day * x)
    n = len(x)
    s = np.sqrt((residuals**2).sum() / (n - 2))
    sxx = ((x - x.mean()) ** 2).sum()
    x0 = days_since_origin(dates)
    centre = fit.intercept_log2 + fit.slope_per_day * x0
    half = stats.t.ppf(0.5 + level / 2, df=n - 2) * s * np.sqrt(1 + 1 / n + (x0 - x.mean()) ** 2 / sxx)
    return pd.DataFrame({"release_date": pd.to_datetime(pd.Series(np.atleast_1d(dates))).to_numpy(),
                         "trend_min": 2.0**centre, "trend_low_min": 2.0 ** (centre - half),
                         "trend_high_min": 2.0 ** (centre + half)})


def compare_with_trend(nowcasts: pd.DataFrame, fit: TrendFit, level: float) -> pd.DataFrame:
    """Each nowcast beside the trend's prediction at its release date: ahead, on trend or behind.

    "ahead"/"behind": the nowcast's central value lies above/below the trend's prediction interval.
    ``ratio`` is nowcast / trend (central values); ``overlap``: the two intervals overlap.
    """
    trend = trend_prediction(fit, nowcasts["release_date"], level)
    out = nowcasts.reset_index(drop=True).copy()
    out[["trend_min", "trend_low_min", "trend_high_min"]] = trend[["trend_min", "trend_low_min", "trend_high_min"]]
    out["ratio"] = out["p50_pred"] / out["trend_min"]
    out["inside"] = (out["p50_pred"] >= out["trend_low_min"]) & (out["p50_pred"] <= out["trend_high_min"])
    out["position"] = np.where(out["p50_pred"] > out["trend_high_min"], "ahead",
                               np.where(out["p50_pred"] < out["trend_low_min"], "behind", "on trend"))
    out["overlap"] = (out["p50_low"] <= out["trend_high_min"]) & (out["p50_high"] >= out["trend_low_min"])
    return out
