"""The types views and the API annotate the acting user with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from shequ.accounts.models import User

    class AuthedRequest(HttpRequest):
        """A request past the login middleware or the API's authentication: `user` is a
        real user, never AnonymousUser."""

        user: User

else:
    # At run time it is the plain request: Ninja reads handler annotations, and nothing
    # changes for Django.
    AuthedRequest = HttpRequest
