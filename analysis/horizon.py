"""From task results to a time horizon: METR's weighted logistic regression, re-estimated.

For one agent, task t has human time h_t, s_t successes in n_t runs and a task weight w_t. With
x_t = log2(h_t), y_t = s_t / n_t and p_t = 1 / (1 + exp(-(a + b x_t))), the fit minimises

    sum_t u_t [ -y_t log p_t - (1 - y_t) log(1 - p_t) ] + (regularization / 2) b^2,

where u_t are the task weights rescaled to sum to ``weight_total``: "one" (1) or "runs" (the
agent's number of runs). This is the run-level loss METR minimises (scikit-learn's
LogisticRegression, C = 1/regularization, which penalises the slope but not the intercept), with
each run weighted by w_t / n_t. The horizon at success level q is 2 ** ((logit(q) - a) / b) minutes.

Which total reproduces which METR figures is established in the methods chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

FIT_COLUMNS = ["human_minutes", "n_successes", "n_runs", "task_weight"]


@dataclass(frozen=True)
class LogisticFit:
    coefficient: float  # b: change in log-odds of success per doubling of human time
    intercept: float  # a: log-odds of success on a one-minute task

    def horizon(self, success: float = 0.5) -> float:
        """Human task length (minutes) at which the fitted success probability equals ``success``."""
        if not 0 < success < 1:
            raise ValueError(f"success must lie strictly between 0 and 1, got {success}")
        return float(2.0 ** ((logit(success) - self.intercept) / self.coefficient))


def _check(tasks: pd.DataFrame) -> None:
    missing = [c for c in FIT_COLUMNS if c not in tasks.columns]
    if missing:
        raise ValueError(f"fit_logistic needs columns {FIT_COLUMNS}; missing {missing}")
    if tasks.empty:
        raise ValueError("fit_logistic needs at least one task")


def _objective(x, y, u, regularization, a, b) -> np.ndarray:
    z = a[:, None] + b[:, None] * x[None, :]
    # -y log p - (1 - y) log(1 - p), written stably as log(1 + e^z) - y z
    return (u * (np.logaddexp(0.0, z) - y * z)).sum(1) + 0.5 * regularization * b**2


def newton_fit(
    x: np.ndarray, y: np.ndarray, u: np.ndarray, regularization: float, *, iterations: int = 50
) -> tuple[np.ndarray, np.ndarray]:
    """Penalised weighted logistic fits, vectorised: x (T,), y (T,) or (B, T), u (B, T) -> slopes, intercepts (B,).

    Newton's method with backtracking (each step must lower the convex objective), started at a
    typical slope with the intercept matching the mean success rate. Replicates that do not
    converge (e.g. every task succeeded) come back as NaN.
    """
    u = np.atleast_2d(u)
    y = np.broadcast_to(y, u.shape)
    b = np.full(u.shape[0], -0.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_y = np.clip((u * y).sum(1) / u.sum(1), 0.01, 0.99)
        mean_x = (u * x).sum(1) / u.sum(1)
    a = logit(mean_y) - b * mean_x
    current = _objective(x, y, u, regularization, a, b)
    tolerance = 1e-10 * np.maximum(u.sum(1), 1.0)
    for _ in range(iterations):
        p = expit(a[:, None] + b[:, None] * x[None, :])
        r = u * (p - y)
        g_a, g_b = r.sum(1), (r * x).sum(1) + regularization * b
        if np.all((np.abs(g_a) + np.abs(g_b) < tolerance) | ~np.isfinite(current)):
            break
        v = u * p * (1 - p)
        h_aa, h_ab, h_bb = v.sum(1), (v * x).sum(1), (v * x * x).sum(1) + regularization
        det = h_aa * h_bb - h_ab**2
        with np.errstate(divide="ignore", invalid="ignore"):
            step_a = (h_bb * g_a - h_ab * g_b) / det
            step_b = (h_aa * g_b - h_ab * g_a) / det
        step = np.ones_like(a)
        trial = None
        for _ in range(30):  # backtracking: halve the step where the objective would rise
            trial = _objective(x, y, u, regularization, a - step * step_a, b - step * step_b)
            worse = ~(trial <= current + 1e-12)
            if not worse.any():
                break
            step = np.where(worse, step / 2, step)
            trial = None  # the step changed: the last objective is not the new point's
        a, b = a - step * step_a, b - step * step_b
        # the objective at the accepted step was just computed; reuse it
        current = trial if trial is not None else _objective(x, y, u, regularization, a, b)
    p = expit(a[:, None] + b[:, None] * x[None, :])
    r = u * (p - y)
    gradient = np.abs(r.sum(1)) + np.abs((r * x).sum(1) + regularization * b)
    converged = np.isfinite(gradient) & (gradient < tolerance)
    return np.where(converged, b, np.nan), np.where(converged, a, np.nan)


def scaled_weights(tasks: pd.DataFrame, weight_total: str, weights: np.ndarray | None = None) -> np.ndarray:
    w = tasks["task_weight"].to_numpy(dtype=float) if weights is None else np.asarray(weights, dtype=float)
    if weight_total == "one":
        total = 1.0
    elif weight_total == "runs":
        total = tasks["n_runs"].to_numpy(dtype=float).sum()
    else:
        raise ValueError(f"weight_total must be 'one' or 'runs', got {weight_total!r}")
    return w / w.sum(axis=-1, keepdims=True) * total


def fit_logistic(
    tasks: pd.DataFrame, *, regularization: float = 0.1, weight_total: str = "runs", equal_weights: bool = False
) -> LogisticFit:
    """Fit one agent's task rows (human_minutes, n_successes, n_runs, task_weight)."""
    _check(tasks)
    x = np.log2(tasks["human_minutes"].to_numpy(dtype=float))
    y = (tasks["n_successes"] / tasks["n_runs"]).to_numpy(dtype=float)
    weights = np.ones(len(tasks)) if equal_weights else None
    slope, intercept = newton_fit(x, y, scaled_weights(tasks, weight_total, weights), regularization)
    if not np.isfinite(slope[0]):
        raise ValueError("the logistic fit did not converge (e.g. every task succeeded or failed)")
    return LogisticFit(float(slope[0]), float(intercept[0]))


def fit_agents(tasks: pd.DataFrame, **options) -> pd.DataFrame:
    """fit_logistic for every agent: agent, release_date, coefficient, intercept, p50, p80."""
    rows = []
    for agent, group in tasks.groupby("agent", sort=False):
        fit = fit_logistic(group[FIT_COLUMNS], **options)
        rows.append({"agent": agent, "release_date": group["release_date"].iloc[0], "coefficient": fit.coefficient,
                     "intercept": fit.intercept, "p50": fit.horizon(0.5), "p80": fit.horizon(0.8)})
    return pd.DataFrame(rows)


def task_multiplicities(tasks: pd.DataFrame, rng: np.random.Generator, n_resamples: int) -> pd.DataFrame:
    """A two-level bootstrap over the union of tasks: families with replacement, then tasks with
    replacement within each drawn family. Returns counts (replicates x task_id).

    Drawing c copies of a family and n_f tasks within each copy is one multinomial draw of
    c * n_f tasks among the family's n_f tasks, which is how it is computed.
    """
    catalogue = tasks[["task_id", "task_family"]].drop_duplicates("task_id")
    families = catalogue.groupby("task_family", sort=True)["task_id"].apply(list)
    family_counts = rng.multinomial(len(families), np.full(len(families), 1 / len(families)), size=n_resamples)
    columns = {}
    for index, (_, members) in enumerate(families.items()):
        size = len(members)
        draws = rng.multinomial(family_counts[:, index] * size, np.full(size, 1 / size))
        for position, task_id in enumerate(members):
            columns[task_id] = draws[:, position]
    return pd.DataFrame(columns)


def bootstrap_horizons(
    tasks: pd.DataFrame,
    multiplicities: pd.DataFrame,
    *,
    regularization: float = 0.1,
    weight_total: str = "runs",
    success: float = 0.5,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Every agent's horizon in every bootstrap replicate (replicates x agents); task weights are held
    fixed and multiplied by each task's count in the replicate.

    With ``rng``, runs are resampled too: drawing a task's n runs with replacement from s successes
    and n - s failures gives Binomial(n, s / n) successes, the third level of METR's bootstrap."""
    out = {}
    for agent, group in tasks.groupby("agent", sort=False):
        counts = multiplicities[group["task_id"]].to_numpy(dtype=float)
        base = group["task_weight"].to_numpy(dtype=float)
        runs = group["n_runs"].to_numpy(dtype=float)
        raw = base[None, :] * counts
        total = 1.0 if weight_total == "one" else (runs[None, :] * counts).sum(1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            u = raw / raw.sum(1, keepdims=True) * total
        x = np.log2(group["human_minutes"].to_numpy(dtype=float))
        y = (group["n_successes"] / group["n_runs"]).to_numpy(dtype=float)
        if rng is not None:
            y = rng.binomial(runs.astype(int)[None, :], y[None, :], size=counts.shape) / runs[None, :]
        slope, intercept = newton_fit(x, y, u, regularization)
        out[agent] = 2.0 ** ((logit(success) - intercept) / slope)
    return pd.DataFrame(out)


def bootstrap_bounds(replicates: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Percentile interval of every agent's bootstrap horizons: agent, low, high."""
    from analysis import trend

    rows = [(agent, *trend.percentile_interval(replicates[agent], confidence)) for agent in replicates.columns]
    return pd.DataFrame(rows, columns=["agent", "low", "high"])


def saturation(tasks: pd.DataFrame, fits: pd.DataFrame) -> pd.DataFrame:
    """Per agent: tasks within one doubling of its p50, the longest task, and whether p50 lies beyond it."""
    rows = []
    for fit in fits.itertuples():
        minutes = tasks.loc[tasks["agent"] == fit.agent, "human_minutes"]
        near = (np.abs(np.log2(minutes / fit.p50)) <= 1).sum()
        rows.append({"agent": fit.agent, "release_date": fit.release_date, "p50": fit.p50,
                     "tasks_near_p50": int(near), "tasks_longer": int((minutes > fit.p50).sum()),
                     "longest_task": float(minutes.max()), "beyond_longest": bool(fit.p50 > minutes.max())})
    return pd.DataFrame(rows)


MULTIVERSE = {  # key -> (label, fit options, task filter on human minutes); the first is the baseline
    "current": ("METR, corrected (current)", {}, None),
    "before": ("METR before the March 2026 correction", {"weight_total": "one"}, None),
    "noreg": ("No regularization", {"regularization": 0.0}, None),
    "equal": ("Equal task weights", {"equal_weights": True}, None),
    "noshort": ("Without tasks under 1 minute", {}, ("min", 1.0)),
    "nolong": ("Without tasks over 8 hours", {}, ("max", 480.0)),
}


def _filtered(tasks: pd.DataFrame, rule) -> pd.DataFrame:
    if rule is None:
        return tasks
    side, minutes = rule
    keep = tasks["human_minutes"] >= minutes if side == "min" else tasks["human_minutes"] <= minutes
    return tasks.loc[keep]


def multiverse(tasks: pd.DataFrame, variants: dict | None = None) -> pd.DataFrame:
    """p50 and p80 of every agent under each modelling choice (long form: variant, agent, ...)."""
    frames = []
    for key, (label, options, rule) in (variants or MULTIVERSE).items():
        frames.append(fit_agents(_filtered(tasks, rule), **options).assign(key=key, variant=label))
    return pd.concat(frames, ignore_index=True)


def as_horizons(fits: pd.DataFrame, benchmark: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """Re-estimated horizons in the shape trend.fit_trend takes, with METR's frontier flags and names."""
    table = fits.merge(agents, on="agent", validate="one_to_one").merge(
        benchmark[["model", "display_name", "is_sota"]], on="model", validate="one_to_one"
    )
    return table.assign(p50_low=table["p50"], p50_high=table["p50"], p80_low=table["p80"], p80_high=table["p80"])


def bootstrap_doubling(
    replicates: pd.DataFrame, benchmark: pd.DataFrame, agents: pd.DataFrame, *, since, max_minutes: float
) -> np.ndarray:
    """Doubling time (days) of the frontier trend in each bootstrap replicate of agent horizons.
    The frontier set and the 16-hour ceiling are those of the point estimate, held fixed."""
    from analysis import trend

    table = agents.merge(benchmark[["model", "release_date", "is_sota", "p50"]], on="model")
    chosen = trend.select_points(table, since=since, max_minutes=max_minutes)
    x = trend.days_since_origin(chosen["release_date"])
    y = np.log2(replicates[chosen["agent"]].to_numpy(dtype=float))
    slopes, _ = trend.ols_slopes(np.broadcast_to(x, y.shape), y)
    return np.where(slopes > 0, 1 / slopes, np.inf)


def summarise_multiverse(
    horizons_by_variant: pd.DataFrame, benchmark: pd.DataFrame, agents: pd.DataFrame, *, since, max_minutes: float
) -> pd.DataFrame:
    """Per modelling choice: median p50 relative to the first (baseline) variant, and the doubling time."""
    from analysis import trend

    keys = list(dict.fromkeys(horizons_by_variant["key"]))
    base = horizons_by_variant[horizons_by_variant["key"] == keys[0]].set_index("agent")["p50"]
    rows = []
    for key in keys:
        chosen = horizons_by_variant[horizons_by_variant["key"] == key]
        fits = chosen.drop(columns=["key", "variant"])
        fit = trend.fit_trend(as_horizons(fits, benchmark, agents), since=since, max_minutes=max_minutes)
        ratio = (fits.set_index("agent")["p50"] / base).median()
        rows.append({"key": key, "variant": chosen["variant"].iloc[0], "doubling_days": fit.doubling_days,
                     "models": fit.n, "median_ratio": float(ratio)})
    return pd.DataFrame(rows)


def width_ratio(intervals: pd.DataFrame, benchmark: pd.DataFrame, agents: pd.DataFrame) -> pd.Series:
    """Per agent: the log-width of our interval (low, high) over that of METR's published interval."""
    published = agents.merge(benchmark[["model", "p50_low", "p50_high"]], on="model").set_index("agent")
    ours = intervals.set_index("agent")
    return np.log(ours["high"] / ours["low"]) / np.log(published["p50_high"] / published["p50_low"])
