"""Dose arithmetic: dosing weight, grams from g/kg, rounding, vials and infusion days.

Pure functions and small frozen records; units in the names. Every clinical constant names
its source id in data/sources.csv. Educational material only; not for clinical use.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivigkit.validate import number_in_range
from ivigkit.data import catalog

WEIGHT_KG_MIN, WEIGHT_KG_MAX = 2.0, 300.0
# An input plausibility bound, not a dosing limit: the largest total course dose in the
# workbook's sources is 2 g/kg (a loading course in Achiron 2004; GBS in EFNS 2008).
DOSE_G_PER_KG_MIN, DOSE_G_PER_KG_MAX = 0.01, 2.0
# Input plausibility bounds for one dose in grams: the g/kg bounds times the weight bounds.
DOSE_G_MIN, DOSE_G_MAX = WEIGHT_KG_MIN * DOSE_G_PER_KG_MIN, WEIGHT_KG_MAX * DOSE_G_PER_KG_MAX
# Input plausibility bounds (not clinical limits): heights a student might type for any patient.
HEIGHT_CM_MIN, HEIGHT_CM_MAX = 100.0, 230.0
AGE_YEARS_MIN, AGE_YEARS_MAX = 0.0, 120.0   # input plausibility bound

INCHES_PER_CM = 0.393701            # cm -> inch as the NBA BloodSTAR calculator gives it (nba_ibw_calculator)
KG_PER_LB = 0.45359237              # exact, by the international definition of the pound (1959)

# Devine ideal body weight via the NBA BloodSTAR calculator (nba_ibw_calculator):
# base kg at 60 in, plus 2.3 kg per inch above 60 in.
DEVINE_BASE_KG = {"male": 50.0, "female": 45.5}
DEVINE_KG_PER_INCH = 2.3
DEVINE_BASE_HEIGHT_IN = 60.0        # 60 in = 152.4 cm
# Adjusted (dose-determining) weight = IBW + 0.4 x (actual - IBW) (nba_ibw_calculator;
# orbcon_dose_calculator, citing Pai & Paloucek 2000).
ADJUSTMENT_FACTOR = 0.4

OBESE_BMI = 30.0                    # ORBCoN: calculator MUST be used when BMI > 30 (orbcon_dose_calculator)
ORBCON_SHOULD_HEIGHT_CM = 152.4     # ORBCoN 'should' rule: height >= 152.4 cm ... (orbcon_dose_calculator)
ORBCON_SHOULD_WEIGHT_KG = {"male": 50.0, "female": 45.5}   # ... and weight above these (same source)
AU2026_ADULT_AGE_YEARS = 18.0       # BloodSTAR from 1 July 2026: actual weight under 18 y (lifeblood_abw2026)
AU2026_MIN_HEIGHT_CM = 152.0        # ... and under 152 cm (lifeblood_abw2026)

DOSE_STEP_G = 5.0                   # ORBCoN rounds doses to the nearest 5 g (orbcon_dose_calculator)
ROUNDING_TOLERANCE_PCT = 10.0       # stay within 10 % of the order, up or down (siegel2010_ppp)
# Input bounds for a rounding step: the smallest and largest vials in the reference product
# table (Flebogamma 5% DIF 0.5 g, flebogamma5_eu_smpc; Gamunex-C 40 g, gamunexc_us_pi).
STEP_G_MIN, STEP_G_MAX = 0.5, 40.0
VIAL_UNIT_G = 0.5                   # vial search works in 0.5 g units (smallest verified vial)

# Input plausibility bounds for schedules (not dosing limits): the longest course in the
# workbook's sources is 5 days (Achiron 1998; EFNS 2008); AIMS ran 2 years, so 10 years is ample.
DAYS_PER_COURSE_MAX = 5
HORIZON_DAYS_MAX = 3650

RULES = ("actual", "ideal", "adjusted", "ontario", "australia_2026")
RULE_LABELS = {"actual": "Actual body weight", "ideal": "Ideal body weight (Devine)",
               "adjusted": "Adjusted body weight", "ontario": "Ontario: adjusted if BMI > 30",
               "australia_2026": "Australia from July 2026"}
DOSE_LEVELS = ("low", "mid", "high")


# ---------------------------------------------------------------- input checks and units

def check_weight_kg(weight_kg: float) -> float:
    """Weight in kg, or ValueError if outside 2-300 kg."""
    return number_in_range("Weight", weight_kg, WEIGHT_KG_MIN, WEIGHT_KG_MAX, "kg")


def check_dose_g_per_kg(dose_g_per_kg: float) -> float:
    """Dose in g/kg, or ValueError if outside 0.01-2 g/kg."""
    return number_in_range("Dose", dose_g_per_kg, DOSE_G_PER_KG_MIN, DOSE_G_PER_KG_MAX, "g/kg")


def check_dose_g(dose_g: float) -> float:
    """Dose in grams, or ValueError if outside 0.02-600 g."""
    return number_in_range("Dose", dose_g, DOSE_G_MIN, DOSE_G_MAX, "g")


def check_height_cm(height_cm: float) -> float:
    """Height in cm, or ValueError if outside 100-230 cm."""
    return number_in_range("Height", height_cm, HEIGHT_CM_MIN, HEIGHT_CM_MAX, "cm")


def check_sex(sex: str) -> str:
    """'female' or 'male' (any case), or ValueError."""
    value = sex.strip().lower() if isinstance(sex, str) else None
    if value not in DEVINE_BASE_KG:
        raise ValueError(f"Sex must be 'female' or 'male' for the Devine formula; got '{sex}'.")
    return value


def _whole(name: str, value, low: int, high: int, unit: str) -> int:
    number = number_in_range(name, value, low, high, unit)
    if number != int(number):
        raise ValueError(f"{name} must be a whole number of {unit}; got {number:g}.")
    return int(number)


def kg_from_lb(weight_lb: float) -> float:
    """Pounds -> kilograms."""
    return number_in_range("Weight", weight_lb, 0, WEIGHT_KG_MAX / KG_PER_LB, "lb") * KG_PER_LB


def lb_from_kg(weight_kg: float) -> float:
    """Kilograms -> pounds."""
    return number_in_range("Weight", weight_kg, 0, WEIGHT_KG_MAX, "kg") / KG_PER_LB


# ---------------------------------------------------------------- body-size formulas

def ideal_body_weight_kg(height_cm: float, sex: str) -> float:
    """Devine ideal body weight (kg): base (50 kg male, 45.5 kg female) + 2.3 kg per inch over 60 in.

    The formula is meant for adults at least 60 in (152.4 cm) tall. It is not clamped: below
    60 in it subtracts 2.3 kg per inch, so at 100 cm it gives 2.6 kg (male) and -2.0 kg
    (female), numbers with no meaning. dosing_weight() refuses such results.
    """
    height_in = check_height_cm(height_cm) * INCHES_PER_CM
    return DEVINE_BASE_KG[check_sex(sex)] + DEVINE_KG_PER_INCH * (height_in - DEVINE_BASE_HEIGHT_IN)


def adjusted_body_weight_kg(actual_kg: float, height_cm: float, sex: str) -> float:
    """Adjusted (dose-determining) weight in kg: IBW + 0.4 x (actual - IBW)."""
    ibw_kg = ideal_body_weight_kg(height_cm, sex)
    return ibw_kg + ADJUSTMENT_FACTOR * (check_weight_kg(actual_kg) - ibw_kg)


def bmi(weight_kg: float, height_cm: float) -> float:
    """Body-mass index in kg/m2."""
    return check_weight_kg(weight_kg) / (check_height_cm(height_cm) / 100) ** 2


# ---------------------------------------------------------------- dosing weight

@dataclass(frozen=True)
class DosingWeight:
    """The weight (kg) a dose is calculated on, which rule chose it, and why."""

    weight_kg: float
    rule: str        # one of RULES
    basis: str       # actual | ideal | adjusted
    reason: str      # why, in a student's words
    ibw_kg: float
    adjusted_kg: float
    bmi: float
    actual_kg: float


def _ontario(actual_kg: float, height_cm: float, sex: str, body_mass: float) -> tuple[str, str]:
    if body_mass > OBESE_BMI:
        return "adjusted", (f"BMI {body_mass:.1f} is above 30, so Ontario's rule says the dose calculator "
                            "must be used: the dose is based on adjusted body weight.")
    should = height_cm >= ORBCON_SHOULD_HEIGHT_CM and actual_kg > ORBCON_SHOULD_WEIGHT_KG[sex]
    text = f"BMI {body_mass:.1f} is 30 or less, so Ontario's 'must' rule does not apply and actual weight is used."
    if should:
        text += (f" Ontario says the calculator 'should' still be used for patients at least 152.4 cm tall "
                 f"and over {ORBCON_SHOULD_WEIGHT_KG[sex]:g} kg ({sex}), as this patient is: "
                 "choose the 'adjusted' rule to follow that advice.")
    else:
        text += (f" Ontario's 'should' rule (at least 152.4 cm tall and over {ORBCON_SHOULD_WEIGHT_KG[sex]:g} kg "
                 f"for a {sex}) does not apply either.")
    return "actual", text


def _australia_2026(actual_kg: float, height_cm: float, adjusted_kg: float, age_years, pregnant) -> tuple[str, str]:
    exceptions = []
    if age_years is not None and age_years < AU2026_ADULT_AGE_YEARS:
        exceptions.append(f"is under 18 years old ({age_years:g})")
    if height_cm < AU2026_MIN_HEIGHT_CM:
        exceptions.append(f"is shorter than 152 cm ({height_cm:g} cm)")
    if pregnant:
        exceptions.append("is pregnant")
    if actual_kg < adjusted_kg:
        exceptions.append(f"weighs less ({actual_kg:g} kg) than the adjusted weight ({adjusted_kg:.1f} kg)")
    if exceptions:
        basis, text = "actual", ("BloodSTAR's 2026 rule uses actual weight because the patient "
                                 + " and ".join(exceptions) + ".")
    else:
        basis, text = "adjusted", ("From 1 July 2026 BloodSTAR doses on adjusted body weight by default; "
                                   "a prescriber may still choose actual weight with a clinical reason.")
    if age_years is None:
        text += " Age was not given, so the patient was treated as an adult."
    return basis, text


def dosing_weight(actual_kg: float, height_cm: float, sex: str, rule: str = "actual", *,
                  age_years: float | None = None, pregnant: bool = False) -> DosingWeight:
    """The weight (kg) to dose on under `rule` (one of RULES), with IBW, adjusted weight and BMI."""
    actual_kg, height_cm, sex = check_weight_kg(actual_kg), check_height_cm(height_cm), check_sex(sex)
    if rule not in RULES:
        raise ValueError(f"Rule must be one of {', '.join(RULES)}; got '{rule}'.")
    if age_years is not None:
        age_years = number_in_range("Age", age_years, AGE_YEARS_MIN, AGE_YEARS_MAX, "years")
    ibw_kg = ideal_body_weight_kg(height_cm, sex)
    adjusted_kg = adjusted_body_weight_kg(actual_kg, height_cm, sex)
    body_mass = bmi(actual_kg, height_cm)

    if rule == "actual":
        basis, reason = "actual", "You chose actual body weight: the dose uses the weight measured on the scale."
    elif rule == "ideal":
        basis, reason = "ideal", "You chose ideal body weight: the Devine formula from height and sex."
    elif rule == "adjusted":
        basis, reason = "adjusted", ("You chose adjusted body weight: ideal weight plus 40 % of the weight "
                                     "above ideal.")
    elif rule == "ontario":
        basis, reason = _ontario(actual_kg, height_cm, sex, body_mass)
        if pregnant:
            reason += " Ontario doses pregnant patients on their pre-pregnancy weight: enter that as actual weight."
    else:
        basis, reason = _australia_2026(actual_kg, height_cm, adjusted_kg, age_years, pregnant)

    weight_kg = {"actual": actual_kg, "ideal": ibw_kg, "adjusted": adjusted_kg}[basis]
    if basis != "actual" and not WEIGHT_KG_MIN <= weight_kg <= WEIGHT_KG_MAX:
        raise ValueError(f"The {basis} weight for a {height_cm:g} cm {sex} comes out at {weight_kg:.1f} kg: the "
                         "Devine formula is meant for adults at least 152.4 cm tall; use actual weight.")
    if basis != "actual" and height_cm < ORBCON_SHOULD_HEIGHT_CM:
        reason += " Note: the Devine formula is meant for adults at least 152.4 cm (60 in) tall."
    return DosingWeight(weight_kg, rule, basis, reason, ibw_kg, adjusted_kg, body_mass, actual_kg)


def dosing_weight_kg(actual_kg: float, height_cm: float, sex: str, rule: str = "actual", *,
                     age_years: float | None = None, pregnant: bool = False) -> float:
    """Just the dosing weight in kg (see dosing_weight)."""
    return dosing_weight(actual_kg, height_cm, sex, rule, age_years=age_years, pregnant=pregnant).weight_kg


# ---------------------------------------------------------------- grams

def weights_by_rule(actual_kg: float, height_cm: float, sex: str, *, age_years: float | None = None,
                    pregnant: bool = False) -> pd.DataFrame:
    """The dosing weight (kg) under every rule in RULES, with the basis and the reason."""
    rows = [dosing_weight(actual_kg, height_cm, sex, rule, age_years=age_years, pregnant=pregnant)
            for rule in RULES]
    return pd.DataFrame({"rule": [w.rule for w in rows], "weight_kg": [w.weight_kg for w in rows],
                         "basis": [w.basis for w in rows], "reason": [w.reason for w in rows]})


def dose_g(weight_kg: float, dose_g_per_kg: float) -> float:
    """Grams of IgG for one dose: weight (kg) x dose (g/kg), before any rounding to vials."""
    return check_weight_kg(weight_kg) * check_dose_g_per_kg(dose_g_per_kg)


def dose_by_weight(dose_g_per_kg: float, weights_kg) -> pd.DataFrame:
    """Table of dose (g) against weight (kg) for one dose in g/kg."""
    dose = check_dose_g_per_kg(dose_g_per_kg)
    weights = np.asarray([check_weight_kg(w) for w in weights_kg], dtype=float)
    return pd.DataFrame({"weight_kg": weights, "dose_g": weights * dose})


# ---------------------------------------------------------------- rounding

@dataclass(frozen=True)
class Rounding:
    """An ordered dose (g) rounded to a step, and how far the rounding moved it (%)."""

    ordered_g: float
    rounded_g: float
    step_g: float
    deviation_pct: float      # (rounded - ordered) / ordered x 100
    within_tolerance: bool    # |deviation| <= 10 % (siegel2010_ppp)


def round_dose_g(dose_g: float, step_g: float = DOSE_STEP_G) -> float:
    """The multiple of step_g (g) nearest to dose_g (g).

    Ties (exactly half a step) round up, so a tie never gives less than ordered. A dose below
    half a step rounds to 0 g; round_dose() flags that as outside the 10 % band."""
    dose_g = check_dose_g(dose_g)
    step_g = number_in_range("Rounding step", step_g, STEP_G_MIN, STEP_G_MAX, "g")
    return float(math.floor(dose_g / step_g + 0.5) * step_g)


def _deviation_pct(actual_g: float, ordered_g: float) -> float:
    return round(100 * (actual_g - ordered_g) / ordered_g, 9) + 0.0   # 9 decimals hide float noise; no -0.0


def round_dose(dose_g: float, step_g: float = DOSE_STEP_G) -> Rounding:
    """dose_g rounded to step_g, with the deviation (%) and whether it stays within 10 %."""
    rounded_g = round_dose_g(dose_g, step_g)
    deviation = _deviation_pct(rounded_g, float(dose_g))
    return Rounding(float(dose_g), rounded_g, float(step_g), deviation,
                    abs(deviation) <= ROUNDING_TOLERANCE_PCT)


# ---------------------------------------------------------------- vials

@dataclass(frozen=True)
class VialPick:
    """Vials for one dose: (size_g, count) pairs, largest size first, and the waste."""

    dose_g: float
    vials: tuple[tuple[float, int], ...]
    total_g: float
    waste_g: float            # total - dose; negative for a round-down alternative
    deviation_pct: float      # (total - dose) / dose x 100
    flagged: bool             # |deviation| > 10 % (siegel2010_ppp)
    note: str
    alternative: VialPick | None = None   # nearest total below the dose, if within 10 %

    def describe(self) -> str:
        """'2 x 20 g + 1 x 5 g'."""
        return " + ".join(f"{count} x {size:g} g" for size, count in self.vials)


def _vial_sizes(product_or_sizes) -> tuple[str, tuple[float, ...]]:
    if isinstance(product_or_sizes, str):
        product_or_sizes = catalog.product(product_or_sizes)
    if hasattr(product_or_sizes, "vial_sizes_g"):
        name, sizes = product_or_sizes.name, tuple(product_or_sizes.vial_sizes_g)
    else:
        name, sizes = "this product", tuple(product_or_sizes)
    if not sizes:
        raise ValueError(f"The vial sizes of {name} are not known from a verified source; pick another product.")
    for size in sizes:
        number_in_range("Vial size", size, STEP_G_MIN, 1000, "g")
        if abs(size / VIAL_UNIT_G - round(size / VIAL_UNIT_G)) > 1e-9:
            raise ValueError(f"Vial sizes must be multiples of {VIAL_UNIT_G:g} g; got {size:g}.")
    return name, tuple(sorted(set(float(s) for s in sizes), reverse=True))


def _fewest_vials(sizes_g: tuple[float, ...], top_units: int) -> list[tuple[int, ...] | None]:
    """For every total 0..top_units (0.5 g units), the vial counts (per size) using fewest vials."""
    units = [round(s / VIAL_UNIT_G) for s in sizes_g]
    best: list[tuple[int, ...] | None] = [None] * (top_units + 1)
    best[0] = (0,) * len(units)
    for total in range(1, top_units + 1):
        for i, unit in enumerate(units):                  # largest vials first: they win ties
            prev = best[total - unit] if total >= unit else None
            if prev is not None and (best[total] is None or sum(prev) + 1 < sum(best[total])):
                best[total] = prev[:i] + (prev[i] + 1,) + prev[i + 1:]
    return best


def _pick(dose: float, sizes_g, counts, note: str) -> VialPick:
    vials = tuple((size, n) for size, n in zip(sizes_g, counts) if n)
    total_g = sum(size * n for size, n in vials)
    deviation = _deviation_pct(total_g, dose)
    return VialPick(dose, vials, total_g, round(total_g - dose, 9) + 0.0, deviation,
                    abs(deviation) > ROUNDING_TOLERANCE_PCT, note)


def pick_vials(dose_g: float, product_or_sizes) -> VialPick:
    """The vials (a product id, a Product, or sizes in g) that cover dose_g with least waste.

    Exact search: among combinations whose total is at least the dose (ignoring float noise
    below 1e-9 g, so 0.4 x 70 = 28.000000000000004 g takes 28 g), the smallest total, then the
    fewest vials (larger vials win remaining ties). The nearest total below the dose is reported as `alternative` when
    it is within 10 % (practice rounds to the nearest vial within 10 %, siegel2010_ppp)."""
    dose = check_dose_g(dose_g)
    name, sizes_g = _vial_sizes(product_or_sizes)
    target = math.ceil(dose / VIAL_UNIT_G - 1e-9)          # fewest 0.5 g units that cover the dose
    best = _fewest_vials(sizes_g, target + round(sizes_g[0] / VIAL_UNIT_G))
    above = next(t for t in range(target, len(best)) if best[t] is not None)
    below = next((t for t in range(min(target, math.floor(dose / VIAL_UNIT_G + 1e-9)), 0, -1)
                  if best[t] is not None and t * VIAL_UNIT_G < dose), None)

    pick = _pick(dose, sizes_g, best[above], "")
    note = f"{pick.describe()} = {pick.total_g:g} g for {dose:.1f} g ordered ({pick.deviation_pct:+.1f} %)."
    if pick.flagged:
        note += " That is more than 10 % over the order: ask the prescriber, or pick a product with smaller vials."
    alternative = None
    if below is not None and pick.waste_g > 0:
        candidate = _pick(dose, sizes_g, best[below], "")
        if not candidate.flagged:
            alternative = candidate
            note += (f" Rounding down to {candidate.describe()} = {candidate.total_g:g} g "
                     f"({candidate.deviation_pct:+.1f} %) is also within 10 %.")
    return VialPick(pick.dose_g, pick.vials, pick.total_g, pick.waste_g, pick.deviation_pct,
                    pick.flagged, note, alternative)


# ---------------------------------------------------------------- infusion days

def _check_plan(days_per_course, interval_days, horizon_days) -> tuple[int, int | None, int]:
    days = _whole("Days per course", days_per_course, 1, DAYS_PER_COURSE_MAX, "days")
    horizon = _whole("The time horizon", horizon_days, 1, HORIZON_DAYS_MAX, "days")
    if interval_days is not None:
        interval_days = _whole("The interval between courses", interval_days, 1, HORIZON_DAYS_MAX, "days")
        if interval_days < days:
            raise ValueError(f"The interval between courses ({interval_days} days) must be at least "
                             f"the course length ({days} days).")
    return days, interval_days, horizon


def _course_days(first_day: int, days: int, interval, courses, horizon: int) -> list[int]:
    """Infusion days of courses starting at first_day and every `interval` days, before the horizon."""
    starts = [first_day] if interval is None else range(first_day, horizon, interval)
    if courses is not None:
        starts = list(starts)[:courses]
    return [start + d for start in starts for d in range(days) if start + d < horizon]


def plan_infusions(dosing_weight_kg: float, g_per_kg_per_day: float, days_per_course: int,
                   interval_days: int | None = None, horizon_days: int = 365) -> pd.DataFrame:
    """Columns day (0 = first infusion) and dose_g (unrounded): one row per infusion day.

    Courses of days_per_course days repeat every interval_days days (None = one course only);
    days on or after horizon_days are left out."""
    per_day_g = dose_g(dosing_weight_kg, g_per_kg_per_day)
    days, interval, horizon = _check_plan(days_per_course, interval_days, horizon_days)
    infusion_days = _course_days(0, days, interval, None, horizon)
    return pd.DataFrame({"day": pd.Series(infusion_days, dtype=int),
                         "dose_g": pd.Series([per_day_g] * len(infusion_days), dtype=float)})


def _maintenance_g_per_kg(reg, dose: str) -> float:
    low, high = reg.dose_g_per_kg_per_day_low, reg.dose_g_per_kg_per_day_high
    if low is None and high is None:
        raise ValueError(f"The regimen '{reg.regimen_id}' gives no dose per kg or fixed dose.")
    low, high = (high if low is None else low), (low if high is None else high)
    return {"low": low, "high": high, "mid": (low + high) / 2}[dose]


def regimen_plan(regimen, dosing_weight_kg: float, horizon_days: int = 365, dose: str = "low") -> pd.DataFrame:
    """Columns day, dose_g (unrounded) and phase (loading | maintenance) for a regimen id or Regimen.

    The loading course (if any) starts on day 0. Maintenance courses start one interval after
    the loading course started (or on day 0 without loading), then every interval_days, for at
    most `courses` courses and before the horizon. With no interval the maintenance course is
    given once, the day after loading ends. Fixed-dose regimens (g/day) ignore the weight;
    `dose` picks the low, high or mid value of a g/kg range."""
    if isinstance(regimen, str):
        regimen = catalog.regimen(regimen)
    if dose not in DOSE_LEVELS:
        raise ValueError(f"Dose level must be one of {', '.join(DOSE_LEVELS)}; got '{dose}'.")
    weight_kg = check_weight_kg(dosing_weight_kg)
    fixed_g = regimen.fixed_dose_g_per_day
    days, interval, horizon = _check_plan(regimen.days_per_course, regimen.interval_days, horizon_days)
    rows = []
    loading_days = regimen.loading_days or 0
    if loading_days:
        per_kg = regimen.loading_g_per_kg_per_day
        if per_kg is None and fixed_g is None:
            raise ValueError(f"The regimen '{regimen.regimen_id}' has loading days but no loading dose.")
        loading_g = check_dose_g(fixed_g) if per_kg is None else dose_g(weight_kg, per_kg)
        loading_days = _whole("Loading days", loading_days, 1, DAYS_PER_COURSE_MAX, "days")
        rows += [(day, loading_g, "loading") for day in _course_days(0, loading_days, None, None, horizon)]
    first = 0 if not loading_days else (loading_days if interval is None else interval)
    per_day_g = (check_dose_g(fixed_g) if fixed_g is not None
                 else dose_g(weight_kg, _maintenance_g_per_kg(regimen, dose)))
    rows += [(day, per_day_g, "maintenance")
             for day in _course_days(first, days, interval, regimen.courses, horizon)]
    table = pd.DataFrame(rows, columns=["day", "dose_g", "phase"])
    return table.astype({"day": int, "dose_g": float, "phase": str})
