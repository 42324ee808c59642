"""Synthetic feedback and training: deterministic, within the rules the services keep
(anonymous rows carry nothing identifying), loaded once per team."""

import random

from outreach.experience.models import Channel, Feedback, FeedbackLink
from outreach.skills.models import TrainingRecord
from outreach.synth import experience
from outreach.synth.experience import load_experience_and_skills
from tests import factories


def drawn(team, today):
    """What the generator draws for a team from one seed, without writing it."""
    rng = random.Random("7:14:north")
    training = experience._training(team, rng, today)
    feedback = experience._feedback(team, rng, today)
    return ([(t.staff_id, t.competency_id, t.completed_on, t.expires_on) for t in training],
            [(f.month, f.respondent, f.channel, f.person_id, f.fft, f.listened, f.comment)
             for f in feedback])


def test_same_seed_same_rows_and_anonymous_rows_identify_nobody(team, manager, practitioner):
    for _ in range(6):
        factories.make_person(team, practitioner)
    today = factories.today()
    counts = load_experience_and_skills(seed=7, today=today)
    assert counts["feedback"] == Feedback.objects.count() >= 12
    assert counts["training records"] == TrainingRecord.objects.count() > 0
    # Loading again adds nothing to a team that has rows already.
    assert load_experience_and_skills(seed=7, today=today) == {"feedback": 0,
                                                               "training records": 0}
    assert FeedbackLink.objects.filter(team=team).count() == 1
    # The same seed draws the same rows.
    assert drawn(team, today) == drawn(team, today)
    for f in Feedback.objects.filter(person__isnull=True):
        assert f.given_on is None and (f.comment == "" or f.comment_shared is True)
    assert not Feedback.objects.filter(channel=Channel.ONLINE, entered_by__isnull=False)
    assert all(t.expires_on is None or t.expires_on >= t.completed_on
               for t in TrainingRecord.objects.all())
    assert set(Feedback.objects.values_list("channel", flat=True)) >= {
        Channel.ONLINE, Channel.WITH_WORKER}
