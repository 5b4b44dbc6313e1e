"""Schemas of the dosing and cost tables: data/products.csv, regimens.csv, prices.csv and
model_parameters.csv (the models' constants with their sources)."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import (blank, choice, not_above, note_has, num, number_list, numbers,
                                          numeric, one_of_numbers, positive, source_ids, table, text)
from ivigkit.data.vocab import (CONSTANT_PATTERN, MODEL_MODULES, PARAMETER_KINDS, PRICE_CATEGORIES, PRICE_PER,
                                REGIMEN_EVIDENCE, REGIMEN_POPULATIONS, SETTINGS, SLUG_PATTERN, STABILISER_IDS,
                                SUCROSE_FREE, SUGARS, VERIFIED, VERIFIED_DERIVED, YES_NO)


# -- products ---------------------------------------------------------------

RATE_MAX_MG_PER_KG_MIN = 20.0   # plausibility bound for any labelled IVIG rate (highest in the labels read: 14)


def _ladder_ascending(df: pd.DataFrame) -> pd.Series:
    def ok(cell) -> bool:
        try:
            steps = numbers(cell)
        except ValueError:
            return True
        return all(b > a for a, b in zip(steps, steps[1:]))
    return df["rate_steps_mg_per_kg_min"].map(ok).astype(bool)


def _ladder_matches_rates(df: pd.DataFrame) -> pd.Series:
    """The ladder starts at the initial rate and ends at the maximum rate (where those are given)."""
    out = []
    for _, row in df.iterrows():
        try:
            steps = numbers(row["rate_steps_mg_per_kg_min"])
        except ValueError:
            out.append(True)
            continue
        first = pd.to_numeric(row["initial_rate_mg_per_kg_min"], errors="coerce")
        last = pd.to_numeric(row["max_rate_mg_per_kg_min"], errors="coerce")
        good = True
        if steps and not pd.isna(first):
            good &= abs(steps[0] - first) < 1e-9
        if steps and not pd.isna(last):
            good &= abs(steps[-1] - last) < 1e-9
        out.append(good)
    return pd.Series(out, index=df.index, dtype=bool)


def _ladder_has_minutes(df: pd.DataFrame) -> pd.Series:
    return blank(df["rate_steps_mg_per_kg_min"]) | df["step_minutes"].notna()


def _rates_have_indication(df: pd.DataFrame) -> pd.Series:
    no_rates = df["initial_rate_mg_per_kg_min"].isna() & df["max_rate_mg_per_kg_min"].isna()
    return no_rates | ~blank(df["rate_indication"])


def _stabilisers_known(df: pd.DataFrame) -> pd.Series:
    return df["stabiliser_ids"].fillna("").map(
        lambda cell: all(part.strip() in STABILISER_IDS for part in cell.split(";")) if cell.strip() else True)


def _sugar_matches_stabilisers(df: pd.DataFrame) -> pd.Series:
    """A product's sugar is among its stabilisers, and a sugar among its stabilisers is its sugar."""
    sugars = {"sucrose", "maltose", "glucose", "sorbitol"}
    out = []
    for sugar, cell in zip(df["sugar"], df["stabiliser_ids"].fillna("")):
        listed = {part.strip() for part in cell.split(";") if part.strip()}
        listed_sugars = listed & sugars
        if sugar in sugars:
            out.append(listed_sugars == {sugar})
        else:
            out.append(not listed_sugars)
    return pd.Series(out, index=df.index, dtype=bool)


def _sucrose_free_fits_sugar(df: pd.DataFrame) -> pd.Series:
    return ~((df["sugar"] == "sucrose") & (df["sucrose_free"] == "yes"))


def _at_risk_effect_given(df: pd.DataFrame) -> pd.Series:
    """'yes'/'no' exactly when there is an at-risk cap; 'yes' needs a cap below the known maximum,
    'no' a cap within 5 % of it (the same ceiling rounded or written in other units)."""
    cap, top = numeric(df, "at_risk_max_rate_mg_per_kg_min"), numeric(df, "max_rate_mg_per_kg_min")
    effect = df["at_risk_cap_restricts"]
    given = cap.isna() == effect.isna()
    restricts = top.isna() | (cap < 0.95 * top)
    return given & (effect.isna() | ((effect == "yes") & restricts) | ((effect == "no") & (top.isna() | ~restricts)))


def _iga_has_basis(df: pd.DataFrame) -> pd.Series:
    return df["iga_ug_per_ml"].isna() == blank(df["iga_basis"])


PRODUCTS = table(
    "products",
    {
        "product_id": text(pattern=SLUG_PATTERN, unique=True,
                           pattern_hint="is not a valid id (use lowercase letters, digits and _ only)"),
        "name": text(unique=True),
        "manufacturer": text(),
        "concentration_pct": one_of_numbers("%", (5, 10)),
        "stabiliser": text(required=False),
        "stabiliser_ids": text(required=False, pattern=r"^[a-z0-9_]+(;[a-z0-9_]+)*$",
                               pattern_hint="is not a list of stabiliser ids separated by ';'"),
        "sugar": choice(SUGARS),
        "sucrose_free": choice(SUCROSE_FREE),
        "sodium": text(required=False),
        "iga_ug_per_ml": num("ug/mL", min=0, max=1000, required=False),
        "iga_basis": choice(("max", "average"), required=False),
        "osmolality_mosm_per_kg_low": num("mOsm/kg", min=200, max=500, required=False),
        "osmolality_mosm_per_kg_high": num("mOsm/kg", min=200, max=500, required=False),
        "vial_sizes_g": number_list("g", max=100, step=0.5),
        "initial_rate_mg_per_kg_min": positive("mg/kg/min", max=RATE_MAX_MG_PER_KG_MIN),
        "max_rate_mg_per_kg_min": positive("mg/kg/min", max=RATE_MAX_MG_PER_KG_MIN),
        "rate_indication": text(required=False),
        "rate_steps_mg_per_kg_min": number_list("mg/kg/min", max=RATE_MAX_MG_PER_KG_MIN),
        "step_minutes": positive("min", max=120),
        "at_risk_max_rate_mg_per_kg_min": positive("mg/kg/min", max=RATE_MAX_MG_PER_KG_MIN),
        "at_risk_cap_restricts": choice(YES_NO, required=False),
        "step_rule": text(min_length=10, max_length=400),
        "verified": choice(VERIFIED),
        "source_ids": source_ids(),
        "note": text(required=False),
    },
    checks=[
        pa.Check(lambda df: not_above(df, "osmolality_mosm_per_kg_low", "osmolality_mosm_per_kg_high"),
                 error="column 'osmolality_mosm_per_kg_high' is below 'osmolality_mosm_per_kg_low'"),
        pa.Check(lambda df: not_above(df, "initial_rate_mg_per_kg_min", "max_rate_mg_per_kg_min"),
                 error="column 'max_rate_mg_per_kg_min' is below 'initial_rate_mg_per_kg_min'"),
        pa.Check(lambda df: not_above(df, "at_risk_max_rate_mg_per_kg_min", "max_rate_mg_per_kg_min"),
                 error="column 'at_risk_max_rate_mg_per_kg_min' is above 'max_rate_mg_per_kg_min'"),
        pa.Check(_ladder_ascending,
                 error="column 'rate_steps_mg_per_kg_min': the steps must go up, each one higher than the last"),
        pa.Check(_ladder_matches_rates,
                 error="column 'rate_steps_mg_per_kg_min': the ladder must start at 'initial_rate_mg_per_kg_min' "
                       "and end at 'max_rate_mg_per_kg_min'"),
        pa.Check(_ladder_has_minutes,
                 error="column 'step_minutes': a rate ladder needs the minutes spent at each step"),
        pa.Check(_rates_have_indication,
                 error="column 'rate_indication': name the labelled use the rates come from"),
        pa.Check(_stabilisers_known,
                 error="column 'stabiliser_ids' must use only: " + ", ".join(STABILISER_IDS)),
        pa.Check(_sugar_matches_stabilisers,
                 error="columns 'sugar' and 'stabiliser_ids': a product's sugar must be its only sugar among its stabilisers"),
        pa.Check(_sucrose_free_fits_sugar, error="column 'sucrose_free': a sucrose product cannot be sucrose-free"),
        pa.Check(_at_risk_effect_given,
                 error="column 'at_risk_cap_restricts': give 'yes' (cap below the usual maximum) or 'no' (the same "
                       "ceiling) exactly when there is an at-risk cap"),
        pa.Check(_iga_has_basis,
                 error="columns 'iga_ug_per_ml' and 'iga_basis': give both (a number and max or average) or neither"),
    ],
    description="IVIG products as their labels describe them (one row per product).",
)

# -- regimens ---------------------------------------------------------------

#: Plausibility bound for the total dose of one course.
COURSE_G_PER_KG_MAX = 2.1  # the largest course in the sources: 0.7 g/kg/day x 3 (magraner2013_neurologia)


def _has_dose(df: pd.DataFrame) -> pd.Series:
    per_kg = df["dose_g_per_kg_per_day_low"].notna() | df["dose_g_per_kg_per_day_high"].notna()
    return per_kg ^ df["fixed_dose_g_per_day"].notna()


def _loading_complete(df: pd.DataFrame) -> pd.Series:
    days = df["loading_days"].notna()
    dose = df["loading_g_per_kg_per_day"].notna()
    fixed = df["fixed_dose_g_per_day"].notna()
    return (days == dose) | (days & ~dose & fixed)


def _courses_need_interval(df: pd.DataFrame) -> pd.Series:
    return df["courses"].isna() | df["interval_days"].notna()


def _course_fits_interval(df: pd.DataFrame) -> pd.Series:
    interval, days = numeric(df, "interval_days"), numeric(df, "days_per_course")
    return interval.isna() | days.isna() | (days <= interval)


def _course_total_plausible(df: pd.DataFrame) -> pd.Series:
    days = numeric(df, "days_per_course")
    high = numeric(df, "dose_g_per_kg_per_day_high").fillna(numeric(df, "dose_g_per_kg_per_day_low"))
    load = numeric(df, "loading_g_per_kg_per_day") * numeric(df, "loading_days")
    ok_course = high.isna() | days.isna() | (high * days <= COURSE_G_PER_KG_MAX + 1e-9)
    ok_load = load.isna() | (load <= COURSE_G_PER_KG_MAX + 1e-9)
    return ok_course & ok_load


def _quoted_is_unverified(df: pd.DataFrame) -> pd.Series:
    return (df["evidence"] != "commonly_quoted") | (df["verified"] == "no")


REGIMENS = table(
    "regimens",
    {
        "regimen_id": text(pattern=SLUG_PATTERN, unique=True,
                           pattern_hint="is not a valid id (use lowercase letters, digits and _ only)"),
        "name": text(),
        "population": choice(REGIMEN_POPULATIONS),
        "evidence": choice(REGIMEN_EVIDENCE),
        "loading_g_per_kg_per_day": positive("g/kg/day", max=2),
        "loading_days": num("days", min=1, max=7, integer=True, required=False),
        "dose_g_per_kg_per_day_low": positive("g/kg/day", max=2),
        "dose_g_per_kg_per_day_high": positive("g/kg/day", max=2),
        "fixed_dose_g_per_day": positive("g/day", max=200),
        "days_per_course": num("days", min=1, max=7, integer=True),
        "interval_days": num("days", min=1, max=120, integer=True, required=False),
        "interval_text": text(),
        "courses": num("courses", min=1, max=100, integer=True, required=False),
        "weight_basis": choice(("actual", "adjusted")),
        "verified": choice(VERIFIED),
        "source_ids": source_ids(),
        "note": text(required=False),
    },
    checks=[
        pa.Check(_has_dose,
                 error="columns 'dose_g_per_kg_per_day_low/high' and 'fixed_dose_g_per_day': give a dose per kg "
                       "or a fixed dose in grams, not both and not neither"),
        pa.Check(lambda df: not_above(df, "dose_g_per_kg_per_day_low", "dose_g_per_kg_per_day_high"),
                 error="column 'dose_g_per_kg_per_day_high' is below 'dose_g_per_kg_per_day_low'"),
        pa.Check(_loading_complete,
                 error="columns 'loading_g_per_kg_per_day' and 'loading_days': a loading course needs both "
                       "(or loading days with a fixed dose)"),
        pa.Check(_courses_need_interval,
                 error="column 'courses': a number of courses needs 'interval_days' (empty interval = one course)"),
        pa.Check(_course_fits_interval,
                 error="column 'interval_days' is shorter than 'days_per_course'"),
        pa.Check(_course_total_plausible,
                 error=f"a course adds up to more than {COURSE_G_PER_KG_MAX:g} g/kg (dose per day x days); check the numbers"),
        pa.Check(_quoted_is_unverified,
                 error="column 'verified': a commonly quoted regimen must be labelled 'no'"),
    ],
    description="IVIG regimens from trials, guidelines, case series and popular claims.",
)

# -- prices -----------------------------------------------------------------



def _claim_is_unverified(df: pd.DataFrame) -> pd.Series:
    return (df["is_claim"] != "yes") | (df["verified"] == "no")


def _derived_shows_arithmetic(df: pd.DataFrame) -> pd.Series:
    return (df["verified"] != "derived") | note_has(df, "=")


def _undated_explained(df: pd.DataFrame) -> pd.Series:
    return df["year"].notna() | note_has(df, "no date")


PRICES = table(
    "prices",
    {
        "item_id": text(pattern=SLUG_PATTERN, unique=True,
                        pattern_hint="is not a valid id (use lowercase letters, digits and _ only)"),
        "category": choice(PRICE_CATEGORIES),
        "description": text(),
        "value_usd_low": num("USD", min=0),
        "value_usd_high": num("USD", min=0, required=False),
        "per": choice(PRICE_PER),
        "year": num("calendar year", min=1990, max=2030, integer=True, required=False),
        "setting": choice(SETTINGS),
        "is_claim": choice(("yes", "no")),
        "verified": choice(VERIFIED_DERIVED),
        "source_ids": source_ids(),
        "note": text(required=False),
    },
    checks=[
        pa.Check(lambda df: not_above(df, "value_usd_low", "value_usd_high"),
                 error="column 'value_usd_high' is below 'value_usd_low'"),
        pa.Check(_claim_is_unverified,
                 error="column 'verified': a popular claim (is_claim yes) must be labelled 'no'"),
        pa.Check(_derived_shows_arithmetic,
                 error="column 'note': a derived value must show its arithmetic (with '=')"),
        pa.Check(_undated_explained,
                 error="column 'year': the year is empty, so column 'note' must say 'no date'"),
    ],
    description="Year-stamped IVIG prices, fees and comparator costs in US dollars.",
)

# -- model_parameters -------------------------------------------------------

#: The label each kind must carry in ``verified``.
_KIND_VERIFIED = {
    "verified_value": ("yes", "partial"),
    "teaching_choice": ("derived",),
    "assumption": ("no",),
    "derived": ("derived",),
}


def _kind_matches_verified(df: pd.DataFrame) -> pd.Series:
    return pd.Series([str(v) in _KIND_VERIFIED.get(str(k), (str(v),))
                      for k, v in zip(df["kind"], df["verified"])], index=df.index, dtype=bool)


def _choice_has_range(df: pd.DataFrame) -> pd.Series:
    return (df["kind"] != "teaching_choice") | ~blank(df["range_note"])


def _derived_parameter_shows_arithmetic(df: pd.DataFrame) -> pd.Series:
    return (df["kind"] != "derived") | note_has(df, "=")


def _assumption_says_so(df: pd.DataFrame) -> pd.Series:
    return (df["kind"] != "assumption") | note_has(df, "assumption")


def _constant_unique_per_module(df: pd.DataFrame) -> pd.Series:
    return ~df.duplicated(subset=["module", "constant"], keep="first")


MODEL_PARAMETERS = table(
    "model_parameters",
    {
        "parameter_id": text(pattern=SLUG_PATTERN, unique=True,
                             pattern_hint="is not a valid id (use lowercase letters, digits and _ only)"),
        "module": choice(MODEL_MODULES),
        "constant": text(pattern=CONSTANT_PATTERN,
                         pattern_hint="is not a module constant such as 'DOSE_STEP_G' or 'DEVINE_BASE_KG[male]'"),
        "description": text(min_length=10, max_length=400),
        "value": num("see unit column", min=None),
        "unit": text(),
        "kind": choice(PARAMETER_KINDS),
        "range_note": text(required=False),
        "verified": choice(VERIFIED_DERIVED),
        "source_ids": source_ids(),
        "note": text(required=False),
    },
    checks=[
        pa.Check(_kind_matches_verified,
                 error="columns 'kind' and 'verified' do not fit: verified_value needs yes or partial, "
                       "teaching_choice and derived need derived, assumption needs no"),
        pa.Check(_choice_has_range,
                 error="column 'range_note': a teaching choice must name the verified range it sits in"),
        pa.Check(_derived_parameter_shows_arithmetic,
                 error="column 'note': a derived value must show its arithmetic (with '=')"),
        pa.Check(_assumption_says_so,
                 error="column 'note': an assumption must say it is an assumption the learner can change"),
        pa.Check(_constant_unique_per_module,
                 error="columns 'module' and 'constant': this constant already has a row"),
    ],
    description="The clinical and teaching constants of the models, with their sources.",
)


SCHEMAS = {"products": PRODUCTS, "regimens": REGIMENS, "prices": PRICES,
           "model_parameters": MODEL_PARAMETERS}
