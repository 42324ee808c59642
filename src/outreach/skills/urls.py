from django.urls import path

from outreach.skills import views

urlpatterns = [
    path("team/skills/", views.matrix, name="skills-matrix"),
    path("team/skills/staff/<int:staff_id>/", views.staff_training, name="skills-staff"),
    path("team/skills/staff/<int:staff_id>/new/", views.training_new, name="skills-new"),
    path("team/skills/records/<int:record_id>/amend/", views.training_amend,
         name="skills-amend"),
    path("team/skills/records/<int:record_id>/withdraw/", views.training_withdraw,
         name="skills-withdraw"),
]
