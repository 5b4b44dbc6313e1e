"""The stamp of checked tables (data/checksums.json): current, faithful, and never a way round a
bad file.

A kernel types a stamped table straight from its CSV without pandera; these tests hold that
shortcut to the full validation: the stamp matches the shipped files (else: `make stamp`), both
paths give identical tables, a kernel reading the shipped tables never imports pandera, and an
edited table is validated in full, with the usual message when it is wrong.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from ivigkit import data
from ivigkit.data import checksums, loader
from ivigkit.data.schemas import SCHEMAS
from tests.support import DATA, REPO


@pytest.fixture(scope="module")
def validated():
    return loader.validate_all(DATA)


def test_every_table_has_a_current_stamp(validated):
    stamps = checksums.read(DATA)
    assert sorted(stamps) == sorted(SCHEMAS), "run `make stamp`: the tables and their stamps differ"
    stale = [name for name, (raw, frame) in validated.items()
             if stamps[name].sha256 != checksums.sha256(raw)
             or stamps[name].dtypes != {c: str(t) for c, t in frame.dtypes.items()}]
    assert not stale, f"run `make stamp`: data/checksums.json is out of date for {stale}"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_a_stamped_table_is_the_validated_table(validated, name):
    pd.testing.assert_frame_equal(data.load(name), validated[name][1], check_exact=True)


def test_a_kernel_reading_the_shipped_tables_never_imports_pandera():
    names = sorted(json.loads((DATA / checksums.FILE_NAME).read_text())["tables"])
    code = ("import sys\nfrom ivigkit import data\n"
            f"for name in {names!r}:\n    data.load(name)\n"
            "print('pandera' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_an_edited_table_is_validated_in_full_and_its_problem_named(data_copy):
    path = data_copy / "glossary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",yes\n", ",certainly\n", 1), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"glossary\.csv, row \d+, column 'verified'"):
        data.load("glossary")


def test_an_edited_valid_table_loads_through_the_schema(data_copy):
    path = data_copy / "glossary.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same rows, new bytes
    assert checksums.sha256(path.read_bytes()) != checksums.read(data_copy)["glossary"].sha256
    pd.testing.assert_frame_equal(data.load("glossary"), loader.validate_all(DATA)["glossary"][1])


def test_a_stamp_with_the_wrong_types_would_be_caught(validated):
    """The comparison above is not vacuous: a frame typed from a wrong stamp differs."""
    raw, frame = validated["prices"]
    text = pd.read_csv(DATA / "prices.csv", dtype="str", keep_default_na=False).replace("", None)
    wrong = {**{c: str(t) for c, t in frame.dtypes.items()}, "value_usd_low": "str"}
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(checksums.typed(text, wrong).reset_index(drop=True), frame)
