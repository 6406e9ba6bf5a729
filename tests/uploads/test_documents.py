"""Reports sent to the number check (核数) and back to the report check (核对修改稿): a .docx is checked as a
zip before python-docx opens it, text has a length limit, and a refusal is a message on the page, never
a 500. The limits are docs/uploads.md's, lowered where a test needs a small file."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.uploads import crafted
from zhenwu.core import uploads
from zhenwu.reader import read_bytes

DOCUMENT_PART = "word/document.xml"


def lower(monkeypatch: pytest.MonkeyPatch, kind: str, **limits: int) -> None:
    monkeypatch.setitem(uploads.LIMITS, kind, dataclasses.replace(uploads.LIMITS[kind], **limits))


@pytest.fixture
def no_python_docx(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if python-docx is asked to open the document: the refusal must come first."""
    import docx

    original = docx.Document

    def refuse(*args: object, **kwargs: object) -> object:
        if args or kwargs:
            raise AssertionError("python-docx opened a file that should have been refused before")
        return original()  # a new, empty document: how the tests build theirs

    monkeypatch.setattr(docx, "Document", refuse)


def bomb() -> bytes:
    """A .docx whose body is 30 MB of spaces: a few kilobytes sent, a thousand times that unpacked."""
    body = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>' + b" " * (30 * 1024 * 1024)
    return crafted.rewrite(
        crafted.docx_bytes(["x"]), DOCUMENT_PART, lambda _: body + b"</w:body></w:document>"
    )


def check_page(client: Client, cast: Cast, **data: object) -> str:
    client.force_login(cast.user("cun01"))
    response = client.post(reverse("web:number-check"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_a_docx_zip_bomb_sent_to_the_number_check_is_refused_on_the_page(
    cast: Cast, client: Client, no_python_docx: None
) -> None:
    page = check_page(client, cast, upload=SimpleUploadedFile("报告.docx", bomb()))
    assert "文件“报告.docx”中的部件“word/document.xml”解压后超过" in page or "压缩比超过100倍" in page
    assert "<mark" not in page


def test_a_docx_with_too_much_markup_is_refused(
    cast: Cast, client: Client, no_python_docx: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "number_check", max_tags=500)
    data = crafted.docx_bytes(["全镇完成投资4.9亿元。"] * 200)
    page = check_page(client, cast, upload=SimpleUploadedFile("报告.docx", data))
    assert "文件“报告.docx”结构过于庞大(XML 标记超过500个)，拒绝读取。" in page


def test_a_docx_whose_text_is_too_long_is_refused(
    cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "number_check", max_chars=1_000)
    data = crafted.docx_bytes(["全镇完成投资4.9亿元。"] * 200)
    page = check_page(client, cast, upload=SimpleUploadedFile("报告.docx", data))
    assert "“报告.docx”超过1000字，请分段核对。" in page


def test_pasted_text_has_the_same_length_limit(
    cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "number_check", max_chars=1_000)
    page = check_page(client, cast, text="完成投资4.9亿元。" * 200)
    assert "粘贴的文字超过1000字，请分段核对。" in page


def test_a_text_file_over_its_size_is_refused(
    cast: Cast, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower(monkeypatch, "number_check", max_bytes=1_000)
    page = check_page(client, cast, upload=SimpleUploadedFile("报告.txt", "完成投资。".encode() * 100))
    assert f"文件“报告.txt”超过{uploads.size_text(1_000)}，拒绝读取。" in page


def test_a_docx_part_that_lies_about_its_size_is_refused(cast: Cast, client: Client) -> None:
    data = crafted.declare_size(crafted.docx_bytes(["完成投资4.9亿元。"] * 50), DOCUMENT_PART, 10)
    page = check_page(client, cast, upload=SimpleUploadedFile("报告.docx", data))
    assert "文件“报告.docx”已损坏(部件大小或校验和与记录不符)，拒绝读取。" in page


def test_a_docx_bomb_sent_back_to_the_report_check_is_refused_on_the_page(
    cast: Cast, client: Client, no_python_docx: None
) -> None:
    client.force_login(cast.user("admin"))
    upload = SimpleUploadedFile("修改稿.docx", bomb())
    response = client.post(
        f"/reports/check/?org={cast.township.code}", {"kind": "half-year", "year": 2026, "draft": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件“修改稿.docx”" in page and "拒绝读取" in page


def test_the_reader_reads_a_sound_docx_as_before() -> None:
    data = crafted.docx_bytes(["一、工作成效", "完成固定资产投资4.9亿元。"])
    assert read_bytes(data, "报告.docx") == "一、工作成效\n完成固定资产投资4.9亿元。"
