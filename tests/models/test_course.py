"""ivigkit.course: the teaching simulator of EDSS over the years."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigkit import course


def test_same_seed_same_path_and_another_seed_differs():
    a = course.simulate_patient("rrms", seed=7, years=10)
    b = course.simulate_patient("rrms", seed=7, years=10)
    c = course.simulate_patient("rrms", seed=8, years=10)
    assert a.table.equals(b.table) and a.relapse_years == b.relapse_years
    assert a.relapse_years != c.relapse_years


def test_ppms_has_no_relapses_by_default_and_worsens_steadily():
    path = course.simulate_patient("ppms", years=10)
    assert path.relapse_years == ()
    edss = path.table["edss"].to_numpy()
    assert (np.diff(edss) >= 0).all() and edss[-1] == course.START_EDSS["ppms"] + 3.0


def test_cis_converts_at_its_first_relapse():
    path = course.simulate_patient("cis", years=10, seed=3)
    assert path.converted_year == path.relapse_years[0]
    never = course.simulate_patient("cis", years=10, relapses_per_year=0)
    assert never.converted_year is None and never.relapse_years == ()


def test_rrms_turns_progressive_at_the_transition_year():
    no_relapses = dict(relapses_per_year=0.0, years=20, seed=1)
    late = course.simulate_patient("rrms", spms_transition_years=10, **no_relapses).table
    never = course.simulate_patient("rrms", spms_transition_years=None, **no_relapses).table
    assert never["edss"].nunique() == 1  # no relapses, never progressive: flat
    assert late.loc[late["year"] <= 10, "edss"].nunique() == 1
    # Then 10 years at the progression slope, with no relapses (the rate stays 0).
    rise = course.PROGRESSION_EDSS_PER_YEAR["rrms"] * 10
    assert late["edss"].iloc[-1] == course.to_edss_steps(course.START_EDSS["rrms"] + rise)


def test_treatment_removes_only_untreated_relapses():
    untreated = course.simulate_patient("rrms", seed=4, years=10)
    treated = course.simulate_patient("rrms", seed=4, years=10, rate_ratio=0.5)
    assert set(treated.relapse_years) <= set(untreated.relapse_years)
    assert sorted(treated.relapse_years + treated.avoided_years) == sorted(untreated.relapse_years)


def test_cohort_counts_and_numbers_needed_to_treat():
    cohort = course.simulate_cohort("rrms", patients=400, years=5, rate_ratio=0.41, seed=2)
    assert cohort.relapses_treated < cohort.relapses_untreated
    assert cohort.relapses_avoided == pytest.approx(cohort.relapses_untreated - cohort.relapses_treated)
    # Monthly steps cap a patient at one relapse a month, so the mean is just under rate x years.
    assert cohort.relapses_untreated == pytest.approx(1.26 * 5, rel=0.1)
    assert cohort.patient_years_per_relapse_avoided == pytest.approx(5 / cohort.relapses_avoided)
    band = cohort.band
    assert (band["p10"] <= band["median"]).all() and (band["median"] <= band["p90"]).all()
    none = course.simulate_cohort("rrms", patients=50, years=5, rate_ratio=1.0)
    assert none.relapses_avoided == 0 and none.patient_years_per_relapse_avoided is None


@pytest.mark.parametrize("changes, message", [
    (dict(years=0), "Years must be between 1 and 40"),
    (dict(years="ten"), "Years must be a number"),
    (dict(relapses_per_year=-1), "relapse rate must be between 0 and 5"),
    (dict(rate_ratio=4), "rate ratio must be between 0 and 3"),
    (dict(recovery_fraction=1.5), "Recovery must be between 0 and 1"),
    (dict(start_edss=11), "starting EDSS must be between 0 and 10"),
    (dict(seed="abc"), "seed must be a whole number"),
])
def test_bad_settings_are_explained(changes, message):
    with pytest.raises(ValueError, match=message):
        course.simulate_patient("rrms", **changes)


def test_unknown_course_is_explained():
    with pytest.raises(ValueError, match="not an MS course"):
        course.settings("nmosd")


@settings(max_examples=40, deadline=None)
@given(course_id=st.sampled_from(course.COURSES), seed=st.integers(0, 10_000),
       rate=st.floats(0, 5), recovery=st.floats(0, 1), years=st.floats(1, 40),
       start=st.floats(0, 10))
def test_edss_stays_on_the_scale_in_half_steps(course_id, seed, rate, recovery, years, start):
    path = course.simulate_patient(course_id, seed=seed, relapses_per_year=rate,
                                   recovery_fraction=recovery, years=years, start_edss=start)
    edss = path.table["edss"].to_numpy()
    assert ((0 <= edss) & (edss <= 10)).all()
    assert np.allclose(edss * 2, np.round(edss * 2))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), ratio=st.floats(0, 0.95), rate=st.floats(0.2, 3))
def test_a_rate_ratio_below_one_never_raises_the_mean_relapse_count(seed, ratio, rate):
    cohort = course.simulate_cohort("rrms", patients=100, years=3, seed=seed,
                                    relapses_per_year=rate, rate_ratio=ratio)
    assert cohort.relapses_treated <= cohort.relapses_untreated


def test_share_at_diagnosis_reads_the_course_table():
    from ivigkit import data

    row = data.load("ms_courses").set_index("course_id").loc["ppms"]
    text = course.share_at_diagnosis("ppms")
    assert f"{row['share_at_diagnosis_pct_low']:.0f}-{row['share_at_diagnosis_pct_high']:.0f} %" in text
    with pytest.raises(ValueError, match="not a course"):
        course.share_at_diagnosis("nmosd")
