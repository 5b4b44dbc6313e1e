"""Infusion-rate ladders: how long one IVIG dose takes, step by step, and at how many mL/h.

Rates are in mg/kg/min as labels give them. For a product of concentration c % (c x 10 mg/mL):
mL/kg/min = rate / (c x 10), so 1 mg/kg/min of a 10 % product is 0.01 mL/kg/min, and
0.5 mg/kg/min of a 5 % product is 0.01 mL/kg/min.
Educational material only; not for clinical use.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from ivigkit.dosing import check_dose_g, check_weight_kg
from ivigkit.validate import number_in_range
from ivigkit.data import catalog

# TEACHING ASSUMPTION, not from a label: where a label gives an initial and a maximum rate but
# no ladder, the rate doubles at each step from the initial rate up to the maximum; a step lasts
# the label's interval if it gives one, else 30 minutes. Apps let the learner change both
# (schedule_for's assumed_step_minutes and assumed_step_factor).
ASSUMED_STEP_MINUTES = 30.0
ASSUMED_STEP_FACTOR = 2.0

MG_PER_ML_PER_PCT = 10.0      # a 1 % solution holds 10 mg/mL (1 g per 100 mL)


def ml_per_kg_min(rate_mg_per_kg_min: float, concentration_pct: float) -> float:
    """mg/kg/min -> mL/kg/min for a product of this concentration (%)."""
    return rate_mg_per_kg_min / (concentration_pct * MG_PER_ML_PER_PCT)


def ml_per_h(rate_mg_per_kg_min: float, weight_kg: float, concentration_pct: float) -> float:
    """Pump rate in mL/h for this patient: mg/kg/min x kg x 60 / (concentration % x 10)."""
    return ml_per_kg_min(rate_mg_per_kg_min, concentration_pct) * weight_kg * 60


@dataclass(frozen=True)
class Step:
    """One step of the ladder: minutes from the start, duration, rate, and what it delivers."""

    start_min: float
    minutes: float
    rate_mg_per_kg_min: float
    rate_ml_per_h: float      # for this patient and product
    grams_given: float
    volume_ml: float


@dataclass(frozen=True)
class Schedule:
    """The whole infusion: its steps, total minutes and volume (mL), the top rate used."""

    steps: tuple[Step, ...]
    total_minutes: float
    volume_ml: float
    max_rate_used: float      # mg/kg/min
    assumption: str | None    # teaching assumptions and cautions, or None
    product_id: str
    dose_g: float
    weight_kg: float

    def steps_table(self) -> pd.DataFrame:
        """The steps as a table: start_min, minutes, rate_mg_per_kg_min, rate_ml_per_h,
        grams_given, volume_ml."""
        return pd.DataFrame([asdict(step) for step in self.steps])


def _ladder(product, at_risk: bool, max_rate, step_minutes_assumed: float = ASSUMED_STEP_MINUTES,
            factor: float = ASSUMED_STEP_FACTOR) -> tuple[list[float], float, list[str]]:
    """Rates (mg/kg/min), minutes per step, and the assumption sentences, for this product."""
    name = product.name
    missing = [what for what, value in (("concentration", product.concentration_pct),
                                        ("maximum infusion rate", product.max_rate_mg_per_kg_min))
               if value is None]
    ladder = list(product.rate_steps_mg_per_kg_min)
    if not ladder and product.initial_rate_mg_per_kg_min is None:
        missing.append("initial infusion rate")
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise ValueError(f"The {' and '.join(missing)} of {name} {verb} not known from a verified source; "
                         "pick another product.")
    label_max = product.max_rate_mg_per_kg_min
    notes = []
    cap = label_max
    if at_risk:
        if product.at_risk_max_rate_mg_per_kg_min is not None:
            cap = min(label_max, product.at_risk_max_rate_mg_per_kg_min)
            if product.at_risk_cap_restricts == "no":
                notes.append(f"The {name} label's ceiling for patients at risk ({product.at_risk_max_rate_mg_per_kg_min:g} "
                             "mg/kg/min) is the same as its usual maximum, so it adds no restriction; labels advise "
                             "the minimum practicable rate, so consider a lower maximum.")
        else:
            notes.append(f"The {name} label read here gives no lower maximum rate for patients at risk of kidney "
                         "problems or thrombosis; labels advise the minimum practicable rate, so consider "
                         "a lower maximum.")
    if max_rate is not None:
        chosen = number_in_range("The maximum rate", max_rate, 0.01, label_max, "mg/kg/min")
        if at_risk and chosen > cap:
            notes.append(f"Your maximum of {chosen:g} mg/kg/min is above the label's {cap:g} mg/kg/min "
                         "for patients at risk.")
        cap = chosen

    minutes = product.step_minutes
    if ladder and minutes is None:
        minutes = step_minutes_assumed
        notes.append(f"The label's rate steps are used, but it gives no time per step: each step is assumed "
                     f"to last {minutes:g} minutes (a teaching assumption, not a label fact).")
    elif not ladder:
        timing = (f"every {minutes:g} minutes (the label's interval)" if minutes is not None else
                  f"every {step_minutes_assumed:g} minutes")
        minutes = step_minutes_assumed if minutes is None else minutes
        rate = product.initial_rate_mg_per_kg_min
        while rate < label_max:
            ladder.append(rate)
            rate *= factor
        ladder.append(label_max)
        rise = "double" if factor == 2 else f"rise {factor:g}-fold"
        notes.append(f"The label gives no rate steps, so the rate is assumed to start at "
                     f"{product.initial_rate_mg_per_kg_min:g} mg/kg/min and {rise} {timing} up to "
                     f"{cap:g} mg/kg/min (a teaching assumption, not a label fact).")
    rates = [rate for rate in ladder if rate < cap]
    if cap <= ladder[-1]:
        rates.append(cap)       # the cap becomes the last step (or the only one, below the first rate)
    return rates, minutes, notes


def schedule_for(dose_g: float, weight_kg: float, product, at_risk: bool = False, *,
                 max_rate_mg_per_kg_min: float | None = None,
                 assumed_step_minutes: float = ASSUMED_STEP_MINUTES,
                 assumed_step_factor: float = ASSUMED_STEP_FACTOR) -> Schedule:
    """The infusion ladder for dose_g (g) at weight_kg (kg) for a Product record.

    Each step runs its minutes; the last runs until the dose is given, and the schedule stops
    early if the dose is given during an earlier step. at_risk caps the rate at the label's
    at-risk maximum; max_rate_mg_per_kg_min (at most the label maximum) overrides the cap.
    The two assumed_* values apply only where the label gives no ladder or no step time."""
    dose, weight = check_dose_g(dose_g), check_weight_kg(weight_kg)
    minutes_assumed = number_in_range("Minutes per step", assumed_step_minutes, 5, 120, "min")
    factor = number_in_range("Step factor", assumed_step_factor, 1.1, 4, "x")
    rates, step_minutes, notes = _ladder(product, at_risk, max_rate_mg_per_kg_min, minutes_assumed, factor)
    concentration = product.concentration_pct
    steps, start, remaining_mg = [], 0.0, dose * 1000
    for i, rate in enumerate(rates):
        mg_per_min = rate * weight
        last = i == len(rates) - 1 or remaining_mg <= mg_per_min * step_minutes
        minutes = remaining_mg / mg_per_min if last else step_minutes
        grams = mg_per_min * minutes / 1000
        steps.append(Step(start, minutes, float(rate), ml_per_h(rate, weight, concentration), grams,
                          grams * 1000 / (concentration * MG_PER_ML_PER_PCT)))
        start, remaining_mg = start + minutes, remaining_mg - mg_per_min * minutes
        if last:
            break
    return Schedule(tuple(steps), start, dose * 1000 / (concentration * MG_PER_ML_PER_PCT),
                    steps[-1].rate_mg_per_kg_min, " ".join(notes) or None, product.product_id, dose, weight)


def schedule(dose_g: float, weight_kg: float, product_id: str, at_risk: bool = False, *,
             max_rate_mg_per_kg_min: float | None = None) -> Schedule:
    """The infusion ladder for a product id in data/products.csv (see schedule_for)."""
    return schedule_for(dose_g, weight_kg, catalog.product(product_id), at_risk,
                        max_rate_mg_per_kg_min=max_rate_mg_per_kg_min)


def infusion_minutes(dose_g: float, weight_kg: float, product_id: str, at_risk: bool = False) -> float:
    """Total minutes to infuse dose_g (g) at weight_kg (kg)."""
    return schedule(dose_g, weight_kg, product_id, at_risk).total_minutes
