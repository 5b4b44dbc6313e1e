"""Pandera schemas for notebook 05's pharmacy strand: what each stabiliser means for which
patients (data/stabilisers.csv), how products are stored and prepared (product_handling.csv) and
how programmes and payers decide who gets immunoglobulin (ig_access.csv).
Registered in ivigkit.data.schemas.SCHEMAS.

Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import blank, choice, num, positive, source_ids, table, text
from ivigkit.data.vocab import (ACCESS_KINDS, PRODUCT_FORMS, PRODUCT_NEEDS, SLUG_HINT, SLUG_PATTERN,
                                STABILISER_IDS, STABILISER_KINDS, VERIFIED, YES_NO, YES_NO_NOT_STATED)


def _sugars_have_a_need(df: pd.DataFrame) -> pd.Series:
    """Every sugar or sugar alcohol names the product need that excludes it."""
    sugar = df["kind"].isin(["sugar", "sugar_alcohol"])
    return ~sugar | ~blank(df["product_need"])


STABILISERS = table(
    "stabilisers",
    {
        "stabiliser_id": choice(STABILISER_IDS),
        "name": text(),
        "kind": choice(STABILISER_KINDS),
        "product_need": choice(PRODUCT_NEEDS, required=False),
        "concern": text(),
        "who_is_at_risk": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_sugars_have_a_need, error="column 'product_need': a sugar needs the product need that excludes it"),
            pa.Check(lambda df: ~df["stabiliser_id"].duplicated(), error="column 'stabiliser_id' must be unique")],
    description="IVIG stabilisers: which are sugars, why each matters and for whom.",
)


def _liquid_or_powder_explained(df: pd.DataFrame) -> pd.Series:
    return ~blank(df["before_use"])


PRODUCT_HANDLING = table(
    "product_handling",
    {
        "handling_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "product_id": text(required=False, pattern=SLUG_PATTERN, pattern_hint=SLUG_HINT),
        "name": text(),
        "form": choice(PRODUCT_FORMS),
        "store_max_c": num("degrees C", min=2, max=40, required=False),
        "do_not_freeze": choice(YES_NO, required=False),
        "protect_from_light": choice(YES_NO_NOT_STATED, required=False),
        "shelf_life_months": positive("months", max=60),
        "before_use": text(),
        "dilution": text(required=False),
        "line": text(required=False),
        "mixing": text(required=False),
        "once_opened": text(required=False),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_liquid_or_powder_explained, error="column 'before_use' must say how the product is prepared")],
    description="Storage, preparation, lines and mixing, product by product, as the leaflets read say.",
)

IG_ACCESS = table(
    "ig_access",
    {
        "access_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "kind": choice(ACCESS_KINDS),
        "organisation": text(),
        "region": text(),
        "year": num("calendar year", min=1990, max=2030, integer=True, required=False),
        "how_it_decides": text(),
        "ms_position": text(),
        "what_must_be_shown": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="How rationing programmes and payers decide who receives immunoglobulin, and where MS stands.",
)

SCHEMAS = {"stabilisers": STABILISERS, "product_handling": PRODUCT_HANDLING, "ig_access": IG_ACCESS}
