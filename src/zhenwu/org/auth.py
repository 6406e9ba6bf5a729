"""Who is asking, read together with their unit and office.

Every page and API call decides the user's scope from their unit right after identifying them: reading
the unit and office in the same query as the user saves one or two queries on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import User

RELATED = ("org_unit", "department")


class UnitModelBackend(ModelBackend):
    """Django's password backend; a signed-in user comes with their unit and office."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related(*RELATED).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class UnitTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …` for API clients; the user comes with their unit and office."""

    def authenticate_credentials(self, key: str) -> tuple[User, Any]:
        model = self.get_model()
        related = [f"user__{name}" for name in RELATED]
        token = model.objects.select_related(*related).filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
