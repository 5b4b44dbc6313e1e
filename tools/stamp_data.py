"""Validate every data table in full and write the stamp kernels trust: data/checksums.json.

    make stamp                  # after editing any data/*.csv; tests/data fail until the stamp is current

A kernel then types each table straight from its CSV, skipping pandera, as long as the file is
byte-for-byte the one stamped here (ivigkit.data.checksums says why). Writes nothing if any table
has a problem, and prints the problems.
"""
from __future__ import annotations

import sys

from ivigkit.data import DataError, checksums, data_dir
from ivigkit.data.loader import validate_all


def main() -> int:
    folder = data_dir()
    try:
        validated = validate_all(folder)
    except DataError as exc:
        print(f"not stamped: a table has a problem\n{exc}", file=sys.stderr)
        return 1
    path = checksums.write(folder, validated)
    print(f"validated {len(validated)} tables; wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
