"""The first page, rendered through LibreOffice when it is installed, is an A4 page with text on it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from zhenwu.documents.docx import render
from zhenwu.org.models import User
from zhenwu.reports import services
from zhenwu.reports.kinds import spec_for

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.usefixtures("full_demo"),
    pytest.mark.skipif(
        SOFFICE is None or PDFTOPPM is None, reason="LibreOffice or pdftoppm is not installed"
    ),
]


def test_the_demo_half_year_report_renders_its_first_page_to_png(db: None, tmp_path: Path) -> None:
    from PIL import Image

    admin = User.objects.get(username="admin")
    document = services.report(admin, services.find_unit(admin, "示范镇"), spec_for("half-year", 2026))
    source = tmp_path / "report.docx"
    source.write_bytes(render(document))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    command = [SOFFICE, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    pages = [PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "report.pdf")]
    subprocess.run([*pages, str(tmp_path / "report")], check=True, capture_output=True, timeout=60)
    png = tmp_path / "report.png"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png, ARTIFACTS / "report_first_page.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.02  # an A4 page, portrait
    # ink inside the text block, none in the left and right margins
    left_margin = image.crop((0, 0, int(width * 20 / 210), height))
    body = image.crop((int(width * 28 / 210), int(height * 37 / 297), int(width * 184 / 210), height // 2))
    assert left_margin.getextrema()[0] > 200
    assert body.getextrema()[0] < 100
