"""`shequ quota | place | assess | policy` on .xlsx and .csv files (FORMATS.md)."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from shequ.cli import build_parser, main
from shequ.sheets import make_id_number, read_sheet
from shequ.sheets.validate import MISSING_COLUMN, NOT_IN

ID1 = make_id_number("222404", dt.date(1985, 3, 2), 1, "男")
ID2 = make_id_number("222404", dt.date(1990, 7, 9), 2, "女")
ROSTER_HEAD = ["姓名", "身份证号", "所属单位", "人员类别", "岗位", "学历", "参加社区工作时间", "职业资格", "等级", "联系电话"]
ROSTER_ROWS = [
    ["张三", ID1, "河南社区", "两委成员", "正职", "高中", "2008-05-01", "无", "10", "138"],
    ["李四", ID2, "河南社区", "专职社区工作者", "副职", "本科", "2015-06-01", "社会工作师", "", "139"],
]


def write_csv(path: Path, head, rows, bom=True):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, head, rows):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for j, h in enumerate(head):
        ws.write(0, j, h)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if v != "":
                ws.write(i, j, v)
    wb.close()
    return path


def xlsx_rows(path: Path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def test_place_on_csv_adds_grade_components_total_and_basis(tmp_path, capsys):
    roster = write_csv(tmp_path / "r.csv", ROSTER_HEAD, ROSTER_ROWS)
    out = tmp_path / "out.csv"
    assert main(["place", "--policy", "hunchun", "--roster", str(roster), "--on", "2025-01-01", "-o", str(out)]) == 0
    df = read_sheet(out)
    assert df.columns[:10] == ROSTER_HEAD
    assert df.columns[10:] == ["岗位工资", "级别工资", "学历津贴", "职业资格津贴", "应发合计", "计算依据", "_row"]
    assert df["等级"].to_list() == ["10", "8"]
    assert df["应发合计"].to_list() == ["4700.0", "4560.0"]
    assert df["联系电话"].to_list() == ["138", "139"]
    assert "P-BASE 级别工资" in df["计算依据"][0]
    assert "人数 2，月应发合计 9,260 元，人均 4,630 元" in capsys.readouterr().out


def test_place_reads_xlsx_with_english_headers_and_writes_xlsx(tmp_path):
    head = ["name", "id_number", "unit", "category", "post", "education", "community_work_start", "certificate", "grade"]
    rows = [r[:9] for r in ROSTER_ROWS]
    roster = write_xlsx(tmp_path / "r.xlsx", head, rows)
    out = tmp_path / "out.xlsx"
    assert main(["place", "--policy", "hunchun", "--roster", str(roster), "--on", "2025-01-01", "-o", str(out)]) == 0
    got = xlsx_rows(out)
    assert got[0][:9] == head and got[0][9:] == ["岗位工资", "级别工资", "学历津贴", "职业资格津贴", "应发合计", "计算依据"]
    assert got[1][13] == 4700


def test_a_bad_sheet_is_refused_naming_row_and_column_and_writes_nothing(tmp_path, capsys):
    rows = [list(r) for r in ROSTER_ROWS]
    rows[1][1] = ID2[:-1] + ("0" if ID2[-1] != "0" else "1")  # wrong check digit
    rows[0][4] = "村长"                                          # unknown post
    rows[0][5] = "大学"                                          # unknown education
    roster = write_csv(tmp_path / "r.csv", ROSTER_HEAD, rows, bom=False)
    out = tmp_path / "out.xlsx"
    assert main(["place", "--policy", "hunchun", "--roster", str(roster), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行「岗位」：" + NOT_IN.format(value="村长", what="岗位", options="正职、副职、一般") in err
    assert "第 2 行「学历」：「大学」不是有效的学历" in err
    assert "第 3 行「身份证号」：身份证号校验码不符" in err
    assert "发现 3 处错误，未生成输出文件" in err
    assert not out.exists()


def test_a_missing_column_is_refused(tmp_path, capsys):
    head = [h for h in ROSTER_HEAD if h != "学历"]
    rows = [[v for h, v in zip(ROSTER_HEAD, r, strict=True) if h != "学历"] for r in ROSTER_ROWS]
    roster = write_csv(tmp_path / "r.csv", head, rows)
    out = tmp_path / "out.csv"
    assert main(["place", "--policy", "hunchun", "--roster", str(roster), "-o", str(out)]) == 1
    assert "第 1 行「学历」：" + MISSING_COLUMN.format(header="学历") in capsys.readouterr().err
    assert not out.exists()


def test_quota_with_roster_adds_quota_headcount_vacant_and_over(tmp_path):
    units = write_csv(tmp_path / "u.csv", ["单位名称", "上级单位", "单位类型", "户数", "常住人口"], [
        ["靖和街道", "", "街道", "", ""], ["河南社区", "靖和街道", "城市社区", "4100", "9800"],
        ["新安社区", "靖和街道", "城市社区", "2800", "8500"]])
    roster = write_csv(tmp_path / "r.csv", ROSTER_HEAD, ROSTER_ROWS)
    out = tmp_path / "q.xlsx"
    assert main(["quota", "--policy", "hunchun", "--units", str(units), "--roster", str(roster), "--on", "2025-01-01", "-o", str(out)]) == 0
    got = xlsx_rows(out)
    assert got[0] == ["单位名称", "上级单位", "单位类型", "户数", "常住人口", "核定员额", "计算依据", "实有人数", "空缺", "超编"]
    assert [r[5] for r in got[1:]] == ["", 11, 9]
    assert [r[7:] for r in got[2:]] == [[2, 9, 0], [0, 9, 0]]


def test_quota_refuses_a_unit_missing_a_fact_the_rule_needs(tmp_path, capsys):
    units = write_csv(tmp_path / "u.csv", ["单位名称", "单位类型", "户数", "常住人口"], [["河南社区", "城市社区", "", "9800"]])
    assert main(["quota", "--policy", "hunchun", "--units", str(units), "-o", str(tmp_path / "q.csv")]) == 1
    assert "第 2 行「户数」：政策「hunchun」的员额规则需要此项" in capsys.readouterr().err


def test_assess_adds_action_and_new_grade(tmp_path):
    roster = write_csv(tmp_path / "r.csv", ["姓名", "身份证号", "所属单位", "人员类别", "岗位", "学历", "参加社区工作时间", "等级"], [
        ["张三", ID1, "甲社区", "专职社区工作者", "主办", "本科", "2015-01-01", "6"],
        ["李四", ID2, "甲社区", "专职社区工作者", "助理", "高中", "2020-01-01", "3"]])
    results = write_csv(tmp_path / "a.csv", ["身份证号", "年度", "考核等次"], [
        [ID1, "2022", "优秀"], [ID1, "2023", "优秀"], [ID1, "2024", "优秀"], [ID2, "2023", "不合格"], [ID2, "2024", "不合格"]])
    out = tmp_path / "o.csv"
    assert main(["assess", "--policy", "baohe", "--roster", str(roster), "--results", str(results), "--year", "2024", "-o", str(out)]) == 0
    df = read_sheet(out)
    assert df["处理"].to_list() == ["晋升一级；优先晋升", "解聘"]
    assert df["新等级"].to_list() == ["7", "3"]


def test_assess_refuses_a_result_for_someone_not_on_the_roster(tmp_path, capsys):
    roster = write_csv(tmp_path / "r.csv", ROSTER_HEAD, ROSTER_ROWS[:1])
    results = write_csv(tmp_path / "a.csv", ["身份证号", "年度", "考核等次"], [[ID2, "2024", "称职"]])
    out = tmp_path / "o.csv"
    assert main(["assess", "--policy", "hunchun", "--roster", str(roster), "--results", str(results), "--year", "2024", "-o", str(out)]) == 1
    assert "第 2 行「身份证号」：身份证号不在花名册中" in capsys.readouterr().err
    assert not out.exists()


def test_policy_check_prints_a_summary(capsys):
    assert main(["policy", "check", "baohe"]) == 0
    out = capsys.readouterr().out
    assert "政策：合肥市包河区专职社区工作人员员额制管理（baohe）版本 1.0.0" in out
    assert "主管 7–18 级" in out and "校验通过" in out
    assert "等级阶梯：共 18 级" in out  # G-LEN


def test_policy_check_refuses_a_post_range_beyond_the_ladder_g_len(tmp_path, capsys):
    """G-LEN: Baohe's ladder has 18 grades; a 主管 range up to 19 is a check error naming post and line."""
    bad = tmp_path / "long.toml"
    bad.write_text('[policy]\nid = "x"\nname = "x"\nsource = "x"\nversion = "1"\nextends = "baohe"\nsince = 2024-01-01\n\n'
                   '[posts."主管"]\nsource = "003"\ngrade_min = 7\ngrade_max = 19\n', encoding="utf-8")
    assert main(["policy", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "long.toml 第12行" in err and "岗位「主管」的等级范围 7—19 超出等级阶梯（共 18 级）" in err


def test_policy_check_reports_a_broken_file_with_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[policy]\nid = "x"\nname = "x"\nsource = "x"\nversion = "1"\nextends = "baohe"\nsince = 2024-01-01\n\n[[pay.components]]\nname = "甲"\nassumed = true\nformula = "grade * 乙"\n', encoding="utf-8")
    assert main(["policy", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml 第12行" in err and "未知名称「乙」" in err


def test_policy_diff_lists_changes_in_chinese(tmp_path, capsys):
    child = tmp_path / "baohe2.toml"
    child.write_text('[policy]\nid = "baohe"\nname = "合肥市包河区专职社区工作人员员额制管理"\nsource = "003"\nversion = "1.1.0"\nextends = "baohe"\nsince = 2025-01-01\n\n[params.grade_step]\nassumed = true\nvalue = 150\n', encoding="utf-8")
    assert main(["policy", "diff", "baohe", str(child)]) == 0
    out = capsys.readouterr().out
    assert "版本：1.0.0 → 1.1.0" in out
    assert "参数 grade_step：130 → 150（自 2025-01-01 起，假定值）" in out


def test_other_modules_can_register_subcommands():
    names = build_parser()._subparsers._group_actions[0].choices
    assert names is not None
    assert {"quota", "place", "assess", "policy"} <= set(names)


def test_a_missing_optional_module_is_skipped_but_a_broken_one_is_not(monkeypatch, tmp_path):
    import shequ.cli as cli

    monkeypatch.setattr(cli, "SUBCOMMAND_MODULES", ["shequ.sheets.commands", "shequ.not_written_yet"])
    cli.build_parser()
    (tmp_path / "broken_mod.py").write_text("import module_that_does_not_exist\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "SUBCOMMAND_MODULES", ["broken_mod"])
    with pytest.raises(ModuleNotFoundError):
        cli.build_parser()


def test_assess_reads_points_and_the_negative_list_from_the_results_sheet(tmp_path):
    roster = write_csv(tmp_path / "r.csv", ["姓名", "身份证号", "所属单位", "人员类别", "岗位", "学历", "参加社区工作时间", "等级"], [
        ["张三", ID1, "迎宾社区", "专职社区工作者", "一般", "本科", "2021-03-01", "4"],
        ["李四", ID2, "迎宾社区", "专职社区工作者", "一般", "本科", "2021-03-01", "4"]])
    results = write_csv(tmp_path / "a.csv", ["身份证号", "年度", "得分", "负面清单"], [
        [ID1, "2023", "91", "违反廉洁纪律"], [ID2, "2023", "80", ""]])
    out = tmp_path / "o.csv"
    assert main(["assess", "--policy", "baixiang", "--roster", str(roster), "--results", str(results), "--year", "2023", "-o", str(out)]) == 0
    df = read_sheet(out)
    # The dismissed worker is not ranked, so the one who stays is alone and not "last".
    assert df["处理"].to_list() == ["解聘", "晋升一级"]
    assert df["新等级"].to_list() == ["4", "5"]


def test_policy_check_runs_cases_against_the_file_and_fails_on_a_wrong_one(tmp_path, capsys):
    cases = tmp_path / "cases.toml"
    cases.write_text(
        '[[cases]]\nname = "A 正职 at grade 10 is paid 4,700 (P-BASE)"\nkind = "pay"\non = 2021-01-01\n'
        'input = [{ post = "正职", grade = 10, years = 5, education = "高中", certificate = "无" }]\n'
        'expect = [{ "应发合计" = 4700.0 }]\n\n'
        '[[cases]]\nname = "A wrong expectation is reported (P-BASE)"\nkind = "pay"\non = 2021-01-01\n'
        'input = [{ post = "正职", grade = 10, years = 5, education = "高中", certificate = "无" }]\n'
        'expect = [{ "应发合计" = 4800.0 }]\n', encoding="utf-8")
    assert main(["policy", "check", "hunchun", "--cases", str(cases)]) == 1
    captured = capsys.readouterr()
    assert "通过：A 正职 at grade 10 is paid 4,700 (P-BASE)" in captured.out
    assert "应发合计：期望 4800.0，实际 4700.0" in captured.err
    assert "用例 2 条：通过 1 条，未通过 1 条" in captured.out
