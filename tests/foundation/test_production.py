"""Production mode: refuses unsafe settings naming the variable, passes `check --deploy`,
serves its static files with debug off, and sends the security headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from shequ.common.env import UnsafeProductionSettings, refuse_unsafe_production

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-0123456789-abcdefghij"
BUILTIN = "builtin"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean deployment environment: no SHEQU_ settings of this run, no test-only Django switches.
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SHEQU_", "DJANGO_"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_mode_refuses_the_builtin_secret_key_naming_the_variable() -> None:
    with pytest.raises(UnsafeProductionSettings, match="SHEQU_SECRET_KEY") as err:
        refuse_unsafe_production(secret_key=BUILTIN, builtin_key=BUILTIN, debug=False, allowed_hosts=["a.example"])
    assert "内置的示范密钥" in str(err.value)


def test_production_mode_refuses_a_short_secret_debug_on_and_no_allowed_hosts_all_at_once() -> None:
    with pytest.raises(UnsafeProductionSettings) as err:
        refuse_unsafe_production(secret_key="short", builtin_key=BUILTIN, debug=True, allowed_hosts=[])
    text = str(err.value)
    assert "SHEQU_SECRET_KEY 太短（5 个字符）" in text and "SHEQU_DEBUG" in text and "SHEQU_ALLOWED_HOSTS" in text


def test_safe_production_settings_are_accepted() -> None:
    refuse_unsafe_production(secret_key=GOOD_KEY, builtin_key=BUILTIN, debug=False, allowed_hosts=["a.example"])


def test_manage_py_in_production_mode_without_settings_stops_with_the_chinese_reasons_and_no_traceback() -> None:
    result = _manage("check", SHEQU_PRODUCTION="1", SHEQU_DEBUG="1")
    assert result.returncode == 2
    assert "SHEQU_SECRET_KEY" in result.stderr and "SHEQU_DEBUG" in result.stderr
    assert "SHEQU_ALLOWED_HOSTS" in result.stderr and "Traceback" not in result.stderr


def test_check_deploy_is_clean_in_production_mode() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SHEQU_PRODUCTION="1",
                     SHEQU_SECRET_KEY=GOOD_KEY, SHEQU_ALLOWED_HOSTS="shequ.example.gov.cn", SHEQU_TASKS="database")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_debug_off_the_collected_stylesheet_htmx_and_echarts_are_served(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    """What production does: collectstatic into STATIC_ROOT, WhiteNoise serves it."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()  # a new handler, so WhiteNoise reads the settings above
    client.force_login(world.city_admin)
    page = client.get("/insights/").content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any(a.endswith("pico.min.css") for a in assets) and any(a.endswith("echarts.min.js") for a in assets)
    bodies = {}
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        bodies[asset] = response.getvalue()
        assert len(bodies[asset]) > 100, asset
    echarts = next(a for a in assets if a.endswith("echarts.min.js"))
    assert b"echarts" in bodies[echarts][:5000].lower()


def test_pages_carry_the_content_security_policy_and_no_store_but_static_files_may_be_cached(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.street_a_hr)
    page = client.get("/workers/")
    assert "script-src 'self'" in page["Content-Security-Policy"] and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["Cache-Control"] == "no-store" and page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    export = client.get("/workers/export.xlsx")
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/web/shequ.css").get("Cache-Control", "")


def test_no_template_uses_an_inline_script_the_policy_would_block() -> None:
    templates = list((ROOT / "shequ").rglob("templates/**/*.html"))
    assert templates
    inline = [str(t) for t in templates
              if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son(click|change|submit|load|input)=", t.read_text())]
    assert inline == []


def test_https_redirect_and_hsts_come_from_the_settings_and_the_health_check_stays_plain(
    world: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()
    redirect = client.get("/workers/")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    secure = client.get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    health = client.get("/healthz")
    assert health.status_code == 200 and health.content == b"ok"


def test_error_pages_are_chinese_without_debug_output(world: Any, client_for: Any) -> None:
    client = client_for(world.street_b_hr)
    missing = client.get("/pay/runs/999999/")
    assert missing.status_code == 404 and "未找到" in missing.content.decode()
    assert "Traceback" not in missing.content.decode() and "Page not found" not in missing.content.decode()
    forbidden = client_for(world.secretary_a1).post("/pay/runs/new", {"unit": world.community_a1.pk, "month": "2026-03"})
    assert forbidden.status_code == 403 and "无权" in forbidden.content.decode()
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(world.street_a_hr)
    stale = csrf.post("/pay/runs/new", {"unit": world.street_a.pk, "month": "2026-03"})
    assert stale.status_code == 403 and "CSRF 校验未通过" in stale.content.decode()
