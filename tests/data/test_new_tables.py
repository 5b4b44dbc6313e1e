"""The tables added for issue 17: where IVIG sits today, MS context, the nursing and pharmacy
strands, and the reworked adverse-event comparisons. Each test reads the real file, and each
broken copy must be refused with a message naming the file, the row and the column."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from ivigkit import data, safety


def rows_of(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def set_cell(path: Path, key: str, column: str, value: str) -> int:
    """Set a cell of the row whose first column is `key`; return its spreadsheet row number."""
    rows = rows_of(path)
    i = next(i for i, r in enumerate(rows) if r[0] == key)
    rows[i][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return i + 1


def refused(name: str, row: int, column: str) -> str:
    with pytest.raises(data.DataError) as info:
        data.load(name)
    message = str(info.value)
    assert f"{name}.csv" in message and f"row {row}" in message and f"'{column}'" in message, message
    assert "Traceback" not in message and "pandera" not in message
    return message


# -- treatments ------------------------------------------------------------------------------

def test_the_nmosd_medicines_approved_since_2019_are_there():
    t = data.load("treatments")
    nmosd = t[(t["use"] == "nmosd") & (t["status"] == "approved")].set_index("treatment")
    assert dict(nmosd["approval_year"]) == {"Eculizumab": 2019, "Inebilizumab": 2020, "Satralizumab": 2020,
                                            "Ravulizumab": 2024}
    assert set(nmosd["agency"]) == {"FDA"}


def test_every_course_and_need_has_rows_and_ivig_is_off_label_everywhere():
    t = data.load("treatments")
    assert {"relapsing_ms", "ppms", "nmosd", "pregnancy_breastfeeding"} <= set(t["use"])
    ivig = t[t["treatment_class"] == "immunoglobulin"]
    assert len(ivig) >= 3 and set(ivig["status"]) == {"off_label"} and set(ivig["agency"]) == {"none"}
    approved = t[t["status"] == "approved"]
    assert approved["approval_year"].notna().all() and (approved["agency"] != "none").all()
    names = set(t["treatment"])
    assert {"Natalizumab", "Ocrelizumab", "Ofatumumab", "Teriflunomide", "Glatiramer acetate"} <= names
    assert set(t.loc[(t["use"] == "ppms") & (t["status"] == "approved"), "treatment"]) == {"Ocrelizumab"}


def test_ofatumumab_is_a_monoclonal_antibody_given_by_self_injection():
    row = data.load("treatments").set_index("row_id").loc["ofatumumab_rms"]
    assert row["treatment_class"] == "injected_monoclonal" and row["route"] == "self_injection"


def test_an_approved_row_without_a_year_is_refused(data_copy):
    row = set_cell(data_copy / "treatments.csv", "natalizumab_rms", "approval_year", "")
    refused("treatments", row, "agency")


def test_an_off_label_row_naming_an_agency_is_refused(data_copy):
    row = set_cell(data_copy / "treatments.csv", "ivig_rrms", "agency", "FDA")
    refused("treatments", row, "agency")


# -- ms_context ------------------------------------------------------------------------------

def test_prevalence_has_year_and_region_and_claims_show_no_number():
    c = data.load("ms_context").set_index("fact_id")
    world = c.loc["world_prevalence_2020"]
    assert (world["value"], world["value_unit"], world["year"], world["region"]) == (
        35.9, "per_100000_population", 2020, "world")
    us = c.loc["us_prevalence_2010"]
    assert us["value_low"] <= us["value"] <= us["value_high"] and us["year"] == 2010
    claims = c[c["kind"] == "claim_to_check"]
    assert len(claims) >= 2 and (claims["verified"] == "no").all() and claims["value"].isna().all()
    assert set(c["topic"]) >= {"prevalence", "time_to_act"}


def test_a_claim_with_a_number_is_refused(data_copy):
    path = data_copy / "ms_context.csv"
    set_cell(path, "claim_one_million_americans", "value_unit", "people")
    row = set_cell(path, "claim_one_million_americans", "value", "1000000")
    refused("ms_context", row, "verified")


def test_a_number_without_its_unit_is_refused(data_copy):
    row = set_cell(data_copy / "ms_context.csv", "world_prevalence_2020", "value_unit", "")
    refused("ms_context", row, "value_unit")


# -- nursing strand --------------------------------------------------------------------------

def test_each_check_time_appears_once_and_assumptions_are_unverified():
    m = data.load("infusion_monitoring")
    assert m["when"].is_unique
    assumptions = m[m["basis"] == "assumption"]
    assert len(assumptions) >= 2 and (assumptions["verified"] == "no").all()
    assert m.set_index("when").loc["after_infusion", "basis"] == "label"


def test_an_assumption_marked_verified_is_refused(data_copy):
    row = set_cell(data_copy / "infusion_monitoring.csv", "top_rate_interval", "verified", "yes")
    refused("infusion_monitoring", row, "basis")


def test_emergencies_are_never_restarted_and_mild_reactions_restart_lower():
    r = data.load("reaction_plan").set_index("reaction_id")
    emergency = r[r["first_action"] == "stop_and_emergency"]
    assert {"anaphylaxis", "trali", "thrombosis_signs"} <= set(emergency.index)
    assert (emergency["restart"] == "do_not_restart").all()
    assert r.loc["mild_infusion_reaction", "restart"] == "lower_rate_when_settled"


def test_restarting_after_anaphylaxis_is_refused(data_copy):
    row = set_cell(data_copy / "reaction_plan.csv", "anaphylaxis", "restart", "lower_rate_when_settled")
    refused("reaction_plan", row, "restart")


def test_the_record_holds_product_lot_rates_vitals_and_reactions():
    items = set(data.load("documentation_items")["item_id"])
    assert {"product_name", "lot_number", "rates_and_times", "vital_signs", "reactions_and_actions"} <= items


def test_teach_back_questions_are_open_and_differ_from_the_closed_ones():
    t = data.load("teach_back")
    assert len(t) >= 3 and (t["open_question"] != t["closed_question"]).all()
    assert (t["full_answer"] != t["partial_answer"]).all()


# -- pharmacy strand -------------------------------------------------------------------------

def test_every_sugar_names_the_need_that_excludes_it():
    s = data.load("stabilisers").set_index("stabiliser_id")
    assert dict(s.loc[["sucrose", "maltose", "glucose", "sorbitol", "l_proline"], "product_need"]) == {
        "sucrose": "no_sucrose", "maltose": "no_maltose", "glucose": "no_glucose", "sorbitol": "no_sorbitol",
        "l_proline": "no_proline"}
    assert s.loc["l_proline", "kind"] == "amino_acid"


def test_a_sugar_without_its_need_is_refused(data_copy):
    row = set_cell(data_copy / "stabilisers.csv", "maltose", "product_need", "")
    refused("stabilisers", row, "product_need")


def test_handling_rows_contrast_liquids_and_a_powder():
    h = data.load("product_handling")
    assert set(h["form"]) == {"ready_to_use_liquid", "lyophilised_powder"}
    privigen = h.set_index("handling_id").loc["privigen_eu"]
    assert privigen["store_max_c"] == 25 and privigen["do_not_freeze"] == "yes"
    known = set(data.load("products")["product_id"])
    assert set(h["product_id"].dropna()) <= known


def test_an_impossible_storage_temperature_is_refused(data_copy):
    row = set_cell(data_copy / "product_handling.csv", "privigen_eu", "store_max_c", "100")
    refused("product_handling", row, "store_max_c")


def test_programmes_and_payers_both_say_where_ms_stands():
    a = data.load("ig_access")
    assert set(a["kind"]) == {"rationing_programme", "payer_policy"}
    assert a["ms_position"].str.len().min() > 20


# -- adverse events: ratios and rates have their own columns --------------------------------

def test_comparisons_are_not_percentages_and_carry_their_window():
    ae = data.load("adverse_events").set_index("row_id")
    cmp = ae[ae["denominator"] == "comparison"]
    assert len(cmp) >= 6 and cmp["frequency_pct"].isna().all()
    assert cmp["comparison_unit"].notna().all() and cmp["comparison_window"].notna().all()
    sentinel = ae.loc["thrombosis_sentinel_arterial_excess"]
    assert (sentinel["comparison_value"], sentinel["comparison_unit"]) == (8.86, "excess_events_per_10000_patients")
    assert "days 0-2" in sentinel["comparison_window"]
    hr = ae.loc["thrombosis_ammann2016_arterial_hr"]
    assert (hr["comparison_ci_low"], hr["comparison_ci_high"]) == (1.25, 9.25)


def test_the_ammann_one_year_excess_is_not_significant_but_its_hazard_ratio_is():
    by_id = {c.row_id: c for c in safety.comparisons(data.load("adverse_events"))}
    assert by_id["thrombosis_ammann2016_arterial_1y_absolute"].significant is False
    assert by_id["thrombosis_ammann2016_arterial_hr"].significant is True
    assert by_id["thrombosis_sentinel_arterial_rr"].significant is True
    assert by_id["thrombosis_sentinel_venous_rr"].significant is False
    assert "includes 0" in by_id["thrombosis_ammann2016_arterial_1y_absolute"].sentence()


def test_a_ratio_in_the_percent_column_is_refused(data_copy):
    row = set_cell(data_copy / "adverse_events.csv", "thrombosis_ammann2016_arterial_hr", "frequency_pct", "3.4")
    refused("adverse_events", row, "comparison_value")
