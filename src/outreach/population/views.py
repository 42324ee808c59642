"""The commissioners' page of the latest cohort run: suppressed figures by locality, with the
multiplier estimate beside them. Aggregates only: no person is read, so nothing to audit."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from outreach.governance.access import viewer_for
from outreach.population.models import CohortRun


@login_required
def cohort(request):
    viewer = viewer_for(request.user)
    if viewer is None:
        raise Http404("No governance access")
    run = CohortRun.objects.first()
    return render(request, "population/cohort.jinja", {
        "viewer": viewer, "run": run, "f": run.figures if run else None,
        "nav": "governance", "section": "population",
    })
