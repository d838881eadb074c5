"""Login throttling: too many failures for one username or one address locks it out for
a while. Counts live in the database cache shared by all web processes; a success clears
the username's count."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

cache = caches["shared"]

TOO_MANY_FAILURES = "登录失败次数过多，请 {minutes} 分钟后再试"


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(k) or 0) >= limit for k in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear(username: str) -> None:
    cache.delete(_keys(username, "")[0])


def lockout_message() -> str:
    return TOO_MANY_FAILURES.format(minutes=max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))
