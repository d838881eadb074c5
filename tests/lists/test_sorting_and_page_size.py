"""Lists (issue 14.6): sort by a whitelisted column, filters kept in the URL through sorting
and paging, a page-size choice — on the roster and on a pay run's lines."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import RequestFactory

from shequ.common.listing import DEFAULT_PAGE_SIZE, listing_from
from shequ.workers.selectors import ROSTER_SORTS
from tests.factories import make_worker
from tests.pay.conftest import bind, run_month  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _names(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"')[1].split("</tbody>")[0]
    return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>', body)


@pytest.fixture
def roster(world: Any) -> list[Any]:
    return [make_worker(world.community_a1, name=n, grade=g, post="助理") for n, g in (("乙", 5), ("甲", 9), ("丙", 1))]


def test_the_roster_sorts_by_grade_up_and_down(world, roster, client_for):
    c = client_for(world.street_a_hr)
    up = _names(c.get("/workers/?sort=grade&q=").content.decode(), "roster")
    down = _names(c.get("/workers/?sort=-grade").content.decode(), "roster")
    graded = [n for n in up if n in {"甲", "乙", "丙"}]
    assert graded == ["丙", "乙", "甲"]
    assert [n for n in down if n in {"甲", "乙", "丙"}] == ["甲", "乙", "丙"]


def test_a_column_outside_the_whitelist_is_ignored_not_passed_to_the_database(world, roster, client_for):
    c = client_for(world.street_a_hr)
    plain = _names(c.get("/workers/").content.decode(), "roster")
    for bad in ("id_number", "-id_number", "password", "unit__path;drop", "extra__x"):
        r = c.get(f"/workers/?sort={bad}")
        assert r.status_code == 200 and _names(r.content.decode(), "roster") == plain


def test_the_sort_links_keep_the_filters_and_sorting_keeps_them_in_the_form(world, roster, client_for):
    html = client_for(world.street_a_hr).get("/workers/?post=助理&sort=grade&per_page=20").content.decode()
    grade_th = re.search(r'<th class="num" aria-sort="ascending"><a class="sort" href="([^"]+)"', html)
    assert grade_th is not None
    link = grade_th.group(1).replace("&amp;", "&")
    assert "sort=-grade" in link and "post=%E5%8A%A9%E7%90%86" in link and "per_page=20" in link
    form = html.split('id="roster-filters"')[1].split("</form>")[0]
    assert '<input type="hidden" name="sort" value="grade">' in form
    assert '<option value="20" selected>20 条</option>' in form


def test_the_page_size_choice_pages_the_roster_and_the_next_link_keeps_sort_and_filters(world, client_for):
    for i in range(25):
        make_worker(world.community_a1, name=f"人员{i:02d}", grade=1 + i % 9)
    html = client_for(world.street_a_hr).get("/workers/?per_page=20&sort=name&unit=" + str(world.community_a1.pk)).content.decode()
    assert len(_names(html, "roster")) == 20 and "第 1 / 2 页，共 26 条" in html
    nxt = re.search(r'<a href="([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    assert "page=2" in nxt and "sort=name" in nxt and "per_page=20" in nxt and f"unit={world.community_a1.pk}" in nxt
    assert len(_names(client_for(world.street_a_hr).get("/workers/" + nxt).content.decode(), "roster")) == 6


def test_a_page_size_not_offered_falls_back_to_the_default():
    request = RequestFactory().get("/workers/", {"per_page": "100000"})
    assert listing_from(request, ROSTER_SORTS).per_page == DEFAULT_PAGE_SIZE


def test_a_street_hr_sorting_the_roster_still_sees_only_their_street(world, roster, client_for):
    html = client_for(world.street_b_hr).get("/workers/?sort=-grade&per_page=200").content.decode()
    assert set(_names(html, "roster")) == {"宋大哥"}


def test_the_pay_lines_sort_by_amount_and_show_thousands_separators(world, bind, run_month, client_for):  # noqa: F811
    bind(world.street_a, "hunchun")
    make_worker(world.community_a1, name="金书记", post="正职", grade=10, education="高中")
    make_worker(world.community_a2, name="朴副主任", post="副职", grade=6, education="本科")
    run = run_month(world.street_a, date(2026, 1, 1), actor=world.street_a_hr)
    c = client_for(world.street_a_hr)
    down = _names(c.get(f"/pay/runs/{run.pk}/?sort=-gross").content.decode(), "lines")
    up = _names(c.get(f"/pay/runs/{run.pk}/?sort=gross&kind=regular").content.decode(), "lines")
    assert down[0] == "金书记" and up == list(reversed(down))
    html = c.get(f"/pay/runs/{run.pk}/?sort=-gross").content.decode()
    first_row = html.split('id="lines"')[1].split("<tbody>")[1].split("</tr>")[0]
    assert re.search(r'<td class="num">\d{1,3}(,\d{3})+\.\d{2}</td>', first_row), first_row
