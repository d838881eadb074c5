"""A loaded locality policy: metadata, posts, formulas and effective-dated values."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from shequ.rules import errors as E
from shequ.rules import loader, vocab
from shequ.rules.errors import PolicyError
from shequ.rules.formula import Formula, check_names, dependency_layers, parse_formula
from shequ.rules.schema import (
    DATED_SECTIONS,
    AssessmentParams,
    AssignmentParams,
    BenefitsParams,
    CareerParams,
    CertificationParams,
    ConversionParams,
    DispatchParams,
    EducationParams,
    Entry,
    ExamParams,
    GridParams,
    ItemsParams,
    LadderParams,
    LeaveParams,
    MentoringParams,
    Meta,
    MinimumsParams,
    MobilityParams,
    PlacementSection,
    Post,
    ProbationParams,
    QuotaReviewParams,
    QuotaSection,
    ReserveParams,
    RetirementParams,
    RotationParams,
    Rule,
    StatisticsParams,
    TaxParams,
    TrainingParams,
    UnitsParams,
    WelfareParams,
)
from shequ.rules.types import NUMBER, TEXT, Type, expect_number, infer, vocabulary

# Names a formula may read, per evaluator, besides parameters and other rules.
QUOTA_INPUTS = frozenset({"unit_type", "unit_class", "households", "population", "urban_population"})
PLACE_INPUTS = frozenset({
    "post", "grade_min", "grade_max", "education", "education_rank", "certificate",
    "certificate_rank", "years", "category", "sex", "age",
})
# P-TREAT: `treatment` is the economic treatment a worker holds ("" for none).
PAY_INPUTS = PLACE_INPUTS | {"grade", "last_tier", "last_tier_rank", "treatment"}
TOTAL = "应发合计"
EMPLOYER_BENEFITS = "单位五险一金"
EMPLOYEE_BENEFITS = "个人五险一金"
BENEFIT_BASE = "缴费基数"


def input_types(posts: Any) -> dict[str, Type]:
    """The type of every input a formula may read (rules and parameters are added per policy)."""
    out = {n: NUMBER for n in ("households", "population", "urban_population", "grade_min", "grade_max",
                               "education_rank", "certificate_rank", "years", "age", "grade", "last_tier_rank")}
    out.update({
        "unit_type": vocabulary("单位类型", vocab.UNIT_TYPES), "unit_class": vocabulary("单位类别", vocab.UNIT_CLASSES),
        "post": vocabulary("岗位", posts), "education": vocabulary("学历", vocab.EDUCATION),
        "certificate": vocabulary("职业资格", vocab.CERTIFICATES), "category": vocabulary("人员类别", vocab.CATEGORIES),
        "sex": vocabulary("性别", vocab.SEXES), "last_tier": vocabulary("考核等次", vocab.TIERS),
        # P-TREAT: the treatment's name as the policy's own table writes it ("" for none).
        "treatment": TEXT,
    })
    return out


KNOWN_TOP = {"policy", "params", "posts", "quota", "placement", "pay", *DATED_SECTIONS}
KNOWN_PAY = {"components", "floor"}


@dataclass(frozen=True)
class ResolvedParams:
    """Every dated value of a policy as in force on one date."""

    on: dt.date
    values: dict[str, Any]
    units: UnitsParams
    assessment: AssessmentParams
    training: TrainingParams
    certification: CertificationParams
    mentoring: MentoringParams
    rotation: RotationParams
    reserve: ReserveParams
    dispatch: DispatchParams
    exam: ExamParams
    probation: ProbationParams
    retirement: RetirementParams
    mobility: MobilityParams
    conversion: ConversionParams
    benefits: BenefitsParams
    quota_review: QuotaReviewParams
    careers: CareerParams
    grids: GridParams
    statistics: StatisticsParams
    tax: TaxParams
    pay_items: ItemsParams
    leave: LeaveParams
    welfare: WelfareParams
    ladder: LadderParams
    education: EducationParams
    minimums: MinimumsParams
    assignment: AssignmentParams

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


@dataclass
class Policy:
    """A validated policy with `extends` resolved. Build with ``load_policy``."""

    meta: Meta
    posts: dict[str, Post]
    params_entries: dict[str, list[Entry]]
    sections: dict[str, dict[str, list[Entry]]]
    quota_section: QuotaSection | None
    placement_section: PlacementSection | None
    components: list[Rule]
    floor: Rule | None
    formulas: dict[str, dict[str, Formula]]
    layers: dict[str, list[list[str]]]
    data: dict[str, Any] = field(repr=False)
    file: str = ""
    sources: list[loader.Source] = field(default_factory=list, repr=False)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    # -- metadata -------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def source(self) -> str:
        return self.meta.source

    @property
    def extends(self) -> str | None:
        return self.meta.extends

    @property
    def digest(self) -> str:
        if "digest" not in self._cache:
            payload = json.dumps(_jsonable(self.data), ensure_ascii=False, sort_keys=True)
            self._cache["digest"] = hashlib.sha256(payload.encode()).hexdigest()[:16]
        return cast(str, self._cache["digest"])

    # -- posts and components -------------------------------------------------------------
    def post_names(self) -> list[str]:
        return list(self.posts)

    def post(self, name: str) -> Post:
        try:
            return self.posts[name]
        except KeyError:
            raise PolicyError(E.UNKNOWN_POST_REF.format(post=name), file=self.label, place="posts") from None

    def component_names(self) -> list[str]:
        names = [c.name for c in self.components]
        if self.floor is not None:
            names.append(self.floor.name)
        return names

    # -- dated values ---------------------------------------------------------------------
    def value(self, name: str, on: dt.date) -> Any:
        entry = _in_force(self.params_entries.get(name, []), on)
        if entry is None:
            raise self.error_at(("params", name), E.NO_VALUE_IN_FORCE.format(date=on.isoformat()))
        return entry.value

    @property
    def label(self) -> str:
        """How messages at run time name the policy: by its name, never by a server path."""
        return f"政策「{self.name}」"

    def error_at(self, path: tuple[str, ...], message: str) -> PolicyError:
        """An error naming the policy, and the file and line where `path` is written."""
        for src in self.sources:
            line = src.line_of(path)
            if line is not None:
                return PolicyError(message, file=f"{self.label}（{Path(src.name).name}）", place=".".join(path), line=line)
        return PolicyError(message, file=self.label, place=".".join(path))

    def entry(self, section: str, key: str, on: dt.date) -> Entry | None:
        if section == "params":
            return _in_force(self.params_entries.get(key, []), on)
        return _in_force(self.sections.get(section, {}).get(key, []), on)

    def params(self, on: dt.date) -> ResolvedParams:
        key = ("params", on)
        if key in self._cache:
            return cast(ResolvedParams, self._cache[key])
        values = {}
        for name, entries in self.params_entries.items():
            e = _in_force(entries, on)
            if e is not None:
                values[name] = e.value
        resolved: dict[str, BaseModel] = {}
        for section, model in DATED_SECTIONS.items():
            raw = {}
            for k, entries in self.sections.get(section, {}).items():
                e = _in_force(entries, on)
                if e is not None:
                    raw[k] = e.value
            resolved[section] = model.model_validate(raw)
        out = ResolvedParams(on=on, values=values, **resolved)  # type: ignore[arg-type]
        self._cache[key] = out
        return out

    def retirement_age(self, sex: str, post: str | None, on: dt.date) -> int | None:
        """C-RETIRE: the age by sex, with a post-specific age where the policy gives one."""
        ages = self.params(on).retirement.ages.get(sex, {})
        if post is not None and post in ages:
            return ages[post]
        return ages.get("default")

    def canonical_tier(self, tier: str, on: dt.date) -> str:
        a = self.params(on).assessment
        t = a.aliases.get(tier, tier)
        if t not in vocab.TIERS:
            raise PolicyError(E.UNKNOWN_TIER.format(tier=tier))
        return t


def _in_force(entries: list[Entry], on: dt.date) -> Entry | None:
    best = None
    for e in entries:
        if e.since <= on and (best is None or e.since >= best.since):
            best = e
    return best


# ---- building -----------------------------------------------------------------------------

_PYDANTIC_ZH = {
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字（加引号）",
    "list_type": "应为列表 [ … ]",
    "dict_type": "应为表 { … }",
    "date_parsing": "应为日期，如 2024-01-01",
    "date_type": "应为日期，如 2024-01-01",
    "date_from_datetime_parsing": "应为日期，如 2024-01-01",
    "literal_error": "只能是 {expected}",
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段",
}


def zh_error(err: Any) -> str:
    """A pydantic error in Chinese, with the field path inside the value when there is one."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind in _PYDANTIC_ZH:
        try:
            text = _PYDANTIC_ZH[kind].format(**ctx).replace("' or '", "'、'")
        except (KeyError, IndexError):
            text = _PYDANTIC_ZH[kind]
    else:
        text = str(err.get("msg", "")).removeprefix("Value error, ")
    # Drop union-branch labels such as "float" or "dict[str,float]" from the location.
    loc = [str(x) for x in err.get("loc", ()) if not any(ch in str(x) for ch in "[]") and str(x) not in {"float", "int", "str", "bool"}]
    return f"{'.'.join(loc)} {text}".strip() if loc else text


def _component_name(data: dict[str, Any], i: int) -> str:
    comps = data.get("pay", {}).get("components", []) if isinstance(data.get("pay"), dict) else []
    c = comps[i] if isinstance(comps, list) and 0 <= i < len(comps) else None
    return str(c.get("name", "")) if isinstance(c, dict) else ""


def _place(path: tuple[Any, ...], data: dict[str, Any]) -> str:
    """A key path for people: list items numbered from 1, pay components with their name."""
    in_components = len(path) >= 3 and path[:2] == ("pay", "components") and isinstance(path[2], int)
    name = _component_name(data, path[2]) if in_components else ""
    parts: list[str] = []
    for k, p in enumerate(path):
        if isinstance(p, int):
            parts.append(f"第{p + 1}项（{name}）" if k == 2 and name else f"第{p + 1}项")
        elif not (in_components and k == 3 and p == name):
            parts.append(str(p))
    return ".".join(parts)


class _Builder:
    def __init__(self, data: dict[str, Any], sources: list[loader.Source]):
        self.data = data
        self.sources = sources

    def fail(self, path: tuple[Any, ...], message: str) -> PolicyError:
        place = _place(path, self.data)
        if len(path) >= 3 and path[:2] == ("pay", "components") and isinstance(path[2], int):
            name = _component_name(self.data, path[2])
            key = next((str(p) for p in path[3:] if not isinstance(p, int) and p != name), None)
            for src in self.sources:
                line = src.line_in_item(("pay", "components"), name, key) if name else None
                if line is not None:
                    return PolicyError(message, file=src.name, place=place, line=line)
        for src in self.sources:
            line = src.line_of(path)
            if line is not None:
                return PolicyError(message, file=src.name, place=place, line=line)
        return PolicyError(message, file=self.sources[0].name, place=place)

    def validation(self, path: tuple[Any, ...], exc: ValidationError) -> PolicyError:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", ""))
        if "MISSING_PROVENANCE" in msg:
            return self.fail(path + loc, E.MISSING_PROVENANCE)
        if err.get("type") == "missing" and loc and loc[-1] == "since":
            return self.fail(path, E.MISSING_SINCE)
        if err.get("type") == "missing":
            return self.fail(path + loc, E.BAD_VALUE.format(detail=f"缺少必填字段「{loc[-1] if loc else ''}」"))
        if err.get("type") == "extra_forbidden":
            return self.fail(path + loc, E.UNKNOWN_KEY.format(key=loc[-1] if loc else ""))
        return self.fail(path + loc, E.BAD_VALUE.format(detail=zh_error({**err, "loc": ()})))

    def entries(self, path: tuple[Any, ...], raw: Any, defaults: dict[str, Any], check: TypeAdapter[Any] | None) -> list[Entry]:
        out = []
        for i, e in enumerate(loader.to_entries(raw, defaults)):
            try:
                entry = Entry.model_validate(e)
            except ValidationError as exc:
                raise self.validation(path, exc) from None
            if check is not None:
                try:
                    check.validate_python(entry.value)
                except ValidationError as exc:
                    raise self.fail(path, E.BAD_VALUE.format(detail=zh_error(exc.errors()[0]))) from None
            out.append(entry)
            _ = i
        return out

    def build(self) -> Policy:
        d = self.data
        for k in d:
            if k not in KNOWN_TOP:
                raise self.fail((k,), E.UNKNOWN_KEY.format(key=k))
        try:
            meta = Meta.model_validate(d.get("policy", {}))
        except ValidationError as exc:
            raise self.validation(("policy",), exc) from None
        since = loader.default_since(d.get("policy", {}))

        # Parameters: numbers and lookup tables used by formulas.
        params_raw = dict(d.get("params", {}))
        pdefaults = {"since": params_raw.pop("since", since), "source": params_raw.pop("source", None),
                     "assumed": params_raw.pop("assumed", None)}
        params_raw.pop("note", None)
        number_or_table = TypeAdapter(float | dict[str, float] | dict[str, dict[str, float]])
        params_entries = {name: self.entries(("params", name), v, pdefaults, number_or_table)
                          for name, v in params_raw.items()}

        # Dated sections: each leaf is a dated value validated against its field type.
        sections: dict[str, dict[str, list[Entry]]] = {}
        for section, model in DATED_SECTIONS.items():
            raw = dict(d.get(section, {}))
            if not isinstance(raw, dict):
                raise self.fail((section,), E.BAD_VALUE.format(detail="应为表"))
            sdefaults = {"since": raw.pop("since", since), "source": raw.pop("source", None),
                         "assumed": raw.pop("assumed", None)}
            raw.pop("note", None)
            out = {}
            for key, v in raw.items():
                if key not in model.model_fields:
                    raise self.fail((section, key), E.UNKNOWN_KEY.format(key=key))
                # The field's own annotation with its metadata, so vocabulary checks
                # (Tier, Education, …) run on every dated entry, not only the latest.
                info = model.model_fields[key]
                form: Any = Annotated[info.annotation or Any, *info.metadata] if info.metadata else info.annotation or Any
                adapter: TypeAdapter[Any] = TypeAdapter(form)
                out[key] = self.entries((section, key), v, sdefaults, adapter)
            sections[section] = out
            # Whole-model checks (validators that span fields) on the latest values.
            latest = {k: max(es, key=lambda e: e.since).value for k, es in out.items()}
            try:
                model.model_validate(latest)
            except ValidationError as exc:
                raise self.validation((section,), exc) from None

        posts: dict[str, Post] = {}
        for name, p in d.get("posts", {}).items():
            try:
                posts[name] = Post.model_validate({"name": name, **p})
            except ValidationError as exc:
                raise self.validation(("posts", name), exc) from None

        quota = placement = None
        if "quota" in d:
            try:
                quota = QuotaSection.model_validate(d["quota"])
            except ValidationError as exc:
                raise self.validation(("quota",), exc) from None
            if not quota.assumed and not quota.source:
                raise self.fail(("quota", "formula"), E.MISSING_PROVENANCE)
        if "placement" in d:
            try:
                placement = PlacementSection.model_validate(d["placement"])
            except ValidationError as exc:
                raise self.validation(("placement",), exc) from None
            if not placement.assumed and not placement.source:
                raise self.fail(("placement", "formula"), E.MISSING_PROVENANCE)
        pay = d.get("pay", {})
        for k in pay:
            if k not in KNOWN_PAY:
                raise self.fail(("pay", k), E.UNKNOWN_KEY.format(key=k))
        components: list[Rule] = []
        for i, c in enumerate(pay.get("components", [])):
            try:
                components.append(Rule.model_validate(c))
            except ValidationError as exc:
                raise self.validation(("pay", "components", i, c.get("name", "")), exc) from None
        floor = None
        if "floor" in pay:
            try:
                floor = Rule.model_validate({"name": "保底补差", **pay["floor"]})
            except ValidationError as exc:
                raise self.validation(("pay", "floor"), exc) from None

        tables = {n for n, es in params_entries.items() if any(isinstance(e.value, dict) for e in es)}
        numbers = set(params_entries) - tables
        formulas: dict[str, dict[str, Formula]] = {"quota": {}, "place": {}, "pay": {}}
        layers: dict[str, list[list[str]]] = {}
        file = self.sources[0].name

        def parse(path: tuple[Any, ...], text: str | int | float) -> Formula:
            try:
                return parse_formula(text, place=".".join(map(str, path)), file=file)
            except PolicyError as exc:
                raise self.fail(path, exc.reason) from None

        def check(path: tuple[Any, ...], f: Formula, values: set[str]) -> None:
            try:
                check_names(f, values=values, tables=tables)
            except PolicyError as exc:
                raise self.fail(path, exc.reason) from None

        if quota is not None:
            rules = {n: parse(("quota", "rules", n, "formula"), r.formula) for n, r in quota.rules.items()}
            rules["quota"] = parse(("quota", "formula"), quota.formula)
            for n, f in rules.items():
                path = ("quota", "formula") if n == "quota" else ("quota", "rules", n, "formula")
                check(path, f, set(QUOTA_INPUTS) | numbers | (set(rules) - {"quota"}))
            formulas["quota"] = rules
            layers["quota"] = self.layers(rules, ("quota",))
            bad = [t for t in quota.applies_to if t not in vocab.UNIT_TYPES]
            if bad:
                raise self.fail(("quota", "applies_to"), E.BAD_VALUE.format(detail=f"不认识的单位类型：{'、'.join(bad)}"))
        if placement is not None:
            f = parse(("placement", "formula"), placement.formula)
            check(("placement", "formula"), f, set(PLACE_INPUTS) | numbers)
            formulas["place"] = {"grade": f}
        pay_rules: dict[str, Formula] = {}
        names = [c.name for c in components]
        if len(set(names)) != len(names) or any(not n for n in names):
            raise self.fail(("pay", "components"), E.BAD_VALUE.format(detail="薪酬项目名称必须唯一且不能为空"))
        for i, c in enumerate(components):
            pay_rules[c.name] = parse(("pay", "components", i, "formula"), c.formula)
        pay_values = set(PAY_INPUTS) | numbers | set(names)
        for i, c in enumerate(components):
            check(("pay", "components", i, "formula"), pay_rules[c.name], pay_values)
        if floor is not None:
            ff = parse(("pay", "floor", "formula"), floor.formula)
            check(("pay", "floor", "formula"), ff, pay_values)
            formulas["floor"] = {floor.name: ff}
        formulas["pay"] = pay_rules
        layers["pay"] = self.layers(pay_rules, ("pay", "components"))
        self.types(formulas, layers, posts, params_entries, tables, floor, [c.name for c in components])

        for name, p in posts.items():
            for other in p.direct_from:
                if other not in posts:
                    raise self.fail(("posts", name, "direct_from"), E.UNKNOWN_POST_REF.format(post=other))
        # G-LEN: a post range beyond the ladder's length is an error, for every dated length.
        for e in sections.get("ladder", {}).get("levels", []):
            for name, p in posts.items():
                if e.value is not None and p.grade_max > e.value:
                    raise self.fail(("posts", name, "grade_max"), E.POST_BEYOND_LADDER.format(
                        post=name, lo=p.grade_min, hi=p.grade_max, levels=e.value))
        for section, key in (("mobility", "movable_posts"), ("assignment", "posts")):
            for e in sections.get(section, {}).get(key, []):
                for post in e.value:
                    if post not in posts:
                        raise self.fail((section, key), E.UNKNOWN_POST_REF.format(post=post))
        for e in sections.get("retirement", {}).get("ages", []):
            for by_post in e.value.values():
                for post in by_post:
                    if post != "default" and post not in posts:
                        raise self.fail(("retirement", "ages"), E.UNKNOWN_POST_REF.format(post=post))
        for e in sections.get("careers", {}).get("promotions", []):
            for rule in e.value:
                for post in (rule["from_post"], rule["to_post"]):
                    if post not in posts:
                        raise self.fail(("careers", "promotions"), E.UNKNOWN_POST_REF.format(post=post))
        # C-MIN: each minimum's condition is a formula over the placement inputs.
        for e in sections.get("minimums", {}).get("per_unit", []):
            for i, rule in enumerate(e.value):
                check(("minimums", "per_unit", i, "condition"), parse(("minimums", "per_unit", i, "condition"),
                                                                      rule["condition"]), set(PLACE_INPUTS) | numbers)
        for e in sections.get("careers", {}).get("selections", []):
            for rule in e.value:
                for post in rule.get("from_posts", []):
                    if post not in posts:
                        raise self.fail(("careers", "selections"), E.UNKNOWN_POST_REF.format(post=post))
        for e in sections.get("careers", {}).get("election", []):
            for post in e.value.values():
                if post not in posts:
                    raise self.fail(("careers", "election"), E.UNKNOWN_POST_REF.format(post=post))

        return Policy(meta=meta, posts=posts, params_entries=params_entries, sections=sections,
                      quota_section=quota, placement_section=placement, components=components,
                      floor=floor, formulas=formulas, layers=layers, data=self.data, file=file,
                      sources=self.sources)

    def types(self, formulas: dict[str, dict[str, Formula]], layers: dict[str, list[list[str]]], posts: dict[str, Post],
              params_entries: dict[str, list[Entry]], tables: set[str], floor: Rule | None, components: list[str]) -> None:
        """Infer each formula's type in dependency order; every rule must come out a number."""
        table_values = {n: [e.value for e in params_entries[n]] for n in tables}
        base = input_types(posts) | {n: NUMBER for n in set(params_entries) - tables}

        def one(path: tuple[Any, ...], f: Formula, names: dict[str, Type], what: str) -> Type:
            try:
                t = infer(f, names, table_values)
                expect_number(f, t, what)
            except PolicyError as exc:
                raise self.fail(path, exc.reason) from None
            return t

        names = dict(base)
        for layer in layers.get("quota", []):
            for n in layer:
                path = ("quota", "formula") if n == "quota" else ("quota", "rules", n, "formula")
                names[n] = one(path, formulas["quota"][n], names, "员额" if n == "quota" else f"规则「{n}」")
        if "grade" in formulas["place"]:
            one(("placement", "formula"), formulas["place"]["grade"], dict(base), "定级")
        names = dict(base)
        for layer in layers.get("pay", []):
            for n in layer:
                i = components.index(n)
                names[n] = one(("pay", "components", i, "formula"), formulas["pay"][n], names, f"薪酬项目「{n}」")
        if floor is not None:
            one(("pay", "floor", "formula"), formulas["floor"][floor.name], names, "保底标准")

    def layers(self, rules: dict[str, Formula], path: tuple[Any, ...]) -> list[list[str]]:
        try:
            return dependency_layers(rules)
        except PolicyError as exc:
            raise self.fail(path, exc.reason) from None


def load_policy(name_or_path: str | Path, base_dir: str | Path | None = None) -> Policy:
    """Load a shipped preset by id (e.g. "baohe") or a policy file by path."""
    key = (str(name_or_path), str(base_dir))
    src = loader.read_source(name_or_path, Path(base_dir) if base_dir else None)
    _ = key
    data, sources = loader.load_chain(src, Path(base_dir) if base_dir else None)
    return _Builder(data, sources).build()


def load_policy_text(toml_text: str, name: str = "<text>", base_dir: str | Path | None = None) -> Policy:
    """Load a policy from its text (e.g. stored in the database); `extends` is looked up
    in base_dir, then among the shipped presets."""
    src = loader.Source(name, toml_text)
    data, sources = loader.load_chain(src, Path(base_dir) if base_dir else None)
    return _Builder(data, sources).build()
