"""Pre-infusion screening: patient factors become flags, and product needs sort the products.

Each factor's flag, action, monitoring and product needs come from data/screening_factors.csv
(with sources); this module only combines them. Educational, not a clinical checklist.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ivigkit import data
from ivigkit.validate import number_in_range

SEVERITY_ORDER = ("contraindication", "caution", "monitor")
NEEDS = ("no_sugar", "no_sucrose", "no_maltose", "low_sodium", "low_iga", "low_osmolality", "rate_cap")
NEED_LABELS = {"no_sugar": "no sugar", "no_sucrose": "no sucrose", "no_maltose": "no maltose",
               "low_sodium": "low sodium", "low_iga": "low IgA", "low_osmolality": "low osmolality",
               "rate_cap": "a lower maximum rate for patients at risk"}
# Thresholds for "low": teaching assumptions the learner can change, not label values
# (see data/model_parameters.csv, module "screening").
LOW_IGA_MAX_UG_PER_ML = 50.0
LOW_OSMOLALITY_MAX_MOSM_PER_KG = 350.0


@dataclass(frozen=True)
class Flag:
    """One ticked factor: how serious, why, what to do and watch, and where it comes from."""

    factor_id: str
    factor: str
    severity: str
    flag: str
    action: str
    monitoring: str
    needs: tuple[str, ...]
    source_ids: str
    verified: str


@dataclass(frozen=True)
class Screening:
    """All flags (most serious first), the product needs they add up to, and whether any
    factor is a contraindication."""

    flags: tuple[Flag, ...]
    needs: tuple[str, ...]

    @property
    def contraindicated(self) -> bool:
        return any(f.severity == "contraindication" for f in self.flags)

    @property
    def monitoring_plan(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.monitoring for f in self.flags if f.monitoring))


@functools.lru_cache(maxsize=4)
def _factors(version: tuple) -> pd.DataFrame:
    return data.load("screening_factors").set_index("factor_id", drop=False)


def factors() -> pd.DataFrame:
    """data/screening_factors.csv, indexed by factor_id."""
    return _factors(data.version("screening_factors"))


def screen(factor_ids: Iterable[str]) -> Screening:
    """Flags for the ticked factors (ids of screening_factors.csv); unknown ids are an error."""
    table = factors()
    chosen = list(dict.fromkeys(factor_ids))
    unknown = [f for f in chosen if f not in table.index]
    if unknown:
        raise ValueError(f"Unknown patient factor(s): {', '.join(unknown)}. "
                         f"Known factors: {', '.join(table.index)}.")
    flags = []
    for factor_id in chosen:
        row = table.loc[factor_id]
        flags.append(Flag(factor_id, row["factor"], row["severity"], row["flag"], row["action"],
                          row["monitoring"] if isinstance(row["monitoring"], str) else "",
                          tuple(data.source_ids(row["product_needs"])), row["source_ids"], row["verified"]))
    flags.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    needs = tuple(dict.fromkeys(n for f in flags for n in f.needs))
    return Screening(tuple(flags), needs)


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != "unknown"


def _check(need: str, product: pd.Series, iga_max: float, osmolality_max: float) -> bool | None:
    """Does the product meet one need? None when the data cannot tell."""
    sugar = product["sugar"]
    if need in ("no_sugar", "no_sucrose", "no_maltose"):
        if not _known(sugar):
            return None
        if need == "no_sugar":
            return sugar == "none"
        return need.removeprefix("no_") not in str(sugar)
    if need == "low_iga":
        iga = product["iga_ug_per_ml"]
        return None if not _known(iga) else float(iga) <= iga_max
    if need == "low_osmolality":
        osm = product["osmolality_mosm_per_kg_high"]
        osm = product["osmolality_mosm_per_kg_low"] if not _known(osm) else osm
        return None if not _known(osm) else float(osm) <= osmolality_max
    if need == "rate_cap":
        return True if _known(product["at_risk_max_rate_mg_per_kg_min"]) else None
    return None  # low_sodium: the labels' sodium is text, not a comparable number


def product_suitability(needs: Iterable[str], *, iga_max_ug_per_ml: float = LOW_IGA_MAX_UG_PER_ML,
                        osmolality_max_mosm_per_kg: float = LOW_OSMOLALITY_MAX_MOSM_PER_KG) -> pd.DataFrame:
    """Every product with status 'suitable', 'check' (the data cannot tell for some need) or
    'unsuitable', and why: columns product_id, name, status, unmet, unknown, at_risk_max_rate_mg_per_kg_min."""
    needs = tuple(dict.fromkeys(needs))
    bad = [n for n in needs if n not in NEEDS]
    if bad:
        raise ValueError(f"Unknown product need(s): {', '.join(bad)}; use: {', '.join(NEEDS)}.")
    iga_max = number_in_range("The IgA limit", iga_max_ug_per_ml, 0, 1000, "µg/mL")
    osm_max = number_in_range("The osmolality limit", osmolality_max_mosm_per_kg, 200, 1000, "mOsm/kg")
    rows = []
    for _, product in data.load("products").iterrows():
        results = {n: _check(n, product, iga_max, osm_max) for n in needs}
        unmet = [NEED_LABELS[n] for n, ok in results.items() if ok is False]
        unknown = [NEED_LABELS[n] for n, ok in results.items() if ok is None]
        status = "unsuitable" if unmet else "check" if unknown else "suitable"
        rows.append(dict(product_id=product["product_id"], name=product["name"], status=status,
                         unmet="; ".join(unmet), unknown="; ".join(unknown),
                         at_risk_max_rate_mg_per_kg_min=product["at_risk_max_rate_mg_per_kg_min"]))
    order = {"suitable": 0, "check": 1, "unsuitable": 2}
    table = pd.DataFrame(rows)
    return table.sort_values("status", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
