"""Pandera schemas for notebook 01's new tables: where IVIG sits among today's treatments
(data/treatments.csv) and how common MS is and how soon IVIG acts (data/ms_context.csv).
Registered in ivigkit.data.schemas.SCHEMAS.

Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import blank, choice, num, numeric, source_ids, table, text
from ivigkit.data.vocab import (AGENCIES, CONTEXT_KINDS, CONTEXT_TOPICS, CONTEXT_UNITS, ROUTES, SLUG_HINT,
                                SLUG_PATTERN, TREATMENT_CLASSES, TREATMENT_STATUSES, TREATMENT_USES, VERIFIED)


def _approval_has_agency_and_year(df: pd.DataFrame) -> pd.Series:
    """An approved row names its agency and year; an off-label row names no agency."""
    approved = df["status"] == "approved"
    off_label = df["status"] == "off_label"
    return ((~approved) | ((df["agency"] != "none") & df["approval_year"].notna())) & \
           ((~off_label) | ((df["agency"] == "none") & df["approval_year"].isna()))


def _unverified_rows_explained(df: pd.DataFrame) -> pd.Series:
    return (df["verified"] != "no") | ~blank(df["note"])


TREATMENTS = table(
    "treatments",
    {
        "row_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "treatment": text(),
        "example_brand": text(),
        "treatment_class": choice(TREATMENT_CLASSES),
        "use": choice(TREATMENT_USES),
        "route": choice(ROUTES),
        "dosing_interval": text(required=False),
        "agency": choice(AGENCIES),
        "approval_year": num("calendar year", min=1990, max=2030, integer=True, required=False),
        "status": choice(TREATMENT_STATUSES),
        "monitoring": text(required=False),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[
        pa.Check(_approval_has_agency_and_year,
                 error="columns 'agency' and 'approval_year': an approved row names its agency and year, "
                       "an off-label row names no agency"),
        pa.Check(_unverified_rows_explained, error="column 'note': an unverified row must say why"),
    ],
    description="Treatments that define IVIG's place in MS and NMOSD: class, use, route, approval and monitoring.",
)


def _value_has_unit(df: pd.DataFrame) -> pd.Series:
    has_value = df["value"].notna() | df["value_low"].notna() | df["value_high"].notna()
    return ~has_value | ~blank(df["value_unit"])


def _claims_unverified(df: pd.DataFrame) -> pd.Series:
    """A claim to check is labelled 'no', shows no number of its own and says why in its note."""
    claim = df["kind"] == "claim_to_check"
    no_number = df["value"].isna() & df["value_low"].isna() & df["value_high"].isna()
    return ~claim | ((df["verified"] == "no") & no_number & ~blank(df["note"]))


def _range_ordered(df: pd.DataFrame) -> pd.Series:
    low, value, high = (numeric(df, c) for c in ("value_low", "value", "value_high"))
    ok = low.isna() | high.isna() | (low <= high)
    return ok & (value.isna() | low.isna() | (low <= value)) & (value.isna() | high.isna() | (value <= high))


MS_CONTEXT = table(
    "ms_context",
    {
        "fact_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "topic": choice(CONTEXT_TOPICS),
        "statement": text(),
        "value": num("see value_unit", min=0, required=False),
        "value_low": num("see value_unit", min=0, required=False),
        "value_high": num("see value_unit", min=0, required=False),
        "value_unit": choice(CONTEXT_UNITS, required=False),
        "region": text(required=False),
        "year": num("calendar year", min=1950, max=2030, integer=True, required=False),
        "kind": choice(CONTEXT_KINDS),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[
        pa.Check(_value_has_unit, error="column 'value_unit': a number needs its unit"),
        pa.Check(_claims_unverified,
                 error="column 'verified': a claim to check is labelled 'no', shows no number and says why in 'note'"),
        pa.Check(_range_ordered, error="columns 'value_low', 'value', 'value_high' must be in order"),
    ],
    description="How common MS is (with year and region) and what is known of how soon IVIG acts.",
)

SCHEMAS = {"treatments": TREATMENTS, "ms_context": MS_CONTEXT}
