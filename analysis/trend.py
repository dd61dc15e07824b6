"""The exponential trend: OLS of log2(horizon) on release date, doubling time and its interval.

METR's method (arXiv:2503.14499, section 4.2; and the fits behind its published YAML): ordinary least
squares of log2 of the 50% horizon on release date, over frontier (``is_sota``) models, leaving out
points whose central p50 exceeds 16 hours. A slope of s doublings per day gives a doubling time of
1/s days. No I/O, no rounding here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from analysis.params import Params, Randomness, digest, stream

DAY0 = pd.Timestamp("2019-01-01")  # origin of the date axis; the slope does not depend on it
DAYS_PER_YEAR = 365.25
METRICS = ("p50", "p80")


@dataclass(frozen=True)
class TrendFit:
    metric: str
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    n: int
    slope_per_day: float  # doublings per day
    intercept_log2: float  # log2(minutes) at DAY0
    r2: float
    slope_ci: tuple[float, float]
    ci_method: str
    points: pd.DataFrame  # the models the fit used
    grid: np.ndarray = field(repr=False, compare=False)  # days since DAY0 at which the line is drawn
    band: Callable[[], tuple[np.ndarray, np.ndarray]] = field(repr=False, compare=False)  # log2 band on grid

    @cached_property
    def line(self) -> pd.DataFrame:
        """release_date, fitted_min, band_low_min, band_high_min: computed only when a chart asks."""
        band_low, band_high = self.band()
        return pd.DataFrame(
            {
                "release_date": DAY0 + pd.to_timedelta(self.grid, unit="D"),
                "fitted_min": 2.0 ** (self.intercept_log2 + self.slope_per_day * self.grid),
                "band_low_min": 2.0**band_low,
                "band_high_min": 2.0**band_high,
            }
        )

    @property
    def doubling_days(self) -> float:
        return doubling_days_from_slope(self.slope_per_day)

    @property
    def doubling_days_ci(self) -> tuple[float, float]:
        return doubling_interval(*self.slope_ci)

    @property
    def doublings_per_year(self) -> float:
        return self.slope_per_day * DAYS_PER_YEAR

    def predict_minutes(self, dates) -> np.ndarray:
        return 2.0 ** (self.intercept_log2 + self.slope_per_day * days_since_origin(dates))


def days_since_origin(dates) -> np.ndarray:
    stamps = pd.to_datetime(pd.Series(np.atleast_1d(dates)))
    return ((stamps - DAY0) / pd.Timedelta(days=1)).to_numpy(dtype=float)


def _as_timestamp(value) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def select_points(
    horizons: pd.DataFrame,
    *,
    since=None,
    until=None,
    frontier_only: bool = True,
    max_minutes: float | None = 960.0,
    metric: str = "p50",
) -> pd.DataFrame:
    """The models a fit uses. The 16 h ceiling applies to the central p50, whatever the metric (as METR)."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    keep = pd.Series(True, index=horizons.index)
    if frontier_only:
        keep &= horizons["is_sota"].astype(bool)
    if since is not None:
        keep &= horizons["release_date"] >= pd.Timestamp(since)
    if until is not None:
        keep &= horizons["release_date"] <= pd.Timestamp(until)
    if max_minutes is not None:
        keep &= horizons["p50"] <= max_minutes
    return horizons.loc[keep].sort_values("release_date", kind="stable").reset_index(drop=True)


def ols_slopes(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slope and intercept of y on x along the last axis; a row with no spread in x gives NaN."""
    x_mean = x.mean(axis=-1, keepdims=True)
    y_mean = y.mean(axis=-1, keepdims=True)
    sxx = ((x - x_mean) ** 2).sum(axis=-1)
    sxy = ((x - x_mean) * (y - y_mean)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(sxx > 0, sxy / np.where(sxx > 0, sxx, 1.0), np.nan)
    intercept = y_mean[..., 0] - slope * x_mean[..., 0]
    return slope, intercept


def bootstrap_fits(
    x: np.ndarray,
    y: np.ndarray,
    rng: np.random.Generator,
    n_resamples: int,
    *,
    y_sd_low: np.ndarray | None = None,
    y_sd_high: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Resample models with replacement, refit, return (slopes, intercepts); degenerate draws dropped.

    With ``y_sd_low``/``y_sd_high`` each drawn model's log2 horizon is also redrawn from a split
    normal whose halves match its published interval, so the interval reflects measurement error too.
    """
    n = len(x)
    index = rng.integers(0, n, size=(n_resamples, n))
    xs, ys = x[index], y[index]
    if y_sd_low is not None and y_sd_high is not None:
        z = rng.standard_normal(size=ys.shape)
        ys = ys + np.where(z < 0, z * y_sd_low[index], z * y_sd_high[index])
    slopes, intercepts = ols_slopes(xs, ys)
    ok = np.isfinite(slopes)
    return slopes[ok], intercepts[ok]


def doubling_days_from_slope(slope: float) -> float:
    """1/slope; a flat or shrinking trend never doubles (infinite), never a negative time."""
    return float(1.0 / slope) if slope > 0 else float("inf")


def doubling_interval(slope_low: float, slope_high: float) -> tuple[float, float]:
    """Doubling-time interval from a slope interval: the fastest slope gives the shortest time."""
    return doubling_days_from_slope(slope_high), doubling_days_from_slope(slope_low)


def _tails(confidence: float) -> tuple[float, float]:
    alpha = 1.0 - confidence
    return 100 * alpha / 2, 100 * (1 - alpha / 2)


def percentile_interval(values, confidence: float) -> tuple[float, float]:
    """Two-sided percentile interval of resampled values (NaNs ignored)."""
    low, high = np.nanpercentile(np.asarray(values, dtype=float), _tails(confidence))
    return float(low), float(high)


def bootstrap_stream_name(x: np.ndarray, y: np.ndarray, metric: str = "p50", *, redrawn: bool = False) -> str:
    """The name of the random stream that resamples these points (days, log2 horizons): one fit, one
    stream, whichever page computes it."""
    kind = "redrawn" if redrawn else "models"
    return f"trend/bootstrap/{kind}/{metric}/{digest(x, y)}"


def fit_trend(
    horizons: pd.DataFrame,
    *,
    since=None,
    until=None,
    frontier_only: bool = True,
    max_minutes: float | None = 960.0,
    metric: str = "p50",
    rng: Randomness | None = None,
    n_bootstrap: int = 10_000,
    confidence: float = 0.95,
    redraw_within_ci: bool = False,
    grid_points: int = 120,
) -> TrendFit:
    """Fit log2(horizon) on release date by OLS.

    The interval is a bootstrap over models when ``rng`` is given (optionally also redrawing each
    horizon within its published CI), otherwise the classical t-interval on the slope. Given a stream
    factory (``params.rng``), the bootstrap's stream is named after the points it resamples, so the
    same fit gets the same interval on every page that computes it.
    """
    points = select_points(
        horizons, since=since, until=until, frontier_only=frontier_only, max_minutes=max_minutes, metric=metric
    )
    if len(points) < 3:
        raise ValueError(f"fit_trend needs at least 3 models, the selection has {len(points)}")
    x = days_since_origin(points["release_date"])
    y = np.log2(points[metric].to_numpy(dtype=float))
    slope, intercept = (float(v) for v in ols_slopes(x, y))
    residuals = y - (intercept + slope * x)
    total = ((y - y.mean()) ** 2).sum()
    r2 = 1.0 - (residuals**2).sum() / total if total > 0 else float("nan")  # undefined for a flat series
    grid = np.linspace(x.min(), x.max(), grid_points)
    lower_pct, upper_pct = _tails(confidence)

    if rng is not None:
        sd_low = sd_high = None
        if redraw_within_ci:
            z = stats.norm.ppf(0.5 + confidence / 2)
            sd_low = (y - np.log2(points[f"{metric}_low"].to_numpy(dtype=float))) / z
            sd_high = (np.log2(points[f"{metric}_high"].to_numpy(dtype=float)) - y) / z
        generator = stream(rng, bootstrap_stream_name(x, y, metric, redrawn=redraw_within_ci))
        slopes, intercepts = bootstrap_fits(x, y, generator, n_bootstrap, y_sd_low=sd_low, y_sd_high=sd_high)
        slope_ci = tuple(float(v) for v in np.percentile(slopes, [lower_pct, upper_pct]))

        def band():
            predictions = intercepts[:, None] + slopes[:, None] * grid[None, :]
            return np.percentile(predictions, [lower_pct, upper_pct], axis=0)

        ci_method = "bootstrap over models" + (" with horizons redrawn within their CIs" if redraw_within_ci else "")
    else:
        n = len(x)
        sxx = ((x - x.mean()) ** 2).sum()
        s = np.sqrt((residuals**2).sum() / (n - 2))
        t = stats.t.ppf(0.5 + confidence / 2, df=n - 2)
        half = t * s / np.sqrt(sxx)
        slope_ci = (slope - half, slope + half)
        band_half = t * s * np.sqrt(1 / n + (grid - x.mean()) ** 2 / sxx)

        def band():
            return intercept + slope * grid - band_half, intercept + slope * grid + band_half

        ci_method = "t-interval"

    return TrendFit(
        metric=metric,
        since=_as_timestamp(since),
        until=_as_timestamp(until),
        n=len(points),
        slope_per_day=slope,
        intercept_log2=intercept,
        r2=float(r2),
        slope_ci=slope_ci,
        ci_method=ci_method,
        points=points,
        grid=grid,
        band=band,
    )


def fit_windows(
    horizons: pd.DataFrame,
    params: Params,
    rng: Randomness | None = None,
    *,
    metrics=METRICS,
    **options,
) -> dict[tuple[str, str], TrendFit]:
    """One bootstrap fit per (window, metric) in ``params.windows``; each fit draws from its own
    named stream (``params.rng`` unless another generator or factory is given)."""
    rng = params.rng if rng is None else rng
    return {
        (window, metric): fit_trend(
            horizons,
            since=since,
            metric=metric,
            max_minutes=params.max_minutes,
            rng=rng,
            n_bootstrap=params.n_bootstrap,
            confidence=params.confidence,
            grid_points=params.fit_grid_points,
            **options,
        )
        for window, since in params.windows
        for metric in metrics
    }


def doubling_table(fits: dict[tuple[str, str], TrendFit], published: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per fit; with METR's published block, its figures beside ours (p50 only)."""
    rows = []
    for (window, metric), fit in fits.items():
        low, high = fit.doubling_days_ci
        rows.append(
            {
                "window": window,
                "metric": metric,
                "n_models": fit.n,
                "first_release": fit.points["release_date"].min(),
                "doubling_days": fit.doubling_days,
                "ci_low": low,
                "ci_high": high,
                "doublings_per_year": fit.doublings_per_year,
                "r2": fit.r2,
            }
        )
    table = pd.DataFrame(rows)
    if published is not None:
        renamed = published.rename(
            columns={"point_estimate": "metr_days", "ci_low": "metr_ci_low", "ci_high": "metr_ci_high"}
        ).assign(metric="p50")
        table = table.merge(_align_stitched(renamed), on=["window", "metric"], how="left")
        table["difference_pct"] = 100 * (table["doubling_days"] / table["metr_days"] - 1)
    return table


def _align_stitched(published: pd.DataFrame) -> pd.DataFrame:
    """METR's 'all_time_stitched' is its all-time fit; name it as ours so the two rows meet."""
    return published.replace({"window": {"all_time_stitched": "all_time"}})


# ---------------------------------------------------------------- selection on the outcome (issue 12)
# METR's ``is_sota`` keeps a model when its measured p50 is above every earlier release's: the fit's
# sample is chosen with the same noisy number the fit explains. The functions below give frontier
# definitions that lean on the outcome less (or not at all), to show how much the headline moves.

FRONTIER_QUANTILES = (0.75, 0.9)  # upper quantiles of all models' log2 horizons traced by quantile regression


def above_every_earlier(horizons: pd.DataFrame, metric: str = "p50") -> pd.Series:
    """True where a model's measured horizon exceeds that of every model released before it (strictly
    earlier date). This is the rule METR's ``is_sota`` follows in the current file."""
    order = horizons.sort_values("release_date", kind="stable")
    flags = {}
    for index, row in order.iterrows():
        earlier = order.loc[order["release_date"] < row["release_date"], metric]
        flags[index] = bool(earlier.empty or row[metric] > earlier.max())
    return pd.Series(flags).reindex(horizons.index)


def running_frontier(horizons: pd.DataFrame, metric: str = "p50") -> pd.Series:
    """A frontier with a tolerance for measurement noise: a model counts when the upper end of its
    published 95% interval reaches the best central estimate of any model released before it, i.e.
    when the data cannot say it was behind the frontier."""
    order = horizons.sort_values("release_date", kind="stable")
    flags = {}
    for index, row in order.iterrows():
        earlier = order.loc[order["release_date"] < row["release_date"], metric]
        flags[index] = bool(earlier.empty or row[f"{metric}_high"] >= earlier.max())
    return pd.Series(flags).reindex(horizons.index)


def quantile_slope(x: np.ndarray, y: np.ndarray, quantile: float) -> tuple[float, float]:
    """Linear quantile regression of y on x (slope, intercept) by linear programming.

    Minimises sum(q * u_plus + (1 - q) * u_minus) subject to y - a - b x = u_plus - u_minus, u >= 0
    (Koenker and Bassett, 1978).
    """
    from scipy.optimize import linprog

    n = len(x)
    if n < 2 or not 0 < quantile < 1:
        raise ValueError("quantile_slope needs at least 2 points and 0 < quantile < 1")
    centre = x.mean()  # centring keeps the LP well scaled; the slope is unchanged
    design = np.column_stack([np.ones(n), x - centre])
    # variables: a, b (free), u_plus (n), u_minus (n)
    cost = np.concatenate([[0.0, 0.0], np.full(n, quantile), np.full(n, 1 - quantile)])
    equality = np.hstack([design, np.eye(n), -np.eye(n)])
    bounds = [(None, None), (None, None)] + [(0, None)] * (2 * n)
    result = linprog(cost, A_eq=equality, b_eq=y, bounds=bounds, method="highs")
    if not result.success:
        raise ValueError(f"quantile regression failed: {result.message}")
    a, b = result.x[:2]
    return float(b), float(a - b * centre)


def quantile_trend_days(
    horizons: pd.DataFrame,
    *,
    since=None,
    quantile: float = FRONTIER_QUANTILES[0],
    max_minutes: float | None = 960.0,
    metric: str = "p50",
) -> tuple[float, int]:
    """Doubling time of the upper-``quantile`` line through ALL models (no frontier label), and n."""
    points = select_points(horizons, since=since, frontier_only=False, max_minutes=max_minutes, metric=metric)
    slope, _ = quantile_slope(days_since_origin(points["release_date"]), np.log2(points[metric].to_numpy(float)),
                              quantile)
    return doubling_days_from_slope(slope), len(points)


# ---------------------------------------------------------------- is the straight line right? (issue 12)


@dataclass(frozen=True)
class LineDiagnostics:
    n: int
    durbin_watson: float  # about 2 for independent residuals; near 0 when residuals run in streaks
    quadratic_t: float  # t statistic of a squared-date term added to the line
    quadratic_p: float  # its two-sided p-value (t distribution, n - 3 df)
    slope_ci_t: tuple[float, float]  # classical t-interval on the slope (doublings per day)
    slope_ci_hc3: tuple[float, float]  # heteroskedasticity-robust (HC3) interval, t quantile with n - 2 df


def ols_design(x: np.ndarray, *powers: int) -> np.ndarray:
    return np.column_stack([np.ones_like(x)] + [x**p for p in powers])


def hc3_covariance(design: np.ndarray, y: np.ndarray) -> np.ndarray:
    """HC3 covariance of OLS coefficients (MacKinnon and White, 1985):
    (X'X)^-1 X' diag(e_i^2 / (1 - h_i)^2) X (X'X)^-1, with h_i the leverages."""
    bread = np.linalg.inv(design.T @ design)
    coef = bread @ design.T @ y
    residuals = y - design @ coef
    leverage = np.einsum("ij,jk,ik->i", design, bread, design)
    meat = design.T @ (design * (residuals / (1 - leverage))[:, None] ** 2)
    return bread @ meat @ bread


def durbin_watson(residuals: np.ndarray) -> float:
    residuals = np.asarray(residuals, dtype=float)
    return float(np.sum(np.diff(residuals) ** 2) / np.sum(residuals**2))


def line_diagnostics(fit: TrendFit, confidence: float = 0.95) -> LineDiagnostics:
    """Residual diagnostics and two analytic slope intervals for a fitted trend (points in date order)."""
    x = days_since_origin(fit.points["release_date"])
    y = np.log2(fit.points[fit.metric].to_numpy(dtype=float))
    scale = DAYS_PER_YEAR  # years keep the squared term well conditioned; the t statistic does not change
    centred = (x - x.mean()) / scale
    n = len(x)
    line = ols_design(centred, 1)
    coef, *_ = np.linalg.lstsq(line, y, rcond=None)
    residuals = y - line @ coef
    s2 = residuals @ residuals / (n - 2)
    t_quantile = stats.t.ppf(0.5 + confidence / 2, df=n - 2)
    se_t = np.sqrt(s2 * np.linalg.inv(line.T @ line)[1, 1]) / scale
    se_hc3 = np.sqrt(hc3_covariance(line, y)[1, 1]) / scale
    slope = coef[1] / scale
    quadratic = ols_design(centred, 1, 2)
    qcoef, *_ = np.linalg.lstsq(quadratic, y, rcond=None)
    qres = y - quadratic @ qcoef
    qs2 = qres @ qres / (n - 3)
    q_se = np.sqrt(qs2 * np.linalg.inv(quadratic.T @ quadratic)[2, 2])
    q_t = qcoef[2] / q_se
    return LineDiagnostics(
        n=n,
        durbin_watson=durbin_watson(residuals),
        quadratic_t=float(q_t),
        quadratic_p=float(2 * stats.t.sf(abs(q_t), df=n - 3)),
        slope_ci_t=(float(slope - t_quantile * se_t), float(slope + t_quantile * se_t)),
        slope_ci_hc3=(float(slope - t_quantile * se_hc3), float(slope + t_quantile * se_hc3)),
    )


def pairs_bootstrap_coverage(
    x: np.ndarray,
    sigma: float,
    rng: np.random.Generator,
    *,
    n_simulations: int = 1_000,
    n_bootstrap: int = 1_000,
    confidence: float = 0.95,
    slope: float = 1.0,
) -> float:
    """Share of simulated data sets (y = slope x + N(0, sigma^2) on the design ``x``) whose pairs
    (model-resampling) bootstrap percentile interval for the slope contains the true slope."""
    lower_pct, upper_pct = _tails(confidence)
    covered = 0
    for _ in range(n_simulations):
        y = slope * x + sigma * rng.standard_normal(len(x))
        slopes, _ = bootstrap_fits(x, y, rng, n_bootstrap)
        low, high = np.percentile(slopes, [lower_pct, upper_pct])
        covered += low <= slope <= high
    return covered / n_simulations
