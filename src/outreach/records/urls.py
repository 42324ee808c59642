from django.urls import path

from outreach.records.views import contacts

urlpatterns = [
    path("people/<int:person_id>/contacts/new/", contacts.contact_new, name="contact-new"),
    path("people/<int:person_id>/contacts/<int:contact_id>/next/", contacts.contact_next,
         name="contact-next"),
    path("people/<int:person_id>/visits/new/", contacts.visit_new, name="visit-new"),
]
