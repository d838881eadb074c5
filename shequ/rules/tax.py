"""P-NET: individual income tax on wages withheld by the cumulative method (累计预扣法),
over a whole population at once.

For each worker, with everything summed from January up to and including this month:

    taxable  = max(0, income − exempt − months × monthly_deduction − contributions − special)
    due      = taxable × rate − quick            (the bracket of `taxable` in the table)
    tax      = max(0, due − tax already withheld this year)

A negative difference is not refunded by the employer (it is settled in the annual
reconciliation), so this month withholds nothing."""

from __future__ import annotations

import polars as pl

from shequ.rules.errors import PolicyError
from shequ.rules.schema import TaxParams

# The columns `withhold` reads: this month's figures and the year so far before it.
INPUTS = (
    "income", "exempt", "contributions", "special",
    "prior_income", "prior_exempt", "prior_contributions", "prior_special", "prior_tax", "months",
)
NO_TABLE = "适用政策没有个人所得税预扣率表（tax.brackets），无法计算个税"


def _round(e: pl.Expr) -> pl.Expr:
    return e.round(2, mode="half_away_from_zero")


def withhold(frame: pl.DataFrame, params: TaxParams) -> pl.DataFrame:
    """`frame` with the cumulative figures and this month's tax added: ytd_income,
    ytd_contributions, ytd_special, ytd_deduction, ytd_taxable, ytd_due, tax, ytd_tax."""
    if not params.brackets or params.monthly_deduction is None:
        raise PolicyError(NO_TABLE)
    f = frame.with_columns([pl.col(c).fill_null(0).cast(pl.Float64) for c in INPUTS if c in frame.columns])
    f = f.with_columns([pl.lit(0.0).alias(c) for c in INPUTS if c not in f.columns])
    f = f.with_columns(
        _round(pl.col("prior_income") + pl.col("income")).alias("ytd_income"),
        _round(pl.col("prior_exempt") + pl.col("exempt")).alias("ytd_exempt"),
        _round(pl.col("prior_contributions") + pl.col("contributions")).alias("ytd_contributions"),
        _round(pl.col("prior_special") + pl.col("special")).alias("ytd_special"),
        (pl.col("months") * params.monthly_deduction).alias("ytd_deduction"),
    )
    taxable = pl.max_horizontal(
        pl.col("ytd_income") - pl.col("ytd_exempt") - pl.col("ytd_deduction") - pl.col("ytd_contributions")
        - pl.col("ytd_special"),
        pl.lit(0.0),
    )
    f = f.with_columns(_round(taxable).alias("ytd_taxable"))
    t = pl.col("ytd_taxable")
    *bounded, top = params.brackets
    due: pl.Expr = pl.lit(top.rate) * t - top.quick
    for b in reversed(bounded):
        due = pl.when(t <= b.upto).then(pl.lit(b.rate) * t - b.quick).otherwise(due)
    f = f.with_columns(_round(pl.max_horizontal(due, pl.lit(0.0))).alias("ytd_due"))
    f = f.with_columns(_round(pl.max_horizontal(pl.col("ytd_due") - pl.col("prior_tax"), pl.lit(0.0))).alias("tax"))
    return f.with_columns(_round(pl.col("prior_tax") + pl.col("tax")).alias("ytd_tax"))
