"""Errors of the rules engine. Messages are constants so tests can assert them by text."""

from __future__ import annotations

from shequ.errors import Invalid


class PolicyError(Invalid):
    """A policy that cannot be loaded or evaluated. The message names file, place and reason."""

    def __init__(self, message: str, *, file: str = "", place: str = "", line: int | None = None):
        self.file = file
        self.place = place
        self.line = line
        self.reason = message
        where = file
        if line is not None:
            where = f"{where} 第{line}行" if where else f"第{line}行"
        if place:
            where = f"{where}「{place}」" if where else f"「{place}」"
        super().__init__(f"{where}：{message}" if where else message, field=place or None)


# Loading
FILE_NOT_FOUND = "找不到政策文件或预置政策：{name}"
TOML_SYNTAX = "TOML 语法错误：{detail}"
NOT_UTF8 = "文件不是 UTF-8 编码（请在编辑器中另存为 UTF-8）"
EXTENDS_CYCLE = "继承（extends）形成循环：{chain}"
MISSING_PROVENANCE = "取值缺少来源：请写 source（种子编号或文件名）或 assumed = true"
MISSING_SINCE = "取值缺少生效日期 since"
BAD_VALUE = "取值不合法：{detail}"
UNKNOWN_KEY = "未知字段「{key}」"
NO_VALUE_IN_FORCE = "{date} 时没有生效的取值"
POST_RANGE = "岗位「{post}」的等级范围不合法：最低 {lo} 高于最高 {hi}"
POST_BEYOND_LADDER = "岗位「{post}」的等级范围 {lo}—{hi} 超出等级阶梯（共 {levels} 级）"
UNKNOWN_POST_REF = "引用了未定义的岗位「{post}」"

# Formulas
FORMULA_SYNTAX = "公式「{formula}」语法错误：{detail}"
FORMULA_NODE = "公式「{formula}」第{col}列：不允许使用「{node}」"
FORMULA_UNKNOWN_NAME = "公式「{formula}」第{col}列：未知名称「{name}」"
FORMULA_UNKNOWN_FUNC = "公式「{formula}」第{col}列：未知函数「{name}」"
FORMULA_ARITY = "公式「{formula}」第{col}列：函数 {name} 的参数个数不对（{detail}）"
FORMULA_NOT_TABLE = "公式「{formula}」第{col}列：「{name}」不是查找表，不能用于 lookup"
FORMULA_TABLE_AS_NUMBER = "公式「{formula}」第{col}列：查找表「{name}」只能作为 lookup 的第一个参数"
FORMULA_BAND_KEYS = "公式「{formula}」第{col}列：分档表「{name}」的键必须是各档的下限（数字）"
FORMULA_CYCLE = "公式之间循环引用：{cycle}"
FORMULA_TYPE = "公式「{formula}」第{col}列：{detail}"
FORMULA_RESULT = "公式「{formula}」算出的是{got}，{what}需要数字"
FORMULA_LITERAL = ("公式「{formula}」第{col}列：数字 {value} 没有来源；请把它写成 [params] 中的参数，"
                   "并注明 source 或 assumed = true（公式里只可直接写 0、1、round 的位数和 10、100、10000 这类换算倍数）")

# Evaluation
NO_QUOTA_RULE = "政策没有定义员额规则（quota）"
NO_PLACEMENT_RULE = "政策没有定义定级规则（placement）"
NO_DISPATCH_RULE = "政策没有规定劳务派遣人员转岗（dispatch）"
MISSING_COLUMNS = "缺少列：{columns}"
LOOKUP_MISS = "「{rule}」算不出值：第 {index} 行（{who}）在查找表中没有对应项，或缺少公式要读的输入"
NOT_FINITE = "「{rule}」算不出有限的数：第 {index} 行（{who}）出现了除以零或数值溢出，请检查公式和参数"
UNKNOWN_TIER = "不认识的考核等次「{tier}」"
