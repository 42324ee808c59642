from django.urls import path

from outreach.teams import views

urlpatterns = [
    path("team/absences/", views.absences, name="absences"),
    path("team/absences/new/", views.absence_new, name="absence-new"),
    path("team/absences/<int:absence_id>/cover/", views.absence_cover, name="absence-cover"),
]
