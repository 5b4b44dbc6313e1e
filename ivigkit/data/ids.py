"""Source ids as the tables hold them: ``;``-separated slugs of data/sources.csv in every column
whose name starts with 'source'."""
from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd


def source_columns(columns: Iterable[str]) -> list[str]:
    """Columns whose name starts with 'source' (they hold ``;``-separated source ids)."""
    return [c for c in columns if str(c).startswith("source")]


def source_ids(text: object) -> list[str]:
    """Split a ``"a;b"`` cell into ids (``[]`` for an empty or missing cell)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


def ids_in(cells: Iterable[object]) -> list[str]:
    """Every id in several ``"a;b"`` cells, once each, in first-cited order."""
    return list(dict.fromkeys(i for cell in cells for i in source_ids(cell)))


def table_source_ids(table: pd.DataFrame) -> list[str]:
    """Every source a table's rows cite, once each, in first-cited order."""
    return ids_in(cell for column in source_columns(table.columns) for cell in table[column])
