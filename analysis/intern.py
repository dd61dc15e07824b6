"""OpenAI's intern deadline (September 2026) resolved against OpenAI's own claim and the nowcast.

OpenAI set itself an "automated AI research intern" by September 2026 (fact B1; in March 2026
described as "autonomous", "without human guidance") and on 6 September 2026 said it had reached it,
defining the intern as "a system that can carry out well-defined research tasks under human
direction, including tasks that would take a skilled researcher a few days" (F1), while reporting
that over half of successful 4-8 hour tasks involved interventions (F3).

Two readings are resolved separately:

- **as redefined** (F1): tasks of "a few days" of a skilled researcher's work, under direction. "A few
  days" is read as ``params.intern_days_low`` to ``params.intern_days_high`` working days of
  ``params.work_day_hours`` each (a range of expert hours). Evidence: the nowcast 50% horizon
  (``nowcast.nowcast_horizons``) of the strongest model released by the deadline. The probability
  that a METR-style measurement of that model reaches an hour count is read from the nowcast's
  calibrated interval as a normal distribution in log2 hours (centre ``p50_pred``, standard
  deviation = the interval's half-width in log2 / z at its level).
- **as first stated** (B1, and March's "autonomous"): the claims table's mapping (a work-week at 50%,
  ``milestone_hours`` of the claim's row) *and* autonomy. OpenAI's own figures (F3) speak to
  autonomy directly: if at least half of successful tasks shorter than the milestone needed a human
  intervention, the autonomous reading is not met by OpenAI's own account, whatever the horizon.

Likelihood words follow the IPCC's calibrated language (Mastrandrea et al. 2010, "Guidance Note for
Lead Authors of the IPCC Fifth Assessment Report on Consistent Treatment of Uncertainties"):
very likely >= 90%, likely >= 66%, about as likely as not 33-66%, unlikely <= 33%, very unlikely <= 10%.

Statistics only, apart from ``load_definitions`` (the sourced wordings, ``data/intern_definitions.csv``);
the sentences that state the resolution are written by the timelines chapter (``intern_label``,
``intern_sentence`` in ``analysis/chapters/timelines.py``).
The probability computed from METR's data before the deadline is the timelines chapter's and is not
touched here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from analysis import facts, paths
from analysis.params import Params

DEFINITION_COLUMNS = ["version", "label", "date", "fact_id", "wording", "source_url", "confidence", "verified", "caveat"]
VERSIONS = ("first_stated", "march", "redefined", "limits")

# IPCC calibrated likelihood language: (lower bound of the probability, words), first match wins.
LIKELIHOOD = ((0.99, "virtually certain"), (0.90, "very likely"), (0.66, "likely"),
              (0.33, "about as likely as not"), (0.10, "unlikely"), (0.01, "very unlikely"),
              (0.0, "exceptionally unlikely"))
SUPPORTED, UNDECIDED, NOT_SUPPORTED = "supported", "undecided", "not supported"


def load_definitions(path: Path | None = None) -> pd.DataFrame:
    """The intern's wordings over time, each with its fact id and source (validated; I/O only)."""
    path = paths.note_read(path or paths.DATA / "intern_definitions.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    facts._require(frame, path, DEFINITION_COLUMNS,
                   ("version", "label", "date", "fact_id", "wording", "source_url", "confidence", "verified"))
    for where, record in facts._rows(frame, path):
        facts._one_of(where, record, "version", set(VERSIONS))
        facts._date(where, record, "date")
        facts._sourced(where, record)
    missing = sorted(set(VERSIONS) - set(frame["version"]))
    if missing:
        raise ValueError(f"{path}: column 'version' lacks {missing}")
    return frame.set_index("version", drop=False)


def likelihood_words(p: float) -> str:
    """IPCC calibrated language for a probability."""
    for bound, words in LIKELIHOOD:
        if p >= bound:
            return words
    return LIKELIHOOD[-1][1]


def probability_at_least(row: pd.Series, minutes: float) -> float:
    """P(a METR-style 50% horizon of the nowcast model >= ``minutes``), from its calibrated interval
    read as a normal distribution in log2 minutes."""
    centre = np.log2(row["p50_pred"])
    sd = (np.log2(row["p50_high"]) - np.log2(row["p50_low"])) / 2 / stats.norm.ppf(0.5 + row["level"] / 2)
    return float(stats.norm.sf((np.log2(minutes) - centre) / sd))


def status(p: float) -> str:
    """Supported at "likely" or above, not supported at "unlikely" or below, else undecided."""
    return SUPPORTED if p >= 0.66 else NOT_SUPPORTED if p <= 0.33 else UNDECIDED


@dataclass(frozen=True)
class Resolution:
    deadline: pd.Timestamp
    frontier: pd.Series  # the nowcast row of the strongest model released by the deadline
    candidates: pd.DataFrame  # every nowcast for a model released by the deadline
    redefined_low_min: float
    redefined_high_min: float
    first_stated_min: float
    p_redefined_low: float  # P(frontier horizon >= the low end of "a few days")
    p_redefined_high: float
    p_first_stated: float
    interventions_share: float  # F3: share of successful tasks with an intervention (a lower bound)
    intervention_task_high_min: float  # F3: the longest of those tasks
    autonomy_contradicted: bool
    redefined_status: str
    first_stated_status: str
    metr_sol: pd.Series  # E2: METR's standard-scoring figure for GPT-5.6 Sol (value, low, high minutes)
    # Sensitivity of P(>= the low end) to the interval: the calibrated bridge without the ECI score's
    # own uncertainty, and the textbook (uncalibrated) bridge interval.
    p_redefined_low_bridge_only: float = float("nan")
    p_redefined_low_classical: float = float("nan")


def resolve(claim: pd.Series, nowcasts: pd.DataFrame, quoted: pd.DataFrame, params: Params) -> Resolution:
    """Resolve the intern claim (a row of ``facts.load_claims``) against the nowcast table.

    ``quoted`` is ``benchmarks.load_quoted()`` (F3's intervention share and task lengths, E2's figure
    for GPT-5.6 Sol)."""
    deadline = pd.Timestamp(claim["target_date"])
    candidates = nowcasts[nowcasts["release_date"] <= deadline]
    if candidates.empty:
        raise ValueError(f"no nowcast for a model released by the intern deadline ({deadline:%Y-%m-%d})")
    frontier = candidates.sort_values(["p50_pred", "release_date"], ascending=[False, False]).iloc[0]
    low = 60 * params.intern_days_low * params.work_day_hours
    high = 60 * params.intern_days_high * params.work_day_hours
    if not 0 < low <= high:
        raise ValueError(f"params.intern_days_low/high must satisfy 0 < low <= high, got {low / 60} h, {high / 60} h")
    first = 60 * float(claim["milestone_hours"])
    share = float(quoted.loc[("F3", "intervention_share"), "value"])
    task_high = float(quoted.loc[("F3", "intervention_task_longest"), "value"])  # minutes
    # Autonomy at the first-stated milestone is contradicted when, by OpenAI's own count, at least
    # half of successful tasks shorter than that milestone needed a human.
    contradicted = share >= 0.5 and task_high <= first
    p_low, p_high, p_first = (probability_at_least(frontier, m) for m in (low, high, first))
    bridge_only = frontier.copy()
    bridge_only[["p50_low", "p50_high"]] = frontier[["p50_low_bridge", "p50_high_bridge"]].to_numpy()
    classical = frontier.copy()
    classical[["p50_low", "p50_high"]] = frontier[["p50_low_classical", "p50_high_classical"]].to_numpy()
    first_status = NOT_SUPPORTED if contradicted else status(p_first)
    return Resolution(
        deadline=deadline, frontier=frontier, candidates=candidates.reset_index(drop=True),
        redefined_low_min=low, redefined_high_min=high, first_stated_min=first,
        p_redefined_low=p_low, p_redefined_high=p_high, p_first_stated=p_first,
        interventions_share=share, intervention_task_high_min=task_high, autonomy_contradicted=contradicted,
        redefined_status=status(p_low), first_stated_status=first_status,
        metr_sol=quoted.loc[("E2", "gpt_5_6_sol_p50_standard")],
        p_redefined_low_bridge_only=probability_at_least(bridge_only, low),
        p_redefined_low_classical=probability_at_least(classical, low),
    )
