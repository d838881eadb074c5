"""P-ITEM in a month's computation: each worker's one-off additions and deductions joined
onto the month's frame in bulk, by the governing policy's item definitions.

Additions are part of 应发 (gross); a deduction is not, it comes off 实发. `taxable` is
gross less tax-free additions less pre-tax deductions. Because this runs inside
compute_month, an item entered later for a locked month becomes an adjustment like any
other change (arrears diff gross, taxable and deductions)."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from shequ.common.bulk import frame_from_queryset
from shequ.org.models import Unit
from shequ.policy.resolve import Governing

from .models import MonthlyItem

UNKNOWN_ITEM = "以下月度项目不在适用政策“{policy}”的项目表（pay_items）中，无法核算：{who}"
ITEM_COLUMNS = ["taxable", "deductions", "items"]


class ItemError(ValueError):
    pass


def items_frame(*, scope: Unit, month: date) -> pl.DataFrame:
    qs = MonthlyItem.objects.filter(worker__unit__path__startswith=scope.path, month=month).order_by(
        "worker_id", "item").values_list("worker_id", "item", "amount")
    return frame_from_queryset(qs, {"worker_id": pl.Int64, "item": pl.Utf8, "amount": pl.Float64})


def definitions(governing: dict[str, Governing], on: date) -> pl.DataFrame:
    rows = [
        (label, name, d.deduction, d.taxable)
        for label, g in governing.items()
        for name, d in g.policy.params(on).pay_items.items.items()
    ]
    return pl.DataFrame(rows, orient="row", schema={
        "policy_label": pl.Utf8, "item": pl.Utf8, "deduction": pl.Boolean, "item_taxable": pl.Boolean})


def with_items(frame: pl.DataFrame, *, scope: Unit, month: date, on: date, governing: dict[str, Governing]) -> pl.DataFrame:
    """`frame` (one row per worker, `gross` set) with gross, taxable, deductions and items."""
    base = frame.with_columns(
        pl.col("gross").alias("taxable"), pl.lit(0.0).alias("deductions"), pl.lit("{}").alias("items"),
    )
    if frame.is_empty():
        return base
    entered = items_frame(scope=scope, month=month)
    if entered.is_empty():
        return base
    entered = entered.join(frame.select("worker_id", "policy_label", "name", "unit_name"), on="worker_id", how="inner")
    if entered.is_empty():
        return base
    entered = entered.join(definitions(governing, on), on=["policy_label", "item"], how="left")
    unknown = entered.filter(pl.col("deduction").is_null())
    if unknown.height:
        who = "、".join(f"{r['name']}（{r['unit_name']}，{r['item']}）" for r in unknown.head(5).iter_rows(named=True))
        raise ItemError(UNKNOWN_ITEM.format(policy=unknown["policy_label"][0], who=who))
    add = ~pl.col("deduction")
    per = entered.group_by("worker_id").agg(
        pl.col("amount").filter(add).sum().alias("__add"),
        pl.col("amount").filter(add & ~pl.col("item_taxable")).sum().alias("__free"),
        pl.col("amount").filter(~add).sum().alias("__ded"),
        pl.col("amount").filter(~add & pl.col("item_taxable")).sum().alias("__pretax"),
        pl.struct("item", "amount", "deduction").alias("__list"),
    )
    docs = {
        wid: json.dumps({x["item"]: (-x["amount"] if x["deduction"] else x["amount"]) for x in lst}, ensure_ascii=False)
        for wid, lst in per.select("worker_id", "__list").iter_rows()
    }
    per = per.drop("__list").join(
        pl.DataFrame({"worker_id": list(docs), "__doc": list(docs.values())}, schema={"worker_id": pl.Int64, "__doc": pl.Utf8}),
        on="worker_id",
    )
    r2 = lambda e: e.round(2, mode="half_away_from_zero")  # noqa: E731
    out = frame.join(per, on="worker_id", how="left").with_columns(
        [pl.col(c).fill_null(0.0) for c in ("__add", "__free", "__ded", "__pretax")]
    ).with_columns(r2(pl.col("gross") + pl.col("__add")).alias("gross"))
    return out.with_columns(
        r2(pl.col("gross") - pl.col("__free") - pl.col("__pretax")).alias("taxable"),
        r2(pl.col("__ded")).alias("deductions"),
        pl.col("__doc").fill_null("{}").alias("items"),
    ).drop("__add", "__free", "__ded", "__pretax", "__doc")
