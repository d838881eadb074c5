"""Apps keep to each other's public names and tables: no import of an underscore name
across apps, and no SQL text that names another app's tables (pay, insights and the rest
read workers, units and assessment results through those apps' selectors)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "shequ").rglob("*.py")), *sorted((ROOT / "bench").rglob("*.py")),
           *sorted((ROOT / "tests").rglob("*.py"))]
# Table prefixes are the app labels; growth's apps are labelled by their own name.
TABLE_OWNERS = {"workers_": "workers", "org_": "org", "assessment_": "assessment", "policy_": "policy",
                "pay_": "pay", "quota_": "quota"}
SQL = re.compile(r"\b(SELECT|FROM|JOIN|INTO|UPDATE|COPY)\b\s+(\w+)", re.IGNORECASE)


def _app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "shequ" or len(parts) < 2:
        return None
    return ".".join(parts[1:3]) if parts[1] == "growth" and len(parts) > 2 else parts[1]


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _private_imports(path: Path, text: str | None = None) -> list[str]:
    importer = _app(_module_of(path))
    found = []
    for node in ast.walk(ast.parse(text if text is not None else path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            owner = _app(node.module)
            if owner is None or owner == importer:
                continue
            private_module = any(p.startswith("_") and not p.startswith("__") for p in node.module.split("."))
            names = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if private_module or names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module} import {', '.join(names)}")
    return found


def test_no_module_imports_an_underscore_name_from_another_app() -> None:
    assert [hit for path in SOURCES for hit in _private_imports(path)] == []


def test_the_check_would_see_a_private_import_across_apps() -> None:
    probe = ROOT / "shequ" / "pay" / "probe.py"  # parsed from text, never written
    text = "from shequ.policy.resolve import _compiled\nfrom shequ.pay.compute import _pay_group\n"
    assert _private_imports(probe, text) == ["shequ/pay/probe.py:1 from shequ.policy.resolve import _compiled"]


def _foreign_tables(path: Path, text: str | None = None) -> list[str]:
    module = _module_of(path)
    if "migrations" in module or not module.startswith("shequ."):
        return []
    importer = _app(module)
    found = []
    for node in ast.walk(ast.parse(text if text is not None else path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for _, table in SQL.findall(node.value):
                owner = next((app for prefix, app in TABLE_OWNERS.items() if table.lower().startswith(prefix)), None)
                if owner is not None and owner != importer:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} names {table}")
    return found


def test_no_sql_text_outside_an_app_names_its_tables() -> None:
    assert [hit for path in SOURCES for hit in _foreign_tables(path)] == []


def test_the_check_would_see_a_foreign_table_in_sql() -> None:
    probe = ROOT / "shequ" / "pay" / "probe.py"  # parsed from text, never written
    text = 'SQL = "SELECT w.id FROM workers_worker w JOIN org_unit u ON u.id = w.unit_id JOIN pay_payrun r"\n'
    assert _foreign_tables(probe, text) == ["shequ/pay/probe.py:1 names workers_worker", "shequ/pay/probe.py:1 names org_unit"]
