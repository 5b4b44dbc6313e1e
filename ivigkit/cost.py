"""What an IVIG regimen costs, and who pays: drug, administration, insurance arithmetic.

Educational arithmetic, not a quote. All money is in US dollars of the year the source
gives (nominal, not adjusted for inflation): a 2005 and a 2016 price are not comparable
without adjustment. Grams billed include wastage: vials are billed whole.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import pandas as pd

from ivigkit import data
from ivigkit.data.vocab import SITES
from ivigkit.formatting import fmt
from ivigkit.validate import number_in_range
from ivigkit.data import catalog

# --- Administration -----------------------------------------------------------------------
SITE_LABELS = {"infusion_centre": "Infusion centre", "home": "Home"}  # the sites of vocab.SITES
# Medicare home IVIG services bundle, HCPCS Q2052, per administration, 2024
# (noridian_jd_ivig2024). Covers PIDD only; used here as a teaching figure for a home visit.
HOME_FEE_USD_PER_VISIT = 420.48
HOME_FEE_YEAR = 2024
# Registered-nurse labour rate, CMS RUC, 2010 data (winters2011_bmchsr, Table 1).
NURSING_RATE_USD_PER_MIN = 0.79
NURSING_RATE_YEAR = 2010
# Nurse minutes for a 2-hour infusion (CPT 96365 + 96366): 59 + 14 = 73 (winters2011_bmchsr,
# Table 1 footnote b); 73 x $0.79 = $57.67 per visit. The $474.00 printed on that table's nurse line
# is the plasma-exchange figure (120 min x $0.79 x 5, its Table 2), not the IVIG one.
NURSING_MINUTES_PER_VISIT = 73.0
# Infusion supplies: $25.05 for 5 infusions in 2010 -> $5.01 each (derived; winters2011_bmchsr).
SUPPLIES_USD_PER_VISIT = 5.01

# --- Input plausibility bounds (not prices from a source) --------------------------------
PRICE_USD_PER_G_MAX = 10_000.0
GRAMS_MAX = 100_000.0
VISITS_MAX = 10_000
MONEY_USD_MAX = 100_000_000.0
FEE_USD_MAX = 100_000.0
MINUTES_MAX = 24 * 60.0
RATE_USD_PER_MIN_MAX = 100.0
HORIZON_DAYS_RANGE = (1.0, 3650.0)

_PER_AMOUNT = re.compile(r"^(?:(\d+(?:\.\d+)?)_?)?(mg|g)$")


@dataclass(frozen=True)
class AnnualCost:
    """Costs (USD) of the infusions given in [0, horizon_days). total = drug + administration.

    administration_usd includes supplies. infusions counts infusion days (visits)."""

    drug_usd: float
    administration_usd: float
    total_usd: float
    infusions: int
    grams_billed: float
    horizon_days: float


@dataclass(frozen=True)
class PatientShare:
    """Who pays what (USD). Order: deductible first, then coinsurance on the rest, the sum
    capped at the out-of-pocket maximum, then copay assistance (never below zero).

    deductible_part_usd and coinsurance_part_usd are the plan's parts before the cap.
    patient_usd is what the patient pays out of pocket; payer_usd = total - patient_usd is
    paid by others: insurer_usd by the insurer and assistance_applied_usd by the assistance
    programme."""

    deductible_part_usd: float
    coinsurance_part_usd: float
    capped_by_oop_max: bool
    assistance_applied_usd: float
    patient_usd: float
    payer_usd: float
    insurer_usd: float


# --- Prices -----------------------------------------------------------------------------------

def _usd(name: str, value, high: float, unit: str = "US dollars") -> float:
    """Like number_in_range from 0 to `high`, with the bound written in full ("1,000,000")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in {unit}; got '{value}'.") from None
    if not math.isfinite(number) or not 0.0 <= number <= high:
        raise ValueError(f"{name} must be between 0 and {high:,.0f} {unit}; got {number:g}.")
    return number


def _check_price(price_usd_per_g) -> float:
    return _usd("Price", price_usd_per_g, PRICE_USD_PER_G_MAX, "US dollars per g")


def grams_per_unit(per: str) -> float:
    """Grams in a price unit: 'g' -> 1, '500_mg' -> 0.5, '10_g' -> 10."""
    match = _PER_AMOUNT.match(str(per).strip())
    if not match:
        raise ValueError(f"A price per '{per}' cannot be turned into a price per gram; "
                         "it needs an amount such as 'g' or '500_mg'.")
    amount = float(match.group(1) or 1.0)
    grams = amount / 1000.0 if match.group(2) == "mg" else amount
    if grams <= 0:
        raise ValueError(f"A price per '{per}' is per zero grams, which cannot be right.")
    return grams


def price_per_g(value_usd, per: str = "g") -> float:
    """US dollars per gram from a price per `per` ('g', '500_mg', ...).

    `value_usd` may also be a prices.csv row (dict or Series); its value_usd_low is used.
    A Medicare price per 500 mg (J-code unit) doubles: $35.018 per 500 mg -> $70.036/g."""
    if isinstance(value_usd, (dict, pd.Series)):
        per = value_usd.get("per", per)
        value_usd = value_usd.get("value_usd_low")
    grams = grams_per_unit(per)
    return _usd("Price", value_usd, PRICE_USD_PER_G_MAX, "US dollars") / grams


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _flag(value) -> bool:
    """A yes/no cell as a bool ('yes', 'true', True, 1 -> True)."""
    if _missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "1", "y"}
    return bool(value)


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _price_table(table):
    if table is None:
        table = catalog.prices()
    return table


_STATUS_NOTE = {"no": " (unverified)", "partial": " (secondary source)", "derived": " (derived)"}


def price_options(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The IVIG per-gram price choices (see _price_options); cached per version of prices.csv."""
    if table is None:
        return _cached(_price_options, data.version("prices")).copy()
    return _price_options(table)


@functools.lru_cache(maxsize=8)
def _cached(build, version: tuple) -> pd.DataFrame:
    """build() on the current prices.csv, remembered until the file changes (apps call this on
    every update, so rebuilding the labelled table each time would dominate their run time)."""
    return build(None)


def _price_options(table: pd.DataFrame | None) -> pd.DataFrame:
    """Build the IVIG per-gram prices to choose from, from data/prices.csv (category ivig_price).

    Returns DataFrame(item_id, label, price_usd_per_g_low, price_usd_per_g_high, year,
    verified, is_claim, source_ids, note), e.g. label "Hospital contract price for IVIG (US),
    2011: $70.22/g". Prices per 500 mg are doubled to per gram, and their note says the
    per-gram figure is derived; such a row is left out when the table already has the same
    figure per gram. An empty value_usd_high means an open upper end ("$73.00/g or more"; the
    high column is then NaN). Rows priced per something that is not an amount of drug are
    left out. `table` defaults to catalog.prices()."""
    rows = []
    for row in _price_table(table).itertuples(index=False):
        if row.category != "ivig_price":
            continue
        try:
            grams = grams_per_unit(row.per)
        except ValueError:
            continue
        low = float(row.value_usd_low) / grams
        high = math.nan if _missing(row.value_usd_high) else float(row.value_usd_high) / grams
        year = None if _missing(row.year) else int(row.year)
        claim = _flag(row.is_claim)
        note = "" if _missing(row.note) else str(row.note)
        if grams != 1.0:
            derived = (f"Per-gram price derived by us: the source gives "
                       f"{_money(float(row.value_usd_low))} per {str(row.per).replace('_', ' ')} "
                       f"(x {1 / grams:g} per g).")
            note = f"{derived} {note}".strip()
        if math.isnan(high):
            price = f"{_money(low)}/g or more"
        elif round(high, 2) == round(low, 2):
            price = f"{_money(low)}/g"
        else:
            price = f"{_money(low)}-{_money(high)}/g"
        when = "" if year is None or str(year) in str(row.description) else f", {year}"
        label = f"{row.description}{when}: {price}"
        if claim:
            label += " (unverified)" if "claim" in str(row.description).lower() else \
                " (unverified claim)"
        else:
            label += _STATUS_NOTE.get(str(row.verified), "")
        rows.append(dict(item_id=row.item_id, label=label, price_usd_per_g_low=low,
                         price_usd_per_g_high=high, year=year, verified=row.verified,
                         is_claim=claim, source_ids=row.source_ids, note=note,
                         _converted=grams != 1.0))
    columns = ["item_id", "label", "price_usd_per_g_low", "price_usd_per_g_high", "year",
               "verified", "is_claim", "source_ids", "note"]
    options = pd.DataFrame(rows, columns=[*columns, "_converted"])
    key = list(zip(options["price_usd_per_g_low"].round(2), options["price_usd_per_g_high"].round(2),
                   options["year"]))
    per_gram = {k for k, converted in zip(key, options["_converted"]) if not converted}
    keep = [not converted or k not in per_gram for k, converted in zip(key, options["_converted"])]
    return options[keep][columns].reset_index(drop=True)


def price_range_usd_per_g(options: pd.DataFrame | None = None, *,
                          claims: bool = False) -> tuple[float, float]:
    """(lowest, highest) US dollars per gram among the sourced prices or the claims (see
    _price_range); cached per version of prices.csv when `options` is not given."""
    if options is None:
        return _cached_range(data.version("prices"), claims)
    return _price_range(options, claims=claims)


@functools.lru_cache(maxsize=8)
def _cached_range(version: tuple, claims: bool) -> tuple[float, float]:
    return _price_range(price_options(), claims=claims)


def _price_range(options: pd.DataFrame, *, claims: bool = False) -> tuple[float, float]:
    """(lowest, highest) US dollars per gram among the sourced prices, or among the popular
    claims if `claims=True`. Sourced means not a claim and not unverified. An open upper end
    counts as its low value. Years differ: these are nominal dollars."""
    if claims:
        chosen = options[options["is_claim"].map(_flag)]
    else:
        chosen = options[~options["is_claim"].map(_flag) & (options["verified"].astype(str) != "no")]
    if chosen.empty:
        kind = "popular-claim" if claims else "sourced"
        raise ValueError(f"There are no {kind} per-gram prices to make a range from.")
    high = chosen["price_usd_per_g_high"].fillna(chosen["price_usd_per_g_low"])
    return float(chosen["price_usd_per_g_low"].min()), float(high.max())


def dmt_comparators(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Annual DMT costs for the chart (see _dmt_comparators); cached per version of prices.csv."""
    if table is None:
        return _cached(_dmt_comparators, data.version("prices")).copy()
    return _dmt_comparators(table)


def _dmt_comparators(table: pd.DataFrame | None) -> pd.DataFrame:
    """Annual costs of MS disease-modifying therapies (category dmt_annual) for a chart.

    Returns DataFrame(item_id, label, usd, year, value_usd_per_year_low,
    value_usd_per_year_high, verified, is_claim, source_ids). `usd` is the value, or the
    midpoint of a range, or the low value when the upper end is open (empty high); the label
    then says so. `table` defaults to catalog.prices()."""
    rows = []
    for row in _price_table(table).itertuples(index=False):
        if row.category != "dmt_annual":
            continue
        low = float(row.value_usd_low)
        high = math.nan if _missing(row.value_usd_high) else float(row.value_usd_high)
        label = str(row.description)
        if math.isnan(high):
            label += " (lower bound)"
        elif high != low:
            label += f" (midpoint of {_money(low)[:-3]}-{_money(high)[:-3]})"
        rows.append(dict(item_id=row.item_id, label=label,
                         usd=low if math.isnan(high) else (low + high) / 2,
                         year=None if _missing(row.year) else int(row.year),
                         value_usd_per_year_low=low, value_usd_per_year_high=high,
                         verified=row.verified, is_claim=_flag(row.is_claim),
                         source_ids=row.source_ids))
    columns = ["item_id", "label", "usd", "year", "value_usd_per_year_low",
               "value_usd_per_year_high", "verified", "is_claim", "source_ids"]
    return pd.DataFrame(rows, columns=columns)


# --- Costs ------------------------------------------------------------------------------------

def drug_cost_usd(grams_billed: float, price_usd_per_g: float) -> float:
    """Drug cost (USD) = grams billed x price per gram. Grams billed include wastage."""
    grams = number_in_range("Grams billed", grams_billed, 0.0, GRAMS_MAX, "g")
    return grams * _check_price(price_usd_per_g)


def _check_site(site: str) -> str:
    if site not in SITES:
        raise ValueError(f"Site of care must be 'home' or 'infusion_centre'; got '{site}'.")
    return site


def administration_cost_usd(site: str, visits: int, *, fee_usd_per_visit: float | None = None,
                            nursing_minutes: float | None = None,
                            nursing_rate_usd_per_min: float | None = None,
                            supplies_usd_per_visit: float = 0.0) -> float:
    """Cost (USD) of giving the drug on `visits` infusion days, supplies included.

    Either a fee per visit (default at home: Q2052 $420.48, 2024) or nursing time x rate
    (default in an infusion centre: 73 min x $0.79/min, 2010 data), not both. Passing
    fee_usd_per_visit, or nursing_minutes / nursing_rate_usd_per_min, picks the method at
    either site; the missing nursing value takes its default."""
    _check_site(site)
    count = number_in_range("Number of visits", visits, 0, VISITS_MAX, "visits")
    if count != int(count):
        raise ValueError(f"Number of visits must be a whole number; got {visits}.")
    supplies = _usd("Supplies", supplies_usd_per_visit, FEE_USD_MAX, "US dollars per visit")
    nursing = nursing_minutes is not None or nursing_rate_usd_per_min is not None
    if fee_usd_per_visit is not None and nursing:
        raise ValueError("Give either a fee per visit or nursing time and rate, not both.")
    if fee_usd_per_visit is None and (nursing or site == "infusion_centre"):
        minutes = number_in_range(
            "Nursing time", NURSING_MINUTES_PER_VISIT if nursing_minutes is None else nursing_minutes,
            0.0, MINUTES_MAX, "minutes per visit")
        rate = number_in_range(
            "Nursing rate",
            NURSING_RATE_USD_PER_MIN if nursing_rate_usd_per_min is None else nursing_rate_usd_per_min,
            0.0, RATE_USD_PER_MIN_MAX, "US dollars per minute")
        per_visit = minutes * rate
    else:
        per_visit = _usd(
            "Fee per visit", HOME_FEE_USD_PER_VISIT if fee_usd_per_visit is None else fee_usd_per_visit,
            FEE_USD_MAX)
    return count * (per_visit + supplies)


@dataclass(frozen=True)
class VisitFee:
    """What one infusion visit costs to give at a site (USD), and how that figure is made."""

    site: str
    usd: float
    basis: str


def visit_fee(site: str) -> VisitFee:
    """The default administration cost of one visit at `site`, as administration_cost_usd uses it."""
    usd = administration_cost_usd(site, 1)
    if site == "home":
        basis = f"Medicare home IVIG services fee (HCPCS Q2052), {HOME_FEE_YEAR} dollars"
    else:
        basis = (f"nurse time {fmt(NURSING_MINUTES_PER_VISIT)} min x ${NURSING_RATE_USD_PER_MIN:.2f}/min, "
                 f"{NURSING_RATE_YEAR} dollars")
    return VisitFee(site, usd, basis)


def _billed_pairs(infusions) -> list[tuple[float, float]]:
    """Checked (day, grams billed) pairs from a table (grams_billed, else dose_g) or pairs.

    Plain lists, not a DataFrame: a year is a dozen rows and this runs on every app update."""
    if isinstance(infusions, pd.DataFrame):
        column = next((c for c in ("grams_billed", "dose_g") if c in infusions.columns), None)
        if "day" not in infusions.columns or column is None:
            raise ValueError("The infusion table needs a 'day' column and a 'grams_billed' "
                             "(or 'dose_g') column.")
        pairs = list(zip(infusions["day"].tolist(), infusions[column].tolist()))
    else:
        try:
            pairs = [(day, grams) for day, grams in infusions]
        except (TypeError, ValueError):
            raise ValueError("Infusions must be a table with columns day and grams_billed, "
                             "or a list of (day, grams) pairs.") from None
    return [(number_in_range("Infusion day", d, 0.0, HORIZON_DAYS_RANGE[1], "days"),
             number_in_range("Grams billed", g, 0.0, GRAMS_MAX, "g")) for d, g in pairs]


def annual_cost(infusions, price_usd_per_g: float, site: str, *,
                fee_usd_per_visit: float | None = None, nursing_minutes: float | None = None,
                nursing_rate_usd_per_min: float | None = None,
                supplies_usd_per_visit: float = 0.0, horizon_days: float = 365) -> AnnualCost:
    """Drug plus administration cost (USD) of the infusions on days 0 to horizon_days.

    `infusions`: a table with day and grams_billed (whole vials, wastage included) or, if
    there is no grams_billed column, dose_g billed as is; or (day, grams) pairs. Each day
    with grams > 0 is one visit. Administration options as in administration_cost_usd."""
    horizon = number_in_range("Horizon", horizon_days, *HORIZON_DAYS_RANGE, "days")
    price = _check_price(price_usd_per_g)
    _check_site(site)
    given = [(day, grams) for day, grams in _billed_pairs(infusions) if day < horizon and grams > 0]
    grams = math.fsum(g for _, g in given)
    visits = len({day for day, _ in given})
    drug = drug_cost_usd(grams, price)
    administration = administration_cost_usd(
        site, visits, fee_usd_per_visit=fee_usd_per_visit, nursing_minutes=nursing_minutes,
        nursing_rate_usd_per_min=nursing_rate_usd_per_min,
        supplies_usd_per_visit=supplies_usd_per_visit)
    return AnnualCost(drug_usd=drug, administration_usd=administration,
                      total_usd=drug + administration, infusions=visits, grams_billed=grams,
                      horizon_days=horizon)


def price_band(infusions, price_usd_per_g_low: float, price_usd_per_g_high: float, site: str,
               **options) -> tuple[float, float]:
    """(total at the low price, total at the high price) in USD, for a range of per-gram
    prices such as price_range_usd_per_g(). Other options as in annual_cost."""
    low = _check_price(price_usd_per_g_low)
    high = _check_price(price_usd_per_g_high)
    if low > high:
        raise ValueError(f"The low price ({_money(low)}/g) must not be above the high price "
                         f"({_money(high)}/g).")
    # Only the drug part depends on the price, so one pass over the infusions is enough.
    year = annual_cost(infusions, low, site, **options)
    return (year.total_usd,
            year.administration_usd + drug_cost_usd(year.grams_billed, high))


# --- Insurance ------------------------------------------------------------------------------

def patient_share(total_usd: float, *, deductible_usd: float, coinsurance_pct: float,
                  oop_max_usd: float, copay_assistance_usd: float = 0.0) -> PatientShare:
    """Split a bill (USD) between patient and others under a simple insurance plan.

    The patient pays the deductible first, then coinsurance_pct % of the rest; that sum is
    capped at the out-of-pocket maximum; copay assistance then pays part of what is left,
    never more than the patient owes. Plain arithmetic, no particular plan."""
    total = _usd("Total cost", total_usd, MONEY_USD_MAX)
    deductible = _usd("Deductible", deductible_usd, MONEY_USD_MAX)
    coinsurance = number_in_range("Coinsurance", coinsurance_pct, 0.0, 100.0, "%")
    oop_max = _usd("Out-of-pocket maximum", oop_max_usd, MONEY_USD_MAX)
    assistance = _usd("Copay assistance", copay_assistance_usd, MONEY_USD_MAX)
    deductible_part = min(total, deductible)
    coinsurance_part = (total - deductible_part) * coinsurance / 100.0
    owed = deductible_part + coinsurance_part
    capped = owed > oop_max
    owed = min(owed, oop_max)
    applied = min(assistance, owed)
    patient = owed - applied
    return PatientShare(deductible_part_usd=deductible_part, coinsurance_part_usd=coinsurance_part,
                        capped_by_oop_max=capped, assistance_applied_usd=applied,
                        patient_usd=patient, payer_usd=total - patient, insurer_usd=total - owed)


def cost_parts(annual: AnnualCost, share: PatientShare | None = None) -> pd.DataFrame:
    """A year's cost as DataFrame(label, usd) rows for a bar chart: drug, administration,
    total, and, with a share, what the patient, the assistance programme and the insurer pay."""
    rows = [("Drug (IVIG)", annual.drug_usd), ("Administration", annual.administration_usd),
            ("Total", annual.total_usd)]
    if share is not None:
        rows.append(("Patient pays (out of pocket)", share.patient_usd))
        if share.assistance_applied_usd > 0:
            rows.append(("Copay assistance pays", share.assistance_applied_usd))
        rows.append(("Insurer pays", share.insurer_usd))
    return pd.DataFrame(rows, columns=["label", "usd"])
