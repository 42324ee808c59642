"""Monthly trends kept as derived figures (TrendFigure): the same as computing them afresh,
worked out again when older than the configured age or when the parameters change; and the
governance settings, read with their defaults and validated."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from outreach.core.measures import MEASURES
from outreach.core.suppression import Disclosure
from outreach.governance import selectors
from outreach.governance.access import viewer_for
from outreach.governance.config import (
    BAD_AGE,
    governance_config,
    measure_params,
    params_key,
    rag_config,
    suppression_config,
)
from outreach.governance.models import TrendFigure
from tests.governance.builders import AS_OF, ago, care_plan, contact, episode


@pytest.fixture
def record(team, worker):
    for i in range(3):
        e = episode(team, worker)
        care_plan(e, worker, on=ago(100 + 20 * i), due=ago(10 * i - 20), rated=11)
        for d in range(0, 300, 9):
            contact(e, worker, on=ago(d + i))
    return team


def tallies(results, team):
    return {(m.key, w.key): results.tally(m.key, w.key, [team.pk])
            for m in MEASURES for w in results.windows[m.key]}


def test_kept_trends_equal_trends_worked_out_afresh(record, team):
    params = measure_params()
    fresh = selectors.compute([team.pk], as_of=AS_OF, params=params, cached=False)
    first = selectors.compute([team.pk], as_of=AS_OF, params=params)  # works out and keeps
    kept = selectors.compute([team.pk], as_of=AS_OF, params=params)  # reads the kept rows
    assert TrendFigure.objects.filter(team=team).exists()
    assert tallies(fresh, team) == tallies(first, team) == tallies(kept, team)
    assert kept.trend_at is not None


def test_old_trends_are_worked_out_again(record, team):
    params = measure_params()
    selectors.compute([team.pk], as_of=AS_OF, params=params)
    TrendFigure.objects.update(computed_at=timezone.now() - timedelta(hours=5))
    result = selectors.compute([team.pk], as_of=AS_OF, params=params)
    assert result.trend_at is None  # worked out now, not read back
    assert TrendFigure.objects.filter(computed_at__lt=timezone.now() - timedelta(hours=1)
                                      ).count() == 0


def test_other_parameters_never_reuse_kept_trends(record, team):
    params = measure_params()
    selectors.compute([team.pk], as_of=AS_OF, params=params)
    other = {**params, "weekly_target": 3}
    assert params_key(other) != params_key(params)
    fresh = selectors.compute([team.pk], as_of=AS_OF, params=other, cached=False)
    kept = selectors.compute([team.pk], as_of=AS_OF, params=other)
    assert tallies(fresh, team) == tallies(kept, team)


@override_settings(OUTREACH_GOVERNANCE={"trend_max_age_minutes": 0})
def test_an_age_of_zero_always_works_trends_out_afresh(record, team):
    selectors.compute([team.pk], as_of=AS_OF, params=measure_params())
    assert selectors.compute([team.pk], as_of=AS_OF, params=measure_params()).trend_at is None


def test_governance_settings_have_defaults_and_are_validated():
    assert governance_config() == {"trend_max_age_minutes": 240}
    with override_settings(OUTREACH_GOVERNANCE={"trend_max_age_minutes": -1}):
        with pytest.raises(ValueError, match=BAD_AGE):
            governance_config()
    with override_settings(OUTREACH_GOVERNANCE={"max_age": 5}):
        with pytest.raises(ValueError):
            governance_config()
    with override_settings(OUTREACH_SUPPRESSION={"threshold": 10, "rounding": 10}):
        assert suppression_config().threshold == 10
    with override_settings(OUTREACH_SUPPRESSION={"treshold": 10}):
        with pytest.raises(ValueError):
            suppression_config()
    with override_settings(OUTREACH_RAG={"due_soon_days": 14}):
        assert rag_config().due_soon_days == 14


def test_commissioners_suppression_follows_the_setting(commissioner):
    with override_settings(OUTREACH_SUPPRESSION={"threshold": 10, "rounding": 10}):
        d = viewer_for(commissioner.user).disclosure
        assert d.count(9).text == "*" and d.count(14).text == "10"
    assert viewer_for(commissioner.user).disclosure == Disclosure.suppressed()
