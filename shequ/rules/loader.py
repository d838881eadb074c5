"""Reading policy files: TOML, `extends`, provenance defaults, and error locations."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from shequ.rules import errors as E
from shequ.rules.errors import PolicyError

PRESETS_DIR = Path(__file__).resolve().parents[2] / "policies"
PROVENANCE_KEYS = {"since", "source", "assumed", "note"}


class Source:
    """The text of one policy file, for locating keys by line."""

    def __init__(self, name: str, text: str, path: Path | None = None):
        # `name` is what messages show: a preset's file name or the path the analyst gave,
        # never the server's absolute path; `path` is where the file really is.
        self.name = name
        self.text = text
        self.path = path
        self._index = _index_lines(text)

    def line_of(self, path: tuple[Any, ...]) -> int | None:
        want = tuple(str(p) for p in path if not isinstance(p, int))
        best: tuple[int, int] | None = None  # (matched length, line)
        for keypath, line in self._index:
            n = 0
            for a, b in zip(keypath, want, strict=False):
                if a != b:
                    break
                n += 1
            if n == 0:
                continue
            if best is None or n > best[0]:
                best = (n, line)
            if n == len(want):
                break
        return best[1] if best else None

    def line_in_item(self, array: tuple[str, ...], name: str, key: str | None) -> int | None:
        """Line of `key` inside the `[[array]]` item whose `name` is `name` (else the line of
        its header): items of an array share key paths, so only the name tells them apart."""
        blocks: list[tuple[int, dict[str, int], Any]] = []
        current: tuple[int, dict[str, int], list[Any]] | None = None
        for no, line in enumerate(self.text.splitlines(), start=1):
            m = _HEADER.match(line)
            if m and not _ASSIGN.match(line):
                if current is not None:
                    blocks.append((current[0], current[1], current[2][0] if current[2] else None))
                is_item = line.strip().startswith("[[") and _split_key(m.group(1)) == array
                current = (no, {}, []) if is_item else None
                continue
            m = _ASSIGN.match(line)
            if current is None or not m:
                continue
            k = _split_key(m.group(1))
            if len(k) == 1:
                current[1].setdefault(k[0], no)
                if k[0] == "name":
                    try:
                        current[2].append(tomllib.loads(line).get("name"))
                    except tomllib.TOMLDecodeError:
                        pass
        if current is not None:
            blocks.append((current[0], current[1], current[2][0] if current[2] else None))
        for header, keys, item_name in blocks:
            if item_name == name:
                return keys.get(key, header) if key else header
        return None


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*((?:\"[^\"]*\"|'[^']*'|[\w\-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[\w\-]+))*)\s*=")


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([\w\-]+)", key)
    return tuple(a or b or c for a, b, c in parts)


def _index_lines(text: str) -> list[tuple[tuple[str, ...], int]]:
    out: list[tuple[tuple[str, ...], int]] = []
    header: tuple[str, ...] = ()
    for no, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m and not _ASSIGN.match(line):
            header = _split_key(m.group(1))
            out.append((header, no))
            continue
        m = _ASSIGN.match(line)
        if m:
            out.append((header + _split_key(m.group(1)), no))
    return out


def read_source(name_or_path: str | Path, base_dir: Path | None = None) -> Source:
    """Find a preset id or a path and read its text."""
    candidates: list[Path] = []
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        candidates.append(p if p.is_absolute() or base_dir is None else base_dir / p)
        candidates.append(p)
    else:
        if base_dir is not None:
            candidates.append(base_dir / f"{name_or_path}.toml")
        candidates.append(PRESETS_DIR / f"{name_or_path}.toml")
    for c in candidates:
        if c.is_file():
            shown = c.name if c.resolve().parent == PRESETS_DIR or c.is_absolute() else str(c)
            return Source(shown, _read_text(c, shown), c)
    raise PolicyError(E.FILE_NOT_FOUND.format(name=name_or_path))


def _read_text(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError:
        raise PolicyError(E.FILE_NOT_FOUND.format(name=shown)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise PolicyError(E.NOT_UTF8, file=shown, line=line) from None


# tomllib's messages, in Chinese, for the mistakes an analyst makes editing a policy by hand.
_TOML_ZH: list[tuple[str, str]] = [
    (r"^Unclosed array", "方括号「[」没有闭合：列表要以「]」结束，元素之间用逗号分隔"),
    (r"^Unclosed inline table", "花括号「{」没有闭合：内联表 { … } 要写在同一行内，以「}」结束"),
    (r"^Expected '\]' at the end of a table declaration", "表头缺少右方括号「]」"),
    (r"^Expected '\]\]' at the end of an array declaration", "表头缺少右方括号「]]」"),
    (r"^Illegal character '\\n'", "这一行的引号没有闭合：文字要写成 \"…\"，两边都有引号"),
    (r"^Illegal character", "含有不允许的字符（控制字符或不可见字符），请删除"),
    (r"^Expected (\"'\"|'\"')", "引号没有闭合：文字要写成 \"…\"，两边都有引号"),
    (r"^Unterminated string", "引号没有闭合：文字要写成 \"…\"，两边都有引号"),
    (r"^Cannot overwrite a value", "重复的键：同一个键（或同名的表）写了两次，请删去一个"),
    (r"^Cannot declare .* twice", "重复的表头：同一个 [表] 声明了两次，请合并成一个"),
    (r"^Cannot mutate immutable namespace", "重复的键：这个表已经在别处整体写过，不能再添加键"),
    (r"^Duplicate inline table key", "内联表 { … } 中有重复的键"),
    (r"^Invalid date or datetime", "日期写法不对，应为 2024-01-01"),
    (r"^Invalid value", "取值写法不对：文字要加引号（如 \"本科\"），数字、日期和 true/false 不加引号"),
    (r"^Expected '=' after a key", "键后面缺少「=」：可能是上一行没写完、行首多了内容，或用了全角的「＝」"),
    (r"^Expected newline or end of document", "一行只能写一个「键 = 值」：这一行的值后面还有多余的内容"),
    (r"^Invalid statement", "这一行既不是「键 = 值」也不是「[表头]」：中文键名要加引号，如 \"岗位\" = 1"),
    (r"^Invalid initial character for a key part", "键名写法不对：内联表 { … } 要写在同一行内，中文键名要加引号"),
    (r"^Expected ',' or '}'", "内联表 { … } 中的键值之间要用逗号分隔，并以「}」结束"),
    (r"^Unclosed", "括号或引号没有闭合"),
]


def toml_detail(message: str) -> str:
    for pattern, zh in _TOML_ZH:
        if re.search(pattern, message):
            return zh
    return "写法不符合 TOML 格式"


def parse_toml(src: Source) -> dict[str, Any]:
    try:
        return tomllib.loads(src.text)
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", text)
        line = int(m.group(1)) if m else (src.text.count("\n") + 1 if "end of document" in text else None)
        detail = toml_detail(text)
        if m:
            detail = f"第{m.group(2)}列：{detail}"
        raise PolicyError(E.TOML_SYNTAX.format(detail=detail), file=src.name, line=line) from None


def merge(parent: Any, child: Any) -> Any:
    """Child overrides parent. Tables merge key by key; lists of named tables merge by name;
    other lists (including dated value lists) are replaced whole."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for k, v in child.items():
            out[k] = merge(parent[k], v) if k in parent else v
        return out
    if (isinstance(parent, list) and isinstance(child, list) and parent and child
            and all(isinstance(x, dict) and "name" in x for x in parent + child)):
        order = [x["name"] for x in parent]
        by_name = {x["name"]: x for x in parent}
        for x in child:
            if x["name"] not in by_name:
                order.append(x["name"])
            by_name[x["name"]] = merge(by_name.get(x["name"], {}), x) if x.get("replace") is not True else x
        return [{k: v for k, v in by_name[n].items() if k != "replace"} for n in order if not by_name[n].get("remove")]
    return child


def load_chain(src: Source, base_dir: Path | None, seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[Source]]:
    """Parse a file and its `extends` ancestors; return the merged dict and all sources
    (child first) for error locations."""
    data = normalize(parse_toml(src))
    meta = data.get("policy", {})
    parent_name = meta.get("extends") if isinstance(meta, dict) else None
    if not parent_name:
        return data, [src]
    if parent_name in seen or src.name in seen:
        raise PolicyError(E.EXTENDS_CYCLE.format(chain=" → ".join((*seen, src.name, parent_name))), file=src.name, place="policy.extends")
    here = src.path.parent if src.path is not None else base_dir
    parent_src = read_source(parent_name, here)
    parent, sources = load_chain(parent_src, base_dir, (*seen, src.name))
    # Metadata is the child's own; everything else inherits.
    parent = {k: v for k, v in parent.items() if k != "policy"}
    merged = merge(parent, data)
    return merged, [src, *sources]


def is_dated_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) and "since" in x and "value" in x for x in v)


def is_entry(v: Any) -> bool:
    return isinstance(v, dict) and "value" in v and set(v) <= {"value", *PROVENANCE_KEYS}


def to_entries(v: Any, defaults: dict[str, Any]) -> list[dict[str, Any]]:
    """Turn a plain value, a {value, since, ...} table or a list of them into entries,
    filling since/source/assumed from the enclosing section."""
    if is_entry(v) and is_dated_list(v["value"]):
        # `value = [{since, value, ...}, ...]` inside a table: the table's keys are defaults.
        outer = {k: x for k, x in v.items() if k != "value"}
        return to_entries(v["value"], {**defaults, **outer})
    raw = v if is_dated_list(v) else [v if is_entry(v) else {"value": v}]
    out = []
    for e in raw:
        e = dict(e)
        has_own_provenance = "source" in e or "assumed" in e
        for k in ("since", "source", "assumed"):
            if k not in e and defaults.get(k) is not None:
                if k != "since" and has_own_provenance:
                    continue
                e[k] = defaults[k]
        out.append(e)
    return out


def default_since(meta: dict[str, Any]) -> dt.date | None:
    v = meta.get("since")
    return v if isinstance(v, dt.date) else None


DATED_SECTION_NAMES = {
    "units", "assessment", "training", "certification", "reserve", "dispatch", "exam",
    "probation", "retirement", "mobility", "benefits", "quota_review", "conversion", "mentoring", "rotation",
    "careers", "grids", "statistics", "tax", "pay_items", "leave", "welfare",
}


def normalize(data: dict[str, Any]) -> dict[str, Any]:
    """Make every dated value of one file explicit (since/source/assumed filled from its
    section and from `policy.since`), so that values keep their own provenance when
    another file extends this one."""
    meta = data.get("policy", {}) if isinstance(data.get("policy"), dict) else {}
    since = default_since(meta)
    out = dict(data)
    for section in DATED_SECTION_NAMES | {"params"}:
        raw = data.get(section)
        if not isinstance(raw, dict):
            continue
        raw = dict(raw)
        defaults = {"since": raw.pop("since", since), "source": raw.pop("source", None),
                    "assumed": raw.pop("assumed", None)}
        raw.pop("note", None)
        if section == "params":
            out[section] = {k: _param_entries(v, defaults) for k, v in raw.items()}
        else:
            out[section] = {k: to_entries(v, defaults) for k, v in raw.items()}
    return out


def _param_entries(v: Any, defaults: dict[str, Any]) -> Any:
    """A parameter is written either as a table with `value` (and its own provenance) or as
    a dated list; its own since/source/assumed override the section's."""
    if isinstance(v, dict) and "value" in v and set(v) <= {"value", *PROVENANCE_KEYS}:
        return to_entries(v, defaults)
    if is_dated_list(v):
        return to_entries(v, defaults)
    return to_entries(v, defaults)
