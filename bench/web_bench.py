"""Roster page and dashboard p95 under wrk on 127.0.0.1, against a loaded database.

Starts gunicorn (2 workers) on a free local port, logs in by creating a session, runs wrk
for a fixed duration with a few connections, parses the percentiles from a Lua `done`
hook, and stops the server. Nothing listens on anything but 127.0.0.1."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, Row, django_setup, not_measured, write_rows

ROSTER_TARGET_MS = 150.0
DASHBOARD_TARGET_MS = 300.0
LUA = Path(__file__).with_name("wrk_p95.lua")
PLACEHOLDER = "尚未建成"  # what an area's placeholder page says


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(__import__("shequ.accounts.models", fromlist=["User"]).User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _users() -> dict[str, str]:
    """A city administrator (sees everyone) and one street's HR, created once."""
    from shequ.accounts.models import Role, User
    from shequ.org.models import STREET_TYPES, Unit

    city = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    street = Unit.objects.filter(unit_type__in=STREET_TYPES).order_by("path").first()
    for username, role, unit in [("bench_city_admin", Role.BUREAU_ADMIN, city), ("bench_street_hr", Role.STREET_HR, street)]:
        User.objects.update_or_create(username=username, defaults={"role": role, "unit": unit})
    return {"city": _session_cookie("bench_city_admin"), "street": _session_cookie("bench_street_hr")}


def _get(url: str, cookie: str) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-H", f"Cookie: {cookie}", "-s", str(LUA), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isupper():
            figures[parts[0]] = float(parts[1])
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--workers-label", default="300,000 workers")
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--out")
    a = ap.parse_args()
    size = a.workers_label
    if not shutil.which("wrk"):
        write_rows(a.out, [not_measured("roster page p95 (wrk)", size, f"≤ {ROSTER_TARGET_MS:.0f} ms", "wrk not installed (apt-get install wrk)")])
        return
    django_setup(a.db)
    cookies = _users()
    from django.db import connections

    connections.close_all()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": a.db, "SHEQU_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "shequ.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "shequ.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    rows: list[Row] = []
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        pages = [
            ("roster page p95 (city administrator, whole city)", "/workers/", "city", ROSTER_TARGET_MS, "花名册"),
            ("roster page p95 (street HR, one street)", "/workers/", "street", ROSTER_TARGET_MS, "花名册"),
            ("dashboard p95 (city administrator)", "/insights/", "city", DASHBOARD_TARGET_MS, None),
        ]
        for name, path, who, target, marker in pages:
            cold_started = time.perf_counter()
            status, body = _get(base + path, cookies[who])
            cold_ms = (time.perf_counter() - cold_started) * 1000  # first request: caches empty
            target_text = f"≤ {target:.0f} ms"
            if status != 200 or PLACEHOLDER in body or (marker and marker not in body):
                reason = "/insights/ is still the placeholder on main" if PLACEHOLDER in body else f"HTTP {status}"
                rows.append(not_measured(name, size, target_text, reason))
                continue
            _wrk(base + path, cookies[who], 3, a.connections)  # warm up caches and connections
            f = _wrk(base + path, cookies[who], a.seconds, a.connections)
            if not f or f.get("REQUESTS", 0) == 0:
                rows.append(not_measured(name, size, target_text, "wrk returned no requests"))
                continue
            # One connection for a few seconds: the page's own latency without queueing.
            solo = _wrk(base + path, cookies[who], 5, 1)
            p95 = f["P95_MS"]
            bad = int(f.get("NON2XX", 0) + f.get("SOCKET_ERRORS", 0))
            rows.append(Row(
                name=name, size=size,
                figure=f"p95 {p95:.0f} ms (p50 {f['P50_MS']:.0f}, p99 {f['P99_MS']:.0f}; "
                       f"{f['REQUESTS'] / a.seconds:.1f} req/s, {a.connections} connections, {a.seconds} s"
                       + (f", {bad} errors" if bad else "") + ")"
                       + (f"; 1 connection: p50 {solo['P50_MS']:.0f} ms, p95 {solo['P95_MS']:.0f} ms" if solo else "")
                       + f"; first request {cold_ms:.0f} ms",
                target=target_text, met=p95 <= target and bad == 0,
                data={**f, "path": path, "solo": solo, "first_ms": cold_ms},
            ))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    write_rows(a.out, rows)


if __name__ == "__main__":
    main()
