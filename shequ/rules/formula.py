"""The policy formula language: a small, safe expression language compiled to Polars.

Formulas are parsed with Python's ``ast`` and only the node types listed in ``_ALLOWED``
are accepted; nothing is ever passed to ``eval``. A formula is checked once when its
policy loads (unknown names, bad arity, lookups on non-tables) and turned into a Polars
expression once per evaluation date, when the parameter values in force are known.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from shequ.rules import errors as E
from shequ.rules.errors import PolicyError

# `if` is a Python keyword; rewrite `if(` to the same-length `IF(` so offsets stay true.
_IF_CALL = re.compile(r"(?<![\w])if(?=\s*\()")

_BINOPS: dict[type, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: (a / b).floor(),
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}
_CMPOPS: dict[type, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_ALLOWED: tuple[type, ...] = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Name,
    ast.Constant, ast.Load, ast.Tuple, ast.List, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
    ast.In, ast.NotIn, *_BINOPS, *_CMPOPS,
)
FUNCTIONS = {"IF", "min", "max", "round", "floor", "ceil", "abs", "lookup", "band"}
# Functions whose first argument names a table rather than a value.
TABLE_FUNCTIONS = {"lookup", "band"}
_NODE_NAMES = {ast.Attribute: "属性访问 .", ast.Subscript: "下标 []", ast.Lambda: "lambda",
               ast.IfExp: "x if c else y（请用 if(条件, 甲, 乙)）", ast.Starred: "*"}


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, tree, and the names it reads."""

    text: str
    tree: ast.Expression = field(repr=False, compare=False)
    names: frozenset[str]
    tables: frozenset[str]
    place: str = ""
    file: str = ""


def _err(message: str, formula_text: str, place: str, file: str) -> PolicyError:
    return PolicyError(message, file=file, place=place)


def parse_formula(text: str | int | float, *, place: str = "", file: str = "") -> Formula:
    """Parse and check the shape of a formula; names are checked later by ``check_names``."""
    text = str(text).strip()
    source = _IF_CALL.sub("IF", text)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where = f"第{exc.offset}列：" if exc.offset and (exc.lineno or 1) == 1 else ""
        raise _err(E.FORMULA_SYNTAX.format(formula=text, detail=where + syntax_detail(exc.msg)), text, place, file) from None
    tables: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            col = text_col(text, node)
            label = _NODE_NAMES.get(type(node), type(node).__name__)
            raise _err(E.FORMULA_NODE.format(formula=text, col=col, node=label), text, place, file)
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool)):
            raise _err(E.FORMULA_NODE.format(formula=text, col=text_col(text, node), node=repr(node.value)), text, place, file)
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                raise _err(E.FORMULA_UNKNOWN_FUNC.format(formula=text, col=text_col(text, node), name=name), text, place, file)
            if node.keywords:
                raise _err(E.FORMULA_NODE.format(formula=text, col=text_col(text, node), node="关键字参数"), text, place, file)
            _check_arity(node, text, place, file)
            if node.func.id in TABLE_FUNCTIONS:
                first = node.args[0]
                if not isinstance(first, ast.Name):
                    raise _err(E.FORMULA_ARITY.format(formula=text, col=text_col(text, node), name=node.func.id, detail="第一个参数必须是查找表名"), text, place, file)
                tables.add(first.id)
        if isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                if not isinstance(elt, ast.Constant):
                    raise _err(E.FORMULA_NODE.format(formula=text, col=text_col(text, elt), node="列表中的非常量"), text, place, file)
    skip = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    skip |= {id(n.args[0]) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in TABLE_FUNCTIONS}
    value_names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in skip}
    return Formula(text=text, tree=tree, names=frozenset(value_names), tables=frozenset(tables), place=place, file=file)


# Python's parser messages, in Chinese, for the mistakes an analyst makes writing a formula.
_SYNTAX_ZH: list[tuple[str, str]] = [
    (r"^'(.)' was never closed", "括号「\\1」没有闭合"),
    (r"^unmatched '(.)'", "多了一个右括号「\\1」"),
    (r"^closing parenthesis '(.)' does not match opening parenthesis '(.)'", "右括号「\\1」与左括号「\\2」不配对"),
    (r"^unterminated string literal", "引号没有闭合：文字要写成 \"…\"，两边都有引号"),
    (r"^unterminated triple-quoted string", "引号没有闭合"),
    (r"^unexpected indent", "多余的缩进：公式的续行不要以空格开头（或把整个公式写在一行）"),
    (r"^unindent does not match", "缩进不一致：把公式写在一行"),
    (r"^expected an indented block", "缩进不对：把公式写在一行"),
    (r"^invalid non-printable character U\+3000", "有全角空格，请改成半角空格"),
    (r"^invalid non-printable character", "有不可见的字符，请删除"),
    (r"^invalid character '(.)'", "有全角或不允许的字符「\\1」，请改成半角，如 ( ) , + - * /"),
    (r"Perhaps you forgot a comma", "写法不对：是否漏了逗号？"),
    (r"^cannot assign|^invalid syntax. Maybe you meant '==' ", "写法不对：比较相等请用 ==，公式里不能赋值"),
    (r"^invalid decimal literal", "数字写法不对（数字后面紧跟了文字？）"),
    (r"^leading zeros in decimal", "数字不能以 0 开头"),
]


def syntax_detail(message: str) -> str:
    for pattern, zh in _SYNTAX_ZH:
        m = re.search(pattern, message)
        if m:
            return m.expand(zh)
    return "写法不对（检查括号、逗号、引号和运算符是否完整）"


def _check_arity(node: ast.Call, text: str, place: str, file: str) -> None:
    assert isinstance(node.func, ast.Name)
    name, n = node.func.id, len(node.args)
    ok = {
        "IF": n == 3, "min": n >= 1, "max": n >= 1, "round": n in (1, 2), "floor": n == 1,
        "ceil": n == 1, "abs": n == 1, "lookup": 2 <= n <= 4, "band": n in (2, 3),
    }[name]
    if not ok:
        expected = {"IF": "if(条件, 甲, 乙)", "round": "round(x) 或 round(x, 位数)", "lookup": "lookup(表, 键[, 键2][, 缺省值])",
                    "band": "band(分档表, 数[, 缺省值])"}.get(name, "")
        shown = "if" if name == "IF" else name
        raise _err(E.FORMULA_ARITY.format(formula=text, col=text_col(text, node), name=shown, detail=f"给了 {n} 个；应为 {expected}" if expected else f"给了 {n} 个"), text, place, file)
    if name == "round" and n == 2 and not (isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, int)):
        raise _err(E.FORMULA_ARITY.format(formula=text, col=text_col(text, node), name="round", detail="位数必须是整数常量"), text, place, file)


def text_col(text: str, node: ast.AST) -> int:
    """1-based column of a node in characters (ast counts UTF-8 bytes; names are Chinese)."""
    offset = getattr(node, "col_offset", 0)
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1


def char_col(formula: Formula, node: ast.AST) -> int:
    return text_col(formula.text, node)


def _name_col(formula: Formula, name: str) -> int:
    for node in ast.walk(formula.tree):
        if isinstance(node, ast.Name) and node.id == name:
            return char_col(formula, node)
    return 1


def check_names(formula: Formula, *, values: Iterable[str], tables: Iterable[str]) -> None:
    """Reject names that are neither inputs/parameters/other rules nor known tables."""
    values, tables = set(values), set(tables)
    for name in sorted(formula.tables):
        if name not in tables:
            kind = E.FORMULA_NOT_TABLE if name in values else E.FORMULA_UNKNOWN_NAME
            raise PolicyError(kind.format(formula=formula.text, col=_name_col(formula, name), name=name), file=formula.file, place=formula.place)
    for name in sorted(formula.names):
        if name not in values:
            kind = E.FORMULA_TABLE_AS_NUMBER if name in tables else E.FORMULA_UNKNOWN_NAME
            raise PolicyError(kind.format(formula=formula.text, col=_name_col(formula, name), name=name), file=formula.file, place=formula.place)


def dependency_layers(formulas: Mapping[str, Formula], *, file: str = "", place: str = "") -> list[list[str]]:
    """Order rules by dependencies: each layer only reads earlier layers. Cycles are errors."""
    deps = {k: {n for n in f.names if n in formulas and n != k} for k, f in formulas.items()}
    for k, f in formulas.items():
        if k in f.names:
            raise PolicyError(E.FORMULA_CYCLE.format(cycle=f"{k} → {k}"), file=file or f.file, place=f.place)
    layers: list[list[str]] = []
    done: set[str] = set()
    remaining = dict(deps)
    while remaining:
        ready = [k for k, d in remaining.items() if d <= done]
        if not ready:
            cycle = _find_cycle(remaining)
            first = formulas[cycle[0]]
            raise PolicyError(E.FORMULA_CYCLE.format(cycle=" → ".join(cycle)), file=file or first.file, place=place or first.place)
        layers.append(ready)
        done.update(ready)
        for k in ready:
            del remaining[k]
    return layers


def _find_cycle(deps: Mapping[str, set[str]]) -> list[str]:
    start = next(iter(deps))
    path: list[str] = [start]
    seen = {start: 0}
    node = start
    while True:
        node = next(d for d in sorted(deps[node]) if d in deps)
        if node in seen:
            return path[seen[node]:] + [node]
        seen[node] = len(path)
        path.append(node)


@dataclass
class Env:
    """How names turn into Polars expressions for one evaluation date."""

    value: Callable[[str], pl.Expr]
    table: Callable[[str], Mapping[str, Any]]
    # Called, under a tracer, with each lookup's table, key nodes, key expressions and the
    # found value without the default (null when the key is missing).
    on_lookup: Callable[[str, list[ast.expr], list[pl.Expr], pl.Expr], None] | None = None


def _lit(v: Any) -> pl.Expr:
    return pl.lit(v)


def _table_keys(table: Mapping[Any, Any]) -> list[Any]:
    keys = list(table)
    if keys and all(isinstance(k, int) or (isinstance(k, str) and k.lstrip("-").isdigit()) for k in keys):
        return [int(k) for k in keys]
    return [str(k) for k in keys]


def _lookup(table: Mapping[Any, Any], keys: list[pl.Expr], default: pl.Expr | None) -> pl.Expr:
    nested = any(isinstance(v, Mapping) for v in table.values())
    if nested:
        flat_old: list[str] = []
        flat_new: list[float] = []
        for k1, inner in table.items():
            for k2, v in inner.items():
                flat_old.append(f"{k1}\x1f{k2}")
                flat_new.append(float(v))
        key = pl.concat_str([keys[0].cast(pl.Utf8), keys[1].cast(pl.Utf8)], separator="\x1f")
        return key.replace_strict(flat_old, flat_new, default=default, return_dtype=pl.Float64)
    old = _table_keys(table)
    new = [float(v) for v in table.values()]
    key = keys[0]
    if old and isinstance(old[0], str):
        key = key.cast(pl.Utf8)
    return key.replace_strict(old, new, default=default, return_dtype=pl.Float64)


def band_bounds(formula: Formula, name: str, table: Mapping[Any, Any], *, col: int = 1) -> list[tuple[float, float]]:
    """A band table's (lower bound, value) pairs, lowest first: keys are the bands' lower
    bounds (inclusive), so `{ 0 = 7, 5000 = 8 }` gives 7 below 5,000 and 8 from 5,000."""
    try:
        bands = sorted((float(k), float(v)) for k, v in table.items())
    except (TypeError, ValueError):
        raise PolicyError(E.FORMULA_BAND_KEYS.format(formula=formula.text, col=col, name=name), file=formula.file, place=formula.place) from None
    return bands


def band_value(table: Mapping[Any, Any], x: float) -> tuple[float, float] | None:
    """The (lower bound, value) of the band x falls in, or None below the lowest bound."""
    found = None
    for lower, value in sorted((float(k), float(v)) for k, v in table.items()):
        if x >= lower:
            found = (lower, value)
    return found


def table_is_nested(table: Mapping[Any, Any]) -> bool:
    return any(isinstance(v, Mapping) for v in table.values())


def to_expr(formula: Formula, env: Env) -> pl.Expr:
    """Compile a checked formula to one Polars expression."""

    def walk(node: ast.AST) -> pl.Expr:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return _lit(node.value)
        if isinstance(node, ast.Name):
            return env.value(node.id)
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            if isinstance(node.op, ast.Not):
                return ~inner
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BoolOp):
            parts = [walk(v) for v in node.values]
            out = parts[0]
            for p in parts[1:]:
                out = (out & p) if isinstance(node.op, ast.And) else (out | p)
            return out
        if isinstance(node, ast.Compare):
            left = walk(node.left)
            result: pl.Expr | None = None
            for op, comp in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, (ast.In, ast.NotIn)):
                    if not isinstance(comp, (ast.Tuple, ast.List)):
                        raise PolicyError(E.FORMULA_NODE.format(formula=formula.text, col=text_col(formula.text, comp), node="in 后面必须是 (甲, 乙, …)"), file=formula.file, place=formula.place)
                    members = [e.value for e in comp.elts if isinstance(e, ast.Constant)]
                    part = left.is_in(members)
                    part = ~part if isinstance(op, ast.NotIn) else part
                    right = left
                else:
                    right = walk(comp)
                    part = _CMPOPS[type(op)](left, right)
                result = part if result is None else (result & part)
                left = right
            assert result is not None
            return result
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            name, args = node.func.id, node.args
            if name == "IF":
                return pl.when(walk(args[0])).then(walk(args[1])).otherwise(walk(args[2]))
            if name == "min":
                return pl.min_horizontal(*[walk(a) for a in args]) if len(args) > 1 else walk(args[0])
            if name == "max":
                return pl.max_horizontal(*[walk(a) for a in args]) if len(args) > 1 else walk(args[0])
            if name == "round":
                digits = int(args[1].value) if len(args) == 2 and isinstance(args[1], ast.Constant) else 0  # type: ignore[arg-type]
                return walk(args[0]).cast(pl.Float64).round(digits, mode="half_away_from_zero")
            if name == "floor":
                return walk(args[0]).cast(pl.Float64).floor()
            if name == "ceil":
                return walk(args[0]).cast(pl.Float64).ceil()
            if name == "abs":
                return walk(args[0]).abs()
            if name == "lookup":
                head = args[0]
                assert isinstance(head, ast.Name)
                table = env.table(head.id)
                nkeys = 2 if table_is_nested(table) else 1
                if len(args) - 1 not in (nkeys, nkeys + 1):
                    raise PolicyError(E.FORMULA_ARITY.format(formula=formula.text, col=text_col(formula.text, node), name="lookup", detail=f"表「{head.id}」需要 {nkeys} 个键"), file=formula.file, place=formula.place)
                keys = [walk(a) for a in args[1:1 + nkeys]]
                default = walk(args[1 + nkeys]).cast(pl.Float64) if len(args) > 1 + nkeys else None
                if env.on_lookup is not None:
                    env.on_lookup(head.id, list(args[1:1 + nkeys]), keys, _lookup(table, keys, None))
                return _lookup(table, keys, default)
            if name == "band":
                head = args[0]
                assert isinstance(head, ast.Name)
                bands = band_bounds(formula, head.id, env.table(head.id), col=text_col(formula.text, node))
                x = walk(args[1])
                default = walk(args[2]).cast(pl.Float64) if len(args) == 3 else pl.lit(None, pl.Float64)
                chain: Any = None
                # Highest lower bound first: the first bound x reaches is its band.
                for lower, value in reversed(bands):
                    cond = x >= lower
                    chain = pl.when(cond).then(pl.lit(value)) if chain is None else chain.when(cond).then(pl.lit(value))
                if env.on_lookup is not None:  # traced like a lookup keyed by x
                    found = pl.lit(None, pl.Float64) if chain is None else chain.otherwise(pl.lit(None, pl.Float64))
                    env.on_lookup(head.id, [args[1]], [x], found)
                return default if chain is None else chain.otherwise(default)
        raise PolicyError(E.FORMULA_NODE.format(formula=formula.text, col=text_col(formula.text, node), node=type(node).__name__), file=formula.file, place=formula.place)

    return walk(formula.tree)

