"""Tests for the product, regimen and price tables and their loader, ivigkit.catalog."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from ivigkit import data
from ivigkit.data import catalog
from tests.support import REPO


DATA = REPO / "data"

REQUIRED_REGIMENS = {
    "aims", "achiron_rrms", "sorensen_crossover", "esims", "pohlau", "achiron_cis",
    "postpartum_pilot", "postpartum_10g_nl", "postpartum_10g_monthly",
    "ontario_rrms_induction", "ontario_rrms_maintenance", "commonly_quoted_1gkg_monthly",
}
PRODUCT_IDS = {
    "privigen", "gamunex_c", "gammaked", "gammagard_liquid", "gammagard_sd", "octagam_5",
    "octagam_10", "panzyga", "bivigam", "flebogamma_5_dif", "flebogamma_10_dif",
    "gammaplex_5", "gammaplex_10", "asceniv", "yimmugo",
}


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = row 1)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def row_of(path: Path, column: str, value: str) -> int:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return next(i + 1 for i, r in enumerate(rows) if r[rows[0].index(column)] == value)


# ---------------------------------------------------------------------------
# everything loads through the catalog
# ---------------------------------------------------------------------------


def test_every_product_loads_as_a_record():
    products = catalog.products()
    assert {p.product_id for p in products} == PRODUCT_IDS
    assert len(products) == len(data.load("products"))
    for p in products:
        assert p.sugar in {"none", "maltose", "sorbitol", "glucose", "unknown"}
        assert p.concentration_pct in {None, 5.0, 10.0}
        assert p.verified in {"yes", "partial", "no"}
        assert p.source_ids and p.step_rule
    privigen = catalog.product("privigen")
    assert privigen.name == "Privigen" and privigen.concentration_pct == 10.0
    assert privigen.initial_rate_mg_per_kg_min == 0.5 and privigen.max_rate_mg_per_kg_min == 8.0


def test_every_regimen_loads_as_a_record():
    regimens = catalog.regimens()
    assert len(regimens) == len(data.load("regimens"))
    for r in regimens:
        assert r.days_per_course >= 1
        assert r.weight_basis in {"actual", "adjusted"}
        assert (r.fixed_dose_g_per_day is None) != (r.dose_g_per_kg_per_day_low is None)
    aims = catalog.regimen("aims")
    assert (aims.dose_g_per_kg_per_day_low, aims.dose_g_per_kg_per_day_high) == (0.15, 0.2)
    assert aims.interval_days == 30 and aims.population == "RRMS" and aims.evidence == "trial"


def test_required_regimens_are_present():
    assert REQUIRED_REGIMENS <= {r.regimen_id for r in catalog.regimens()}


def test_regimen_facts_as_the_sources_give_them():
    achiron = catalog.regimen("achiron_rrms")
    assert (achiron.loading_g_per_kg_per_day, achiron.loading_days) == (0.4, 5)
    assert achiron.interval_days == 60
    pilot = catalog.regimen("postpartum_pilot")
    assert (pilot.interval_days, pilot.courses) == (42, 2)
    nl = catalog.regimen("postpartum_10g_nl")
    assert (nl.fixed_dose_g_per_day, nl.loading_days, nl.courses) == (10.0, 3, 5)
    ontario = catalog.regimen("ontario_rrms_maintenance")
    assert ontario.weight_basis == "adjusted" and ontario.interval_days == 28
    assert "4 to 6 weeks" in ontario.interval_text
    induction = catalog.regimen("ontario_rrms_induction")
    assert induction.interval_days is None
    assert induction.dose_g_per_kg_per_day_high <= 1.0          # the guideline's 1 g/kg/day maximum
    quoted = catalog.regimen("commonly_quoted_1gkg_monthly")
    assert quoted.evidence == "commonly_quoted" and quoted.verified == "no"


def test_prices_load():
    prices = catalog.prices()
    assert len(prices) > 20 and prices["item_id"].is_unique
    assert (prices["value_usd_high"].isna() | (prices["value_usd_high"] >= prices["value_usd_low"])).all()
    assert set(prices["verified"]) <= {"yes", "partial", "no", "derived"}
    opps = prices.set_index("item_id").loc["medicare_opps_q1_2011"]
    assert (opps["value_usd_low"], opps["per"], opps["year"]) == (73.30, "g", 2011)


def test_the_100_to_350_dollar_claim_is_a_claim():
    prices = catalog.prices().set_index("item_id")
    claim = prices.loc["claim_100_350_per_g"]
    assert (claim["value_usd_low"], claim["value_usd_high"], claim["per"]) == (100, 350, "g")
    assert claim["is_claim"] == "yes" and claim["verified"] == "no"
    claims = prices[prices["is_claim"] == "yes"]
    assert (claims["verified"] == "no").all()


def test_derived_prices_show_their_arithmetic():
    prices = catalog.prices()
    for _, row in prices[prices["verified"] == "derived"].iterrows():
        assert "=" in row["note"], row["item_id"]
    implied = prices.set_index("item_id").loc["implied_price_2016"]
    assert implied["value_usd_low"] == pytest.approx(19026 / 126)


def test_unknown_ids_name_the_choices():
    with pytest.raises(ValueError) as info:
        catalog.product("nonexistent")
    assert "'nonexistent'" in str(info.value) and "privigen" in str(info.value) and "yimmugo" in str(info.value)
    with pytest.raises(ValueError) as info:
        catalog.regimen("two_grams_daily")
    assert "'two_grams_daily'" in str(info.value) and "aims" in str(info.value)


# ---------------------------------------------------------------------------
# product facts the models rely on
# ---------------------------------------------------------------------------


def test_no_product_has_an_unverified_40_g_privigen_vial():
    assert 40.0 not in catalog.product("privigen").vial_sizes_g
    assert catalog.product("privigen").vial_sizes_g == (5.0, 10.0, 20.0)


def test_every_rate_ladder_rises_and_runs_from_initial_to_maximum():
    with_ladder = [p for p in catalog.products() if p.rate_steps_mg_per_kg_min]
    assert {p.product_id for p in with_ladder} >= {"octagam_10", "bivigam", "gammaplex_10"}
    for p in catalog.products():
        steps = p.rate_steps_mg_per_kg_min
        assert all(b > a for a, b in zip(steps, steps[1:])), p.product_id
        if steps:
            assert steps[0] == p.initial_rate_mg_per_kg_min, p.product_id
            assert steps[-1] == p.max_rate_mg_per_kg_min, p.product_id
            assert p.step_minutes is not None and p.step_minutes > 0, p.product_id
        if p.at_risk_max_rate_mg_per_kg_min is not None and p.max_rate_mg_per_kg_min is not None:
            assert p.at_risk_max_rate_mg_per_kg_min <= p.max_rate_mg_per_kg_min, p.product_id


def test_gammaplex_ladders_end_at_their_maximum():
    g10 = catalog.product("gammaplex_10")
    assert g10.rate_steps_mg_per_kg_min == (0.5, 1.0, 2.0, 4.0, 6.0, 8.0)
    assert g10.rate_steps_mg_per_kg_min[-1] == g10.max_rate_mg_per_kg_min == 8.0
    assert g10.step_minutes == 15
    # Gammaplex 5%: the label fixes start, maximum and the 15-minute interval; its intermediate
    # rates were not read, so a ladder, if one is ever recorded, must still end at the maximum.
    g5 = catalog.product("gammaplex_5")
    assert (g5.initial_rate_mg_per_kg_min, g5.max_rate_mg_per_kg_min, g5.step_minutes) == (0.5, 4.0, 15)
    assert not g5.rate_steps_mg_per_kg_min or g5.rate_steps_mg_per_kg_min[-1] == g5.max_rate_mg_per_kg_min


def test_bivigam_ladder_follows_its_label_rule():
    bivigam = catalog.product("bivigam")
    steps = bivigam.rate_steps_mg_per_kg_min
    assert steps[0] == 0.5 and steps[-1] == 6.0 and bivigam.step_minutes == 20
    rises = [round(b - a, 6) for a, b in zip(steps, steps[1:])]
    assert rises[:-1] == [0.8] * (len(rises) - 1) and 0 < rises[-1] <= 0.8
    assert "10 minutes" in bivigam.step_rule


def test_at_risk_caps_as_labelled():
    assert catalog.product("gamunex_c").at_risk_max_rate_mg_per_kg_min == 8.0
    assert catalog.product("gammaked").at_risk_max_rate_mg_per_kg_min == 8.0
    assert catalog.product("octagam_5").at_risk_max_rate_mg_per_kg_min == 3.3
    assert catalog.product("octagam_10").at_risk_max_rate_mg_per_kg_min == 3.3


def test_an_at_risk_ceiling_equal_to_the_maximum_adds_no_restriction():
    """Gamunex-C's and Gammaked's 'below 8' and Octagam 5%'s 'below 3.3' are their usual maxima."""
    for pid in ("gamunex_c", "gammaked", "octagam_5"):
        assert catalog.product(pid).at_risk_cap_restricts == "no", pid
    for pid in ("octagam_10", "panzyga"):
        p = catalog.product(pid)
        assert p.at_risk_cap_restricts == "yes" and p.at_risk_max_rate_mg_per_kg_min < p.max_rate_mg_per_kg_min
    for p in catalog.products():
        assert (p.at_risk_max_rate_mg_per_kg_min is None) == (p.at_risk_cap_restricts is None), p.product_id


def test_stabilisers_name_the_sugar_and_exist():
    known = set(data.load("stabilisers")["stabiliser_id"])
    for p in catalog.products():
        assert set(p.stabiliser_ids) <= known, p.product_id
        if p.sugar in known:
            assert p.sugar in p.stabiliser_ids, p.product_id
    assert "l_proline" in catalog.product("privigen").stabiliser_ids
    assert catalog.product("flebogamma_5_dif").sugar == "sorbitol"
    assert catalog.product("gamunex_c").sucrose_free == "yes" and catalog.product("gamunex_c").sugar == "unknown"


def test_unknowns_are_empty_and_explained():
    sd = catalog.product("gammagard_sd")
    assert sd.concentration_pct is None and "lyophilised" in sd.note.lower()
    assert sd.initial_rate_mg_per_kg_min is None and sd.max_rate_mg_per_kg_min is None
    for p in catalog.products():
        if p.initial_rate_mg_per_kg_min is None:
            assert p.rate_indication is None and not p.rate_steps_mg_per_kg_min, p.product_id
        if p.sugar == "unknown" and p.stabiliser is None:
            assert "unknown" in p.note.lower(), p.product_id


def test_vial_sizes_are_usable_by_the_vial_picker():
    for p in catalog.products():
        assert p.vial_sizes_g, p.product_id
        assert all(s > 0 and abs(s * 2 - round(s * 2)) < 1e-9 for s in p.vial_sizes_g), p.product_id


# ---------------------------------------------------------------------------
# a broken copy gives a DataError naming file, row and column
# ---------------------------------------------------------------------------


def test_broken_products_csv_names_file_row_and_column(data_copy):
    path = data_copy / "products.csv"
    row = row_of(path, "product_id", "octagam_10")
    set_cell(path, row, "rate_steps_mg_per_kg_min", "1;4;2;12")
    with pytest.raises(data.DataError) as info:
        catalog.products()
    message = str(info.value)
    assert "products.csv" in message and f"row {row}" in message and "'rate_steps_mg_per_kg_min'" in message
    assert "Traceback" not in message and "pandera" not in message


def test_bad_concentration_and_sugar_are_reported(data_copy):
    path = data_copy / "products.csv"
    set_cell(path, 3, "concentration_pct", "7")
    set_cell(path, 4, "sugar", "honey")
    with pytest.raises(data.DataError) as info:
        catalog.products()
    message = str(info.value)
    assert "row 3" in message and "'concentration_pct'" in message and "5, 10" in message
    assert "row 4" in message and "'sugar'" in message and "'honey'" in message


def test_a_sugar_missing_from_the_stabilisers_is_reported(data_copy):
    path = data_copy / "products.csv"
    row = row_of(path, "product_id", "octagam_10")
    set_cell(path, row, "stabiliser_ids", "glycine")
    with pytest.raises(data.DataError) as info:
        catalog.products()
    assert f"row {row}" in str(info.value) and "'stabiliser_ids'" in str(info.value)


def test_a_sucrose_product_cannot_be_sucrose_free(data_copy):
    path = data_copy / "products.csv"
    row = row_of(path, "product_id", "gamunex_c")
    set_cell(path, row, "sugar", "sucrose")
    set_cell(path, row, "stabiliser_ids", "sucrose")
    with pytest.raises(data.DataError) as info:
        catalog.products()
    assert f"row {row}" in str(info.value) and "'sucrose_free'" in str(info.value)


def test_an_at_risk_cap_equal_to_the_maximum_cannot_be_called_lower(data_copy):
    path = data_copy / "products.csv"
    row = row_of(path, "product_id", "gamunex_c")
    set_cell(path, row, "at_risk_cap_restricts", "yes")
    with pytest.raises(data.DataError) as info:
        catalog.products()
    assert f"row {row}" in str(info.value) and "'at_risk_cap_restricts'" in str(info.value)


def test_max_rate_below_initial_is_reported(data_copy):
    path = data_copy / "products.csv"
    row = row_of(path, "product_id", "privigen")
    set_cell(path, row, "max_rate_mg_per_kg_min", "0.4")
    with pytest.raises(data.DataError) as info:
        catalog.product("privigen")
    assert f"row {row}" in str(info.value) and "'max_rate_mg_per_kg_min'" in str(info.value)


def test_broken_regimens_csv_names_file_row_and_column(data_copy):
    path = data_copy / "regimens.csv"
    row = row_of(path, "regimen_id", "commonly_quoted_1gkg_monthly")
    set_cell(path, row, "verified", "yes")
    other = row_of(path, "regimen_id", "aims")
    set_cell(path, other, "interval_days", "365")
    with pytest.raises(data.DataError) as info:
        catalog.regimens()
    message = str(info.value)
    assert "regimens.csv" in message and f"row {row}" in message and "'verified'" in message
    assert f"row {other}" in message and "'interval_days'" in message and "365" in message


def test_claim_marked_verified_is_rejected(data_copy):
    path = data_copy / "prices.csv"
    row = row_of(path, "item_id", "claim_100_350_per_g")
    set_cell(path, row, "verified", "yes")
    with pytest.raises(data.DataError) as info:
        catalog.prices()
    assert "prices.csv" in str(info.value) and f"row {row}" in str(info.value) and "'verified'" in str(info.value)


def test_catalog_reads_the_data_dir_in_force(data_copy):
    path = data_copy / "products.csv"
    set_cell(path, row_of(path, "product_id", "privigen"), "name", "Privigen (copy)")
    assert catalog.product("privigen").name == "Privigen (copy)"
    assert isinstance(catalog.prices(), pd.DataFrame)
