from django.urls import path

from outreach.experience import views

urlpatterns = [
    # Public, no login: a team's anonymous feedback link.
    path("feedback/<str:code>/", views.public_start, name="feedback-public"),
    path("feedback/<str:code>/<slug:respondent>/", views.public_form,
         name="feedback-public-form"),
    path("feedback/<str:code>/<slug:respondent>/thanks/", views.public_thanks,
         name="feedback-thanks"),
    # Team staff.
    path("people/<int:person_id>/feedback/", views.person_feedback, name="feedback-person"),
    path("people/<int:person_id>/feedback/<slug:respondent>/new/", views.person_feedback_new,
         name="feedback-person-new"),
    path("team/feedback/", views.team_feedback, name="feedback-team"),
    path("team/feedback/paper/<slug:respondent>/", views.paper_anonymous,
         name="feedback-paper"),
    # Results: team staff their own team; commissioners every team (all suppressed).
    path("governance/experience/", views.results_all, name="experience-results-all"),
    path("governance/team/<slug:key>/experience/", views.results_team,
         name="experience-results-team"),
]
