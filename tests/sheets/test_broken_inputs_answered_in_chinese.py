"""A held-back set of broken policies and sheets (issue 17): each is answered by the CLI
with a non-zero exit and a Chinese message naming the line or field, never a traceback
or English library text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shequ.cli import INTERNAL_ERROR, main
from tests.sheets.test_cli_on_files import ROSTER_HEAD, ROSTER_ROWS

HEAD = '[policy]\nid = "x"\nname = "试行政策"\nsource = "x"\nversion = "1"\nextends = "hunchun"\nsince = 2024-01-01\n'
COMPONENT = '\n[[pay.components]]\nname = "新补贴"\nassumed = true\nformula = {formula}\n'

BROKEN_POLICIES = {
    "text plus a number": (HEAD + COMPONENT.format(formula='"certificate + 300"'), ["第12行", "「certificate」是文字（职业资格）"]),
    "a tier outside the vocabulary": (HEAD + '\n[assessment]\nassumed = true\nstep_min_tier = "良好"\n', ["第11行", "不认识的考核等次「良好」"]),
    "an unclosed bracket in a formula": (HEAD + COMPONENT.format(formula='"round((grade - 1) * grade_step, 2"'), ["第12行", "括号「(」没有闭合"]),
    "a missing quote in a formula": (HEAD + COMPONENT.format(formula="'if(last_tier == \"优秀, grade_step, 0)'"), ["第12行", "引号没有闭合"]),
    "a missing quote in the file": (HEAD + '\n[params.x]\nassumed = true\nvalue = "3\n', ["第11行", "引号没有闭合"]),
    "an unclosed bracket in the file": (HEAD + '\n[params.x]\nassumed = true\nvalue = { "本科" = 1\n', ["第11行", "花括号「{」没有闭合"]),
    "a duplicate key": (HEAD + '\n[params.x]\nassumed = true\nassumed = false\nvalue = 1\n', ["第11行", "重复的键"]),
    "a bad indent in a formula": (HEAD + COMPONENT.format(formula='"""grade_step\n   + grade"""'), ["多余的缩进"]),
    "a number without a source": (HEAD + COMPONENT.format(formula='"grade * 35"'), ["第12行", "数字 35 没有来源"]),
    "a lookup by the wrong vocabulary": (HEAD + COMPONENT.format(formula='"lookup(post_pay, education, 0)"'), ["查找表「post_pay」的键", "不是学历"]),
}
ENGLISH = re.compile(r"[A-Za-z]{4,} [A-Za-z]{4,}")


def answered_in_chinese(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0, err
    assert "Traceback" not in err and INTERNAL_ERROR not in err and not ENGLISH.search(err), err
    return err


@pytest.mark.parametrize("case", list(BROKEN_POLICIES))
def test_a_broken_policy_is_refused_by_check_and_by_place_in_chinese(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = BROKEN_POLICIES[case]
    policy = tmp_path / "试行.toml"
    policy.write_text(text, encoding="utf-8")
    err = answered_in_chinese(capsys, ["policy", "check", str(policy)])
    assert all(e in err for e in expected), err
    roster = tmp_path / "r.csv"
    roster.write_text("\n".join(",".join(r) for r in [ROSTER_HEAD, *ROSTER_ROWS]), encoding="utf-8")
    err = answered_in_chinese(capsys, ["place", "--policy", str(policy), "--roster", str(roster), "--on", "2025-01-01", "-o", str(tmp_path / "o.csv")])
    assert all(e in err for e in expected), err


BROKEN_SHEETS = {
    "garbage bytes": (bytes(range(256)) * 4, "UTF-8"),
    "an empty file": (b"", "表头"),
    "an unclosed quote": (("\n".join(",".join(r) for r in [ROSTER_HEAD, *ROSTER_ROWS]) + '\n"王五,').encode("utf-8"), "行"),
}


@pytest.mark.parametrize("case", list(BROKEN_SHEETS))
def test_a_broken_roster_is_refused_in_chinese(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, expected = BROKEN_SHEETS[case]
    roster = tmp_path / "花名册.csv"
    roster.write_bytes(content)
    err = answered_in_chinese(capsys, ["place", "--policy", "hunchun", "--roster", str(roster), "-o", str(tmp_path / "o.csv")])
    assert expected in err, err


def test_a_corrupt_xlsx_is_refused_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(b"PK\x03\x04 not really a workbook")
    err = answered_in_chinese(capsys, ["place", "--policy", "hunchun", "--roster", str(roster), "-o", str(tmp_path / "o.csv")])
    assert "无法读取文件「花名册.xlsx」" in err


def test_a_stray_cr_inside_a_cell_is_dropped_not_a_csv_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invisible CR inside a cell (left by some editors) used to raise _csv.Error."""
    roster = tmp_path / "花名册.csv"
    roster.write_bytes("\n".join(",".join(r) for r in [ROSTER_HEAD, *ROSTER_ROWS]).replace("高中", "高\r中").encode("utf-8"))
    out = tmp_path / "o.csv"
    assert main(["place", "--policy", "hunchun", "--roster", str(roster), "--on", "2025-01-01", "-o", str(out)]) == 0
    assert "高中" in out.read_text(encoding="utf-8-sig")
