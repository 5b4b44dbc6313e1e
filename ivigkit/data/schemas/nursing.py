"""Pandera schemas for notebook 05's nursing strand: what is checked during an infusion
(data/infusion_monitoring.csv), what to do for a reaction (reaction_plan.csv), what to record
(documentation_items.csv) and teach-back points (teach_back.csv).
Registered in ivigkit.data.schemas.SCHEMAS.

Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import blank, choice, source_ids, table, text
from ivigkit.data.vocab import (CHECK_BASIS, CHECK_WHEN, FIRST_ACTIONS, RECORD_REQUIRED_BY, RESTARTS, SLUG_HINT,
                                SLUG_PATTERN, VERIFIED)


def _assumptions_unverified(df: pd.DataFrame) -> pd.Series:
    """An assumption is labelled 'no' and its note says it is an assumption."""
    assumption = df["basis"] == "assumption"
    says_so = df["note"].fillna("").str.contains("assumption", case=False)
    return ~assumption | ((df["verified"] == "no") & says_so)


def _unverified_rows_explained(df: pd.DataFrame) -> pd.Series:
    return (df["verified"] != "no") | ~blank(df["note"])


def _emergency_never_restarts(df: pd.DataFrame) -> pd.Series:
    return (df["first_action"] != "stop_and_emergency") | (df["restart"] == "do_not_restart")


INFUSION_MONITORING = table(
    "infusion_monitoring",
    {
        "check_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "when": choice(CHECK_WHEN),
        "what": text(),
        "basis": choice(CHECK_BASIS),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_assumptions_unverified,
                     error="columns 'basis', 'verified' and 'note': an assumption is labelled 'no' and its note says 'assumption'")],
    description="What is checked during and after an IVIG infusion, and on what basis.",
)

REACTION_PLAN = table(
    "reaction_plan",
    {
        "reaction_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "reaction": text(),
        "signs": text(),
        "first_action": choice(FIRST_ACTIONS),
        "who_to_call": text(),
        "restart": choice(RESTARTS),
        "timing": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_emergency_never_restarts,
                     error="column 'restart': a reaction that needs the emergency team is never restarted by the nurse")],
    description="Reactions to IVIG: signs, first action, who to call and whether and how to restart.",
)

DOCUMENTATION_ITEMS = table(
    "documentation_items",
    {
        "item_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "item": text(),
        "why": text(),
        "required_by": choice(RECORD_REQUIRED_BY),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_unverified_rows_explained, error="column 'note': an unverified row must say why")],
    description="What to record for an IVIG infusion, and why.",
)

TEACH_BACK = table(
    "teach_back",
    {
        "point_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "topic": text(),
        "teach": text(),
        "closed_question": text(),
        "open_question": text(),
        "full_answer": text(),
        "partial_answer": text(),
        "missing": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="Patient-teaching points, each with a question to avoid, a teach-back question and two answers.",
)

SCHEMAS = {"infusion_monitoring": INFUSION_MONITORING, "reaction_plan": REACTION_PLAN,
           "documentation_items": DOCUMENTATION_ITEMS, "teach_back": TEACH_BACK}
