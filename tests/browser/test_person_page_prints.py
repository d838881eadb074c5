"""The person's page (档案, issue 14.5) prints as one A4 sheet and reads on a phone."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shequ.dossier.services import attachment_upload
from tests.browser.conftest import ARTIFACTS, login, shot
from tests.dossier.test_person_page import _history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("attachment_store")]


def png(width: int = 90, height: int = 120) -> bytes:
    """A plain blue-grey portrait-shaped PNG."""
    row = b"\x00" + bytes((120, 140, 170)) * width
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def test_a_person_page_with_photo_and_history_prints_on_one_a4_page(world, live_server, page):
    w = _history(world)
    attachment_upload(worker=w, kind="photo", upload=SimpleUploadedFile("照片.png", png()), note="", actor=world.street_a_hr)
    login(page, live_server, "street_a_hr")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/dossier/{w.pk}/")
    assert page.locator("#dossier .photo img").evaluate("img => img.naturalWidth") == 90
    shot(page, "dossier-1366")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "dossier.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info, info
    assert "(A4)" in info, info
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(ARTIFACTS / "dossier-print")], check=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "打印档案" not in text and "刘少萌" in text and "年度考核" in text and "5,259.31" in text

    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dossier/{w.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "dossier-390")
    assert Path(ARTIFACTS / "dossier-print.png").exists()
