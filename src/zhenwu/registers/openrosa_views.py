"""The OpenRosa server ODK Collect and KoboCollect talk to: the server URL is `https://HOST/openrosa`.

- `GET  /openrosa/formList`: the Form List API, the registers the user may fill
  (docs.getodk.org/openrosa-form-list).
- `GET  /openrosa/forms/<pk>/form.xml`: one register's XForm (made by pyxform when it was loaded).
- `HEAD /openrosa/submission`: 204, telling Collect how many bytes one POST may carry.
- `POST /openrosa/submission`: the Form Submission API, a multipart body with `xml_submission_file`
  and the photos the record names (docs.getodk.org/openrosa-form-submission).

Every answer carries the OpenRosa headers (docs.getodk.org/openrosa-http). A request without
`X-OpenRosa-Version` is still answered: the header is the client's to send, and refusing it would only
lock out a browser or curl used to check the server.

Authentication is HTTP Basic with the user's account or with their device key (`devicekeys`), never a
session: no cookie is set and CSRF does not apply (a phone has no form page to take a token from). Where
OPENROSA_REQUIRE_HTTPS is on (the default whenever cookies are secure), a request over plain HTTP is
refused before any challenge, so that Collect never sends a password in clear. A password attempt goes
through django-axes like a login: a locked account is refused whatever it presents.

A submission Collect splits into several POSTs (all but the last with a part `*isIncomplete*`, each with
the whole record and some photos) is put together: the photos of each part are checked and kept aside, and
the last part stores the record with them. The accepted length told in every answer covers a record with
all its photos, so Collect seldom splits.

A sent form edited in Collect comes back with a new instanceID and the one it replaces in
meta/deprecatedID (docs.getodk.org/openrosa-metadata): the record is updated in place
(`services.edit_record`), and both ids then answer a resend with 202.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from zhenwu.cases.services import MAX_PHOTO_BYTES, MAX_PHOTOS, accept_photo
from zhenwu.org import scope
from zhenwu.org.models import User

from . import devicekeys, media, openrosa, services
from .models import Register, RegisterRecord, RegisterVersion

REALM = "zhenwu"
# One POST may carry the record and every photo it may have, with room for the multipart framing.
ACCEPT_LENGTH = openrosa.MAX_SUBMISSION_BYTES + MAX_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024
MEDIA_DIR = media.MEDIA_DIR
INTEGER = re.compile(r"[+-]?\d{1,18}")

View = Callable[..., HttpResponse]


# --- answers ---------------------------------------------------------------------------------------


def _answer(
    body: bytes = b"", status: int = 200, content_type: str = openrosa.XML_CONTENT_TYPE
) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    for name, value in openrosa.openrosa_headers(ACCEPT_LENGTH).items():
        response[name] = value
    # Form lists and answers are the user's own: no shared cache may keep them.
    response["Cache-Control"] = "no-store"
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    """An OpenRosaResponse with one message, which Collect shows to the grid worker."""
    return _answer(openrosa.response_xml(text, nature), status)


def _challenge(text: str = "请登录：用户名和密码(或设备密钥)不正确。") -> HttpResponse:
    response = _message(text, 401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


# --- who is asking ---------------------------------------------------------------------------------


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, secret = decoded.partition(":")
    if not colon or not username or not secret or len(username) > 150 or len(secret) > 512:
        return None
    return username, secret


def _user(request: HttpRequest, username: str, secret: str) -> User | None:
    """The user a device key or a password names. A wrong one counts towards the account's lockout."""
    user = devicekeys.user_for_key(username, secret)
    if user is not None:
        return user
    found = authenticate(request, username=username, password=secret)
    return found if isinstance(found, User) and found.is_active else None


def openrosa_view(view: View) -> View:
    """HTTPS where required, then Basic authentication (password or device key) without a session."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.OPENROSA_REQUIRE_HTTPS and not request.is_secure():
            return _message("请使用 https:// 开头的服务器地址：本服务器不接受明文传送的密码。", 403)
        given = _credentials(request)
        if given is None:
            return _challenge("请在 ODK Collect 中填写用户名和密码(或设备密钥)。")
        username, secret = given
        if AxesProxyHandler.is_locked(request, credentials={"username": username}):
            return _message("登录失败次数过多，账号已暂时锁定，请稍后再试或联系乡镇管理员。", 403)
        user = _user(request, username, secret)
        if user is None:
            return _challenge()
        request.user = user
        return view(request, *args, **kwargs)

    return wrapped


# --- the form list and the forms -------------------------------------------------------------------


def _writable(user: User) -> Any:
    return services.registers_for(user, write=True).filter(current_version__isnull=False)


@require_http_methods(["GET", "HEAD"])
@openrosa_view
def form_list(request: HttpRequest) -> HttpResponse:
    registers = _writable(request.user)  # type: ignore[arg-type]
    if form_id := request.GET.get("formID", "").strip():
        registers = registers.filter(form_id=form_id)  # the spec: only this form, when asked
    verbose = request.GET.get("verbose", "").lower() == "true"
    entries = [_entry(request, register, verbose) for register in registers]
    return _answer(openrosa.form_list_xml(entries))


def _entry(request: HttpRequest, register: Register, verbose: bool) -> openrosa.FormEntry:
    version = register.current_version
    assert version is not None
    url = request.build_absolute_uri(reverse("openrosa:form-xml", args=[register.pk]))
    description = f"{register.township.name}{register.get_kind_display()}" if verbose else ""
    return openrosa.FormEntry(
        form_id=register.form_id,
        name=register.title,
        version=version.version,
        hash=f"md5:{version.md5}",
        download_url=url,
        description=description,
    )


@require_http_methods(["GET", "HEAD"])
@openrosa_view
def form_xml(request: HttpRequest, pk: int) -> HttpResponse:
    register = _writable(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if register is None:
        return _message("台账不存在或无权填报。", 404)
    assert register.current_version is not None
    return _answer(register.current_version.xform.encode("utf-8"))


# --- submissions -----------------------------------------------------------------------------------


class Refused(Exception):
    """A submission answered with an OpenRosaResponse message and a status, not stored."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@require_http_methods(["HEAD", "POST"])
@openrosa_view
def submission(request: HttpRequest) -> HttpResponse:
    if request.method == "HEAD":
        return _answer(status=204)
    try:
        status, message = _receive(request)
    except Refused as refusal:
        return _message(str(refusal), refusal.status)
    return _message(message, status, nature="submit_success")


def _receive(request: HttpRequest) -> tuple[int, str]:
    length = _content_length(request)
    if length > ACCEPT_LENGTH:
        raise Refused(f"提交的内容过大({length // 1024 // 1024} MB)，请减少照片后再提交。", 413)
    xml = _submission_xml(request)
    try:
        found = openrosa.parse_submission(xml)
    except openrosa.SubmissionError as error:
        raise Refused(str(error)) from None
    user: User = request.user  # type: ignore[assignment]
    version = _version(user, found)
    record = services.record_by_instance(found.instance_id)
    if (
        record is not None
        and record.register_id == version.register_id
        and scope.unit_in_scope(user, record.unit)
    ):
        # The phone did not hear the first answer and sent the record (or an edit of it, or the version
        # an edit replaced) again: acknowledged, kept once.
        return 202, "该记录此前已收到，无需再次提交。"
    edited = _edited_record(user, version, found) if found.deprecated_id else None
    if openrosa.INCOMPLETE_PART in request.POST or openrosa.INCOMPLETE_PART in request.FILES:
        return 201, _keep_part(request, user, version, found)
    if edited is not None:
        return _edit(request, user, version, found, edited)
    return 201, _store(request, user, version, found)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _submission_xml(request: HttpRequest) -> bytes:
    part = request.FILES.get(openrosa.SUBMISSION_PART)
    if part is not None:
        return part.read(openrosa.MAX_SUBMISSION_BYTES + 1)
    text = request.POST.get(openrosa.SUBMISSION_PART, "")
    if not text:
        raise Refused(f"提交中缺少记录内容(表单项 {openrosa.SUBMISSION_PART})。")
    return text.encode("utf-8")


def _version(user: User, found: openrosa.Submission) -> RegisterVersion:
    """The version the record was filled with: a record of an old version is kept under that version."""
    version = services.fillable_version(user, found.form_id, found.version)
    if version is not None:
        return version
    readable = services.registers_named(user, found.form_id)
    registers = [r for r in readable if r.current_version_id and services.may_write(user, r)]
    if not registers:
        if readable:
            raise Refused("您无权填报该台账。", 403)
        raise Refused(f"台账“{found.form_id}”不存在或无权填报。", 404)
    if len(registers) > 1:
        raise Refused(f"多个乡镇都有编号为“{found.form_id}”的台账，请在网页上填报。")
    register = registers[0]
    # The workbook and the XForm are not needed to check and store a record.
    version = register.versions.defer("source", "xform").filter(version=found.version).first()
    if version is None:
        raise Refused(
            f"台账“{register.title}”没有版本“{found.version}”，请在 ODK Collect 中重新下载表单后再填。"
        )
    version.register = register
    return version


def _store(request: HttpRequest, user: User, version: RegisterVersion, found: openrosa.Submission) -> str:
    definition = version.parsed()
    values = submitted_values(definition, found)
    photos = _photos(request, user, definition, found, values)
    try:
        # _receive found no record of this instance id
        record = services.store_new_record(
            user, version.register, values, instance_id=found.instance_id, version=version
        )
    except PermissionDenied as error:
        raise Refused(str(error) or "您无权填报该台账。", 403) from None
    except ValidationError as error:
        raise Refused(_messages(definition, error)) from None
    _save(photos)
    return f"已保存到台账“{record.register.title}”。"


# An edit names the version it replaces by that version's instanceID (deprecatedID): a record the user
# may not see is named exactly like one that does not exist.
UNKNOWN_EDIT = "要修改的记录不存在或无权修改(deprecatedID 未找到)，修改未保存。"
CHANGED = "该记录此后已被修改过，本次修改未保存；请在网页上查看该记录的最新内容。"


def _edited_record(user: User, version: RegisterVersion, found: openrosa.Submission) -> RegisterRecord:
    """The record an edit Collect sends replaces (meta/deprecatedID names its latest instanceID)."""
    record = services.record_by_instance(found.deprecated_id)
    if (
        record is None
        or record.register_id != version.register_id
        or not scope.unit_in_scope(user, record.unit)
        or not services.may_read(user, record.register)
    ):
        raise Refused(UNKNOWN_EDIT, 404)
    if record.instance_id != found.deprecated_id:
        raise Refused(CHANGED, 409)  # another edit of the same version came first
    if not services.may_edit_record(user, record):
        raise Refused("您无权修改该记录。", 403)
    return record


def _edit(
    request: HttpRequest,
    user: User,
    version: RegisterVersion,
    found: openrosa.Submission,
    record: RegisterRecord,
) -> tuple[int, str]:
    """An edit of a sent record (ODK Collect's edit of a sent form): the record is updated in place. A
    photo the edit names but does not send again is the one the record already holds by that name."""
    definition = version.parsed()
    values = submitted_values(definition, found)
    photos = _photos(request, user, definition, found, values, held=record.data)
    try:
        updated = services.edit_record(
            user,
            record,
            values,
            replaces=found.deprecated_id,
            instance_id=found.instance_id,
            version=version,
        )
    except services.RecordChanged:
        again = services.record_by_instance(found.instance_id)
        if again is not None and again.pk == record.pk:
            return 202, "该记录此前已收到，无需再次提交。"  # the same edit, sent twice at once
        raise Refused(CHANGED, 409) from None
    except PermissionDenied as error:
        raise Refused(str(error) or "您无权修改该记录。", 403) from None
    except ValidationError as error:
        raise Refused(_messages(definition, error)) from None
    _save(photos)
    return 201, f"已更新台账“{updated.register.title}”中的这条记录。"


def _save(photos: list[Photo]) -> None:
    for photo in photos:
        default_storage.save(photo.name, photo.upload)
        if photo.pending:
            photo.upload.close()
            default_storage.delete(photo.pending)


def submitted_values(definition: Any, found: openrosa.Submission) -> dict[str, Any]:
    """An XForm instance's texts as `create_record` takes values (as the Excel import gives them): an
    integer as int, a decimal as Decimal, a date as date, a select_multiple as a tuple of names; a
    repeat's rows (its elements in the submission's `blocks`) as a list of such dicts. Blank answers are
    left out, as are notes and elements that are not fields of the form (Collect's own metadata). A text
    that does not convert is passed as it is, for the check to name its field."""
    values = _answers(definition.fields, found.values)
    for repeat in definition.repeats:
        rows = found.blocks.get(repeat.name, [])
        if rows:
            values[repeat.name] = [_answers(repeat.fields, row) for row in rows]
    return values


def _answers(fields: Any, texts: dict[str, str]) -> dict[str, Any]:
    named = {field.name: field for field in fields if field.type != "note"}
    return {
        name: _converted(named[name].type, text) for name, text in texts.items() if name in named and text
    }


def _converted(kind: str, text: str) -> Any:
    if kind == "integer" and INTEGER.fullmatch(text):
        return int(text)
    if kind == "decimal":
        try:
            return Decimal(text)
        except InvalidOperation:
            return text
    if kind == "date":
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return text
    if kind == "select_multiple":
        return tuple(text.split())
    return text


@dataclass(frozen=True)
class Photo:
    name: str
    upload: Any  # an UploadedFile, or the File kept from an earlier part
    pending: str = ""  # where an earlier part's photo was kept, removed once the record is stored


def _photos(
    request: HttpRequest,
    user: User,
    definition: Any,
    found: openrosa.Submission,
    values: dict[str, Any],
    held: dict[str, Any] | None = None,
) -> list[Photo]:
    """The photos the record names, checked as a case's photos are; each image field then holds the
    name the photo is stored under. `held` are the values of the record an edit replaces: a photo the
    edit names but does not send is the one held under that file name, if any."""
    images = {field.name: field for field in definition.fields if field.type == "image"}
    folder = media.instance_folder(found.instance_id)
    photos = []
    for name in images:
        file_name = values.get(name)
        if not file_name:
            continue
        upload: Any = _part(request, str(file_name))
        pending = media.pending_name(user.pk, found.instance_id, str(file_name)) if upload is None else ""
        if pending and default_storage.exists(pending):
            upload = default_storage.open(pending)
        label = images[name].label or name
        if upload is None and (kept := _held_photo(held, name, str(file_name))):
            values[name] = kept
            continue
        if upload is None:
            raise Refused(f"“{label}”的照片 {file_name} 没有随记录一起发送，请在 ODK Collect 中重新发送。")
        try:
            # A HEIC photo is stored as a JPEG under Collect's file name, which the record names.
            upload, _type = accept_photo(upload)
        except ValidationError as error:
            raise Refused(f"{label}：{_first(error)}") from None
        stored = f"{MEDIA_DIR}/{definition.form_id}/{folder}/{default_storage.get_valid_name(str(file_name))}"
        values[name] = stored
        photos.append(Photo(stored, upload, pending if upload is not None and pending else ""))
    return photos


def _held_photo(held: dict[str, Any] | None, name: str, file_name: str) -> str:
    """The stored photo an edited record already holds in field `name` under Collect's `file_name`."""
    value = (held or {}).get(name)
    stored_as = default_storage.get_valid_name(file_name)
    if isinstance(value, str) and value.rsplit("/", 1)[-1] == stored_as:
        return value
    return ""


def _keep_part(request: HttpRequest, user: User, version: RegisterVersion, found: openrosa.Submission) -> str:
    """One of the parts Collect splits a large record into (all but the last say `*isIncomplete*`):
    each carries the whole record and some of its photos. The photos are checked now and kept aside
    for the last part, which stores the record; a photo the record does not name is not kept."""
    definition = version.parsed()
    values = submitted_values(definition, found)
    kept = 0
    for field in definition.fields:
        file_name = str(values.get(field.name) or "") if field.type == "image" else ""
        upload = _part(request, file_name) if file_name else None
        if upload is None:
            continue
        try:
            upload, _type = accept_photo(upload)
        except ValidationError as error:
            raise Refused(f"{field.label or field.name}：{_first(error)}") from None
        name = media.pending_name(user.pk, found.instance_id, file_name)
        if default_storage.exists(name):
            default_storage.delete(name)  # the same part sent again
        default_storage.save(name, upload)
        kept += 1
    return f"已收到该记录的一部分(照片{kept}张)，全部发送后保存。"


def _part(request: HttpRequest, file_name: str) -> UploadedFile | None:
    """Collect names each media part by its file name."""
    upload = request.FILES.get(file_name)
    if upload is not None:
        return upload
    return next((f for f in request.FILES.values() if f.name == file_name), None)


def _first(error: ValidationError) -> str:
    return error.messages[0] if error.messages else "照片无效。"


def _messages(definition: Any, error: ValidationError) -> str:
    """The refusal as Collect shows it: each field by its label, with its message (a constraint's own)."""
    labels = {field.name: field.label or field.name for field in definition.fields}
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    # A repeat's row is named in its message already (产出第2项「数量」：…), and so is a whole repeat.
    return "；".join(
        message
        if definition.repeat_place(name) or name in definition.repeats_by_name
        else f"{labels.get(name, name)}：{message}"
        for name, messages in error.message_dict.items()
        for message in messages
    )
