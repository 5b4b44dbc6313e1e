"""The pharmacy strand of notebook 05: how each product is stored and prepared
(data/product_handling.csv), and a product choice worked as a decision: the patient's screening
needs first (ivigkit.screening, data/stabilisers.csv), then the handling the setting requires.

Educational material only; product choice belongs to the prescriber and pharmacist with the
current label.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ivigkit import data, screening

#: What the setting can ask of a product, and how it is judged from product_handling.csv.
SETTING_NEEDS = {"room_temperature_25": "can be stored at up to 25 C (no fridge)",
                 "ready_to_use": "ready to use, no reconstitution"}


def handling() -> pd.DataFrame:
    """data/product_handling.csv."""
    return data.load("product_handling")


def _handling_for(product_id: str) -> pd.Series | None:
    rows = handling()
    rows = rows[rows["product_id"] == product_id]
    return None if rows.empty else rows.iloc[0]


def _setting_check(need: str, row: pd.Series | None) -> bool | None:
    if row is None:
        return None
    if need == "ready_to_use":
        return row["form"] == "ready_to_use_liquid"
    top = row["store_max_c"]
    return None if top is None or (isinstance(top, float) and math.isnan(top)) else float(top) >= 25


@dataclass(frozen=True)
class Choice:
    """A product choice worked step by step: the screening, then the setting, with reasons."""

    factor_ids: tuple[str, ...]
    setting_needs: tuple[str, ...]
    table: pd.DataFrame            # product_id, name, status, reasons, handling

    @property
    def suitable_count(self) -> int:
        return int((self.table["status"] == "suitable").sum())

    @property
    def first_choice(self) -> str:
        """The first product marked suitable, or 'none'."""
        suitable = self.table[self.table["status"] == "suitable"]
        return "none" if suitable.empty else str(suitable.iloc[0]["name"])


def choose_product(factor_ids: Iterable[str], setting_needs: Iterable[str] = ()) -> Choice:
    """Screen the patient's factors (hard needs rule products out, preferences make them second
    choices), then check what the setting needs from the product's handling. A product whose
    handling was not read is marked 'check' for a setting need."""
    factors = tuple(dict.fromkeys(factor_ids))
    setting = tuple(dict.fromkeys(setting_needs))
    bad = [n for n in setting if n not in SETTING_NEEDS]
    if bad:
        raise ValueError(f"Unknown setting need(s): {', '.join(bad)}; use: {', '.join(SETTING_NEEDS)}.")
    result = screening.screen(factors)
    if result.contraindicated:
        table = screening.product_suitability(()).assign(status="unsuitable")
        table["reasons"] = "A ticked factor is a contraindication to IVIG itself: no product choice applies."
        table["handling"] = ""
        return Choice(factors, setting, table[["product_id", "name", "status", "reasons", "handling"]])
    table = screening.product_suitability(result.needs, prefers=result.prefers)
    rows = []
    for r in table.itertuples():
        row = _handling_for(r.product_id)
        checks = {n: _setting_check(n, row) for n in setting}
        status = r.status
        reasons = [f"fails: {r.unmet}" if r.unmet else "", f"less preferred: {r.not_preferred}" if r.not_preferred else "",
                   f"data cannot tell: {r.unknown}" if r.unknown else ""]
        if status != "unsuitable":
            if any(ok is False for ok in checks.values()):
                status = "unsuitable"
            elif any(ok is None for ok in checks.values()) and status == "suitable":
                status = "check"
        reasons += [f"setting: not {SETTING_NEEDS[n]}" for n, ok in checks.items() if ok is False]
        reasons += [f"setting: handling not read for '{SETTING_NEEDS[n]}'" for n, ok in checks.items() if ok is None]
        rows.append(dict(product_id=r.product_id, name=r.name, status=status,
                         reasons="; ".join(x for x in reasons if x) or "meets everything asked",
                         handling="" if row is None else f"{row['name']}: {row['before_use']}"))
    out = pd.DataFrame(rows)
    out = out.sort_values("status", key=lambda s: s.map(screening.STATUSES.index), kind="stable").reset_index(drop=True)
    return Choice(factors, setting, out)


def access() -> pd.DataFrame:
    """data/ig_access.csv: how programmes and payers decide, and where MS stands."""
    return data.load("ig_access")
