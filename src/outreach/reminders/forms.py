from outreach.web.forms import OneSubmissionForm


class ReminderForm(OneSubmissionForm):
    """Send a reminder for a planned visit: nothing to fill in, the channel and recipient
    come from the person's record. The key makes a double tap one reminder."""
