"""One pandera schema per data table, by topic; :data:`SCHEMAS` registers them.

Adding an entry to a topic module's ``SCHEMAS`` registers a new table: ivigkit.data.load, the
checksum stamp (tools/stamp_data.py) and tests/data pick it up. Every schema is strict: the CSV
must have exactly the declared columns. Importing this package imports pandera (about 0.3 s and
18 MiB), which a kernel only pays when a table differs from its checked stamp.
"""
from __future__ import annotations

from ivigkit.data.schemas import course, dosing, evidence, mechanism, nursing, pharmacy, place, safety, sources
from ivigkit.data.schemas.columns import numeric_columns, source_columns

#: Table name -> schema.
SCHEMAS = {**sources.SCHEMAS, **dosing.SCHEMAS, **evidence.SCHEMAS, **course.SCHEMAS,
           **mechanism.SCHEMAS, **safety.SCHEMAS, **place.SCHEMAS, **nursing.SCHEMAS,
           **pharmacy.SCHEMAS}

__all__ = ["SCHEMAS", "numeric_columns", "source_columns"]
