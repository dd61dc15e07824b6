"""When does the trend reach a milestone? Arrival distributions under competing growth scenarios.

Every scenario is a set of parameter draws of one curve for y = log2(horizon minutes) against
x = days since ``trend.DAY0``:

* ``line`` draws (exponential over a window; the latest era of the two-era fit): y = a + b x.
  Bootstrap draws over models, as in chapters 1 and 2.
* ``super`` draws (superexponential): y = y0 + k(x) with k as in ``eras.superexponential_curve``,
  drawn from the fit's asymptotic normal distribution, sigma^2 (J'J)^-1.

The arrival of m minutes then has a closed form per draw (``arrival_days``); the site's in-browser
controls evaluate the very same formula. A mixture over scenarios weights each scenario's draws by
the weights in ``Params.scenario_weights``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import eras, trend
from analysis.params import Params, Randomness, stream
from analysis.trend import DAY0, TrendFit

DRAW_COLUMNS = ["scenario", "metric", "kind", "a", "b", "y0", "d0", "shrink", "x0"]
NEVER = np.inf  # arrival of a draw that never reaches the milestone (flat or shrinking trend)


def milestone_date(fit: TrendFit, minutes: float) -> pd.Timestamp:
    """The date a fitted exponential line reaches ``minutes``; NaT if the line never grows."""
    if fit.slope_per_day <= 0:
        return pd.NaT
    days = (np.log2(minutes) - fit.intercept_log2) / fit.slope_per_day
    return DAY0 + pd.Timedelta(days=float(days))


def arrival_days(draws: pd.DataFrame, minutes: float) -> np.ndarray:
    """Days since DAY0 at which each draw's curve reaches ``minutes`` (inf: never)."""
    target = np.log2(minutes)
    kind = draws["kind"].to_numpy()
    a, b = draws["a"].to_numpy(dtype=float), draws["b"].to_numpy(dtype=float)
    y0, d0 = draws["y0"].to_numpy(dtype=float), draws["d0"].to_numpy(dtype=float)
    shrink, x0 = draws["shrink"].to_numpy(dtype=float), draws["x0"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        line = np.where(b > 0, (target - a) / b, NEVER)
        k = target - y0
        # time for k doublings when the first takes d0 and each next one (1 - shrink) times as long
        geometric = np.where(np.abs(shrink) > 1e-12, d0 * (1 - (1 - shrink) ** k) / shrink, d0 * k)
        curve = np.where(np.isfinite(geometric) & (geometric >= 0) | (k < 0), x0 + geometric, NEVER)
    return np.where(kind == "line", line, curve)


def horizon_log2(draws: pd.DataFrame, x: np.ndarray) -> np.ndarray:
    """log2 horizon of every draw (rows) at every date x (columns)."""
    rows = []
    for draw in draws.itertuples():
        if draw.kind == "line":
            rows.append(draw.a + draw.b * x)
        else:
            rows.append(eras.superexponential_curve(x, draw.y0, draw.d0, draw.shrink, draw.x0))
    return np.vstack(rows)


def _line_draws(scenario: str, metric: str, slopes: np.ndarray, intercepts: np.ndarray) -> pd.DataFrame:
    n = len(slopes)
    return pd.DataFrame(
        {"scenario": scenario, "metric": metric, "kind": "line", "a": intercepts, "b": slopes,
         "y0": np.nan, "d0": np.nan, "shrink": np.nan, "x0": np.nan}, index=range(n)
    )


def exponential_draws(
    horizons: pd.DataFrame, *, scenario: str, since, metric: str, max_minutes: float,
    rng: np.random.Generator, n_draws: int,
) -> pd.DataFrame:
    points = trend.select_points(horizons, since=since, max_minutes=max_minutes, metric=metric)
    x = trend.days_since_origin(points["release_date"])
    y = np.log2(points[metric].to_numpy(dtype=float))
    slopes, intercepts = trend.bootstrap_fits(x, y, rng, n_draws)
    return _line_draws(scenario, metric, slopes, intercepts)


def latest_era_draws(
    horizons: pd.DataFrame, *, scenario: str, metric: str, params: Params, rng: np.random.Generator, n_draws: int,
) -> pd.DataFrame:
    """The second era of the joined two-era fit, continued: y = (c0 - c2 tau) + (c1 + c2) x."""
    fit = eras.fit_breakpoint(
        horizons, metric=metric, max_minutes=params.max_minutes, min_segment=params.break_min_segment,
        grid_step_days=params.break_grid_days, rng=rng, n_bootstrap=n_draws,
    )
    d = fit.draws
    return _line_draws(scenario, metric, (d["c1"] + d["c2"]).to_numpy(), (d["c0"] - d["c2"] * d["break_days"]).to_numpy())


def superexponential_draws(
    horizons: pd.DataFrame, *, scenario: str, metric: str, max_minutes: float, rng: np.random.Generator, n_draws: int,
) -> pd.DataFrame:
    points = trend.select_points(horizons, max_minutes=max_minutes, metric=metric)
    x = trend.days_since_origin(points["release_date"])
    y = np.log2(points[metric].to_numpy(dtype=float))
    fit = eras.fit_superexponential_model(x, y)
    theta, x0 = fit.params[:3], fit.params[3]
    jacobian = fit.jacobian(x)
    covariance = fit.sigma2 * np.linalg.pinv(jacobian.T @ jacobian)
    draws = rng.multivariate_normal(theta, covariance, size=n_draws, method="svd")
    # keep draws that describe a curve: positive first doubling, shrink below 1
    draws = draws[(draws[:, 1] > 0) & (draws[:, 2] < 1)]
    return pd.DataFrame(
        {"scenario": scenario, "metric": metric, "kind": "super", "a": np.nan, "b": np.nan,
         "y0": draws[:, 0], "d0": draws[:, 1], "shrink": draws[:, 2], "x0": x0}
    )


def scenario_draws(horizons: pd.DataFrame, params: Params, rng: Randomness | None = None, *, n_draws: int) -> pd.DataFrame:
    """Parameter draws for every scenario in ``params.scenario_weights``, for p50 and p80; each
    (scenario, reliability) draws from its own named stream (``params.rng`` unless another is given)."""
    rng = params.rng if rng is None else rng
    frames = []
    for metric in trend.METRICS:
        for scenario, _ in params.scenario_weights:
            generator = stream(rng, f"forecast/draws/{scenario}/{metric}")
            common = dict(scenario=scenario, metric=metric, rng=generator, n_draws=n_draws)
            if scenario == "Exponential, all time":
                frames.append(exponential_draws(horizons, since=None, max_minutes=params.max_minutes, **common))
            elif scenario == "Exponential, since 2023":
                frames.append(exponential_draws(
                    horizons, since=params.window_start("from_2023_on"), max_minutes=params.max_minutes, **common))
            elif scenario == "Latest era continues":
                frames.append(latest_era_draws(horizons, params=params, **common))
            elif scenario == "Superexponential":
                frames.append(superexponential_draws(horizons, max_minutes=params.max_minutes, **common))
            else:
                raise ValueError(f"unknown scenario {scenario!r} in params.scenario_weights")
    draws = pd.concat(frames, ignore_index=True)
    return with_weights(draws, dict(params.scenario_weights))


def with_weights(draws: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Each draw's weight within its scenario (1/n) and in the mixture (scenario weight / n)."""
    total = sum(weights.values())
    size = draws.groupby(["scenario", "metric"])["kind"].transform("size")
    return draws.assign(w_scenario=1.0 / size, w_mixture=draws["scenario"].map(weights) / total / size)


def _select(draws: pd.DataFrame, metric: str, scenario: str | None) -> tuple[np.ndarray, pd.DataFrame]:
    chosen = draws[draws["metric"] == metric]
    if scenario is None:
        return chosen["w_mixture"].to_numpy(), chosen
    chosen = chosen[chosen["scenario"] == scenario]
    if chosen.empty:
        raise ValueError(f"no draws for scenario {scenario!r} and metric {metric!r}")
    return chosen["w_scenario"].to_numpy(), chosen


def probability_by(date, draws: pd.DataFrame, *, minutes: float, metric: str, scenario: str | None = None) -> float:
    """Probability the milestone is reached by ``date`` (the mixture when ``scenario`` is None).

    A weighted empirical distribution function of arrival dates, so it never decreases with date.
    """
    weights, chosen = _select(draws, metric, scenario)
    limit = trend.days_since_origin([date])[0]
    return float(np.sum(weights * (arrival_days(chosen, minutes) <= limit)) / np.sum(weights))


def arrival_quantiles(
    draws: pd.DataFrame, *, minutes: float, metric: str, scenario: str | None = None, levels=(0.1, 0.5, 0.9)
) -> list[pd.Timestamp]:
    """Weighted quantiles of the arrival date; NaT where that share of draws never arrives."""
    weights, chosen = _select(draws, metric, scenario)
    days = weighted_quantiles(arrival_days(chosen, minutes), weights, levels)
    return [pd.NaT if not np.isfinite(value) else DAY0 + pd.Timedelta(days=float(value)) for value in days]


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, levels=(0.1, 0.5, 0.9)) -> list[float]:
    """Quantiles of a weighted sample: the smallest value whose cumulative weight reaches each level."""
    order = np.argsort(values)
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order]) / np.sum(weights)
    return [float(np.asarray(values, dtype=float)[order][np.searchsorted(cumulative, level)]) for level in levels]


def arrival_table(draws: pd.DataFrame, milestones: dict[str, float], scenarios: list[str | None]) -> pd.DataFrame:
    """Median and 10-90% range of arrival per milestone (name -> minutes), metric and scenario."""
    rows = []
    for name, minutes in milestones.items():
        for metric in trend.METRICS:
            for scenario in scenarios:
                low, median, high = arrival_quantiles(draws, minutes=minutes, metric=metric, scenario=scenario)
                rows.append({"milestone": name, "minutes": minutes, "metric": metric,
                             "scenario": scenario or "Mixture", "p10": low, "median": median, "p90": high})
    return pd.DataFrame(rows)


def fan(draws: pd.DataFrame, dates: pd.DatetimeIndex, levels=(0.1, 0.5, 0.9)) -> pd.DataFrame:
    """Quantiles of projected horizon (minutes) by date, per scenario and metric (unweighted within)."""
    x = trend.days_since_origin(dates)
    rows = []
    for (scenario, metric), group in draws.groupby(["scenario", "metric"], sort=False):
        # no interpolation: draws past a superexponential singularity are infinite
        low, mid, high = np.quantile(horizon_log2(group, x), levels, axis=0, method="inverted_cdf")
        rows.append(pd.DataFrame({"scenario": scenario, "metric": metric, "date": dates,
                                  "low_min": 2.0**low, "median_min": 2.0**mid, "high_min": 2.0**high}))
    return pd.concat(rows, ignore_index=True)


def claim_probabilities(claims: pd.DataFrame, draws: pd.DataFrame, scenarios: list[str | None]) -> pd.DataFrame:
    """For each claim: the probability the trend reaches its milestone by its target date."""
    rows = []
    for claim in claims.itertuples():
        row = {"claim_id": claim.claim_id}
        minutes = 60.0 * claim.milestone_hours
        for scenario in scenarios:
            row[scenario or "Mixture"] = probability_by(
                claim.target_date, draws, minutes=minutes, metric=claim.reliability, scenario=scenario
            )
        low, median, high = arrival_quantiles(draws, minutes=minutes, metric=claim.reliability)
        row.update(arrival_p10=low, arrival_median=median, arrival_p90=high)
        rows.append(row)
    return pd.DataFrame(rows)


def arrival_years(
    draws: pd.DataFrame, *, minutes: float, metric: str, reference, scenario: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(years after ``reference`` at which each draw arrives, the draws' weights); inf: never."""
    weights, chosen = _select(draws, metric, scenario)
    days = arrival_days(chosen, minutes) - trend.days_since_origin([reference])[0]
    return days / trend.DAYS_PER_YEAR, weights
