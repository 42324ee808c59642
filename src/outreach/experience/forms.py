"""The feedback forms: one for people, one for carers (the statements' wording differs),
each with the Friends and Family Test question and a comment with its own consent question.
Every question may be left out; at least one must be answered (the service checks)."""

from django import forms

from outreach.core.experience import FFT_QUESTION, QUESTIONS
from outreach.experience.models import AGREE_CHOICES, FFT_CHOICES, Channel
from outreach.web.forms import OneSubmissionForm, text

SHARE_CHOICES = [("yes", "Yes, it can be shared without my name"),
                 ("no", "No, do not share it")]
SHARE_LABEL = ("Can we share your comment, without your name, in the team's feedback results "
               "(seen by the team and the people who plan and pay for services)?")
ANONYMOUS_SHARE_HINT = "If you say no, your comment will not be kept."


class FeedbackForm(OneSubmissionForm):
    noun = "feedback"
    # A pile of paper forms keyed in one after another can hold identical answers.
    same_content_is_a_repeat = False
    fft = forms.ChoiceField(label=FFT_QUESTION, choices=FFT_CHOICES, widget=forms.RadioSelect,
                            required=False)
    comment = text("Is there anything you would like to tell us? (optional)", 2000,
                   what="Your comment")
    comment_shared = forms.ChoiceField(label=SHARE_LABEL, choices=SHARE_CHOICES,
                                       widget=forms.RadioSelect, required=False)

    def __init__(self, *args, respondent: str = "person", **kwargs):
        super().__init__(*args, **kwargs)
        questions = {q.key: forms.ChoiceField(
            label=q.text(respondent), choices=AGREE_CHOICES, widget=forms.RadioSelect,
            required=False) for q in QUESTIONS}
        # Questions first, then the FFT question and the comment.
        rest = dict(self.fields)
        self.fields = {"submission_key": rest.pop("submission_key"), **questions, **rest}

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(q.key) or "" for q in QUESTIONS}

    def shared(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("comment_shared") or "")


class StaffFeedbackForm(FeedbackForm):
    """Keyed in by staff for a named person: how it was given, and when."""

    channel = forms.ChoiceField(label="How was it given?", widget=forms.RadioSelect,
                                choices=[(Channel.WITH_WORKER.value, Channel.WITH_WORKER.label),
                                         (Channel.PAPER.value, Channel.PAPER.label)],
                                error_messages={"required": "Choose how it was given"})
    given_on = forms.DateField(label="Date it was given", error_messages={
        "required": "Enter the date it was given", "invalid": "Enter a real date"})
