"""API bearer tokens. Only a SHA-256 digest is stored, so a database read leaks no token."""

import hashlib
import secrets

from django.conf import settings
from django.db import models


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    @classmethod
    def issue(cls, user, expires_at) -> tuple["ApiToken", str]:
        token = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_digest=digest(token), expires_at=expires_at), token
