"""Products, regimens and prices from data/, as small frozen records for the models.

The CSV columns named here are the contract between data/ and the models: the schemas in
ivigkit/data/schemas/dosing.py validate them, and data/README.md documents their units. The
tables are read here and nowhere else.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ivigkit.data.ids import source_ids
from ivigkit.data.loader import load
from ivigkit.data.vocab import MODEL_MODULES


def _num(value) -> float | None:
    """A CSV number, or None where the cell is empty (unknown)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _numbers(text) -> tuple[float, ...]:
    """'5;10;20' -> (5.0, 10.0, 20.0); empty -> ()."""
    return tuple(float(part) for part in source_ids(text))


@dataclass(frozen=True)
class Product:
    """One IVIG product as its label describes it. None means not known from a verified source."""

    product_id: str
    name: str
    manufacturer: str
    concentration_pct: float | None
    stabiliser: str | None
    sugar: str                                   # none | sucrose | maltose | sorbitol | glucose | unknown
    sodium: str | None                           # label wording, e.g. "<30 mmol/L"
    iga_ug_per_ml: float | None                  # see iga_basis
    iga_basis: str | None                        # max | average
    osmolality_mosm_per_kg_low: float | None
    osmolality_mosm_per_kg_high: float | None
    vial_sizes_g: tuple[float, ...]              # verified sizes only
    initial_rate_mg_per_kg_min: float | None
    max_rate_mg_per_kg_min: float | None
    rate_indication: str | None                  # the labelled use the rates come from
    rate_steps_mg_per_kg_min: tuple[float, ...]  # the label's ladder, first to last; () if not given
    step_minutes: float | None                   # minutes at each step before the next
    at_risk_max_rate_mg_per_kg_min: float | None  # cap for renal or thrombotic risk
    step_rule: str                               # the label's titration rule, in our words
    verified: str
    source_ids: tuple[str, ...]
    note: str
    at_risk_cap_restricts: str | None = None     # yes | no (the cap equals the usual maximum) | None
    stabiliser_ids: tuple[str, ...] = ()         # ids of data/stabilisers.csv
    sucrose_free: str = "not_stated"             # yes | not_stated


@dataclass(frozen=True)
class Regimen:
    """A dosing regimen from a trial, guideline or popular claim.

    A course is `days_per_course` consecutive days at the per-day dose; courses repeat every
    `interval_days` (None = once). A loading course, if any, comes first."""

    regimen_id: str
    name: str
    population: str
    evidence: str                                # trial | guideline | case_series | commonly_quoted
    loading_g_per_kg_per_day: float | None
    loading_days: int | None
    dose_g_per_kg_per_day_low: float | None
    dose_g_per_kg_per_day_high: float | None
    fixed_dose_g_per_day: float | None           # fixed-dose regimens (10 g), else None
    days_per_course: int
    interval_days: int | None
    interval_text: str                           # as the source says it: "monthly", "every 6 weeks"
    courses: int | None                          # maintenance courses after loading; None = until horizon
    weight_basis: str                            # actual | adjusted
    verified: str
    source_ids: tuple[str, ...]
    note: str


def _text(value) -> str | None:
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) \
        else str(value)


def _int(value) -> int | None:
    number = _num(value)
    return None if number is None else int(number)


@lru_cache(maxsize=1)
def products() -> tuple[Product, ...]:
    """Every product in data/products.csv, in file order."""
    return tuple(Product(
        product_id=r.product_id, name=r.name, manufacturer=r.manufacturer,
        concentration_pct=_num(r.concentration_pct), stabiliser=_text(r.stabiliser),
        sugar=r.sugar, sodium=_text(r.sodium), iga_ug_per_ml=_num(r.iga_ug_per_ml),
        iga_basis=_text(r.iga_basis),
        osmolality_mosm_per_kg_low=_num(r.osmolality_mosm_per_kg_low),
        osmolality_mosm_per_kg_high=_num(r.osmolality_mosm_per_kg_high),
        vial_sizes_g=_numbers(r.vial_sizes_g),
        initial_rate_mg_per_kg_min=_num(r.initial_rate_mg_per_kg_min),
        max_rate_mg_per_kg_min=_num(r.max_rate_mg_per_kg_min),
        rate_indication=_text(r.rate_indication),
        rate_steps_mg_per_kg_min=_numbers(r.rate_steps_mg_per_kg_min),
        step_minutes=_num(r.step_minutes),
        at_risk_max_rate_mg_per_kg_min=_num(r.at_risk_max_rate_mg_per_kg_min),
        at_risk_cap_restricts=_text(r.at_risk_cap_restricts),
        stabiliser_ids=tuple(source_ids(r.stabiliser_ids)), sucrose_free=r.sucrose_free,
        step_rule=_text(r.step_rule) or "", verified=r.verified,
        source_ids=tuple(source_ids(r.source_ids)), note=_text(r.note) or "",
    ) for r in load("products").itertuples())


def product(product_id: str) -> Product:
    """The product with this id, or ValueError naming the choices."""
    for item in products():
        if item.product_id == product_id:
            return item
    choices = ", ".join(p.product_id for p in products())
    raise ValueError(f"Pick a product first: '{product_id}' is not one of {choices}.")


@lru_cache(maxsize=1)
def regimens() -> tuple[Regimen, ...]:
    """Every regimen in data/regimens.csv, in file order."""
    return tuple(Regimen(
        regimen_id=r.regimen_id, name=r.name, population=r.population, evidence=r.evidence,
        loading_g_per_kg_per_day=_num(r.loading_g_per_kg_per_day), loading_days=_int(r.loading_days),
        dose_g_per_kg_per_day_low=_num(r.dose_g_per_kg_per_day_low),
        dose_g_per_kg_per_day_high=_num(r.dose_g_per_kg_per_day_high),
        fixed_dose_g_per_day=_num(r.fixed_dose_g_per_day), days_per_course=int(r.days_per_course),
        interval_days=_int(r.interval_days), interval_text=r.interval_text, courses=_int(r.courses),
        weight_basis=r.weight_basis, verified=r.verified,
        source_ids=tuple(source_ids(r.source_ids)), note=_text(r.note) or "",
    ) for r in load("regimens").itertuples())


def regimen(regimen_id: str) -> Regimen:
    """The regimen with this id, or ValueError naming the choices."""
    for item in regimens():
        if item.regimen_id == regimen_id:
            return item
    choices = ", ".join(r.regimen_id for r in regimens())
    raise ValueError(f"Pick a regimen first: '{regimen_id}' is not one of {choices}.")


def prices() -> pd.DataFrame:
    """data/prices.csv: year-stamped prices, fees and comparator costs in US dollars."""
    return load("prices")


def model_parameters(module: str | None = None) -> pd.DataFrame:
    """data/model_parameters.csv: the models' clinical and teaching constants with their
    sources, in file order; only the rows of `module` (dosing, infusion, pk or cost) if given."""
    table = load("model_parameters")
    if module is None:
        return table
    if module not in MODEL_MODULES:
        raise ValueError(f"Pick a module: '{module}' is not one of {', '.join(MODEL_MODULES)}.")
    return table[table["module"] == module].reset_index(drop=True)
