"""Shared personas: a city with two streets. Street B's HR must never see street A's data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from tests.factories import make_unit, make_user, make_worker


@dataclass
class World:
    city: Any
    district: Any
    street_a: Any
    street_a_office: Any
    community_a1: Any
    community_a2: Any
    street_b: Any
    community_b1: Any
    city_admin: Any
    street_a_hr: Any
    street_b_hr: Any
    secretary_a1: Any
    finance: Any
    worker_a1: Any
    worker_b1: Any


@pytest.fixture
def world(db: Any) -> World:
    city = make_unit("示范市", "市")
    district = make_unit("甲区", "区县", city)
    street_a = make_unit("槐阳街道", "街道", district, households=9000, population=25000, urban_population=24000, unit_class="一类")
    office_a = make_unit("槐阳街道机关", "街道机关", street_a)
    a1 = make_unit("迎宾社区", "城市社区", street_a, households=3600, population=9800, urban_population=9500, unit_class="二类")
    a2 = make_unit("槐阳北社区", "村改社区", street_a, households=2100, population=6000, urban_population=5000, unit_class="三类")
    street_b = make_unit("东门街道", "街道", district, households=5000, population=14000, urban_population=13000, unit_class="二类")
    b1 = make_unit("东门社区", "城市社区", street_b, households=4200, population=11000, urban_population=10800, unit_class="一类")
    return World(
        city=city, district=district, street_a=street_a, street_a_office=office_a, community_a1=a1,
        community_a2=a2, street_b=street_b, community_b1=b1,
        city_admin=make_user("city_admin", "bureau_admin", city, display_name="市民政局管理员"),
        street_a_hr=make_user("street_a_hr", "street_hr", street_a, display_name="槐阳街道人事"),
        street_b_hr=make_user("street_b_hr", "street_hr", street_b, display_name="东门街道人事"),
        secretary_a1=make_user("secretary_a1", "secretary", a1, display_name="迎宾社区书记"),
        finance=make_user("finance", "finance", city, display_name="市财政"),
        worker_a1=make_worker(a1, name="刘少萌", post="助理"),
        worker_b1=make_worker(b1, name="宋大哥", post="主办", sex="男", birth_date=date(1980, 2, 3)),
    )


@pytest.fixture
def client_for(client: Any) -> Any:
    """client_for(user) → the test client logged in as that user."""

    def login(user: Any) -> Any:
        client.force_login(user)
        return client

    return login


# One Playwright instance for the whole session, shared by every test directory: a
# second sync_playwright() in the same process fails.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.skip("需要 Debian 的 chromium（.ci/run 会安装）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


# Attachments (shequ.dossier) go to a folder of the test's own, never to var/.
@pytest.fixture
def attachment_store(tmp_path: Any) -> Iterator[FileSystemStorage]:
    from shequ.dossier.models import Attachment

    field = Attachment._meta.get_field("file")
    store = FileSystemStorage(location=str(tmp_path / "attachments"))
    old = field.storage
    field.storage = store
    yield store
    field.storage = old
