from django.urls import path

from outreach.records.views import rerefer

urlpatterns = [
    path("people/<int:person_id>/re-refer/", rerefer.rerefer, name="rerefer"),
]
