"""Pandera schemas for the workbook's data tables (``data/<name>.csv``).

One ``DataFrameSchema`` per table lives in :data:`SCHEMAS`; adding an entry
registers the table (``ivigkit.data.load`` and ``tests/test_data.py`` pick it
up automatically). Every schema is strict: the CSV must have exactly the
declared columns.

Conventions
-----------
* Numeric columns carry their unit in their name (``dose_g_per_kg``,
  ``rate_mg_per_kg_min``, ``price_usd_per_g``) and are declared with
  :func:`num`, which also records the unit in the column metadata so the data
  dictionary (``data/README.md``) can be checked against it.
* Every fact table has a column whose name starts with ``source`` holding
  ``;``-separated ids from ``data/sources.csv`` (declare it with
  :func:`source_ids`). ``ivigkit.data.load`` checks that each id exists.
* Verification labels: ``yes`` / ``partial`` / ``no``; tables holding
  arithmetic on verified inputs may also use ``derived`` (:data:`VERIFIED_DERIVED`).

Educational material only; not for clinical use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import pandera.pandas as pa

__all__ = [
    "SCHEMAS",
    "SOURCE_KINDS",
    "VERIFIED",
    "VERIFIED_DERIVED",
    "SLUG_PATTERN",
    "text",
    "num",
    "positive",
    "one_of_numbers",
    "number_list",
    "choice",
    "source_ids",
    "table",
    "numeric_columns",
    "source_columns",
]

#: Verification labels for rows read in a source (see data/README.md).
VERIFIED = ("yes", "partial", "no")
#: Labels for tables that also hold arithmetic on verified inputs.
VERIFIED_DERIVED = VERIFIED + ("derived",)

#: Allowed values of ``sources.kind``.
SOURCE_KINDS = (
    "journal_article",
    "abstract",
    "review",
    "meta_analysis",
    "systematic_review",
    "guideline",
    "product_label",
    "trial_registry",
    "web_page",
    "government",
    "calculator",
    "news",
    "textbook",
)

#: Ids are lowercase slugs.
SLUG_PATTERN = r"^[a-z0-9_]+$"
#: A ``;``-separated list of slugs (spaces around ``;`` allowed).
SOURCE_LIST_PATTERN = r"^[a-z0-9_]+(\s*;\s*[a-z0-9_]+)*$"


# --------------------------------------------------------------------------
# Column helpers. Each check carries a plain-English ``error`` phrased so that
# "'<value>' <error>" reads as a sentence; ivigkit.data turns failures into
# DataError messages with it.
# --------------------------------------------------------------------------


def _not_blank(series: pd.Series) -> pd.Series:
    """True where a present value is more than whitespace (missing values pass)."""
    return series.isna() | (series.astype("str").str.strip() != "")


def text(
    required: bool = True,
    *,
    pattern: str | None = None,
    pattern_hint: str | None = None,
    unique: bool = False,
    min_length: int | None = None,
    max_length: int | None = None,
    description: str = "",
) -> pa.Column:
    """A text column ('-' unit). ``required`` means the cell may not be empty."""
    checks = [pa.Check(_not_blank, error="is only spaces; write a value or leave the cell empty")]
    if pattern is not None:
        hint = pattern_hint or f"does not match the pattern {pattern}"
        checks.append(pa.Check.str_matches(pattern, error=hint))
    if min_length is not None or max_length is not None:
        lo, hi = min_length or 0, max_length
        if hi is None:
            err = f"is too short (needs at least {lo} characters)"
        else:
            err = f"has the wrong length (needs {lo} to {hi} characters)"
        checks.append(
            pa.Check(
                lambda s, lo=lo, hi=hi: s.isna()
                | ((s.str.len() >= lo) & ((s.str.len() <= hi) if hi else True)),
                error=err,
            )
        )
    return pa.Column(
        str,
        nullable=not required,
        unique=unique,
        checks=checks,
        description=description,
        metadata={"unit": "-"},
    )


def choice(
    values: Iterable[str], required: bool = True, *, description: str = ""
) -> pa.Column:
    """A text column restricted to ``values``."""
    values = tuple(values)
    return pa.Column(
        str,
        nullable=not required,
        checks=[pa.Check.isin(values, error=f"is not allowed here; use one of: {', '.join(values)}")],
        description=description,
        metadata={"unit": "-", "allowed": values},
    )


def _in_range(series: pd.Series, lo: float | None, hi: float | None) -> pd.Series:
    """Range check that ignores missing and non-numeric cells (reported elsewhere)."""
    values = pd.to_numeric(series, errors="coerce")
    ok = values.isna()
    inside = pd.Series(True, index=series.index)
    if lo is not None:
        inside &= values >= lo
    if hi is not None:
        inside &= values <= hi
    return ok | inside


def num(
    unit: str,
    *,
    min: float | None = 0,  # noqa: A002 - mirrors the data dictionary wording
    max: float | None = None,  # noqa: A002
    integer: bool = False,
    required: bool = True,
    description: str = "",
) -> pa.Column:
    """A numeric column in ``unit`` (e.g. ``num("g/kg", max=3)``); values coerced.

    ``integer=True`` stores a nullable whole number (``Int64``), otherwise
    ``float64``. ``min``/``max`` are inclusive; pass ``None`` for no bound.
    """
    if min is not None and max is not None:
        err = f"is outside the allowed range {min:g} to {max:g} ({unit})"
    elif min is not None:
        err = f"is below the allowed minimum {min:g} ({unit})"
    elif max is not None:
        err = f"is above the allowed maximum {max:g} ({unit})"
    else:
        err = "is out of range"
    checks = []
    if min is not None or max is not None:
        checks.append(pa.Check(lambda s, lo=min, hi=max: _in_range(s, lo, hi), error=err))
    return pa.Column(
        "Int64" if integer else "float64",
        nullable=not required,
        coerce=True,
        checks=checks,
        description=description,
        metadata={"unit": unit, "integer": integer},
    )


def source_ids(required: bool = True, *, description: str = "") -> pa.Column:
    """``;``-separated ids from sources.csv (existence is checked by ivigkit.data)."""
    return text(
        required,
        pattern=SOURCE_LIST_PATTERN,
        pattern_hint="is not a list of source ids such as 'fazekas1997_lancet;achiron1998_neurology'",
        description=description or "ids from data/sources.csv, separated by ';'",
    )


def table(
    name: str,
    columns: Mapping[str, pa.Column],
    *,
    checks: Iterable[pa.Check] = (),
    description: str = "",
) -> pa.DataFrameSchema:
    """A strict schema: the CSV must have exactly ``columns`` (any order)."""
    return pa.DataFrameSchema(
        dict(columns),
        checks=list(checks),
        strict=True,
        name=name,
        description=description,
    )


def numeric_columns(schema: pa.DataFrameSchema) -> dict[str, str]:
    """Numeric column name -> unit, for one schema."""
    out = {}
    for col_name, col in schema.columns.items():
        dtype = str(col.dtype)
        if dtype.startswith(("Int", "int", "float", "Float")):
            out[col_name] = (col.metadata or {}).get("unit", "")
    return out


def source_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name starts with 'source' (they hold source ids)."""
    return [c for c in columns if str(c).startswith("source")]


# --------------------------------------------------------------------------
# Frame-level checks (row-wise booleans so failures map to rows).
# --------------------------------------------------------------------------


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("str").str.strip() == "")


def _has_locator(df: pd.DataFrame) -> pd.Series:
    return ~(_blank(df["pmid"]) & _blank(df["doi"]) & _blank(df["url"]))


def _nd_explained(df: pd.DataFrame) -> pd.Series:
    note = df["note"].fillna("").astype("str").str.lower()
    return df["year"].notna() | note.str.contains("n.d.", regex=False)


def _missing_authors_explained(df: pd.DataFrame) -> pd.Series:
    note = df["note"].fillna("").astype("str").str.lower()
    return ~_blank(df["authors"]) | note.str.contains("not displayed|not shown|no author", regex=True)


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

SOURCES = table(
    "sources",
    {
        "id": text(pattern=SLUG_PATTERN, unique=True,
                   pattern_hint="is not a valid id (use lowercase letters, digits and _ only)"),
        "authors": text(required=False),
        "year": num("calendar year", min=1950, max=2030, integer=True, required=False),
        "title": text(),
        "publisher": text(),
        "pmid": text(required=False, pattern=r"^[0-9]{1,9}$",
                     pattern_hint="is not a PubMed id (digits only)"),
        "doi": text(required=False, pattern=r"^10\.[0-9]{4,9}/\S+$",
                    pattern_hint="is not a DOI (it should look like 10.1234/abcd, without 'doi:' or 'https://')"),
        "url": text(required=False, pattern=r"^https?://\S+$",
                    pattern_hint="is not a web address (it should start with http:// or https://)"),
        "kind": choice(SOURCE_KINDS),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[
        pa.Check(_has_locator,
                 error="columns 'pmid', 'doi', 'url': all three are empty; give at least one of them"),
        pa.Check(_nd_explained,
                 error="column 'year': the year is empty, so column 'note' must say 'n.d.' (no date)"),
        pa.Check(_missing_authors_explained,
                 error="column 'authors': the authors are empty, so column 'note' must say they were not displayed"),
    ],
    description="Every source cited by the data tables.",
)

GLOSSARY = table(
    "glossary",
    {
        "term": text(unique=True),
        "abbreviation": text(required=False),
        "definition": text(min_length=20, max_length=600),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
    },
    description="Plain-language definitions for students.",
)

# --------------------------------------------------------------------------
# Helpers for the product, regimen and price tables
# --------------------------------------------------------------------------

#: A ``;``-separated list of plain decimal numbers, e.g. ``5;10;20`` or ``0.5;1.3;2.1``.
NUMBER_LIST_PATTERN = r"^[0-9]+(\.[0-9]+)?(\s*;\s*[0-9]+(\.[0-9]+)?)*$"


def _numbers(cell: object) -> list[float]:
    """'5;10;20' -> [5.0, 10.0, 20.0]; empty or missing -> []."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [float(part) for part in str(cell).split(";") if part.strip()]


def positive(unit: str, *, max: float, integer: bool = False, required: bool = False,  # noqa: A002
             description: str = "") -> pa.Column:
    """A numeric column in ``unit`` that must be greater than 0 and at most ``max``."""
    column = num(unit, min=None, max=max, integer=integer, required=required, description=description)
    column.checks.append(pa.Check(
        lambda s: pd.to_numeric(s, errors="coerce").isna() | (pd.to_numeric(s, errors="coerce") > 0),
        error=f"is not allowed here: it must be greater than 0 ({unit})"))
    return column


def one_of_numbers(unit: str, values: Iterable[float], *, required: bool = False,
                   description: str = "") -> pa.Column:
    """A numeric column in ``unit`` restricted to ``values`` (e.g. a concentration of 5 or 10 %)."""
    values = tuple(float(v) for v in values)
    column = num(unit, min=None, max=None, required=required, description=description)
    column.checks.append(pa.Check(
        lambda s: pd.to_numeric(s, errors="coerce").isna() | pd.to_numeric(s, errors="coerce").isin(values),
        error=f"is not allowed here; use one of: {', '.join(f'{v:g}' for v in values)} ({unit})"))
    column.metadata["allowed"] = values
    return column


def number_list(unit: str, *, max: float, step: float | None = None, description: str = "") -> pa.Column:
    """Optional text column holding ``;``-separated positive numbers in ``unit`` (e.g. ``5;10;20``).

    The unit is recorded under ``list_unit`` (the column itself is text, unit '-')."""
    column = text(False, pattern=NUMBER_LIST_PATTERN,
                  pattern_hint=f"is not a list of numbers separated by ';' such as '5;10;20' ({unit})",
                  description=description)

    def list_within_bounds(series: pd.Series) -> pd.Series:
        def ok(cell) -> bool:
            try:
                numbers = _numbers(cell)
            except ValueError:
                return True  # reported by the pattern check
            return all(0 < n <= max for n in numbers)
        return series.map(ok).astype(bool)

    column.checks.append(pa.Check(list_within_bounds, error=f"has a number that is not greater than 0 and at most {max:g} ({unit})"))
    if step is not None:
        def list_on_grid(series: pd.Series) -> pd.Series:
            def ok(cell) -> bool:
                try:
                    return all(abs(n / step - round(n / step)) < 1e-9 for n in _numbers(cell))
                except ValueError:
                    return True
            return series.map(ok).astype(bool)
        column.checks.append(pa.Check(list_on_grid, error=f"has a number that is not a multiple of {step:g} ({unit})"))
    column.metadata["list_unit"] = unit
    return column


def _numeric(df: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(df[column], errors="coerce")


def _not_above(df: pd.DataFrame, low: str, high: str) -> pd.Series:
    """True where either cell is empty or low <= high."""
    lo, hi = _numeric(df, low), _numeric(df, high)
    return lo.isna() | hi.isna() | (lo <= hi + 1e-12)


def _note_has(df: pd.DataFrame, pattern: str) -> pd.Series:
    return df["note"].fillna("").astype("str").str.contains(pattern, case=False, regex=True)


# -- products ---------------------------------------------------------------

RATE_MAX_MG_PER_KG_MIN = 20.0   # plausibility bound for any labelled IVIG rate (highest in the labels read: 14)


def _ladder_ascending(df: pd.DataFrame) -> pd.Series:
    def ok(cell) -> bool:
        try:
            steps = _numbers(cell)
        except ValueError:
            return True
        return all(b > a for a, b in zip(steps, steps[1:]))
    return df["rate_steps_mg_per_kg_min"].map(ok).astype(bool)


def _ladder_matches_rates(df: pd.DataFrame) -> pd.Series:
    """The ladder starts at the initial rate and ends at the maximum rate (where those are given)."""
    out = []
    for _, row in df.iterrows():
        try:
            steps = _numbers(row["rate_steps_mg_per_kg_min"])
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
    return _blank(df["rate_steps_mg_per_kg_min"]) | df["step_minutes"].notna()


def _rates_have_indication(df: pd.DataFrame) -> pd.Series:
    no_rates = df["initial_rate_mg_per_kg_min"].isna() & df["max_rate_mg_per_kg_min"].isna()
    return no_rates | ~_blank(df["rate_indication"])


def _iga_has_basis(df: pd.DataFrame) -> pd.Series:
    return df["iga_ug_per_ml"].isna() == _blank(df["iga_basis"])


PRODUCTS = table(
    "products",
    {
        "product_id": text(pattern=SLUG_PATTERN, unique=True,
                           pattern_hint="is not a valid id (use lowercase letters, digits and _ only)"),
        "name": text(unique=True),
        "manufacturer": text(),
        "concentration_pct": one_of_numbers("%", (5, 10)),
        "stabiliser": text(required=False),
        "sugar": choice(("none", "maltose", "sorbitol", "glucose", "unknown")),
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
        "step_rule": text(min_length=10, max_length=400),
        "verified": choice(VERIFIED),
        "source_ids": source_ids(),
        "note": text(required=False),
    },
    checks=[
        pa.Check(lambda df: _not_above(df, "osmolality_mosm_per_kg_low", "osmolality_mosm_per_kg_high"),
                 error="column 'osmolality_mosm_per_kg_high' is below 'osmolality_mosm_per_kg_low'"),
        pa.Check(lambda df: _not_above(df, "initial_rate_mg_per_kg_min", "max_rate_mg_per_kg_min"),
                 error="column 'max_rate_mg_per_kg_min' is below 'initial_rate_mg_per_kg_min'"),
        pa.Check(lambda df: _not_above(df, "at_risk_max_rate_mg_per_kg_min", "max_rate_mg_per_kg_min"),
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
        pa.Check(_iga_has_basis,
                 error="columns 'iga_ug_per_ml' and 'iga_basis': give both (a number and max or average) or neither"),
    ],
    description="IVIG products as their labels describe them (one row per product).",
)

# -- regimens ---------------------------------------------------------------

POPULATIONS = ("RRMS", "CIS", "SPMS", "progressive", "postpartum", "pregnancy", "NMOSD", "relapse", "other")
EVIDENCE = ("trial", "guideline", "case_series", "commonly_quoted")
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
    interval, days = _numeric(df, "interval_days"), _numeric(df, "days_per_course")
    return interval.isna() | days.isna() | (days <= interval)


def _course_total_plausible(df: pd.DataFrame) -> pd.Series:
    days = _numeric(df, "days_per_course")
    high = _numeric(df, "dose_g_per_kg_per_day_high").fillna(_numeric(df, "dose_g_per_kg_per_day_low"))
    load = _numeric(df, "loading_g_per_kg_per_day") * _numeric(df, "loading_days")
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
        "population": choice(POPULATIONS),
        "evidence": choice(EVIDENCE),
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
        pa.Check(lambda df: _not_above(df, "dose_g_per_kg_per_day_low", "dose_g_per_kg_per_day_high"),
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

PRICE_CATEGORIES = ("ivig_price", "administration", "nursing_rate", "supplies", "infusion_cost",
                    "annual_ivig_cost", "course_cost", "dmt_annual")
PRICE_PER = ("g", "500_mg", "administration", "infusion", "minute", "year", "patient_year", "course")
SETTINGS = ("home", "infusion_centre", "hospital", "hospital_outpatient", "any")


def _claim_is_unverified(df: pd.DataFrame) -> pd.Series:
    return (df["is_claim"] != "yes") | (df["verified"] == "no")


def _derived_shows_arithmetic(df: pd.DataFrame) -> pd.Series:
    return (df["verified"] != "derived") | _note_has(df, "=")


def _undated_explained(df: pd.DataFrame) -> pd.Series:
    return df["year"].notna() | _note_has(df, "no date")


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
        pa.Check(lambda df: _not_above(df, "value_usd_low", "value_usd_high"),
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

#: The ivigkit modules whose constants model_parameters.csv records.
MODEL_MODULES = ("dosing", "infusion", "pk", "cost", "course", "screening")
#: What kind of number a model constant is (see data/README.md).
PARAMETER_KINDS = ("verified_value", "teaching_choice", "assumption", "derived")
#: A module constant, with a key in brackets for a dict (or an index for a tuple).
CONSTANT_PATTERN = r"^[A-Z][A-Z0-9_]*(\[[A-Za-z0-9_]+\])?$"
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
    return (df["kind"] != "teaching_choice") | ~_blank(df["range_note"])


def _derived_parameter_shows_arithmetic(df: pd.DataFrame) -> pd.Series:
    return (df["kind"] != "derived") | _note_has(df, "=")


def _assumption_says_so(df: pd.DataFrame) -> pd.Series:
    return (df["kind"] != "assumption") | _note_has(df, "assumption")


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

#: Table name -> schema. Adding an entry registers a new table.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sources": SOURCES,
    "glossary": GLOSSARY,
    "products": PRODUCTS,
    "regimens": REGIMENS,
    "prices": PRICES,
    "model_parameters": MODEL_PARAMETERS,
}

# The evidence, MS-course, mechanism and safety tables live in their own modules (they import
# the helpers above).
from ivigkit.schemas_course import SCHEMAS as _COURSE_SCHEMAS  # noqa: E402
from ivigkit.schemas_evidence import SCHEMAS as _EVIDENCE_SCHEMAS  # noqa: E402
from ivigkit.schemas_mechanism import SCHEMAS as _MECHANISM_SCHEMAS  # noqa: E402
from ivigkit.schemas_safety import SCHEMAS as _SAFETY_SCHEMAS  # noqa: E402

SCHEMAS.update(_EVIDENCE_SCHEMAS)
SCHEMAS.update(_COURSE_SCHEMAS)
SCHEMAS.update(_MECHANISM_SCHEMAS)
SCHEMAS.update(_SAFETY_SCHEMAS)
