"""Column builders and row checks shared by every table's schema (pandera).

Each check carries a plain-English ``error`` phrased so that "'<value>' <error>" reads as a
sentence; ivigkit.data.loader turns failures into DataError messages with it. Numeric columns
carry their unit in their name (``dose_g_per_kg``) and in their metadata, so the data dictionary
(data/README.md) can be checked against it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.ids import source_columns
from ivigkit.data.vocab import SOURCE_LIST_PATTERN

__all__ = ["text", "choice", "num", "positive", "one_of_numbers", "number_list", "source_ids", "table",
           "numeric_columns", "source_columns", "blank", "numeric", "not_above", "note_has", "numbers",
           "NUMBER_LIST_PATTERN"]


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



def blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("str").str.strip() == "")




NUMBER_LIST_PATTERN = r"^[0-9]+(\.[0-9]+)?(\s*;\s*[0-9]+(\.[0-9]+)?)*$"


def numbers(cell: object) -> list[float]:
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
                values = numbers(cell)
            except ValueError:
                return True  # reported by the pattern check
            return all(0 < n <= max for n in values)
        return series.map(ok).astype(bool)

    column.checks.append(pa.Check(list_within_bounds, error=f"has a number that is not greater than 0 and at most {max:g} ({unit})"))
    if step is not None:
        def list_on_grid(series: pd.Series) -> pd.Series:
            def ok(cell) -> bool:
                try:
                    return all(abs(n / step - round(n / step)) < 1e-9 for n in numbers(cell))
                except ValueError:
                    return True
            return series.map(ok).astype(bool)
        column.checks.append(pa.Check(list_on_grid, error=f"has a number that is not a multiple of {step:g} ({unit})"))
    column.metadata["list_unit"] = unit
    return column


def numeric(df: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(df[column], errors="coerce")


def not_above(df: pd.DataFrame, low: str, high: str) -> pd.Series:
    """True where either cell is empty or low <= high."""
    lo, hi = numeric(df, low), numeric(df, high)
    return lo.isna() | hi.isna() | (lo <= hi + 1e-12)


def note_has(df: pd.DataFrame, pattern: str) -> pd.Series:
    return df["note"].fillna("").astype("str").str.contains(pattern, case=False, regex=True)
