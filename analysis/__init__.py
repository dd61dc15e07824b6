"""Doubling Time: the analysis package behind the report."""

from analysis.params import PARAMS, Params

__all__ = ["PARAMS", "Params"]
