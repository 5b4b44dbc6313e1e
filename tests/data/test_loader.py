"""Tests for the data layer: data/*.csv, ivigkit.schemas and ivigkit.data."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivigkit import data
from ivigkit.data.schemas import SCHEMAS, numeric_columns, source_columns
from tests.support import REPO


DATA = REPO / "data"
README = DATA / "README.md"

REQUIRED_TERMS = [
    "IVIG", "IgG", "IgA", "DMT", "EDSS", "ARR", "CIS", "RRMS", "SPMS", "PPMS",
    "NMOSD", "AQP4", "PLEX", "IVMP", "FcRn", "Fc receptor", "off-label",
    "NNT", "CI", "I²", "IBW", "ABW", "osmolality", "hazard ratio", "prior authorisation", "GDH-PQQ",
]

# Words that would show a raw stack trace or pandera's own dump.
LEAK_MARKERS = ("Traceback", "SchemaError", "pandera", "failure_case", "schema_context", 'File "')


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = row 1)."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def get_cell(path: Path, row: int, column: str) -> str:
    rows = read_rows(path)
    return rows[row - 1][rows[0].index(column)]


def load_error(name: str) -> str:
    with pytest.raises(data.DataError) as info:
        data.load(name)
    message = str(info.value)
    for marker in LEAK_MARKERS:
        assert marker not in message, f"message leaks {marker!r}:\n{message}"
    return message


def readme_sections() -> dict[str, str]:
    """'## ' heading -> section text."""
    text = README.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)
    return {p.splitlines()[0]: p for p in parts[1:]}


def readme_columns(table: str) -> dict[str, list[str]]:
    """Column name -> cells of its row in the table's dictionary section."""
    section = next(
        (body for head, body in readme_sections().items() if f"data/{table}.csv" in head), None
    )
    assert section is not None, f"data/README.md has no section for data/{table}.csv"
    out = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out[cells[0].strip("`")] = cells
    return out


# ---------------------------------------------------------------------------
# the real data
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", data.tables())
def test_every_registered_table_loads_and_validates(name):
    frame = data.load(name)
    assert len(frame) > 0
    assert list(frame.columns) == list(SCHEMAS[name].columns)


@pytest.mark.parametrize("name", [t for t in data.tables() if t != "sources"])
def test_fact_tables_cite_existing_sources(name):
    frame = data.load(name)
    columns = source_columns(frame.columns)
    assert columns, f"{name} has no column starting with 'source'"
    known = set(data.load("sources")["id"])
    for column in columns:
        for row, cell in frame[column].items():
            ids = data.source_ids(cell)
            assert ids, f"{name} row {row + 2}: empty {column}"
            assert set(ids) <= known, f"{name} row {row + 2}: unknown {set(ids) - known}"


@pytest.mark.parametrize("name", data.tables())
def test_registered_tables_have_a_csv_and_a_readme_section(name):
    assert (DATA / f"{name}.csv").is_file()
    documented = readme_columns(name)
    missing = [c for c in SCHEMAS[name].columns if c not in documented]
    assert not missing, f"data/README.md does not document {name} columns {missing}"


@pytest.mark.parametrize("name", data.tables())
def test_numeric_columns_are_documented_with_their_unit(name):
    documented = readme_columns(name)
    for column, unit in numeric_columns(SCHEMAS[name]).items():
        assert unit and unit != "-", f"{name}.{column} has no unit in its schema"
        cells = documented[column]
        assert cells[2] == unit, f"README unit for {name}.{column} is {cells[2]!r}, schema says {unit!r}"


def test_every_csv_in_data_is_registered():
    csvs = sorted(p.stem for p in DATA.glob("*.csv"))
    unregistered = [c for c in csvs if c not in SCHEMAS]
    assert not unregistered, f"data/*.csv without a schema in ivigkit/schemas.py: {unregistered}"


def test_every_csv_except_sources_has_a_source_column():
    for path in DATA.glob("*.csv"):
        if path.name == "sources.csv":
            continue
        header = read_rows(path)[0]
        assert any(h.startswith("source") for h in header), f"{path.name} has no source column"


def test_glossary_contains_required_terms():
    glossary = data.load("glossary")
    names = {str(v).strip().lower() for v in pd.concat([glossary["term"], glossary["abbreviation"]]).dropna()}
    missing = [t for t in REQUIRED_TERMS if t.lower() not in names]
    assert not missing, f"glossary lacks {missing}"


def test_glossary_has_at_least_35_terms_each_sourced():
    glossary = data.load("glossary")
    assert len(glossary) >= 35 and glossary["term"].is_unique
    assert set(glossary["verified"]) <= {"yes", "partial", "no"}


def test_edss_definition_has_no_half_step_below_one():
    edss = data.load("glossary").set_index("abbreviation").loc["EDSS", "definition"]
    assert "1.0" in edss and "no 0.5" in edss


def test_sources_rows_have_a_locator_and_valid_labels():
    sources = data.load("sources")
    assert sources["id"].is_unique
    locator = sources[["pmid", "doi", "url"]].notna().any(axis=1)
    assert locator.all()
    assert set(sources["verified"]) <= {"yes", "partial", "no"}
    assert len(sources) >= 80


# ---------------------------------------------------------------------------
# hand-edited breakage -> DataError naming file, row and column
# ---------------------------------------------------------------------------


def test_unknown_source_id_in_glossary(data_copy):
    set_cell(data_copy / "glossary.csv", 7, "source_ids", "statpearls_ivig;smith2020")
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "row 7" in msg and "'source_ids'" in msg and "'smith2020'" in msg
    assert "sources.csv" in msg


def test_bad_verified_value(data_copy):
    set_cell(data_copy / "glossary.csv", 5, "verified", "maybe")
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "row 5" in msg and "'verified'" in msg and "'maybe'" in msg
    assert "yes, partial, no" in msg


def test_empty_definition(data_copy):
    set_cell(data_copy / "glossary.csv", 4, "definition", "")
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "row 4" in msg and "'definition'" in msg and "empty" in msg


def test_duplicate_id_in_sources(data_copy):
    path = data_copy / "sources.csv"
    set_cell(path, 10, "id", get_cell(path, 2, "id"))
    msg = load_error("sources")
    assert "sources.csv" in msg and "row 10" in msg and "'id'" in msg and "more than once" in msg


def test_year_out_of_range(data_copy):
    set_cell(data_copy / "sources.csv", 6, "year", "2099")
    msg = load_error("sources")
    assert "sources.csv" in msg and "row 6" in msg and "'year'" in msg and "2099" in msg


def test_year_not_a_number(data_copy):
    set_cell(data_copy / "sources.csv", 3, "year", "ninety")
    msg = load_error("sources")
    assert "row 3" in msg and "'year'" in msg and "not a whole number" in msg


def test_source_without_pmid_doi_or_url(data_copy):
    path = data_copy / "sources.csv"
    for column in ("pmid", "doi", "url"):
        set_cell(path, 8, column, "")
    msg = load_error("sources")
    assert "sources.csv" in msg and "row 8" in msg and "'pmid'" in msg and "'url'" in msg


def test_bad_slug_id(data_copy):
    set_cell(data_copy / "sources.csv", 4, "id", "Bad Id")
    msg = load_error("sources")
    assert "row 4" in msg and "'id'" in msg and "'Bad Id'" in msg


def test_missing_column(data_copy):
    path = data_copy / "glossary.csv"
    rows = read_rows(path)
    drop = rows[0].index("abbreviation")
    write_rows(path, [r[:drop] + r[drop + 1:] for r in rows])
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "row 1" in msg and "'abbreviation'" in msg and "missing" in msg


def test_extra_column(data_copy):
    path = data_copy / "glossary.csv"
    rows = read_rows(path)
    write_rows(path, [r + (["colour"] if i == 0 else ["blue"]) for i, r in enumerate(rows)])
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "'colour'" in msg


def test_ragged_line(data_copy):
    path = data_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7] = lines[7].rstrip("\n") + ",extra\n"  # row 8
    path.write_text("".join(lines), encoding="utf-8")
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "row 8" in msg and "fields" in msg


def test_too_few_fields(data_copy):
    path = data_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = "IgZ,IgZ\n"  # row 3
    path.write_text("".join(lines), encoding="utf-8")
    msg = load_error("glossary")
    assert "row 3" in msg and "2 fields" in msg


def test_unclosed_quote(data_copy):
    path = data_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = 'IgZ,"IgZ,def"ined text that is long enough,statpearls_ivig,yes\n'  # row 4
    path.write_text("".join(lines), encoding="utf-8")
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "row 4" in msg and "malformed" in msg


def test_missing_file(data_copy):
    (data_copy / "glossary.csv").unlink()
    msg = load_error("glossary")
    assert "glossary.csv" in msg and "missing" in msg


def test_unknown_table_name(data_copy):
    msg = load_error("dosing_tables")
    assert "'dosing_tables'" in msg
    for name in data.tables():
        assert name in msg


def test_broken_sources_reported_when_loading_glossary(data_copy):
    set_cell(data_copy / "sources.csv", 2, "kind", "blog")
    msg = load_error("glossary")
    assert "sources.csv" in msg and "row 2" in msg and "'kind'" in msg


def test_many_problems_are_listed_one_per_line_and_capped(data_copy):
    path = data_copy / "sources.csv"
    for row in range(2, 16):  # 14 bad cells
        set_cell(path, row, "verified", "perhaps")
    msg = load_error("sources")
    lines = msg.splitlines()
    problem_lines = [ln for ln in lines if ln.startswith("data/sources.csv, row")]
    assert len(problem_lines) == data.MAX_PROBLEMS
    assert "14 problems" in lines[0]
    assert "4 more problems" in lines[-1]


# ---------------------------------------------------------------------------
# cache and copies
# ---------------------------------------------------------------------------


def test_cache_sees_file_changes(data_copy):
    path = data_copy / "glossary.csv"
    before = data.load("glossary")
    old = before.loc[0, "definition"]
    new = old.replace("medicine", "medecine")  # same length, possibly same mtime
    assert new != old
    set_cell(path, 2, "definition", new)
    assert data.load("glossary").loc[0, "definition"] == new
    # a change to sources.csv must also reach the glossary's id check
    set_cell(data_copy / "sources.csv", 2, "id", "renamed_source")
    rows = read_rows(path)
    rows[1][rows[0].index("source_ids")] = "fazekas1997_lancet"
    write_rows(path, rows)
    msg = load_error("glossary")
    assert "'fazekas1997_lancet'" in msg and "row 2" in msg


def test_load_returns_a_copy():
    first = data.load("glossary")
    first.loc[0, "term"] = "changed by a caller"
    del first["verified"]
    second = data.load("glossary")
    assert second.loc[0, "term"] != "changed by a caller"
    assert "verified" in second.columns


def test_env_var_overrides_data_dir(data_copy):
    assert data.data_dir() == data_copy
    set_cell(data_copy / "glossary.csv", 2, "abbreviation", "IVIg")
    assert data.load("glossary").loc[0, "abbreviation"] == "IVIg"


# ---------------------------------------------------------------------------
# citation helpers
# ---------------------------------------------------------------------------


def test_source_ids_splits_cells():
    assert data.source_ids("a; b ;c") == ["a", "b", "c"]
    assert data.source_ids("") == []
    assert data.source_ids(None) == []
    assert data.source_ids(float("nan")) == []


@given(st.lists(st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True), max_size=6))
def test_source_ids_round_trip(ids):
    assert data.source_ids(";".join(ids)) == ids


def test_cite_keeps_order_and_rejects_unknown_ids():
    rows = data.cite("achiron1998_neurology;fazekas1997_lancet;achiron1998_neurology")
    assert list(rows["id"]) == ["achiron1998_neurology", "fazekas1997_lancet"]
    assert list(data.cite(["kurtzke1983_neurology"])["id"]) == ["kurtzke1983_neurology"]
    with pytest.raises(data.DataError, match="smith2020"):
        data.cite("smith2020")


def test_format_reference():
    row = {
        "authors": "Fazekas F et al.",
        "year": 1997,
        "title": "Title",
        "publisher": "Lancet 349:589-93",
        "pmid": "9057729",
        "doi": "",
        "url": "",
    }
    assert data.format_reference(row) == "Fazekas F et al. (1997). Title. Lancet 349:589-93. PMID 9057729."
    undated = dict(row, year=None, pmid=None, doi="10.1/x")
    assert data.format_reference(undated) == "Fazekas F et al. (n.d.). Title. Lancet 349:589-93. doi:10.1/x."
    for _, source in data.load("sources").iterrows():
        text = data.format_reference(source)
        assert source["title"] in text and "nan" not in text.split()


def test_default_data_dir_is_repo_data():
    assert os.environ.get("IVIGKIT_DATA_DIR") is None
    assert data.data_dir().resolve() == DATA.resolve()
