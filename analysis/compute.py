"""Training compute and the horizon: frontier compute growth, horizon against compute, a constraint scenario.

Statistics only: frames and arrays in, small dataclasses out; no I/O (``analysis.epoch`` loads the
data), no drawing, no rounding. Rates are in doublings per year unless a name says otherwise.

* **Compute frontier without the future.** Among models with a training-compute value, a model is at
  the frontier if fewer than ``top_k`` models published on or before its publication date used more
  compute. Whether a model counts never depends on what came later.
* **Growth.** OLS of log2(compute) on publication date; doubling time 1/slope; interval: bootstrap over
  models (``rng`` passed in), as ``analysis.trend`` does for horizons.
* **Horizon against compute.** OLS of log2(50% horizon) on log2(training compute) across the models
  that have both: the slope is doublings of horizon per doubling of compute. An association across a
  handful of models released at different times, not a causal elasticity.
* **Compute's share of the horizon's growth.** slope x (compute doublings a year) / (horizon doublings
  a year): the part of the horizon's growth that compute growth alone would carry along the fitted
  relation; the rest is algorithms, post-training and scaffolds (and whatever else moves with time).
* **Constraint scenario.** If the frontier's compute level at the end of the period is cut by a
  factor (for instance 1.4T / 0.6T), its growth loses log2(factor) x elasticity doublings spread
  over the years of the period, and the horizon's growth loses slope times that rate:
  ``constrained = horizon_rate - slope * cut_doublings / years``. With compute frozen instead,
  ``horizon_rate - slope * compute_rate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.trend import DAY0, DAYS_PER_YEAR, bootstrap_fits, days_since_origin, ols_slopes, percentile_interval

DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def doubling_days_from_rate(rate_per_year):
    """Days per doubling from doublings per year; a rate <= 0 never doubles (infinite)."""
    rate = np.asarray(rate_per_year, dtype=float)
    with np.errstate(divide="ignore"):
        days = np.where(rate > 0, DAYS_PER_YEAR / np.where(rate > 0, rate, 1.0), np.inf)
    return float(days) if days.ndim == 0 else days


def interval_of_days(rate_draws: np.ndarray, confidence: float) -> tuple[float, float]:
    """Doubling-time interval from rate draws: percentiles of the rate, inverted (fast rate -> short time)."""
    low, high = percentile_interval(rate_draws, confidence)
    return doubling_days_from_rate(high), doubling_days_from_rate(low)


# ------------------------------------------------------------------ the compute frontier


def running_frontier(models: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """Models with compute, oldest first, with ``frontier``: among the top ``top_k`` by compute of all
    models published on or before the same date (ties at the k-th value count as frontier)."""
    if top_k < 1:
        raise ValueError(f"top_k must be >= 1, got {top_k}")
    known = models[models["training_compute_flop"].notna()].sort_values(["publication_date", "model"], kind="stable")
    dates = known["publication_date"].to_numpy()
    compute = known["training_compute_flop"].to_numpy(dtype=float)
    larger_before = np.array(
        [int((compute[dates <= date] > value).sum()) for date, value in zip(dates, compute)], dtype=int
    )
    return known.assign(frontier=larger_before < top_k, larger_before=larger_before).reset_index(drop=True)


def is_frontier_lab(organizations: pd.Series, labs) -> pd.Series:
    """True where any of a model's (comma-separated) organisations is one of ``labs``."""
    wanted = set(labs)
    return organizations.fillna("").map(lambda text: any(part.strip() in wanted for part in text.split(",")))


def half_year_start(dates: pd.Series) -> pd.Series:
    dates = pd.to_datetime(dates)
    return pd.to_datetime({"year": dates.dt.year, "month": np.where(dates.dt.month <= 6, 1, 7), "day": 1})


def coverage_by_half_year(models: pd.DataFrame, labs, *, since) -> pd.DataFrame:
    """Frontier-lab models per half-year, with and without a compute value (half-years with none omitted)."""
    chosen = models[is_frontier_lab(models["organization"], labs) & (models["publication_date"] >= pd.Timestamp(since))]
    table = (
        chosen.assign(half=half_year_start(chosen["publication_date"]), known=chosen["training_compute_flop"].notna())
        .groupby("half")
        .agg(n_models=("model", "size"), n_with_compute=("known", "sum"))
        .reset_index()
    )
    table["n_without_compute"] = table["n_models"] - table["n_with_compute"]
    table["share_with_compute"] = table["n_with_compute"] / table["n_models"]
    return table


def coverage_cutoff(coverage: pd.DataFrame, floor: float) -> pd.Timestamp | None:
    """Start of the first half-year from which every later half-year has a share with compute below
    ``floor``: the data are incomplete from there on. None if the last half-year is above the floor."""
    below = (coverage.sort_values("half")["share_with_compute"] < floor).to_numpy()
    if not below[-1]:
        return None
    first = len(below) - 1
    while first > 0 and below[first - 1]:
        first -= 1
    return pd.Timestamp(coverage.sort_values("half")["half"].iloc[first])


# ------------------------------------------------------------------ growth fits


@dataclass(frozen=True)
class GrowthFit:
    """log2(value) = intercept + slope x (days since trend.DAY0), with bootstrap draws of both."""

    window: str
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    n: int
    slope_per_day: float
    intercept_log2: float
    slope_draws: np.ndarray = field(repr=False)
    intercept_draws: np.ndarray = field(repr=False)
    confidence: float
    points: pd.DataFrame = field(repr=False)

    @property
    def rate_per_year(self) -> float:
        return self.slope_per_day * DAYS_PER_YEAR

    @property
    def rate_draws(self) -> np.ndarray:
        return self.slope_draws * DAYS_PER_YEAR

    @property
    def doubling_days(self) -> float:
        return doubling_days_from_rate(self.rate_per_year)

    @property
    def doubling_days_ci(self) -> tuple[float, float]:
        return interval_of_days(self.rate_draws, self.confidence)

    @property
    def doubling_months(self) -> float:
        return self.doubling_days / DAYS_PER_MONTH

    @property
    def doubling_months_ci(self) -> tuple[float, float]:
        low, high = self.doubling_days_ci
        return low / DAYS_PER_MONTH, high / DAYS_PER_MONTH

    @property
    def growth_per_year(self) -> float:
        """The factor by which the value grows in a year (2 ** doublings a year)."""
        return float(2.0**self.rate_per_year)

    def line(self, grid_points: int = 60) -> pd.DataFrame:
        """date, fitted, band_low, band_high (in the value's own units) over the fitted window."""
        x = days_since_origin(self.points["date"])
        grid = np.linspace(x.min(), x.max(), grid_points)
        curves = self.intercept_draws[:, None] + self.slope_draws[:, None] * grid[None, :]
        alpha = 1 - self.confidence
        low, high = np.percentile(curves, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        return pd.DataFrame({
            "date": DAY0 + pd.to_timedelta(grid, unit="D"),
            "fitted": 2.0 ** (self.intercept_log2 + self.slope_per_day * grid),
            "band_low": 2.0**low,
            "band_high": 2.0**high,
        })


def fit_log2_growth(
    dates,
    values,
    *,
    rng: np.random.Generator,
    n_bootstrap: int,
    confidence: float,
    window: str = "",
    since=None,
    until=None,
) -> GrowthFit:
    """OLS of log2(values) on dates with a bootstrap over points (resampled with replacement)."""
    points = pd.DataFrame({"date": pd.to_datetime(pd.Series(dates)).to_numpy(), "value": np.asarray(values, dtype=float)})
    if len(points) < 3:
        raise ValueError(f"fit_log2_growth needs at least 3 points, got {len(points)} (window {window!r})")
    if not (points["value"] > 0).all():
        raise ValueError("fit_log2_growth needs positive values")
    x = days_since_origin(points["date"])
    y = np.log2(points["value"].to_numpy())
    slope, intercept = (float(v) for v in ols_slopes(x, y))
    slopes, intercepts = bootstrap_fits(x, y, rng, n_bootstrap)
    return GrowthFit(
        window=window, since=None if since is None else pd.Timestamp(since),
        until=None if until is None else pd.Timestamp(until), n=len(points), slope_per_day=slope,
        intercept_log2=intercept, slope_draws=slopes, intercept_draws=intercepts, confidence=confidence, points=points,
    )


def fit_compute_growth(
    frontier: pd.DataFrame,
    *,
    since=None,
    until=None,
    rng: np.random.Generator,
    n_bootstrap: int,
    confidence: float,
    window: str = "",
) -> GrowthFit:
    """Growth of frontier training compute over [since, until) (publication dates)."""
    chosen = frontier[frontier["frontier"]]
    if since is not None:
        chosen = chosen[chosen["publication_date"] >= pd.Timestamp(since)]
    if until is not None:
        chosen = chosen[chosen["publication_date"] < pd.Timestamp(until)]
    fit = fit_log2_growth(chosen["publication_date"], chosen["training_compute_flop"], rng=rng, n_bootstrap=n_bootstrap,
                          confidence=confidence, window=window, since=since, until=until)
    points = fit.points.assign(model=chosen["model"].to_numpy(), organization=chosen["organization"].to_numpy(),
                               confidence_label=chosen["confidence"].to_numpy())
    return GrowthFit(**{**fit.__dict__, "points": points})


# ------------------------------------------------------------------ horizon against compute


@dataclass(frozen=True)
class SlopeFit:
    """log2(horizon) = intercept + slope x log2(compute) across models, with bootstrap draws."""

    n: int
    slope: float
    intercept: float
    slope_draws: np.ndarray = field(repr=False)
    intercept_draws: np.ndarray = field(repr=False)
    confidence: float
    points: pd.DataFrame = field(repr=False)

    @property
    def slope_ci(self) -> tuple[float, float]:
        return percentile_interval(self.slope_draws, self.confidence)

    def line(self, grid_points: int = 40) -> pd.DataFrame:
        """compute_flop, fitted_min, band_low_min, band_high_min across the observed compute range."""
        x = np.log2(self.points["training_compute_flop"].to_numpy(dtype=float))
        grid = np.linspace(x.min(), x.max(), grid_points)
        curves = self.intercept_draws[:, None] + self.slope_draws[:, None] * grid[None, :]
        alpha = 1 - self.confidence
        low, high = np.percentile(curves, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        return pd.DataFrame({"compute_flop": 2.0**grid, "fitted_min": 2.0 ** (self.intercept + self.slope * grid),
                             "band_low_min": 2.0**low, "band_high_min": 2.0**high})


def horizon_compute_pairs(horizons: pd.DataFrame, metr_compute: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """METR's horizons joined to Epoch's compute through the crosswalk: the models that have both."""
    crosswalk = metr_compute[(metr_compute["benchmark"] == benchmark) & metr_compute["training_compute_flop"].notna()]
    joined = horizons.merge(crosswalk, left_on="model", right_on="metr_model", how="inner")
    return joined.sort_values("release_date", kind="stable").reset_index(drop=True)


def fit_horizon_on_compute(
    pairs: pd.DataFrame, *, rng: np.random.Generator, n_bootstrap: int, confidence: float, metric: str = "p50"
) -> SlopeFit:
    """Doublings of horizon per doubling of training compute, with a bootstrap over models."""
    if len(pairs) < 3:
        raise ValueError(f"fit_horizon_on_compute needs at least 3 models with both, got {len(pairs)}")
    x = np.log2(pairs["training_compute_flop"].to_numpy(dtype=float))
    y = np.log2(pairs[metric].to_numpy(dtype=float))
    slope, intercept = (float(v) for v in ols_slopes(x, y))
    slopes, intercepts = bootstrap_fits(x, y, rng, n_bootstrap)
    return SlopeFit(n=len(pairs), slope=slope, intercept=intercept, slope_draws=slopes, intercept_draws=intercepts,
                    confidence=confidence, points=pairs)


def paired(*draws: np.ndarray) -> tuple[np.ndarray, ...]:
    """Independent bootstrap draws cut to a common length, to be combined element by element."""
    n = min(len(d) for d in draws)
    return tuple(np.asarray(d[:n], dtype=float) for d in draws)


def compute_share(slope, compute_rate, horizon_rate):
    """Share of the horizon's growth that compute growth alone carries along the fitted relation."""
    return np.asarray(slope) * np.asarray(compute_rate) / np.asarray(horizon_rate)


# ------------------------------------------------------------------ the constraint scenario


def commitment_cut_doublings(before_usd: float, after_usd: float, elasticity: float = 1.0) -> float:
    """Doublings of compute lost when the committed spending falls from ``before`` to ``after``."""
    if not (before_usd > 0 and after_usd > 0):
        raise ValueError("commitments must be positive")
    return float(elasticity * np.log2(before_usd / after_usd))


def years_between(start, end) -> float:
    return (pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(days=DAYS_PER_YEAR)


def constrained_horizon_rate(horizon_rate, slope, compute_rate_cut):
    """Horizon doublings a year when compute growth loses ``compute_rate_cut`` doublings a year and the
    rest of the horizon's growth (algorithms, post-training, scaffolds) continues unchanged."""
    return np.asarray(horizon_rate) - np.asarray(slope) * np.asarray(compute_rate_cut)


@dataclass(frozen=True)
class Scenario:
    name: str
    compute_rate_cut: np.ndarray = field(repr=False)  # doublings a year of compute growth lost (per draw)
    horizon_rate: float  # point estimate, doublings a year
    horizon_rate_draws: np.ndarray = field(repr=False)
    confidence: float

    @property
    def doubling_days(self) -> float:
        return doubling_days_from_rate(self.horizon_rate)

    @property
    def doubling_days_ci(self) -> tuple[float, float]:
        return interval_of_days(self.horizon_rate_draws, self.confidence)


def constraint_scenarios(
    *,
    horizon: GrowthFit,
    slope: SlopeFit,
    compute: GrowthFit,
    cut_doublings: float,
    years: float,
    confidence: float,
) -> list[Scenario]:
    """The observed trend, the commitment reset, and compute frozen, with draws propagated.

    The draws of the three fits are independent resamples and are combined element by element.
    """
    h, b, c = paired(horizon.rate_draws, slope.slope_draws, compute.rate_draws)
    reset_cut = cut_doublings / years
    cases = [
        ("Observed trend continues", 0.0, np.zeros_like(c)),
        ("Commitment reset slows compute", reset_cut, np.full_like(c, reset_cut)),
        ("Compute stops growing", compute.rate_per_year, c),
    ]
    return [
        Scenario(
            name=name,
            compute_rate_cut=cut_draws,
            horizon_rate=float(constrained_horizon_rate(horizon.rate_per_year, slope.slope, cut_point)),
            # The observed trend keeps all of its own draws, so its interval is chapter 1's exactly.
            horizon_rate_draws=horizon.rate_draws if cut_point == 0.0 else constrained_horizon_rate(h, b, cut_draws),
            confidence=confidence,
        )
        for name, cut_point, cut_draws in cases
    ]


def scenario_paths(
    scenarios: list[Scenario],
    horizon: GrowthFit,
    *,
    start,
    end,
    grid_points: int = 40,
) -> pd.DataFrame:
    """Each scenario's projected 50% horizon from ``start`` (the trend's fitted value there) to ``end``:
    scenario, date, fitted_min, low_min, high_min (percentiles of the propagated draws)."""
    x0 = days_since_origin(pd.Timestamp(start))[0]
    grid = np.linspace(0.0, years_between(start, end), grid_points)
    alpha = 1 - scenarios[0].confidence if scenarios else 0.05
    rows = []
    for scenario in scenarios:
        a, s, r = paired(horizon.intercept_draws, horizon.slope_draws, scenario.horizon_rate_draws)
        start_log2 = a + s * x0
        curves = start_log2[:, None] + r[:, None] * grid[None, :]
        point = horizon.intercept_log2 + horizon.slope_per_day * x0 + scenario.horizon_rate * grid
        low, high = np.percentile(curves, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        rows.append(pd.DataFrame({
            "scenario": scenario.name,
            "date": pd.Timestamp(start) + pd.to_timedelta(grid * DAYS_PER_YEAR, unit="D"),
            "fitted_min": 2.0**point, "low_min": 2.0**low, "high_min": 2.0**high,
        }))
    return pd.concat(rows, ignore_index=True)


@dataclass(frozen=True)
class CovariateFit:
    n: int
    compute_coef: float  # doublings of horizon per doubling of compute, release date held fixed
    compute_se: float  # classical OLS standard error (n - 3 df)
    date_coef_per_year: float  # doublings of horizon a year, compute held fixed
    date_se_per_year: float


def fit_horizon_on_compute_and_date(pairs: pd.DataFrame, metric: str = "p50") -> CovariateFit:
    """OLS of log2 horizon on log2 training compute and release date (years): does compute carry the
    horizon once time is held fixed? With compute and date rising together, the share of growth
    "accounted for" by compute along the simple slope is a ratio of two time trends, not an attribution."""
    if len(pairs) < 4:
        raise ValueError(f"fit_horizon_on_compute_and_date needs at least 4 models with both, got {len(pairs)}")
    compute = np.log2(pairs["training_compute_flop"].to_numpy(dtype=float))
    years = (pd.to_datetime(pairs["release_date"]) - pd.Timestamp("2019-01-01")).dt.days.to_numpy() / DAYS_PER_YEAR
    y = np.log2(pairs[metric].to_numpy(dtype=float))
    design = np.column_stack([np.ones_like(compute), compute, years])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coef
    s2 = residuals @ residuals / (len(y) - 3)
    se = np.sqrt(np.diag(s2 * np.linalg.inv(design.T @ design)))
    return CovariateFit(n=len(y), compute_coef=float(coef[1]), compute_se=float(se[1]),
                        date_coef_per_year=float(coef[2]), date_se_per_year=float(se[2]))
