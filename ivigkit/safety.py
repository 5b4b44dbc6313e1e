"""Adverse-event comparisons (data/adverse_events.csv rows whose denominator is 'comparison'):
a hazard ratio, relative risk, risk difference or excess per 10,000, each with its interval,
its unit and the window it applies to, and whether the interval excludes "no difference".

Frequencies (% of infusions or patients) are drawn by ivigkit.figures.safety; ratios and rates
never share a % axis with them. Educational material only; not for clinical use.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ivigkit.data.vocab import COMPARISON_UNITS

UNIT_LABELS = {"hazard_ratio": "hazard ratio", "relative_risk": "relative risk",
               "risk_difference_percentage_points": "percentage points of extra risk",
               "excess_events_per_10000_patients": "extra events per 10,000 patients"}


@dataclass(frozen=True)
class Comparison:
    """One reported comparison between exposed and unexposed time or people."""

    row_id: str
    event: str
    value: float
    ci_low: float | None
    ci_high: float | None
    unit: str
    window: str
    population: str
    verified: str
    source_ids: str

    @property
    def no_effect_value(self) -> float:
        """1 for a ratio, 0 for a difference: the value that means 'no difference'."""
        return COMPARISON_UNITS[self.unit]

    @property
    def significant(self) -> bool | None:
        """True when the 95 % interval excludes the no-effect value; None without an interval."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return not (self.ci_low <= self.no_effect_value <= self.ci_high)

    def sentence(self) -> str:
        """The comparison in words, with its unit, window and what its interval says."""
        ci = ("" if self.ci_low is None else
              f" (95 % CI {self.ci_low:g} to {self.ci_high:g})")
        verdict = {True: f"the interval excludes {self.no_effect_value:g}, so the difference is statistically significant",
                   False: f"the interval includes {self.no_effect_value:g}, so it is not statistically significant",
                   None: "no interval was reported"}[self.significant]
        return f"{self.value:g} {UNIT_LABELS[self.unit]}{ci}, {self.window}: {verdict}."


def _num(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA \
        else float(value)


def comparisons(rows: pd.DataFrame) -> tuple[Comparison, ...]:
    """The 'comparison' rows of an adverse_events table (or a selection of it), in order."""
    chosen = rows[rows["denominator"] == "comparison"]
    return tuple(Comparison(r.row_id, r.event, float(r.comparison_value), _num(r.comparison_ci_low),
                            _num(r.comparison_ci_high), r.comparison_unit, r.comparison_window, r.population,
                            r.verified, r.source_ids) for r in chosen.itertuples())
