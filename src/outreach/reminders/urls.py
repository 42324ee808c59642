from django.urls import path

from outreach.reminders import views

urlpatterns = [
    path("people/<int:person_id>/visits/<int:visit_id>/reminder/", views.visit_reminder,
         name="visit-reminder"),
    path("reminders/", views.outbox, name="outbox"),
    path("reminders/<int:reminder_id>/sent/", views.reminder_mark_sent, name="reminder-sent"),
    path("reminders/<int:reminder_id>/cancel/", views.reminder_cancel,
         name="reminder-cancel"),
]
