"""Types of formulas, inferred when a policy loads, so a policy that passes check runs.

Every value a formula reads has a type: a number, a truth value, a date, or a word of a
vocabulary (岗位, 学历, 职业资格, 考核等次, …). Combining text with a number, comparing a
tier with a word that is not a tier, looking a table up by a key that cannot come from
its vocabulary, or using a truth value as a number are refused here, in Chinese, with
the column and the name, instead of failing later inside Polars.

Numbers written inside a formula bypass the source/assumed rule of parameters, so only
structural ones are accepted: 0 and 1, the digits of round(), and powers of ten as a
factor or divisor (unit conversions such as 每万人). Any other number must be a parameter
with its source.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from shequ.rules import errors as E
from shequ.rules.errors import PolicyError
from shequ.rules.formula import Formula, char_col

Kind = Literal["number", "bool", "text", "date"]


@dataclass(frozen=True)
class Type:
    """A formula value's type; text may carry the vocabulary its words come from."""

    kind: Kind
    vocab: str = ""  # Chinese name of the vocabulary, e.g. "学历"
    words: frozenset[str] | None = None  # None: any word

    def label(self) -> str:
        if self.kind == "text":
            return f"文字（{self.vocab}）" if self.vocab else "文字"
        return {"number": "数字", "bool": "真假值", "date": "日期"}[self.kind]


NUMBER = Type("number")
BOOL = Type("bool")
TEXT = Type("text")


def vocabulary(name: str, words: Any) -> Type:
    return Type("text", name, frozenset(str(w) for w in words))


STRUCTURAL = {0, 1}
UNIT_FACTORS = {10, 100, 1000, 10000, 100000}


def _table_keys(entries: list[Any]) -> tuple[set[str], set[str] | None]:
    """Keys of a table over all its dated values: (first level, second level or None)."""
    first: set[str] = set()
    second: set[str] | None = None
    for t in entries:
        if not isinstance(t, Mapping):
            continue
        for k, v in t.items():
            first.add(str(k))
            if isinstance(v, Mapping):
                second = (second or set()) | {str(x) for x in v}
    return first, second


def _is_number_word(w: str) -> bool:
    return w.lstrip("-").replace(".", "", 1).isdigit()


class _Checker:
    def __init__(self, f: Formula, names: Mapping[str, Type], tables: Mapping[str, list[Any]]):
        self.f = f
        self.names = names
        self.tables = tables

    def fail(self, node: ast.AST, message: str) -> PolicyError:
        return PolicyError(E.FORMULA_TYPE.format(formula=self.f.text, col=char_col(self.f, node), detail=message),
                           file=self.f.file, place=self.f.place)

    def show(self, node: ast.AST) -> str:
        return ast.unparse(node).replace("IF(", "if(")

    def number(self, node: ast.AST, why: str, factor: bool = False) -> None:
        t = self.infer(node, factor)
        if t.kind == "bool":
            raise self.fail(node, f"「{self.show(node)}」是真假值，不能当数字用（{why}）")
        if t.kind != "number":
            raise self.fail(node, f"「{self.show(node)}」是{t.label()}，不能{why}")

    def boolean(self, node: ast.AST, why: str) -> None:
        t = self.infer(node)
        if t.kind != "bool":
            raise self.fail(node, f"「{self.show(node)}」是{t.label()}，{why}需要真假值（比较或 and/or/not）")

    def literal(self, node: ast.Constant, factor: bool) -> None:
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return
        if v in STRUCTURAL or (factor and v in UNIT_FACTORS):
            return
        raise PolicyError(E.FORMULA_LITERAL.format(formula=self.f.text, col=char_col(self.f, node), value=self.show(node)),
                          file=self.f.file, place=self.f.place)

    def word_in(self, t: Type, word: Any, node: ast.AST) -> None:
        if t.kind == "number":
            if isinstance(word, str) or isinstance(word, bool):
                raise self.fail(node, f"数字不能与文字「{word}」比较")
            return
        if t.kind == "text":
            if not isinstance(word, str):
                raise self.fail(node, f"{t.label()}不能与数字 {word} 比较")
            if t.words is not None and word not in t.words:
                raise self.fail(node, f"「{word}」不是{t.vocab}（可用：{'、'.join(sorted(t.words))}）")

    def infer(self, node: ast.AST, factor: bool = False) -> Type:
        if isinstance(node, ast.Expression):
            return self.infer(node.body)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return BOOL
            if isinstance(node.value, (int, float)):
                self.literal(node, factor)
                return NUMBER
            return TEXT
        if isinstance(node, ast.Name):
            return self.names.get(node.id, NUMBER)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self.boolean(node.operand, "not ")
                return BOOL
            self.number(node.operand, "取负号", factor)
            return NUMBER
        if isinstance(node, ast.BinOp):
            op = {ast.Add: "相加（+）", ast.Sub: "相减（-）", ast.Mult: "相乘（*）", ast.Div: "相除（/）",
                  ast.FloorDiv: "整除（//）", ast.Mod: "取余（%）", ast.Pow: "乘方（**）"}.get(type(node.op), "运算")
            scaling = isinstance(node.op, (ast.Mult, ast.Div))
            for side in (node.left, node.right):
                self.number(side, f"参与{op}", scaling)
            return NUMBER
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                self.boolean(v, "and/or ")
            return BOOL
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node, node.func.id)
        if isinstance(node, (ast.Tuple, ast.List)):
            raise self.fail(node, "(甲, 乙, …) 这样的列表只能写在 in 后面")
        return NUMBER

    def compare(self, node: ast.Compare) -> Type:
        left_node: ast.AST = node.left
        left = self.infer(left_node)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(comp, (ast.Tuple, ast.List)):
                    raise self.fail(comp, "in 后面必须是 (甲, 乙, …)")
                if isinstance(comp, (ast.Tuple, ast.List)):
                    for e in comp.elts:
                        if isinstance(e, ast.Constant):
                            self.word_in(left, e.value, e)
                continue
            right = self.infer(comp)
            if isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
                for n, t in ((left_node, left), (comp, right)):
                    if t.kind != "number":
                        hint = "（比较等次高低请用 last_tier_rank）" if t.vocab == "考核等次" else ""
                        raise self.fail(n, f"「{self.show(n)}」是{t.label()}，不能比较大小{hint}")
            else:
                self.same(left_node, left, comp, right)
            left_node, left = comp, right
        return BOOL

    def same(self, a_node: ast.AST, a: Type, b_node: ast.AST, b: Type) -> None:
        if a.kind != b.kind:
            raise self.fail(b_node, f"「{self.show(a_node)}」是{a.label()}，「{self.show(b_node)}」是{b.label()}，不能比较")
        if a.kind != "text":
            return
        if isinstance(b_node, ast.Constant):
            self.word_in(a, b_node.value, b_node)
        elif isinstance(a_node, ast.Constant):
            self.word_in(b, a_node.value, a_node)
        elif a.vocab and b.vocab and a.vocab != b.vocab:
            raise self.fail(b_node, f"「{self.show(a_node)}」是{a.vocab}，「{self.show(b_node)}」是{b.vocab}，不能比较")

    def call(self, node: ast.Call, name: str) -> Type:
        args = node.args
        if name == "IF":
            self.boolean(args[0], "if 的条件")
            then, other = self.infer(args[1]), self.infer(args[2])
            if then.kind != other.kind:
                raise self.fail(args[2], f"if 的两个结果类型不同：「{self.show(args[1])}」是{then.label()}，「{self.show(args[2])}」是{other.label()}")
            return then if then == other else Type(then.kind)
        if name == "lookup":
            return self.lookup(node)
        if name == "round" and len(args) == 2:
            self.number(args[0], f"作为 {name} 的参数")
            return NUMBER
        for arg in args:
            self.number(arg, f"作为 {name} 的参数")
        return NUMBER

    def lookup(self, node: ast.Call) -> Type:
        head = node.args[0]
        assert isinstance(head, ast.Name)
        entries = self.tables.get(head.id, [])
        first, second = _table_keys(entries)
        levels = [first] if second is None else [first, second]
        if len(node.args) - 1 not in (len(levels), len(levels) + 1):
            raise self.fail(node, f"查找表「{head.id}」需要 {len(levels)} 个键（可再加一个缺省值），给了 {len(node.args) - 1} 个参数")
        keys = node.args[1:1 + len(levels)]
        for key_node, words in zip(keys, levels, strict=False):
            if isinstance(key_node, ast.Constant):
                if str(key_node.value) not in words and len(node.args) <= 1 + len(levels):
                    raise self.fail(key_node, f"查找表「{head.id}」中没有键「{key_node.value!s}」")
                continue
            t = self.infer(key_node)
            if t.kind == "bool":
                raise self.fail(key_node, f"「{self.show(key_node)}」是真假值，不能作为查找表「{head.id}」的键")
            if t.kind == "number":
                bad = sorted(w for w in words if not _is_number_word(w))
                if bad:
                    raise self.fail(key_node, f"「{self.show(key_node)}」是数字，查找表「{head.id}」的键却是文字（{'、'.join(bad[:5])}）")
                continue
            if t.words is not None:
                bad = sorted(w for w in words if w not in t.words)
                if bad:
                    raise self.fail(key_node, f"查找表「{head.id}」的键「{'、'.join(bad[:5])}」不是{t.vocab}，"
                                              f"按「{self.show(key_node)}」查不到（可用：{'、'.join(sorted(t.words))}）")
        if len(node.args) > 1 + len(levels):
            default = node.args[1 + len(levels)]
            self.number(default, f"作为查找表「{head.id}」的缺省值")
        return NUMBER


def infer(formula: Formula, names: Mapping[str, Type], tables: Mapping[str, list[Any]]) -> Type:
    """The type of a formula's value; raises PolicyError naming the column and the name."""
    return _Checker(formula, names, tables).infer(formula.tree)


def expect_number(formula: Formula, t: Type, what: str) -> None:
    if t.kind != "number":
        raise PolicyError(E.FORMULA_RESULT.format(formula=formula.text, got=t.label(), what=what),
                          file=formula.file, place=formula.place)
