from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFiles(WhiteNoiseMiddleware):
    """WhiteNoise, plus nhsuk-frontend's assets at /assets/ where its CSS expects them."""

    def __init__(self, get_response=None, settings_=None):
        super().__init__(get_response)
        assets = settings.NHSUK_DIST / "assets"
        if assets.exists():
            self.add_files(str(assets), prefix="assets/")
