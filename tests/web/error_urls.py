"""The service's URLs plus views that fail on purpose, for the error page tests only."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from outreach.urls import handler400, handler403, handler404, handler500
from outreach.urls import urlpatterns as service


def fault(request):
    raise RuntimeError("a fault of ours")


def refused(request):
    raise PermissionDenied("not for this role")


urlpatterns = [path("test-fault/", fault), path("test-refused/", refused), *service]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
