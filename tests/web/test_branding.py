"""Who the pages say runs the service (issue 13): the footer names the deploying
organisation and the project's own licence, never "NHS England"; the NHS logo is shown only
where the organisation is entitled to it (OUTREACH_NHS_BRANDING), else the service name in
plain text."""

import re

import pytest
from django.test import Client, override_settings

from outreach.web.jinja2env import without_nhs_logo
from tests.conftest import login

LOGO = 'class="nhsuk-header__logo"'


def _header(html: str) -> str:
    return re.search(r"<header.*?</header>", html, re.S).group(0)


def _footer(html: str) -> str:
    return re.search(r"<footer.*?</footer>", html, re.S).group(0)


@override_settings(OUTREACH_NHS_BRANDING=False, OUTREACH_ORGANISATION="")
def test_by_default_no_nhs_logo_and_service_name_in_text(db):
    """Out of the box: no NHS logo anywhere, the service name is a plain link, and the
    footer claims no NHS England copyright."""
    html = Client().get("/login/").content.decode()
    header = _header(html)
    assert LOGO not in html and "<svg" not in header
    assert "NHS homepage" not in header and 'aria-label="NHS' not in header
    assert re.search(r'<a class="nhsuk-header__service-name" href="/">\s*outreach\s*</a>',
                     header)
    footer = _footer(html)
    assert "NHS England" not in footer and "©" not in footer
    assert "open-source software, released under the MIT licence" in footer
    assert "This service is run by" not in footer


@override_settings(OUTREACH_NHS_BRANDING=True,
                   OUTREACH_ORGANISATION="Northshire NHS Foundation Trust")
def test_an_entitled_organisation_shows_the_nhs_logo_and_its_name(person, practitioner):
    """With the setting on, the NHS.UK header keeps its logo beside the service name, and
    the footer names the organisation that runs the service."""
    html = login(practitioner).get("/").content.decode()
    header = _header(html)
    assert header.count(LOGO) == 1
    assert "outreach" in header
    footer = _footer(html)
    assert "This service is run by Northshire NHS Foundation Trust." in footer
    assert "MIT licence" in footer and "NHS England" not in footer


@pytest.mark.parametrize("branding", [False, True])
def test_governance_pages_follow_the_same_setting(branding, commissioner):
    """The governance pages draw their own header: the setting holds there too."""
    with override_settings(OUTREACH_NHS_BRANDING=branding, OUTREACH_ORGANISATION="ICB"):
        html = login(commissioner).get("/", follow=True).content.decode()
    assert (LOGO in _header(html)) is branding
    assert "This service is run by ICB." in _footer(html)


@override_settings(OUTREACH_NHS_BRANDING=False)
def test_navigation_and_account_survive_without_the_logo(person, practitioner):
    """Taking the logo out leaves the rest of the header: menu and sign out."""
    header = _header(login(practitioner).get("/").content.decode())
    assert 'aria-label="Menu"' in header and "Sign out" in header and "Handover" in header


def test_removing_the_logo_fails_loudly_if_the_markup_changes():
    """If an upgrade of the NHS.UK templates changes the logo's markup, pages fail in tests
    rather than show the logo where it must not be."""
    with pytest.raises(ValueError, match="logo link was not found"):
        without_nhs_logo("<header><svg class='nhsuk-header__logo'></svg></header>")
