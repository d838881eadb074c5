"""The acting user is typed, so mypy checks every call that passes one (issue 11, point 6)."""

import ast
from pathlib import Path

from django.http import HttpRequest

from shequ.accounts.types import AuthedRequest

SHEQU = Path(__file__).resolve().parents[2] / "shequ"
ACTING_USER_NAMES = {"actor", "user"}


def _untyped_acting_users() -> list[str]:
    found = []
    for path in sorted(SHEQU.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                if arg.arg not in ACTING_USER_NAMES:
                    continue
                note = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                if note in ("", "Any", "object", "typing.Any"):
                    found.append(f"{path.relative_to(SHEQU.parent)}:{node.lineno} {node.name}({arg.arg}: {note or '?'})")
    return found


def test_no_parameter_for_the_acting_user_is_typed_any_or_left_bare():
    assert _untyped_acting_users() == []


def test_the_check_finds_an_acting_user_typed_any(tmp_path, monkeypatch):
    (tmp_path / "shequ").mkdir()
    (tmp_path / "shequ" / "m.py").write_text("def worker_touch(*, actor: Any) -> None: ...\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["SHEQU"]), "SHEQU", tmp_path / "shequ")
    assert _untyped_acting_users() == ["shequ/m.py:1 worker_touch(actor: Any)"]


def test_the_authenticated_request_is_the_plain_request_at_run_time():
    # Ninja reads handler annotations at import time: the type must exist and change nothing.
    assert AuthedRequest is HttpRequest
