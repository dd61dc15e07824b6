"""A trend that can change: future changes of the growth rate as a Poisson process of rate changes.

Chapter 2 found one change of the horizon's growth rate (April 2024) in the frontier series. A
forecast two or three years out carries the chance of another one, up or down. This module draws
*change histories* after a forecast origin and applies them to any growth curve as a change of
clock: a curve y = f(x) becomes y = f(tau(x)), where tau runs at the curve's own speed up to the
first change and, after the k-th change, at c_k = m_1 ... m_k times that speed (m_j > 1: faster
growth; m_j < 1: slower). For an exponential, this multiplies the slope by c_k; for the
superexponential, it speeds up or slows down the curve's own clock. Arrival times follow from the
curve's closed-form arrival in tau and the inverse of the piecewise-linear clock.

The parameters (``ChangeProcess``) are estimated from the report's own evidence in
``estimate_process``: the number of changes the era analysis finds over the span of the frontier
series (a Jeffreys Gamma posterior for the Poisson rate), the size of the speed-up it measured (the
ratio of the two eras' slopes) and the size of a slowdown from the watch chapter's "compute stops
growing" case (a parameter, ``params.trend_change_slowdown_factor``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from analysis import eras, trend
from analysis.params import Params
from analysis.trend import DAYS_PER_YEAR


@dataclass(frozen=True)
class ChangeProcess:
    changes_seen: float  # rate changes found in the observed series
    span_years: float  # over this many years of frontier data
    up_factor: float  # a speed-up multiplies the growth rate by this (> 1)
    down_factor: float  # a slowdown divides it by this (> 1)
    up_share: float  # probability that a change is a speed-up
    size_spread: float  # each change's log-factor is the size times Uniform(1 - s, 1 + s)
    rate_scale: float = 1.0  # sensitivity: multiplies the Poisson rate (0: no change ever)

    @property
    def rate_shape(self) -> float:
        """Gamma posterior shape of the rate under the Jeffreys prior (changes + 1/2)."""
        return self.changes_seen + 0.5

    @property
    def mean_rate_per_year(self) -> float:
        return self.rate_scale * self.rate_shape / self.span_years

    def scaled(self, factor: float) -> "ChangeProcess":
        return replace(self, rate_scale=self.rate_scale * factor)


@dataclass(frozen=True)
class Histories:
    """One change history per row: origin (days since DAY0), change times (days after the origin,
    increasing, inf past the last change) and the clock's speed after each change (column 0 = 1)."""
    origin: float
    times: np.ndarray  # (n, K)
    speed: np.ndarray  # (n, K + 1)

    def __len__(self) -> int:
        return self.times.shape[0]

    def _knots(self) -> tuple[np.ndarray, np.ndarray]:
        return self._knot_arrays

    @cached_property
    def _knot_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Segment starts in x (n, K+1) and in tau (n, K+1)."""
        n = len(self)
        starts = np.column_stack([np.zeros(n), self.times])  # days after the origin
        with np.errstate(invalid="ignore"):
            lengths = np.diff(starts, axis=1)  # (n, K); inf (or nan) for unused changes
            gained = np.where(np.isfinite(lengths), lengths * self.speed[:, :-1], np.inf)
        tau_starts = np.column_stack([np.zeros(n), np.cumsum(gained, axis=1)])
        return starts, tau_starts

    def tau(self, x) -> np.ndarray:
        """The changed clock at date x (days since DAY0; scalar or one per row)."""
        x = np.broadcast_to(np.asarray(x, dtype=float), (len(self),))
        after = np.maximum(x - self.origin, 0.0)
        starts, tau_starts = self._knots()
        k = np.clip((starts <= after[:, None]).sum(axis=1) - 1, 0, starts.shape[1] - 1)
        rows = np.arange(len(self))
        with np.errstate(invalid="ignore"):
            elapsed = tau_starts[rows, k] + (after - starts[rows, k]) * self.speed[rows, k]
        return np.where(x <= self.origin, x, self.origin + elapsed)

    def x_of_tau(self, tau) -> np.ndarray:
        """The inverse: the date at which the changed clock shows tau (inf stays inf)."""
        tau = np.broadcast_to(np.asarray(tau, dtype=float), (len(self),))
        after = tau - self.origin
        starts, tau_starts = self._knots()
        finite = np.isfinite(after)
        safe = np.where(finite, after, 0.0)
        k = np.clip((tau_starts <= safe[:, None]).sum(axis=1) - 1, 0, starts.shape[1] - 1)
        rows = np.arange(len(self))
        x = self.origin + starts[rows, k] + (safe - tau_starts[rows, k]) / self.speed[rows, k]
        return np.where(~finite, tau, np.where(after <= 0, tau, x))


def draw_histories(process: ChangeProcess, n: int, origin: float, rng: np.random.Generator, *,
                   max_changes: int = 12) -> Histories:
    """n independent change histories after ``origin``: a rate per history from the Gamma posterior
    (times ``rate_scale``), exponential gaps between changes, a direction and a size per change."""
    rate = process.rate_scale * rng.gamma(process.rate_shape, 1.0 / process.span_years, size=n)  # per year
    with np.errstate(divide="ignore"):
        mean_gap_days = np.where(rate > 0, DAYS_PER_YEAR / np.where(rate > 0, rate, 1.0), np.inf)
    gaps = rng.exponential(1.0, size=(n, max_changes)) * mean_gap_days[:, None]
    times = np.cumsum(gaps, axis=1)
    up = rng.random((n, max_changes)) < process.up_share
    size = rng.uniform(1 - process.size_spread, 1 + process.size_spread, size=(n, max_changes))
    log_factor = np.where(up, np.log(process.up_factor), -np.log(process.down_factor)) * size
    speed = np.column_stack([np.ones(n), np.exp(np.cumsum(log_factor, axis=1))])
    return Histories(origin=float(origin), times=times, speed=speed)


def no_change(n: int, origin: float) -> Histories:
    """Histories without any change: tau(x) = x."""
    return Histories(origin=float(origin), times=np.full((n, 1), np.inf), speed=np.ones((n, 2)))


def estimate_process(horizons: pd.DataFrame, params: Params) -> ChangeProcess:
    """The change process from the report's own evidence in ``horizons``: the number of rate changes
    seen is 1 when chapter 2's two joined eras beat one exponential by more than 2 in AICc (as on
    METR's data, with the break in April 2024), else 0; the span is that of the frontier series; a
    speed-up's size is the ratio of the two eras' slopes (capped at ``trend_change_max_factor``) and a
    slowdown's is ``params.trend_change_slowdown_factor`` (the watch chapter's "compute stops
    growing" case). With too few models for two eras, nothing is seen and a speed-up takes the
    slowdown's size."""
    points = trend.select_points(horizons, max_minutes=params.max_minutes)
    if len(points) < 2:
        raise ValueError(f"trend changes: {len(points)} frontier models; need 2")
    x = trend.days_since_origin(points["release_date"])
    span = max(float(x.max() - x.min()) / DAYS_PER_YEAR, 0.5)
    seen, up = 0.0, params.trend_change_slowdown_factor
    if len(points) >= 2 * params.break_min_segment + 1:
        y = np.log2(points["p50"].to_numpy(dtype=float))
        one = eras.fit_exponential_model(x, y)
        two = eras.fit_two_era_model(x, y, min_segment=params.break_min_segment, grid_step_days=params.break_grid_days)
        aicc = {fit.name: eras.information_criteria(fit.sse, fit.n, fit.n_params)["aicc"] for fit in (one, two)}
        if aicc["two eras"] + 2 < aicc["exponential"]:
            seen = 1.0
            before, after = two.params[1], two.params[1] + two.params[2]
            ratio = after / before if before > 0 and after > 0 else params.trend_change_max_factor
            up = float(np.clip(max(ratio, 1 / ratio), 1.0, params.trend_change_max_factor))
    return ChangeProcess(changes_seen=seen, span_years=span, up_factor=up,
                         down_factor=params.trend_change_slowdown_factor, up_share=params.trend_change_up_share,
                         size_spread=params.trend_change_size_spread, rate_scale=params.trend_change_rate_scale)
