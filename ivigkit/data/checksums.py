"""The stamp of checked tables: data/checksums.json.

`make stamp` (tools/stamp_data.py) validates every table against its schema and writes, for
each, the SHA-256 of its CSV and the column types the validated table has. A kernel that finds a
table byte-for-byte as stamped builds it from the CSV with those types and skips pandera (whose
import and checks cost every kernel about 0.6 s and 18 MiB); a table edited since, by hand or
by a tool, differs from its stamp and is validated in full, with the same clear messages.
tests/data check that the stamp is current and that both paths give identical tables.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FILE_NAME = "checksums.json"


@dataclass(frozen=True)
class Stamp:
    """One table as it was when it passed validation."""

    sha256: str
    dtypes: dict[str, str]  # column -> pandas dtype of the validated table, in column order


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read(folder: Path) -> dict[str, Stamp]:
    """The stamps in `folder`/checksums.json; empty if there is none or it cannot be read (then
    every table is validated in full)."""
    try:
        tables = json.loads((Path(folder) / FILE_NAME).read_text(encoding="utf-8"))["tables"]
        return {name: Stamp(entry["sha256"], dict(entry["dtypes"])) for name, entry in tables.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write(folder: Path, validated: dict[str, tuple[bytes, pd.DataFrame]]) -> Path:
    """Write the stamps of tables that passed validation: name -> (CSV bytes, validated frame)."""
    path = Path(folder) / FILE_NAME
    tables = {name: {"sha256": sha256(raw), "dtypes": {c: str(t) for c, t in frame.dtypes.items()}}
              for name, (raw, frame) in sorted(validated.items())}
    about = ("Written by `make stamp` (tools/stamp_data.py) after every table passed validation: a "
             "kernel skips re-validating a table whose CSV still has this SHA-256. Do not edit by hand.")
    path.write_text(json.dumps({"about": about, "tables": tables}, indent=1) + "\n", encoding="utf-8")
    return path


def typed(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """A table read as text, given the validated column types (numbers coerced as the schema does)."""
    out = frame.copy()
    for column, dtype in dtypes.items():
        if dtype != str(out[column].dtype):
            out[column] = pd.to_numeric(out[column]).astype(dtype)
    return out
