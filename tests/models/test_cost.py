"""Cost arithmetic: worked examples from the sources, properties, and readable errors."""
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivigkit import cost

GBS_COURSE = [(day, 0.4 * 70) for day in range(5)]     # 0.4 g/kg x 5 days at 70 kg


def test_worked_example_one_g_per_kg():
    # 70 kg x 1 g/kg = 70 g; $100/g is the low end of a popular claim (a teaching number only).
    assert cost.drug_cost_usd(70, 100) == pytest.approx(7000.0)


def test_gbs_course_against_winters_2011():
    course = cost.annual_cost(GBS_COURSE, 70.22, "infusion_centre",
                              supplies_usd_per_visit=cost.SUPPLIES_USD_PER_VISIT)
    assert course.grams_billed == pytest.approx(140.0)
    assert course.infusions == 5
    assert course.drug_usd == pytest.approx(9830.80)
    nursing = cost.administration_cost_usd("infusion_centre", 5)
    supplies = 5 * cost.SUPPLIES_USD_PER_VISIT
    # Table 1's footnote: a 2-hour infusion takes 59 + 14 = 73 nurse minutes at $0.79/min.
    assert cost.NURSING_MINUTES_PER_VISIT == 73
    assert nursing == pytest.approx(5 * 73 * 0.79) == pytest.approx(288.35)
    assert supplies == pytest.approx(25.05)
    assert course.total_usd == pytest.approx(10144.20)
    # The $474.00 printed on the IVIG nurse line is the plasma-exchange line (120 min x $0.79 x 5):
    # with it, the table's lines add to the abstract's $10,329.85, not to its printed $10,325.05.
    assert course.total_usd - nursing + 474.00 == pytest.approx(10329.85)
    assert cost.administration_cost_usd("infusion_centre", 5, nursing_minutes=120) == pytest.approx(474.00)


def test_winters_rows_in_prices_csv_agree_with_the_model():
    from ivigkit.data import catalog
    value = catalog.prices().set_index("item_id")["value_usd_low"]
    assert value["rn_labour_per_infusion_2010"] == pytest.approx(73 * 0.79)
    assert value["rn_labour_course_2010"] == pytest.approx(5 * 73 * 0.79)
    assert value["tpe_rn_labour_course_2010"] == pytest.approx(5 * 120 * 0.79)
    assert value["gbs_course_total_2011"] == pytest.approx(9830.80 + 474.00 + 25.05)
    assert value["gbs_course_total_corrected_2011"] == pytest.approx(9830.80 + 5 * 73 * 0.79 + 25.05)


def test_home_visits_use_q2052_by_default():
    assert cost.administration_cost_usd("home", 12) == pytest.approx(12 * 420.48)
    assert cost.administration_cost_usd("home", 2, fee_usd_per_visit=381.57) == pytest.approx(763.14)
    assert cost.administration_cost_usd("home", 1, nursing_minutes=60) == pytest.approx(47.4)
    assert cost.administration_cost_usd("infusion_centre", 1, fee_usd_per_visit=72,
                                        supplies_usd_per_visit=5) == pytest.approx(77)
    assert cost.administration_cost_usd("home", 0) == 0


def test_annual_cost_reads_grams_billed_and_horizon():
    table = pd.DataFrame({"day": [0, 28, 56, 364, 365], "dose_g": [28, 28, 28, 28, 28],
                          "grams_billed": [30, 30, 30, 30, 30]})
    year = cost.annual_cost(table, 70, "home")
    assert (year.infusions, year.grams_billed) == (4, 120)     # day 365 is next year
    assert year.total_usd == pytest.approx(120 * 70 + 4 * 420.48)
    no_billed = cost.annual_cost(table.drop(columns="grams_billed"), 70, "home", horizon_days=30)
    assert (no_billed.infusions, no_billed.grams_billed) == (2, 56)
    # one visit a day, however many rows that day has
    assert cost.annual_cost([(0, 20), (0, 10)], 70, "home").infusions == 1


def test_price_per_g_from_500_mg_units():
    assert cost.price_per_g(35.018, "500_mg") == pytest.approx(70.036)
    assert cost.price_per_g(70.22, "g") == pytest.approx(70.22)
    assert cost.price_per_g({"value_usd_low": 33.073, "per": "500_mg"}) == pytest.approx(66.146)
    with pytest.raises(ValueError, match="cannot be turned into a price per gram"):
        cost.price_per_g(40000, "year")


def _fake_prices():
    """A stand-in for data/prices.csv with its columns (the real file is written separately)."""
    return pd.DataFrame([
        dict(item_id="contract", category="ivig_price", description="Hospital contract",
             value_usd_low=70.22, value_usd_high=70.22, per="g", year=2011, setting="hospital",
             is_claim="no", verified="yes", source_ids="winters2011_bmchsr", note=""),
        dict(item_id="asp", category="ivig_price", description="Carimune ASP limit",
             value_usd_low=33.073, value_usd_high=35.018, per="500_mg", year=2016,
             setting="medicare", is_claim="no", verified="yes", source_ids="cslbehring_asp_limits",
             note=""),
        dict(item_id="claim", category="ivig_price", description="Popular claim",
             value_usd_low=100, value_usd_high=350, per="g", year=None, setting="",
             is_claim="yes", verified="no", source_ids="medx_aggregator", note=""),
        dict(item_id="betaseron", category="dmt_annual", description="Betaseron",
             value_usd_low=38369, value_usd_high=38369, per="year", year=2010, setting="",
             is_claim="no", verified="yes", source_ids="yamamoto2012_autoimmunedis", note=""),
        dict(item_id="q2052", category="administration", description="Q2052",
             value_usd_low=420.48, value_usd_high=None, per="administration", year=2024,
             setting="home", is_claim="no", verified="yes", source_ids="noridian_jd_ivig2024",
             note=""),
    ])


def test_price_options_from_a_price_table():
    options = cost.price_options(_fake_prices())
    assert options["item_id"].tolist() == ["contract", "asp", "claim"]
    assert options["label"].iloc[0] == "Hospital contract, 2011: $70.22/g"
    assert options["label"].iloc[1] == "Carimune ASP limit, 2016: $66.15-$70.04/g"
    assert options["label"].iloc[2] == "Popular claim: $100.00-$350.00/g (unverified)"
    assert "derived" in options["note"].iloc[1] and "$33.07 per 500 mg" in options["note"].iloc[1]
    assert options["price_usd_per_g_high"].iloc[0] == pytest.approx(70.22)
    assert cost.price_range_usd_per_g(options) == pytest.approx((66.146, 70.22))
    assert cost.price_range_usd_per_g(options, claims=True) == (100, 350)


def test_dmt_comparators_from_a_price_table():
    extra = dict(category="dmt_annual", per="patient_year", setting="any", is_claim="no",
                 verified="yes", source_ids="hartung2015_neurology", note="")
    prices = pd.concat([_fake_prices(), pd.DataFrame([
        dict(item_id="first_gen", description="First-generation DMTs at launch",
             value_usd_low=8000, value_usd_high=11000, year=1993, **extra),
        dict(item_id="open", description="Newer DMT", value_usd_low=70000, value_usd_high=None,
             year=2022, **extra)])])
    dmts = cost.dmt_comparators(prices)
    assert dmts["label"].tolist() == ["Betaseron",
                                      "First-generation DMTs at launch (midpoint of $8,000-$11,000)",
                                      "Newer DMT (lower bound)"]
    assert dmts["usd"].tolist() == [38369.0, 9500.0, 70000.0]
    assert dmts["year"].tolist() == [2010, 1993, 2022]


def test_open_upper_end_and_duplicate_conversion():
    prices = pd.concat([_fake_prices(), pd.DataFrame([
        dict(item_id="open_claim", category="ivig_price", description="Claim: from $73",
             value_usd_low=73, value_usd_high=None, per="g", year=None, setting="any",
             is_claim="yes", verified="no", source_ids="medx_aggregator", note=""),
        dict(item_id="asp_per_g", category="ivig_price", description="Carimune ASP per g",
             value_usd_low=66.146, value_usd_high=70.036, per="g", year=2016, setting="any",
             is_claim="no", verified="derived", source_ids="cslbehring_asp_limits", note="x 2")])])
    options = cost.price_options(prices).set_index("item_id")
    assert "asp" not in options.index              # the same figure is already given per gram
    assert options.loc["asp_per_g", "label"] == "Carimune ASP per g, 2016: $66.15-$70.04/g (derived)"
    assert options.loc["open_claim", "label"] == "Claim: from $73: $73.00/g or more (unverified)"
    assert pd.isna(options.loc["open_claim", "price_usd_per_g_high"])
    assert cost.price_range_usd_per_g(options.reset_index(), claims=True) == (73, 350)


def test_cost_parts_for_the_chart():
    year = cost.annual_cost(GBS_COURSE, 70.22, "home")
    share = cost.patient_share(year.total_usd, deductible_usd=1000, coinsurance_pct=20,
                               oop_max_usd=5000, copay_assistance_usd=100)
    parts = cost.cost_parts(year, share)
    assert list(parts.columns) == ["label", "usd"]
    assert parts["label"].str.startswith("Total").sum() == 1
    assert parts["label"].str.startswith("Patient").sum() == 1
    by = dict(zip(parts["label"], parts["usd"]))
    assert by["Total"] == pytest.approx(by["Drug (IVIG)"] + by["Administration"])
    assert by["Total"] == pytest.approx(by["Patient pays (out of pocket)"] + by["Insurer pays"]
                                        + by["Copay assistance pays"])
    assert len(cost.cost_parts(year)) == 3


# --- data/prices.csv (written by the data task; these read the real file) ----------------

def test_constants_match_prices_csv():
    from ivigkit.data import catalog
    value = catalog.prices().set_index("item_id")["value_usd_low"]
    assert cost.HOME_FEE_USD_PER_VISIT == value["home_q2052_2024"]
    assert cost.NURSING_RATE_USD_PER_MIN == value["rn_labour_2010"]
    assert cost.SUPPLIES_USD_PER_VISIT == value["supplies_per_infusion_2010"]
    assert cost.NURSING_MINUTES_PER_VISIT * cost.NURSING_RATE_USD_PER_MIN == pytest.approx(
        value["rn_labour_per_infusion_2010"])


def test_price_options_from_prices_csv():
    options = cost.price_options()
    labels = dict(zip(options["item_id"], options["label"]))
    assert labels["hospital_contract_2011"] == "Hospital contract price for IVIG (US), 2011: $70.22/g"
    assert not options["label"].duplicated().any()
    assert options["price_usd_per_g_low"].between(0, 1000).all()
    low, high = cost.price_range_usd_per_g(options)
    claim_low, claim_high = cost.price_range_usd_per_g(options, claims=True)
    assert low <= 70.22 <= high and claim_low <= 100 and claim_high >= 350
    dmts = cost.dmt_comparators()
    assert len(dmts) and {"label", "usd", "year"} <= set(dmts.columns)
    assert dmts["usd"].between(1000, 1_000_000).all()


def test_gbs_course_from_prices_csv_rows():
    from ivigkit.data import catalog
    value = catalog.prices().set_index("item_id")["value_usd_low"]
    course = cost.annual_cost(GBS_COURSE, value["hospital_contract_2011"], "infusion_centre",
                              nursing_rate_usd_per_min=value["rn_labour_2010"],
                              supplies_usd_per_visit=value["supplies_per_infusion_2010"])
    assert course.total_usd == pytest.approx(value["gbs_course_total_corrected_2011"])
    # the article's figure differs from ours only by its copied plasma-exchange nurse line
    assert value["gbs_course_total_2011"] - course.total_usd == pytest.approx(
        value["tpe_rn_labour_course_2010"] - value["rn_labour_course_2010"])


def test_price_band():
    low, high = cost.price_band(GBS_COURSE, 66.146, 70.22, "home")
    assert low == pytest.approx(140 * 66.146 + 5 * 420.48)
    assert high == pytest.approx(140 * 70.22 + 5 * 420.48)
    with pytest.raises(ValueError, match=r"The low price \(\$350.00/g\) must not be above"):
        cost.price_band(GBS_COURSE, 350, 100, "home")


def test_patient_share_worked_example():
    share = cost.patient_share(10_000, deductible_usd=1500, coinsurance_pct=20, oop_max_usd=3000,
                               copay_assistance_usd=500)
    assert share.deductible_part_usd == 1500 and share.coinsurance_part_usd == 1700
    assert share.capped_by_oop_max
    assert (share.assistance_applied_usd, share.patient_usd) == (500, 2500)
    assert (share.insurer_usd, share.payer_usd) == (7000, 7500)


# --- Properties ---------------------------------------------------------------------------

money = st.floats(min_value=0, max_value=1e6)
schedule = st.lists(st.tuples(st.integers(0, 400), st.floats(min_value=0, max_value=600)),
                    max_size=15)
sites = st.sampled_from(cost.SITES)


@given(schedule, st.floats(min_value=0, max_value=500), sites, st.floats(0, 50))
def test_parts_add_up_to_total(infusions, price, site, supplies):
    c = cost.annual_cost(infusions, price, site, supplies_usd_per_visit=supplies)
    assert c.total_usd == pytest.approx(c.drug_usd + c.administration_usd)
    assert min(c.drug_usd, c.administration_usd, c.total_usd) >= 0


@given(money, money, st.floats(0, 100), money, money)
def test_patient_share_properties(total, deductible, pct, oop_max, assistance):
    s = cost.patient_share(total, deductible_usd=deductible, coinsurance_pct=pct,
                           oop_max_usd=oop_max, copay_assistance_usd=assistance)
    assert s.patient_usd + s.payer_usd == pytest.approx(total)
    assert s.insurer_usd + s.assistance_applied_usd + s.patient_usd == pytest.approx(total)
    assert s.patient_usd <= oop_max + 1e-9
    assert min(s.patient_usd, s.payer_usd, s.insurer_usd, s.assistance_applied_usd) >= 0
    assert s.assistance_applied_usd <= assistance


@given(st.floats(0, 5000), st.floats(0, 5000), st.floats(min_value=0, max_value=500))
def test_more_grams_never_cheaper(a, b, price):
    low, high = sorted((a, b))
    assert cost.drug_cost_usd(high, price) >= cost.drug_cost_usd(low, price)


@given(schedule, st.integers(0, 400), st.floats(0.1, 600), st.floats(0, 500), sites)
def test_an_extra_infusion_never_lowers_the_annual_cost(infusions, day, grams, price, site):
    before = cost.annual_cost(infusions, price, site).total_usd
    after = cost.annual_cost([*infusions, (day, grams)], price, site).total_usd
    assert after >= before - 1e-6


# --- Bad inputs ---------------------------------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: cost.drug_cost_usd(70, -5), "Price must be between 0 and 10,000 US dollars per g; got -5."),
    (lambda: cost.drug_cost_usd(-1, 70), "Grams billed must be between 0 and 100000 g; got -1."),
    (lambda: cost.administration_cost_usd("hospital", 3),
     "Site of care must be 'home' or 'infusion_centre'; got 'hospital'."),
    (lambda: cost.administration_cost_usd("home", 2.5), "Number of visits must be a whole number; got 2.5."),
    (lambda: cost.administration_cost_usd("home", 1, fee_usd_per_visit=100, nursing_minutes=60),
     "Give either a fee per visit or nursing time and rate, not both."),
    (lambda: cost.administration_cost_usd("infusion_centre", 1, nursing_rate_usd_per_min=-1),
     "Nursing rate must be between 0 and 100 US dollars per minute; got -1."),
    (lambda: cost.annual_cost(GBS_COURSE, -70, "home"),
     "Price must be between 0 and 10,000 US dollars per g; got -70."),
    (lambda: cost.annual_cost(GBS_COURSE, 70, "clinic"),
     "Site of care must be 'home' or 'infusion_centre'; got 'clinic'."),
    (lambda: cost.annual_cost(pd.DataFrame({"day": [0]}), 70, "home"),
     "The infusion table needs a 'day' column and a 'grams_billed' (or 'dose_g') column."),
    (lambda: cost.drug_cost_usd(70, "cheap"), "Price must be a number in US dollars per g; got 'cheap'."),
    (lambda: cost.patient_share(1000, deductible_usd=0, coinsurance_pct=120, oop_max_usd=5000),
     "Coinsurance must be between 0 and 100 %; got 120."),
    (lambda: cost.patient_share(1000, deductible_usd=0, coinsurance_pct=-5, oop_max_usd=5000),
     "Coinsurance must be between 0 and 100 %; got -5."),
    (lambda: cost.patient_share(-1, deductible_usd=0, coinsurance_pct=20, oop_max_usd=5000),
     "Total cost must be between 0 and 100,000,000 US dollars; got -1."),
    (lambda: cost.patient_share(1000, deductible_usd=0, coinsurance_pct=20, oop_max_usd=5000,
                                copay_assistance_usd=-10),
     "Copay assistance must be between 0 and 100,000,000 US dollars; got -10."),
])
def test_bad_inputs_are_explained(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value) == message
