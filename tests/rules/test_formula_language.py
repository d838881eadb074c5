"""The formula language: safe parsing, compilation to Polars, dependency order, errors."""

from typing import Any

import polars as pl
import pytest

from shequ.rules import errors as E
from shequ.rules.errors import PolicyError
from shequ.rules.formula import Env, check_names, dependency_layers, parse_formula, to_expr

TABLES: dict[str, dict[str, Any]] = {"pay": {"主管": 100, "助理": 50}, "grid": {"主管": {"1": 10, "2": 20}}, "by_grade": {"1": 5, "2": 7},
                                   "bands": {"0": 7, "5000": 8, "12000": 10}, "from_1k": {"1000": 3}}


def run(text, df, names=("a", "b", "post", "grade", "s")):
    f = parse_formula(text)
    check_names(f, values=names, tables=TABLES)
    env = Env(value=lambda n: pl.col(n), table=lambda n: TABLES[n])
    return df.select(to_expr(f, env).alias("v"))["v"].to_list()


DF = pl.DataFrame({"a": [1.0, 5.0, -2.5], "b": [2.0, 2.0, 2.0], "post": ["主管", "助理", "主管"],
                   "grade": [1, 2, 2], "s": ["x", "y", "z"]})


def test_it_computes_arithmetic_and_functions():
    assert run("a * b + 1", DF) == [3.0, 11.0, -4.0]
    assert run("min(a, b, 3)", DF) == [1.0, 2.0, -2.5]
    assert run("max(a, 0)", DF) == [1.0, 5.0, 0.0]
    assert run("floor(a / b)", DF) == [0.0, 2.0, -2.0]
    assert run("ceil(a / b)", DF) == [1.0, 3.0, -1.0]
    assert run("round(a / 4, 1)", DF) == [0.3, 1.3, -0.6]


def test_it_rounds_half_away_from_zero_like_a_finance_office():
    assert run("round(a)", pl.DataFrame({"a": [0.5, 1.5, 2.5, -0.5]})) == [1.0, 2.0, 3.0, -1.0]


def test_if_and_explicit_boolean_operators():
    assert run('if(a > 1 and post == "助理", 1, 0)', DF) == [0, 1, 0]
    assert run("if(a > 1 or not (b == 2), 1, 0)", DF) == [0, 1, 0]
    assert run('if(post in ("主管",), a, b)', DF) == [1.0, 2.0, -2.5]
    assert run("if(0 < a < 2, 1, 0)", DF) == [1, 0, 0]


def test_lookup_by_string_int_two_keys_and_default():
    assert run("lookup(pay, post)", DF) == [100.0, 50.0, 100.0]
    assert run("lookup(by_grade, grade)", DF) == [5.0, 7.0, 7.0]
    assert run("lookup(grid, post, grade, -1)", DF) == [10.0, -1.0, 20.0]
    assert run("lookup(pay, s, 0)", DF) == [0.0, 0.0, 0.0]


def test_band_gives_the_value_of_the_highest_lower_bound_reached_q_hc():
    """Q-HC: population bands — each key is its band's lower bound, inclusive."""
    df = pl.DataFrame({"a": [0.0, 4999.0, 5000.0, 11999.0, 12000.0, 90000.0]})
    assert run("band(bands, a)", df) == [7.0, 7.0, 8.0, 8.0, 10.0, 10.0]


def test_band_below_the_lowest_bound_gives_the_default_or_nothing():
    df = pl.DataFrame({"a": [999.0, 1000.0]})
    assert run("band(from_1k, a, 0)", df) == [0.0, 3.0]
    assert run("band(from_1k, a)", df) == [None, 3.0]


def test_band_needs_a_table_and_numeric_bounds():
    with pytest.raises(PolicyError, match="函数 band 的参数个数不对"):
        parse_formula("band(bands)")
    with pytest.raises(PolicyError, match="不是查找表"):
        run("band(a, b)", DF)
    with pytest.raises(PolicyError, match="分档表「pay」的键必须是各档的下限"):
        run("band(pay, a)", DF)


@pytest.mark.parametrize("text,node", [
    ("__import__('os')", "__import__"),
    ("a.b", "属性访问"),
    ("a[0]", "下标"),
    ("(lambda: 1)()", "lambda"),
    ("1 if a else 2", "x if c else y"),
])
def test_it_rejects_anything_outside_the_language(text, node):
    with pytest.raises(PolicyError) as exc:
        parse_formula(text, place="pay.components.0.formula", file="x.toml")
    assert node in str(exc.value) or "未知函数" in str(exc.value)
    assert "x.toml" in str(exc.value)


def test_unknown_names_are_rejected_naming_the_formula_and_column():
    f = parse_formula("a + bogus", place="pay.components.0.formula", file="p.toml")
    with pytest.raises(PolicyError) as exc:
        check_names(f, values={"a"}, tables={})
    assert exc.value.reason == E.FORMULA_UNKNOWN_NAME.format(formula="a + bogus", col=5, name="bogus")


def test_a_table_used_as_a_number_is_rejected():
    f = parse_formula("pay + 1")
    with pytest.raises(PolicyError, match="只能作为 lookup"):
        check_names(f, values=set(), tables={"pay"})


def test_wrong_arity_is_rejected():
    with pytest.raises(PolicyError, match="参数个数不对"):
        parse_formula("if(a, 1)")


def test_rules_are_ordered_by_dependencies_not_file_order():
    rules = {"c": parse_formula("a + b"), "a": parse_formula("1"), "b": parse_formula("a * 2")}
    assert dependency_layers(rules) == [["a"], ["b"], ["c"]]


def test_a_cycle_is_rejected_naming_it():
    rules = {"甲": parse_formula("乙 + 1"), "乙": parse_formula("丙"), "丙": parse_formula("甲")}
    with pytest.raises(PolicyError) as exc:
        dependency_layers(rules)
    assert "循环引用" in str(exc.value) and "甲" in str(exc.value)
