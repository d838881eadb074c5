"""Reads about users, within the reader's subtree."""

from __future__ import annotations

from django.db.models import QuerySet

from shequ.accounts.models import User
from shequ.common.scope import scoped


def user_list(*, user: User) -> QuerySet[User]:
    """The users of the administrator's subtree (superusers are managed only in /admin/)."""
    return scoped(User.objects.select_related("unit").filter(is_superuser=False), user).order_by("unit__path", "username")
