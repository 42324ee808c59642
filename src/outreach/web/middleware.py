from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFiles(WhiteNoiseMiddleware):
    """WhiteNoise, plus nhsuk-frontend's assets at /assets/ where its CSS expects them."""

    def __init__(self, get_response=None, settings_=None):
        super().__init__(get_response)
        assets = settings.NHSUK_DIST / "assets"
        if assets.exists():
            self.add_files(str(assets), prefix="assets/")


class ReadOnlyRecords:
    """A write asked for someone the team held before (records.selectors.ReadOnlyRecord): a
    page that says the record is read only and why, with the way back in (403), never a 404
    or a 500. Showing it is a read of the person, audited like one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from outreach.audit.models import AuditAction
        from outreach.audit.services import audit_record
        from outreach.records.selectors import ReadOnlyRecord

        if not isinstance(exception, ReadOnlyRecord):
            return None
        audit_record(request=request, person_id=exception.person.pk, action=AuditAction.VIEW,
                     what="read-only record: a change refused")
        return render(request, "web/read_only.jinja", {
            "person": exception.person, "former": exception.status, "nav": "caseload",
        }, status=403)
