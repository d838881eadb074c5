"""Login throttling: too many failures for one username, or many more from one address,
lock it out for a while. The two are counted apart: one clerk's typos lock that account,
never everyone behind the same office address. Counts live in the database cache shared
by all web processes; a success clears the username's count."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

cache = caches["shared"]

TOO_MANY_FAILURES = "登录失败次数过多，请 {minutes} 分钟后再试"


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    user_key, address_key = _keys(username, address)
    return ((cache.get(user_key) or 0) >= settings.LOGIN_FAILURE_LIMIT
            or (cache.get(address_key) or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT)


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
