"""Attachments go to a folder of the test's own, never to var/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage


@pytest.fixture
def attachment_store(tmp_path: Any) -> Iterator[FileSystemStorage]:
    from shequ.dossier.models import Attachment

    field = Attachment._meta.get_field("file")
    store = FileSystemStorage(location=str(tmp_path / "attachments"))
    old = field.storage
    field.storage = store
    yield store
    field.storage = old
