"""Who may see which governance pages, and how figures are shown to them.

- Team staff (practitioners, consultants, managers) see their own team's figures, exact, and
  can drill down to the people behind a figure, but only those records.selectors.people_for
  gives them (their caseload), each listing audited.
- Commissioners (no team) see every team, each service (the teams of a service type) and the
  trust, as aggregates only: small numbers suppressed (core.suppression) and no drill-down
  to people, on the pages and in the API.
- Anyone else (administrators, the crisis line, people with no staff record) sees nothing:
  404, as for a record outside their scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from outreach.core.suppression import Disclosure
from outreach.governance.config import suppression_config
from outreach.records.selectors import staff_for
from outreach.teams.models import Role, StaffMember

COMMISSIONER_NO_PEOPLE = (
    "Commissioners see aggregate figures only: the people behind a figure are listed only "
    "for staff of the team who have access to their records."
)


@dataclass(frozen=True)
class Viewer:
    staff: StaffMember

    @property
    def commissioner(self) -> bool:
        return self.staff.role == Role.COMMISSIONER

    @property
    def clinical(self) -> bool:
        return self.staff.is_clinical

    @property
    def disclosure(self) -> Disclosure:
        if self.commissioner:
            return Disclosure.suppressed(suppression_config())
        return Disclosure.exact()

    def sees_team(self, team_id: int) -> bool:
        return self.commissioner or (self.clinical and self.staff.team_id == team_id)

    @property
    def sees_all_teams(self) -> bool:
        return self.commissioner

    def can_drill_down(self, team_id: int) -> bool:
        return not self.commissioner and self.clinical and self.staff.team_id == team_id

    def can_assess(self, team_id: int) -> bool:
        """Record a DACTS review or rate a feature of the team."""
        if self.commissioner:
            return True
        return (self.clinical and self.staff.team_id == team_id
                and self.staff.role in (Role.MANAGER, Role.CONSULTANT))

    @property
    def can_edit_returns(self) -> bool:
        return self.commissioner

    @property
    def can_edit_actions(self) -> bool:
        return self.commissioner or (self.clinical and self.staff.role == Role.MANAGER)


def viewer_for(user) -> Viewer | None:
    staff = staff_for(user)
    if staff is None:
        return None
    if staff.role == Role.COMMISSIONER or staff.is_clinical:
        return Viewer(staff)
    return None
