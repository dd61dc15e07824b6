"""Re-estimating horizons: closed forms, a scipy reference, METR's figures, the bootstrap's width."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import expit

from analysis import horizon, metr


def synthetic_agent(rng, *, slope=-0.6, intercept=3.0, n_tasks=200, runs=6, exact=False):
    minutes = 2.0 ** rng.uniform(-3, 11, n_tasks)
    p = expit(intercept + slope * np.log2(minutes))
    successes = np.round(p * runs) if exact else rng.binomial(runs, p)
    frame = pd.DataFrame({"human_minutes": minutes, "n_successes": successes.astype(int), "n_runs": runs,
                          "task_weight": 1.0, "task_id": [f"f{i % 40}/t{i}" for i in range(n_tasks)],
                          "task_family": [f"f{i % 40}" for i in range(n_tasks)], "agent": "A",
                          "release_date": pd.Timestamp("2025-01-01")})
    if exact:  # fractional successes equal to the true probabilities: the fit must recover the truth
        frame["n_runs"] = 1
        frame["n_successes"] = p
    return frame


def test_horizon_closed_form():
    # p = 1/2 where a + b x = 0: x = -a / b = 3 / 0.6 = 5, so 2^5 = 32 minutes;
    # p = 0.8 where a + b x = ln 4: x = (ln 4 - 3) / -0.6.
    fit = horizon.LogisticFit(coefficient=-0.6, intercept=3.0)
    assert fit.horizon(0.5) == pytest.approx(32.0)
    assert fit.horizon(0.8) == pytest.approx(2 ** ((np.log(4) - 3.0) / -0.6))
    with pytest.raises(ValueError):
        fit.horizon(1.0)


def test_unpenalised_fit_recovers_exact_parameters(rng):
    tasks = synthetic_agent(rng, exact=True)
    fit = horizon.fit_logistic(tasks[horizon.FIT_COLUMNS], regularization=0.0)
    assert (fit.coefficient, fit.intercept) == pytest.approx((-0.6, 3.0), abs=1e-6)


def test_penalised_fit_matches_a_scipy_minimiser(rng):
    tasks = synthetic_agent(rng)
    tasks["task_weight"] = rng.uniform(0.2, 1.0, len(tasks))
    x = np.log2(tasks["human_minutes"].to_numpy())
    y = (tasks["n_successes"] / tasks["n_runs"]).to_numpy()
    u = tasks["task_weight"].to_numpy() / tasks["task_weight"].sum()  # weights summing to one

    def objective(theta):
        b, a = theta
        z = a + b * x
        return np.sum(u * (np.logaddexp(0, z) - y * z)) + 0.05 * b * b  # penalty 0.1 / 2

    reference = optimize.minimize(objective, [-0.5, 0.0], method="BFGS", options={"gtol": 1e-10}).x
    fit = horizon.fit_logistic(tasks[horizon.FIT_COLUMNS], regularization=0.1, weight_total="one")
    assert (fit.coefficient, fit.intercept) == pytest.approx(tuple(reference), abs=1e-5)


def test_fit_uses_only_the_four_columns(rng):
    tasks = synthetic_agent(rng)
    with pytest.raises(ValueError, match="missing"):
        horizon.fit_logistic(tasks.drop(columns="task_weight"))


def test_reproduces_every_published_horizon_from_task_rows_alone():
    tasks, stored = metr.load_tasks()
    ours = horizon.fit_agents(tasks)
    published = metr.load_horizons("1.1").merge(metr.load_agents(), on="model").set_index("agent")
    merged = ours.merge(published[["p50", "p80"]].reset_index(), on="agent", suffixes=("", "_metr"))
    assert (merged["p50"] / merged["p50_metr"] - 1).abs().max() < 0.02
    assert (merged["p80"] / merged["p80_metr"] - 1).abs().max() < 0.03
    coefficients = ours.merge(stored, on="agent", suffixes=("", "_stored"))
    assert (coefficients["coefficient"] - coefficients["coefficient_stored"]).abs().max() < 0.001  # stored to 3 decimals


def test_reproduces_the_pre_correction_release():
    # The penalty on weights summing to one gives METR's first TH1.1 figures (2026-01-30 file).
    tasks, _ = metr.load_tasks()
    before = horizon.fit_agents(tasks, weight_total="one")
    first = metr.load_horizons(release="v1.1_2026-01-30").merge(metr.load_agents(), on="model").set_index("agent")
    merged = before.merge(first[["p50"]].reset_index(), on="agent", suffixes=("", "_metr"))
    assert len(merged) == 14
    assert (merged["p50"] / merged["p50_metr"] - 1).abs().max() < 0.02
    # and the pre-correction figures quoted in shared/data/MANIFEST.md for later agents
    values = before.set_index("agent")["p50"]
    assert values["Claude Opus 4.6 (Inspect)"] == pytest.approx(870.0, rel=0.01)
    assert values["GPT-5.2"] == pytest.approx(394.4, rel=0.01)


def test_bootstrap_width_matches_the_sampling_spread():
    # Simulate many agents with the same true parameters: the spread of their estimates is the true
    # sampling error; a bootstrap over families and tasks of one agent should estimate it within a
    # factor of 1.5. (Each task's observed rate already carries its run noise, so resampling runs
    # as well double-counts it: the three-level version is conservative, see the next test.)
    rng = np.random.default_rng(7)
    estimates = [np.log2(horizon.fit_logistic(synthetic_agent(rng)[horizon.FIT_COLUMNS]).horizon()) for _ in range(60)]
    truth_sd = np.std(estimates)
    tasks = synthetic_agent(rng)
    counts = horizon.task_multiplicities(tasks, rng, 300)
    boot = horizon.bootstrap_horizons(tasks, counts)["A"]
    assert 1 / 1.5 < np.std(np.log2(boot)) / truth_sd < 1.5
    with_runs = horizon.bootstrap_horizons(tasks, counts, rng=rng)["A"]
    assert np.std(np.log2(with_runs)) > np.std(np.log2(boot))


def test_multiplicities_preserve_each_replicates_size(rng):
    tasks = synthetic_agent(rng, n_tasks=120)  # 40 families of exactly 3 tasks
    counts = horizon.task_multiplicities(tasks, rng, 50)
    # with equal families every replicate draws 40 families x 3 tasks = 120 tasks
    assert (counts.sum(axis=1) == 120).all()


def test_saturation_counts_tasks_near_the_horizon():
    tasks = pd.DataFrame({"agent": "A", "human_minutes": [1.0, 15.0, 30.0, 60.0, 500.0]})
    fits = pd.DataFrame({"agent": ["A"], "release_date": [pd.Timestamp("2025-01-01")], "p50": [30.0]})
    row = horizon.saturation(tasks, fits).iloc[0]
    # within one doubling of 30: 15, 30 and 60
    assert (row["tasks_near_p50"], row["tasks_longer"], row["beyond_longest"]) == (3, 2, False)
