"""The 考核结果 sheet (FORMATS.md) and the indicator-score sheet into a campaign, staged:
every error with its row and column, in Chinese; all or nothing.

One sheet may hold both: 身份证号, 年度 (optional, the campaign's year when empty), 考核等次,
得分 and one column per indicator of the policy (A-IND). Rows of earlier years go into the
results history the consequences read (A-STEP); rows of the campaign's year are its scores."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from shequ.assessment.compute import assessment_params, campaign_policy, campaign_workers
from shequ.assessment.models import Campaign, CampaignStatus, Result
from shequ.assessment.services import (
    AssessmentError,
    CleanScore,
    ScoreEntry,
    canonical_tier,
    clean_entry,
    parse_number,
    scores_write,
)
from shequ.common.audit_actions import AuditAction
from shequ.common.imports import RowError, field_errors
from shequ.common.scope import require_unit_in_scope
from shequ.errors import Conflict
from shequ.org.models import Unit
from shequ.sheets import read_records
from shequ.sheets.idcard import id_number_problem

if TYPE_CHECKING:
    from shequ.accounts.models import User

KIND = "assessment"

MISSING_ID_COLUMN = "缺少“身份证号”列"
NO_SCORE_COLUMN = "至少要有“考核等次”“得分”或全部指标列之一"
MISSING_INDICATOR_COLUMNS = "指标列不全，缺少：{missing}"
EMPTY_ID = "身份证号为空"
NOT_IN_CAMPAIGN = "身份证号 {id_number} 不在本次考核范围（{scope}）的在岗人员中"
DUPLICATE_ROW = "身份证号 {id_number} 的 {year} 年度结果在第 {first} 行已出现"
BAD_YEAR = "年度“{value}”不是年份"
LATER_YEAR = "年度 {year} 晚于本次考核年度 {campaign_year}"
HISTORY_NEEDS_TIER = "往年结果必须填写考核等次"
HISTORY_FROM_CAMPAIGN = "{year} 年度结果已由考核“{name}”公布，不能用导入覆盖"
NOT_DRAFT_IMPORT = "考核已{status}，不能再导入评分"

HEADERS = {
    "身份证号": "id_number", "id_number": "id_number", "姓名": "name", "name": "name",
    "年度": "year", "year": "year", "考核等次": "tier", "tier": "tier", "得分": "score", "score": "score",
}


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and (sheet row number, cells) of the first sheet; header is row 1."""
    headers, records = read_records(content, filename)
    return headers, [(row, [cells[h] for h in headers]) for row, cells in records]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def make_validate(campaign: Campaign) -> Callable[[bytes, str, Unit, Any], tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]]:
    def validate(content: bytes, filename: str, scope: Unit, actor: User) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
        return results_validate(campaign=campaign, content=content, filename=filename, actor=actor)

    return validate


def results_validate(*, campaign: Campaign, content: bytes, filename: str, actor: User) -> tuple[list[dict[str, Any]], list[RowError], dict[str, Any]]:
    require_unit_in_scope(actor, campaign.unit)
    if campaign.status != CampaignStatus.DRAFT:
        raise Conflict(NOT_DRAFT_IMPORT.format(status=campaign.get_status_display()))
    policy, label = campaign_policy(campaign)
    a = assessment_params(policy, campaign.year)
    indicators = list(a.indicator_weights)
    header, table = read_rows(content, filename)
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        key = HEADERS.get(h) or (h if h in indicators else None)
        if key and key not in cols:
            cols[key] = i
    sheet_errors: list[RowError] = []
    if "id_number" not in cols:
        sheet_errors.append(RowError(1, "身份证号", MISSING_ID_COLUMN))
    present = [n for n in indicators if n in cols]
    if present and len(present) != len(indicators):
        missing = [n for n in indicators if n not in cols]
        sheet_errors.append(RowError(1, missing[0], MISSING_INDICATOR_COLUMNS.format(missing="、".join(missing))))
    if not present and "tier" not in cols and "score" not in cols:
        sheet_errors.append(RowError(1, "考核等次", NO_SCORE_COLUMN))
    if sheet_errors:
        return [], sheet_errors, {}

    workers = dict(campaign_workers(campaign).values_list("id_number", "pk"))
    from_campaigns = {
        (w, y): n for w, y, n in Result.objects.filter(worker_id__in=list(workers.values()), campaign__isnull=False)
        .values_list("worker_id", "year", "campaign__name")
    }
    errors: list[RowError] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}

    def get(cells: list[Any], key: str) -> str:
        return _cell(cells[cols[key]]) if key in cols else ""

    for row_no, cells in table:
        id_number = get(cells, "id_number").upper()
        if not id_number:
            errors.append(RowError(row_no, "身份证号", EMPTY_ID))
            continue
        worker_id = workers.get(id_number)
        if worker_id is None:
            errors.append(RowError(row_no, "身份证号", id_number_problem(id_number)
                                   or NOT_IN_CAMPAIGN.format(id_number=id_number, scope=campaign.unit.name)))
            continue
        raw_year = get(cells, "year")
        try:
            year = int(raw_year) if raw_year else campaign.year
        except ValueError:
            errors.append(RowError(row_no, "年度", BAD_YEAR.format(value=raw_year)))
            continue
        if year > campaign.year:
            errors.append(RowError(row_no, "年度", LATER_YEAR.format(year=year, campaign_year=campaign.year)))
            continue
        year_errors = field_errors(Result, {"year": year}, row=row_no, columns={"year": "年度"})
        if year_errors:  # a negative year would pass "not later" and fail in the results table
            errors += year_errors
            continue
        if (id_number, year) in seen:
            errors.append(RowError(row_no, "身份证号", DUPLICATE_ROW.format(id_number=id_number, year=year, first=seen[(id_number, year)])))
            continue
        seen[(id_number, year)] = row_no
        entry = ScoreEntry(worker_id=worker_id, indicators={n: get(cells, n) for n in present},
                           score=get(cells, "score"), tier=get(cells, "tier"))
        if year == campaign.year:
            clean, errs = clean_entry(entry, indicators=indicators, aliases=a.aliases)
            errors += [RowError(row_no, field, msg) for field, msg in errs]
            if clean:
                rows.append({"kind": "score", "worker_id": worker_id, "indicators": clean.indicators,
                             "score": str(clean.score) if clean.score is not None else None, "tier": clean.tier,
                             "id_number": id_number, "year": year, "_row": row_no, "row_no": row_no})
            continue
        # An earlier year: history for the consequences, a tier is required.
        if (worker_id, year) in from_campaigns:
            errors.append(RowError(row_no, "年度", HISTORY_FROM_CAMPAIGN.format(year=year, name=from_campaigns[(worker_id, year)])))
            continue
        if not entry.tier:
            errors.append(RowError(row_no, "考核等次", HISTORY_NEEDS_TIER))
            continue
        try:
            tier = canonical_tier(entry.tier, a.aliases)
            score = parse_number(entry.score, field="得分", low=0, high=1000)
        except AssessmentError as exc:
            errors.append(RowError(row_no, "考核等次" if "等次" in str(exc) else "得分", str(exc)))
            continue
        rows.append({"kind": "history", "worker_id": worker_id, "year": year, "tier": tier,
                     "score": str(score) if score is not None else None, "id_number": id_number, "_row": row_no, "row_no": row_no})
    return rows, errors, {"policy": label, "campaign_id": campaign.pk, "rows": len(table)}


def make_commit(campaign: Campaign) -> Callable[[list[dict[str, Any]], Unit, Any], dict[str, Any]]:
    def commit(rows: list[dict[str, Any]], scope: Unit, actor: User) -> dict[str, Any]:
        return results_commit(campaign=campaign, rows=rows, actor=actor)

    return commit


def results_commit(*, campaign: Campaign, rows: list[dict[str, Any]], actor: User) -> dict[str, Any]:
    """Runs inside import_commit's transaction: scores upserted, history upserted, in bulk."""
    from decimal import Decimal

    from shequ.common.audit import audit_bulk

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise AssessmentError(NOT_DRAFT_IMPORT.format(status=campaign.get_status_display()))
    scores = [
        CleanScore(worker_id=r["worker_id"], indicators=r["indicators"],
                   score=Decimal(r["score"]) if r["score"] is not None else None, tier=r["tier"])
        for r in rows if r["kind"] == "score"
    ]
    n_scores = scores_write(campaign=campaign, scores=scores, actor=actor, how="import")
    history = [r for r in rows if r["kind"] == "history"]
    units = dict(campaign_workers(campaign).filter(pk__in=[r["worker_id"] for r in history]).values_list("pk", "unit_id"))
    existing = {(r.worker_id, r.year): r for r in Result.objects.filter(
        worker_id__in=list(units), year__in={r["year"] for r in history}, campaign__isnull=True)}
    new: list[Result] = []
    changed: list[Result] = []
    audit_rows: list[tuple[Any, str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
    for r in history:
        score = Decimal(r["score"]) if r["score"] is not None else None
        old = existing.get((r["worker_id"], r["year"]))
        if old is None:
            new.append(Result(worker_id=r["worker_id"], year=r["year"], tier=r["tier"], score=score, unit_id=units[r["worker_id"]]))
            audit_rows.append((r["worker_id"], f"{r['year']}年度考核结果", units[r["worker_id"]], None, {"tier": r["tier"], "score": r["score"]}))
        elif (old.tier, old.score) != (r["tier"], score):
            audit_rows.append((r["worker_id"], f"{r['year']}年度考核结果", units[r["worker_id"]],
                               {"tier": old.tier, "score": old.score}, {"tier": r["tier"], "score": r["score"]}))
            old.tier, old.score = r["tier"], score
            changed.append(old)
    Result.objects.bulk_create(new, batch_size=2000)
    Result.objects.bulk_update(changed, ["tier", "score"], batch_size=2000)
    unit_objs = {u.pk: u for u in Unit.objects.filter(pk__in={r[2] for r in audit_rows})}
    audit_bulk(actor=actor, action=AuditAction.ASSESSMENT_HISTORY_IMPORT, target_type="workers.worker",
               rows=[(w, label, unit_objs[u], b, a) for w, label, u, b, a in audit_rows], summary=campaign.name)
    return {"created": n_scores + len(new) + len(changed), "scores": n_scores, "history": len(new) + len(changed)}
