"""One patient, one regimen, one product: every number the dose-and-cost simulator shows.

Composes the models (dosing, infusion, pk, cost) so that notebooks and cases ask one question
and get one answer; it adds no clinical rule of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ivigkit import cost, dosing, infusion, pk
from ivigkit.data import catalog


@dataclass(frozen=True)
class Patient:
    """The learner's patient: actual weight in kg, height in cm."""

    weight_kg: float
    height_cm: float
    sex: str
    age_years: float | None = None
    pregnant: bool = False


@dataclass(frozen=True)
class Insurance:
    """Plan terms for the patient's share of a year's cost (US dollars, percent)."""

    deductible_usd: float = 0.0
    coinsurance_pct: float = 20.0
    oop_max_usd: float = 10_000.0
    copay_assistance_usd: float = 0.0


@dataclass(frozen=True)
class Choices:
    """What the learner picked besides the patient."""

    regimen_id: str
    product_id: str
    rule: str = "actual"
    dose_level: str = "low"                  # low | mid | high, for regimens given as a range
    price_usd_per_g: float = 70.22
    site: str = "infusion_centre"
    at_risk: bool = False
    saturable_pk: bool = False
    insurance: Insurance = field(default_factory=Insurance)
    horizon_days: int = 365


@dataclass(frozen=True)
class Simulation:
    """Everything one simulator run produces."""

    patient: Patient
    choices: Choices
    dosing_weight: dosing.DosingWeight
    regimen: catalog.Regimen
    product: catalog.Product
    plan: pd.DataFrame               # day, phase, dose_g, rounded_g, vials, billed_g, chair_minutes
    typical_dose: dosing.Rounding    # the maintenance dose (or the only dose), rounded
    vials: dosing.VialPick
    schedule: infusion.Schedule
    profile: pd.DataFrame            # day, igg_g_per_l
    troughs: pd.DataFrame            # day, igg_g_per_l
    annual: cost.AnnualCost
    share: cost.PatientShare
    price_bands: tuple[PriceBand, ...]  # the year's total over sourced prices and over the claim


@dataclass(frozen=True)
class PriceBand:
    """A year's total cost (USD) at the low and high end of a per-gram price range."""

    label: str
    price_usd_per_g_low: float
    price_usd_per_g_high: float
    total_usd_low: float
    total_usd_high: float


def simulate(patient: Patient, choices: Choices) -> Simulation:
    """Run every model for this patient and these choices (ValueError on bad input)."""
    weight = dosing.dosing_weight(patient.weight_kg, patient.height_cm, patient.sex, choices.rule,
                                  age_years=patient.age_years, pregnant=patient.pregnant)
    regimen = catalog.regimen(choices.regimen_id)
    product = catalog.product(choices.product_id)
    plan = dosing.regimen_plan(regimen, weight.weight_kg, horizon_days=choices.horizon_days,
                               dose=choices.dose_level)
    per_dose = {}
    for dose_g in dict.fromkeys(plan["dose_g"].tolist()):
        rounding = dosing.round_dose(dose_g)
        pick = dosing.pick_vials(rounding.rounded_g, product.vial_sizes_g)
        sched = infusion.schedule_for(rounding.rounded_g, patient.weight_kg, product, choices.at_risk)
        per_dose[dose_g] = dict(rounded_g=rounding.rounded_g, vials=pick.describe(),
                                billed_g=pick.total_g, chair_minutes=sched.total_minutes)
    doses = plan["dose_g"].tolist()
    plan = plan.assign(**{column: [per_dose[g][column] for g in doses]
                          for column in ("rounded_g", "vials", "billed_g", "chair_minutes")})

    typical_g = plan.loc[plan["phase"] == "maintenance", "dose_g"]
    typical_g = typical_g.iloc[0] if len(typical_g) else plan["dose_g"].iloc[0]
    typical = dosing.round_dose(typical_g)
    vials = dosing.pick_vials(typical.rounded_g, product.vial_sizes_g)
    schedule = infusion.schedule_for(typical.rounded_g, patient.weight_kg, product, choices.at_risk)

    # The patient receives the rounded dose; whole vials are billed and the rest is waste.
    given = plan[["day"]].assign(dose_g=plan["rounded_g"])
    profile = pk.igg_profile(given, patient.weight_kg, saturable=choices.saturable_pk,
                             days=choices.horizon_days)
    billed = list(zip(plan["day"].tolist(), plan["billed_g"].tolist()))  # (day, grams) pairs
    annual = cost.annual_cost(billed, choices.price_usd_per_g, choices.site,
                              horizon_days=choices.horizon_days)
    bands = []
    for label, claims in (("sourced per-gram prices", False), ("the popular claim (unverified)", True)):
        low, high = cost.price_range_usd_per_g(claims=claims)
        totals = cost.price_band(billed, low, high, choices.site, horizon_days=choices.horizon_days)
        bands.append(PriceBand(label, low, high, *totals))
    ins = choices.insurance
    share = cost.patient_share(annual.total_usd, deductible_usd=ins.deductible_usd,
                               coinsurance_pct=ins.coinsurance_pct, oop_max_usd=ins.oop_max_usd,
                               copay_assistance_usd=ins.copay_assistance_usd)
    return Simulation(patient, choices, weight, regimen, product, plan, typical, vials, schedule,
                      profile, pk.troughs(profile, given), annual, share, tuple(bands))


def plan_table(sim: Simulation) -> pd.DataFrame:
    """The year's infusions with dose, vials, chair time and drug cost, for download (units in names)."""
    table = sim.plan.rename(columns={"vials": "vials_used"})
    return table.assign(
        drug_cost_usd=[cost.drug_cost_usd(g, sim.choices.price_usd_per_g) for g in table["billed_g"]],
        product_id=sim.product.product_id, regimen_id=sim.regimen.regimen_id,
        dosing_weight_kg=sim.dosing_weight.weight_kg)
