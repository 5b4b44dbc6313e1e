"""Citing sources: the sources.csv rows behind a list of ids, and a short reference for each."""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from ivigkit.data.ids import source_ids
from ivigkit.data.loader import DataError, load
from ivigkit.data.paths import csv_path, shown


def cite(ids: str | Iterable[str]) -> pd.DataFrame:
    """The ``sources`` rows for ``ids`` (a ``"a;b"`` string or a list), in order.

    Duplicates are dropped; an unknown id raises :class:`~ivigkit.data.DataError`.
    """
    wanted = source_ids(ids) if isinstance(ids, str) else [i for x in ids for i in source_ids(x)]
    wanted = list(dict.fromkeys(wanted))
    sources = load("sources").set_index("id", drop=False)
    unknown = [i for i in wanted if i not in sources.index]
    if unknown:
        raise DataError(f"Source {', '.join(repr(u) for u in unknown)} is not in {shown(csv_path('sources'))}.")
    return sources.loc[wanted].reset_index(drop=True)


def _cell(row: Mapping | pd.Series, key: str) -> str:
    value = row.get(key) if hasattr(row, "get") else getattr(row, key, None)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def format_reference(row: Mapping | pd.Series) -> str:
    """Short citation for one sources row, e.g.

    ``Fazekas F et al. (1997). Title. Lancet 349:589-93. PMID 9057729.``
    Uses the PMID if there is one, else the DOI, else the URL.
    """

    def sentence(s: str) -> str:
        return s if s.endswith((".", "?", "!")) else s + "."

    year = _cell(row, "year")
    year = year[:-2] if year.endswith(".0") else year
    authors, title, publisher = _cell(row, "authors"), _cell(row, "title"), _cell(row, "publisher")
    head = f"{authors} ({year or 'n.d.'})." if authors else f"({year or 'n.d.'})."
    parts = [head, sentence(title)] if title else [head]
    if publisher:
        parts.append(sentence(publisher))
    if pmid := _cell(row, "pmid"):
        parts.append(f"PMID {pmid}.")
    elif doi := _cell(row, "doi"):
        parts.append(f"doi:{doi}.")
    elif url := _cell(row, "url"):
        parts.append(f"{url}")
    return " ".join(parts)
