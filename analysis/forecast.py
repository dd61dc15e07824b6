"""When does the trend reach a milestone? Arrival distributions under competing growth scenarios.

Every scenario is a set of parameter draws of one curve for y = log2(horizon minutes) against
x = days since ``trend.DAY0``:

* ``line`` draws (exponential over a window; the latest era of the two-era fit): y = a + b x.
  Bootstrap draws over models, as in chapters 1 and 2.
* ``super`` draws (superexponential): y = y0 + k(x) with k as in ``eras.superexponential_curve``,
  drawn from the fit's asymptotic normal distribution, sigma^2 (J'J)^-1.

The arrival of m minutes then has a closed form per draw (``arrival_days``); the site's in-browser
controls evaluate the very same formula. A mixture over scenarios weights each scenario's draws by
``scenario_weights``: stacking weights that maximise the leave-future-out predictive log score of
chapter 2's backtest (the judgement weights of the first release and equal weights are kept as
sensitivity cases, ``weight_cases``).

Two kinds of arrival are distinguished. The *trend line* reaches a milestone when the curve itself
crosses it (``probability_by`` without ``scatter``). A *measured model* shows it when a frontier
model released on the date, measured on METR's suite, scores at least the milestone: the line plus
the models' scatter about it, normal in doublings with standard deviation ``model_scatter_log2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import special, stats

from analysis import eras, regimes, trend
from analysis.params import Params, Randomness, digest, stream
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


def scenario_draws(
    horizons: pd.DataFrame, params: Params, rng: Randomness | None = None, *, n_draws: int,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Parameter draws for every scenario in ``params.scenarios``, for p50 and p80; each
    (scenario, reliability) draws from its own named stream (``params.rng`` unless another is given).
    The mixture weights are ``weights`` or, by default, ``scenario_weights(horizons, params)``."""
    rng = params.rng if rng is None else rng
    frames = []
    for metric in trend.METRICS:
        for scenario in params.scenarios:
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
                raise ValueError(f"unknown scenario {scenario!r} in params.scenarios")
    draws = pd.concat(frames, ignore_index=True)
    if weights is None:
        weights = scenario_weights(horizons, params)
    return with_weights(draws, dict(weights))


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


def log2_at(draws: pd.DataFrame, x: float) -> np.ndarray:
    """log2 horizon (minutes) of every draw's curve at one date x (days since DAY0); inf past a singularity."""
    kind = draws["kind"].to_numpy()
    a, b = draws["a"].to_numpy(dtype=float), draws["b"].to_numpy(dtype=float)
    y0, d0 = draws["y0"].to_numpy(dtype=float), draws["d0"].to_numpy(dtype=float)
    shrink, x0 = draws["shrink"].to_numpy(dtype=float), draws["x0"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (x - x0) / d0
        inside = 1 - shrink * s
        k = np.where(np.abs(shrink) < 1e-12, s,
                     np.where(inside > 0, np.log(np.where(inside > 0, inside, 1.0)) / np.log1p(-shrink), np.inf))
    return np.where(kind == "line", a + b * x, y0 + k)


def probability_by(
    date, draws: pd.DataFrame, *, minutes: float, metric: str, scenario: str | None = None, scatter: float | None = None
) -> float:
    """Probability the milestone is reached by ``date`` (the mixture when ``scenario`` is None).

    ``scatter`` None: the trend *line* has reached the milestone by the date, a weighted empirical
    distribution function of arrival dates, so it never decreases with date. ``scatter`` = the
    standard deviation (doublings) of models about the line: the probability that a frontier *model*
    released on the date, measured on METR's suite, shows at least the milestone, i.e. the weighted
    mean over draws of P(line + N(0, scatter^2) >= log2 minutes).
    """
    weights, chosen = _select(draws, metric, scenario)
    limit = trend.days_since_origin([date])[0]
    if scatter is None:
        reached = arrival_days(chosen, minutes) <= limit
    else:
        if not scatter > 0:
            raise ValueError(f"scatter must be > 0 doublings, got {scatter!r}")
        with np.errstate(invalid="ignore"):
            reached = stats.norm.sf((np.log2(minutes) - log2_at(chosen, limit)) / scatter)
        reached = np.nan_to_num(reached, nan=1.0)  # past a singularity the horizon is infinite
    return float(np.sum(weights * reached) / np.sum(weights))


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


def claim_probabilities(
    claims: pd.DataFrame, draws: pd.DataFrame, scenarios: list[str | None], *, scatter: float | None = None
) -> pd.DataFrame:
    """For each claim: the probability its milestone is reached by its target date, by the trend line
    (``scatter`` None) or by a model measured on METR's suite (``scatter``: see ``probability_by``)."""
    rows = []
    for claim in claims.itertuples():
        row = {"claim_id": claim.claim_id}
        minutes = 60.0 * claim.milestone_hours
        for scenario in scenarios:
            row[scenario or "Mixture"] = probability_by(
                claim.target_date, draws, minutes=minutes, metric=claim.reliability, scenario=scenario, scatter=scatter
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


# ------------------------------------------------------------------ weights from chapter 2's evidence

# chapter 2's growth models (eras.compare_growth_models) -> the scenario that continues each
BACKTEST_SCENARIOS = {"exponential": "Exponential, all time", "two eras": "Latest era continues",
                      "superexponential": "Superexponential"}
WINDOW_SCENARIO = "Exponential, since 2023"  # not one of chapter 2's models: backtested here, same forecasts
WEIGHT_RULE = "stacking"
WEIGHT_RULE_TEXT = ("stacking weights: the mixture of scenarios that maximises the predictive log score of "
                    "chapter 2's leave-future-out backtest")


def growth_backtest(horizons: pd.DataFrame, params: Params) -> pd.DataFrame:
    """Chapter 2's leave-future-out backtest (``eras.compare_growth_models(...).backtest``), with
    chapter 2's settings."""
    return eras.compare_growth_models(
        horizons, max_minutes=params.max_minutes, min_segment=params.break_min_segment,
        grid_step_days=params.break_grid_days, min_train=params.backtest_min_train,
        max_lead_days=params.backtest_max_lead_days, interval_level=params.backtest_interval,
    ).backtest


def model_scatter_log2(horizons: pd.DataFrame, params: Params) -> float:
    """Standard deviation, in doublings, of frontier models' 50% horizons about the since-2023
    exponential (least squares, n - 2 degrees of freedom): how far one measured model typically
    lies from the trend line in the era the forecasts extrapolate."""
    points = trend.select_points(horizons, since=params.window_start("from_2023_on"), max_minutes=params.max_minutes)
    x = trend.days_since_origin(points["release_date"])
    y = np.log2(points["p50"].to_numpy(dtype=float))
    if len(x) < 3:
        raise ValueError(f"model scatter: {len(x)} frontier models since the window start; need 3")
    slope, intercept = np.polyfit(x, y, 1)
    return float(np.sqrt(((y - intercept - slope * x) ** 2).sum() / (len(x) - 2)))


def scenario_errors(horizons: pd.DataFrame, params: Params, backtest: pd.DataFrame) -> pd.DataFrame:
    """Forecast errors (doublings, actual minus predicted) of every scenario on the backtest's
    forecasts: one row per (origin, target), one column per scenario of ``params.scenarios``.

    Chapter 2's three growth models give three scenarios. The since-2023 exponential is fitted at
    each origin to the frontier models released from the window's start up to the origin (at least
    ``params.window_backtest_min_models``); forecasts it cannot make are left out for every scenario,
    so that all scenarios are scored on the same forecasts.
    """
    missing = set(BACKTEST_SCENARIOS) - set(backtest["model"])
    if missing:
        raise ValueError(f"backtest: no forecasts for growth model(s) {sorted(missing)}")
    wide = backtest.pivot_table(index=["origin", "target"], columns="model", values="error_log2", aggfunc="first")
    wide = wide[list(BACKTEST_SCENARIOS)].rename(columns=BACKTEST_SCENARIOS)
    points = trend.select_points(horizons, since=params.window_start("from_2023_on"), max_minutes=params.max_minutes)
    x = trend.days_since_origin(points["release_date"])
    y = np.log2(points["p50"].to_numpy(dtype=float))
    names = points["display_name"].tolist()
    errors = []
    for origin, target in wide.index:
        train = x <= trend.days_since_origin([origin])[0] + 1e-9
        if train.sum() < params.window_backtest_min_models or target not in names:
            errors.append(np.nan)
            continue
        slope, intercept = np.polyfit(x[train], y[train], 1)
        i = names.index(target)
        errors.append(y[i] - (intercept + slope * x[i]))
    wide[WINDOW_SCENARIO] = errors
    return wide.dropna()[list(params.scenarios)]


def stacking_weights(errors: pd.DataFrame, scale: float, *, tolerance: float = 1e-12, max_iter: int = 100_000) -> pd.Series:
    """Weights w on the simplex maximising sum_i log sum_s w_s N(error_is; 0, scale^2).

    Each scenario's predictive density for a backtest target is normal about its forecast with the
    models' scatter as standard deviation. The optimum is found by the EM fixed point for mixture
    weights, w_s <- mean_i (w_s p_is / sum_t w_t p_it), which increases the (concave) score at every
    step and keeps the weights on the simplex.
    """
    if errors.empty:
        raise ValueError("stacking: no backtest forecasts to score")
    density = stats.norm.pdf(np.nan_to_num(errors.to_numpy(dtype=float), nan=np.inf, posinf=np.inf, neginf=-np.inf),
                             scale=scale)
    keep = density.sum(axis=1) > 0
    density = density[keep]
    w = np.full(density.shape[1], 1.0 / density.shape[1])
    for _ in range(max_iter):
        updated = w * (density / (density @ w)[:, None]).mean(axis=0)
        if np.max(np.abs(updated - w)) < tolerance:
            w = updated
            break
        w = updated
    return pd.Series(w / w.sum(), index=errors.columns, name="weight")


def log_score(errors: pd.DataFrame, weights: pd.Series, scale: float) -> float:
    """Mean log predictive density (per forecast) of a mixture with these weights."""
    density = stats.norm.pdf(errors.to_numpy(dtype=float), scale=scale)
    return float(np.mean(np.log(density @ weights.reindex(errors.columns).to_numpy())))


def scenario_weights(horizons: pd.DataFrame, params: Params, *, backtest: pd.DataFrame | None = None) -> pd.Series:
    """The mixture's weights: stacking weights (``stacking_weights``) on chapter 2's leave-future-out
    backtest (``growth_backtest`` unless another is given), with the models' scatter
    (``model_scatter_log2``) as each forecast's predictive spread. Index: ``params.scenarios``.

    Stacking may put all the weight on one scenario: it does so when no mixture forecasts the
    backtest's outcomes better than that scenario alone. The spread is estimated on all models since
    2023, not only those before each origin; it sets how sharply errors are scored, the same for
    every scenario. ``weight_cases`` keeps the judgement and equal weights as sensitivity cases."""
    backtest = growth_backtest(horizons, params) if backtest is None else backtest
    errors = scenario_errors(horizons, params, backtest)
    return stacking_weights(errors, model_scatter_log2(horizons, params))


def weight_cases(horizons: pd.DataFrame, params: Params, *, backtest: pd.DataFrame | None = None) -> dict[str, pd.Series]:
    """The rule's weights and the two sensitivity cases: the first release's judgement, and equal weights."""
    judgement = pd.Series(dict(params.judgement_weights), name="weight").reindex(list(params.scenarios))
    return {
        WEIGHT_RULE: scenario_weights(horizons, params, backtest=backtest),
        "judgement": judgement / judgement.sum(),
        "equal": pd.Series(1.0 / len(params.scenarios), index=list(params.scenarios), name="weight"),
    }


# ------------------------------------------------------------------ the superexponential's singularity


def singularity_days(draws: pd.DataFrame) -> np.ndarray:
    """Days since DAY0 at which each superexponential draw's horizon becomes infinite,
    x0 + d0 / shrink (doubling times shrink geometrically, so infinitely many doublings take
    d0 * sum (1 - shrink)^i = d0 / shrink days); inf for draws that do not accelerate."""
    chosen = draws[draws["kind"] == "super"]
    shrink, d0, x0 = (chosen[c].to_numpy(dtype=float) for c in ("shrink", "d0", "x0"))
    with np.errstate(divide="ignore"):
        return np.where(shrink > 0, x0 + d0 / shrink, np.inf)


def singularity_summary(draws: pd.DataFrame, metric: str = "p50", levels=(0.1, 0.5, 0.9)) -> dict[str, object]:
    """Quantiles of the singularity date over one reliability level's superexponential draws, and
    the share of draws that have one at all."""
    days = singularity_days(draws[draws["metric"] == metric])
    if len(days) == 0:
        raise ValueError(f"no superexponential draws for metric {metric!r}")
    quantiles = np.quantile(days, levels, method="inverted_cdf")
    dates = [pd.NaT if not np.isfinite(d) else DAY0 + pd.Timedelta(days=float(d)) for d in quantiles]
    return {"share": float(np.isfinite(days).mean()), "quantiles": dates}


def fit_singularity(fit: eras.GrowthFit) -> pd.Timestamp:
    """The singularity date of a fitted superexponential (params y0, d0, shrink, x0); NaT if none."""
    _, d0, shrink, x0 = fit.params
    return DAY0 + pd.Timedelta(days=float(x0 + d0 / shrink)) if shrink > 0 else pd.NaT


# ------------------------------------------------------------------ claims against the as-of date


def claim_status(claims: pd.DataFrame, as_of) -> pd.Series:
    """'passed' for every claim whose target date lies before ``as_of``, else 'open'."""
    return pd.Series(np.where(claims["target_date"] < pd.Timestamp(as_of), "passed", "open"), index=claims.index)


def horizons_before(horizons: pd.DataFrame, date) -> pd.DataFrame:
    """The models released before ``date``: the data a forecast made at that date could use."""
    return horizons[horizons["release_date"] < pd.Timestamp(date)].reset_index(drop=True)


def reached_milestones(horizons: pd.DataFrame, milestones: Mapping[str, float]) -> pd.DataFrame:
    """For each milestone (name -> minutes) and reliability level: the first model whose measured
    horizon reached it (model, release date, measured minutes), or none."""
    rows = []
    ordered = horizons.sort_values("release_date", kind="stable")
    for name, minutes in milestones.items():
        for metric in trend.METRICS:
            hit = ordered[ordered[metric] >= minutes]
            first = hit.iloc[0] if len(hit) else None
            rows.append({"milestone": name, "minutes": minutes, "metric": metric, "reached": first is not None,
                         "model": None if first is None else first["display_name"],
                         "release_date": pd.NaT if first is None else first["release_date"],
                         "measured_min": np.nan if first is None else float(first[metric])})
    return pd.DataFrame(rows)


# ================================================================== issue 20: forecasts a referee can quote
#
# Weights with their own uncertainty (``weight_rules``), a trend that can change (``regimes``), the
# claims in their claimants' words (``claim_ranges``: mapping ranges and the transfer gap), the
# decomposition of each claim's probability (``decomposition``), the predictive interval of a model's
# measured horizon (``predictive_interval``) and the calibration record of the whole procedure
# (``calibration``).

RULES = ["headline", "stacking", "regularised stacking", "AICc", "equal among not rejected",
         "last-k origins", "judgement", "equal"]
RULE_TEXT = {
    "headline": "stacking averaged over a Bayesian bootstrap of the backtest's origins",
    "stacking": "stacking, point estimate",
    "regularised stacking": "stacking with a Dirichlet prior on the weights",
    "AICc": "Akaike weights (AICc) of chapter 2's fits",
    "equal among not rejected": "equal among scenarios the backtest does not reject",
    "last-k origins": "stacking on the latest origins only",
    "judgement": "the first release's judgement weights",
    "equal": "equal weights",
}
HEADLINE = "headline"
STEPS = ["trend only", "+ weight uncertainty", "+ trend change", "+ mapping", "+ transfer"]


def _stacking_em(density: np.ndarray, forecast_weights: np.ndarray, *, alpha: float = 1.0,
                 tolerance: float = 1e-6, max_iter: int = 5_000) -> np.ndarray:
    """Stacking weights for B weightings of the N forecasts at once (``forecast_weights`` B x N),
    maximising sum_i v_bi log sum_s w_bs p_is + (alpha - 1) sum_s log w_bs (a Dirichlet(alpha) prior;
    alpha = 1 is plain stacking). EM fixed point: w_s <- (sum_i v_i r_is + alpha - 1) / (sum_i v_i + S (alpha - 1))
    with r_is = w_s p_is / sum_t w_t p_it; the objective is concave and rises at every step."""
    v = np.atleast_2d(forecast_weights)
    b, s = v.shape[0], density.shape[1]
    w = np.full((b, s), 1.0 / s)
    for _ in range(max_iter):
        mix = w @ density.T  # B x N
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(mix > 0, v / mix, 0.0)
        updated = w * (ratio @ density) + (alpha - 1)
        updated = np.maximum(updated, 0.0)
        updated /= updated.sum(axis=1, keepdims=True)
        if np.max(np.abs(updated - w)) < tolerance:
            return updated
        w = updated
    return w


def _density(errors: pd.DataFrame, scale: float) -> np.ndarray:
    values = np.nan_to_num(errors.to_numpy(dtype=float), nan=np.inf, posinf=np.inf, neginf=-np.inf)
    density = stats.norm.pdf(values, scale=scale)
    return density[density.sum(axis=1) > 0]


def origin_bootstrap_weights(errors: pd.DataFrame, scale: float, rng: np.random.Generator, n: int, *,
                             alpha: float = 1.0) -> pd.DataFrame:
    """Stacking weights under n Bayesian-bootstrap reweightings of the backtest's origins: each
    replicate draws Dirichlet(alpha, ..., alpha) weights g over the O origins and scores every forecast
    made at origin o with weight O g_o (so the weights average to one). Rows: replicates; columns:
    scenarios."""
    origins = errors.index.get_level_values("origin")
    unique = pd.Index(origins.unique())
    g = rng.dirichlet(np.full(len(unique), alpha), size=n) * len(unique)  # n x O, mean 1
    v = g[:, unique.get_indexer(origins)]  # n x N
    values = np.nan_to_num(errors.to_numpy(dtype=float), nan=np.inf)
    density = stats.norm.pdf(values, scale=scale)
    keep = density.sum(axis=1) > 0
    return pd.DataFrame(_stacking_em(density[keep], v[:, keep]), columns=errors.columns)


def rejected_scenarios(errors: pd.DataFrame, level: float) -> list[str]:
    """Scenarios the backtest rejects: the mean forecast error per origin (origins as the unit, since
    forecasts from one origin share a fit) differs from zero by a one-sample t test at ``level``."""
    per_origin = errors.groupby(level="origin").mean()
    if len(per_origin) < 2:
        return []
    rejected = []
    for name in errors.columns:
        values = per_origin[name].to_numpy(dtype=float)
        if np.all(values == values[0]):
            rejected.append(name) if values[0] != 0 else None
            continue
        if stats.ttest_1samp(values, 0.0).pvalue < level:
            rejected.append(name)
    return rejected


def growth_comparison(horizons: pd.DataFrame, params: Params) -> eras.GrowthComparison:
    """Chapter 2's comparison of growth models (AICc table and backtest), with chapter 2's settings."""
    return eras.compare_growth_models(
        horizons, max_minutes=params.max_minutes, min_segment=params.break_min_segment,
        grid_step_days=params.break_grid_days, min_train=params.backtest_min_train,
        max_lead_days=params.backtest_max_lead_days, interval_level=params.backtest_interval,
    )


def _normalised(values: dict[str, float], scenarios: list[str]) -> pd.Series:
    series = pd.Series(values, dtype=float).reindex(scenarios, fill_value=0.0)
    return series / series.sum() if series.sum() > 0 else pd.Series(1.0 / len(scenarios), index=scenarios)


def weight_rules(horizons: pd.DataFrame, params: Params, *, backtest: pd.DataFrame | None = None,
                 scenarios: list[str] | None = None, n_bootstrap: int | None = None,
                 with_replicates: bool = False):
    """Scenario weights under every rule of ``RULES`` (index; rows sum to 1; columns: scenarios).

    headline: the mean of the stacking weights over ``params.weight_bootstrap_draws`` Bayesian-
    bootstrap replicates of the backtest's origins (``origin_bootstrap_weights``); a mixture with the
    mean weights is the average of the replicates' mixtures, so the headline probability averages over
    the weights' uncertainty. With fewer than ``params.weight_min_origins`` origins (early in the
    calibration record), every data-driven rule gives equal weights among ``scenarios``."""
    scenarios = list(params.scenarios) if scenarios is None else list(scenarios)
    equal = pd.Series(1.0 / len(scenarios), index=scenarios)
    judgement = _normalised(dict(params.judgement_weights), scenarios)
    comparison = growth_comparison(horizons, params) if backtest is None else None
    backtest = comparison.backtest if backtest is None else backtest
    errors = None
    if len(backtest) and set(BACKTEST_SCENARIOS) <= set(backtest["model"]):
        errors = scenario_errors(horizons, params, backtest).reindex(columns=scenarios).dropna(axis=1, how="all").dropna()
    n_origins = 0 if errors is None or errors.empty else errors.index.get_level_values("origin").nunique()
    rows: dict[str, pd.Series] = {}
    replicates = pd.DataFrame(columns=scenarios)
    if n_origins >= params.weight_min_origins:
        scale = model_scatter_log2(horizons, params)
        density = _density(errors, scale)
        cols = list(errors.columns)
        point = _stacking_em(density, np.ones((1, len(density))))[0]
        rows["stacking"] = _normalised(dict(zip(cols, point)), scenarios)
        reg = _stacking_em(density, np.ones((1, len(density))), alpha=params.regularised_stacking_alpha)[0]
        rows["regularised stacking"] = _normalised(dict(zip(cols, reg)), scenarios)
        generator = params.rng(f"forecast/weights/bayesian-bootstrap/{digest(errors.to_numpy())}")
        replicates = origin_bootstrap_weights(errors, scale, generator,
                                              n_bootstrap or params.weight_bootstrap_draws,
                                              alpha=params.weight_bootstrap_alpha).reindex(columns=scenarios, fill_value=0.0)
        rows[HEADLINE] = replicates.mean(axis=0)
        origins = errors.index.get_level_values("origin")
        last = sorted(origins.unique())[-params.weight_last_k_origins:]
        recent = errors[origins.isin(last)]
        w_last = _stacking_em(_density(recent, scale), np.ones((1, len(recent))))[0]
        rows["last-k origins"] = _normalised(dict(zip(cols, w_last)), scenarios)
        rejected = rejected_scenarios(errors, params.weight_reject_level)
        kept = [name for name in cols if name not in rejected] or cols
        rows["equal among not rejected"] = _normalised({name: 1.0 for name in kept}, scenarios)
    else:
        for rule in (HEADLINE, "stacking", "regularised stacking", "last-k origins", "equal among not rejected"):
            rows[rule] = equal
    try:
        comparison = comparison or growth_comparison(horizons, params)
        table = comparison.table.set_index("model")
        aicc = {BACKTEST_SCENARIOS[m]: float(table.loc[m, "aicc_weight"]) for m in BACKTEST_SCENARIOS
                if m in table.index and np.isfinite(table.loc[m, "aicc_weight"])}
        rows["AICc"] = _normalised(aicc, scenarios)
    except ValueError:
        rows["AICc"] = equal
    rows["judgement"] = judgement
    rows["equal"] = equal
    frame = pd.DataFrame({rule: rows[rule].reindex(scenarios, fill_value=0.0) for rule in RULES}).T
    frame = frame.div(frame.sum(axis=1), axis=0)
    frame.index.name, frame.columns.name = "rule", "scenario"
    return (frame, replicates) if with_replicates else frame


# ------------------------------------------------------------------ the claims in their claimants' words


def scenario_available(horizons: pd.DataFrame, params: Params, scenario: str) -> bool:
    """Whether the scenario can be fitted to ``horizons`` (enough frontier models for its fit)."""
    points = trend.select_points(horizons, max_minutes=params.max_minutes)
    if scenario == "Exponential, all time":
        return len(points) >= 3
    if scenario == "Exponential, since 2023":
        since = trend.select_points(horizons, since=params.window_start("from_2023_on"), max_minutes=params.max_minutes)
        return len(since) >= max(3, params.window_backtest_min_models)
    if scenario == "Latest era continues":
        return len(points) >= 2 * params.break_min_segment
    if scenario == "Superexponential":
        return len(points) >= 5
    raise ValueError(f"unknown scenario {scenario!r} in params.scenarios")


@dataclass(frozen=True)
class Outlook:
    """The headline forecast fitted on some horizons: parameter draws repeated once per change
    history (``rows``), the histories, the models' scatter, the weight rules and the change process."""
    rows: pd.DataFrame
    histories: "regimes.Histories"
    scatter: float
    rules: pd.DataFrame
    replicates: pd.DataFrame
    process: "regimes.ChangeProcess"
    origin: float  # days since DAY0 of the newest model: changes can happen after it
    n_histories: int = 1  # change histories per parameter draw (each draw's rows are consecutive)

    def weights(self, rule: str = HEADLINE) -> pd.Series:
        return self.rules.loc[rule]

    def without_changes(self) -> "regimes.Histories":
        return regimes.no_change(len(self.rows), self.origin)


def outlook(horizons: pd.DataFrame, params: Params, *, n_draws: int | None = None, n_histories: int | None = None,
            metrics=trend.METRICS, n_bootstrap: int | None = None, process: "regimes.ChangeProcess | None" = None) -> Outlook:
    """Fit the headline forecast on ``horizons``: the scenarios that can be fitted, their draws, the
    weight rules, the change process and its histories."""
    scenarios = [s for s in params.scenarios if scenario_available(horizons, params, s)]
    if not scenarios:
        raise ValueError("outlook: too few frontier models to fit any scenario")
    reduced = replace(params, scenarios=tuple(scenarios))
    n_draws = params.n_forecast_draws if n_draws is None else n_draws
    rules, replicates = weight_rules(horizons, reduced, n_bootstrap=n_bootstrap, with_replicates=True)
    frames = []
    for metric in metrics:
        for scenario in scenarios:
            frames.append(_one_scenario(horizons, reduced, scenario, metric, n_draws))
    draws = with_weights(pd.concat(frames, ignore_index=True), rules.loc[HEADLINE].to_dict())
    r = params.trend_change_histories if n_histories is None else n_histories
    rows = draws.loc[draws.index.repeat(r)].reset_index(drop=True)
    rows["w_scenario"] = rows["w_scenario"] / r
    rows["w_mixture"] = rows["w_mixture"] / r
    points = trend.select_points(horizons, max_minutes=params.max_minutes)
    origin = float(trend.days_since_origin([horizons["release_date"].max()])[0])
    process = regimes.estimate_process(horizons, params) if process is None else process
    histories = regimes.draw_histories(process, len(rows), origin,
                                       params.rng(f"forecast/trend-change/{digest(trend.days_since_origin(points['release_date']))}"))
    return Outlook(rows=rows, histories=histories, scatter=model_scatter_log2_any(horizons, params), rules=rules,
                   replicates=replicates, process=process, origin=origin, n_histories=r)


def _one_scenario(horizons, params, scenario, metric, n_draws) -> pd.DataFrame:
    generator = params.rng(f"forecast/draws/{scenario}/{metric}")
    common = dict(scenario=scenario, metric=metric, rng=generator, n_draws=n_draws)
    if scenario == "Exponential, all time":
        return exponential_draws(horizons, since=None, max_minutes=params.max_minutes, **common)
    if scenario == "Exponential, since 2023":
        return exponential_draws(horizons, since=params.window_start("from_2023_on"), max_minutes=params.max_minutes, **common)
    if scenario == "Latest era continues":
        return latest_era_draws(horizons, params=params, **common)
    if scenario == "Superexponential":
        return superexponential_draws(horizons, max_minutes=params.max_minutes, **common)
    raise ValueError(f"unknown scenario {scenario!r} in params.scenarios")


def model_scatter_log2_any(horizons: pd.DataFrame, params: Params) -> float:
    """``model_scatter_log2`` where at least 3 models since 2023 exist; else the same residual sd about
    the all-time exponential (early origins of the calibration record)."""
    try:
        return model_scatter_log2(horizons, params)
    except ValueError:
        points = trend.select_points(horizons, max_minutes=params.max_minutes)
        x = trend.days_since_origin(points["release_date"])
        y = np.log2(points["p50"].to_numpy(dtype=float))
        slope, intercept = np.polyfit(x, y, 1)
        return float(np.sqrt(((y - intercept - slope * x) ** 2).sum() / max(len(x) - 2, 1)))


def _per_scenario(rows: pd.DataFrame, values: np.ndarray, scenarios) -> pd.Series:
    w = rows["w_scenario"].to_numpy()
    frame = pd.DataFrame({"scenario": rows["scenario"].to_numpy(), "wv": w * values, "w": w})
    sums = frame.groupby("scenario", sort=False)[["wv", "w"]].sum()
    return (sums["wv"] / sums["w"]).reindex(list(scenarios))


def measured_probability(out: Outlook, date, *, log2_target: np.ndarray | float, metric: str,
                         histories: "regimes.Histories | None" = None) -> pd.Series:
    """Per scenario: the probability that a frontier model released on ``date``, measured on METR's
    suite, shows at least 2^log2_target minutes (one target per row allowed), under the histories'
    trend changes (default: the outlook's own)."""
    histories = out.histories if histories is None else histories
    chosen = (out.rows["metric"] == metric).to_numpy()
    rows = out.rows[chosen]
    x = trend.days_since_origin([date])[0]
    tau = histories.tau(np.full(len(histories), x))[chosen]
    level = log2_at(rows, tau)
    target = np.broadcast_to(np.asarray(log2_target, dtype=float), (len(out.rows),))[chosen] \
        if np.ndim(log2_target) else float(log2_target)
    with np.errstate(invalid="ignore"):
        p = stats.norm.sf((target - level) / out.scatter)
    p = np.nan_to_num(p, nan=1.0)
    return _per_scenario(rows, p, out.rules.columns)


def mix(per_scenario: pd.Series, weights: pd.Series) -> float:
    weights = weights.reindex(per_scenario.index, fill_value=0.0)
    return float(np.nansum(per_scenario.to_numpy() * weights.to_numpy()) / weights.sum())


def mapping_draws(out: Outlook, ranges: Mapping, params: Params, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Per row: log2 of the milestone (minutes) drawn log-uniformly on the claim's range of hours, and
    the transfer gap (doublings) drawn uniformly on ``params.transfer_gap_log2``."""
    rng = params.rng(f"forecast/mapping/{name}")
    n = len(out.rows)
    low, high = np.log2(60 * float(ranges["hours_low"])), np.log2(60 * float(ranges["hours_high"]))
    milestone = low + rng.random(n) * (high - low)
    gap_low, gap_high = params.transfer_gap_log2
    gap = gap_low + rng.random(n) * (gap_high - gap_low)
    return milestone, gap if str(ranges.get("transfer", "yes")) == "yes" else np.zeros(n)


def _margins(out: Outlook, date, log2_target, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of one reliability level: the mean margin (doublings) by which a model released on
    ``date`` exceeds its target, the row's within-scenario weight, and its scenario."""
    chosen = (out.rows["metric"] == metric).to_numpy()
    rows = out.rows[chosen]
    x = trend.days_since_origin([date])[0]
    level = log2_at(rows, out.histories.tau(np.full(len(out.histories), x))[chosen])
    target = np.broadcast_to(np.asarray(log2_target, dtype=float), (len(out.rows),))[chosen]
    return level - target, rows["w_scenario"].to_numpy(), rows["scenario"].to_numpy()


def widened_probability(margins: np.ndarray, weights: np.ndarray, scatter: float, factor: float) -> float:
    """P(D >= 0) for the mixture D ~ sum_r w_r N(margin_r, scatter^2), after widening D about its
    median m by ``factor``: P(m + factor (D - m) >= 0) = P(D >= m (1 - 1/factor)). Factor 1: unchanged.
    The median is that of one draw of D per row (fixed normal scores, so the same rows give the same m)."""
    w = np.asarray(weights, dtype=float) / np.sum(weights)
    margins = np.asarray(margins, dtype=float)
    finite = np.isfinite(margins)
    mu = np.where(finite, margins, 0.0)
    fixed = np.where(margins > 0, 1.0, 0.0)

    def sf(d):
        return float(np.sum(w * np.where(finite, special.ndtr((mu - d) / scatter), fixed)))

    if factor == 1.0:
        return sf(0.0)
    z = special.ndtri((np.arange(len(margins)) * 0.6180339887498949 + 0.5) % 1.0)  # quasi-random normal scores
    sample = np.where(finite, mu + scatter * z, np.where(margins > 0, np.inf, -np.inf))
    median = weighted_quantiles(sample, w, (0.5,))[0]
    if not np.isfinite(median):
        return sf(0.0)
    return sf(median * (1 - 1 / factor))


def decomposition(claim: Mapping, ranges: Mapping, out: Outlook, params: Params, *, widen: float = 1.0,
                  rules=None) -> dict[str, object]:
    """How each source of uncertainty moves one claim's probability (a measured model shows the
    milestone by the target date). Steps: trend only (stacking point weights, fixed rates, the point
    mapping, METR tasks = research work); + weight uncertainty (headline weights); + trend change; +
    mapping (the claimants' own range of hours and of reliability); + transfer (the gap between METR's
    tasks and research work); and, where the calibration record calls for it (``widen`` > 1), +
    calibration widening. The last step is the headline. Also returns every weight rule's
    probability under the full model and the per-scenario probabilities."""
    date, point = claim["target_date"], np.log2(60 * float(claim["milestone_hours"]))
    metric = claim["reliability"]
    still = out.without_changes()
    fixed = measured_probability(out, date, log2_target=point, metric=metric, histories=still)
    changed = measured_probability(out, date, log2_target=point, metric=metric)
    milestone, gap = mapping_draws(out, ranges, params, str(claim["claim_id"]))
    metrics = [m for m in str(ranges["reliabilities"]).split(";") if m]
    mapped = pd.concat([measured_probability(out, date, log2_target=milestone, metric=m) for m in metrics], axis=1).mean(axis=1)
    full = pd.concat([measured_probability(out, date, log2_target=milestone + gap, metric=m) for m in metrics],
                     axis=1).mean(axis=1)
    parts = [_margins(out, date, milestone + gap, m) for m in metrics]
    margins = np.concatenate([p[0] for p in parts])
    within = np.concatenate([p[1] / len(metrics) for p in parts])
    scenario = np.concatenate([p[2] for p in parts])

    def rule_probability(weights: pd.Series) -> float:
        if widen == 1.0:
            return mix(full, weights)
        row_weights = within * weights.reindex(scenario, fill_value=0.0).to_numpy()
        return widened_probability(margins, row_weights, out.scatter, widen)

    headline = out.weights(HEADLINE)
    steps = {
        "trend only": mix(fixed, out.weights("stacking")),
        "+ weight uncertainty": mix(fixed, headline),
        "+ trend change": mix(changed, headline),
        "+ mapping": mix(mapped, headline),
        "+ transfer": mix(full, headline),
    }
    if widen != 1.0:
        steps["+ calibration widening"] = rule_probability(headline)
    return {"steps": steps, "per_scenario": full, "fixed_per_scenario": fixed,
            "rules": {rule: rule_probability(out.weights(rule)) for rule in (out.rules.index if rules is None else rules)}}


def claim_rule_table(claims: pd.DataFrame, ranges: pd.DataFrame, out: Outlook, params: Params, *,
                     widen: float = 1.0) -> pd.DataFrame:
    """Columns claim, rule, probability: every claim under every weight rule (the full model)."""
    rows = []
    indexed = ranges.set_index("claim_id")
    for claim in claims.to_dict("records"):
        parts = decomposition(claim, indexed.loc[claim["claim_id"]], out, params, widen=widen)
        rows += [{"claim": claim["claim_id"], "rule": rule, "probability": p} for rule, p in parts["rules"].items()]
    return pd.DataFrame(rows)


def claim_table(params: Params) -> pd.DataFrame:
    """Every claim of ``data/claims.csv`` under every weight rule (columns claim, rule, probability),
    fitted on METR's latest data file; claims whose deadline fell before the data's end use the data
    released before their deadline."""
    from analysis import claim_ranges, facts, metr  # I/O, kept out of the statistics above

    horizons = metr.load_horizons("1.1")
    claims = facts.load_claims()
    ranges = claim_ranges.load(claim_ids=claims["claim_id"])
    return claim_rule_table_by_data(claims, ranges, horizons, params, widen=calibration_widening(horizons, params))


def calibration_widening(horizons: pd.DataFrame, params: Params, level: float = 0.8) -> float:
    """The stated widening rule: where the calibration record's intervals at leads of at least
    ``params.calibration_widen_min_lead_days`` cover less than ``level - params.calibration_tolerance``,
    the headline's spread is widened by the smallest factor that makes them cover ``level``; else 1."""
    frame = calibration_record(horizons, params, level)
    long = frame[frame["lead_days"] >= params.calibration_widen_min_lead_days]
    if long.empty or long["covered"].mean() >= level - params.calibration_tolerance:
        return 1.0
    return widening_factor(long, level)


def claim_rule_table_by_data(claims: pd.DataFrame, ranges: pd.DataFrame, horizons: pd.DataFrame, params: Params, *,
                             widen: float = 1.0) -> pd.DataFrame:
    end = horizons["release_date"].max()
    full = outlook(horizons, params)
    parts = []
    for i, claim in claims.iterrows():
        use = full if claim["target_date"] > end else outlook(horizons_before(horizons, claim["target_date"]), params)
        parts.append(claim_rule_table(claims.loc[[i]], ranges, use, params, widen=widen))
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------------------------ predictive intervals


def predictive_samples(out: Outlook, dates, params: Params, *, metric: str = "p50") -> tuple[np.ndarray, np.ndarray]:
    """log2 minutes a frontier model released on each date would show on METR's suite, one sample per
    row (the row's curve under its change history plus the models' scatter), and the rows' mixture
    weights. Shape: (rows, dates)."""
    chosen = (out.rows["metric"] == metric).to_numpy()
    rows = out.rows[chosen]
    x = trend.days_since_origin(pd.to_datetime(pd.Series(dates)))
    noise = params.rng(f"forecast/predictive/{metric}").normal(0.0, out.scatter, size=len(out.rows))[chosen]
    values = np.column_stack([log2_at(rows, out.histories.tau(np.full(len(out.histories), xi))[chosen]) + noise for xi in x])
    return values, rows["w_mixture"].to_numpy()


def _interval_frame(dates, values, weights, level) -> pd.DataFrame:
    lo, mid, hi = (0.5 - level / 2, 0.5, 0.5 + level / 2)
    q = np.array([weighted_quantiles(values[:, j], weights, (lo, mid, hi)) for j in range(values.shape[1])])
    return pd.DataFrame({"date": pd.to_datetime(pd.Series(dates)).to_numpy(), "p50_pred": 2.0 ** q[:, 1],
                         "p50_low": 2.0 ** q[:, 0], "p50_high": 2.0 ** q[:, 2]})


def predictive_interval(horizons: pd.DataFrame, dates, params: Params, level: float = 0.8) -> pd.DataFrame:
    """The 50% horizon (minutes) a frontier model released on each date would show on METR's suite,
    under the headline forecast fitted on ``horizons`` alone: median and central ``level`` interval
    (columns date, p50_pred, p50_low, p50_high). It includes the weights' uncertainty, trend changes
    after the newest model and the models' scatter about the trend."""
    out = outlook(horizons, params)  # both reliability levels, as chapter 4 fits it: the same draws on every page
    values, weights = predictive_samples(out, dates, params)
    return _interval_frame(dates, values, weights, level)


def scenario_log_scores(out: Outlook, observed: pd.DataFrame, params: Params, *, extra_sd_log2: np.ndarray) -> pd.Series:
    """Per scenario: the log predictive density of observed (or nowcast) 50% horizons (columns
    release_date, p50 in minutes), each with its own extra error (doublings) added to the scatter:
    the evidence those observations give for each scenario (higher is better)."""
    chosen = (out.rows["metric"] == "p50").to_numpy()
    rows = out.rows[chosen]
    total = pd.Series(0.0, index=out.rules.columns)
    for (date, p50), extra in zip(observed[["release_date", "p50"]].itertuples(index=False), extra_sd_log2):
        x = trend.days_since_origin([date])[0]
        level = log2_at(rows, out.histories.tau(np.full(len(out.histories), x))[chosen])
        sd = np.sqrt(out.scatter**2 + float(extra) ** 2)
        density = np.nan_to_num(stats.norm.pdf((np.log2(p50) - level) / sd) / sd, nan=0.0)
        total += np.log(_per_scenario(rows, density, out.rules.columns).clip(lower=1e-300))
    return total


def calibration(params: Params, level: float = 0.8, *, horizons: pd.DataFrame | None = None) -> pd.DataFrame:
    """The calibration record of the whole procedure (``calibration_record``, below) on METR's latest
    data file (or ``horizons``): columns origin, target, lead_days, actual, low, high, covered (and
    kind, log2_error, log2_half_width). Crossing targets give dates as days since DAY0; horizon
    targets give minutes."""
    from analysis import metr

    horizons = metr.load_horizons("1.1") if horizons is None else horizons
    return calibration_record(horizons, params, level)


def with_process(out: Outlook, process: "regimes.ChangeProcess", params: Params) -> Outlook:
    """The same outlook with change histories redrawn from another process (a sensitivity case)."""
    histories = regimes.draw_histories(process, len(out.rows), out.origin,
                                       params.rng(f"forecast/trend-change/sensitivity/{process.rate_scale:g}"))
    return replace(out, histories=histories, process=process)


def spread_by_lead(out: Outlook, params: Params, leads_years=(1.0, 2.0, 3.0), *, level: float = 0.8,
                   histories: "regimes.Histories | None" = None) -> pd.Series:
    """Width (doublings) of the headline's central ``level`` predictive interval of a measured 50%
    horizon, ``leads_years`` after the newest model (default histories: the outlook's own)."""
    use = out if histories is None else replace(out, histories=histories)
    dates = [DAY0 + pd.Timedelta(days=float(out.origin + lead * trend.DAYS_PER_YEAR)) for lead in leads_years]
    values, weights = predictive_samples(use, dates, params)
    widths = []
    for j in range(values.shape[1]):
        low, high = weighted_quantiles(values[:, j], weights, (0.5 - level / 2, 0.5 + level / 2))
        widths.append(high - low)
    return pd.Series(widths, index=list(leads_years))


def compare_with_forecast(observed: pd.DataFrame, horizons: pd.DataFrame, params: Params, level: float = 0.8, *,
                          out: Outlook | None = None) -> pd.DataFrame:
    """Newer evidence (columns model, release_date, p50 in minutes: nowcasts or later estimates) against
    the headline forecast fitted on ``horizons`` alone: the forecast's median and central ``level``
    interval for a model released on each date, whether the evidence lies inside it, how many
    doublings it lies from the median, and the share of the forecast below it. ``out``: the headline
    outlook already fitted on ``horizons`` (the same one ``outlook(horizons, params)`` gives)."""
    out = outlook(horizons, params) if out is None else out
    values, weights = predictive_samples(out, observed["release_date"], params)
    table = _interval_frame(observed["release_date"], values, weights, level)
    log2_obs = np.log2(observed["p50"].to_numpy(dtype=float))
    below = [float(np.sum(weights * (values[:, j] < log2_obs[j])) / np.sum(weights)) for j in range(values.shape[1])]
    return pd.DataFrame({
        "model": observed["model"].to_numpy(), "release_date": table["date"], "p50": observed["p50"].to_numpy(dtype=float),
        "forecast_min": table["p50_pred"], "forecast_low": table["p50_low"], "forecast_high": table["p50_high"],
        "inside": (observed["p50"].to_numpy() >= table["p50_low"]) & (observed["p50"].to_numpy() <= table["p50_high"]),
        "doublings_off": log2_obs - np.log2(table["p50_pred"].to_numpy()),
        "share_below": below,
    })


def base_draws(out: Outlook) -> pd.DataFrame:
    """The outlook's parameter draws once each (without their change histories), with the headline
    weights: the draws ``scenario_draws`` would give for the same horizons and parameters."""
    draws = out.rows.iloc[::out.n_histories].drop(columns=["w_scenario", "w_mixture"]).reset_index(drop=True)
    return with_weights(draws, out.weights(HEADLINE).to_dict())


# ------------------------------------------------------------------ the calibration record
# The calibration record: the whole forecasting procedure (weight rules with their Bayesian
# bootstrap, the scenarios' draws, trend changes, the models' scatter) rerun at past origins on the
# data released before each origin, and its 80% intervals scored against what came later.
# 
# Two kinds of target: the date the frontier first showed a 50% horizon of at least a threshold
# (15, 30 minutes, 1, 2, 4, 8 hours) that no model had shown by the origin; and the 50% horizon of
# every later frontier model. Each origin uses ``params.calibration_draws`` draws per scenario and
# ``params.calibration_weight_draws`` bootstrap replicates (modest counts, so the record reruns in
# seconds); origins with fewer than ``params.calibration_min_models`` frontier models are skipped.


CALIBRATION_COLUMNS = ["origin", "target", "kind", "lead_days", "actual", "low", "high", "covered", "log2_error", "log2_half_width"]
_CALIBRATION_CACHE: dict[tuple, pd.DataFrame] = {}


def calibration_origins(horizons: pd.DataFrame, params: Params) -> list[pd.Timestamp]:
    """Quarterly origins from ``params.calibration_start`` to the newest model, each with at least
    ``params.calibration_min_models`` frontier models released before it and something after it."""
    end = horizons["release_date"].max()
    dates = pd.date_range(params.calibration_start, end, freq=f"{params.calibration_step_months}MS")
    keep = []
    for date in dates:
        before = horizons_before(horizons, date)
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


def _calibration_arrival_interval(out: Outlook, minutes: float, params: Params, level: float) -> tuple[float, float]:
    """Days since DAY0 (low, high) by which a measured model would first show ``minutes``: each row's
    curve under its change history, shifted by one draw of the models' scatter."""
    chosen = (out.rows["metric"] == "p50").to_numpy()
    rows = out.rows[chosen]
    noise = params.rng("calibration/arrival-scatter").normal(0.0, out.scatter, size=len(out.rows))[chosen]
    tau = arrival_days(rows, 2.0 ** (np.log2(minutes) - noise))
    full = np.full(len(out.histories), np.inf)
    full[chosen] = tau
    days = out.histories.x_of_tau(full)[chosen]
    low, high = weighted_quantiles(days, rows["w_mixture"].to_numpy(), (0.5 - level / 2, 0.5 + level / 2))
    return low, high


def calibration_record(horizons: pd.DataFrame, params: Params, level: float = 0.8) -> pd.DataFrame:
    """One row per (origin, target): lead (days from origin to the target's date), the actual value
    and the interval (dates as days since DAY0 for crossings, minutes for horizons), and coverage."""
    key = (digest(trend.days_since_origin(horizons["release_date"]), horizons["p50"].to_numpy(dtype=float)),
           params, level)
    if key in _CALIBRATION_CACHE:
        return _CALIBRATION_CACHE[key].copy()
    crossings = first_crossings(horizons, params.calibration_thresholds_min)
    frontier = trend.select_points(horizons, max_minutes=params.max_minutes)
    rows = []
    for origin in calibration_origins(horizons, params):
        data = horizons_before(horizons, origin)
        out = outlook(data, params, n_draws=params.calibration_draws, metrics=("p50",),
                               n_bootstrap=params.calibration_weight_draws)
        x_origin = trend.days_since_origin([origin])[0]
        shown = data["p50"].max()
        for minutes, date in crossings.items():
            if minutes <= shown or date < origin:
                continue
            low, high = _calibration_arrival_interval(out, minutes, params, level)
            actual = trend.days_since_origin([date])[0]
            rows.append({"origin": origin, "target": f"first {minutes:g} min", "kind": "crossing",
                         "lead_days": actual - x_origin, "actual": actual, "low": low, "high": high})
        later = frontier[frontier["release_date"] >= origin]
        if len(later):
            values, weights = predictive_samples(out, later["release_date"], params)
            for j, model in enumerate(later.itertuples()):
                low, high = weighted_quantiles(values[:, j], weights, (0.5 - level / 2, 0.5 + level / 2))
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
    _CALIBRATION_CACHE[key] = frame
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
