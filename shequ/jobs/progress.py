"""How a running job reports its stage and done / total.

Outside its write transaction a handler reports through the ordinary connection, so the
page sees each step at once. Inside it (`writing()`), the ordinary connection's writes are
invisible until the commit, so on PostgreSQL the report goes through a second connection
in autocommit; SQLite has a single writer, so there the write stage is reported when it
ends. Every report is also the job's heartbeat: a running job whose heartbeat stops was
killed (see services.job_reap_stale)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

logger = logging.getLogger(__name__)


class Progress:
    def __init__(self, job_id: int | None = None) -> None:
        self.job_id = job_id
        self.stage_label = ""
        self.total = 0
        self._side: Any = None
        self._in_write = False

    def stage(self, label: str, *, total: int = 0) -> None:
        self.stage_label, self.total = label, total
        self._report(stage=label, done=0, total=total)

    def advance(self, done: int) -> None:
        self._report(stage=self.stage_label, done=min(done, self.total) if self.total else done, total=self.total)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Wrap the handler's write transaction (enter it before `transaction.atomic()`)."""
        use_side = (
            self.job_id is not None and connection.vendor == "postgresql" and not connection.in_atomic_block
        )
        if use_side:
            try:
                self._side = connections.create_connection("default")
                self._side.ensure_connection()
            except DatabaseError:  # progress is best effort; the work itself goes on
                logger.warning("任务 %s 的进度连接未能建立", self.job_id)
                self._side = None
        self._in_write = True
        try:
            yield
        finally:
            self._in_write = False
            if self._side is not None:
                self._side.close()
                self._side = None

    def _report(self, *, stage: str, done: int, total: int) -> None:
        if self.job_id is None:
            return
        now = timezone.now()
        if self._side is not None:
            try:
                with self._side.cursor() as cur:
                    cur.execute(
                        "UPDATE jobs_job SET stage = %s, done = %s, total = %s, heartbeat_at = %s "
                        "WHERE id = %s AND status = 'running'",
                        [stage, done, total, now, self.job_id],
                    )
            except DatabaseError:
                logger.warning("任务 %s 的进度未能写入", self.job_id)
        else:
            from shequ.jobs.models import Job, JobStatus

            Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                stage=stage, done=done, total=total, heartbeat_at=now
            )
        pause = float(getattr(settings, "TASK_STEP_PAUSE", 0) or 0)
        if pause:
            # Only set to watch progress by eye or to kill a worker mid-task in a test.
            time.sleep(pause)


def chunks(total: int, *, parts: int = 20, minimum: int = 500) -> list[tuple[int, int]]:
    """(offset, length) slices that split `total` rows into about `parts` progress steps."""
    size = max(minimum, -(-total // parts)) if total else 1
    return [(start, min(size, total - start)) for start in range(0, total, size)]
