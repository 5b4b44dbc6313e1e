"""data/model_parameters.csv against the constants in ivigkit's model code.

Three guarantees:

* every row's ``constant`` exists in its module and equals ``value``;
* every numeric module constant whose code comment cites a source id (an id of
  data/sources.csv) has a row, and the row cites at least those ids; so a new
  cited constant cannot be added without its data row;
* every other numeric module constant is named in NOT_PARAMETERS with a reason
  (input bounds, unit definitions), so nothing slips through unclassified.

The comparison is shown to fail on a copy of data/ with changed values.
"""

from __future__ import annotations

import ast
import csv
import importlib
import io
import math
import re
import tokenize
from pathlib import Path

import pandas as pd
import pytest

from ivigkit import data
from ivigkit.data import catalog
from ivigkit.data.vocab import MODEL_MODULES
from tests.support import REPO


DATA = REPO / "data"

#: Numeric module constants that are deliberately not model parameters.
NOT_PARAMETERS = {
    "dosing": {
        "WEIGHT_KG_MIN": "input plausibility bound", "WEIGHT_KG_MAX": "input plausibility bound",
        "DOSE_G_PER_KG_MIN": "input plausibility bound", "DOSE_G_PER_KG_MAX": "input plausibility bound",
        "DOSE_G_MIN": "input plausibility bound", "DOSE_G_MAX": "input plausibility bound",
        "HEIGHT_CM_MIN": "input plausibility bound", "HEIGHT_CM_MAX": "input plausibility bound",
        "AGE_YEARS_MIN": "input plausibility bound", "AGE_YEARS_MAX": "input plausibility bound",
        "DAYS_PER_COURSE_MAX": "input plausibility bound", "HORIZON_DAYS_MAX": "input plausibility bound",
        "KG_PER_LB": "exact unit definition (international pound, 1959)",
    },
    "infusion": {
        "MG_PER_ML_PER_PCT": "definition of a % solution (1 g per 100 mL)",
    },
    "pk": {
        "LN2": "mathematical constant",
        "BASELINE_G_PER_L_RANGE": "input plausibility bound", "FCRN_DAYS": "display window of a chart",
        "HALF_LIFE_DAYS_RANGE": "input plausibility bound", "VOLUME_L_PER_KG_RANGE": "input plausibility bound",
        "DAY_RANGE": "input plausibility bound", "DOSE_G_RANGE": "input plausibility bound",
        "STEP_DAYS_RANGE": "input plausibility bound",
    },
    "cost": {
        "PRICE_USD_PER_G_MAX": "input plausibility bound", "GRAMS_MAX": "input plausibility bound",
        "VISITS_MAX": "input plausibility bound", "MONEY_USD_MAX": "input plausibility bound",
        "FEE_USD_MAX": "input plausibility bound", "MINUTES_MAX": "input plausibility bound",
        "RATE_USD_PER_MIN_MAX": "input plausibility bound", "HORIZON_DAYS_RANGE": "input plausibility bound",
    },
    "course": {
        "YEARS_RANGE": "input plausibility bound", "RATE_RANGE": "input plausibility bound",
        "RATE_RATIO_RANGE": "input plausibility bound", "PATIENTS_RANGE": "input plausibility bound",
        "STEPS_PER_YEAR": "numerical time step of the simulation (monthly), not a clinical value",
    },
    "screening": {},
    "nursing": {
        "CHECK_MINUTES_RANGE": "input plausibility bound", "STEPS_DOWN_RANGE": "input plausibility bound",
    },
}

CONSTANT = re.compile(r"^([A-Z][A-Z0-9_]*)(?:\[([A-Za-z0-9_]+)\])?$")
#: Words in a comment that could be source ids (checked against sources.csv).
ID_LIKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numeric_keys(value) -> list[str | None] | None:
    """None for a non-numeric constant; [None] for a number; the keys (or indexes) of a
    dict or tuple of numbers."""
    if _is_number(value):
        return [None]
    if isinstance(value, dict) and value and all(_is_number(v) for v in value.values()):
        return [str(k) for k in value]
    if isinstance(value, (tuple, list)) and value and all(_is_number(v) for v in value):
        return [str(i) for i in range(len(value))]
    return None


def constant_label(name: str, key: str | None) -> str:
    return name if key is None else f"{name}[{key}]"


def resolve(module: str, constant: str):
    """The value of 'NAME' or 'NAME[key]' in ivigkit.<module>."""
    match = CONSTANT.match(constant)
    if not match:
        raise KeyError(f"'{constant}' is not a constant name")
    name, key = match.groups()
    mod = importlib.import_module(f"ivigkit.{module}")
    if not hasattr(mod, name):
        raise KeyError(f"ivigkit.{module} has no constant {name}")
    value = getattr(mod, name)
    if key is None:
        return value
    if isinstance(value, dict):
        if key not in value:
            raise KeyError(f"ivigkit.{module}.{name} has no key '{key}'")
        return value[key]
    if isinstance(value, (tuple, list)) and key.isdigit() and int(key) < len(value):
        return value[int(key)]
    raise KeyError(f"ivigkit.{module}.{name} has no item [{key}]")


def mismatches(table: pd.DataFrame) -> list[str]:
    """One message per row whose constant is missing or differs from `value`."""
    problems = []
    for row in table.itertuples(index=False):
        try:
            actual = resolve(row.module, row.constant)
        except KeyError as err:
            problems.append(f"{row.parameter_id}: {err.args[0]}")
            continue
        if not _is_number(actual) or not math.isclose(float(actual), float(row.value),
                                                      rel_tol=1e-12, abs_tol=1e-12):
            problems.append(f"{row.parameter_id}: ivigkit.{row.module}.{row.constant} is {actual!r}, "
                            f"the CSV says {row.value!r}")
    return problems


def cited_constants(source: str, known_ids: set[str]) -> dict[str, tuple[set[str], bool]]:
    """Module-level UPPER_CASE assignments whose comments cite source ids.

    Returns name -> (ids, shared) where `shared` means the assignment sets several names
    (e.g. ``A, B = 1, 2``). A constant's comments are its inline comment(s) and the comment
    lines directly above it. An assignment without comments of its own, or whose inline
    comment continues the line above ('...' or 'same source'), inherits the ids of the
    assignment on the line just above it (e.g. DEVINE_KG_PER_INCH under DEVINE_BASE_KG).
    """
    lines = source.splitlines()
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = comments.get(tok.start[0], "") + " " + tok.string

    def ids(text: str) -> set[str]:
        return set(ID_LIKE.findall(text)) & known_ids

    out: dict[str, tuple[set[str], bool]] = {}
    previous: tuple[int, set[str]] | None = None          # (end line, ids) of the last assignment
    for node in ast.parse(source).body:
        targets = []
        if isinstance(node, ast.Assign):
            for target in node.targets:
                elts = target.elts if isinstance(target, ast.Tuple) else [target]
                targets += [e.id for e in elts if isinstance(e, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        targets = [t for t in targets if UPPER.match(t)]
        if not targets:
            previous = None
            continue
        inline = " ".join(comments.get(n, "") for n in range(node.lineno, node.end_lineno + 1)).strip()
        above, n = [], node.lineno - 1
        while n >= 1 and lines[n - 1].strip().startswith("#"):
            above.append(lines[n - 1])
            n -= 1
        own = ids(inline + " " + " ".join(above))
        continues = not above and (not inline or inline.lstrip("# ").startswith("...")
                                   or "same source" in inline.lower())
        if not own and continues and previous is not None and previous[0] == node.lineno - 1:
            own = set(previous[1])
        for name in targets:
            if own:
                out[name] = (own, len(targets) > 1)
        previous = (node.end_lineno, own)
    return out


def _known_ids() -> set[str]:
    return set(data.load("sources")["id"])


def _rows_by_constant(table: pd.DataFrame, module: str) -> dict[str, pd.Series]:
    rows = table[table["module"] == module]
    return {r["constant"]: r for _, r in rows.iterrows()}


def missing_rows(table: pd.DataFrame, module: str, source: str | None = None) -> list[str]:
    """Problems: cited numeric constants of `module` without a row, or whose row does not
    cite the ids their comment cites. `source` replaces the module's file text (for tests)."""
    mod = importlib.import_module(f"ivigkit.{module}")
    text = Path(mod.__file__).read_text(encoding="utf-8") if source is None else source
    namespace = vars(mod).copy()
    if source is not None:
        exec(compile(source, f"<{module}>", "exec"), namespace)   # values of the edited text
    rows = _rows_by_constant(table, module)
    problems = []
    for name, (ids, shared) in cited_constants(text, _known_ids()).items():
        keys = numeric_keys(namespace.get(name))
        if keys is None:
            continue
        for key in keys:
            label = constant_label(name, key)
            row = rows.get(label)
            if row is None:
                problems.append(f"ivigkit.{module}.{label} cites {sorted(ids)} but has no row "
                                "in data/model_parameters.csv")
                continue
            cited = set(data.source_ids(row["source_ids"]))
            if (not shared and not ids <= cited) or (shared and not ids & cited):
                problems.append(f"{row['parameter_id']}: the code comment of {label} cites "
                                f"{sorted(ids)}, the row cites {sorted(cited)}")
    return problems


# ---------------------------------------------------------------------------
# the real data and code
# ---------------------------------------------------------------------------


def test_every_row_equals_its_constant():
    table = catalog.model_parameters()
    assert len(table) > 0
    assert not mismatches(table), "\n".join(mismatches(table))


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_every_cited_constant_has_a_row(module):
    problems = missing_rows(catalog.model_parameters(), module)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_every_numeric_constant_is_a_row_or_excluded_with_a_reason(module):
    mod = importlib.import_module(f"ivigkit.{module}")
    source = Path(mod.__file__).read_text(encoding="utf-8")
    defined = {t.id for node in ast.parse(source).body if isinstance(node, ast.Assign)
               for target in node.targets
               for t in (target.elts if isinstance(target, ast.Tuple) else [target])
               if isinstance(t, ast.Name) and UPPER.match(t.id)}
    rows = _rows_by_constant(catalog.model_parameters(), module)
    in_rows = {CONSTANT.match(c).group(1) for c in rows}
    excluded = NOT_PARAMETERS[module]
    unclassified = []
    for name in sorted(defined):
        keys = numeric_keys(getattr(mod, name))
        if keys is None or name in excluded:
            continue
        missing = [constant_label(name, k) for k in keys
                   if constant_label(name, k) not in rows and not (k is None and name in rows)]
        if name not in in_rows or missing:
            unclassified.append(", ".join(missing) or name)
    assert not unclassified, (f"ivigkit.{module}: numeric constants with neither a row in "
                              f"data/model_parameters.csv nor an entry in NOT_PARAMETERS: {unclassified}")
    assert not (set(excluded) & in_rows), f"both a row and excluded: {set(excluded) & in_rows}"
    stale = [name for name in excluded if name not in defined]
    assert not stale, f"NOT_PARAMETERS names constants that ivigkit.{module} no longer has: {stale}"


def test_parameter_ids_start_with_their_module():
    table = catalog.model_parameters()
    wrong = [p for p, m in zip(table["parameter_id"], table["module"]) if not p.startswith(f"{m}_")]
    assert not wrong


def test_kinds_and_labels_fit_the_standard():
    table = catalog.model_parameters()
    unverified = table[table["verified"] == "no"]
    assert (unverified["kind"] == "assumption").all(), "unverified values must be shown as assumptions"
    for note in table.loc[table["kind"] == "assumption", "note"]:
        assert "assumption" in note.lower() and "change" in note.lower()
    assert set(table["kind"]) == {"verified_value", "teaching_choice", "assumption", "derived"}


def test_catalog_filters_by_module():
    everything = catalog.model_parameters()
    parts = [catalog.model_parameters(m) for m in MODEL_MODULES]
    assert sum(len(p) for p in parts) == len(everything)
    for module, part in zip(MODEL_MODULES, parts):
        assert len(part) > 0 and set(part["module"]) == {module}
        assert list(part.index) == list(range(len(part)))
    assert "DEFAULT_HALF_LIFE_DAYS" in set(catalog.model_parameters("pk")["constant"])
    with pytest.raises(ValueError, match="dosing, infusion, pk, cost"):
        catalog.model_parameters("pharmacy")


def test_catalog_returns_a_copy():
    first = catalog.model_parameters()
    first.loc[0, "value"] = -1.0
    assert catalog.model_parameters().loc[0, "value"] != -1.0


# ---------------------------------------------------------------------------
# the checks can fail
# ---------------------------------------------------------------------------


def _edit_csv(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for row in rows[1:]:
        change(dict(zip(header, row)), row, header)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_a_changed_value_in_the_csv_fails_the_comparison(data_copy):
    path = data_copy / "model_parameters.csv"

    def one(cells, row, header):
        if cells["parameter_id"] == "pk_default_half_life_days":
            row[header.index("value")] = "29"
    _edit_csv(path, one)
    table = catalog.model_parameters()
    assert table.set_index("parameter_id").loc["pk_default_half_life_days", "value"] == 29
    problems = mismatches(table)
    assert len(problems) == 1 and problems[0].startswith("pk_default_half_life_days:")
    assert "DEFAULT_HALF_LIFE_DAYS is 28.0" in problems[0]


def test_every_row_can_fail(data_copy):
    path = data_copy / "model_parameters.csv"

    def all_rows(cells, row, header):
        row[header.index("value")] = repr(float(cells["value"]) * 1.001 + 0.001)
    _edit_csv(path, all_rows)
    table = catalog.model_parameters()
    failed = {p.split(":")[0] for p in mismatches(table)}
    assert failed == set(table["parameter_id"])


def test_a_wrong_constant_name_or_key_fails(data_copy):
    path = data_copy / "model_parameters.csv"

    def rename(cells, row, header):
        if cells["parameter_id"] == "dosing_dose_step_g":
            row[header.index("constant")] = "DOSE_STEP_KG"
        if cells["parameter_id"] == "dosing_devine_base_kg_male":
            row[header.index("constant")] = "DEVINE_BASE_KG[men]"
    _edit_csv(path, rename)
    problems = mismatches(catalog.model_parameters())
    assert any("no constant DOSE_STEP_KG" in p for p in problems)
    assert any("no key 'men'" in p for p in problems)


def test_a_removed_row_fails_the_cited_constant_check(data_copy):
    path = data_copy / "model_parameters.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    write = [r for r in rows if r[0] not in ("pk_half_life_at_normal_days", "dosing_devine_base_kg_female")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(write)
    table = catalog.model_parameters()
    assert any("HALF_LIFE_AT_NORMAL_DAYS" in p for p in missing_rows(table, "pk"))
    assert any("DEVINE_BASE_KG[female]" in p for p in missing_rows(table, "dosing"))


def test_a_row_that_drops_the_cited_source_fails(data_copy):
    def drop(cells, row, header):
        if cells["parameter_id"] == "pk_default_half_life_days":
            row[header.index("source_ids")] = "thurmann1995_ejcp"
    _edit_csv(data_copy / "model_parameters.csv", drop)
    problems = missing_rows(catalog.model_parameters(), "pk")
    assert any(p.startswith("pk_default_half_life_days:") and "privigen_ch_fachinfo" in p for p in problems)


def test_a_new_cited_constant_without_a_row_fails():
    source = Path(importlib.import_module("ivigkit.pk").__file__).read_text(encoding="utf-8")
    source += ("\n# Equilibration between blood and tissue fluid (privigen_ch_fachinfo).\n"
               "EQUILIBRATION_DAYS = 4.0\n"
               "TISSUE_SHARE = {'low': 0.4, 'high': 0.6}   # ... (same source)\n"
               "UNCITED_CHOICE = 7.0   # a choice with no source id\n")
    problems = missing_rows(catalog.model_parameters(), "pk", source=source)
    assert any("EQUILIBRATION_DAYS" in p for p in problems)
    assert any("TISSUE_SHARE[low]" in p for p in problems) and any("TISSUE_SHARE[high]" in p for p in problems)
    assert not any("UNCITED_CHOICE" in p for p in problems)


def test_comment_scanner_finds_the_expected_citations():
    known = _known_ids()
    dosing = cited_constants(Path(importlib.import_module("ivigkit.dosing").__file__).read_text(), known)
    assert dosing["DEVINE_KG_PER_INCH"][0] == {"nba_ibw_calculator"}          # inherited
    assert dosing["ORBCON_SHOULD_WEIGHT_KG"][0] == {"orbcon_dose_calculator"}  # "same source"
    assert "KG_PER_LB" not in dosing and "WEIGHT_KG_MIN" not in dosing
    assert dosing["STEP_G_MAX"] == ({"flebogamma5_eu_smpc", "gamunexc_us_pi"}, True)
    cost = cited_constants(Path(importlib.import_module("ivigkit.cost").__file__).read_text(), known)
    assert cost["HOME_FEE_YEAR"][0] == {"noridian_jd_ivig2024"}
    assert "PRICE_USD_PER_G_MAX" not in cost
