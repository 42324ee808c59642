"""Experience feedback rules: FFT scoring, agreement shares, consent to share comments
(hazard H35) and small-number suppression of results."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.experience import (
    FFT_LABELS,
    FFT_QUESTION,
    QUESTION_KEYS,
    UNKNOWN_QUESTION,
    Agree,
    Fft,
    Respondent,
    Response,
    Tally,
    by_team_and_quarter,
    fft_score,
    quarter_label,
    quarter_of,
    result,
    shared_comment,
    tally,
)
from outreach.core.suppression import Disclosure, SuppressionConfig

EXACT = Disclosure.exact()
SUPPRESSED = Disclosure.suppressed(SuppressionConfig())


def response(fft=Fft.GOOD, month=date(2025, 5, 1), team="north", comment="", **answers):
    return Response(team, month, Respondent.PERSON, fft,
                    {k: Agree(v) for k, v in answers.items()}, comment)


def test_fft_wording_and_six_answers_are_nhs_englands():
    assert FFT_QUESTION == "Overall, how was your experience of our service?"
    assert list(FFT_LABELS.values()) == ["Very good", "Good", "Neither good nor poor", "Poor",
                                         "Very poor", "Don't know"]


def test_fft_positive_counts_dont_know_in_the_denominator():
    t = Tally()
    for a in [Fft.VERY_GOOD, Fft.GOOD, Fft.POOR, Fft.DONT_KNOW]:
        t = t.add(response(fft=a))
    t = t.add(response(fft=None))  # FFT not answered: not in the denominator
    assert (t.responses, t.fft_answered, t.fft_positive, t.fft_negative) == (5, 4, 2, 1)
    assert fft_score(t, EXACT).value == 50


@given(st.lists(st.sampled_from(list(Fft)), min_size=1, max_size=60))
def test_fft_score_is_positive_share_of_all_answers(answers):
    t = Tally()
    for a in answers:
        t = t.add(response(fft=a))
    positive = sum(a in (Fft.VERY_GOOD, Fft.GOOD) for a in answers)
    shown = fft_score(t, EXACT)
    assert shown.value == pytest.approx(round(100 * positive / len(answers)), abs=1)
    suppressed = fft_score(t, SUPPRESSED)
    assert suppressed.suppressed == (positive < 5)


def test_does_not_apply_is_left_out_of_agreement():
    t = Tally()
    t = t.add(response(interpreter="not_applicable", listened="agree"))
    t = t.add(response(interpreter="disagree", listened="strongly_agree"))
    t = t.add(response(listened="disagree"))
    assert t.agree["interpreter"] == (0, 1)
    assert t.agree["listened"] == (2, 3)


def test_comments_need_explicit_consent():
    """H35: only a yes shares a comment; no, or no answer, shares nothing."""
    assert shared_comment("  Kind staff ", True) == "Kind staff"
    assert shared_comment("Kind staff", False) == ""
    assert shared_comment("Kind staff", None) == ""


@given(st.lists(st.tuples(st.text(min_size=1, max_size=20), st.one_of(st.none(), st.booleans())),
                max_size=20))
def test_only_shared_comments_reach_results(comments):
    rows = [response(comment=shared_comment(c, share)) for c, share in comments]
    shown = result(tally(rows, lambda r: None)[None] if rows else Tally(), EXACT)
    allowed = sorted(c.strip() for c, share in comments if share is True and c.strip())
    assert list(shown.comments) == allowed


def test_small_groups_are_suppressed_and_their_comments_held_back():
    few = [response(comment="The same nurse every week") for _ in range(3)]
    shown = result(tally(few, lambda r: None)[None], SUPPRESSED)
    assert shown.responses.text == "*" and shown.fft_positive.suppressed
    assert shown.comments == ()
    many = few + [response() for _ in range(4)]
    shown = result(tally(many, lambda r: None)[None], SUPPRESSED)
    assert shown.responses.text == "5"  # 7 rounded to the nearest 5
    assert shown.comments == ("The same nurse every week",) * 3


def test_results_group_by_team_and_quarter():
    rows = [response(month=date(2025, 3, 1)), response(month=date(2025, 4, 1)),
            response(month=date(2025, 6, 1), team="south")]
    groups = tally(rows, by_team_and_quarter)
    assert set(groups) == {("north", (2025, 1)), ("north", (2025, 2)), ("south", (2025, 2))}
    assert quarter_of(date(2025, 12, 31)) == (2025, 4)
    assert quarter_label((2025, 2)) == "Apr to Jun 2025"


def test_unknown_question_is_refused():
    with pytest.raises(ValueError, match=UNKNOWN_QUESTION):
        Response("north", date(2025, 1, 1), Respondent.PERSON, None, {"mood": Agree.AGREE})
    assert "listened" in QUESTION_KEYS and "contact" in QUESTION_KEYS
