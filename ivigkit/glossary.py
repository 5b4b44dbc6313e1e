"""Glossary look-up over data/glossary.csv."""
from __future__ import annotations

import pandas as pd


def find_terms(glossary: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows whose term, abbreviation or definition contains `query` (case-insensitive).

    Terms that match by name come first. Raises ValueError when nothing matches."""
    text = (query or "").strip().lower()
    if not text:
        return glossary
    by_name = glossary["term"].str.lower().str.contains(text, regex=False) | glossary[
        "abbreviation"].fillna("").str.lower().str.contains(text, regex=False)
    by_text = glossary["definition"].str.lower().str.contains(text, regex=False)
    found = pd.concat([glossary[by_name], glossary[by_text & ~by_name]])
    if found.empty:
        raise ValueError(f"No glossary entry mentions '{query.strip()}'. Try a shorter word, "
                         "such as 'IgG' or 'relapse'.")
    return found
