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

#: Table name -> schema. Adding an entry registers a new table.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sources": SOURCES,
    "glossary": GLOSSARY,
}
