"""Governance reads: every measure computed in SQL over the live record, for a set of teams.

Each family of measures is ONE query (per page, whatever the number of people or teams),
written once at the level of its unit (an episode on the caseload on a day, a contact, a
referral, a discharge) and used three ways:

- aggregated (GROUP BY window, team) for the figures and their monthly trends;
- filtered to the headline window and the people a member of staff may see, for the
  drill-down, so the people listed are exactly the people counted;
- by the tests, which build each worked example of core.measures and check the result.

Trend windows are passed in as a VALUES list (a common table expression), so twelve months
cost one query, not twelve. Dates are computed in Python (core.measures) and bound as
parameters; the SQL is the same on SQLite and PostgreSQL except for two small functions
(`_weekend`, `_days_before`). Medians and percentiles are taken in Python (core.measures)
from the waits the SQL returns: SQLite has no percentile function.

Scoping: these functions take team ids and return figures about teams. They never return a
person's details: drill-down returns person ids, which the caller intersects with
records.selectors.people_for before reading anyone's name (views.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Max, Model, OuterRef, Q, Subquery
from django.utils import timezone

from outreach.clinical.models import (
    CarePlan,
    CarerContact,
    CommunityTreatmentOrder,
    DialogRating,
    PhysicalHealthCheck,
    RelapseSignature,
    RiskFormulation,
    SafetyPlan,
    Section117,
    WarningSign,
)
from outreach.clinical.selectors import legal_deadlines_due
from outreach.core.discharge import NON_ENGAGEMENT_REASONS, Handover, counts_as_not_engaged
from outreach.core.measures import (
    BY_KEY,
    HEADLINE,
    Measure,
    Tally,
    Window,
    add_months,
    windows,
)
from outreach.core.rag import CareFacts, Deadline, PersonRag, RagConfig, Review, rate
from outreach.governance.config import governance_config, params_key
from outreach.governance.models import TrendFigure
from outreach.meetings.models import Meeting, MeetingKind
from outreach.records.models import (
    AnnualReview,
    Carer,
    Contact,
    DischargeDecision,
    Episode,
    KeyWorkerAssignment,
    RefusedDischarge,
    Transition,
)
from outreach.teams.models import Discipline, Role, StaffMember, Team

# --- SQL helpers -----------------------------------------------------------------------------


def _t(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _d(value: date):
    return connection.ops.adapt_datefield_value(value)


def _tm(value: time):
    return connection.ops.adapt_timefield_value(value)


def _dt(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def as_date(value) -> date | None:
    """A date from a raw row (SQLite returns text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _weekend(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(ISODOW FROM {expr}) IN (6, 7)"
    return f"strftime('%%w', {expr}) IN ('0', '6')"


def _days_before(expr: str, days: int) -> str:
    days = int(days)
    if connection.vendor == "postgresql":
        return f"({expr} - {days})"
    return f"date({expr}, '-{days} days')"


def _in(values: Sequence) -> tuple[str, list]:
    """An IN list; empty, it matches nothing (PostgreSQL refuses `IN ()`, SQLite allows it)."""
    if not values:
        return "(NULL)", []
    return "(" + ", ".join(["%s"] * len(values)) + ")", list(values)


def _values(name: str, columns: Sequence[str], rows: Sequence[Sequence]) -> tuple[str, list]:
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"{name}({', '.join(columns)}) AS (VALUES {', '.join([row] * len(rows))})"
    return sql, [v for r in rows for v in r]


def fetch_rows(sql: str, params: Sequence) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _b(condition: str) -> str:
    """A condition as 0 or 1, so that it can be summed on every database."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


SUCCESSFUL = ("c.outcome = 'attended' AND c.mode = 'face_to_face' "
              "AND c.with_whom IN ('person', 'person_and_carer')")
ATTENDED_WITH_PERSON = "c.outcome = 'attended' AND c.with_whom IN ('person', 'person_and_carer')"
ON_CASELOAD = "e.accepted_date <= {d} AND (e.discharged_date IS NULL OR e.discharged_date > {d})"


# --- Families of measures --------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """One query's worth of measures. `columns` maps a measure to its numerator and
    denominator columns in the unit rows."""

    key: str
    columns: Mapping[str, tuple[str, str]]
    unit_key: str  # the column that identifies a unit (for drill-down)


POINT = Family("point", {
    "care_plan_in_date": ("care_plan_ok", "on_caseload"),
    "dialog_completed": ("dialog_ok", "on_caseload"),
    "crisis_plan_and_signature": ("crisis_ok", "on_caseload"),
    "risk_formulation_reviewed": ("risk_ok", "on_caseload"),
    "physical_health_check": ("check_ok", "on_caseload"),
    "annual_review": ("annual_ok", "annual_due"),
    "legal_deadlines_met": ("legal_ok", "has_deadline"),
    "staff_ratio": ("on_caseload", "on_caseload"),  # the denominator is FTE (STAFF)
}, "episode_id")
STAFF = Family("staff", {
    "practitioner_caseloads": ("over_limit", "is_practitioner"),
    "staff_ratio": ("fte", "fte"),
}, "staff_id")
WAITS = Family("waits", {
    "wait_referral_to_assessment": ("w1", "w1"),
    "wait_assessment_to_intervention": ("w2", "w2"),
}, "episode_id")
DISCHARGES = Family("discharges", {
    "non_engagement_discharges": ("non_engagement", "discharge"),
    "refused_discharge_attempts": ("refused_non_engagement", "refused_non_engagement"),
}, "row_id")
CONTACTS = Family("contacts", {
    "face_to_face_share": ("f2f_num", "f2f_den"),
    "out_of_hours_share": ("ooh_num", "ooh_den"),
    "weekend_share": ("weekend_num", "weekend_den"),
}, "contact_id")
CONTINUITY = Family("continuity", {"continuity": ("known_num", "known_den")}, "contact_id")
INTENSITY = Family("intensity", {
    "contact_target_met": ("target_met", "throughout"),
    "contacts_per_person_week": ("seen", "throughout"),
}, "episode_id")

FAMILIES: tuple[Family, ...] = (POINT, STAFF, WAITS, DISCHARGES, CONTACTS, CONTINUITY,
                                INTENSITY)


def families_for(measure_key: str) -> list[Family]:
    return [f for f in FAMILIES if measure_key in f.columns]


def _point_windows(ws: Iterable[Window], params: Mapping) -> list[list]:
    months = int(params["physical_check_months"])
    after = int(params["annual_review_after_days"])
    within = int(params["annual_review_within_days"])
    return [[w.key, _d(w.end), _d(add_months(w.end, -months)),
             _d(w.end - timedelta(days=after)), _d(w.end - timedelta(days=within))]
            for w in ws]


def _latest(model: type[Model], value: str, on: str, person: str = "e.person_id",
            date_field: str = "date") -> str:
    """The given column of the latest version of a person's entry dated on or before `on`."""
    return (f"(SELECT x.{value} FROM {_t(model)} x WHERE x.person_id = {person} "
            f"AND x.{date_field} <= {on} ORDER BY x.{date_field} DESC, x.id DESC LIMIT 1)")


def point_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping
                ) -> tuple[str, list]:
    """Episodes on the caseload on each window's day, with the state of their plans then."""
    cte, cte_params = _values("w", ("k", "d", "d_check", "d_open", "d_review"),
                              _point_windows(ws, params))
    teams, team_params = _in(team_ids)
    in_force_cto = ("c.person_id = e.person_id AND c.start <= w.d "
                    "AND (c.ended_on IS NULL OR c.ended_on > w.d)")
    in_force_s117 = ("s.person_id = e.person_id AND s.eligible AND s.review_due IS NOT NULL "
                     "AND s.eligible_from <= w.d AND (s.ended_on IS NULL OR s.ended_on > w.d)")
    cto, s117 = _t(CommunityTreatmentOrder), _t(Section117)
    headline = f"w.k = {HEADLINE}"
    sql = f"""
WITH {cte}
SELECT u.*,
  1 AS on_caseload,
  {_b("u.cp_due >= u.d")} AS care_plan_ok,
  {_b(f"u.dialog_n >= {int(params['dialog_items'])}")} AS dialog_ok,
  {_b("u.has_crisis_plan = 1 AND u.has_signs = 1")} AS crisis_ok,
  {_b("u.risk_due >= u.d")} AS risk_ok,
  {_b("u.last_check >= u.d_check")} AS check_ok,
  {_b("u.accepted_date <= u.d_open")} AS annual_due,
  {_b("u.accepted_date <= u.d_open AND u.last_review > u.d_review")} AS annual_ok,
  {_b("u.deadline_passed = 0")} * u.has_deadline AS legal_ok
FROM (
  SELECT w.k, w.d, w.d_check, w.d_open, w.d_review, e.team_id, e.person_id,
    e.id AS episode_id, e.accepted_date,
    {_latest(CarePlan, "review_due", "w.d")} AS cp_due,
    (SELECT COUNT(DISTINCT r.item) FROM {_t(DialogRating)} r
      WHERE r.plan_id = {_latest(CarePlan, "id", "w.d")}) AS dialog_n,
    {_b(f"EXISTS (SELECT 1 FROM {_t(SafetyPlan)} x WHERE x.person_id = e.person_id "
        "AND x.date <= w.d)")} AS has_crisis_plan,
    {_b(f"EXISTS (SELECT 1 FROM {_t(WarningSign)} ws WHERE ws.signature_id = "
        f"{_latest(RelapseSignature, 'id', 'w.d')})")} AS has_signs,
    {_latest(RiskFormulation, "review_due", "w.d", date_field="reviewed_on")} AS risk_due,
    (SELECT MAX(x.date) FROM {_t(PhysicalHealthCheck)} x
      WHERE x.person_id = e.person_id AND x.date <= w.d) AS last_check,
    (SELECT MAX(x.held_on) FROM {_t(AnnualReview)} x
      WHERE x.episode_id = e.id AND x.held_on <= w.d) AS last_review,
    CASE WHEN {headline} THEN {_b(
        f"EXISTS (SELECT 1 FROM {cto} c WHERE {in_force_cto}) "
        f"OR EXISTS (SELECT 1 FROM {s117} s WHERE {in_force_s117})")} ELSE 0 END
      AS has_deadline,
    CASE WHEN {headline} THEN {_b(
        f"EXISTS (SELECT 1 FROM {cto} c WHERE {in_force_cto} "
        "AND (c.expiry < w.d OR c.renewal_due < w.d)) "
        f"OR EXISTS (SELECT 1 FROM {s117} s WHERE {in_force_s117} AND s.review_due < w.d)")}
      ELSE 0 END AS deadline_passed
  FROM {_t(Episode)} e JOIN w ON {ON_CASELOAD.format(d="w.d")}
  WHERE e.team_id IN {teams}
) u"""
    return sql, [*cte_params, *team_params]


def staff_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping
                ) -> tuple[str, list]:
    """Practitioners and consultants in post on each window's day, with their caseloads."""
    cte, cte_params = _values("w", ("k", "d"), [[w.key, _d(w.end)] for w in ws])
    teams, team_params = _in(team_ids)
    high = int(params["caseload_high"])
    kwa, ep = _t(KeyWorkerAssignment), _t(Episode)
    sql = f"""
WITH {cte}
SELECT u.*, {_b("u.is_practitioner = 1 AND u.caseload > " + str(high))} AS over_limit
FROM (
  SELECT w.k, w.d, s.team_id, s.id AS staff_id, s.fte,
    {_b(f"s.role = '{Role.PRACTITIONER}'")} AS is_practitioner,
    (SELECT COUNT(*) FROM {kwa} a JOIN {ep} e ON e.id = a.episode_id
      WHERE a.staff_id = s.id AND a.start <= w.d AND (a.{_q("end")} IS NULL
        OR a.{_q("end")} >= w.d) AND {ON_CASELOAD.format(d="w.d")}) AS caseload
  FROM {_t(StaffMember)} s JOIN w ON s.joined <= w.d
    AND (s.{_q("left")} IS NULL OR s.{_q("left")} > w.d)
  WHERE s.team_id IN {teams} AND s.role IN ('{Role.PRACTITIONER}', '{Role.CONSULTANT}')
) u"""
    return sql, [*cte_params, *team_params]


def _flow_windows(ws: Iterable[Window]) -> list[list]:
    tz = timezone.get_current_timezone()
    rows = []
    for w in ws:
        start = timezone.make_aware(datetime.combine(w.start, time.min), tz)
        end = timezone.make_aware(datetime.combine(w.end + timedelta(days=1), time.min), tz)
        rows.append([w.key, _d(w.start), _d(w.end), w.days, _dt(start), _dt(end)])
    return rows


FLOW_COLUMNS = ("k", "ws", "we", "days", "ts", "te")


def wait_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping,
               as_of: date) -> tuple[str, list]:
    """Referrals assessed, and first interventions, in each window (w1, w2 = 1); and, when
    the headline window is asked for, those still waiting on the day (waiting1, waiting2)."""
    cte, cte_params = _values("w", FLOW_COLUMNS, _flow_windows(ws))
    teams, team_params = _in(team_ids)
    ep = _t(Episode)
    today = _d(as_of)
    sql = f"""
WITH {cte}
SELECT w.k, e.team_id, e.person_id, e.id AS episode_id, e.referral_date AS since,
  e.assessment_date AS reached, 1 AS w1, 0 AS w2, 0 AS waiting1, 0 AS waiting2
FROM {ep} e JOIN w ON e.assessment_date >= w.ws AND e.assessment_date <= w.we
WHERE e.team_id IN {teams}
UNION ALL
SELECT w.k, e.team_id, e.person_id, e.id, COALESCE(e.assessment_date, e.accepted_date),
  e.first_intervention_date, 0, 1, 0, 0
FROM {ep} e JOIN w ON e.first_intervention_date >= w.ws AND e.first_intervention_date <= w.we
WHERE e.team_id IN {teams}"""
    params_out = [*cte_params, *team_params, *team_params]
    if any(w.key == HEADLINE for w in ws):
        sql += f"""
UNION ALL
SELECT {HEADLINE}, e.team_id, e.person_id, e.id, e.referral_date, NULL, 0, 0, 1, 0
FROM {ep} e
WHERE e.team_id IN {teams} AND e.status = 'referred' AND e.assessment_date IS NULL
  AND e.referral_date <= %s
UNION ALL
SELECT {HEADLINE}, e.team_id, e.person_id, e.id, COALESCE(e.assessment_date, e.accepted_date),
  NULL, 0, 0, 0, 1
FROM {ep} e
WHERE e.team_id IN {teams} AND e.status IN ('accepted', 'stepped_up', 'inpatient')
  AND e.first_intervention_date IS NULL AND e.accepted_date <= %s"""
        params_out += [*team_params, today, *team_params, today]
    return sql, params_out


# A discharge of someone not engaged, judged by the person's record on the day it was
# carried out (DischargeDecision.engaged, from core.discharge.evidence), never by the reason
# alone: a non-engagement reason counts, and so does any discharge whose record showed the
# person not engaged, or has no such judgement (a row written around the service) - except
# the two ends allowed for someone not engaged: death, and a transfer to a team that accepted.
DISCHARGED_NOT_ENGAGED = (
    "d.reason IN {reasons} OR ((d.engaged IS NULL OR NOT d.engaged) AND NOT ("
    "(d.reason = 'died' AND d.died_on IS NOT NULL) OR (d.reason = 'transfer_out' "
    "AND d.receiving_team <> '' AND d.accepted_by <> '' AND d.accepted_on IS NOT NULL)))"
)


def discharge_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping
                    ) -> tuple[str, list]:
    """Discharges dated in each window, and discharge attempts refused in it."""
    cte, cte_params = _values("w", FLOW_COLUMNS, _flow_windows(ws))
    teams, team_params = _in(team_ids)
    reasons, reason_params = _in(sorted(r.value for r in NON_ENGAGEMENT_REASONS))
    ep = _t(Episode)
    sql = f"""
WITH {cte}
SELECT w.k, e.team_id, e.person_id, d.id AS row_id, d.date AS on_date, d.reason,
  1 AS discharge, {_b(DISCHARGED_NOT_ENGAGED.format(reasons=reasons))} AS non_engagement,
  0 AS refused_non_engagement
FROM {_t(DischargeDecision)} d JOIN {ep} e ON e.id = d.episode_id
  JOIN w ON d.date >= w.ws AND d.date <= w.we
WHERE e.team_id IN {teams}
UNION ALL
SELECT w.k, e.team_id, e.person_id, r.id, NULL, r.reason, 0, 0,
  {_b("r.not_engaged OR r.reason IN " + reasons)}
FROM {_t(RefusedDischarge)} r JOIN {ep} e ON e.id = r.episode_id
  JOIN w ON r.attempted_at >= w.ts AND r.attempted_at < w.te
WHERE e.team_id IN {teams}"""
    return sql, [*cte_params, *reason_params, *team_params, *reason_params, *team_params]


def contact_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping
                  ) -> tuple[str, list]:
    """Contacts in each window with what the contact measures need to know about them."""
    cte, cte_params = _values("w", FLOW_COLUMNS, _flow_windows(ws))
    teams, team_params = _in(team_ids)
    starts, ends = _tm(time.fromisoformat(str(params["day_starts"]))), \
        _tm(time.fromisoformat(str(params["day_ends"])))
    first, last = min(w.start for w in ws), max(w.end for w in ws)
    weekend = _weekend("c.date")
    sql = f"""
WITH {cte}
SELECT w.k, e.team_id, c.person_id, c.id AS contact_id,
  {_b(ATTENDED_WITH_PERSON + " AND c.mode = 'face_to_face'")} AS f2f_num,
  {_b(ATTENDED_WITH_PERSON)} AS f2f_den,
  {_b(ATTENDED_WITH_PERSON + " AND " + weekend)} AS weekend_num,
  {_b(ATTENDED_WITH_PERSON)} AS weekend_den,
  {_b(f"{ATTENDED_WITH_PERSON} AND NOT ({weekend}) AND c.time IS NOT NULL "
      "AND (c.time < %s OR c.time >= %s)")} AS ooh_num,
  {_b(f"{ATTENDED_WITH_PERSON} AND NOT ({weekend}) AND c.time IS NOT NULL")} AS ooh_den,
  {_b(SUCCESSFUL + " AND c.place NOT IN ('clinic', 'ward')")} AS community,
  {_b(SUCCESSFUL)} AS successful,
  {_b("c.outcome = 'attended' AND c.with_whom IN ('carer', 'person_and_carer')")}
    AS support_contact,
  CASE WHEN {SUCCESSFUL} AND c.duration_minutes IS NOT NULL THEN c.duration_minutes
    ELSE 0 END AS minutes,
  {_b(SUCCESSFUL + " AND c.duration_minutes IS NOT NULL")} AS timed,
  {_b("c.outcome = 'attended'")} AS attended,
  {_b(f"c.outcome = 'attended' AND s.role = '{Role.MANAGER}'")} AS by_leader
FROM {_t(Contact)} c JOIN {_t(Episode)} e ON e.id = c.episode_id
  JOIN {_t(StaffMember)} s ON s.id = c.staff_id
  JOIN w ON c.date >= w.ws AND c.date <= w.we
WHERE c.date >= %s AND c.date <= %s AND e.team_id IN {teams}"""
    return sql, [*cte_params, starts, ends, _d(first), _d(last), *team_params]


def continuity_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping
                     ) -> tuple[str, list]:
    """Successful contacts in each window, and whether the person knew the worker: their key
    worker that day was on the visit, or the (first) worker had seen them face to face in the
    days before. Each check is an index lookup on the person's own contacts."""
    cte, cte_params = _values("w", FLOW_COLUMNS, _flow_windows(ws))
    teams, team_params = _in(team_ids)
    known_days = int(params["known_worker_days"])
    kwa, contact = _t(KeyWorkerAssignment), _t(Contact)
    seen_before = (
        f"EXISTS (SELECT 1 FROM {contact} p WHERE p.person_id = c.person_id "
        "AND p.outcome = 'attended' AND p.mode = 'face_to_face' "
        "AND p.with_whom IN ('person', 'person_and_carer') AND p.staff_id = c.staff_id "
        f"AND p.date >= {_days_before('c.date', known_days)} AND p.date < c.date)")
    key_worker = (f"EXISTS (SELECT 1 FROM {kwa} a WHERE a.episode_id = c.episode_id "
                  "AND (a.staff_id = c.staff_id OR a.staff_id = c.second_staff_id) "
                  f"AND a.start <= c.date AND (a.{_q('end')} IS NULL "
                  f"OR a.{_q('end')} >= c.date))")
    sql = f"""
WITH {cte}
SELECT w.k, e.team_id, c.person_id, c.id AS contact_id,
  {_b(f"{key_worker} OR {seen_before}")} AS known_num, 1 AS known_den
FROM {contact} c JOIN {_t(Episode)} e ON e.id = c.episode_id
  JOIN w ON c.date >= w.ws AND c.date <= w.we
WHERE c.date >= %s AND c.date <= %s AND e.team_id IN {teams} AND {SUCCESSFUL}"""
    first, last = min(w.start for w in ws), max(w.end for w in ws)
    return sql, [*cte_params, _d(first), _d(last), *team_params]


def intensity_units(team_ids: Sequence[int], ws: Sequence[Window], params: Mapping
                    ) -> tuple[str, list]:
    """Episodes on the caseload throughout each window, with their successful contacts in
    it and their weekly target (their own; else the stepped-up or standard target by their
    status at the end of the window)."""
    cte, cte_params = _values("w", FLOW_COLUMNS, _flow_windows(ws))
    teams, team_params = _in(team_ids)
    standard, stepped = int(params["weekly_target"]), int(params["stepped_up_weekly_target"])
    status_then = (f"COALESCE((SELECT t.status_after FROM {_t(Transition)} t "
                   "WHERE t.episode_id = e.id AND t.date <= w.we "
                   "ORDER BY t.date DESC, t.id DESC LIMIT 1), e.status)")
    # Only episodes ever stepped up need their status at the end of each window looked up.
    ever_stepped = (f"(e.status = 'stepped_up' OR EXISTS (SELECT 1 FROM {_t(Transition)} t "
                    "WHERE t.episode_id = e.id AND t.status_after = 'stepped_up'))")
    sql = f"""
WITH {cte}
SELECT u.*, 1 AS throughout, {_b("7 * u.seen >= u.target * u.days")} AS target_met
FROM (
  SELECT w.k, w.days, e.team_id, e.person_id, e.id AS episode_id,
    COALESCE(e.weekly_target,
             CASE WHEN {ever_stepped} AND {status_then} = 'stepped_up' THEN %s ELSE %s END)
      AS target,
    (SELECT COUNT(*) FROM {_t(Contact)} c WHERE c.person_id = e.person_id
      AND c.episode_id + 0 = e.id AND {SUCCESSFUL} AND c.date >= w.ws AND c.date <= w.we)
      AS seen
  FROM {_t(Episode)} e JOIN w ON e.accepted_date <= w.ws
    AND (e.discharged_date IS NULL OR e.discharged_date > w.we)
  WHERE e.team_id IN {teams}
) u"""
    return sql, [*cte_params, stepped, standard, *team_params]


UNIT_SQL = {
    "point": point_units, "staff": staff_units, "discharges": discharge_units,
    "contacts": contact_units, "continuity": continuity_units, "intensity": intensity_units,
}


def units_sql(family: Family, team_ids, ws, params, as_of) -> tuple[str, list]:
    if family.key == "waits":
        return wait_units(team_ids, ws, params, as_of)
    return UNIT_SQL[family.key](team_ids, ws, params)


# --- Computing figures -----------------------------------------------------------------------


@dataclass
class Results:
    """Tallies by measure, window and team, and the windows of each measure."""

    as_of: date
    windows: dict[str, list[Window]]
    tallies: dict[str, dict[int, dict[int, Tally]]] = field(default_factory=dict)
    # When the oldest trend point shown was worked out (None: no trend, or worked out now).
    trend_at: datetime | None = None

    def tally(self, measure: str, window: int, team_ids: Iterable[int]) -> Tally:
        """The sum over the given teams."""
        total = Tally(days=self._days(measure, window))
        by_team = self.tallies.get(measure, {}).get(window, {})
        for team_id in team_ids:
            if team_id in by_team:
                total = total.add(by_team[team_id])
        return total

    def _days(self, measure: str, window: int) -> int:
        return next((w.days for w in self.windows[measure] if w.key == window), 0)


def _windows_by_family(measures: Sequence[Measure], as_of: date, params: Mapping,
                       trend: bool) -> dict[str, list[Window]]:
    return {m.key: windows(m, as_of, params, trend=trend) for m in measures}


def _merge_windows(measures: Sequence[Measure], by_measure: Mapping[str, list[Window]]
                   ) -> list[Window]:
    """The windows the family's measures need. Windows of the same key are the same period
    for measures of the same timing and group (core.measures.windows); keep the widest."""
    out: dict[int, Window] = {}
    for m in measures:
        for w in by_measure[m.key]:
            if w.key not in out or w.days > out[w.key].days:
                out[w.key] = w
    return sorted(out.values(), key=lambda w: w.key)


def compute(team_ids: Sequence[int], *, as_of: date, params: Mapping,
            measures: Sequence[Measure] | None = None, trend: bool = True,
            cached: bool = True) -> Results:
    """Every requested measure for these teams: the headline live (one query per family),
    and, with `trend`, the monthly trend: from TrendFigure rows younger than the configured
    age, else worked out now (one query per family for the teams that need it) and kept."""
    measures = list(measures or BY_KEY.values())
    by_measure = _windows_by_family(measures, as_of, params, trend)
    results = Results(as_of, by_measure)
    team_ids = sorted(set(team_ids))
    for measure in measures:
        results.tallies.setdefault(measure.key, {})
    if not team_ids:
        return results
    headline = {m.key: by_measure[m.key][-1:] for m in measures}
    _compute_into(results, team_ids, measures, headline, params, as_of)
    trended = [m for m in measures if len(by_measure[m.key]) > 1]
    if not trended:
        return results
    months = {m.key: by_measure[m.key][:-1] for m in trended}
    if not cached:
        _compute_into(results, team_ids, trended, months, params, as_of)
        return results
    missing = _load_trends(results, team_ids, trended, months, params)
    if missing:
        teams_missing = sorted({t for t, _ in missing})
        stale = [m for m in trended if any((t, m.key) in missing for t in teams_missing)]
        fresh = Results(as_of, by_measure)
        _compute_into(fresh, teams_missing, stale, months, params, as_of)
        _store_trends(fresh, teams_missing, stale, months, params)
        for m in stale:
            for k, by_team in fresh.tallies.get(m.key, {}).items():
                for t, tally in by_team.items():
                    results.tallies[m.key].setdefault(k, {})[t] = tally
    return results


def _compute_into(results: Results, team_ids: list[int], measures: Sequence[Measure],
                  by_measure: Mapping[str, list[Window]], params: Mapping, as_of: date) -> None:
    wanted = {m.key for m in measures}
    for family in FAMILIES:
        members = [BY_KEY[k] for k in family.columns if k in wanted]
        if not members:
            continue
        for group in _window_groups(members, by_measure):
            ws = _merge_windows(group, by_measure)
            _tally_family(results, family, group, team_ids, ws, params, as_of)


def _load_trends(results: Results, team_ids: list[int], measures: Sequence[Measure],
                 months: Mapping[str, list[Window]], params: Mapping) -> set[tuple[int, str]]:
    """Fill results from kept trend rows; return the (team, measure) pairs that need working
    out (a window missing, or rows older than the configured age)."""
    age = governance_config()["trend_max_age_minutes"]
    cutoff = timezone.now() - timedelta(minutes=age)
    key = params_key(params)
    wanted = {(m.key, w.start, w.end): w.key for m in measures for w in months[m.key]}
    ends = sorted({w.end for m in measures for w in months[m.key]})
    found: dict[tuple[int, str], int] = defaultdict(int)
    rows = TrendFigure.objects.filter(
        team_id__in=team_ids, measure__in=[m.key for m in measures], params_key=key,
        end__in=ends, computed_at__gte=cutoff,
    ).values_list("team_id", "measure", "start", "end", "numerator", "denominator", "waits",
                  "still_waiting", "longest_waiting", "days", "fte", "computed_at")
    for (team_id, measure, start, end, numerator, denominator, waits, still_waiting,
         longest_waiting, days, fte, computed_at) in rows:
        k = wanted.get((measure, start, end))
        if k is None:
            continue
        found[(team_id, measure)] += 1
        if results.trend_at is None or computed_at < results.trend_at:
            results.trend_at = computed_at
        results.tallies[measure].setdefault(k, {})[team_id] = Tally(
            numerator=numerator, denominator=denominator, values=list(waits),
            still_waiting=still_waiting, longest_waiting=longest_waiting, days=days, fte=fte,
        )
    return {(t, m.key) for t in team_ids for m in measures
            if found[(t, m.key)] < len(months[m.key])}


def _store_trends(results: Results, team_ids: list[int], measures: Sequence[Measure],
                  months: Mapping[str, list[Window]], params: Mapping) -> None:
    key = params_key(params)
    now = timezone.now()
    TrendFigure.objects.filter(team_id__in=team_ids, measure__in=[m.key for m in measures],
                               params_key=key).delete()
    rows = []
    for m in measures:
        for w in months[m.key]:
            for t in team_ids:
                tally = results.tallies.get(m.key, {}).get(w.key, {}).get(t) or \
                    Tally(days=w.days)
                rows.append(TrendFigure(
                    team_id=t, measure=m.key, params_key=key, start=w.start, end=w.end,
                    numerator=tally.numerator, denominator=tally.denominator, fte=tally.fte,
                    days=tally.days or w.days, waits=tally.values,
                    still_waiting=tally.still_waiting, longest_waiting=tally.longest_waiting,
                    computed_at=now,
                ))
    TrendFigure.objects.bulk_create(rows, ignore_conflicts=True)


def _window_groups(members: list[Measure], by_measure: Mapping[str, list[Window]]
                   ) -> list[list[Measure]]:
    """A family's measures share one query when their headline periods are the same (every
    family's are, today); a measure with a different headline period gets its own."""
    groups: dict[tuple, list[Measure]] = defaultdict(list)
    for m in members:
        head = by_measure[m.key][-1]
        groups[(head.start, head.end)].append(m)
    return list(groups.values())


def _tally_family(results: Results, family: Family, members: list[Measure],
                  team_ids: list[int], ws: list[Window], params: Mapping, as_of: date) -> None:
    unit_sql, unit_params = units_sql(family, team_ids, ws, params, as_of)
    if family.key == "waits":
        rows = fetch_rows(unit_sql, unit_params)
        _tally_waits(results, members, rows, as_of)
        return
    sums = sorted({c for m in members for c in family.columns[m.key]})
    select = ", ".join(f"SUM(u.{c}) AS {c}" for c in sums)
    extra = ", SUM(u.days) AS days_sum" if family.key == "intensity" else ""
    sql = (f"SELECT u.k, u.team_id, COUNT(*) AS units, {select}{extra} "
           f"FROM ({unit_sql}) u GROUP BY u.k, u.team_id")
    for row in fetch_rows(sql, unit_params):
        for m in members:
            num_col, den_col = family.columns[m.key]
            tally = results.tallies.setdefault(m.key, {}).setdefault(row["k"], {}).setdefault(
                row["team_id"], Tally(days=results._days(m.key, row["k"])))
            if m.key == "staff_ratio":
                if family.key == "point":
                    tally.numerator = int(row[num_col] or 0)
                else:
                    tally.fte = float(row["fte"] or 0)
                continue
            tally.numerator = int(row[num_col] or 0)
            tally.denominator = int(row[den_col] or 0)


def _tally_waits(results: Results, members: list[Measure], rows: list[dict],
                 as_of: date) -> None:
    flags = {"wait_referral_to_assessment": ("w1", "waiting1"),
             "wait_assessment_to_intervention": ("w2", "waiting2")}
    for m in members:
        done, waiting = flags[m.key]
        for row in rows:
            tally = results.tallies.setdefault(m.key, {}).setdefault(row["k"], {}).setdefault(
                row["team_id"], Tally(days=results._days(m.key, row["k"])))
            since, reached = as_date(row["since"]), as_date(row["reached"])
            if row[done]:
                tally.values.append((reached - since).days)
                tally.denominator += 1
            elif row[waiting] and since is not None:
                so_far = (as_of - since).days
                tally.still_waiting += 1
                tally.longest_waiting = max(tally.longest_waiting or 0, so_far)


# --- Drill-down ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """One unit behind a headline figure: whose it is and whether it counts."""

    person_id: int
    counted: int  # in the numerator (a number of units for contact measures)
    of: int  # in the denominator
    detail: Mapping[str, object]


def drill_down(measure: Measure, team_id: int, *, as_of: date, params: Mapping,
               person_ids: Sequence[int]) -> tuple[list[UnitRow], int]:
    """The units behind a team's headline figure that belong to these people (those the
    member of staff may see), and how many people behind the figure are not among them."""
    family = families_for(measure.key)[0]
    ws = [w for w in windows(measure, as_of, params, trend=False)]
    unit_sql, unit_params = units_sql(family, [team_id], ws, params, as_of)
    num_col, den_col = family.columns[measure.key]
    if family.key == "waits":
        rows = [r for r in fetch_rows(unit_sql, unit_params) if r["k"] == HEADLINE]
        done, waiting = ("w1", "waiting1") if num_col == "w1" else ("w2", "waiting2")
        rows = [r for r in rows if r[done] or r[waiting]]
        visible = set(person_ids)
        shown = []
        for r in rows:
            if r["person_id"] not in visible:
                continue
            since, reached = as_date(r["since"]), as_date(r["reached"])
            days = (reached - since).days if reached else (as_of - since).days
            shown.append(UnitRow(r["person_id"], int(bool(r[done])), 1,
                                 {"since": since, "reached": reached, "days": days,
                                  "waiting": bool(r[waiting])}))
        hidden = len({r["person_id"] for r in rows} - visible)
        return shown, hidden
    visible = set(person_ids)
    if family.key in ("contacts", "continuity"):
        sql = (f"SELECT u.person_id, SUM(u.{num_col}) AS counted, SUM(u.{den_col}) AS of_units "
               f"FROM ({unit_sql}) u WHERE u.k = {HEADLINE} AND u.{den_col} > 0 "
               f"GROUP BY u.person_id")
        rows = fetch_rows(sql, unit_params)
        shown = [UnitRow(r["person_id"], int(r["counted"] or 0), int(r["of_units"] or 0), {})
                 for r in rows if r["person_id"] in visible]
    else:
        sql = f"SELECT u.* FROM ({unit_sql}) u WHERE u.k = {HEADLINE} AND u.{den_col} > 0"
        rows = fetch_rows(sql, unit_params)
        shown = [UnitRow(r["person_id"], int(r[num_col] or 0), int(r[den_col] or 0),
                         {k: v for k, v in r.items() if k not in ("k", "team_id")})
                 for r in rows if r["person_id"] in visible]
    hidden = len({r["person_id"] for r in rows} - visible)
    return shown, hidden


def practitioner_caseloads(team_id: int, *, as_of: date, params: Mapping) -> list[dict]:
    """The practitioners and consultants behind a team's workforce figures, on the day."""
    ws = windows(BY_KEY["practitioner_caseloads"], as_of, params, trend=False)
    unit_sql, unit_params = staff_units([team_id], ws, params)
    rows = fetch_rows(f"SELECT u.* FROM ({unit_sql}) u WHERE u.k = {HEADLINE}", unit_params)
    names = dict(StaffMember.objects.filter(pk__in=[r["staff_id"] for r in rows])
                 .values_list("pk", "name"))
    return sorted(({"name": names.get(r["staff_id"], ""), "fte": float(r["fte"]),
                    "caseload": int(r["caseload"]), "practitioner": bool(r["is_practitioner"]),
                    "over": bool(r["over_limit"])} for r in rows),
                  key=lambda r: (-r["caseload"], r["name"]))


# --- Teams ---------------------------------------------------------------------------------


def teams(*, service_type: str | None = None) -> list[Team]:
    qs = Team.objects.order_by("name")
    if service_type:
        qs = qs.filter(service_type=service_type)
    return list(qs)


# --- Caseload RAG review -------------------------------------------------------------------


def care_facts(episodes: Sequence[Mapping], *, today: date, params: Mapping,
               window_days: int) -> dict[int, CareFacts]:
    """What the record says about the care of each person (keyed by person id), for the RAG
    review. `episodes`: the open episodes to rate, as mappings with person_id, episode_id,
    status, start, weekly_target. One query per table, whatever the number of people."""
    if not episodes:
        return {}
    ids = sorted({e["person_id"] for e in episodes})
    episode_ids = sorted({e["episode_id"] for e in episodes})
    heads = {}
    for model, on, due in ((CarePlan, "date", "review_due"), (SafetyPlan, "date", "review_due"),
                           (RiskFormulation, "reviewed_on", "review_due")):
        latest: dict[int, tuple] = {}
        for pid, pk, d, r in model.objects.filter(
            person_id__in=ids, superseded_by__isnull=True, **{f"{on}__lte": today}
        ).values_list("person_id", "id", on, due):
            if pid not in latest or (d, pk) > latest[pid][:2]:
                latest[pid] = (d, pk, r)
        heads[model] = {pid: Review(d, r) for pid, (d, _, r) in latest.items()}
    start = today - timedelta(days=window_days - 1)
    seen: dict[int, list[date]] = defaultdict(list)
    for pid, on in Contact.objects.filter(
        episode_id__in=episode_ids, date__gte=start, date__lte=today,
        outcome="attended", mode="face_to_face", with_whom__in=("person", "person_and_carer"),
    ).values_list("person_id", "date"):
        seen[pid].append(on)
    # The last successful contact and the last contact with a carer: one index lookup per
    # episode (newest first), not an aggregate over everyone's whole history. Ordered by the
    # date alone so that PostgreSQL walks `contact_engagement` backwards instead of sorting.
    newest = Contact.objects.filter(person_id=OuterRef("person_id"), date__lte=today,
                                    outcome="attended").order_by("-date")
    last_seen, carer_contact = {}, {}
    for pid, last_face, last_carer in Episode.objects.filter(pk__in=episode_ids).annotate(
        seen=Subquery(newest.filter(episode_id=OuterRef("pk"), mode="face_to_face",
                                    with_whom__in=("person", "person_and_carer"))
                      .values("date")[:1]),
        carer=Subquery(newest.filter(with_whom__in=("carer", "person_and_carer"))
                       .values("date")[:1]),
    ).values_list("person_id", "seen", "carer"):
        if last_face is not None:
            last_seen[pid] = last_face
        if last_carer is not None:
            carer_contact[pid] = last_carer
    months = int(params["physical_check_months"])
    checks = {pid: Review(last, add_months(last, months)) for pid, last in
              PhysicalHealthCheck.objects.filter(person_id__in=ids, date__lte=today)
              .values("person_id").annotate(last=Max("date")).values_list("person_id", "last")}
    deadlines: dict[int, list[Deadline]] = defaultdict(list)
    for d in legal_deadlines_due(ids, start=today, end=date.max, today=today):
        deadlines[d.person_id].append(Deadline(d.label, d.due_on))
    with_carer = set(Carer.objects.filter(person_id__in=ids).values_list("person_id",
                                                                         flat=True))
    for pid, last in CarerContact.objects.filter(person_id__in=ids, date__lte=today).values(
            "person_id").annotate(last=Max("date")).values_list("person_id", "last"):
        carer_contact[pid] = max(last, carer_contact.get(pid, last))
    standard, stepped = int(params["weekly_target"]), int(params["stepped_up_weekly_target"])
    facts = {}
    for e in episodes:
        pid = e["person_id"]
        target = e.get("weekly_target") or (stepped if e["status"] == "stepped_up"
                                            else standard)
        facts[pid] = CareFacts(
            today=today, on_caseload_since=e["start"],
            care_plan=heads[CarePlan].get(pid), crisis_plan=heads[SafetyPlan].get(pid),
            risk_formulation=heads[RiskFormulation].get(pid),
            contact_dates=tuple(sorted(seen.get(pid, ()))), last_seen=last_seen.get(pid),
            weekly_target=int(target), physical_health=checks.get(pid),
            legal_deadlines=tuple(deadlines.get(pid, ())), has_carer=pid in with_carer,
            last_carer_contact=carer_contact.get(pid),
        )
    return facts


def open_episodes(*, team_ids: Sequence[int] | None = None,
                  person_ids: Sequence[int] | None = None, today: date) -> list[dict]:
    """Open, accepted episodes (on the caseload) of these teams or people, for the RAG."""
    qs = Episode.objects.filter(status__in=("accepted", "stepped_up", "inpatient"),
                                accepted_date__lte=today)
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return [
        {"person_id": pid, "episode_id": eid, "team_id": tid, "status": status,
         "start": accepted, "weekly_target": target}
        for pid, eid, tid, status, accepted, target in qs.order_by("id").values_list(
            "person_id", "id", "team_id", "status", "accepted_date", "weekly_target")
    ]


def rag_for(episodes: Sequence[Mapping], *, today: date, params: Mapping,
            config: RagConfig) -> dict[int, PersonRag]:
    facts = care_facts(episodes, today=today, params=params,
                       window_days=config.contact_window_days)
    return {pid: rate(f, config) for pid, f in facts.items()}


# --- Fidelity: what the record shows about each team ----------------------------------------


FIDELITY_MEASURES = ("staff_ratio", "practitioner_caseloads", "risk_formulation_reviewed",
                     "crisis_plan_and_signature", "non_engagement_discharges",
                     "refused_discharge_attempts", "contacts_per_person_week", "continuity")


def fidelity_figures(team_ids: Sequence[int], *, as_of: date, params: Mapping,
                     results: Results | None = None) -> dict[int, dict[str, object]]:
    """The figures behind the features table and the computable DACTS items, per team.
    A fixed number of queries whatever the number of people or teams. `results`: headline
    figures already computed for these teams and day (FIDELITY_MEASURES among them)."""
    team_ids = sorted(set(team_ids))
    if not team_ids:
        return {}
    figs: dict[int, dict[str, object]] = {t: defaultdict(int) for t in team_ids}
    teams_by_id = {t.pk: t for t in Team.objects.filter(pk__in=team_ids)}
    for tid, team in teams_by_id.items():
        figs[tid]["weekend_open"] = team.open_at_weekends
        figs[tid]["disciplines"] = set()
    # Staff in post on the day.
    in_post = StaffMember.objects.filter(team_id__in=team_ids, joined__lte=as_of).filter(
        Q(left__isnull=True) | Q(left__gt=as_of))
    for tid, role, discipline, fte in in_post.values_list("team_id", "role", "discipline",
                                                          "fte"):
        f, fte = figs[tid], float(fte)
        if role == Role.CRISIS_LINE:
            f["crisis_line_accounts"] += 1
            continue
        if role not in (Role.PRACTITIONER, Role.CONSULTANT, Role.MANAGER):
            continue
        f["headcount"] += 1
        f["total_fte"] += fte
        f["disciplines"].add(discipline)
        if discipline == Discipline.PSYCHIATRIST:
            f["psychiatrist_fte"] += fte
        else:
            f["fte_excluding_psychiatrists"] += fte
        if discipline == Discipline.NURSE:
            f["nurse_fte"] += fte
        if discipline == Discipline.OT:
            f["ot_fte"] += fte
        if discipline == Discipline.PEER_SUPPORT:
            f["peer_support"] += 1
    two_years = as_of - timedelta(days=730)
    for tid, n in (StaffMember.objects.filter(team_id__in=team_ids, left__gt=two_years,
                                              left__lte=as_of)
                   .exclude(role__in=(Role.CRISIS_LINE, Role.ADMINISTRATOR, Role.COMMISSIONER))
                   .values("team_id").annotate(n=Count("id")).values_list("team_id", "n")):
        figs[tid]["leavers_2y"] = n
    # Measures this page shares with the dashboard: headline only.
    if results is None:
        results = compute(team_ids, as_of=as_of, params=params, trend=False,
                          measures=[BY_KEY[k] for k in FIDELITY_MEASURES])
    for tid in team_ids:
        f = figs[tid]
        ratio = results.tally("staff_ratio", HEADLINE, [tid])
        f["people"], f["caseload_fte"] = ratio.numerator, ratio.fte
        over = results.tally("practitioner_caseloads", HEADLINE, [tid])
        f["practitioners"], f["practitioners_over"] = over.denominator, over.numerator
        for key, name in (("risk_formulation_reviewed", "risk"),
                          ("crisis_plan_and_signature", "signatures")):
            t = results.tally(key, HEADLINE, [tid])
            f[f"{name}_ok"], f[f"{name}_of"] = t.numerator, t.denominator
        f["non_engagement_12m"] = results.tally("non_engagement_discharges", HEADLINE,
                                                [tid]).numerator
        f["discharges_12m"] = results.tally("non_engagement_discharges", HEADLINE,
                                            [tid]).denominator
        f["refused_12m"] = results.tally("refused_discharge_attempts", HEADLINE,
                                         [tid]).numerator
        known = results.tally("continuity", HEADLINE, [tid])
        f["known_num"], f["known_den"] = known.numerator, known.denominator
        intensity = results.tally("contacts_per_person_week", HEADLINE, [tid])
        f["seen_contacts_28"], f["people_throughout_28"] = intensity.numerator, \
            intensity.denominator
    _contact_figures(figs, team_ids, as_of, params)
    _meeting_figures(figs, team_ids, as_of, teams_by_id)
    _episode_figures(figs, team_ids, as_of)
    return figs


def _contact_figures(figs, team_ids, as_of, params) -> None:
    days = int(params["contact_window_days"])
    window = Window(HEADLINE, as_of - timedelta(days=days - 1), as_of, "")
    unit_sql, unit_params = contact_units(team_ids, [window], params)
    columns = ("f2f_num", "f2f_den", "weekend_num", "ooh_num", "ooh_den", "community",
               "successful", "support_contact", "minutes", "timed", "attended", "by_leader")
    select = ", ".join(f"SUM(u.{c}) AS {c}" for c in columns)
    for row in fetch_rows(f"SELECT u.team_id, {select} FROM ({unit_sql}) u GROUP BY u.team_id",
                      unit_params):
        for c in columns:
            figs[row["team_id"]][c] = int(row[c] or 0)
    # Team approach (DACTS H2): people seen face to face by more than one worker in 14 days.
    start = as_of - timedelta(days=13)
    workers: dict[tuple[int, int], set[int]] = defaultdict(set)
    for tid, pid, staff, second in Contact.objects.filter(
        episode__team_id__in=team_ids, date__gte=start, date__lte=as_of, outcome="attended",
        mode="face_to_face", with_whom__in=("person", "person_and_carer"),
    ).values_list("episode__team_id", "person_id", "staff_id", "second_staff_id"):
        workers[(tid, pid)].update(w for w in (staff, second) if w)
    for (tid, _), seen_by in workers.items():
        if len(seen_by) > 1:
            figs[tid]["seen_by_more_than_one"] += 1
    # The team leader's own contacts (DACTS H4, for the assessor).
    for tid in team_ids:
        figs[tid]["contacts_attended_28"] = figs[tid]["attended"]
        figs[tid]["leader_contacts_28"] = figs[tid]["by_leader"]


def _meeting_figures(figs, team_ids, as_of, teams_by_id) -> None:
    start = as_of - timedelta(days=27)
    handover_days: dict[int, set[date]] = defaultdict(set)
    mdt_weeks: dict[int, set[int]] = defaultdict(set)
    meeting_days: dict[int, set[date]] = defaultdict(set)
    for tid, kind, on in Meeting.objects.filter(team_id__in=team_ids, date__gte=start,
                                                date__lte=as_of).values_list("team_id", "kind",
                                                                             "date"):
        meeting_days[tid].add(on)
        if kind == MeetingKind.HANDOVER:
            handover_days[tid].add(on)
        else:
            mdt_weeks[tid].add((as_of - on).days // 7)
    for tid in team_ids:
        team = teams_by_id[tid]
        open_days = sum(1 for i in range(28)
                        if team.open_at_weekends or (start + timedelta(days=i)).weekday() < 5)
        figs[tid]["open_days_28"] = open_days
        figs[tid]["handover_days_28"] = len(handover_days[tid])
        figs[tid]["mdt_weeks_4"] = len(mdt_weeks[tid])
        figs[tid]["meeting_days_28"] = len(meeting_days[tid])


def _episode_figures(figs, team_ids, as_of) -> None:
    year_ago = as_of - timedelta(days=365)
    caseload = Episode.objects.filter(team_id__in=team_ids, accepted_date__lte=as_of).filter(
        Q(discharged_date__isnull=True) | Q(discharged_date__gt=as_of))
    # Admissions: the intake by calendar month over the last 6 months (DACTS O2).
    months = {(d.year, d.month) for d in (add_months(as_of, -i) for i in range(6))}
    intake: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    accepted_12m = Episode.objects.filter(team_id__in=team_ids, accepted_date__gt=year_ago,
                                          accepted_date__lte=as_of)
    for tid, accepted, criteria in accepted_12m.values_list("team_id", "accepted_date",
                                                           "criteria"):
        f = figs[tid]
        f["accepted_12m"] += 1
        criteria = set(criteria or ())
        if "psychosis" in criteria and len(criteria) >= 2:
            f["accepted_with_criteria_12m"] += 1
        if (accepted.year, accepted.month) in months:
            intake[tid][(accepted.year, accepted.month)] += 1
    for tid in team_ids:
        figs[tid]["intake_max_6m"] = max(intake[tid].values(), default=0)
    # A year ago: who was on the caseload, and how many of them left and why (O7, S2).
    then = Episode.objects.filter(team_id__in=team_ids, accepted_date__lte=year_ago).filter(
        Q(discharged_date__isnull=True) | Q(discharged_date__gt=year_ago))
    for tid, n in then.values("team_id").annotate(n=Count("id")).values_list("team_id", "n"):
        figs[tid]["caseload_year_ago"] = n
    for tid, reason, engaged, died_on, team, by, on in DischargeDecision.objects.filter(
        episode__in=then, date__lte=as_of,
    ).values_list("episode__team_id", "reason", "engaged", "died_on", "receiving_team",
                  "accepted_by", "accepted_on"):
        dropped = counts_as_not_engaged(reason=reason, engaged=engaged, died_on=died_on,
                                        handover=Handover(team, by, on))
        if reason == "step_down" and not dropped:
            figs[tid]["graduated_12m"] += 1
        if dropped:
            figs[tid]["dropped_out_12m"] += 1
    # Discharge decision records in the last 12 months (the features table).
    discharged = Episode.objects.filter(team_id__in=team_ids, status="discharged",
                                        discharged_date__gt=year_ago,
                                        discharged_date__lte=as_of)
    for tid, decision, route, shared in discharged.values_list(
            "team_id", "discharge__id", "discharge__route_back_in", "discharge__shared_with"):
        f = figs[tid]
        f["discharged_12m"] += 1
        beyond = [s for s in (shared or ()) if s.strip().casefold() != "the person"]
        if decision is not None and (route or "").strip() and beyond:
            f["discharge_records_ok_12m"] += 1
    # Key workers, carers and co-produced plans of the people on the caseload now.
    for tid, n in caseload.filter(status__in=("accepted", "stepped_up", "inpatient")).exclude(
        key_workers__end__isnull=True,
    ).values("team_id").annotate(n=Count("id", distinct=True)).values_list("team_id", "n"):
        figs[tid]["without_key_worker"] = n
    people = caseload.values("person_id")
    team_of = dict(caseload.values_list("person_id", "team_id"))
    carers = set(Carer.objects.filter(person_id__in=people).values_list("person_id", flat=True))
    since = as_of - timedelta(days=90)
    contacted = set(CarerContact.objects.filter(person_id__in=carers, date__gt=since,
                                                date__lte=as_of)
                    .values_list("person_id", flat=True))
    contacted |= set(Contact.objects.filter(
        person_id__in=carers, date__gt=since, date__lte=as_of, outcome="attended",
        with_whom__in=("carer", "person_and_carer")).values_list("person_id", flat=True))
    for pid in carers:
        figs[team_of[pid]]["people_with_carer"] += 1
        if pid in contacted:
            figs[team_of[pid]]["carer_contacted_90"] += 1
    for pid, with_whom in CarePlan.objects.filter(
        person_id__in=people, superseded_by__isnull=True, date__lte=as_of,
    ).values_list("person_id", "co_produced_with"):
        figs[team_of[pid]]["care_plans"] += 1
        if (with_whom or "").strip():
            figs[team_of[pid]]["care_plans_co_produced"] += 1
    for tid, kind, n in Transition.objects.filter(
        episode__team_id__in=team_ids, date__gt=year_ago, date__lte=as_of,
        kind__in=("admitted", "left_hospital"),
    ).values("episode__team_id", "kind").annotate(n=Count("id")).values_list(
            "episode__team_id", "kind", "n"):
        figs[tid][f"{kind}_12m"] = n


def dacts_reviews(team_id: int):
    """A team's DACTS reviews, newest first, with their item scores."""
    from outreach.governance.models import DactsAssessment

    return DactsAssessment.objects.filter(team_id=team_id).prefetch_related("items")
