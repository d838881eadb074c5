"""What an evaluator did, recorded when asked (like OpenFisca's tracer).

Pass a ``Tracer`` to ``quota``/``place``/``pay``/``assess``: each records one ``Step`` with
the inputs its formulas read, every parameter and table it read with its provenance, each
lookup's key and found value, and the intermediate columns (rule values, the raw placement
value, the benefit base, the assessment runs), row by row beside its output. Without a
tracer the evaluators build exactly the expressions they always did, so the population run
pays nothing for this. ``explain`` only formats these records.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from shequ.rules.formula import Formula
from shequ.rules.policy import Policy

# Column-name prefix of traced values inside an evaluator's frame; never in its output.
TRACE_PREFIX = "__shequ_trace_"


@dataclass(frozen=True)
class ParamRead:
    """One parameter or lookup table an evaluator read, with the entry in force."""

    name: str
    value: Any
    since: dt.date | None
    source: str | None
    assumed: bool

    @property
    def provenance(self) -> str:
        if self.since is None:
            return ""
        if self.assumed:
            return f"假定值，自 {self.since.isoformat()} 起"
        return f"来源 {self.source}，自 {self.since.isoformat()} 起"


@dataclass(frozen=True)
class LookupRead:
    """One lookup in a formula: the table, the names of its keys when every key is a plain
    name (else empty), and the trace columns holding each row's keys and found value
    (null when the table has no such key and the default applied)."""

    table: str
    keys: tuple[str, ...]
    key_columns: tuple[str, ...]
    value_column: str


@dataclass
class FormulaTrace:
    """The reads of one formula, in the order the evaluator made them."""

    name: str
    formula: Formula
    params: list[str] = field(default_factory=list)
    lookups: list[LookupRead] = field(default_factory=list)


@dataclass
class Step:
    """One evaluator call: its inputs, formulas, reads, and per-row traced values.

    ``frame`` has one row per output row; its columns are named by ``columns``
    (role → column): ``rule:<name>`` for a rule's value, ``input:<name>`` for an input
    derived by the engine (``years``, ``education_rank``, …), and the lookup columns.
    """

    kind: str
    on: dt.date
    inputs: frozenset[str]
    formulas: list[FormulaTrace]
    params: dict[str, ParamRead]
    frame: pl.DataFrame
    columns: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)
    _lists: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    def values(self, column: str) -> list[Any]:
        """A traced column as a list (cached: explanations read it once per row)."""
        if column not in self._lists:
            self._lists[column] = self.frame.get_column(column).to_list()
        return self._lists[column]

    def column(self, role: str) -> list[Any]:
        return self.values(self.columns[role])

    def has(self, role: str) -> bool:
        return role in self.columns


class Tracer:
    """Collects the steps of evaluator calls, by kind (the last call of a kind wins)."""

    def __init__(self) -> None:
        self.steps: dict[str, Step] = {}

    def __getitem__(self, kind: str) -> Step:
        return self.steps[kind]

    def __contains__(self, kind: str) -> bool:
        return kind in self.steps

    def add(self, step: Step) -> None:
        self.steps[step.kind] = step


class Recorder:
    """Used by an evaluator while it builds its expressions under a tracer."""

    def __init__(self, policy: Policy, on: dt.date, kind: str):
        self.policy = policy
        self.on = on
        self.kind = kind
        self.formulas: list[FormulaTrace] = []
        self.params: dict[str, ParamRead] = {}
        self.columns: dict[str, str] = {}
        self._pending: list[pl.Expr] = []
        self._n = 0

    def start(self, name: str, formula: Formula) -> FormulaTrace:
        ft = FormulaTrace(name=name, formula=formula)
        self.formulas.append(ft)
        return ft

    def read(self, ft: FormulaTrace | None, name: str) -> None:
        if name not in self.params:
            e = self.policy.entry("params", name, self.on)
            self.params[name] = ParamRead(
                name=name, value=e.value if e else None, since=e.since if e else None,
                source=e.source if e else None, assumed=bool(e.assumed) if e else False)
        if ft is not None and name not in ft.params:
            ft.params.append(name)

    def lookup(self, ft: FormulaTrace | None, table: str, key_nodes: list[ast.expr],
               key_exprs: list[pl.Expr], found: pl.Expr) -> None:
        self.read(None, table)
        i = self._n
        self._n += 1
        key_cols = tuple(f"{TRACE_PREFIX}lk{i}_k{j}" for j in range(len(key_exprs)))
        value_col = f"{TRACE_PREFIX}lk{i}_v"
        self._pending.extend(e.alias(c) for e, c in zip(key_exprs, key_cols, strict=True))
        self._pending.append(found.alias(value_col))
        for c in (*key_cols, value_col):
            self.columns[c] = c
        names = tuple(n.id for n in key_nodes if isinstance(n, ast.Name))
        read = LookupRead(table=table, keys=names if len(names) == len(key_nodes) else (),
                          key_columns=key_cols, value_column=value_col)
        if ft is not None:
            ft.lookups.append(read)

    def keep(self, role: str, expr: pl.Expr) -> None:
        """Trace one more column (a rule value, a derived input) under `role`."""
        col = TRACE_PREFIX + role.replace(":", "_")
        self.columns[role] = col
        self._pending.append(expr.alias(col))

    def take(self) -> list[pl.Expr]:
        """Expressions recorded since the last call, to add beside the current stage."""
        out, self._pending = self._pending, []
        return out

    def finish(self, tracer: Tracer, inputs: frozenset[str], frame: pl.DataFrame,
               extra: Mapping[str, Any] | None = None) -> None:
        cols = list(dict.fromkeys(self.columns.values()))
        tracer.add(Step(kind=self.kind, on=self.on, inputs=inputs, formulas=self.formulas,
                        params=self.params, frame=frame.select(cols), columns=dict(self.columns),
                        extra=dict(extra or {})))


def drop_traced(df: pl.DataFrame) -> pl.DataFrame:
    return df.drop([c for c in df.columns if c.startswith(TRACE_PREFIX)])
