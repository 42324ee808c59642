from django.urls import path

from outreach.records.views import episodes

urlpatterns = [
    path("people/new/", episodes.register, name="person-new"),
    path("people/declined/", episodes.declined, name="episode-declined"),
    path("people/<int:person_id>/episode/", episodes.episode_overview, name="episode"),
    path("people/<int:person_id>/referral/accept/", episodes.accept, name="episode-accept"),
    path("people/<int:person_id>/referral/decline/", episodes.decline, name="episode-decline"),
    path("people/<int:person_id>/transition/", episodes.transition, name="episode-transition"),
    path("people/<int:person_id>/discharge/", episodes.discharge, name="discharge"),
    path("people/<int:person_id>/discharges/<int:decision_id>/", episodes.discharge_record,
         name="discharge-record"),
    path("people/<int:person_id>/proposals/new/", episodes.proposal_new, name="proposal-new"),
    path("people/<int:person_id>/proposals/<int:proposal_id>/", episodes.proposal_detail,
         name="proposal"),
    path("people/<int:person_id>/proposals/<int:proposal_id>/carry-out/",
         episodes.proposal_carry_out, name="proposal-carry-out"),
    path("people/<int:person_id>/annual-reviews/new/", episodes.annual_review_new,
         name="annual-review-new"),
    path("people/<int:person_id>/key-worker/", episodes.key_worker, name="key-worker"),
]
