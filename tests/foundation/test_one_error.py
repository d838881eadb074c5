"""One application error (issue 11 point 3): services raise ShequError, each front door maps it
once, and no page or endpoint catches a bare ValueError to guess what went wrong."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import RequestFactory

from shequ.common.scope import ScopeError
from shequ.errors import Conflict, Forbidden, Invalid, NotFound, OutOfScope, ShequError

ROOT = Path(__file__).resolve().parents[2] / "shequ"

# Parsing helpers and library quirks that may catch ValueError without translating it at
# once: each turns one bad cell, date or counter into a row error or a fallback.
ALLOWED = {
    ("accounts/throttle.py", "record_failure"),  # the cache's incr on a vanished key
    ("assessment/imports.py", "results_validate"),  # one import cell → a row error
    ("growth/careers/selectors.py", "_add_years"),  # 29 February in a common year
    ("growth/careers/selectors.py", "_months_later"),
    ("quota/selectors.py", "*"),  # 29 February
    ("workers/selectors.py", "*"),  # 29 February
    ("sheets/validate.py", "*"),  # the sheet validator turns every bad cell into a row error
    ("sheets/idcard.py", "*"),
    ("sheets/io.py", "_is_number"),  # does a cell read as a number
    ("common/audit_display.py", "_model_fields"),  # an audit row naming a model no longer there
    ("common/audit_actions.py", "action_label"),  # an old stored action name shows as itself
    ("common/views.py", "_audit_filter"),  # each bad filter date becomes a named error
}


def _catches_value_error(handler: ast.ExceptHandler) -> bool:
    t = handler.type
    names = t.elts if isinstance(t, ast.Tuple) else [t] if t is not None else []
    return any(isinstance(n, ast.Name) and n.id == "ValueError" for n in names)


def _offenders(tree: ast.AST, rel: str) -> list[str]:
    found: list[str] = []
    front_door = rel.endswith(("views.py", "api.py"))

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else name
            if isinstance(child, ast.ExceptHandler) and _catches_value_error(child):
                # A parsing helper translates at once: `except ValueError: raise Invalid(...)`.
                translates = isinstance(child.body[-1], ast.Raise) and not front_door
                allowed = (rel, name) in ALLOWED or (rel, "*") in ALLOWED
                if not translates and not allowed:
                    found.append(f"{rel}:{child.lineno} in {name}")
            visit(child, inner)

    visit(tree, "<module>")
    return found


def _all_offenders() -> list[str]:
    out: list[str] = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or rel.startswith("rules/"):
            continue
        out += _offenders(ast.parse(path.read_text(encoding="utf-8")), rel)
    return out


def test_no_page_endpoint_or_service_catches_a_bare_value_error():
    assert _all_offenders() == []


def test_the_check_finds_a_view_that_catches_value_error():
    """The check above can fail: a view with `except ValueError` is reported."""
    source = "def v(request):\n    try:\n        f()\n    except ValueError:\n        raise Invalid('x')\n"
    assert _offenders(ast.parse(source), "demo/views.py") == ["demo/views.py:4 in v"]
    tuple_source = "def s():\n    try:\n        f()\n    except (KeyError, ValueError):\n        pass\n"
    assert _offenders(ast.parse(tuple_source), "demo/services.py") == ["demo/services.py:4 in s"]


@pytest.mark.parametrize(("cls", "status", "code"), [
    (Invalid, 400, "invalid"), (NotFound, 404, "not_found"), (Forbidden, 403, "forbidden"),
    (OutOfScope, 403, "out_of_scope"), (Conflict, 409, "conflict"), (ScopeError, 403, "out_of_scope"),
])
def test_each_error_kind_carries_its_status_code_and_field(cls, status, code):
    err = cls("“年度”应在 1900 至 2100 之间", field="year")
    assert isinstance(err, ShequError) and not isinstance(err, ValueError)
    assert (err.status, err.code, err.field, str(err)) == (status, code, "year", "“年度”应在 1900 至 2100 之间")
    assert err.as_dict()["message"] == "“年度”应在 1900 至 2100 之间"


def test_every_area_error_is_an_application_error():
    from shequ.assessment.services import AssessmentError
    from shequ.common.imports import ImportRefused
    from shequ.growth.careers.services import CareersError
    from shequ.growth.training.services import TrainingError
    from shequ.insights.whatif import WhatIfError
    from shequ.org.services import OrgError
    from shequ.pay.services import PayRunError
    from shequ.quota.services import QuotaError
    from shequ.recruitment.services import RecruitmentError
    from shequ.rules.errors import PolicyError
    from shequ.workers.services import WorkerError

    for cls in (AssessmentError, ImportRefused, CareersError, TrainingError, WhatIfError, OrgError, PayRunError,
                QuotaError, RecruitmentError, PolicyError, WorkerError):
        assert issubclass(cls, ShequError), cls


@pytest.mark.django_db
def test_a_refused_page_write_goes_back_with_the_chinese_reason():
    from django.contrib.messages.storage.fallback import FallbackStorage

    from shequ.common.middleware import ShequErrorMiddleware

    request = RequestFactory().post("/workers/new", HTTP_REFERER="http://testserver/workers/new?x=1")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    response = ShequErrorMiddleware(lambda r: None).process_exception(request, Invalid("请填写“姓名”", field="name"))  # type: ignore[arg-type,return-value]
    assert response is not None and response.status_code == 303
    assert response["Location"] == "http://testserver/workers/new?x=1"
    assert [str(m) for m in request._messages] == ["未保存：请填写“姓名”"]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_missing_object_on_a_page_is_a_chinese_404():
    from django.contrib.auth.models import AnonymousUser

    from shequ.common.middleware import ShequErrorMiddleware

    request = RequestFactory().get("/x")
    request.user = AnonymousUser()
    response = ShequErrorMiddleware(lambda r: None).process_exception(request, NotFound("没有这个单位"))  # type: ignore[arg-type,return-value]
    assert response is not None and response.status_code == 404
    assert "没有这个单位" in response.content.decode()
