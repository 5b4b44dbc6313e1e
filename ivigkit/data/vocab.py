"""The words the data tables may use: every enumeration, id pattern and verification label,
defined once. The schemas check the tables against these; models and apps take their lists of
courses, sites, needs and so on from here. Plain tuples: importing this costs nothing."""
from __future__ import annotations

# -- shared -------------------------------------------------------------------

#: Verification labels for rows read in a source (see data/README.md).
VERIFIED = ("yes", "partial", "no")
#: Labels for tables that also hold arithmetic on verified inputs.
VERIFIED_DERIVED = VERIFIED + ("derived",)
#: Ids are lowercase slugs.
SLUG_PATTERN = r"^[a-z0-9_]+$"
SLUG_HINT = "is not a valid id (use lowercase letters, digits and _ only)"
#: A ``;``-separated list of slugs (spaces around ``;`` allowed).
SOURCE_LIST_PATTERN = r"^[a-z0-9_]+(\s*;\s*[a-z0-9_]+)*$"

# -- sources.csv ----------------------------------------------------------------

SOURCE_KINDS = ("journal_article", "abstract", "review", "meta_analysis", "systematic_review",
                "guideline", "product_label", "trial_registry", "web_page", "government",
                "calculator", "news", "textbook")

# -- products.csv, stabilisers.csv -------------------------------------------------

#: The sugar or sugar alcohol in a product ('none' only where a source says so).
SUGARS = ("none", "sucrose", "maltose", "glucose", "sorbitol", "unknown")
#: Whether a source read says the product has no sucrose.
SUCROSE_FREE = ("yes", "not_stated")
#: Stabilisers and excipients that stabilisers.csv describes (products.stabiliser_ids use these).
STABILISER_IDS = ("sucrose", "maltose", "glucose", "sorbitol", "l_proline", "glycine", "polysorbate_80")
STABILISER_KINDS = ("sugar", "sugar_alcohol", "amino_acid", "surfactant")
YES_NO = ("yes", "no")

# -- regimens.csv, prices.csv, model_parameters.csv -----------------------------

REGIMEN_POPULATIONS = ("RRMS", "CIS", "SPMS", "progressive", "postpartum", "pregnancy", "NMOSD",
                       "relapse", "other")
REGIMEN_EVIDENCE = ("trial", "guideline", "case_series", "commonly_quoted")
PRICE_CATEGORIES = ("ivig_price", "administration", "nursing_rate", "supplies", "infusion_cost",
                    "annual_ivig_cost", "course_cost", "dmt_annual")
PRICE_PER = ("g", "500_mg", "administration", "infusion", "minute", "year", "patient_year", "course")
SETTINGS = ("home", "infusion_centre", "hospital", "hospital_outpatient", "any")
#: Where the cost model can place an infusion (a subset of SETTINGS).
SITES = ("home", "infusion_centre")
#: The ivigkit modules whose constants model_parameters.csv records.
MODEL_MODULES = ("dosing", "infusion", "pk", "cost", "course", "screening", "nursing")
#: What kind of number a model constant is (see data/README.md).
PARAMETER_KINDS = ("verified_value", "teaching_choice", "assumption", "derived")
#: A module constant, with a key in brackets for a dict (or an index for a tuple).
CONSTANT_PATTERN = r"^[A-Z][A-Z0-9_]*(\[[A-Za-z0-9_]+\])?$"

# -- notebook 01: ms_courses, symptoms, diagnostics, nmosd_vs_ms -----------------

COURSE_IDS = ("cis", "rrms", "spms", "ppms")
IVIG_RESULTS = ("positive", "negative", "mixed", "inconclusive")
CNS_REGIONS = ("optic_nerve", "brainstem", "cerebellum", "spinal_cord", "cerebrum", "several")
STUDY_LIST_PATTERN = r"^[a-z0-9_]+(;[a-z0-9_]+)*$"

#: treatments.csv: where IVIG sits among today's treatments.
TREATMENT_CLASSES = ("injectable_interferon", "injectable_glatiramer", "oral", "infused_monoclonal",
                     "injected_monoclonal", "complement_inhibitor", "immunoglobulin")
TREATMENT_USES = ("relapsing_ms", "active_spms", "ppms", "nmosd", "pregnancy_breastfeeding")
ROUTES = ("self_injection", "oral", "infusion")
AGENCIES = ("FDA", "EMA", "none")
TREATMENT_STATUSES = ("approved", "label_permits", "label_advises_against", "off_label")
#: ms_context.csv: how common MS is and how soon IVIG acts.
CONTEXT_TOPICS = ("prevalence", "incidence", "sex_ratio", "age_at_diagnosis", "time_to_act")
CONTEXT_UNITS = ("people", "per_100000_population", "per_100000_person_years", "ratio", "years", "months",
                 "weeks", "days")
CONTEXT_KINDS = ("estimate", "measured", "claim_to_check")

# -- notebook 02: ivig_composition, mechanisms ------------------------------------

CERTAINTY = ("shown_in_patients", "lab_or_animal_only", "hypothesis", "not_supported")
MAP_NODES = ("ivig", "fcrn", "fc_receptors", "macrophages", "complement", "autoantibodies", "b_cells",
             "t_cells", "cytokines", "myelin")

# -- notebook 03: trials, claims ----------------------------------------------------

DESIGNS = ("rct_parallel", "rct_crossover", "rct_dose_comparison", "prospective_observational",
           "retrospective_observational", "open_pilot", "case_series", "meta_analysis",
           "systematic_review")
TRIAL_POPULATIONS = ("rrms", "cis", "spms", "ppms", "progressive_mixed", "pregnancy_postpartum",
                     "acute_relapse_optic_neuritis", "nmosd", "ms_mixed")
OUTCOMES = ("relapse_rate", "relapse_free", "disability", "mri", "cdms_conversion",
            "visual_function", "deficit_recovery", "safety", "other")
EFFECT_MEASURES = ("rate_ratio", "risk_ratio", "odds_ratio", "hazard_ratio", "mean_difference",
                   "weighted_mean_difference", "standardised_mean_difference", "effect_size",
                   "risk_difference", "relative_reduction_pct", "nnt", "none")
RESULTS = ("positive", "negative", "mixed", "neutral", "inconclusive", "not_found")
VERDICTS = ("supported", "partly_supported", "not_supported", "wrong_number", "wrong_detail")
CLAIM_TOPICS = ("rrms", "cis", "progressive", "pregnancy_postpartum", "acute_relapse", "nmosd",
                "mechanism", "symptoms")
TEACHING_POINTS = ("sample_size", "crossover", "surrogate_endpoint", "primary_vs_secondary",
                   "subgroup", "units", "publication_bias", "observational_vs_randomised",
                   "levels_of_evidence", "wrong_attribution")
ARM_NUMBERS = ("ivig_events", "ivig_n", "control_events", "control_n", "ivig_pct", "control_pct",
               "ivig_rate_per_year", "control_rate_per_year", "effect", "ci_low", "ci_high")

# -- notebook 05: adverse_events, screening_factors, infusion_day, nmosd_use ----------

DENOMINATORS = ("per_infusion", "per_patient", "comparison", "reports", "not_stated")
#: Units of a comparison between exposed and unexposed (adverse_events.comparison_unit), with the
#: value that means "no difference": 1 for a ratio, 0 for a difference.
COMPARISON_UNITS = {"hazard_ratio": 1.0, "relative_risk": 1.0, "risk_difference_percentage_points": 0.0,
                    "excess_events_per_10000_patients": 0.0}
TIMINGS = ("during", "within_hours", "within_days", "weeks", "not_stated")
#: 'product_contraindication' rules out some products (a label contraindication tied to one
#: ingredient), not IVIG as such.
SEVERITIES = ("contraindication", "product_contraindication", "caution", "monitor")
#: What a product must (screening_factors.product_needs) or should (product_prefers) offer.
PRODUCT_NEEDS = ("no_sugar", "no_sucrose", "no_maltose", "no_glucose", "no_sorbitol", "no_proline",
                 "low_sodium", "low_iga", "low_osmolality")
PHASES = ("before", "start", "during", "after", "reaction", "setting")

# -- notebook 05, nursing strand: infusion_monitoring, reaction_plan, documentation_items, teach_back

CHECK_WHEN = ("before_start", "after_start", "each_rate_change", "top_rate_interval", "end_of_infusion",
              "after_infusion")
CHECK_BASIS = ("label", "local_protocol", "assumption")
FIRST_ACTIONS = ("slow_or_pause", "stop", "stop_and_emergency")
RESTARTS = ("lower_rate_when_settled", "prescriber_decides", "do_not_restart")
RECORD_REQUIRED_BY = ("label", "regulation_example", "local_protocol", "good_practice")

# -- notebook 05, pharmacy strand: stabilisers, product_handling, ig_access ------------

PRODUCT_FORMS = ("ready_to_use_liquid", "lyophilised_powder")
YES_NO_NOT_STATED = ("yes", "no", "not_stated")
ACCESS_KINDS = ("rationing_programme", "payer_policy")
