"""`shequ backup FILE` and `shequ restore FILE`: the whole database in one file.

PostgreSQL: pg_dump in its custom format, restored by pg_restore in a single transaction
(a failed restore leaves the database as it was). SQLite: SQLite's online backup API,
which copies a consistent snapshot even while the app is writing."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"

NOT_A_BACKUP = "“{path}”不是 {kind} 的备份文件"
NO_FILE = "找不到备份文件“{path}”"
CONFIRM = "恢复会用备份覆盖当前数据库“{name}”的全部数据；确认请加 --yes"
TOOL_FAILED = "{tool} 失败（退出码 {code}）：{detail}"
UNSUPPORTED = "不支持的数据库类型：{engine}"


class BackupError(RuntimeError):
    pass


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ, "PGHOST": str(db.get("HOST") or "127.0.0.1"), "PGPORT": str(db.get("PORT") or 5432),
           "PGUSER": str(db.get("USER") or "postgres")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(tool: str, args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(TOOL_FAILED.format(tool=tool, code=result.returncode, detail=result.stderr.strip()[-500:]))


def _engine(db: dict[str, Any]) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(UNSUPPORTED.format(engine=engine))


def backup(*, db: dict[str, Any], path: Path, source: sqlite3.Connection | None = None) -> Path:
    """Write the database `db` (a DATABASES entry) to `path`. On SQLite an open connection
    may be given instead of the file (an in-memory database has no file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if _engine(db) == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}", str(db["NAME"])],
             _pg_env(db))
        return path
    src = source or sqlite3.connect(str(db["NAME"]))
    dst = sqlite3.connect(str(path))
    try:
        src.backup(dst)
    finally:
        dst.close()
        if source is None:
            src.close()
    return path


def restore(*, db: dict[str, Any], path: Path) -> None:
    """Replace the contents of database `db` with the backup at `path`."""
    if not path.exists():
        raise BackupError(NO_FILE.format(path=path))
    head = path.read_bytes()[:16]
    if _engine(db) == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(NOT_A_BACKUP.format(path=path, kind="PostgreSQL"))
        _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                            f"--dbname={db['NAME']}", str(path)], _pg_env(db))
        return
    if not head.startswith(SQLITE_MAGIC):
        raise BackupError(NOT_A_BACKUP.format(path=path, kind="SQLite"))
    src = sqlite3.connect(str(path))
    dst = sqlite3.connect(str(db["NAME"]))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _django_db() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def run_backup(args: argparse.Namespace) -> int:
    db = _django_db()
    try:
        path = backup(db=db, path=Path(args.file))
    except (BackupError, sqlite3.Error, OSError) as exc:
        print(f"备份失败：{exc}")
        return 1
    print(f"已备份数据库“{db['NAME']}”到 {path}（{path.stat().st_size / 1e6:.1f} MB）")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    db = _django_db()
    if not args.yes:
        print(CONFIRM.format(name=db["NAME"]))
        return 2
    from django.db import connections

    connections.close_all()
    try:
        restore(db=db, path=Path(args.file))
    except (BackupError, sqlite3.Error, OSError) as exc:
        print(f"恢复失败，数据库未改动：{exc}")
        return 1
    print(f"已从 {args.file} 恢复数据库“{db['NAME']}”")
    return 0


def register(sub: Any) -> None:
    b = sub.add_parser("backup", help="把当前数据库（DATABASE_URL）备份到一个文件")
    b.add_argument("file", help="备份文件路径")
    b.set_defaults(func=run_backup)
    r = sub.add_parser("restore", help="用备份文件覆盖当前数据库（DATABASE_URL）")
    r.add_argument("file", help="备份文件路径")
    r.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")
    r.set_defaults(func=run_restore)
