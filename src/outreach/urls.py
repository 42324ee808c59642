from django.urls import include, path

from outreach.api.v1 import api as api_v1

urlpatterns = [
    path("api/v1/", api_v1.urls),
    path("", include("outreach.records.urls")),
    path("", include("outreach.meetings.urls")),
    path("", include("outreach.reminders.urls")),
    path("", include("outreach.records.urls_episode")),
    path("", include("outreach.records.urls_former")),
    path("", include("outreach.teams.urls")),
    path("", include("outreach.clinical.urls")),
    path("", include("outreach.governance.urls")),
    path("", include("outreach.experience.urls")),
    path("", include("outreach.skills.urls")),
    path("", include("outreach.outcomes.urls")),
    path("", include("outreach.visits.urls")),
    path("", include("outreach.population.urls")),
    path("", include("outreach.web.urls")),
]

handler400 = "outreach.web.errors.bad_request"
handler403 = "outreach.web.errors.permission_denied"
handler404 = "outreach.web.errors.page_not_found"
handler500 = "outreach.web.errors.server_error"
