"""`outreach plan`: plan a week and print its figures and everything it could not meet.

    outreach plan --instance bench/instances/team.json [--seconds 7] [--json]
    outreach plan --team CODE --as USERNAME [--week 2026-11-30] [--save] [--json]

From the record, the week is read in the name of a clinician on the team (`--as`): the
record is team-scoped and every read of people is audited under a named user. Without
`--save` nothing is written but the audit of the people the output names; with it, the run
is written exactly as "Plan the week" on the team's page writes it (and audited as such).
"""

import json
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from outreach.audit.models import AuditAction
from outreach.audit.services import audit_list
from outreach.planning import instances, plan_week, report
from outreach.records.services import ValidationFailed
from outreach.visits import bridge, selectors, services
from outreach.visits.names import Names
from outreach.visits.presenters import KIND_LABELS

NO_USER = "Say who is planning: --as USERNAME, a clinician on team {team}."
NOT_ON_TEAM = "{user} is not a clinician on team {team}, so cannot plan its week."
WEEK_ONLY_WITH_TEAM = "--week, --as and --save plan from the record: use them with --team."


class CommandRequest:
    """Who and where, for the audit trail, when there is no web request."""

    path = "outreach plan (command line)"
    META: dict = {}

    def __init__(self, user):
        self.user = user


class Command(BaseCommand):
    help = ("Plan a week of visits, from a benchmark instance file or from a team's record, "
            "and print the plan's figures and every unmet item with its reason.")

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--instance", type=Path, help="a planner instance file (JSON)")
        source.add_argument("--team", help="a team's code: plan its week from the record")
        parser.add_argument("--week", type=date.fromisoformat,
                            help="first day of the 7 planned (default: today)")
        parser.add_argument("--as", dest="username", help="the clinician planning (--team)")
        parser.add_argument("--seconds", type=float,
                            help="solver time for the week (default 7, or "
                                 "OUTREACH_PLANNER_SECONDS for a team)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--save", action="store_true",
                            help="write the plan to the record, as the team's page does")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON")

    def handle(self, *args, instance, team, week, username, seconds, seed, save, as_json,
               **options):
        if instance is not None:
            if week or username or save:
                raise CommandError(WEEK_ONLY_WITH_TEAM)
            title, figures, unmet, extra = self._instance(instance, seconds, seed)
        else:
            title, figures, unmet, extra = self._team(team, week, username, seconds, seed, save)
        if as_json:
            self.stdout.write(json.dumps(report.as_json(title, figures, unmet, **extra), indent=2))
        else:
            self.stdout.write(report.as_text(title, figures, unmet), ending="")

    def _instance(self, path: Path, seconds, seed):
        try:
            problem = instances.load(path)
        except FileNotFoundError as exc:
            raise CommandError(f"No instance file at {path}.") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{path} is not a usable instance: {exc}") from exc
        plan = plan_week(problem, seconds=7.0 if seconds is None else seconds, seed=seed)
        title = (f"Visit plan: {problem.name}, 7 days from {problem.week_start:%a %d %b %Y} "
                 f"({len(problem.workers)} staff, {len(problem.people)} people)")
        return title, plan.figures.as_dict(), report.unmet_items(plan), {"saved": False}

    def _team(self, code, week, username, seconds, seed, save):
        if not username:
            raise CommandError(NO_USER.format(team=code))
        user = get_user_model().objects.filter(username=username).first()
        staff = selectors.clinician(user) if user is not None else None
        if staff is None or staff.team.code != code:
            raise CommandError(NOT_ON_TEAM.format(user=username, team=code))
        start = week or selectors.today()
        request = CommandRequest(user)
        try:
            if save:
                if seconds is not None:
                    raise CommandError("--seconds cannot be used with --save: a saved run uses "
                                       "OUTREACH_PLANNER_SECONDS, as the team's page does.")
                run = services.run_week(user=user, by=staff, request=request, start=start)
                figures, unmet = run.figures, run.unmet
                extra = {"saved": True, "run_id": run.pk}
            else:
                _, built, plan, _ = services.preview_week(user=user, start=start,
                                                          seconds=seconds, seed=seed)
                figures = bridge.figures(plan, built)
                unmet = built.unmet + bridge.unmet_rows(plan, built.locked)
                extra = {"saved": False}
        except ValidationFailed as exc:
            raise CommandError(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
        except services.PlanningFailed as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        names = self._names(user, staff, unmet)
        audit_list(request=request, person_ids=sorted(names.people), action=AuditAction.LIST,
                   what="visit planner (command line): unmet items printed")
        rows = [{"person": names.person(u.get("person_id")) if u.get("person_id") else "",
                 "person_id": u.get("person_id"), "kind": u["kind"],
                 "what": KIND_LABELS.get(u["kind"], u["kind"]), "day": u.get("day"),
                 "count": u.get("count", 1), "reason": names.text(u["reason"])}
                for u in unmet]
        title = (f"Visit plan: team {code}, 7 days from {start:%a %d %b %Y} "
                 f"({'saved' if save else 'not saved'})")
        return title, figures, rows, extra

    @staticmethod
    def _names(user, staff, unmet) -> Names:
        ids = sorted({u["person_id"] for u in unmet if u.get("person_id") is not None})
        people = {p.pk: f"{p.display_name} (id {p.pk})"
                  for p in selectors.team_people(user).filter(pk__in=ids)} if ids else {}
        return Names(people=people, staff={s.pk: s.name for s in staff.team.staff.all()})
