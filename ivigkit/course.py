"""A teaching simulator of disability (EDSS) over the years in each MS course.

TEACHING MODEL, NOT A PROGNOSIS. It shows how relapse rate, recovery and progression combine,
and what a treatment that lowers the relapse rate could change. Real courses vary far more.

- Relapses arrive at random (a Poisson process) at a rate in relapses per patient-year.
- Each relapse raises EDSS by RELAPSE_EDSS; a share of that (the recovery fraction) fades
  over the following months, the rest stays.
- Progressive phases (SPMS, PPMS, and RRMS after its transition year) add a steady slope.
  After the transition an RRMS course relapses at the SPMS rate, or its own if lower.
- CIS: the first relapse is conversion to clinically definite MS; from then on the
  patient follows the RRMS rate.
- A treatment multiplies the relapse rate by a rate ratio. Treated and untreated runs share
  their random numbers (each untreated relapse is kept with probability = the ratio), so the
  difference between them is the treatment's, not chance's.
- EDSS is reported in steps of 0.5 from 0 to 10.

Times are in years from the start of the simulation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ivigkit import data
from ivigkit.data.vocab import COURSE_IDS
from ivigkit.formatting import fmt
from ivigkit.validate import number_in_range

COURSES = COURSE_IDS
COURSE_NAMES = {"cis": "Clinically isolated syndrome (CIS)", "rrms": "Relapsing-remitting MS (RRMS)",
                "spms": "Secondary progressive MS (SPMS)", "ppms": "Primary progressive MS (PPMS)"}

# --- Defaults per course (data/model_parameters.csv, module "course", has each row's sources)
# Untreated relapse rates, from trial placebo arms where the tables have them: CIS derived from
# 50 % converting within a year; RRMS the AIMS placebo arm; SPMS the ESIMS arms; PPMS none by
# definition.
RELAPSES_PER_YEAR = {"cis": 0.693, "rrms": 1.26, "spms": 0.46, "ppms": 0.0}
# Starting EDSS, progression speed, relapse size and recovery: teaching assumptions the
# learner can change (see the data rows).
START_EDSS = {"cis": 1.0, "rrms": 2.0, "spms": 4.0, "ppms": 3.0}
# Progression applies in the progressive phase only (RRMS: after its transition year).
PROGRESSION_EDSS_PER_YEAR = {"cis": 0.0, "rrms": 0.3, "spms": 0.3, "ppms": 0.3}
RELAPSE_EDSS = 1.0        # EDSS points a relapse adds at its worst
RECOVERY_FRACTION = 0.7   # share of that which recovers
RECOVERY_MONTHS = 2.0     # time constant of the recovery
SPMS_TRANSITION_YEARS = 20.0  # an RRMS course turns secondary progressive (None = never)
EDSS_MAX = 10.0   # the scale's top (kurtzke1983_neurology)
EDSS_STEP = 0.5   # the scale's half steps (kurtzke1983_neurology)

# --- Input ranges (plausibility, not clinical limits) ---------------------------------------
YEARS_RANGE = (1.0, 40.0)
RATE_RANGE = (0.0, 5.0)
RATE_RATIO_RANGE = (0.0, 3.0)
PATIENTS_RANGE = (1, 2000)
STEPS_PER_YEAR = 12  # monthly time steps


@dataclass(frozen=True)
class CourseSettings:
    """One simulated course. Rates in relapses per patient-year, EDSS in points, times in years;
    `rate_ratio` is the treatment's effect on the relapse rate (1 = no treatment)."""

    course: str = "rrms"
    years: float = 10.0
    relapses_per_year: float | None = None      # None = the course's default
    recovery_fraction: float = RECOVERY_FRACTION
    progression_edss_per_year: float | None = None
    start_edss: float | None = None
    spms_transition_years: float | None = SPMS_TRANSITION_YEARS  # RRMS only; None = never
    rate_ratio: float = 1.0
    seed: int = 1


@dataclass(frozen=True)
class PatientPath:
    """One patient: EDSS by month (table year, edss), the relapse years, and (if treated)
    the untreated patient's relapses that the treatment avoided."""

    table: pd.DataFrame
    relapse_years: tuple[float, ...]
    avoided_years: tuple[float, ...]
    converted_year: float | None  # CIS: the year of conversion to definite MS


@dataclass(frozen=True)
class Cohort:
    """Many simulated patients under the same settings, treated and untreated.

    `band`: year, p10, median, p90 of treated EDSS (and untreated_median). Relapse counts are
    means per patient over the whole period. `patient_years_per_relapse_avoided` is how many
    years of treatment (patients x years) avoid one relapse; `nnt_relapse_free` is how many
    patients must be treated for the whole period for one more to stay relapse-free. Each is
    None when the treatment avoids nothing."""

    band: pd.DataFrame
    patients: int
    years: float
    relapses_untreated: float
    relapses_treated: float
    relapses_avoided: float
    relapse_free_untreated_pct: float
    relapse_free_treated_pct: float
    patient_years_per_relapse_avoided: float | None
    nnt_relapse_free: float | None


def settings(course: str = "rrms", **changes) -> CourseSettings:
    """Settings for a course with its defaults filled in, after checking every value."""
    if course not in COURSES:
        raise ValueError(f"'{course}' is not an MS course here; choose one of: {', '.join(COURSES)}.")
    s = replace(CourseSettings(course=course), **changes)
    filled = replace(
        s,
        years=number_in_range("Years", s.years, *YEARS_RANGE, "years"),
        relapses_per_year=number_in_range(
            "The relapse rate", RELAPSES_PER_YEAR[course] if s.relapses_per_year is None
            else s.relapses_per_year, *RATE_RANGE, "relapses per year"),
        recovery_fraction=number_in_range("Recovery", s.recovery_fraction, 0.0, 1.0,
                                          "(a fraction from 0 to 1)"),
        progression_edss_per_year=number_in_range(
            "Progression", PROGRESSION_EDSS_PER_YEAR[course] if s.progression_edss_per_year is None
            else s.progression_edss_per_year, 0.0, 2.0, "EDSS points per year"),
        start_edss=number_in_range("The starting EDSS", START_EDSS[course] if s.start_edss is None
                                   else s.start_edss, 0.0, EDSS_MAX, "points"),
        rate_ratio=number_in_range("The rate ratio", s.rate_ratio, *RATE_RATIO_RANGE, ""),
    )
    if filled.spms_transition_years is not None:
        number_in_range("The transition year", filled.spms_transition_years, 0.0, 100.0, "years")
    try:
        seed = int(filled.seed)
    except (TypeError, ValueError):
        raise ValueError(f"The seed must be a whole number; got '{filled.seed}'.") from None
    return replace(filled, seed=seed)


def to_edss_steps(value: np.ndarray) -> np.ndarray:
    """EDSS rounded to the nearest 0.5 and kept within 0-10."""
    return np.clip(np.round(np.asarray(value, dtype=float) / EDSS_STEP) * EDSS_STEP, 0.0, EDSS_MAX)


def _run(s: CourseSettings, patients: int) -> dict:
    """The simulation for `patients` patients: arrays of shape (patients, months + 1)."""
    months = int(round(s.years * STEPS_PER_YEAR))
    dt = 1.0 / STEPS_PER_YEAR
    rng = np.random.default_rng(s.seed)
    # The same random numbers for every setting of the rate ratio (common random numbers).
    arrivals = rng.random((patients, months))
    keep = rng.random((patients, months))
    year = np.arange(1, months + 1) * dt
    rrms_rate, spms_rate = RELAPSES_PER_YEAR["rrms"], RELAPSES_PER_YEAR["spms"]
    decay = math.exp(-dt * 12.0 / RECOVERY_MONTHS)
    transition = s.spms_transition_years if s.course == "rrms" else None

    out = {}
    for arm, ratio in (("untreated", 1.0), ("treated", s.rate_ratio)):
        lasting = np.zeros(patients)
        fading = np.zeros(patients)
        converted = np.full(patients, s.course != "cis")
        converted_year = np.full(patients, np.nan)
        edss = np.empty((patients, months + 1))
        edss[:, 0] = s.start_edss
        relapsed = np.zeros((patients, months), dtype=bool)
        progression = np.zeros(patients)
        for m in range(months):
            t = year[m]
            progressive = s.course in ("spms", "ppms") or (transition is not None and t > transition)
            if s.course == "cis":
                base = np.where(converted, rrms_rate, s.relapses_per_year)
            elif transition is not None and t > transition:
                base = np.full(patients, min(spms_rate, s.relapses_per_year))
            else:
                base = np.full(patients, s.relapses_per_year)
            # At most one relapse a month: P(at least one) = 1 - exp(-rate dt).
            untreated_relapse = arrivals[:, m] < 1.0 - np.exp(-base * dt)
            relapse = untreated_relapse & (keep[:, m] < ratio)
            relapsed[:, m] = relapse
            newly = relapse & ~converted
            converted_year[newly] = t
            converted |= relapse
            lasting += relapse * RELAPSE_EDSS * (1.0 - s.recovery_fraction)
            fading = fading * decay + relapse * RELAPSE_EDSS * s.recovery_fraction
            if progressive:
                progression += s.progression_edss_per_year * dt
            edss[:, m + 1] = s.start_edss + lasting + fading + progression
        out[arm] = dict(edss=to_edss_steps(edss), relapsed=relapsed, converted_year=converted_year)
    out["year"] = np.concatenate([[0.0], year])
    return out


def simulate_patient(course: str = "rrms", **changes) -> PatientPath:
    """One simulated patient (the treated arm if rate_ratio < 1; see CourseSettings)."""
    s = settings(course, **changes)
    run = _run(s, 1)
    years = run["year"][1:]
    treated, untreated = run["treated"]["relapsed"][0], run["untreated"]["relapsed"][0]
    converted = run["treated"]["converted_year"][0]
    return PatientPath(table=pd.DataFrame({"year": run["year"], "edss": run["treated"]["edss"][0]}),
                relapse_years=tuple(float(y) for y in years[treated]),
                avoided_years=tuple(float(y) for y in years[untreated & ~treated]),
                converted_year=None if math.isnan(converted) else float(converted))


def simulate_cohort(course: str = "rrms", patients: int = 300, **changes) -> Cohort:
    """Many patients: the EDSS band and the relapses a treatment avoids over the period."""
    s = settings(course, **changes)
    n = int(number_in_range("The number of patients", patients, *PATIENTS_RANGE, "patients"))
    run = _run(s, n)
    treated, untreated = run["treated"], run["untreated"]
    p10, median, p90 = np.percentile(treated["edss"], [10, 50, 90], axis=0)
    band = pd.DataFrame({"year": run["year"], "p10": p10, "median": median, "p90": p90,
                         "untreated_median": np.median(untreated["edss"], axis=0)})
    counts_u = untreated["relapsed"].sum(axis=1)
    counts_t = treated["relapsed"].sum(axis=1)
    avoided = float(counts_u.mean() - counts_t.mean())
    free_u, free_t = 100.0 * float((counts_u == 0).mean()), 100.0 * float((counts_t == 0).mean())
    return Cohort(band=band, patients=n, years=s.years,
                  relapses_untreated=float(counts_u.mean()), relapses_treated=float(counts_t.mean()),
                  relapses_avoided=avoided, relapse_free_untreated_pct=free_u,
                  relapse_free_treated_pct=free_t,
                  patient_years_per_relapse_avoided=s.years / avoided if avoided > 0 else None,
                  nnt_relapse_free=100.0 / (free_t - free_u) if free_t > free_u else None)


def share_at_diagnosis(course_id: str) -> str:
    """How common a course is at diagnosis, in words, from data/ms_courses.csv (the table keeps
    one source's figure or range, and says which)."""
    table = data.load("ms_courses").set_index("course_id")
    if course_id not in table.index:
        raise ValueError(f"'{course_id}' is not a course; choose one of {', '.join(COURSES)}.")
    low, high = table.loc[course_id, ["share_at_diagnosis_pct_low", "share_at_diagnosis_pct_high"]]
    if pd.isna(low):
        return "not given as a share at diagnosis"
    if pd.isna(high) or high == low:
        return f"about {fmt(low, 0)} % of people at diagnosis"
    return f"about {fmt(low, 0)}-{fmt(high, 0)} % of people at diagnosis"
