"""The data layer: the only code that reads the workbook's files.

    >>> from ivigkit import data
    >>> gl = data.load("glossary")          # validated, typed pandas DataFrame (a copy)
    >>> data.cite("fazekas1997_lancet;achiron1998_neurology")

What is where:

- ``loader``: ``load(name)`` reads data/<name>.csv, checks it against its schema (or its stamp
  in data/checksums.json, see ``checksums``) and raises :class:`DataError` in plain sentences;
- ``schemas/``: one pandera schema per table, by topic, built from the column builders of
  ``schemas.columns``; ``vocab`` holds every enumeration the tables, models and apps share;
- ``catalog``: products, regimens, prices and model parameters as typed records;
- ``documents``: the YAML files (quizzes, cases, the learning path), read with clear errors;
- ``ids`` and ``citations``: source ids in a table, and the references they point to.

The data directory is ``<repo>/data`` unless the environment variable ``IVIGKIT_DATA_DIR``
points elsewhere. Educational material only; not for clinical use.
"""
from __future__ import annotations

from ivigkit.data.citations import cite, format_reference
from ivigkit.data.ids import ids_in, source_columns, source_ids, table_source_ids
from ivigkit.data.loader import MAX_PROBLEMS, DataError, clear_cache, load, tables, version
from ivigkit.data.paths import DATA_DIR, data_dir

__all__ = ["DATA_DIR", "DataError", "MAX_PROBLEMS", "cite", "clear_cache", "data_dir", "format_reference",
           "ids_in", "load", "source_columns", "source_ids", "table_source_ids", "tables", "version"]
