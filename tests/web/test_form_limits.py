"""Every free-text field of every form is held to a limit (core.limits), refused with an
NHS.UK message ("Note must be 5,000 characters or fewer"), not Django's default."""

import importlib
import pkgutil

import pytest
from django import forms

import outreach
from outreach.clinical import forms as clinical_forms


def _all_forms() -> list[type[forms.Form]]:
    for mod in pkgutil.walk_packages(outreach.__path__, "outreach."):
        if mod.name.rsplit(".", 1)[-1].startswith("forms"):
            importlib.import_module(mod.name)
    found, todo = [], [forms.Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("outreach."):
                found.append(sub)
    return found


FORMS = _all_forms()
TEXT_FIELDS = [
    (f"{form.__module__}.{form.__name__}.{name}", field)
    for form in FORMS for name, field in form.base_fields.items()
    if type(field) is forms.CharField and not isinstance(field.widget, forms.HiddenInput)
]
# Row fields (a care plan's actions, a signature's signs) are made by factories.
ROW_FIELDS = [
    (f"clinical row {rows.name} {name}", make())
    for rows in (clinical_forms.ACTIONS, clinical_forms.SIGNS, clinical_forms.SUBSTANCES,
                 clinical_forms.POLICE)
    for name, make in rows.columns.items()
]


def test_the_forms_were_found():
    names = {f.__name__ for f in FORMS}
    assert {"ContactForm", "PlannedVisitForm", "NoteForm", "ProposalForm", "CarryOutForm"} <= names
    assert len(TEXT_FIELDS) > 50


# A batch number may be typed with spaces between its groups, which are dropped: the form
# lets twice the limit through and the message names the real limit (20), checked after the
# spaces go (tests/clinical/test_depot_doses.py).
SPACED = {"outreach.clinical.forms.DoseForm.batch",
          "outreach.clinical.forms.DoseAmendForm.batch"}
CHECKED = [(n, f) for n, f in TEXT_FIELDS + ROW_FIELDS
           if isinstance(f, forms.CharField) and n.rstrip("0123456789") not in SPACED]


@pytest.mark.parametrize("name, field", CHECKED, ids=[n for n, _ in CHECKED])
def test_every_free_text_field_has_a_limit_and_an_nhs_message(name, field):
    assert field.max_length, f"{name} has no limit"
    message = field.error_messages["max_length"]
    assert message.endswith(f"must be {field.max_length:,} characters or fewer"), message


def test_a_6000_character_note_is_refused_at_the_field():
    from outreach.records.forms import ContactForm

    form = ContactForm({"outcome": "attended", "date": "2026-01-01", "mode": "face_to_face",
                        "place": "home", "with_whom": "person", "note": "x" * 6_000})
    assert form.errors["note"] == ["Note must be 5,000 characters or fewer"]


DATED = [f for f in FORMS
         if any(isinstance(field, forms.DateField) for field in f.base_fields.values())]


@pytest.mark.parametrize("form", DATED, ids=[f"{f.__module__}.{f.__name__}" for f in DATED])
def test_every_form_with_a_date_refuses_one_before_1900(form):
    from outreach.web.forms import DatesFrom1900

    assert issubclass(form, DatesFrom1900)


def test_a_date_in_1800_is_refused_at_its_field():
    from outreach.core.limits import BEFORE_1900
    from outreach.teams.forms import AbsenceForm

    form = AbsenceForm({"staff": "", "kind": "leave", "start": "1800-01-01",
                        "end": "1800-01-02"})
    assert form.errors["start"] == [BEFORE_1900] and form.errors["end"] == [BEFORE_1900]
