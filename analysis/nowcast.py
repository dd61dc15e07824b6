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

**Calibration.** The classical interval assumes the bridge's errors are normal and that a new model
is like the old ones; the backtests say it is too narrow (each METR model predicted from the ones
before it: 67% coverage at nominal 80%). The intervals are therefore widened by a split-conformal
factor: every model predicted one step ahead (from the models released before it, once
``params.nowcast_min_train`` exist) gives the ratio of its miss to its interval's half-width (in
log2); the factor is the ceil((m + 1) · level)-th smallest of the m ratios (the conformal quantile,
which covers a new model at least ``level`` of the time if models are exchangeable), and never below
1. ``backtest(until)`` uses only the ratios of models released up to ``until``, so a calibrated
backtest never sees its own future; ``sequential_backtest`` is then an online conformal test.

**Models after Epoch's last file.** Epoch's ECI page was transcribed after its 30 July file
(``benchmarks.load_eci_snapshots``: integers, top rows, fact F14); release dates of models Epoch's
file does not hold come from the fact sheet (F13, ``eci_release_dates.csv``). Epoch refits the whole
index at each release, so a snapshot's score is put on the bridge's scale by subtracting the mean
shift of the models both the snapshot and the file hold, and its uncertainty (in ECI points, as
standard deviations, added in quadrature) carries: the snapshot's own 95% interval (half its
width / 1.96), the integer rounding (1/sqrt(12)), and the refit (the spread of those shifts net of
rounding, times sqrt(1 + 1/k) for k common models). The nowcast's log2 interval is then
sqrt(h_bridge² + (z · slope · sd_eci)²) with h_bridge the calibrated bridge's half-width: never
narrower than the bridge alone. (The bridge's scatter already holds some ECI noise of the models it
was fitted on, so adding the snapshot's interval errs on the wide side.)

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


# ------------------------------------------------------------------ calibration


def conformal_factor(ratios, level: float) -> tuple[float, int, bool]:
    """Split-conformal widening factor from one-step-ahead miss ratios (|miss| / half-width, log2).

    Returns (factor, m, exact): the ceil((m + 1) · level)-th smallest ratio, at least 1. With too few
    ratios for that rank (m < level / (1 - level)) the conformal quantile is infinite; the factor is
    then the largest ratio seen (at least 1) and ``exact`` is False."""
    r = np.sort(np.asarray(ratios, dtype=float))
    m = len(r)
    if m == 0:
        return 1.0, 0, False
    rank = int(np.ceil((m + 1) * level))
    if rank > m:
        return max(1.0, float(r[-1])), m, False
    return max(1.0, float(r[rank - 1])), m, True


def _raw_backtest(points: pd.DataFrame, cut: pd.Timestamp, level: float) -> pd.DataFrame:
    """Fit the classical bridge on points released up to ``cut``; predict every later point."""
    train, test = points[points["release_date"] <= cut], points[points["release_date"] > cut]
    bridge = fit_bridge(train)
    x = test["eci"].to_numpy(dtype=float)
    low, high = bridge.interval_log2(x, level)
    out = test[["model", "display_name", "release_date", "eci", "p50"]].reset_index(drop=True)
    out["centre_log2"] = bridge.predict_log2(x)
    out["half_log2"] = (high - low) / 2
    out["error_log2"] = np.log2(out["p50"]) - out["centre_log2"]
    out["miss_ratio"] = np.abs(out["error_log2"]) / out["half_log2"]
    out["n_train"] = bridge.n
    out["last_train_release"] = train["release_date"].max()
    return out


def one_step_errors(points: pd.DataFrame, level: float, min_train: int) -> pd.DataFrame:
    """Each bridge point predicted from the points released strictly before it (once ``min_train``
    exist), with the classical interval: its miss in log2 and the miss ÷ the interval's half-width."""
    rows = []
    for date in points["release_date"].drop_duplicates().sort_values():
        if (points["release_date"] < date).sum() < min_train:
            continue
        raw = _raw_backtest(points[points["release_date"] <= date], date - pd.Timedelta(days=1), level)
        rows.append(raw[raw["release_date"] == date])
    if not rows:
        return pd.DataFrame(columns=["model", "release_date", "error_log2", "half_log2", "miss_ratio"])
    return pd.concat(rows, ignore_index=True)


def calibration(points: pd.DataFrame, level: float, *, min_train: int, until=None) -> dict[str, float]:
    """The conformal factor from the one-step errors of the points released up to ``until`` (all if None)."""
    if until is not None:
        points = points[points["release_date"] <= pd.Timestamp(until)]
    errors = one_step_errors(points, level, min_train)
    factor, m, exact = conformal_factor(errors["miss_ratio"], level)
    return {"factor": factor, "n": m, "exact": exact,
            "raw_coverage": float((errors["miss_ratio"] <= 1).mean()) if m else float("nan"),
            "calibrated_coverage": float((errors["miss_ratio"] <= factor).mean()) if m else float("nan")}


# ------------------------------------------------------------------ snapshots of Epoch's page after its file


def snapshot_shifts(snapshots: pd.DataFrame, eci: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot and model held by both it and Epoch's file: snapshot score - file score."""
    filed = eci.groupby("model_name")["eci"].max()
    both = snapshots[snapshots["model_name"].isin(filed.index)].copy()
    both["eci_file"] = both["model_name"].map(filed)
    both["shift"] = both["eci"] - both["eci_file"]
    return both[["snapshot", "model_name", "eci", "eci_file", "shift"]].reset_index(drop=True)


def snapshot_scores(snapshots: pd.DataFrame, eci: pd.DataFrame, *, rounding: float = 1.0) -> pd.DataFrame:
    """Models of the snapshots that Epoch's file does not hold, on the file's scale, with the ECI
    uncertainty (standard deviations in ECI points): snapshot interval, rounding, refit."""
    shifts = snapshot_shifts(snapshots, eci)
    filed = set(eci["model_name"])
    rows = []
    rounding_sd = rounding / np.sqrt(12)
    for snapshot, part in snapshots.groupby("snapshot"):
        common = shifts.loc[shifts["snapshot"] == snapshot, "shift"].to_numpy(dtype=float)
        k = len(common)
        if k < 2:
            raise ValueError(f"ECI snapshot {snapshot:%Y-%m-%d}: {k} model(s) in common with Epoch's file; "
                             "the refit's shift needs at least 2")
        mean, var = float(common.mean()), float(common.var(ddof=1))
        refit_sd = float(np.sqrt(max(var - rounding_sd**2, 0.0) * (1 + 1 / k)))
        for record in part.itertuples():
            if record.model_name in filed:
                continue
            ci_sd = (record.eci_high - record.eci_low) / (2 * stats.norm.ppf(0.975))
            rows.append({
                "model": record.model_name, "release_date": record.release_date,
                "release_date_basis": record.release_date_basis, "eci_reported": float(record.eci),
                "eci_reported_low": float(record.eci_low), "eci_reported_high": float(record.eci_high),
                "eci": float(record.eci) - mean, "eci_shift": mean, "eci_shift_max": float(np.abs(common).max()),
                "eci_shift_models": k, "eci_sd_interval": ci_sd, "eci_sd_rounding": rounding_sd, "eci_sd_refit": refit_sd,
                "eci_sd": float(np.sqrt(ci_sd**2 + rounding_sd**2 + refit_sd**2)),
                "snapshot": snapshot, "eci_source": f"Epoch's ECI page of {snapshot:%-d %B %Y} (transcribed; fact F14)",
            })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    # A model in several snapshots: keep the newest transcription.
    return out.sort_values("snapshot").drop_duplicates("model", keep="last").reset_index(drop=True)


# ------------------------------------------------------------------ public API


def _basis(bridge: Bridge) -> str:
    first = bridge.points.sort_values("release_date").iloc[0]["display_name"]
    last = bridge.points.sort_values("release_date").iloc[-1]["display_name"]
    return (f"OLS of log2 METR p50 on Epoch ECI, {bridge.n} METR v1.1 models ({first} to {last}), "
            f"t prediction interval widened by a split-conformal factor")


def _load_snapshots():
    from analysis import benchmarks

    loader = getattr(benchmarks, "load_eci_snapshots", None)
    return loader() if loader is not None else None


def nowcast_targets_all(eci: pd.DataFrame, crosswalk: pd.DataFrame, horizons: pd.DataFrame,
                        snapshots: pd.DataFrame | None, *, margin: float) -> pd.DataFrame:
    """Frontier targets from Epoch's file and from the later snapshots (on the file's scale), with
    each score's source and uncertainty. A snapshot model without a release date cannot be placed
    and is left out (the chapter lists it)."""
    filed = nowcast_targets(eci, crosswalk, horizons, margin=margin).assign(
        eci_reported=lambda f: f["eci"], eci_shift=0.0, eci_sd_interval=0.0, eci_sd_rounding=0.0, eci_sd_refit=0.0,
        eci_sd=0.0, release_date_basis="Epoch's ECI file", eci_source="Epoch's ECI file (eci.csv)")
    if snapshots is None or snapshots.empty:
        return filed
    later = snapshot_scores(snapshots, eci)
    later = later[later["release_date"].notna() & (later["release_date"] > horizons["release_date"].max())]
    measured = set(crosswalk.loc[crosswalk["metr_model"].isin(horizons["model"]), "epoch_model_name"])
    later = later[~later["model"].isin(measured)].copy()
    pool = pd.concat([eci_models(eci).rename(columns={"model_name": "model"})[["model", "release_date", "eci"]],
                      later[["model", "release_date", "eci"]]], ignore_index=True)
    later["best_before"] = [pool.loc[pool["release_date"] < d, "eci"].max() for d in later["release_date"]]
    later["eci_gap"] = later["eci"] - later["best_before"]
    later = later[later["eci_gap"] >= -margin]
    later["organization"] = ""  # not on Epoch's page
    return pd.concat([filed, later], ignore_index=True)


def _predict(bridge: Bridge, eci_values, level: float, factor: float = 1.0, eci_sd=0.0) -> pd.DataFrame:
    eci_values = np.asarray(eci_values, dtype=float)
    low, high = bridge.interval_log2(eci_values, level)
    centre = bridge.predict_log2(eci_values)
    half_bridge = factor * (high - low) / 2
    half = np.sqrt(half_bridge**2 + (stats.norm.ppf(0.5 + level / 2) * bridge.slope * np.asarray(eci_sd, dtype=float)) ** 2)
    return pd.DataFrame({"p50_pred": 2.0**centre, "p50_low": 2.0 ** (centre - half), "p50_high": 2.0 ** (centre + half),
                         "p50_low_bridge": 2.0 ** (centre - half_bridge), "p50_high_bridge": 2.0 ** (centre + half_bridge),
                         "p50_low_classical": 2.0**low, "p50_high_classical": 2.0**high,
                         "half_log2": half, "half_bridge_log2": half_bridge})


def nowcast_horizons(params: Params = PARAMS, *, horizons: pd.DataFrame | None = None,
                     crosswalk: pd.DataFrame | None = None, eci: pd.DataFrame | None = None,
                     level: float | None = None, snapshots: pd.DataFrame | None = None) -> pd.DataFrame:
    """Predicted 50% horizons (minutes) with a calibrated prediction interval for frontier models METR
    never measured, from Epoch's file and the later transcriptions of its page.

    Columns: model, release_date, release_date_basis, eci (on the bridge's scale), eci_reported,
    eci_source, eci_shift, eci_sd and its parts (eci_sd_interval, eci_sd_rounding, eci_sd_refit),
    p50_pred, p50_low, p50_high (all uncertainty), p50_low_bridge, p50_high_bridge (the calibrated
    bridge alone), p50_low_classical, p50_high_classical (uncalibrated), calibration_factor, level, basis."""
    if snapshots is None and eci is None:
        snapshots = _load_snapshots()
    horizons, crosswalk, eci = _frames(horizons, crosswalk, eci)
    level = params.nowcast_level if level is None else level
    points = bridge_points(horizons, crosswalk, eci, max_minutes=params.max_minutes)
    bridge = fit_bridge(points)
    calibrated = calibration(points, level, min_train=params.nowcast_min_train)
    targets = nowcast_targets_all(eci, crosswalk, horizons, snapshots, margin=params.nowcast_frontier_margin_eci)
    predicted = _predict(bridge, targets["eci"].to_numpy(), level, calibrated["factor"], targets["eci_sd"].to_numpy())
    keep = ["model", "release_date", "release_date_basis", "eci", "eci_reported", "eci_source", "eci_shift", "eci_sd",
            "eci_sd_interval", "eci_sd_rounding", "eci_sd_refit", "eci_gap", "organization"]
    out = pd.concat([targets[keep].reset_index(drop=True), predicted], axis=1)
    out["calibration_factor"] = calibrated["factor"]
    out["level"] = level
    out["basis"] = _basis(bridge)
    return out.sort_values(["release_date", "model"], kind="stable").reset_index(drop=True)


def backtest(until: str, level: float = 0.8, *, params: Params = PARAMS, horizons: pd.DataFrame | None = None,
             crosswalk: pd.DataFrame | None = None, eci: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fit the bridge on METR models released up to ``until``; predict every later METR model with the
    calibrated interval (factor from the one-step errors of models up to ``until`` only).

    ``p50_low``/``p50_high``/``covered`` are calibrated; ``*_classical`` and ``covered_classical``
    are the uncalibrated t interval."""
    horizons, crosswalk, eci = _frames(horizons, crosswalk, eci)
    points = bridge_points(horizons, crosswalk, eci, max_minutes=params.max_minutes)
    cut = pd.Timestamp(until)
    raw = _raw_backtest(points, cut, level)
    calibrated = calibration(points, level, min_train=params.nowcast_min_train, until=cut)
    factor = calibrated["factor"]
    out = raw[["model", "display_name", "release_date", "eci", "p50"]].copy()
    centre, half = raw["centre_log2"], raw["half_log2"]
    out["p50_pred"] = 2.0**centre
    out["p50_low"], out["p50_high"] = 2.0 ** (centre - factor * half), 2.0 ** (centre + factor * half)
    out["p50_low_classical"], out["p50_high_classical"] = 2.0 ** (centre - half), 2.0 ** (centre + half)
    out["covered"] = (out["p50"] >= out["p50_low"]) & (out["p50"] <= out["p50_high"])
    out["covered_classical"] = (out["p50"] >= out["p50_low_classical"]) & (out["p50"] <= out["p50_high_classical"])
    out["error_log2"] = raw["error_log2"]
    out["miss_ratio"] = raw["miss_ratio"]
    out["until"] = cut
    out["n_train"] = raw["n_train"]
    out["last_train_release"] = raw["last_train_release"]
    out["calibration_factor"] = factor
    out["calibration_count"] = calibrated["n"]
    out["calibration_exact"] = calibrated["exact"]
    out["level"] = level
    return out


def sequential_backtest(level: float = 0.8, *, min_train: int = 8, params: Params = PARAMS,
                        horizons: pd.DataFrame | None = None, crosswalk: pd.DataFrame | None = None,
                        eci: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each METR model predicted from the models released strictly before it (once ``min_train`` exist),
    with the calibrated interval of ``backtest``: an online conformal test, since each model's factor
    comes from the one-step misses of models released before it."""
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
        "coverage_classical": float(frame["covered_classical"].mean()) if "covered_classical" in frame else float("nan"),
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
