"""Pandera schemas for the evidence tables: data/trials.csv and data/claims.csv.

Registered in ivigkit.data.schemas.SCHEMAS. Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import blank, choice, note_has, num, numeric, source_ids, table, text
from ivigkit.data.vocab import ARM_NUMBERS, CLAIM_TOPICS, DESIGNS, EFFECT_MEASURES, OUTCOMES, RESULTS, SLUG_HINT, SLUG_PATTERN, TEACHING_POINTS, TRIAL_POPULATIONS, VERDICTS, VERIFIED



def _filled(df: pd.DataFrame, column: str) -> pd.Series:
    return ~blank(df[column])


def _unverified_has_no_numbers(df: pd.DataFrame) -> pd.Series:
    has_numbers = pd.concat([_filled(df, c) for c in ARM_NUMBERS], axis=1).any(axis=1)
    return (df["verified"] != "no") | ~has_numbers


def _effect_has_source(df: pd.DataFrame) -> pd.Series:
    return _filled(df, "effect") == _filled(df, "effect_source")


def _derived_shows_arithmetic(df: pd.DataFrame) -> pd.Series:
    return (df["effect_source"] != "derived") | note_has(df, "=")


def _ci_surrounds_effect(df: pd.DataFrame) -> pd.Series:
    low, effect, high = (numeric(df, c) for c in ("ci_low", "effect", "ci_high"))
    has_ci = low.notna() & high.notna()
    return ~has_ci | ((low <= effect) & (effect <= high))


def _ci_complete(df: pd.DataFrame) -> pd.Series:
    return _filled(df, "ci_low") == _filled(df, "ci_high")


def _events_within_n(df: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=df.index)
    for arm in ("ivig", "control"):
        events, n = (numeric(df, f"{arm}_{c}") for c in ("events", "n"))
        ok &= events.isna() == n.isna()
        ok &= events.isna() | (events <= n)
    return ok


def _pct_has_n(df: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=df.index)
    for arm in ("ivig", "control"):
        ok &= ~_filled(df, f"{arm}_pct") | _filled(df, f"{arm}_n") | _filled(df, f"n_{arm}")
    return ok


def _ratio_has_direction(df: pd.DataFrame) -> pd.Series:
    ratio = df["effect_measure"].isin(("rate_ratio", "risk_ratio", "odds_ratio", "hazard_ratio"))
    return ~(ratio & _filled(df, "effect")) | (_filled(df, "effect_direction") & _filled(df, "favours_ivig"))


TRIALS = table(
    "trials",
    {
        "row_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "study_id": text(pattern=SLUG_PATTERN, pattern_hint=SLUG_HINT),
        "study_label": text(),
        "year": num("calendar year", min=1980, max=2030, integer=True),
        "design": choice(DESIGNS),
        "design_text": text(),
        "population": choice(TRIAL_POPULATIONS),
        "population_text": text(),
        "n_ivig": num("patients", min=1, max=10_000, integer=True, required=False),
        "n_control": num("patients", min=1, max=10_000, integer=True, required=False),
        "n_total": num("patients", min=1, max=10_000, integer=True, required=False),
        "regimen": text(required=False),
        "comparator": text(required=False),
        "endpoint": text(),
        "outcome": choice(OUTCOMES),
        "primary": choice(("yes", "no", "unknown")),
        "ivig_value": text(required=False),
        "control_value": text(required=False),
        "ivig_events": num("patients", min=0, max=10_000, integer=True, required=False),
        "ivig_n": num("patients", min=1, max=10_000, integer=True, required=False),
        "control_events": num("patients", min=0, max=10_000, integer=True, required=False),
        "control_n": num("patients", min=1, max=10_000, integer=True, required=False),
        "ivig_pct": num("%", min=0, max=100, required=False),
        "control_pct": num("%", min=0, max=100, required=False),
        "ivig_rate_per_year": num("relapses per patient-year", min=0, max=20, required=False),
        "control_rate_per_year": num("relapses per patient-year", min=0, max=20, required=False),
        "effect_measure": choice(EFFECT_MEASURES, required=False),
        "effect": num("ratio, % or score (see effect_measure)", min=None, required=False),
        "ci_low": num("as effect", min=None, required=False),
        "ci_high": num("as effect", min=None, required=False),
        "effect_source": choice(("reported", "derived"), required=False),
        "effect_direction": text(required=False),
        "favours_ivig": choice(("below_1", "above_1", "unknown"), required=False),
        "p_value": text(required=False),
        "result": choice(RESULTS),
        "conclusion": text(),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[
        pa.Check(_unverified_has_no_numbers,
                 error="column 'verified': a row labelled 'no' must not show numbers as fact"),
        pa.Check(_effect_has_source,
                 error="columns 'effect' and 'effect_source': an effect needs its source "
                       "(reported or derived), and only an effect has one"),
        pa.Check(_derived_shows_arithmetic,
                 error="column 'note': a derived effect must show its arithmetic (with '=')"),
        pa.Check(_ci_complete, error="columns 'ci_low' and 'ci_high': give both ends of the interval or neither"),
        pa.Check(_ci_surrounds_effect, error="columns 'ci_low', 'effect', 'ci_high': the interval must surround the effect"),
        pa.Check(_events_within_n,
                 error="columns '*_events' and '*_n': give both for an arm, with events not above n"),
        pa.Check(_pct_has_n, error="column '*_pct': a percentage needs the arm's size (n)"),
        pa.Check(_ratio_has_direction,
                 error="columns 'effect_direction' and 'favours_ivig': a ratio needs both"),
    ],
    description="One row per study and endpoint: design, population, arms, effect, source.",
)

CLAIMS = table(
    "claims",
    {
        "claim_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "claim": text(),
        "article": text(pattern=r"^[0-9a-z_]+(;[0-9a-z_]+)*$",
                        pattern_hint="is not a list of seed article names such as '000_0bdaa823d9e93aed'"),
        "topic": choice(CLAIM_TOPICS),
        "verdict": choice(VERDICTS),
        "explanation": text(),
        "study_ids": text(required=False, pattern=r"^[a-z0-9_]+(;[a-z0-9_]+)*$",
                          pattern_hint="is not a list of study ids separated by ';'"),
        "teaching_point": choice(TEACHING_POINTS),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
    },
    description="Claims from the seed articles, each with a verdict and the studies that decide it.",
)

SCHEMAS = {"trials": TRIALS, "claims": CLAIMS}
