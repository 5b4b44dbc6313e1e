"""Pandera schemas for notebook 01's tables: MS courses, symptoms, diagnostic tests and how
NMOSD differs from MS. Registered in ivigkit.data.schemas.SCHEMAS.

Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import choice, not_above, num, source_ids, table, text
from ivigkit.data.vocab import CNS_REGIONS, COURSE_IDS, IVIG_RESULTS, SLUG_HINT, SLUG_PATTERN, STUDY_LIST_PATTERN, VERIFIED



def _missing_share_explained(df: pd.DataFrame) -> pd.Series:
    return df["share_at_diagnosis_pct_low"].notna() | df["note"].fillna("").str.strip().ne("")


MS_COURSES = table(
    "ms_courses",
    {
        "course_id": choice(COURSE_IDS),
        "name": text(),
        "definition": text(),
        "share_at_diagnosis_pct_low": num("%", min=0, max=100, required=False),
        "share_at_diagnosis_pct_high": num("%", min=0, max=100, required=False),
        "relapses": text(),
        "progression": text(),
        "what_happens_next": text(),
        "ivig_evidence": text(),
        "ivig_result": choice(IVIG_RESULTS),
        "study_ids": text(pattern=STUDY_LIST_PATTERN, pattern_hint="is not a list of study ids separated by ';'"),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[
        pa.Check(lambda df: not_above(df, "share_at_diagnosis_pct_low", "share_at_diagnosis_pct_high"),
                 error="column 'share_at_diagnosis_pct_high' is below 'share_at_diagnosis_pct_low'"),
        pa.Check(_missing_share_explained,
                 error="column 'note': an empty share at diagnosis must be explained in the note"),
    ],
    description="The four MS courses, with IVIG's evidence in each.",
)

SYMPTOMS = table(
    "symptoms",
    {
        "symptom_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "symptom": text(),
        "cns_region": choice(CNS_REGIONS),
        "how_it_shows": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="MS symptoms and the part of the central nervous system behind each.",
)

DIAGNOSTICS = table(
    "diagnostics",
    {
        "test_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "test": text(),
        "looks_for": text(),
        "typical_finding_in_ms": text(),
        "role": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="Tests used to diagnose MS (and NMOSD) and what each looks for.",
)

NMOSD_VS_MS = table(
    "nmosd_vs_ms",
    {
        "feature_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "feature": text(),
        "ms": text(),
        "nmosd": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="How neuromyelitis optica spectrum disorder differs from MS.",
)

SCHEMAS = {"ms_courses": MS_COURSES, "symptoms": SYMPTOMS, "diagnostics": DIAGNOSTICS,
           "nmosd_vs_ms": NMOSD_VS_MS}
