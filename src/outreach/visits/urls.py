from datetime import date

from django.urls import path, register_converter

from outreach.visits import views


class IsoDate:
    """A day in a URL as 2026-12-01; a date that does not exist is no match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError: no match

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(IsoDate, "isodate")

urlpatterns = [
    path("visits/", views.team_week, name="visits"),
    path("visits/plan/", views.plan_week, name="visits-plan"),
    path("visits/workers/<int:staff_id>/<isodate:day>/", views.worker_day,
         name="visits-worker-day"),
    path("visits/workers/<int:staff_id>/replan/", views.replan, name="visits-replan"),
    path("visits/workers/<int:staff_id>/calendar.ics", views.calendar, name="visits-calendar"),
    path("visits/people/<int:person_id>/", views.person_week, name="visits-person"),
    path("visits/<int:visit_id>/accept/", views.accept, name="visits-accept"),
    path("visits/<int:visit_id>/lock/", views.lock, name="visits-lock"),
    path("visits/<int:visit_id>/unlock/", views.unlock, name="visits-unlock"),
    path("visits/<int:visit_id>/adjust/", views.adjust, name="visits-adjust"),
]
