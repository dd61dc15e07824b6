"""Career values and the automation-risk premium: closed forms and monotonicity."""

import dataclasses

import numpy as np
import pytest

from analysis import labor

FLAT = labor.Career(years=30, discount=0.0, wage_growth=0.0, post_automation=0.0, lag_years=0.0)


def test_no_discount_no_automation_is_salary_times_years():
    assert labor.career_value(FLAT, wage=100_000) == pytest.approx(3_000_000)


def test_certain_automation_gives_the_truncated_annuity():
    # With r = 5%, g = 0 and displacement at T = 10 (phi = 0): w (1 - e^{-rT}) / r.
    career = dataclasses.replace(FLAT, discount=0.05)
    expected = 100_000 * (1 - np.exp(-0.05 * 10)) / 0.05
    assert labor.career_value(career, automation_year=10, wage=100_000) == pytest.approx(expected)


def test_wage_cut_after_automation_adds_the_remaining_annuity():
    # phi = 0.5, no discounting: 10 full years + 20 half years = 20 wage-years.
    career = dataclasses.replace(FLAT, post_automation=0.5)
    assert labor.career_value(career, automation_year=10) == pytest.approx(20.0)


def test_premium_for_a_certain_date_in_closed_form():
    # No discounting, phi = 0, automation at T = 10 of 30 years: (1 + p) 10 = 30, so p = 2.
    assert labor.risk_premium(np.array([10.0]), np.array([1.0]), FLAT) == pytest.approx(2.0)
    # never automated: no premium
    assert labor.risk_premium(np.array([np.inf]), np.array([1.0]), FLAT) == 0.0


def test_premium_equalises_expected_values():
    career = labor.Career()
    years, weights = np.array([1.0, 4.0, 12.0, np.inf]), np.array([0.1, 0.4, 0.3, 0.2])
    premium = labor.risk_premium(years, weights, career)
    specialised = np.sum(weights * labor.career_value(career, automation_year=years + career.lag_years, premium=premium))
    assert specialised == pytest.approx(labor.career_value(career))


def test_premium_rises_with_the_probability_of_early_automation():
    career = labor.Career()
    premiums = [
        labor.risk_premium(np.array([2.0, 20.0]), np.array([p, 1 - p]), career) for p in np.linspace(0, 1, 11)
    ]
    assert np.all(np.diff(premiums) > 0)


def test_lag_is_added_to_the_arrival():
    lagged = dataclasses.replace(FLAT, lag_years=5.0)
    assert labor.risk_premium(np.array([5.0]), np.array([1.0]), lagged) == pytest.approx(2.0)


def test_sensitivity_table_is_sorted_by_swing():
    table = labor.premium_sensitivity(np.array([3.0, 8.0]), np.array([0.5, 0.5]), labor.Career(),
                                      {"discount": (0.02, 0.08), "post_automation": (0.0, 0.8)})
    assert table["parameter"].tolist() == ["post_automation", "discount"]
    assert (table["swing"].diff().dropna() <= 0).all()


def test_scarcity_premium_halves_on_schedule():
    # Demand flat, supply +21%/yr, elasticity 1: the wage ratio falls by a factor 1.21 a year.
    # (1 + p) / 1.21^t = 1 + p / 2 gives t = ln((1 + p) / (1 + p / 2)) / ln(1.21).
    p = 1.0
    expected = np.log(2.0 / 1.5) / np.log(1.21)
    assert labor.halving_years(p, supply_growth=0.21, demand_growth=0.0, elasticity=1.0) == pytest.approx(expected)
    assert labor.scarcity_path(p, supply_growth=0.21, demand_growth=0.0, elasticity=1.0, years=[expected])[0] == pytest.approx(0.5)
    assert labor.halving_years(p, supply_growth=0.1, demand_growth=0.1, elasticity=1.0) == np.inf


def test_relative_value_curve_is_increasing_in_the_automation_year():
    curve = labor.value_by_automation_year(labor.Career(), np.linspace(0, 30, 31))
    assert curve["relative_value"].is_monotonic_increasing
    assert curve["relative_value"].iloc[-1] == pytest.approx(1.0)
