"""Pre-infusion screening: patient factors become flags, and product needs sort the products.

Each factor's flag, action, monitoring and product needs come from data/screening_factors.csv
(with sources); which stabilisers are sugars, and why each matters, from data/stabilisers.csv.
A factor's `product_needs` are hard (a product that fails one is unsuitable); its
`product_prefers` are soft (a product that fails one is a second choice). Educational, not a
clinical checklist.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ivigkit import data
from ivigkit.validate import number_in_range

from ivigkit.data.vocab import PRODUCT_NEEDS, SEVERITIES

SEVERITY_ORDER = SEVERITIES
NEEDS = PRODUCT_NEEDS
NEED_LABELS = {"no_sugar": "no sugar", "no_sucrose": "no sucrose", "no_maltose": "no maltose",
               "no_glucose": "no glucose", "no_sorbitol": "no sorbitol", "no_proline": "no L-proline",
               "low_sodium": "low sodium", "low_iga": "low IgA", "low_osmolality": "low osmolality"}
#: The stabiliser each 'no_...' need excludes (the ids of data/stabilisers.csv).
EXCLUDED_STABILISER = {"no_sucrose": "sucrose", "no_maltose": "maltose", "no_glucose": "glucose",
                       "no_sorbitol": "sorbitol", "no_proline": "l_proline"}
#: Product statuses, best first: meets everything; the data cannot tell for a need; meets the
#: hard needs but not a preference; fails a hard need.
STATUSES = ("suitable", "check", "second_choice", "unsuitable")
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
    prefers: tuple[str, ...]
    source_ids: str
    verified: str
    renal_or_thrombotic_risk: bool = False


@dataclass(frozen=True)
class Screening:
    """All flags (most serious first), the product needs (hard) and preferences (soft) they add
    up to, and whether any factor is a contraindication."""

    flags: tuple[Flag, ...]
    needs: tuple[str, ...]
    prefers: tuple[str, ...] = ()

    @property
    def contraindicated(self) -> bool:
        return any(f.severity == "contraindication" for f in self.flags)

    @property
    def at_risk(self) -> bool:
        """A ticked factor is a labelled risk factor for kidney dysfunction or thrombosis: the
        infusion runs at the minimum practicable rate, under any at-risk ceiling of the label."""
        return any(f.renal_or_thrombotic_risk for f in self.flags)

    @property
    def rules_out_products(self) -> bool:
        """A ticked factor is a label contraindication of some products (not of IVIG as such)."""
        return any(f.severity == "product_contraindication" for f in self.flags)

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
                          tuple(data.source_ids(row["product_needs"])),
                          tuple(data.source_ids(row["product_prefers"])), row["source_ids"], row["verified"],
                          row["renal_or_thrombotic_risk"] == "yes"))
    flags.sort(key=lambda f: SEVERITY_ORDER.index(f.severity))
    needs = tuple(dict.fromkeys(n for f in flags for n in f.needs))
    prefers = tuple(n for n in dict.fromkeys(n for f in flags for n in f.prefers) if n not in needs)
    return Screening(tuple(flags), needs, prefers)


@functools.lru_cache(maxsize=4)
def _stabilisers(version: tuple) -> pd.DataFrame:
    return data.load("stabilisers").set_index("stabiliser_id", drop=False)


def stabilisers() -> pd.DataFrame:
    """data/stabilisers.csv, indexed by stabiliser_id: which are sugars and why each matters."""
    return _stabilisers(data.version("stabilisers"))


def stabiliser_reason(need: str) -> str:
    """Why a 'no_...' need matters, from data/stabilisers.csv ('' for other needs)."""
    stabiliser = EXCLUDED_STABILISER.get(need)
    return "" if stabiliser is None else str(stabilisers().loc[stabiliser, "concern"])


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != "unknown"


def _contains(product: pd.Series) -> set[str]:
    return set(data.source_ids(product["stabiliser_ids"]))


def _check(need: str, product: pd.Series, iga_max: float, osmolality_max: float) -> bool | None:
    """Does the product meet one need? None when the data cannot tell.

    A sugar need is unmet when the product's stabilisers include that sugar; met when its sugar
    is known to be another one (or none, or a source says it has no sucrose); unknown otherwise.
    'no_proline' is met when the product's stabilisers are known and L-proline is not among them."""
    sugar = product["sugar"]
    contains = _contains(product)
    if need == "no_sugar":
        return None if not _known(sugar) else sugar == "none"
    if need in EXCLUDED_STABILISER:
        excluded = EXCLUDED_STABILISER[need]
        if excluded in contains or sugar == excluded:
            return False
        if need == "no_proline":
            return True if contains else None
        if need == "no_sucrose" and product["sucrose_free"] == "yes":
            return True
        return True if _known(sugar) else None
    if need == "low_iga":
        iga = product["iga_ug_per_ml"]
        return None if not _known(iga) else float(iga) <= iga_max
    if need == "low_osmolality":
        osm = product["osmolality_mosm_per_kg_high"]
        osm = product["osmolality_mosm_per_kg_low"] if not _known(osm) else osm
        return None if not _known(osm) else float(osm) <= osmolality_max
    return None  # low_sodium: the labels' sodium is text, not a comparable number


def at_risk_cap_text(product: pd.Series) -> str:
    """What the label's at-risk rate ceiling does: lower than the usual maximum, the same ceiling
    (no extra restriction) or none in the label read."""
    cap = product["at_risk_max_rate_mg_per_kg_min"]
    if not _known(cap):
        return "none in the label read (keep to the minimum practicable rate)"
    if product["at_risk_cap_restricts"] == "yes":
        return f"{float(cap):g} mg/kg/min, lower than the usual maximum"
    return f"{float(cap):g} mg/kg/min, the same as the usual maximum: no extra restriction"


def product_suitability(needs: Iterable[str], *, prefers: Iterable[str] = (),
                        iga_max_ug_per_ml: float = LOW_IGA_MAX_UG_PER_ML,
                        osmolality_max_mosm_per_kg: float = LOW_OSMOLALITY_MAX_MOSM_PER_KG) -> pd.DataFrame:
    """Every product with its status, best first: 'suitable', 'check' (the data cannot tell for
    some need or preference), 'second_choice' (meets the needs, fails a preference) or
    'unsuitable' (fails a need); columns product_id, name, status, unmet, not_preferred,
    unknown, reasons, at_risk_max_rate_mg_per_kg_min, at_risk_cap."""
    needs = tuple(dict.fromkeys(needs))
    prefers = tuple(n for n in dict.fromkeys(prefers) if n not in needs)
    bad = [n for n in needs + prefers if n not in NEEDS]
    if bad:
        raise ValueError(f"Unknown product need(s): {', '.join(bad)}; use: {', '.join(NEEDS)}.")
    iga_max = number_in_range("The IgA limit", iga_max_ug_per_ml, 0, 1000, "µg/mL")
    osm_max = number_in_range("The osmolality limit", osmolality_max_mosm_per_kg, 200, 1000, "mOsm/kg")
    rows = []
    for _, product in data.load("products").iterrows():
        hard = {n: _check(n, product, iga_max, osm_max) for n in needs}
        soft = {n: _check(n, product, iga_max, osm_max) for n in prefers}
        unmet = [n for n, ok in hard.items() if ok is False]
        not_preferred = [n for n, ok in soft.items() if ok is False]
        unknown = [n for n, ok in {**hard, **soft}.items() if ok is None]
        status = ("unsuitable" if unmet else "second_choice" if not_preferred
                  else "check" if unknown else "suitable")
        reasons = " ".join(dict.fromkeys(stabiliser_reason(n) for n in unmet + not_preferred if stabiliser_reason(n)))
        rows.append(dict(product_id=product["product_id"], name=product["name"], status=status,
                         unmet="; ".join(NEED_LABELS[n] for n in unmet),
                         not_preferred="; ".join(NEED_LABELS[n] for n in not_preferred),
                         unknown="; ".join(NEED_LABELS[n] for n in unknown), reasons=reasons,
                         at_risk_max_rate_mg_per_kg_min=product["at_risk_max_rate_mg_per_kg_min"],
                         at_risk_cap=at_risk_cap_text(product)))
    table = pd.DataFrame(rows)
    return table.sort_values("status", key=lambda s: s.map(STATUSES.index), kind="stable").reset_index(drop=True)
