from django.urls import path

from outreach.population import views

urlpatterns = [
    path("population/cohort/", views.cohort, name="population-cohort"),
]
