from django.urls import path

from outreach.meetings import views
from outreach.meetings.models import MeetingKind

urlpatterns = [
    path("handover/", views.handover, name="handover"),
    path("mdt/", views.mdt, name="mdt"),
]
for kind, page in views.PAGES.items():
    urlpatterns += [
        path(f"{page}/notes/", views.item_note, {"kind": kind}, name=f"{page}-note"),
        path(f"{page}/actions/", views.action_new, {"kind": kind}, name=f"{page}-action"),
        path(f"{page}/actions/<int:action_id>/done/", views.action_done, {"kind": kind},
             name=f"{page}-action-done"),
    ]
assert set(views.PAGES) == set(MeetingKind)
