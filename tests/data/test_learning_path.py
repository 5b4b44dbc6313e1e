"""The learning path (data/learning_path.yaml) and the reference lists built from it."""
from __future__ import annotations

import pytest

from ivigkit import data
from ivigkit.data import catalog, learning_path
from tests.support import NOTEBOOKS


def test_every_notebook_is_on_the_path_in_order():
    assert [s.id for s in learning_path.path()] == [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("notebook", [p.stem for p in NOTEBOOKS])
def test_a_notebooks_references_cover_everything_it_uses(notebook):
    stop = learning_path.stop(notebook)
    ids = learning_path.notebook_source_ids(notebook)
    assert len(ids) == len(set(ids)) and ids
    for table in stop.tables:
        assert set(data.table_source_ids(data.load(table))) <= set(ids), table
    for module in stop.models:
        assert set(data.ids_in(catalog.model_parameters(module)["source_ids"])) <= set(ids), module
    assert set(stop.sources) <= set(ids)
    assert len(data.cite(ids)) == len(ids)  # every id is in sources.csv


def test_the_cases_notebook_cites_its_cases(data_copy):
    from ivigkit import cases

    ids = set(learning_path.notebook_source_ids("06_patient_cases"))
    assert {i for c in cases.all_cases() for i in c["source_ids"]} <= ids


def test_an_unknown_table_or_source_is_named(data_copy):
    path = data_copy / learning_path.FILE_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("tables: [glossary]", "tables: [glosary]"),
                    encoding="utf-8")
    with pytest.raises(data.DataError, match="notebook '00_start_here': table 'glosary' is not known"):
        learning_path.path()
