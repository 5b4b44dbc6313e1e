"""Where IVIG sits today (notebook 01): the treatments of data/treatments.csv filtered by use,
route and status, and the facts of data/ms_context.csv (how common MS is, how soon IVIG acts).

Every row carries its sources and verification label; this module only selects and counts.
Educational material only; not a treatment guide.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ivigkit import data
from ivigkit.data.vocab import ROUTES, TREATMENT_USES

USE_LABELS = {"relapsing_ms": "Relapsing MS (CIS, RRMS, active SPMS with relapses)",
              "active_spms": "Active secondary progressive MS", "ppms": "Primary progressive MS",
              "nmosd": "NMOSD (AQP4-antibody positive)", "pregnancy_breastfeeding": "Around pregnancy and breastfeeding"}
ROUTE_LABELS = {"self_injection": "self-injection", "oral": "by mouth", "infusion": "infusion"}
STATUS_LABELS = {"approved": "approved", "label_permits": "label permits use",
                 "label_advises_against": "label advises against", "off_label": "off-label"}


@dataclass(frozen=True)
class Treatment:
    row_id: str
    treatment: str
    example_brand: str
    treatment_class: str
    use: str
    route: str
    dosing_interval: str
    agency: str
    approval_year: int | None
    status: str
    monitoring: str
    source_ids: str
    verified: str
    note: str


@dataclass(frozen=True)
class Selection:
    """The treatments for one use after the learner's filters."""

    use: str
    shown: tuple[Treatment, ...]
    excluded_routes: tuple[str, ...]

    @property
    def approved(self) -> tuple[Treatment, ...]:
        return tuple(t for t in self.shown if t.status in ("approved", "label_permits"))

    @property
    def approved_count(self) -> int:
        return len(self.approved)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "Treatment": t.treatment, "Example": t.example_brand, "Route": ROUTE_LABELS[t.route],
            "How often": t.dosing_interval, "Status": STATUS_LABELS[t.status],
            "Agency and year": (f"{t.agency} {t.approval_year}" if t.approval_year else
                                ("none" if t.agency == "none" else t.agency)),
            "Monitoring": t.monitoring, "Verified": t.verified} for t in self.shown])


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else str(value)


def treatments() -> tuple[Treatment, ...]:
    """Every row of data/treatments.csv, in file order."""
    return tuple(Treatment(r.row_id, r.treatment, r.example_brand, r.treatment_class, r.use, r.route,
                           _text(r.dosing_interval), r.agency,
                           None if pd.isna(r.approval_year) else int(r.approval_year), r.status,
                           _text(r.monitoring), r.source_ids, r.verified, _text(r.note))
                 for r in data.load("treatments").itertuples())


def select(use: str, *, exclude_routes: tuple[str, ...] = (), include_ivig: bool = True) -> Selection:
    """The treatments for `use` (a TREATMENT_USES value), without the routes the learner wants
    to avoid (e.g. ('self_injection',)); IVIG rows kept unless include_ivig is False."""
    if use not in TREATMENT_USES:
        raise ValueError(f"Pick a use: '{use}' is not one of {', '.join(TREATMENT_USES)}.")
    bad = [r for r in exclude_routes if r not in ROUTES]
    if bad:
        raise ValueError(f"Unknown route(s) {', '.join(bad)}; use: {', '.join(ROUTES)}.")
    shown = tuple(t for t in treatments() if t.use == use and t.route not in exclude_routes
                  and (include_ivig or t.treatment_class != "immunoglobulin"))
    return Selection(use, shown, tuple(exclude_routes))


def context(topic: str | None = None) -> pd.DataFrame:
    """data/ms_context.csv (or one topic of it): prevalence, incidence and time-to-act facts."""
    table = data.load("ms_context")
    return table if topic is None else table[table["topic"] == topic].reset_index(drop=True)


def fact(fact_id: str) -> pd.Series:
    """One row of data/ms_context.csv by id (a claim to check has no value)."""
    table = data.load("ms_context").set_index("fact_id", drop=False)
    if fact_id not in table.index:
        raise ValueError(f"There is no fact '{fact_id}' in ms_context.csv.")
    return table.loc[fact_id]
