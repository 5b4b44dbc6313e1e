"""The learning path (data/learning_path.yaml): the notebooks in order, and every source each one
cites, so that a notebook's reference list is built one way, from what it uses."""
from __future__ import annotations

from dataclasses import dataclass

from ivigkit.data import catalog
from ivigkit.data.documents import quiz_path, read_cases, read_yaml
from ivigkit.data.ids import ids_in, table_source_ids
from ivigkit.data.loader import DataError, load, tables
from ivigkit.data.paths import data_dir, shown
from ivigkit.data.vocab import MODEL_MODULES

FILE_NAME = "learning_path.yaml"
_KEYS = {"id", "title", "tables", "models", "cases", "sources", "further_reading"}
#: How many further readings a notebook's "What's next" names.
FURTHER_READING_RANGE = (1, 2)


@dataclass(frozen=True)
class Stop:
    """One notebook on the path: what it uses, and its narrative's own sources."""

    id: str
    title: str
    tables: tuple[str, ...]
    models: tuple[str, ...]
    cases: bool
    sources: tuple[str, ...]
    #: (source id, why read it) for the notebook's "What's next"
    further_reading: tuple[tuple[str, str], ...] = ()


def path() -> tuple[Stop, ...]:
    """The notebooks in learning order, checked: known tables, models and source ids."""
    file = data_dir() / FILE_NAME
    raw = read_yaml(file, list_key="notebooks", what="notebook")
    where = shown(file)
    if not isinstance(raw, dict) or not isinstance(raw.get("notebooks"), list) or not raw["notebooks"]:
        raise DataError(f"{where}: it must hold a list of notebooks under 'notebooks:'.")
    known_tables, known_sources = set(tables()), set(load("sources")["id"])
    stops = []
    for n, item in enumerate(raw["notebooks"], start=1):
        if not isinstance(item, dict) or not {"id", "title"} <= set(item) or set(item) - _KEYS:
            raise DataError(f"{where}, notebook {n}: it needs id and title, and may have only "
                            f"{', '.join(sorted(_KEYS))}.")
        stop = Stop(str(item["id"]), str(item["title"]), tuple(item.get("tables") or ()),
                    tuple(item.get("models") or ()), bool(item.get("cases", False)),
                    tuple(item.get("sources") or ()), _further_reading(item, where))
        readings = tuple(source for source, _ in stop.further_reading)
        for kind, names, known in (("table", stop.tables, known_tables), ("model", stop.models, MODEL_MODULES),
                                   ("source", stop.sources + readings, known_sources)):
            unknown = [x for x in names if x not in known]
            if unknown:
                raise DataError(f"{where}, notebook '{stop.id}': {kind} {', '.join(map(repr, unknown))} "
                                "is not known.")
        stops.append(stop)
    return tuple(stops)


def _further_reading(item: dict, where: str) -> tuple[tuple[str, str], ...]:
    """The notebook's further readings: 1 or 2 entries, each a source id and why to read it."""
    raw = item.get("further_reading")
    low, high = FURTHER_READING_RANGE
    if not isinstance(raw, list) or not low <= len(raw) <= high or not all(
            isinstance(r, dict) and set(r) == {"source", "why"} and str(r["why"]).strip() for r in raw):
        raise DataError(f"{where}, notebook '{item['id']}': further_reading needs {low} or {high} "
                        "entries, each with a 'source' (a sources.csv id) and a 'why' sentence.")
    return tuple((str(r["source"]), str(r["why"]).strip()) for r in raw)


def next_stop(notebook: str) -> Stop | None:
    """The notebook after `notebook` on the path (None after the last)."""
    stops = path()
    ids = [s.id for s in stops]
    if notebook not in ids:
        stop(notebook)  # raises the explained error
    i = ids.index(notebook)
    return stops[i + 1] if i + 1 < len(stops) else None


def stop(notebook: str) -> Stop:
    """The path entry of one notebook ("03_evidence")."""
    for s in path():
        if s.id == notebook:
            return s
    raise DataError(f"{FILE_NAME} has no notebook '{notebook}'; add it to the learning path.")


def _question_sources(document) -> list[str]:
    items = document.get("questions", []) if isinstance(document, dict) else []
    return [i for q in items if isinstance(q, dict) for i in (q.get("source_ids") or [])]


def notebook_source_ids(notebook: str) -> list[str]:
    """Every source a notebook cites, once each: its narrative's and further readings', then those of the tables and
    model constants it uses, its self-check's and, for the cases notebook, the cases'."""
    s = stop(notebook)
    cells: list = list(s.sources) + [source for source, _ in s.further_reading]
    for name in s.tables:
        cells += table_source_ids(load(name))
    for module in s.models:
        cells += list(catalog.model_parameters(module)["source_ids"])
    if quiz_path(notebook).is_file():
        cells += _question_sources(read_yaml(quiz_path(notebook)))
    if s.cases:
        document, _ = read_cases()
        for case in document.get("cases", []):
            cells += list(case.get("source_ids", [])) + _question_sources(case)
    return ids_in(cells)
