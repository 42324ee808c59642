"""The re-referral form: the route back in for someone the team held before."""

from outreach.core import limits
from outreach.records.forms_episode import NotFutureMixin, ReferralFields
from outreach.web.forms import text


class ReReferForm(NotFutureMixin, ReferralFields):
    not_future = ("referral_date",)

    note = text("What brings them back (optional)", limits.CONTACT_NOTE,
                what="What brings them back")
