"""Schemas of data/sources.csv (every source the tables cite) and data/glossary.csv."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import blank, choice, num, source_ids, table, text
from ivigkit.data.vocab import SLUG_PATTERN, SOURCE_KINDS, VERIFIED


def _has_locator(df: pd.DataFrame) -> pd.Series:
    return ~(blank(df["pmid"]) & blank(df["doi"]) & blank(df["url"]))


def _nd_explained(df: pd.DataFrame) -> pd.Series:
    note = df["note"].fillna("").astype("str").str.lower()
    return df["year"].notna() | note.str.contains("n.d.", regex=False)


def _missing_authors_explained(df: pd.DataFrame) -> pd.Series:
    note = df["note"].fillna("").astype("str").str.lower()
    return ~blank(df["authors"]) | note.str.contains("not displayed|not shown|no author", regex=True)


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

SCHEMAS = {"sources": SOURCES, "glossary": GLOSSARY}
