"""The trial and claim tables, read for the evidence explorer: effects per row, the guard rails
for pooling, and the tables behind the forest plot and the timeline.

Ratios compare IVIG with the control arm. Educational material, not for clinical decisions.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from ivigkit import data, evidence
from ivigkit.evidence import Effect

POPULATION_LABELS = {
    "rrms": "Relapsing-remitting MS", "cis": "Clinically isolated syndrome",
    "spms": "Secondary progressive MS", "ppms": "Primary progressive MS",
    "progressive_mixed": "Progressive MS (PPMS and SPMS together)",
    "pregnancy_postpartum": "Pregnancy and postpartum",
    "acute_relapse_optic_neuritis": "Acute relapse, optic neuritis, fixed deficits",
    "nmosd": "Neuromyelitis optica spectrum disorder", "ms_mixed": "MS, several types",
}
OUTCOME_LABELS = {
    "relapse_rate": "Relapse rate", "relapse_free": "Patients relapse-free (or relapsing)",
    "disability": "Disability (EDSS, progression)", "mri": "MRI lesions",
    "cdms_conversion": "Conversion to definite MS", "visual_function": "Vision",
    "deficit_recovery": "Recovery of a deficit", "safety": "Safety", "other": "Other",
}
DESIGN_LABELS = {
    "rct_parallel": "randomised, parallel groups", "rct_crossover": "randomised crossover",
    "rct_dose_comparison": "randomised dose comparison (no placebo)",
    "prospective_observational": "prospective observational",
    "retrospective_observational": "retrospective observational", "open_pilot": "open pilot",
    "case_series": "case series", "meta_analysis": "meta-analysis",
    "systematic_review": "systematic review",
}
# Only parallel-group randomised trials are pooled here: a crossover trial's within-patient
# comparison, a dose comparison without placebo, observational studies and other
# meta-analyses answer different questions, or would count the same patients twice.
POOLABLE_DESIGNS = ("rct_parallel",)


@functools.lru_cache(maxsize=4)
def _trials(version: tuple) -> pd.DataFrame:
    return data.load("trials")


def trials() -> pd.DataFrame:
    """data/trials.csv, validated (one row per study and endpoint)."""
    return _trials(data.version("trials"))


def _cited_in_trials(name: str, key: str, ids: str, trial_column: str, trials_version: tuple) -> pd.DataFrame:
    """Table `name`, with every id its `ids` column lists found in trials.csv's `trial_column`."""
    table = data.load(name)
    known = set(_trials(trials_version)[trial_column])
    for row in table.itertuples():
        missing = [i for i in data.source_ids(getattr(row, ids)) if i not in known]
        if missing:
            raise data.DataError(f"{name}.csv, row '{getattr(row, key)}': {ids} "
                                 f"{', '.join(missing)} are not in trials.csv ({trial_column}).")
    return table


@functools.lru_cache(maxsize=4)
def _claims(trials_version: tuple, claims_version: tuple) -> pd.DataFrame:
    return _cited_in_trials("claims", "claim_id", "study_ids", "study_id", trials_version)


def claims() -> pd.DataFrame:
    """data/claims.csv, validated; every cited study id exists in trials.csv."""
    return _claims(data.version("trials"), data.version("claims"))


def claim_study_ids(claim: pd.Series) -> list[str]:
    """The study ids a claim cites (may be empty)."""
    return data.source_ids(claim["study_ids"])


@functools.lru_cache(maxsize=4)
def _nmosd_uses(trials_version: tuple, uses_version: tuple) -> pd.DataFrame:
    return _cited_in_trials("nmosd_use", "row_id", "trial_row_ids", "row_id", trials_version)


def nmosd_uses() -> pd.DataFrame:
    """data/nmosd_use.csv, validated; every trial row a situation names exists in trials.csv."""
    return _nmosd_uses(data.version("trials"), data.version("nmosd_use"))


@dataclass(frozen=True)
class NmosdSituation:
    """One situation of data/nmosd_use.csv and the trials.csv rows behind it (none for a
    situation that rests on labels and safety reports)."""

    row: pd.Series
    studies: pd.DataFrame

    @property
    def designs(self) -> str:
        """The kinds of study behind the situation, in words (DESIGN_LABELS)."""
        kinds = dict.fromkeys(DESIGN_LABELS[d] for d in self.studies["design"])
        return " and ".join(kinds) or "no study in the trial table"

    @property
    def study_count(self) -> int:
        """How many studies (not endpoint rows) are behind it."""
        return int(self.studies["study_id"].nunique())


def nmosd_situation(row_id: str) -> NmosdSituation:
    """The situation `row_id` of data/nmosd_use.csv with its trial rows, in the table's order."""
    uses = nmosd_uses().set_index("row_id")
    if row_id not in uses.index:
        raise ValueError(f"There is no NMOSD situation '{row_id}'; choose one of {', '.join(uses.index)}.")
    row = uses.loc[row_id]
    table = trials()
    named = data.source_ids(row["trial_row_ids"])
    return NmosdSituation(row, table[table["row_id"].isin(named)].reset_index(drop=True))


def study_labels() -> pd.Series:
    """Each study's label (e.g. 'AIMS (Fazekas 1997)'), indexed by study_id."""
    return trials().drop_duplicates("study_id").set_index("study_id")["study_label"]


def _num(row: pd.Series, column: str) -> float | None:
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


def row_effect(row: pd.Series) -> tuple[Effect | None, str]:
    """The ratio a trial row supports, and how it was obtained (for the study card).

    A reported ratio with its CI comes first; then counts (risk or odds ratio, as the row's
    measure says; risk ratio by default); then percentages with arm sizes; then annual
    rates (a point estimate, no CI); then a reported ratio without a CI."""
    measure = row.get("effect_measure")
    effect, low, high = (_num(row, c) for c in ("effect", "ci_low", "ci_high"))
    if measure in evidence.RATIO_MEASURES and effect is not None and low is not None:
        return evidence.from_ci(measure, effect, low, high), "reported ratio and 95 % CI"
    counts = [_num(row, c) for c in ("ivig_events", "ivig_n", "control_events", "control_n")]
    if None not in counts:
        if measure == "odds_ratio":
            return evidence.odds_ratio(*counts), "odds ratio from the counts (calculated by us)"
        return evidence.risk_ratio(*counts), "risk ratio from the counts (calculated by us)"
    n_ivig = _num(row, "ivig_n") or _num(row, "n_ivig")
    n_control = _num(row, "control_n") or _num(row, "n_control")
    pcts = (_num(row, "ivig_pct"), _num(row, "control_pct"))
    if None not in pcts and n_ivig and n_control and min(pcts) > 0:
        return (evidence.risk_ratio_from_pct(pcts[0], n_ivig, pcts[1], n_control),
                "risk ratio from the percentages and arm sizes (calculated by us)")
    rates = (_num(row, "ivig_rate_per_year"), _num(row, "control_rate_per_year"))
    if None not in rates and rates[1] > 0 and rates[0] > 0:
        return evidence.rate_ratio(*rates), "ratio of the annual rates (calculated by us; no CI)"
    if measure in evidence.RATIO_MEASURES and effect is not None:
        return Effect(measure, effect), "reported ratio (no CI reported)"
    return None, "no ratio can be formed from what was reported"


def effects(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` of trials.csv with the ratio each supports: columns ratio, ci_low, ci_high,
    se_log, measure and basis added; rows without a ratio dropped."""
    out = []
    for _, row in rows.iterrows():
        effect, basis = row_effect(row)
        if effect is not None:
            out.append({**row.to_dict(), "measure": effect.measure, "ratio": effect.ratio,
                        "ci_low_95": effect.ci_low, "ci_high_95": effect.ci_high,
                        "se_log": effect.se_log, "basis": basis})
    return pd.DataFrame(out, columns=[*rows.columns, "measure", "ratio", "ci_low_95",
                                      "ci_high_95", "se_log", "basis"])


def relapse_rate_ratios() -> pd.DataFrame:
    """The parallel-group randomised trials whose relapse-rate rows give a rate ratio: the
    treatment effects a course simulation may take (columns of effects(), one row each)."""
    rows = effects(select(None, "relapse_rate"))
    return rows[(rows["design"] == "rct_parallel") & (rows["measure"] == "rate_ratio")].reset_index(drop=True)


def rate_ratio_of(row_id: str) -> float:
    """The ratio trials.csv row `row_id` supports (see row_effect); ValueError if it gives none."""
    table = trials().set_index("row_id")
    if row_id not in table.index:
        raise ValueError(f"There is no trial row '{row_id}'.")
    effect, why = row_effect(table.loc[row_id])
    if effect is None:
        raise ValueError(f"Trial row '{row_id}' gives no ratio: {why}.")
    return effect.ratio


def select(population: str | None = None, outcome: str | None = None, *,
           parallel_only: bool = False) -> pd.DataFrame:
    """Trial rows for a population and an outcome (None = all); parallel_only keeps the
    parallel-group randomised trials (the only designs ever pooled)."""
    table = trials()
    if parallel_only:
        table = table[table["design"].isin(POOLABLE_DESIGNS)]
    if population is not None:
        if population not in POPULATION_LABELS:
            raise ValueError(f"'{population}' is not a population in the trial table.")
        table = table[table["population"] == population]
    if outcome is not None:
        if outcome not in OUTCOME_LABELS:
            raise ValueError(f"'{outcome}' is not an outcome in the trial table.")
        table = table[table["outcome"] == outcome]
    return table.reset_index(drop=True)


def _one(values: pd.Series, what: str, labels: dict | None = None) -> None:
    distinct = sorted(set(values.dropna()))
    if len(distinct) > 1:
        names = [labels.get(v, v) if labels else v for v in distinct]
        raise ValueError(f"These rows mix {what}: {', '.join(names)}. Pool like with like.")


def check_poolable(rows: pd.DataFrame) -> None:
    """Raise ValueError, in words, unless `rows` (from effects()) can be pooled soundly:
    two or more parallel-group randomised trials, one row each, same population, outcome
    and ratio, each with a standard error."""
    if len(rows) < 2:
        raise ValueError("Pooling needs at least two studies with a ratio; "
                         f"this selection has {len(rows)}.")
    _one(rows["population"], "populations", POPULATION_LABELS)
    _one(rows["outcome"], "outcomes", OUTCOME_LABELS)
    other = sorted(set(rows["design"]) - set(POOLABLE_DESIGNS))
    if other:
        raise ValueError("Only parallel-group randomised trials are pooled here; this selection "
                         f"includes: {', '.join(DESIGN_LABELS[d] for d in other)}.")
    _one(rows["measure"], "kinds of ratio")
    if "unknown" in set(rows["favours_ivig"]):
        raise ValueError("For some rows the source does not say which arm is which, so the "
                         "direction of the ratio is unknown: "
                         f"{', '.join(rows.loc[rows['favours_ivig'] == 'unknown', 'study_label'])}.")
    _one(rows["favours_ivig"].map({"below_1": "fewer events is better (e.g. patients relapsing)",
                                   "above_1": "more is better (e.g. patients relapse-free)"}),
         "directions")
    repeated = rows["study_id"][rows["study_id"].duplicated()].unique()
    if len(repeated):
        raise ValueError("A study may count only once, but these have several rows: "
                         f"{', '.join(repeated)}.")
    no_se = rows.loc[rows["se_log"].isna(), "study_label"].tolist()
    if no_se:
        raise ValueError("These studies report no confidence interval or counts, so their "
                         f"weight is unknown: {', '.join(no_se)}.")


def pool_rows(rows: pd.DataFrame, method: str = "random") -> evidence.Pooled:
    """Pool effects() rows after check_poolable (evidence.pool)."""
    check_poolable(rows)
    return evidence.pool([math.log(r) for r in rows["ratio"]], rows["se_log"].tolist(), method)


def timeline() -> pd.DataFrame:
    """One row per study: study_id, study_label, year, n (patients), design, population and
    the result of its primary endpoint (else of its first row), sorted by year."""
    rows = []
    for study_id, group in trials().groupby("study_id", sort=False):
        primary = group[group["primary"] == "yes"]
        lead = (primary if len(primary) else group).iloc[0]
        sizes = [lead["n_total"], (lead["n_ivig"] or 0) + (lead["n_control"] or 0)
                 if pd.notna(lead["n_ivig"]) and pd.notna(lead["n_control"]) else None]
        n = max((float(s) for s in sizes if s is not None and pd.notna(s)), default=None)
        rows.append(dict(study_id=study_id, study_label=lead["study_label"], year=int(lead["year"]),
                         n=n, design=lead["design"], population=lead["population"],
                         result=lead["result"]))
    return pd.DataFrame(rows).sort_values(["year", "study_label"]).reset_index(drop=True)


def study_rows(study_id: str) -> pd.DataFrame:
    """Every row of one study."""
    rows = trials()[trials()["study_id"] == study_id]
    if rows.empty:
        raise ValueError(f"There is no study '{study_id}' in the trial table.")
    return rows.reset_index(drop=True)
