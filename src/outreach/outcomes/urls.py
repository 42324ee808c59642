from django.urls import path

from outreach.outcomes import views

urlpatterns = [
    path("people/<int:person_id>/outcomes/", views.person_outcomes, name="person-outcomes"),
    path("people/<int:person_id>/outcomes/<slug:what>/new/", views.history_new,
         name="person-outcomes-new"),
]
for page, view in (("outcomes", views.team_outcomes), ("equality", views.equality_figures),
                   ("pcref", views.pcref)):
    urlpatterns += [
        path(f"governance/trust/{page}/", view, {"kind": "trust"},
             name=f"governance-trust-{page}"),
        path(f"governance/service/<slug:key>/{page}/", view, {"kind": "service"},
             name=f"governance-service-{page}"),
        path(f"governance/team/<slug:key>/{page}/", view, {"kind": "team"},
             name=f"governance-team-{page}"),
    ]
