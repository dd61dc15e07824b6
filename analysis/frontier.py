"""Each benchmark's frontier over time: records, a trend on the logit scale, crossing dates, breaks.

* **Frontier records.** A model sets a record when its score beats every model released on an
  *earlier* date (models released the same day compete with each other; the best of the day can
  set the record). The frontier at a date is the running maximum of scores of models released up
  to that date: defined without the future, so adding a later model never changes it.
* **Trend.** OLS of logit(score) on release date over the records. Scores of 0 or 1 are clipped
  to [0.001, 0.999] first (logit is infinite there). A bootstrap over records (``rng`` from
  ``params.rng("benchmarks/<name>/trend")``) gives the slope's interval and the crossing date's.
* **Crossing a target** (a human reference or the saturation level): the first record at or above
  it if one exists (observed), else the date at which the fitted logit line reaches it (projected;
  never, if the slope is not positive).
* **Break.** Slopes before and after a given date (chapter 2's break in the METR horizons), each
  fitted on the records of that side when it has enough of them.

Statistics only: frames in, frames and small dataclasses out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.trend import DAY0, DAYS_PER_YEAR, days_since_origin, ols_slopes

CLIP = 1e-3  # scores are clipped to [CLIP, 1 - CLIP] before the logit


def logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)
    return np.log(p / (1 - p))


def expit(z) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def frontier_records(table: pd.DataFrame, date_column: str = "release_date") -> pd.DataFrame:
    """The rows that set a record: best of their date and above every earlier date's best."""
    frame = table.dropna(subset=[date_column]).sort_values([date_column, "score"], ascending=[True, False], kind="stable")
    best_of_day = frame.drop_duplicates(date_column, keep="first")
    earlier_best = best_of_day["score"].cummax().shift(1, fill_value=-np.inf)
    records = best_of_day[best_of_day["score"] > earlier_best.to_numpy()]
    return records.assign(date=records[date_column]).reset_index(drop=True)


def running_frontier(table: pd.DataFrame, date_column: str = "release_date") -> pd.DataFrame:
    """Frontier score at each date on which some model was released (running maximum)."""
    frame = table.dropna(subset=[date_column]).sort_values(date_column, kind="stable")
    by_date = frame.groupby(date_column, as_index=False)["score"].max()
    return pd.DataFrame({"date": by_date[date_column], "frontier": by_date["score"].cummax()})


@dataclass(frozen=True)
class LogitTrend:
    name: str
    n: int
    slope_per_day: float  # logit units per day
    intercept: float  # logit at DAY0
    slope_ci: tuple[float, float]
    slopes: np.ndarray  # bootstrap draws
    intercepts: np.ndarray
    confidence: float
    records: pd.DataFrame

    @property
    def slope_per_year(self) -> float:
        return self.slope_per_day * DAYS_PER_YEAR

    def predict(self, dates) -> np.ndarray:
        return expit(self.intercept + self.slope_per_day * days_since_origin(dates))

    def line(self, start, end, points: int = 60) -> pd.DataFrame:
        """The fitted score and its bootstrap band over [start, end] (date, fitted, band_low, band_high)."""
        grid = np.linspace(days_since_origin([start])[0], days_since_origin([end])[0], points)
        curves = self.intercepts[:, None] + self.slopes[:, None] * grid[None, :]
        alpha = 1 - self.confidence
        low, high = np.percentile(curves, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        return pd.DataFrame({"date": DAY0 + pd.to_timedelta(grid, unit="D"),
                             "fitted": expit(self.intercept + self.slope_per_day * grid),
                             "band_low": expit(low), "band_high": expit(high)})

    def crossing(self, target: float) -> dict:
        """When the frontier reached (observed) or reaches (projected) ``target``, with an interval."""
        reached = self.records[self.records["score"] >= target]
        if len(reached):
            row = reached.iloc[0]
            return {"target": target, "kind": "observed", "date": row["date"], "low": row["date"], "high": row["date"],
                    "model": row["model_name"]}
        goal = float(logit([target])[0])
        point = _crossing_day(goal, self.intercept, self.slope_per_day)
        draws = np.array([_crossing_day(goal, a, b) for a, b in zip(self.intercepts, self.slopes)])
        alpha = 1 - self.confidence
        low, high = np.percentile(draws, [100 * alpha / 2, 100 * (1 - alpha / 2)], method="inverted_cdf")
        return {"target": target, "kind": "projected", "date": _day_to_date(point), "low": _day_to_date(low),
                "high": _day_to_date(high), "model": ""}


def _crossing_day(goal: float, intercept: float, slope: float) -> float:
    return (goal - intercept) / slope if slope > 0 else np.inf


def _day_to_date(day: float):
    return DAY0 + pd.Timedelta(days=float(day)) if np.isfinite(day) and abs(day) < 1e6 else pd.NaT


def fit_logit_trend(records: pd.DataFrame, *, name: str, rng: np.random.Generator, n_bootstrap: int,
                    confidence: float) -> LogitTrend:
    """OLS of logit(score) on date over frontier records, with a bootstrap over records."""
    if len(records) < 3:
        raise ValueError(f"{name}: a logit trend needs at least 3 frontier records, got {len(records)}")
    x = days_since_origin(records["date"])
    y = logit(records["score"])
    slope, intercept = (float(v) for v in ols_slopes(x, y))
    index = rng.integers(0, len(x), size=(n_bootstrap, len(x)))
    slopes, intercepts = ols_slopes(x[index], y[index])
    ok = np.isfinite(slopes)
    slopes, intercepts = slopes[ok], intercepts[ok]
    alpha = 1 - confidence
    low, high = np.percentile(slopes, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return LogitTrend(name=name, n=len(x), slope_per_day=slope, intercept=intercept, slope_ci=(float(low), float(high)),
                      slopes=slopes, intercepts=intercepts, confidence=confidence, records=records.reset_index(drop=True))


def break_comparison(records: pd.DataFrame, break_date, *, min_points: int) -> dict:
    """Logit slope (per year) of the records before and after ``break_date``; NaN where too few."""
    cut = pd.Timestamp(break_date)
    out = {}
    for side, part in (("before", records[records["date"] < cut]), ("after", records[records["date"] >= cut])):
        out[f"n_{side}"] = len(part)
        if len(part) >= min_points:
            slope, _ = ols_slopes(days_since_origin(part["date"]), logit(part["score"]))
            out[f"slope_{side}_per_year"] = float(slope) * DAYS_PER_YEAR
        else:
            out[f"slope_{side}_per_year"] = float("nan")
    out["testable"] = bool(np.isfinite(out["slope_before_per_year"]) and np.isfinite(out["slope_after_per_year"]))
    return out
