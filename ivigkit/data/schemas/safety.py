"""Pandera schemas for notebook 05's tables: adverse events, screening factors, the infusion
day and IVIG in NMOSD. Registered in ivigkit.data.schemas.SCHEMAS.

Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import blank, choice, not_above, num, numeric, source_ids, table, text
from ivigkit.data.vocab import (COMPARISON_UNITS, DENOMINATORS, PHASES, PRODUCT_NEEDS, SEVERITIES, SLUG_HINT,
                                SLUG_PATTERN, STUDY_LIST_PATTERN, TIMINGS, VERIFIED, YES_NO)



def _ci_surrounds(df: pd.DataFrame) -> pd.Series:
    low, point, high = (numeric(df, c) for c in ("ci_low_pct", "frequency_pct", "ci_high_pct"))
    return low.isna() | high.isna() | point.isna() | ((low <= point) & (point <= high))


def _comparison_ci_surrounds(df: pd.DataFrame) -> pd.Series:
    low, point, high = (numeric(df, c) for c in ("comparison_ci_low", "comparison_value", "comparison_ci_high"))
    both_or_neither = low.isna() == high.isna()
    return both_or_neither & (low.isna() | point.isna() | ((low <= point) & (point <= high)))


_FREQUENCY_COLUMNS = ("frequency_pct", "frequency_low_pct", "frequency_high_pct", "ci_low_pct", "ci_high_pct")


def _comparison_rows_hold_a_comparison(df: pd.DataFrame) -> pd.Series:
    """A comparison row has a value, its unit and its window, and no frequency; any other row has no
    comparison value (ratios and rates never go in a % column)."""
    is_cmp = df["denominator"] == "comparison"
    has_cmp = df["comparison_value"].notna() & ~blank(df["comparison_unit"]) & ~blank(df["comparison_window"])
    no_freq = pd.concat([df[c].isna() for c in _FREQUENCY_COLUMNS], axis=1).all(axis=1)
    no_cmp = df["comparison_value"].isna() & blank(df["comparison_unit"]) & df["comparison_ci_low"].isna()
    return (is_cmp & has_cmp & no_freq) | (~is_cmp & no_cmp)


def _ratios_positive(df: pd.DataFrame) -> pd.Series:
    ratio = df["comparison_unit"].isin([u for u, null in COMPARISON_UNITS.items() if null == 1.0])
    values = pd.concat([numeric(df, c) for c in ("comparison_value", "comparison_ci_low", "comparison_ci_high")], axis=1)
    return ~ratio | (values.isna() | (values > 0)).all(axis=1)


def _needs_known(df: pd.DataFrame) -> pd.Series:
    def ok(cell) -> bool:
        return all(n in PRODUCT_NEEDS for n in cell.split(";")) if cell else True
    return df["product_needs"].fillna("").map(ok) & df["product_prefers"].fillna("").map(ok)


ADVERSE_EVENTS = table(
    "adverse_events",
    {
        "row_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "event_id": text(pattern=SLUG_PATTERN, pattern_hint=SLUG_HINT),
        "event": text(),
        "frequency_pct": num("%", min=0, max=100, required=False),
        "frequency_low_pct": num("%", min=0, max=100, required=False),
        "frequency_high_pct": num("%", min=0, max=100, required=False),
        "ci_low_pct": num("%", min=0, max=100, required=False),
        "ci_high_pct": num("%", min=0, max=100, required=False),
        "comparison_value": num("see comparison_unit", min=None, required=False),
        "comparison_ci_low": num("see comparison_unit", min=None, required=False),
        "comparison_ci_high": num("see comparison_unit", min=None, required=False),
        "comparison_unit": choice(tuple(COMPARISON_UNITS), required=False),
        "comparison_window": text(required=False),
        "events": num("events", min=0, integer=True, required=False),
        "denominator_n": num("infusions or patients (see denominator)", min=1, integer=True, required=False),
        "denominator": choice(DENOMINATORS),
        "population": text(),
        "dose": text(),
        "timing": choice(TIMINGS),
        "risk_factors": text(required=False),
        "what_to_do": text(required=False),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[
        pa.Check(lambda df: not_above(df, "frequency_low_pct", "frequency_high_pct"), error="column 'frequency_high_pct' is below 'frequency_low_pct'"),
        pa.Check(_ci_surrounds, error="columns 'ci_low_pct', 'frequency_pct', 'ci_high_pct': the interval must surround the frequency"),
        pa.Check(lambda df: not_above(df, "events", "denominator_n"), error="column 'events' is above 'denominator_n'"),
        pa.Check(_comparison_ci_surrounds,
                 error="columns 'comparison_ci_low', 'comparison_value', 'comparison_ci_high': give both ends, around the value"),
        pa.Check(_comparison_rows_hold_a_comparison,
                 error="column 'comparison_value': a 'comparison' row needs a value, its unit and its window and no "
                       "% frequency; other rows hold no comparison"),
        pa.Check(_ratios_positive, error="column 'comparison_value': a ratio and its interval must be above 0"),
    ],
    description="Adverse events of IVIG: frequency, denominator, population, timing, what to do.",
)

SCREENING_FACTORS = table(
    "screening_factors",
    {
        "factor_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "factor": text(),
        "severity": choice(SEVERITIES),
        "flag": text(),
        "action": text(),
        "product_needs": text(required=False),
        "product_prefers": text(required=False),
        "renal_or_thrombotic_risk": choice(YES_NO),
        "monitoring": text(required=False),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_needs_known, error="columns 'product_needs' and 'product_prefers' must use only: " + ", ".join(PRODUCT_NEEDS))],
    description="Patient factors screened before IVIG, each with its flag, action and product needs.",
)

INFUSION_DAY = table(
    "infusion_day",
    {
        "step_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "phase": choice(PHASES),
        "order": num("position", min=1, integer=True),
        "action": text(),
        "timing": text(required=False),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="The infusion day, step by step.",
)

NMOSD_USE = table(
    "nmosd_use",
    {
        "row_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "situation": text(),
        "use": text(),
        "evidence": text(),
        "trial_row_ids": text(required=False, pattern=STUDY_LIST_PATTERN,
                              pattern_hint="is not a list of trials.csv row ids separated by ';'"),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="When IVIG is used in NMOSD, and how strong the evidence is.",
)

SCHEMAS = {"adverse_events": ADVERSE_EVENTS, "screening_factors": SCREENING_FACTORS,
           "infusion_day": INFUSION_DAY, "nmosd_use": NMOSD_USE}
