"""Issue 20's referee items outside chapter 4: the since-2023 headline interval with its caveat and
HC3 beside it, the 24 models the frontier table counts, and the compute "share" restated as
arithmetic on two time trends with the release-date covariate."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import compute, metr, trend
from analysis.chapters import trend as trend_chapter
from analysis.chapters import watch
from analysis.params import PARAMS


@pytest.fixture(scope="module")
def trend_numbers():
    return trend_chapter.build(PARAMS).numbers


@pytest.fixture(scope="module")
def watch_result():
    return watch.build(PARAMS)


def test_since_2023_hc3_interval_by_hand(trend_numbers):
    # Independent HC3 (MacKinnon and White 1985): leverages h_i of the design [1, x]; covariance
    # (X'X)^-1 X' diag(e_i^2 / (1 - h_i)^2) X (X'X)^-1; t quantile with n - 2 df; doubling days = 1 / slope.
    points = trend.select_points(metr.load_horizons("1.1"), since="2023-01-01", max_minutes=PARAMS.max_minutes)
    x = trend.days_since_origin(points["release_date"])
    y = np.log2(points["p50"].to_numpy(dtype=float))
    design = np.column_stack([np.ones_like(x), x])
    bread = np.linalg.inv(design.T @ design)
    beta = bread @ design.T @ y
    e = y - design @ beta
    h = np.einsum("ij,jk,ik->i", design, bread, design)
    cov = bread @ (design.T * (e / (1 - h)) ** 2) @ design @ bread
    t = stats.t.ppf(0.975, len(x) - 2)
    low, high = 1 / (beta[1] + t * np.sqrt(cov[1, 1])), 1 / (beta[1] - t * np.sqrt(cov[1, 1]))
    assert trend_numbers["p50_2023_hc3_low_days"] == pytest.approx(low, rel=1e-6)
    assert trend_numbers["p50_2023_hc3_high_days"] == pytest.approx(high, rel=1e-6)
    # "the widest, and the one to quote": wider than the bootstrap, redraw and t intervals
    width = lambda k: trend_numbers[f"{k}_high_days"] - trend_numbers[f"{k}_low_days"]
    assert width("p50_2023_hc3") > max(width("p50_2023_ci"), width("redraw_2023_ci"), width("tinterval_2023_ci"))
    # "the since-2023 line is itself misspecified": residuals in streaks, a significant squared term
    dw = np.sum(np.diff(e) ** 2) / np.sum(e**2)
    assert trend_numbers["p50_2023_dw_r2"] == pytest.approx(dw) and dw < 1.5
    assert trend_numbers["p50_2023_quadratic_p"] < 0.05


def test_frontier_count_in_the_text_is_the_tables(trend_numbers):
    table = trend_chapter.build(PARAMS).tables["tbl_frontier"]
    row = table[table["Which models trace the trend"].str.startswith("Not measurably behind")].iloc[0]
    assert row["All time (days)"].split("(")[1].startswith(f"{trend_numbers['running_fitted_count']} models")


def test_compute_covariate_regression(watch_result):
    n = watch_result.numbers
    pairs = watch_result.data["pairs"]
    # independent: numpy's lstsq on [1, log2 compute, years since 2019-01-01], classical SE with n - 3 df
    years = (pd.to_datetime(pairs["release_date"]) - pd.Timestamp("2019-01-01")).dt.days.to_numpy() / 365.25
    design = np.column_stack([np.ones(len(pairs)), np.log2(pairs["training_compute_flop"].astype(float)), years])
    y = np.log2(pairs["p50"].astype(float).to_numpy())
    beta, rss, *_ = np.linalg.lstsq(design, y, rcond=None)
    se = np.sqrt(np.diag(rss[0] / (len(y) - 3) * np.linalg.inv(design.T @ design)))
    assert n["covariate_compute_signed_log2"] == pytest.approx(beta[1])
    assert n["covariate_compute_se_log2"] == pytest.approx(se[1])
    # the sentences: the coefficient turns negative within one standard error of zero; the share's
    # interval runs past 100%; six models
    assert -2 * se[1] < beta[1] < 0
    assert n["compute_alone_high_share"] > 1 and n["covariate_pairs_count"] == 6
    with pytest.raises(ValueError, match="at least 4"):
        compute.fit_horizon_on_compute_and_date(pairs.head(3))
