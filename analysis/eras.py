"""Is growth speeding up? Window sweeps, an estimated breakpoint, competing growth models, backtests.

All fits regress y = log2(horizon in minutes) on x = days since ``trend.DAY0``.

Growth models compared:

* **exponential**: y = a + b x (one doubling time throughout).
* **two eras**: a *joined* (continuous) piecewise line, y = a + b1 x + (b2 - b1) max(0, x - tau), with
  the break date tau estimated by profile least squares over a grid. Joined because the frontier
  horizon is a level that the next frontier model starts from: a free jump at the break would let a
  one-off shift (such as a change of task suite) pass for a change of rate. ``continuous=False`` fits
  two separate lines for comparison.
* **superexponential** (the form of AI 2027's timelines forecast): each doubling takes a constant
  fraction r of the time the previous one took. With the first doubling taking d0 days from x0,
  the number of doublings after x0 is k(x) = ln(1 - (1 - r)(x - x0)/d0) / ln(r), so
  y = y0 + k(x); r = 1 is the exponential, r < 1 accelerates toward a finite date
  x0 + d0/(1 - r).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from analysis.params import Randomness, digest, stream
from analysis.trend import (
    DAY0,
    bootstrap_fits,
    days_since_origin,
    doubling_days_from_slope,
    fit_trend,
    ols_slopes,
    percentile_interval,
    select_points,
)


def _xy(points: pd.DataFrame, metric: str = "p50") -> tuple[np.ndarray, np.ndarray]:
    return days_since_origin(points["release_date"]), np.log2(points[metric].to_numpy(dtype=float))


def _to_date(days: float) -> pd.Timestamp:
    return DAY0 + pd.Timedelta(days=float(days))


# ------------------------------------------------------------------ window sweep


def window_sweep(
    horizons: pd.DataFrame,
    *,
    vary: str = "start",
    dates=None,
    fixed=None,
    frontier_only: bool = True,
    max_minutes: float | None = 960.0,
    metric: str = "p50",
    min_models: int = 5,
    rng: Randomness,
    n_bootstrap: int = 2_000,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Doubling time (with bootstrap CI) as the fit's start (or end) date moves.

    ``vary="start"``: windows [date, fixed]; ``vary="end"``: windows [fixed, date]. By default the
    candidate dates are the release dates of the models the selection contains.
    """
    if vary not in ("start", "end"):
        raise ValueError(f"vary must be 'start' or 'end', got {vary!r}")
    pool = select_points(horizons, frontier_only=frontier_only, max_minutes=max_minutes, metric=metric)
    candidates = pd.to_datetime(pd.Series(dates)) if dates is not None else pool["release_date"].drop_duplicates()
    rows = []
    for date in candidates:
        since, until = (date, fixed) if vary == "start" else (fixed, date)
        n = len(select_points(pool, since=since, until=until, frontier_only=False, max_minutes=None))
        if n < min_models:
            continue
        fit = fit_trend(
            pool, since=since, until=until, frontier_only=False, max_minutes=None, metric=metric,
            rng=rng, n_bootstrap=n_bootstrap, confidence=confidence,
        )
        low, high = fit.doubling_days_ci
        rows.append(
            {"start": since, "end": until, "n_models": n, "doubling_days": fit.doubling_days,
             "ci_low": low, "ci_high": high, "frontier_only": frontier_only}
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ breakpoint (two eras)


def candidate_breaks(x: np.ndarray, step_days: float) -> np.ndarray:
    """A regular grid of break dates strictly inside the data's date range."""
    return np.arange(x.min() + step_days, x.max(), step_days)


def _hinge_design(x: np.ndarray, taus: np.ndarray, continuous: bool) -> np.ndarray:
    """Design matrices, shape (..., K, n, p), for break dates ``taus`` (K,) and x (..., n)."""
    xb = np.broadcast_to(x[..., None, :], x.shape[:-1] + (len(taus), x.shape[-1]))
    after = xb > taus[:, None]
    ones = np.ones_like(xb)
    if continuous:
        return np.stack([ones, xb, np.where(after, xb - taus[:, None], 0.0)], axis=-1)
    return np.stack([np.where(after, 0.0, ones), np.where(after, 0.0, xb), after * 1.0, np.where(after, xb, 0.0)], axis=-1)


def _profile(x, y, taus, continuous, min_segment):
    """SSE and coefficients for every candidate break, vectorised over leading axes of x, y."""
    design = _hinge_design(x, taus, continuous)
    xtx = np.einsum("...kni,...knj->...kij", design, design)
    xty = np.einsum("...kni,...n->...ki", design, y)
    after = (x[..., None, :] > taus[:, None]).sum(axis=-1)
    before = x.shape[-1] - after
    ok = (after >= min_segment) & (before >= min_segment)
    # A ridge of 1e-9 keeps singular (masked-out) systems solvable; valid ones are well conditioned.
    eye = np.eye(design.shape[-1]) * 1e-9
    coefs = np.linalg.solve(xtx + eye, xty[..., None])[..., 0]
    residuals = y[..., None, :] - np.einsum("...kni,...ki->...kn", design, coefs)
    sse = np.where(ok, (residuals**2).sum(axis=-1), np.inf)
    return sse, coefs


def _slopes(coefs: np.ndarray, continuous: bool) -> tuple[np.ndarray, np.ndarray]:
    if continuous:
        return coefs[..., 1], coefs[..., 1] + coefs[..., 2]
    return coefs[..., 1], coefs[..., 3]


@dataclass(frozen=True)
class BreakpointFit:
    continuous: bool
    n: int
    break_days: float
    slope_before: float
    slope_after: float
    coefs: np.ndarray
    sse: float
    profile: pd.DataFrame  # break_date, sse
    draws: pd.DataFrame  # bootstrap: break_date, slope_before, slope_after
    confidence: float
    points: pd.DataFrame

    @property
    def break_date(self) -> pd.Timestamp:
        return _to_date(self.break_days)

    @property
    def doubling_days_before(self) -> float:
        return doubling_days_from_slope(self.slope_before)

    @property
    def doubling_days_after(self) -> float:
        return doubling_days_from_slope(self.slope_after)

    def _interval(self, values: pd.Series) -> tuple[float, float]:
        alpha = 1 - self.confidence
        low, high = np.nanpercentile(values, [100 * alpha / 2, 100 * (1 - alpha / 2)])
        return float(low), float(high)

    @property
    def break_date_ci(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        low, high = self._interval(self.draws["break_days"])
        return _to_date(low), _to_date(high)

    @property
    def doubling_days_before_ci(self) -> tuple[float, float]:
        low, high = self._interval(self.draws["slope_before"])
        return doubling_days_from_slope(high), doubling_days_from_slope(low)

    @property
    def doubling_days_after_ci(self) -> tuple[float, float]:
        low, high = self._interval(self.draws["slope_after"])
        return doubling_days_from_slope(high), doubling_days_from_slope(low)

    @property
    def speedup_ratio_ci(self) -> tuple[float, float]:
        """Bootstrap interval of the growth rate after the break over the rate before it."""
        return self._interval(self.draws["slope_after"] / self.draws["slope_before"])

    @property
    def slope_change_per_year_ci(self) -> tuple[float, float]:
        return self._interval(365.25 * (self.draws["slope_after"] - self.draws["slope_before"]))

    def predict_log2(self, x: np.ndarray) -> np.ndarray:
        design = _hinge_design(np.asarray(x, dtype=float), np.array([self.break_days]), self.continuous)[0]
        return design @ self.coefs

    def line(self, grid_points: int = 120) -> pd.DataFrame:
        """The fitted two-era line with a bootstrap band (release_date, fitted_min, band_*_min)."""
        x = days_since_origin(self.points["release_date"])
        grid = np.linspace(x.min(), x.max(), grid_points)
        fitted = self.predict_log2(grid)
        band_low = band_high = fitted
        if len(self.draws):
            c = self.draws[[col for col in self.draws.columns if col.startswith("c")]].to_numpy().T[..., None]
            g, tau = grid[None, :], self.draws["break_days"].to_numpy()[:, None]
            if self.continuous:
                curves = c[0] + c[1] * g + c[2] * np.maximum(g - tau, 0.0)
            else:
                curves = np.where(g > tau, c[2] + c[3] * g, c[0] + c[1] * g)
            alpha = 1 - self.confidence
            band_low, band_high = np.percentile(curves, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        return pd.DataFrame(
            {"release_date": [_to_date(g) for g in grid], "fitted_min": 2.0**fitted,
             "band_low_min": 2.0**band_low, "band_high_min": 2.0**band_high}
        )


def fit_breakpoint(
    horizons: pd.DataFrame,
    *,
    since=None,
    frontier_only: bool = True,
    max_minutes: float | None = 960.0,
    metric: str = "p50",
    continuous: bool = True,
    min_segment: int = 4,
    grid_step_days: float = 30.0,
    rng: Randomness | None = None,
    n_bootstrap: int = 1_000,
    confidence: float = 0.95,
) -> BreakpointFit:
    """Two exponential eras with an estimated break date (profile least squares on a monthly grid).

    With ``rng``, a bootstrap over models refits the break date and both slopes on each resample.
    """
    points = select_points(horizons, since=since, frontier_only=frontier_only, max_minutes=max_minutes, metric=metric)
    if len(points) < 2 * min_segment:
        raise ValueError(f"fit_breakpoint needs at least {2 * min_segment} models, the selection has {len(points)}")
    x, y = _xy(points, metric)
    taus = candidate_breaks(x, grid_step_days)
    sse, coefs = _profile(x, y, taus, continuous, min_segment)
    best = int(np.argmin(sse))
    before, after = _slopes(coefs[best], continuous)
    draws = pd.DataFrame(columns=["break_days", "slope_before", "slope_after"], dtype=float)
    if rng is not None:
        generator = stream(rng, f"eras/breakpoint/{metric}/{int(continuous)}/{digest(x, y)}")
        index = generator.integers(0, len(x), size=(n_bootstrap, len(x)))
        boot_sse, boot_coefs = _profile(x[index], y[index], taus, continuous, min_segment)
        feasible = np.isfinite(boot_sse).any(axis=1)
        pick = np.argmin(boot_sse[feasible], axis=1)
        chosen = boot_coefs[feasible][np.arange(pick.size), pick]
        slope_before, slope_after = _slopes(chosen, continuous)
        draws = pd.DataFrame({"break_days": taus[pick], "slope_before": slope_before, "slope_after": slope_after})
        draws[[f"c{i}" for i in range(chosen.shape[-1])]] = chosen
    return BreakpointFit(
        continuous=continuous,
        n=len(points),
        break_days=float(taus[best]),
        slope_before=float(before),
        slope_after=float(after),
        coefs=coefs[best],
        sse=float(sse[best]),
        profile=pd.DataFrame({"break_date": [_to_date(t) for t in taus], "sse": sse}),
        draws=draws,
        confidence=confidence,
        points=points,
    )


# ------------------------------------------------------------------ acceleration test


@dataclass(frozen=True)
class AccelerationTest:
    statistic: float  # sup over break dates of the F statistic, joined two-era vs exponential
    p_value: float  # from a parametric bootstrap under the exponential null
    n_null: int


def _sup_f(x: np.ndarray, y: np.ndarray, taus: np.ndarray, min_segment: int) -> np.ndarray:
    """sup-F of joined two-era vs exponential, vectorised over leading axes."""
    slope, intercept = ols_slopes(x, y)
    sse_line = ((y - intercept[..., None] - slope[..., None] * x) ** 2).sum(-1)
    sse_hinge = _profile(x, y, taus, True, min_segment)[0].min(axis=-1)
    n = x.shape[-1]
    return (sse_line - sse_hinge) / (sse_hinge / (n - 4))


def acceleration_test(
    horizons: pd.DataFrame,
    *,
    since=None,
    frontier_only: bool = True,
    max_minutes: float | None = 960.0,
    min_segment: int = 4,
    grid_step_days: float = 30.0,
    rng: Randomness,
    n_null: int = 999,
) -> AccelerationTest:
    """Does a joined two-era fit beat one exponential by more than chance would?

    The break date is searched over, so the F statistic has no F distribution (Davies' problem);
    its null distribution comes from simulating the fitted exponential with normal residuals of
    the fitted size and re-running the same search.
    """
    points = select_points(horizons, since=since, frontier_only=frontier_only, max_minutes=max_minutes)
    x, y = _xy(points)
    taus = candidate_breaks(x, grid_step_days)
    observed = float(_sup_f(x, y, taus, min_segment))
    slope, intercept, *_ = stats.linregress(x, y)
    fitted = intercept + slope * x
    sigma = np.sqrt(((y - fitted) ** 2).sum() / (len(x) - 2))
    generator = stream(rng, f"eras/acceleration_null/{digest(x, y)}")
    simulated = fitted + sigma * generator.standard_normal(size=(n_null, len(x)))
    null = _sup_f(np.broadcast_to(x, simulated.shape), simulated, taus, min_segment)
    p_value = (1 + np.sum(null >= observed)) / (n_null + 1)
    return AccelerationTest(statistic=observed, p_value=float(p_value), n_null=n_null)


def jackknife(
    horizons: pd.DataFrame,
    *,
    since,
    max_minutes: float | None = 960.0,
    min_segment: int = 4,
    grid_step_days: float = 30.0,
) -> pd.DataFrame:
    """Drop one frontier model at a time: how the recent doubling time and the break move."""
    points = select_points(horizons, max_minutes=max_minutes)
    full_recent = fit_trend(points, since=since, max_minutes=None).doubling_days
    rows = []
    for i, row in points.iterrows():
        rest = points.drop(index=i)
        recent = fit_trend(rest, since=since, max_minutes=None).doubling_days
        eras = fit_breakpoint(rest, max_minutes=None, min_segment=min_segment, grid_step_days=grid_step_days)
        rows.append(
            {
                "dropped": row["display_name"],
                "release_date": row["release_date"],
                "recent_doubling_days": recent,
                "recent_change_pct": 100 * (recent / full_recent - 1),
                "break_date": eras.break_date,
                "doubling_days_before": eras.doubling_days_before,
                "doubling_days_after": eras.doubling_days_after,
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ competing growth models


@dataclass(frozen=True)
class GrowthFit:
    name: str
    n: int
    n_params: int  # mean-function parameters, including an estimated break date
    sse: float
    predict: Callable[[np.ndarray], np.ndarray]
    jacobian: Callable[[np.ndarray], np.ndarray]  # d prediction / d parameters (break date held fixed)
    params: np.ndarray

    @property
    def sigma2(self) -> float:
        return self.sse / max(self.n - self.n_params, 1)

    def prediction_interval(self, x: np.ndarray, jtj_inverse: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        j = self.jacobian(x)
        spread = np.sqrt(self.sigma2 * (1 + np.einsum("ij,jk,ik->i", j, jtj_inverse, j)))
        t = stats.t.ppf(0.5 + level / 2, df=max(self.n - self.n_params, 1))
        centre = self.predict(x)
        return centre - t * spread, centre + t * spread


def fit_exponential_model(x: np.ndarray, y: np.ndarray) -> GrowthFit:
    design = np.column_stack([np.ones_like(x), x])
    params, *_ = np.linalg.lstsq(design, y, rcond=None)
    sse = float(((y - design @ params) ** 2).sum())
    return GrowthFit(
        "exponential", len(x), 2, sse,
        predict=lambda t: params[0] + params[1] * np.asarray(t, dtype=float),
        jacobian=lambda t: np.column_stack([np.ones_like(np.asarray(t, dtype=float)), np.asarray(t, dtype=float)]),
        params=params,
    )


def fit_two_era_model(x: np.ndarray, y: np.ndarray, *, min_segment: int, grid_step_days: float) -> GrowthFit:
    taus = candidate_breaks(x, grid_step_days)
    sse, coefs = _profile(x, y, taus, True, min_segment)
    best = int(np.argmin(sse))
    tau, params = taus[best], coefs[best]

    def design(t):
        t = np.asarray(t, dtype=float)
        return np.column_stack([np.ones_like(t), t, np.maximum(t - tau, 0.0)])

    return GrowthFit(
        "two eras", len(x), 4, float(sse[best]),
        predict=lambda t: design(t) @ params, jacobian=design, params=np.append(params, tau),
    )


def superexponential_curve(x: np.ndarray, y0: float, d0: float, shrink: float, x0: float) -> np.ndarray:
    """y0 + k(x): doublings after x0 when the first takes d0 days and each next one takes (1 - shrink)
    times as long (shrink = 1 - r). Past the finite-time singularity the horizon is infinite."""
    s = (np.asarray(x, dtype=float) - x0) / d0
    if abs(shrink) < 1e-12:
        return y0 + s
    inside = 1 - shrink * s
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(inside > 0, np.log(np.where(inside > 0, inside, 1.0)) / np.log1p(-shrink), np.inf)
    return y0 + k


def fit_superexponential_model(x: np.ndarray, y: np.ndarray, *, x0: float | None = None) -> GrowthFit:
    """Least squares for (y0, d0, shrink), started from the exponential fit; shrink < 0 decelerates."""
    x0 = float(x.min()) if x0 is None else x0
    span = x.max() - x0
    start = fit_exponential_model(x, y)
    d_start = 1 / start.params[1] if start.params[1] > 0 else span
    initial = np.array([start.predict(np.array([x0]))[0], d_start, 0.05])

    def residuals(theta):
        return superexponential_curve(x, theta[0], theta[1], theta[2], x0) - y

    # the singularity must lie beyond the data: shrink * span / d0 < 1
    lower = [-np.inf, 1.0, -0.99]
    upper = [np.inf, 20 * span, 0.99]
    result = optimize.least_squares(
        lambda th: np.where(1 - th[2] * span / th[1] > 1e-6, residuals(th), 1e6), initial,
        bounds=(lower, upper), x_scale=[1.0, d_start, 0.1], method="trf",
    )
    theta = result.x

    def predict(t):
        return superexponential_curve(t, theta[0], theta[1], theta[2], x0)

    def jacobian(t, eps=1e-6):
        t = np.asarray(t, dtype=float)
        columns = []
        for i in range(3):
            step = np.zeros(3)
            step[i] = eps * max(abs(theta[i]), 1.0)
            up = superexponential_curve(t, *(theta + step), x0)
            down = superexponential_curve(t, *(theta - step), x0)
            columns.append((up - down) / (2 * step[i]))
        return np.column_stack(columns)

    sse = float((residuals(theta) ** 2).sum())
    return GrowthFit("superexponential", len(x), 3, sse, predict=predict, jacobian=jacobian, params=np.append(theta, x0))


def information_criteria(sse: float, n: int, n_params: int) -> dict[str, float]:
    """Gaussian AICc and BIC from a least-squares fit; k counts the residual variance too."""
    k = n_params + 1
    log_likelihood_term = n * np.log(sse / n)
    aic = log_likelihood_term + 2 * k
    return {
        "aicc": aic + 2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else np.inf,
        "bic": log_likelihood_term + k * np.log(n),
    }


def fit_growth_models(x: np.ndarray, y: np.ndarray, *, min_segment: int, grid_step_days: float) -> list[GrowthFit]:
    return [
        fit_exponential_model(x, y),
        fit_two_era_model(x, y, min_segment=min_segment, grid_step_days=grid_step_days),
        fit_superexponential_model(x, y),
    ]


@dataclass(frozen=True)
class GrowthComparison:
    table: pd.DataFrame  # model, n_params, sse, aicc, bic, delta_aicc, delta_bic, aicc_weight
    backtest: pd.DataFrame  # origin, model, target, lead_days, error_log2, covered
    fits: list[GrowthFit]


def _backtest(x, y, names, *, min_train, min_segment, grid_step_days, max_lead_days, level):
    rows = []
    for origin_index in range(min_train - 1, len(x) - 1):
        origin = x[origin_index]
        train = x <= origin
        test = (x > origin) & (x <= origin + max_lead_days)
        if train.sum() < min_train or not test.any():
            continue
        for fit in fit_growth_models(x[train], y[train], min_segment=min_segment, grid_step_days=grid_step_days):
            j_train = fit.jacobian(x[train])
            jtj_inverse = np.linalg.pinv(j_train.T @ j_train)
            low, high = fit.prediction_interval(x[test], jtj_inverse, level)
            predicted = fit.predict(x[test])
            for target, actual, guess, lo, hi, when in zip(names[test], y[test], predicted, low, high, x[test]):
                rows.append(
                    {
                        "origin": _to_date(origin),
                        "model": fit.name,
                        "target": target,
                        "lead_days": when - origin,
                        "error_log2": actual - guess,
                        "covered": bool(lo <= actual <= hi),
                    }
                )
    return pd.DataFrame(rows)


def compare_growth_models(
    horizons: pd.DataFrame,
    *,
    since=None,
    max_minutes: float | None = 960.0,
    min_segment: int = 4,
    grid_step_days: float = 30.0,
    min_train: int = 8,
    max_lead_days: float = 730.0,
    interval_level: float = 0.8,
) -> GrowthComparison:
    """Exponential vs two joined eras vs superexponential: AICc, BIC and a leave-future-out backtest.

    Backtest: from each frontier release with at least ``min_train`` earlier frontier models as the
    origin, fit every model on the models released up to the origin and predict the frontier
    models of the next ``max_lead_days``; errors are in doublings (log2 units, actual minus
    predicted), with coverage of the ``interval_level`` prediction interval.
    """
    points = select_points(horizons, since=since, max_minutes=max_minutes)
    x, y = _xy(points)
    fits = fit_growth_models(x, y, min_segment=min_segment, grid_step_days=grid_step_days)
    rows = []
    for fit in fits:
        rows.append({"model": fit.name, "n_params": fit.n_params, "sse": fit.sse,
                     **information_criteria(fit.sse, fit.n, fit.n_params)})
    table = pd.DataFrame(rows)
    table["delta_aicc"] = table["aicc"] - table["aicc"].min()
    table["delta_bic"] = table["bic"] - table["bic"].min()
    weights = np.exp(-0.5 * table["delta_aicc"])
    table["aicc_weight"] = weights / weights.sum()
    backtest = _backtest(
        x, y, points["display_name"].to_numpy(),
        min_train=min_train, min_segment=min_segment, grid_step_days=grid_step_days,
        max_lead_days=max_lead_days, level=interval_level,
    )
    return GrowthComparison(table=table, backtest=backtest, fits=fits)


def backtest_summary(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per growth model: number of forecasts, mean error (bias), mean absolute error, coverage."""
    grouped = backtest.groupby("model", sort=False)
    return pd.DataFrame(
        {
            "forecasts": grouped.size(),
            "bias_log2": grouped["error_log2"].mean(),
            "mae_log2": grouped["error_log2"].apply(lambda e: e.abs().mean()),
            "rmse_log2": grouped["error_log2"].apply(lambda e: float(np.sqrt((e**2).mean()))),
            "coverage": grouped["covered"].mean(),
        }
    ).reset_index()


# ------------------------------------------------------------------ reliability: p80 against p50


@dataclass(frozen=True)
class ReliabilityGap:
    points: pd.DataFrame  # display_name, release_date, ratio (p50 / p80)
    line: pd.DataFrame  # release_date, ratio: the least-squares trend of log2(ratio)
    slope_per_year: float  # change of log2(p50 / p80) per year; < 0 means p80 is catching up
    slope_per_year_ci: tuple[float, float]


def reliability_gap(
    horizons: pd.DataFrame,
    *,
    since=None,
    max_minutes: float | None = 960.0,
    rng: Randomness,
    n_bootstrap: int = 10_000,
    confidence: float = 0.95,
) -> ReliabilityGap:
    """Trend of the p50/p80 ratio across frontier models: is reliability catching up with capability?"""
    points = select_points(horizons, since=since, max_minutes=max_minutes)
    x = days_since_origin(points["release_date"])
    ratio = (points["p50"] / points["p80"]).to_numpy()
    y = np.log2(ratio)
    slope, intercept, *_ = stats.linregress(x, y)
    ends = np.array([x.min(), x.max()])
    line = pd.DataFrame({"release_date": [_to_date(v) for v in ends], "ratio": 2.0 ** (intercept + slope * ends)})
    slopes, _ = bootstrap_fits(x, y, stream(rng, f"eras/reliability_gap/{digest(x, y)}"), n_bootstrap)
    low, high = percentile_interval(slopes, confidence)
    table = points[["display_name", "release_date"]].assign(ratio=ratio)
    return ReliabilityGap(table, line, float(slope * 365.25), (float(low * 365.25), float(high * 365.25)))


# ------------------------------------------------------------------ verdicts on circulating figures

DAYS_PER_MONTH = 365.25 / 12


def claimed_days(value: float, unit: str) -> float:
    if unit == "days":
        return value
    if unit == "months":
        return value * DAYS_PER_MONTH
    raise ValueError(f"unknown unit {unit!r} (days or months)")


def judge_figures(
    figures: pd.DataFrame,
    releases: dict[str, pd.DataFrame],
    current: str,
    *,
    max_minutes: float | None,
    tolerance_pct: float,
    rng: Randomness,
    n_bootstrap: int,
    confidence: float,
) -> pd.DataFrame:
    """For each circulating doubling time: recompute it from the METR release it belongs to, on
    the same window in today's data, and from the same start up to today.

    ``reproduces``: the release gives the claimed value within ``tolerance_pct`` (the point test).
    ``within_own_ci``: the claimed value lies inside the 95% interval recomputed from that release
    (the interval test: the figure is a fair summary of its data, given sampling noise). ``survives``:
    the claimed value lies inside today's CI for the same window. ``current``: inside today's CI
    from the same start to the latest model. ``borderline``: the claimed value lies within
    ``tolerance_pct`` of a bound of either CI, so resampling noise could flip that verdict.
    """
    rows = []
    for figure in figures.itertuples():
        claimed = claimed_days(figure.claimed_value, figure.claimed_unit)
        since = figure.start if isinstance(figure.start, str) and figure.start else None
        until = figure.end if isinstance(figure.end, str) and figure.end else None
        common = dict(since=since, max_minutes=max_minutes, rng=rng, n_bootstrap=n_bootstrap, confidence=confidence)
        own = fit_trend(releases[figure.release], until=until, **common)
        same = fit_trend(releases[current], until=until, **common)
        latest = fit_trend(releases[current], **common)
        rows.append(
            {
                "figure_id": figure.figure_id,
                "claimed_days": claimed,
                "own_release_days": own.doubling_days,
                "own_ci_low": own.doubling_days_ci[0],
                "own_ci_high": own.doubling_days_ci[1],
                "same_window_today_days": same.doubling_days,
                "same_window_ci_low": same.doubling_days_ci[0],
                "same_window_ci_high": same.doubling_days_ci[1],
                "to_date_days": latest.doubling_days,
                "to_date_ci_low": latest.doubling_days_ci[0],
                "to_date_ci_high": latest.doubling_days_ci[1],
                "reproduces": abs(own.doubling_days / claimed - 1) * 100 <= tolerance_pct,
                "own_diff_pct": 100 * (own.doubling_days / claimed - 1),
                "within_own_ci": own.doubling_days_ci[0] <= claimed <= own.doubling_days_ci[1],
                "survives": same.doubling_days_ci[0] <= claimed <= same.doubling_days_ci[1],
                "current": latest.doubling_days_ci[0] <= claimed <= latest.doubling_days_ci[1],
                "borderline": any(
                    abs(bound / claimed - 1) * 100 <= tolerance_pct
                    for bound in (*same.doubling_days_ci, *latest.doubling_days_ci)
                ),
            }
        )
    return pd.DataFrame(rows)


def aicc_weight_sets(table: pd.DataFrame, n: int, break_date_params: tuple[int, ...] = (1, 2)) -> pd.DataFrame:
    """Akaike weights with the searched break date counted as one parameter, or as more.

    A break date found by searching a grid is not a smooth parameter; how much it should cost is a
    convention, and the weights can flip with it. ``table`` is ``GrowthComparison.table`` (where the
    two-era model counts its break as one parameter). Returns one row per growth model and column
    ``weight_<k>`` for each count k.
    """
    out = table[["model", "n_params", "sse"]].copy()
    for count in break_date_params:
        n_params = out["n_params"] + np.where(out["model"] == "two eras", count - 1, 0)
        aicc = np.array([information_criteria(sse, n, k)["aicc"] for sse, k in zip(out["sse"], n_params)])
        weights = np.exp(-0.5 * (aicc - aicc.min()))
        out[f"weight_{count}"] = weights / weights.sum()
    return out
