"""PDF of a page, with WeasyPrint. It may fetch only this app's own static files: nothing
from the network, nothing else on disk (as clinical.views.printing does for plans)."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint warns of every CSS feature of nhsuk-frontend it does not support.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def _static_only():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if not path.startswith(settings.STATIC_URL):
                raise ValueError(f"Not fetched for a PDF: {url}")
            found = finders.find(path[len(settings.STATIC_URL):])
            if not found:
                raise ValueError(f"No such static file: {path}")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": kind})

    return StaticOnly()


def pdf_bytes(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_static_only()).write_pdf()
