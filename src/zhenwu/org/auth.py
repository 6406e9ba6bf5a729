"""Who is asking, read together with their unit and office.

Every page and API call decides the user's scope from their unit right after identifying them: reading
the unit and office with the user saves one or two queries on every request. API clients (grid workers'
phones, the hotline's system) call often and in bursts; their tokens are looked up in remembered data
(`zhenwu.remembered`), which any change to a token, a user, a unit or an office renews at once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from zhenwu.remembered import Remembered

from .models import Department, OrgUnit, User

RELATED = ("org_unit", "department")


class UnitModelBackend(ModelBackend):
    """Django's password backend; a signed-in user comes with their unit and office."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related(*RELATED).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _token_users() -> dict[str, User]:
    """Each token's user with unit and office, by the token's digest: neither keys nor password hashes
    are kept."""
    tokens = Token.objects.select_related(*(f"user__{name}" for name in RELATED)).defer("user__password")
    return {_digest(token.key): token.user for token in tokens}


token_users = Remembered("api-token-users", _token_users, Token, User, OrgUnit, Department)


class UnitTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …` for API clients; the user comes with their unit and office."""

    def authenticate_credentials(self, key: str) -> tuple[User, str]:
        user = token_users.get().get(_digest(key))
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, key
