"""What each audience sees in the cohort report (no engine needed)."""

from datetime import date

from outreach.population.report import figures, render_html
from outreach.population.rules import LOCALITY_COUNTS, REASON_LABELS, CohortConfig
from outreach.population.run import CohortResult


def _result(**by_locality):
    rows = []
    for loc, (cohort, ao, smi) in by_locality.items():
        row = dict.fromkeys(LOCALITY_COUNTS, 0)
        row.update(locality=loc, people=1000, cohort=cohort, cohort_on_ao=ao,
                   cohort_not_on_ao=cohort - ao, cohort_cmht=cohort - ao, cohort_ao=ao,
                   smi_known=smi, ao_caseload=ao)
        rows.append(row)
    return CohortResult(CohortConfig(period_end=date(2025, 3, 31)), "duckdb", "x", rows,
                        {"repeated_dna": 3, "psychosis": 140})


def test_small_counts_and_zero_are_hidden_and_others_rounded_for_commissioners():
    f = figures(_result(A=(3, 0, 20), B=(137, 12, 900)))
    a, b, total = f["localities"]
    assert a["cohort"]["text"] == "*" and a["cohort_on_ao"]["text"] == "*"
    assert b["cohort"]["value"] == 135 and b["cohort_on_ao"]["value"] == 10
    assert total["cohort"]["value"] == 140  # 140 exactly, rounded: stays 140
    # The multiplier of 20 people known: 2-3, both ends hidden.
    assert a["multiplier"]["text"] == "*-*"
    assert b["multiplier"] == {"text": "90-135", "low": 90, "high": 135}
    reasons = {r["name"]: r["text"] for r in f["reasons"]}
    assert reasons["repeated_dna"] == "*" and reasons["cto"] == "*"


def test_commissioners_workforce_uses_the_rounded_counts():
    """137 people would need 10.96 FTE at 8 per 100, disclosing 137; the report works from
    the rounded 135 (10.8 FTE), and shows '*' where the count is hidden."""
    f = figures(_result(A=(3, 0, 20), B=(137, 12, 900)))
    a, b, _ = f["localities"]
    assert b["staff"]["needed"] == "10.8"
    assert a["staff"] == {"needed": "*", "in_post": "*", "gap_fte": "*", "gap_cost": "*",
                          "values": [None] * 4}
    assert f["workforce"]["people"] == 140


def test_providers_see_exact_figures():
    f = figures(_result(A=(3, 0, 20), B=(137, 12, 900)), audience="provider")
    a, b, _ = f["localities"]
    assert a["cohort"]["text"] == "3" and b["cohort"]["value"] == 137
    assert b["staff"]["needed"] == "11.0"


def test_report_labels_the_multiplier_as_not_a_count_and_lists_every_reason():
    html = render_html(figures(_result(B=(137, 12, 900))))
    assert "Multiplier estimate (not a count)" in html
    assert "must not be used for planning" in html
    for label in REASON_LABELS.values():
        assert label in html
