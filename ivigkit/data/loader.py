"""Reading a data table: ``load(name)`` gives a validated, typed copy of data/<name>.csv.

Problems in a CSV raise :class:`DataError`, whose message names the file, the row (as a
spreadsheet numbers it: header = row 1) and the column, in plain sentences. A table whose bytes
match its stamp in data/checksums.json was validated when the stamp was written and is typed
without pandera (see ivigkit.data.checksums); any other table is validated in full.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import math
import time
from pathlib import Path

import pandas as pd

from ivigkit.data import checksums
from ivigkit.data.ids import source_columns, source_ids
from ivigkit.data.paths import csv_path, shown as _display, shown_dir as _display_dir

#: At most this many problems are listed in one DataError.
MAX_PROBLEMS = 10


class DataError(ValueError):
    """A data file is missing or does not follow its schema.

    The message is written for students: one sentence per problem, naming
    the file, the row and the column.
    """


def _schemas() -> dict:
    """The table schemas. Imported here, not at the top: pandera is only needed for a table that
    does not match its stamp (or for the stamp tool and the tests)."""
    from ivigkit.data.schemas import SCHEMAS

    return SCHEMAS


def tables() -> list[str]:
    """Registered table names (one per schema in ``ivigkit.data.schemas.SCHEMAS``)."""
    return sorted(_schemas())


# ---------------------------------------------------------------------------
# Reading the CSV (structure: header, field counts, row numbers)
# ---------------------------------------------------------------------------


def _problems(messages: list[str], intro: str | None = None) -> str:
    """Join problem sentences, capped at MAX_PROBLEMS."""
    shown = messages[:MAX_PROBLEMS]
    lines = ([intro] if intro else []) + shown
    if len(messages) > MAX_PROBLEMS:
        more = len(messages) - MAX_PROBLEMS
        lines.append(f"... and {more} more problem{'s' if more > 1 else ''} (fix the ones above first).")
    return "\n".join(lines)


def _text(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{shown}: the file is not UTF-8 text (byte {exc.start}). "
            "Save it as 'CSV UTF-8' from your spreadsheet program."
        ) from None


def _read_rows(text_data: str, shown: str, expected: list[str]) -> pd.DataFrame:
    """Parse a CSV's text into a string DataFrame indexed by spreadsheet row number."""
    reader = csv.reader(text_data.splitlines(keepends=True), strict=True)
    records: list[tuple[int, int, list[str]]] = []  # (row, first line, fields)
    row_no, prev_line = 0, 0
    try:
        for fields in reader:
            row_no += 1
            records.append((row_no, prev_line + 1, fields))
            prev_line = reader.line_num
    except csv.Error as exc:
        where = f"row {row_no + 1}" if row_no + 1 == prev_line + 1 else f"row {row_no + 1} (line {prev_line + 1})"
        raise DataError(
            f"{shown}, {where}: the CSV is malformed ({exc}). "
            "Check for a stray or unclosed double quote."
        ) from None

    if not records or not any(f.strip() for f in records[0][2]):
        raise DataError(f"{shown}: the file is empty; row 1 must be the header: {','.join(expected)}.")

    header = [h.strip() for h in records[0][2]]
    problems = []
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(f"{shown}, row 1 (header): column {', '.join(repr(d) for d in dupes)} appears twice.")
    missing = [c for c in expected if c not in header]
    extra = [h for h in header if h not in expected]
    if missing:
        problems.append(
            f"{shown}, row 1 (header): column {', '.join(repr(c) for c in missing)} is missing."
        )
    if extra:
        problems.append(
            f"{shown}, row 1 (header): column {', '.join(repr(c) for c in extra)} is not part of "
            f"this table."
        )
    if problems:
        raise DataError(_problems(problems, intro=None) + f"\nThe header must list exactly: {','.join(expected)}.")

    rows, index = [], []
    for number, line, fields in records[1:]:
        if not fields or all(not f.strip() for f in fields) and len(fields) <= 1:
            continue  # blank line
        if len(fields) != len(header):
            where = f"row {number}" if number == line else f"row {number} (line {line})"
            problems.append(
                f"{shown}, {where}: this row has {len(fields)} fields but the header has "
                f"{len(header)}. Look for a missing or extra comma, or a comma inside text "
                "that is not wrapped in double quotes."
            )
            continue
        rows.append(fields)
        index.append(number)
    if problems:
        raise DataError(_problems(problems))

    frame = pd.DataFrame(rows, columns=header, index=pd.Index(index, name="row"), dtype="str")
    frame = frame.where(frame != "", other=None)  # empty cell -> missing
    return frame[[c for c in expected]]


# ---------------------------------------------------------------------------
# Translating pandera failures into DataError sentences
# ---------------------------------------------------------------------------

_NON_CELL_CHECKS = ("column_in_schema", "column_in_dataframe", "column_ordered", "dataframe_column_labels_unique")


def _value(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "(empty)"
    s = str(v)
    return repr(s if len(s) <= 60 else s[:57] + "...")


def _translate(failures: pd.DataFrame, shown: str, frame: pd.DataFrame) -> list[str]:
    """Plain sentences for pandera's failure_cases table."""
    msgs: list[tuple[int, str, str]] = []  # (row, column, message) for sorting
    seen: set[tuple] = set()
    coerce_failed = set()
    for rec in failures.itertuples(index=False):
        check = str(rec.check)
        if check.startswith("coerce_dtype"):
            coerce_failed.add((rec.column, rec.index))
    for rec in failures.itertuples(index=False):
        check, column, row = str(rec.check), rec.column, rec.index
        row_i = int(row) if row is not None and not pd.isna(row) else 0
        if rec.schema_context == "DataFrameSchema" and check not in _NON_CELL_CHECKS:
            key = ("frame", row_i, check)
            if key in seen:
                continue
            seen.add(key)
            msgs.append((row_i, "", f"{shown}, row {row_i}, {check}."))
            continue
        if check in _NON_CELL_CHECKS:
            key = ("col", column, check)
            if key not in seen:
                seen.add(key)
                msgs.append((0, str(column), f"{shown}, row 1 (header): column {rec.failure_case!r} "
                                             f"does not match this table's columns."))
            continue
        if check.startswith("dtype(") and (column, row) in coerce_failed:
            continue  # already reported by the coercion failure
        if check.startswith(("coerce_dtype", "dtype(")):
            kind = "a whole number" if "Int" in check else "a number"
            text_msg = f"{_value(rec.failure_case)} is not {kind}"
        elif check == "not_nullable":
            text_msg = "this cell is empty, but a value is required"
        elif check == "field_uniqueness":
            col = frame[column]
            rows = [int(i) for i in col.index[col == rec.failure_case]]
            others = [r for r in rows if r != row_i]
            also = f" (also on row {', '.join(map(str, others))})" if others else ""
            text_msg = f"{_value(rec.failure_case)} appears more than once in this column{also}; each value must be unique"
        else:
            text_msg = f"{_value(rec.failure_case)} {check}"
        key = ("cell", column, row_i, text_msg)
        if key in seen:
            continue
        seen.add(key)
        msgs.append((row_i, str(column), f"{shown}, row {row_i}, column '{column}': {text_msg}."))
    msgs.sort(key=lambda m: (m[0], m[1]))
    return [m[2] for m in msgs]


def _cross_check_sources(frame: pd.DataFrame, shown: str, known: set[str], sources_shown: str) -> list[str]:
    problems = []
    for column in source_columns(frame.columns):
        for row, cell in frame[column].items():
            for sid in source_ids(cell):
                if sid not in known:
                    problems.append(
                        f"{shown}, row {row}, column '{column}': source {sid!r} is not in {sources_shown}."
                    )
    return problems


# ---------------------------------------------------------------------------
# Loading with a cache keyed on path + mtime (+ size and content digest)
# ---------------------------------------------------------------------------


def _stamp(path: Path) -> tuple:
    """Cache key for one file: resolved path, mtime and size, plus a content digest only for
    files changed in the last few seconds (file times are coarse, so two quick edits of the
    same size could share an mtime; hashing every file on every load would be slow)."""
    try:
        st = path.stat()
        recent = time.time_ns() - st.st_mtime_ns < _RECENT_NS
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() if recent else None
    except OSError:
        return (str(path.resolve()), None, None, None)
    return (str(path.resolve()), st.st_mtime_ns, st.st_size, digest)


_RECENT_NS = 2_000_000_000


@functools.lru_cache(maxsize=64)
def _matches_stamp(name: str, stamp: tuple) -> checksums.Stamp | None:
    """The stamp of table `name` if the file (identified by `stamp`) is byte-for-byte as stamped."""
    path = Path(stamp[0])
    entry = checksums.read(path.parent).get(name)
    try:
        return entry if entry and checksums.sha256(path.read_bytes()) == entry.sha256 else None
    except OSError:
        return None


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, stamp: tuple, sources_stamp: tuple | None) -> pd.DataFrame:
    path = Path(stamp[0])
    shown = _display(path)
    stamped = _matches_stamp(name, stamp)
    if stamped and (sources_stamp is None or _matches_stamp("sources", sources_stamp)):
        frame = _read_rows(_text(path.read_bytes(), shown), shown, list(stamped.dtypes))
        return checksums.typed(frame, stamped.dtypes).reset_index(drop=True)
    return _validated(name, path, sources_stamp)


def _validated(name: str, path: Path, sources_stamp: tuple | None) -> pd.DataFrame:
    """The table after full validation against its schema and, if it cites sources, against
    sources.csv."""
    import pandera.pandas as pa  # only on this path: see _schemas

    shown = _display(path)
    schema = _schemas()[name]
    frame = _read_rows(_text(path.read_bytes(), shown), shown, list(schema.columns))
    try:
        validated = schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        validated = None
        problems = _translate(exc.failure_cases, shown, frame)
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True should collect
        validated = None
        problems = [f"{shown}: {exc.args[0] if exc.args else 'the table does not follow its schema'}."]
    else:
        problems = []
    if validated is not None and sources_stamp is not None:
        try:
            sources = _load_cached("sources", sources_stamp, None)
        except DataError as exc:
            raise DataError(
                f"The source ids in {shown} cannot be checked until "
                f"{_display(Path(sources_stamp[0]))} is fixed:\n{exc}"
            ) from None
        problems += _cross_check_sources(
            validated, shown, set(sources["id"]), _display(Path(sources_stamp[0]))
        )
    if problems:
        n = len(problems)
        intro = f"{shown} has {n} problem{'s' if n > 1 else ''}:" if n > 1 else None
        raise DataError(_problems(problems, intro))
    return validated.reset_index(drop=True)


def _cites_sources(name: str, path: Path) -> bool:
    stamped = checksums.read(path.parent).get(name)
    columns = list(stamped.dtypes) if stamped else list(_schemas()[name].columns)
    return name != "sources" and bool(source_columns(columns))


def load(name: str) -> pd.DataFrame:
    """Read ``data/<name>.csv``, validated, and return a copy of the table.

    Raises :class:`DataError` (plain sentences naming file, row and column)
    for an unknown table, a missing or malformed file, schema violations, or
    source ids that are not in ``data/sources.csv``.
    """
    path = csv_path(name)
    if name not in checksums.read(path.parent) and name not in _schemas():
        raise DataError(
            f"There is no table called {name!r}. Known tables: {', '.join(tables())}. "
            "(Use the name without '.csv'.)"
        )
    if not path.is_file():
        raise DataError(
            f"{_display(path)}: the file is missing. Every registered table needs its CSV "
            f"file in the data folder ({_display_dir(path.parent)})."
        )
    sources_stamp = None
    if _cites_sources(name, path):
        spath = csv_path("sources")
        if not spath.is_file():
            raise DataError(
                f"{_display(spath)}: the file is missing, so the source ids in "
                f"{_display(path)} cannot be checked."
            )
        sources_stamp = _stamp(spath)
    return _load_cached(name, _stamp(path), sources_stamp).copy()


def validate_all(folder: Path) -> dict[str, tuple[bytes, pd.DataFrame]]:
    """Every registered table in `folder`, validated in full: name -> (CSV bytes, table).
    Raises DataError for the first table with a problem (the stamp tool writes nothing then)."""
    out = {}
    for name in tables():
        path = Path(folder) / f"{name}.csv"
        sources = Path(folder) / "sources.csv"
        cites = name != "sources" and bool(source_columns(_schemas()[name].columns))
        out[name] = (path.read_bytes(), _validated(name, path, _stamp(sources) if cites else None))
    return out


def version(name: str) -> tuple:
    """A value that changes whenever data/<name>.csv changes: a key for caches built on a table."""
    return _stamp(csv_path(name))


def clear_cache() -> None:
    """Forget every cached table (normally not needed: edits are detected)."""
    _load_cached.cache_clear()
    _matches_stamp.cache_clear()
