from django.contrib.auth import views as auth_views
from django.urls import path

from outreach.web import former, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.jinja"), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("", views.caseload, name="caseload"),
    path("team/", views.team, name="team"),
    path("crisis/", views.crisis_list, name="crisis-list"),
    path("people/<int:person_id>/crisis/", views.crisis_summary, name="crisis-summary"),
    path("people/search/", former.search, name="people-search"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/audit/", views.person_audit, name="person-audit"),
]
