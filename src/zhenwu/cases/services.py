"""Every write to cases and every figure computed from them.

Views, the REST API, Open311, commands and other apps call these functions; none of them saves a case
itself. A transition claims the case by its version first, so two people acting at once cannot both
succeed: the second is told who acted first ("该事件已被钱镇长于…处理（受理），请刷新") and nothing of the
first is lost.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from itertools import chain
from typing import Any, Generic, TypeVar

import pillow_heif
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from zhenwu.core import uploads
from zhenwu.core.progress import rank_competition
from zhenwu.core.similarity import similarity
from zhenwu.core.workdays import DayCount
from zhenwu.documents.model import date_text
from zhenwu.org import scope
from zhenwu.org.models import Department, OrgKind, OrgUnit, Role, User
from zhenwu.org.services import ancestors_of, units_of_kind_under
from zhenwu.remembered import Remembered
from zhenwu.workcalendar.services import work_calendar

from . import states
from .models import (
    PUBLIC_CHANNELS,
    Case,
    CaseCategory,
    CaseEvent,
    CasePhoto,
    CaseQuerySet,
    CaseType,
    Channel,
    EscalationRule,
    Open311Key,
    RectificationNotice,
    Visit,
    VisitTarget,
)
from .states import IllegalTransition, Party, State

STALE_MESSAGE = "已被他人处理，请刷新"
STILL_ACTIONS = (
    "follow_up",
    "extend",
    "notice",
    "publish",
    "unpublish",
)  # these leave the case's state as it is
PHOTO_LIMIT = uploads.LIMITS["photo"]
MAX_PHOTO_BYTES = PHOTO_LIMIT.max_bytes
MAX_PHOTOS = PHOTO_LIMIT.max_files
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
CONVERTED_FORMATS = {"HEIF"}  # iPhones' photos (HEIC), stored as JPEG
HEIC_JPEG_QUALITY = 85
pillow_heif.register_heif_opener()
ACTING_ROLES = {
    Role.TOWNSHIP_ADMIN,
    Role.TOWNSHIP_LEADER,
    Role.DEPARTMENT_STAFF,
    Role.VILLAGE_STAFF,
    Role.GRID_WORKER,
}
LEVEL_KIND = {1: OrgKind.GRID, 2: OrgKind.VILLAGE, 3: OrgKind.TOWNSHIP}
KIND_LEVEL = {OrgKind.GRID: 1, OrgKind.MICROGRID: 1, OrgKind.VILLAGE: 2, OrgKind.TOWNSHIP: 3}
DUPLICATE_WINDOW = timedelta(days=7)
SIMILAR_TEXT = 0.2
# The guard at intake: a double tap, or two workers of one grid reporting the same thing, within half an
# hour. Texts this alike share nearly all their character pairs; places within 100 m are one place.
INTAKE_DUPLICATE_WINDOW = timedelta(minutes=30)
INTAKE_DUPLICATE_TEXT = 0.8
INTAKE_DUPLICATE_PLACE = 0.5
INTAKE_DUPLICATE_METRES = 100


class StaleCase(IllegalTransition):
    """Someone else changed the case since the user loaded it."""

    def __init__(self, message: str = STALE_MESSAGE) -> None:
        super().__init__(message)


# --- who may do what ------------------------------------------------------------------------------


def may_report(user: Any) -> bool:
    """Whether the user reports cases at all (the case form, the quick report): every role that works in
    its unit's subtree; the county only looks."""
    if scope.sees_everything(user):
        return True
    return bool(user.is_authenticated and user.role in ACTING_ROLES and scope.scope_root(user) is not None)


def may_report_at(user: Any, unit: OrgUnit) -> bool:
    """Whoever works in a unit's subtree may report a case there; the county only looks."""
    if scope.sees_everything(user):
        return True
    return bool(user.is_authenticated and user.role in ACTING_ROLES and scope.unit_in_scope(user, unit))


def is_dispatcher(user: Any, case: Case) -> bool:
    """Acts for the case's handling unit: its own staff, or the staff of a unit above it.

    Office staff act only on cases their office holds at the township; the township admin and leader
    may take over any case in the township.
    """
    if scope.sees_everything(user):
        return True
    if not user.is_authenticated or user.role not in ACTING_ROLES:
        return False
    if not scope.unit_in_scope(user, case.handling_unit):
        return False
    if user.role == Role.DEPARTMENT_STAFF:
        return (
            case.handling_unit.kind == OrgKind.TOWNSHIP and case.handling_department_id == user.department_id
        )
    return True


def parties(user: Any, case: Case) -> frozenset[Party]:
    found: set[Party] = set()
    dispatcher = is_dispatcher(user, case)
    if dispatcher:
        found.add(Party.DISPATCHER)
    if dispatcher or (case.assignee_id is not None and case.assignee_id == user.pk):
        found.add(Party.HANDLER)
    # Closure is checked by someone other than the person who did the work or was charged with it.
    if dispatcher and user.pk not in (case.resolved_by_id, case.assignee_id):
        found.add(Party.VERIFIER)
    return frozenset(found)


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    year = f"{local.year}年" if local.year != timezone.localdate().year else ""
    return f"{year}{local.month}月{local.day}日 {local:%H:%M}"


def _last_move(case: Case) -> CaseEvent | None:
    """The event that put the case in its state: follow-ups, extensions and notices leave it there."""
    events = case.events.filter(to_state=case.state).exclude(action__in=STILL_ACTIONS)
    return events.order_by("-at", "-pk").first()


def _who(user: Any, event: CaseEvent) -> str:
    if event.actor_id is not None and event.actor_id == user.pk:
        return "您"
    return event.actor_name or "系统"


def stale_reason(user: Any, case_pk: int) -> str:
    """What happened to the case since the user loaded it, and who did it:
    '该事件已被钱镇长于11月18日 10:00处理（受理），请刷新'."""
    event = CaseEvent.objects.filter(case_id=case_pk).order_by("-at", "-pk").first()
    if event is None or event.action == "report":
        return STALE_MESSAGE
    return f"该事件已被{_who(user, event)}于{_when(event.at)}处理（{event.action_label}），请刷新"


def wrong_state_reason(user: Any, case: Case, refused: states.WrongState) -> str:
    """The state, and who put the case in it and when: the user sees why it is no longer theirs to do."""
    event = _last_move(case)
    if event is None:
        return str(refused)
    return (
        f"该事件已由{_who(user, event)}于{_when(event.at)}{event.action_label}，"
        f"当前状态为“{states.LABELS[refused.state]}”，不能{refused.transition.label}。"
    )


def not_a_party_reason(user: Any, case: Case, refused: states.NotAParty) -> str:
    """Which rule keeps the user from the transition: having done the work (for a check of it), their role,
    their unit, or their office."""
    label = refused.transition.label
    unit = case.handling_unit.name
    if is_dispatcher(user, case):  # then only a check of the work can be refused
        if user.pk == case.resolved_by_id:
            when = f"于{_when(case.resolved_at)}" if case.resolved_at else ""
            return f"该事件由您{when}办结，办结人不能{label}，须由他人核查。"
        return f"您是该事件的承办人，承办人不能{label}，须由他人核查。"
    not_handler = "，您也不是它的承办人" if Party.HANDLER in refused.transition.parties else ""
    if not user.is_authenticated or user.role not in ACTING_ROLES:
        role = Role(user.role).label if user.is_authenticated and user.role else "访客"
        return f"您的角色是“{role}”，只能查看事件，不能{label}。"
    if not scope.unit_in_scope(user, case.handling_unit):
        mine = user.org_unit.name if user.org_unit else "单位"
        return f"该事件现由{unit}承办，不在您所在的{mine}范围内{not_handler}，不能{label}。"
    if case.handling_unit.kind != OrgKind.TOWNSHIP:
        return f"该事件现由{unit}承办，站所只办理乡镇一级承办的事件{not_handler}，不能{label}。"
    holder = case.handling_department.name if case.handling_department else f"{unit}(尚未分派站所)"
    office = user.department.name if user.department else "您的站所"
    return f"该事件由{holder}承办，不是您所在的{office}{not_handler}，不能{label}。"


def allowed_transitions(user: Any, case: Case) -> list[states.Transition]:
    allowed = states.allowed(case.state_enum, parties(user, case))
    return [t for t in allowed if _precondition(case, t.action) is None]


def _precondition(case: Case, action: str) -> str | None:
    """Why a transition the state machine allows cannot be made on this particular case, if it cannot."""
    if action == "escalate" and case.handling_unit.kind not in (
        OrgKind.GRID,
        OrgKind.MICROGRID,
        OrgKind.VILLAGE,
    ):
        return "事件已在乡镇一级承办，不能再上报升级。"
    if action == "extend":
        if not case.case_type.extension_allowed:
            return f"{case.case_type.name}不可延期。"
        if case.extended:
            return "该事件已延期过一次，不能再延期。"
        if case.deadline is None:
            return "该事件没有办理期限。"
    return None


# --- cases in scope -------------------------------------------------------------------------------


def cases_for(user: Any) -> QuerySet[Case]:
    return scope.scoped(
        user,
        Case.objects.select_related(
            "case_type", "category", "org_unit", "handling_unit", "handling_department", "assignee"
        ),
    )


def get_case(user: Any, pk: Any) -> Case:
    return scope.get_in_scope_or_404(user, cases_for(user), pk=pk)


@dataclass
class CaseFilter:
    case_type: CaseType | None = None
    state: str = ""
    unit: OrgUnit | None = None
    overdue: bool = False
    due_soon: bool = False
    start: date | None = None
    end: date | None = None
    q: str = ""
    reported_by: User | None = None
    category: CaseCategory | None = None
    department: Department | None = None
    counted: bool = False  # only the cases figures count: merged duplicates left out, as in case_figures


def filter_cases(cases: QuerySet[Case], f: CaseFilter, now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    if f.case_type is not None:
        cases = cases.filter(case_type=f.case_type)
    if f.category is not None:
        cases = cases.filter(category=f.category)
    if f.state == "open":
        cases = cases.open()
    elif f.state:
        cases = cases.filter(state=f.state)
    if f.unit is not None:
        cases = cases.filter(org_unit__path__startswith=f.unit.path)
    if f.overdue:
        cases = cases.overdue(now)
    if f.due_soon:
        cases = cases.open().filter(deadline__gte=now, deadline__lte=now + timedelta(hours=24))
    if f.start is not None:
        cases = cases.filter(received_at__gte=start_of_day(f.start))
    if f.end is not None:
        cases = cases.filter(received_at__lt=start_of_day(f.end + timedelta(days=1)))
    if f.q:
        cases = cases.filter(Q(title__contains=f.q) | Q(description__contains=f.q) | Q(place__contains=f.q))
    if f.reported_by is not None:
        cases = cases.filter(reported_by=f.reported_by)
    if f.department is not None:
        cases = cases.filter(handling_department=f.department)
    if f.counted:
        cases = cases.exclude(state=State.MERGED)
    return cases


# --- deadlines ------------------------------------------------------------------------------------


# A resolved case (a rectification) is verified within this many working days: due on the verifier's to-do
# list by then, and the verifier reminded after.
VERIFY_WORKING_DAYS = 3


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """Deadlines end at midnight, Beijing time, of their last day."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def due_after(start: datetime, days: int, count: str) -> datetime:
    first = timezone.localdate(start)
    calendar = work_calendar(first, first + timedelta(days=days * 2 + 14))
    return end_of_day(calendar.add_days(first, days, DayCount(count)))


# --- creating a case ------------------------------------------------------------------------------


def _photo_format(upload: UploadedFile) -> str:
    """The photo's format as Pillow reads it from its content (not its name), or a ValidationError. Only
    the header is read: a small file may claim a picture that would take gigabytes to decode, and is
    refused by its pixels before anything decodes it. The size limit is the upload's own, before any
    conversion."""
    name = upload.name or "照片"
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            {"photos": f"照片“{name}”超过 {MAX_PHOTO_BYTES // uploads.MB} MB，请压缩后再上传。"}
        )
    too_big = ValidationError(
        {"photos": f"照片“{name}”超过{uploads.count_text(PHOTO_LIMIT.max_pixels)}像素，请缩小后再上传。"}
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = str(image.format)
            if image.width * image.height > PHOTO_LIMIT.max_pixels:
                raise too_big
            image.verify()
    except Image.DecompressionBombError as exc:  # Pillow's own ceiling, above ours
        raise too_big from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, RuntimeError) as exc:
        raise ValidationError(
            {"photos": f"文件“{name}”不是有效的 JPEG 或 PNG 图片，也不是苹果手机的 HEIC 照片。"}
        ) from exc
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS and kind not in CONVERTED_FORMATS:
        raise ValidationError(
            {"photos": f"文件“{name}”不是 JPEG 或 PNG 图片，也不是 HEIC 照片，请上传照片。"}
        )
    return kind


def validate_photo(upload: UploadedFile) -> str:
    """The content type of a photo that is kept as it is (a JPEG or PNG), or a ValidationError. A stored
    photo is read through this too, so a HEIC photo, which is never stored, is refused here."""
    kind = _photo_format(upload)
    if kind not in PHOTO_FORMATS:
        name = upload.name or "照片"
        raise ValidationError({"photos": f"文件“{name}”不是 JPEG 或 PNG 图片，请上传照片。"})
    return PHOTO_FORMATS[kind]


def accept_photo(upload: UploadedFile) -> tuple[UploadedFile, str]:
    """An uploaded photo ready to store and its content type, or a ValidationError: a JPEG or PNG as it
    came, a HEIC photo (an iPhone's) as a JPEG turned as its orientation says, since browsers other than
    Safari cannot show HEIC."""
    kind = _photo_format(upload)
    if kind in PHOTO_FORMATS:
        return upload, PHOTO_FORMATS[kind]
    return heic_as_jpeg(upload), "image/jpeg"


def heic_as_jpeg(upload: UploadedFile) -> UploadedFile:
    """A checked HEIC upload as a JPEG file of the same name with a .jpg ending (the EXIF kept, less its
    orientation, which is applied to the pixels)."""
    name = upload.name or "photo.heic"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    out = BytesIO()
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            turned = ImageOps.exif_transpose(image)
            exif = turned.getexif()
            turned.convert("RGB").save(out, "JPEG", quality=HEIC_JPEG_QUALITY, exif=exif.tobytes())
    except (OSError, ValueError, RuntimeError) as exc:
        raise ValidationError({"photos": f"照片“{name}”无法读取，请换一张再上传。"}) from exc
    finally:
        upload.seek(0)
    return InMemoryUploadedFile(out, "photos", f"{stem}.jpg", "image/jpeg", out.getbuffer().nbytes, None)


def _validated_photos(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"一次最多上传 {MAX_PHOTOS} 张照片。"})
    return [accept_photo(p) for p in photos]


def _save_photos(
    case: Case, photos: list[tuple[UploadedFile, str]], actor: User | None, event: CaseEvent | None
) -> None:
    for upload, content_type in photos:
        photo = CasePhoto(
            case=case, event=event, content_type=content_type, size=upload.size or 0, uploaded_by=actor
        )
        photo.image.save(upload.name or "photo", upload, save=False)
        photo.save()


def _unit_at_level(place: OrgUnit, level: int) -> OrgUnit:
    wanted = LEVEL_KIND[level]
    if place.kind == wanted:
        return place
    for unit in ancestors_of(place):
        if unit.kind == wanted:
            return unit
    raise ValidationError({"level": "发生地不在该级别的单元之下。"})


def _offices() -> dict[tuple[int, str], Department]:
    return {(d.township_id, d.code): d for d in Department.objects.all()}


offices = Remembered("offices", _offices, Department)


def intake_department(case_type: CaseType, township: OrgUnit) -> Department | None:
    if not case_type.intake_department_code:
        return None
    return offices.get().get((township.pk, case_type.intake_department_code))


@dataclass(frozen=True)
class Open311Client:
    """An outside system allowed to post cases into a township (its key is not kept here)."""

    name: str
    township: OrgUnit


def _case_catalog() -> tuple[dict[str, CaseType], dict[str, CaseCategory]]:
    categories = CaseCategory.objects.select_related("case_type")
    return {t.code: t for t in CaseType.objects.all()}, {c.code: c for c in categories}


case_catalog = Remembered("case-catalog", _case_catalog, CaseType, CaseCategory)


def case_type_by_code(code: str) -> CaseType | None:
    return case_catalog.get()[0].get(code)


def category_by_code(code: str) -> CaseCategory | None:
    return case_catalog.get()[1].get(code)


def codes_by_name() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[str, str, int]]]:
    """What a report keys and files `case_figures`' counts (made by name) by: type name -> (code, pk),
    category name -> (code, its type's code, its type's pk)."""
    types, categories = case_catalog.get()
    by_type = {t.name: (code, t.pk) for code, t in types.items()}
    names = Counter(c.name for c in categories.values())
    # A name two types' categories share ("其他") is counted as one by case_figures: filed under neither.
    by_category = {
        c.name: (code, c.case_type.code, c.case_type.pk)
        for code, c in categories.items()
        if names[c.name] == 1
    }
    return by_type, by_category


def _open311_clients() -> dict[str, Open311Client]:
    keys = Open311Key.objects.filter(active=True).select_related("township")
    return {_digest(k.key): Open311Client(k.name, k.township) for k in keys}


open311_clients = Remembered("open311-clients", _open311_clients, Open311Key)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_client(api_key: str) -> Open311Client | None:
    return open311_clients.get().get(_digest(api_key)) if api_key else None


def open311_category(code: str) -> CaseCategory | None:
    """A category open to Open311 clients, by its service code."""
    category = category_by_code(code)
    return category if category is not None and category.case_type.open311 else None


def _routing(
    case_type: CaseType, place: OrgUnit, level: int | None
) -> tuple[int, OrgUnit, Department | None]:
    """The level, handling unit and office a new case starts with."""
    if place.kind == OrgKind.COUNTY:
        raise ValidationError({"org_unit": "请选择乡镇、村或网格作为发生地。"})
    if case_type.has_levels:
        lowest = KIND_LEVEL[OrgKind(place.kind)]
        level = max(level or lowest, lowest)
        if level not in LEVEL_KIND:
            raise ValidationError({"level": "级别只能是 1、2 或 3。"})
    else:
        level = 3
    unit = _unit_at_level(place, level)
    department = intake_department(case_type, unit) if unit.kind == OrgKind.TOWNSHIP else None
    return level, unit, department


REPORT_RELATIONS = [
    "case_type",
    "category",
    "org_unit",
    "handling_unit",
    "handling_department",
    "reported_by",
]


def create_case(actor: User | None, **details: Any) -> Case:
    """Report a case (see `report_case` for what it takes)."""
    return report_case(actor, **details).case


class PossibleDuplicate(Exception):
    """A report very like a recent one; the reporter may confirm and report it anyway."""

    def __init__(self, case: Case) -> None:
        self.case = case
        super().__init__(f"可能与{case.number}重复")


@dataclass(frozen=True)
class Intake:
    """What the intake guard compares: the new report's text and place."""

    org_unit: OrgUnit
    text: str
    place: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def possible_duplicate(actor: User, intake: Intake, now: datetime | None = None) -> Case | None:
    """The case of the last 30 minutes, reported by `actor` or in the same unit and visible to them,
    whose text and place are very like the new report's, the most alike first; None if there is none."""
    since = (now or timezone.now()) - INTAKE_DUPLICATE_WINDOW
    candidates = (
        cases_for(actor)
        .filter(Q(reported_by=actor) | Q(org_unit=intake.org_unit), received_at__gte=since)
        .exclude(state=State.MERGED)
        .order_by("-received_at")[:50]
    )
    best, best_score = None, 0.0
    for case in candidates:  # newest first: of two as alike, the newer is named
        score = similarity(intake.text, f"{case.title} {case.description}")
        if score >= INTAKE_DUPLICATE_TEXT and score > best_score and _same_place(intake, case):
            best, best_score = case, score
    return best


def _same_place(intake: Intake, case: Case) -> bool:
    """Within 100 m when both carry coordinates; else the same unit, unless both name places unalike."""
    here, there = (intake.latitude, intake.longitude), (case.latitude, case.longitude)
    if None not in here and None not in there:
        return metres_between(*here, *there) <= INTAKE_DUPLICATE_METRES  # type: ignore[arg-type]
    if case.org_unit_id != intake.org_unit.pk:
        return False
    if intake.place and case.place:
        return similarity(intake.place, case.place) >= INTAKE_DUPLICATE_PLACE
    return True


def metres_between(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """The distance on the ground (haversine; a township is small enough for a sphere)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Reported:
    case: Case
    event: CaseEvent  # its first event: the report itself


@transaction.atomic
def report_case(
    actor: User | None,
    *,
    case_type: CaseType,
    category: CaseCategory,
    title: str,
    description: str,
    org_unit: OrgUnit,
    level: int | None = None,
    place: str = "",
    deadline_days: int | None = None,
    channel: str = Channel.WEB,
    reporter_name: str = "",
    reporter_phone: str = "",
    external_number: str = "",
    source: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[UploadedFile] = (),
    received_at: datetime | None = None,
    reporter_email: str = "",
    media_url: str = "",
    attributes: dict[str, Any] | None = None,
    backfilled: bool = False,
    confirm_duplicate: bool | None = None,
) -> Reported:
    """Report a case. `actor` None is a system intake (Open311) already checked by its caller.

    A case taken in through a public channel (Open311) is public from the start: the reporter published
    it. Any other is private until someone allowed to marks it public (`set_public`).

    `backfilled`: staff enter, now, a case received earlier (补录) at `received_at`; its first event says
    so, with who entered it and when (see `check_backfill` for the dates allowed).

    `confirm_duplicate`: None for intakes without the guard (Open311, imports, other apps); False raises
    PossibleDuplicate when the report is very like a recent one (`possible_duplicate`), True reports it
    anyway and its first event records the case it was seen to be like, for staff to merge if need be.
    """
    if actor is not None and not may_report_at(actor, org_unit):
        raise ValidationError({"org_unit": "您无权在该单元上报事件。"})
    if category.case_type_id != case_type.pk:
        raise ValidationError({"category": f"类别“{category.name}”不属于{case_type.name}。"})
    title, description = title.strip(), description.strip()
    if not title:
        raise ValidationError({"title": "请填写标题。"})
    if not description:
        raise ValidationError({"description": "请填写事件内容。"})
    days = deadline_days if deadline_days is not None else case_type.deadline_days
    if days is None or days <= 0:
        raise ValidationError({"deadline_days": f"{case_type.name}须逐件设定办理期限(天)，请填写。"})
    checked_photos = _validated_photos(photos)
    seen = None
    if confirm_duplicate is not None and actor is not None:
        intake = Intake(org_unit, f"{title} {description}", place.strip(), latitude, longitude)
        seen = possible_duplicate(actor, intake)
        if seen is not None and not confirm_duplicate:
            raise PossibleDuplicate(seen)
    level, handling_unit, department = _routing(case_type, org_unit, level)
    entered_at = timezone.now()
    if backfilled:
        if actor is None or received_at is None:
            raise ValidationError({"received_at": "补录须由工作人员填写收到时间。"})
        check_backfill(received_at, entered_at)
    received_at = received_at or entered_at
    case = Case(
        case_type=case_type,
        category=category,
        title=title,
        description=description,
        org_unit=org_unit,
        place=place.strip(),
        latitude=latitude,
        longitude=longitude,
        level=level,
        handling_unit=handling_unit,
        handling_department=department,
        state=State.REPORTED,
        channel=channel,
        reported_by=actor,
        reporter_name=reporter_name.strip() or (str(actor) if actor else ""),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        external_number=external_number.strip(),
        source=source.strip(),
        received_at=received_at,
        deadline=due_after(received_at, days, case_type.deadline_count),
        acceptance_deadline=(
            due_after(received_at, case_type.acceptance_days, DayCount.CALENDAR)
            if case_type.acceptance_days
            else None
        ),
        public=channel in PUBLIC_CHANNELS,
        media_url=media_url.strip(),
        attributes=attributes or None,
    )
    # Every related record was read in this request: checking that each exists would cost a query apiece.
    case.full_clean(exclude=REPORT_RELATIONS)
    case.save()
    note, details = description[:200], {}
    if backfilled:
        note = f"补录：{actor}于{timezone.localtime(entered_at):%Y-%m-%d %H:%M}录入。{note}"
        details = {"backfilled": True, "entered_at": entered_at.isoformat(), "entered_by": str(actor)}
    if seen is not None:
        note = f"上报时提示可能与{seen.number}重复，上报人确认仍然上报。{note}"
        details["possible_duplicate"] = {"id": seen.pk, "number": seen.number}
    event = _append_event(case, actor, "report", "", State.REPORTED, note, details, at=received_at)
    _save_photos(case, checked_photos, actor, event)
    return Reported(case, event)


EARLIEST_RECEIVED = date(2000, 1, 1)


def check_backfill(received_at: datetime, now: datetime) -> None:
    """A received time staff may enter afterwards: not in the future, not before 2000."""
    if received_at > now:
        raise ValidationError({"received_at": "收到时间不能晚于现在。"})
    if timezone.localdate(received_at) < EARLIEST_RECEIVED:
        raise ValidationError({"received_at": "收到时间不能早于2000年1月1日。"})


def _append_event(
    case: Case,
    actor: User | None,
    action: str,
    from_state: str,
    to_state: str,
    note: str,
    details: dict[str, Any],
    at: datetime | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        actor_name=str(actor) if actor else "系统",
        at=at or timezone.now(),
        note=note,
        details=details,
    )


# --- transitions ----------------------------------------------------------------------------------


@dataclass
class TransitionInput:
    note: str = ""
    assignee: User | None = None
    department: Department | None = None
    unit: OrgUnit | None = None
    duplicate_of: Case | None = None
    photos: Sequence[UploadedFile] = ()


def transition(
    actor: User, case_pk: int, action: str, version: int, data: TransitionInput | None = None
) -> Case:
    """Make one transition on a case the actor has in scope, as of the `version` they saw.

    Raises StaleCase when the case changed since, IllegalTransition when the state or the actor's part
    does not allow it, ValidationError for bad input; in every case nothing is written.
    """
    data = data or TransitionInput()
    checked_photos = _validated_photos(data.photos)
    get_case(actor, case_pk)  # 404 when it is out of scope or missing
    with transaction.atomic():
        # Claim the row first, by primary key and version alone: on PostgreSQL a concurrent claim waits for
        # this one's commit, re-reads the row, finds the version moved on and claims nothing. (A scope
        # condition here would join other tables, turn the update into `id IN (subquery)`, and the
        # re-check after the wait would no longer look at the version.)
        claimed = Case.objects.filter(pk=case_pk, version=version).update(version=version + 1)
        if not claimed:
            raise StaleCase(stale_reason(actor, case_pk))
        case = cases_for(actor).select_related("case_type", "resolved_by").get(pk=case_pk)
        try:
            rule = states.check(action, case.state_enum, parties(actor, case))
        except states.WrongState as refused:
            raise IllegalTransition(wrong_state_reason(actor, case, refused)) from None
        except states.NotAParty as refused:
            raise IllegalTransition(not_a_party_reason(actor, case, refused)) from None
        if reason := _precondition(case, action):
            raise IllegalTransition(reason)
        note = data.note.strip()
        if rule.needs_note and not note:
            raise ValidationError({"note": f"请填写{rule.note_label}。"})
        from_state = case.state
        details = APPLY[action](actor, case, data)
        if rule.target is not None:
            case.state = rule.target
        case.full_clean()
        case.save()
        event = _append_event(case, actor, action, from_state, case.state, note, details)
        _save_photos(case, checked_photos, actor, event)
    return case


def transition_done(case: Case, action: str) -> str:
    """What a transition just did, for the one who made it: '已受理WG0005483', '已分派至东岗村第1网格'."""
    number = case.number
    target = case.assignee or case.handling_department or case.handling_unit
    deadline = f"{timezone.localtime(case.deadline):%Y-%m-%d}" if case.deadline else ""
    done = {
        "accept": f"已受理{number}。",
        "reject": f"已对{number}不予受理。",
        "merge": f"已将{number}合并到{case.duplicate_of.number if case.duplicate_of else '原事件'}。",
        "assign": f"已将{number}分派至{target}。",
        "start": f"已开始处置{number}。",
        "resolve": f"已办结{number}。",
        "return": f"已退回{number}，由{target}重新分派。",
        "escalate": f"已将{number}上报升级至{case.handling_unit.name}。",
        "verify": f"已核查销号{number}。",
        "reopen": f"已将{number}重新办理。",
        "follow_up": f"已为{number}添加跟进记录。",
        "extend": f"已将{number}的办理期限延至{deadline}。",
    }
    return done.get(action, f"已办理{number}。")


def _apply_accept(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    case.accepted_at = case.accepted_at or timezone.now()
    return {}


def _apply_reject(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    case.resolution = data.note.strip()
    return {}


def _apply_merge(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    original = data.duplicate_of
    if original is None:
        raise ValidationError({"duplicate_of": "请选择要合并到的原事件。"})
    if original.pk == case.pk or original.state == State.MERGED:
        raise ValidationError({"duplicate_of": "不能合并到自身或已合并的事件。"})
    if not scope.scoped(actor, Case.objects.filter(pk=original.pk)).exists():
        raise ValidationError({"duplicate_of": "原事件不存在或无权查看。"})
    case.duplicate_of = original
    return {"duplicate_of": original.pk, "duplicate_of_number": original.number}


def _apply_assign(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    targets = [t for t in (data.assignee, data.department, data.unit) if t is not None]
    if len(targets) != 1:
        raise ValidationError({"assignee": "请选择一个承办对象：下级单元、站所或承办人之一。"})
    if data.unit is not None:
        unit = data.unit
        if not unit.is_within(case.handling_unit) or unit.kind in (OrgKind.COUNTY,):
            raise ValidationError({"unit": f"只能分派给{case.handling_unit.name}或其下级单元。"})
        case.handling_unit, case.handling_department, case.assignee = unit, None, None
        return {"handling_unit": unit.name}
    if data.department is not None:
        department = data.department
        township = case.handling_unit if case.handling_unit.kind == OrgKind.TOWNSHIP else None
        if township is None or department.township_id != township.pk:
            raise ValidationError({"department": "只有乡镇一级承办的事件可以分派给站所。"})
        case.handling_department, case.assignee = department, None
        return {"department": department.name}
    person = data.assignee
    assert person is not None
    if not person.is_active or person.org_unit is None or not person.org_unit.is_within(case.handling_unit):
        raise ValidationError({"assignee": f"承办人须是{case.handling_unit.name}或其下级单元的在职人员。"})
    case.assignee = person
    if person.role == Role.DEPARTMENT_STAFF:
        case.handling_department = person.department
    return {"assignee": person.username, "assignee_name": str(person)}


def _apply_start(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    return {}


def _apply_resolve(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    case.resolved_at = timezone.now()
    case.resolved_by = actor
    case.resolution = data.note.strip()
    return {"on_time": case.on_time()}


def _apply_return(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    case.assignee = None
    if case.handling_unit.kind == OrgKind.TOWNSHIP:
        case.handling_department = intake_department(case.case_type, case.handling_unit)
    return {}


def _apply_escalate(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    parent = case.handling_unit.parent
    assert parent is not None
    return _move_up(case, parent, min(case.level + 1, 3))


def _move_up(case: Case, unit: OrgUnit, level: int) -> dict[str, Any]:
    """Hand the case to `unit` above its handling unit, at `level`: nobody there is named yet, and at the
    township the office that takes in its type receives it. By hand (escalate) and by a rule alike."""
    case.handling_unit = unit
    case.level = level
    case.assignee = None
    case.handling_department = (
        intake_department(case.case_type, unit) if unit.kind == OrgKind.TOWNSHIP else None
    )
    return {"handling_unit": unit.name, "level": case.level}


def _apply_verify(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    case.verified_at = timezone.now()
    return {}


def _apply_reopen(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    case.resolved_at = case.resolved_by = case.verified_at = None
    return {}


def _apply_extend(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    assert case.deadline is not None
    old = case.deadline
    case.deadline = due_after(old, case.case_type.extension_days, case.case_type.deadline_count)
    case.extended = True
    return {"old_deadline": old.isoformat(), "new_deadline": case.deadline.isoformat()}


def _apply_follow_up(actor: User, case: Case, data: TransitionInput) -> dict[str, Any]:
    return {}


APPLY = {
    "follow_up": _apply_follow_up,
    "accept": _apply_accept,
    "reject": _apply_reject,
    "merge": _apply_merge,
    "assign": _apply_assign,
    "start": _apply_start,
    "resolve": _apply_resolve,
    "return": _apply_return,
    "escalate": _apply_escalate,
    "verify": _apply_verify,
    "reopen": _apply_reopen,
    "extend": _apply_extend,
}


# --- escalation by a rule (the system's transition) -----------------------------------------------

SYSTEM_ESCALATED_FIELDS = ["version", "state", "level", "handling_unit", "handling_department", "assignee"]


def rule_target(case: Case, rule: EscalationRule) -> OrgUnit | None:
    """The unit `rule` would hand `case` to, or None when the rule does not apply to it: another type or
    level, a state escalation cannot leave, or a handling unit already at (or above) the rule's level.
    Reads the handling unit's parents as loaded with the case (no query when they were selected)."""
    if rule.case_type_id != case.case_type_id or not rule.active:
        return None
    if rule.from_level is not None and case.level != rule.from_level:
        return None
    if case.state_enum not in states.TRANSITIONS["escalate"].sources:
        return None
    wanted = LEVEL_KIND[rule.to_level]
    if case.handling_unit.kind in (wanted, OrgKind.TOWNSHIP):
        return None
    unit: OrgUnit | None = case.handling_unit.parent
    while unit is not None and unit.kind != wanted:
        unit = None if unit.kind == OrgKind.TOWNSHIP else unit.parent
    return unit


def escalate_by_rule(case: Case, rule: EscalationRule, unit: OrgUnit, now: datetime) -> CaseEvent | None:
    """The system escalates `case`, as read at its `version`, to `unit` by `rule`: the handling unit and
    level move as they do by hand, and the event (actor "系统") names the rule.

    Returns None, writing nothing, when the case changed since it was read (a person acted on it, or
    another run of the job escalated it): the claim by version is the one `transition` makes, so of two
    at once exactly one succeeds.
    """
    with transaction.atomic():
        claimed = Case.objects.filter(pk=case.pk, version=case.version).update(version=case.version + 1)
        if not claimed:
            return None
        case.version += 1
        from_state = case.state
        details = _move_up(case, unit, max(case.level, rule.to_level))
        case.state = State.ESCALATED
        case.save(update_fields=SYSTEM_ESCALATED_FIELDS)
        details |= {"rule": rule.pk, "rule_name": rule.describe(), "overdue_days": rule.overdue_days}
        return _append_event(case, None, "escalate", from_state, case.state, rule.describe(), details, at=now)


# --- the public feed (Open311) ---------------------------------------------------------------------

PUBLISHING_ROLES = {Role.TOWNSHIP_ADMIN, Role.TOWNSHIP_LEADER}


def may_set_public(user: Any, case: Case) -> bool:
    """Publishing is the township's decision (政务公开): its admin and leaders, and the office that takes in
    cases of the type (the 综治中心 for grid events), for a case in their township of a type Open311
    offers. Village staff and grid workers see their cases but do not publish them."""
    if not case.case_type.open311:
        return False
    if scope.sees_everything(user):
        return True
    if not (user.is_authenticated and user.is_active and scope.unit_in_scope(user, case.org_unit)):
        return False
    if user.role in PUBLISHING_ROLES:
        return True
    return bool(
        user.role == Role.DEPARTMENT_STAFF
        and user.department is not None
        and user.department.code == case.case_type.intake_department_code
    )


@transaction.atomic
def set_public(actor: User, case_pk: int, public: bool) -> Case:
    """Show a case on the public feed (redacted), or take it off; logged with the case and in its events."""
    case = get_case(actor, case_pk)  # 404 when it is out of scope or missing
    if not may_set_public(actor, case):
        raise IllegalTransition("只有乡镇管理员、乡镇领导或受理站所可以设置事件是否公开。")
    if case.public == public:
        return case
    case.public = public
    case.save(update_fields=["public"])
    _append_event(
        case,
        actor,
        "publish" if public else "unpublish",
        case.state,
        case.state,
        "在 Open311 公开接口上展示(已去除个人信息)" if public else "不再在 Open311 公开接口上展示",
        {"public": public},
    )
    return case


PUBLIC_RELATIONS = [
    "case_type",
    "category",
    "org_unit",
    "handling_unit",
    "handling_department",
    "duplicate_of",
]


def public_cases() -> CaseQuerySet:
    """Every case the public may see: of a type Open311 offers, and public (reported through Open311, or
    marked public by staff). What is shown of them is redacted by the feed."""
    return Case.objects.filter(public=True, case_type__open311=True).select_related(*PUBLIC_RELATIONS)


@dataclass(frozen=True)
class FeedQuery:
    """A search of the public feed, already parsed (cases.georeport)."""

    start: datetime
    end: datetime
    service_codes: Sequence[str] = ()
    statuses: frozenset[str] = frozenset()
    township: OrgUnit | None = None
    page: int = 1
    page_size: int = 1000


def public_requests(query: FeedQuery) -> tuple[list[Case], bool]:
    """One page of the public cases received in the window, newest first, and whether more follow."""
    cases = public_cases().filter(received_at__gte=query.start, received_at__lte=query.end)
    if query.township is not None:
        cases = cases.filter(org_unit__path__startswith=query.township.path)
    if query.service_codes:
        cases = cases.filter(category__code__in=list(query.service_codes))
    if query.statuses == {"open"}:
        cases = cases.open()
    elif query.statuses == {"closed"}:
        cases = cases.exclude(state__in=[s.value for s in states.OPEN_STATES])
    offset = (query.page - 1) * query.page_size
    found = list(cases.order_by("-received_at", "-pk")[offset : offset + query.page_size + 1])
    return found[: query.page_size], len(found) > query.page_size


def public_requests_by_id(ids: Sequence[int], township: OrgUnit | None = None) -> list[Case]:
    cases = public_cases().filter(pk__in=list(ids))
    if township is not None:
        cases = cases.filter(org_unit__path__startswith=township.path)
    return list(cases.order_by("-received_at", "-pk"))


def last_changes(cases: Sequence[Case]) -> dict[int, datetime]:
    """Each case's latest event (Open311's updated_datetime), in one query for all of them.

    Publishing a case changes who sees it, not the request: a closed request keeps the time it closed.
    """
    if not cases:
        return {}
    rows = (
        CaseEvent.objects.filter(case__in=[c.pk for c in cases])
        .exclude(action__in=["publish", "unpublish"])
        .values("case")
        .annotate(at=Max("at"))
        .values_list("case", "at")
    )
    return dict(rows)


def attributes_shown(case: Case) -> list[tuple[str, str]]:
    """The Open311 attributes a reporter gave, labelled as the category's definition describes them."""
    if not case.attributes:
        return []
    try:
        labels = {a.code: a.description for a in case.category.open311_definition}
        names = {(a.code, c.key): c.name for a in case.category.open311_definition for c in a.values}
    except ValueError:
        labels, names = {}, {}
    shown = []
    for code, value in case.attributes.items():
        values = value if isinstance(value, list) else [value]
        text = "、".join(names.get((code, str(v)), str(v)) for v in values)
        shown.append((labels.get(code, code), text))
    return shown


def township_by_code(code: str) -> OrgUnit | None:
    """An Open311 jurisdiction_id: a township's code."""
    return OrgUnit.objects.filter(code=code, kind=OrgKind.TOWNSHIP).first()


def open311_catalog_changed() -> datetime | None:
    """When a case type or category was last changed (the discovery file's changeset), by their log."""
    kinds = ContentType.objects.get_for_models(CaseType, CaseCategory).values()
    latest: datetime | None = LogEntry.objects.filter(content_type__in=list(kinds)).aggregate(
        at=Max("timestamp")
    )["at"]
    return latest


# --- duplicates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    score: float

    @property
    def similar_text(self) -> bool:
        return self.score >= SIMILAR_TEXT


def similar_open_cases(user: Any, case: Case, limit: int = 5) -> list[SimilarCase]:
    """Open cases at the same place and of the same category from the 7 days before, most alike first."""
    candidates = (
        cases_for(user)
        .open()
        .filter(
            org_unit=case.org_unit,
            category=case.category,
            received_at__gte=case.received_at - DUPLICATE_WINDOW,
            received_at__lte=case.received_at,
        )
        .exclude(pk=case.pk)
        .exclude(state=State.MERGED)
        .order_by("-received_at")[:50]
    )
    text = f"{case.title} {case.description}"
    scored = [SimilarCase(c, similarity(text, f"{c.title} {c.description}")) for c in candidates]
    scored.sort(key=lambda s: (-s.score, -s.case.received_at.timestamp()))
    return scored[:limit]


# --- rectification notices ------------------------------------------------------------------------


# A notice orders rectification of a hazard the township has taken on: not of a report nobody has accepted.
NOT_YET_ACCEPTED = frozenset({State.REPORTED, State.ESCALATED})


def notice_refusal(user: Any, case: Case) -> str | None:
    """Why `user` may not issue a rectification notice for `case` now, or None if they may."""
    if case.case_type.code != "hazard" or not case.is_open or Party.HANDLER not in parties(user, case):
        return "只有隐患事件的承办人可以签发整改通知书。"
    if case.state_enum in NOT_YET_ACCEPTED:
        return "该隐患尚未受理：受理后才能签发整改通知书。"
    return None


def may_issue_notice(user: Any, case: Case) -> bool:
    return notice_refusal(user, case) is None


NOTICE_ATTEMPTS = 5


def next_notice_serial(township: OrgUnit, year: int) -> int:
    """Notices are numbered per township and year; the unique constraint settles a simultaneous issue."""
    last = RectificationNotice.objects.filter(township=township, year=year).order_by("-serial").first()
    return (last.serial + 1) if last else 1


@transaction.atomic
def issue_rectification_notice(
    actor: User, case: Case, *, addressee: str, requirements: str, deadline: date
) -> RectificationNotice:
    refusal = notice_refusal(actor, case)
    if refusal is not None:
        raise IllegalTransition(refusal)
    if hasattr(case, "notice"):
        raise ValidationError({"addressee": f"该隐患已签发整改通知书({case.notice.number})。"})
    if not addressee.strip():
        raise ValidationError({"addressee": "请填写被通知单位或个人。"})
    if not requirements.strip():
        raise ValidationError({"requirements": "请填写整改要求。"})
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": "整改期限须晚于今天。"})
    township = case.handling_unit.township() or case.handling_unit
    year = timezone.localdate().year
    for attempt in range(NOTICE_ATTEMPTS):
        try:
            with transaction.atomic():
                notice = RectificationNotice.objects.create(
                    case=case,
                    township=township,
                    year=year,
                    serial=next_notice_serial(township, year),
                    addressee=addressee.strip(),
                    requirements=requirements.strip(),
                    deadline=deadline,
                    issued_by=actor,
                )
            break
        except IntegrityError:
            # Someone issued a notice at the same moment: for this case (then there is nothing to do), or
            # in this township with the same serial (then the next serial is free: try again).
            if RectificationNotice.objects.filter(case=case).exists():
                raise ValidationError({"addressee": "该隐患已由他人签发整改通知书。"}) from None
            if attempt == NOTICE_ATTEMPTS - 1:
                raise
    _append_event(
        case,
        actor,
        "notice",
        case.state,
        case.state,
        f"签发{notice.number}，限{date_text(deadline)}前整改",
        {"notice": notice.number, "deadline": deadline.isoformat()},
    )
    return notice


# --- visits ---------------------------------------------------------------------------------------


def log_visit(
    actor: User, *, target_kind: str, target: str, note: str = "", visited_at: datetime | None = None
) -> Visit:
    if actor.role != Role.GRID_WORKER or actor.org_unit is None:
        raise ValidationError({"target": "只有网格员可以登记走访。"})
    if target_kind not in VisitTarget.values:
        raise ValidationError({"target_kind": "请选择走访对象类型：农户或场所。"})
    if not target.strip():
        raise ValidationError({"target": "请填写走访对象，如户主姓名或场所名称。"})
    visit = Visit(
        grid=actor.org_unit,
        visitor=actor,
        target_kind=target_kind,
        target=target.strip(),
        note=note.strip(),
        visited_at=visited_at or timezone.now(),
    )
    visit.full_clean()
    visit.save()
    return visit


def visits_for(user: Any) -> QuerySet[Visit]:
    return scope.scoped(user, Visit.objects.select_related("grid", "visitor"))


def visit_counts(user: Any, unit: OrgUnit, start: date, end: date) -> dict[str, int]:
    """Grid workers' visits (走访) in `unit`'s subtree from `start` to `end`, by what was visited."""
    visits = visits_for(user).filter(
        grid__path__startswith=unit.path,
        visited_at__gte=start_of_day(start),
        visited_at__lt=start_of_day(end + timedelta(days=1)),
    )
    counts = dict(visits.values_list("target_kind").annotate(n=Count("pk")).order_by())
    return {kind: counts[kind] for kind in VisitTarget.values if counts.get(kind)}


# --- figures --------------------------------------------------------------------------------------

PERCENT = Decimal("0.1")


def rate(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage to one decimal, or None when there is nothing to divide by."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


class Rates:
    """办结率 and 按期办结率 of whatever counts received, resolved and resolved on time."""

    received: int
    resolved: int
    on_time: int

    @property
    def resolution_rate(self) -> Decimal | None:
        return rate(self.resolved, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.received)


@dataclass
class Figures(Rates):
    """The case figures of one unit and period, with the ids of the cases behind each number."""

    received_ids: list[int] = field(default_factory=list)
    resolved_ids: list[int] = field(default_factory=list)
    on_time_ids: list[int] = field(default_factory=list)
    overdue_ids: list[int] = field(default_factory=list)
    hours: list[float] = field(default_factory=list)

    @property
    def received(self) -> int:
        return len(self.received_ids)

    @property
    def resolved(self) -> int:
        return len(self.resolved_ids)

    @property
    def on_time(self) -> int:
        return len(self.on_time_ids)

    @property
    def overdue(self) -> int:
        return len(self.overdue_ids)

    @property
    def average_hours(self) -> Decimal | None:
        if not self.hours:
            return None
        return Decimal(str(statistics.fmean(self.hours))).quantize(PERCENT, rounding=ROUND_HALF_UP)

    @property
    def median_hours(self) -> Decimal | None:
        if not self.hours:
            return None
        return Decimal(str(statistics.median(self.hours))).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass
class FigureReport:
    """Figures for a unit and a period: overall, by type, by category and by child unit."""

    unit: OrgUnit
    start: date
    end: date  # inclusive
    total: Figures
    by_type: list[tuple[str, Figures]]
    by_category: list[tuple[str, Figures]]
    by_child: list[tuple[OrgUnit, Figures]]


FIGURE_FIELDS = (
    "pk",
    "case_type__name",
    "category__name",
    "org_unit__path",
    "received_at",
    "resolved_at",
    "deadline",
    "state",
    "imported_at",
)


def _add(figures: Figures, row: tuple[Any, ...], now: datetime, in_period: bool) -> None:
    pk, _, _, _, received_at, resolved_at, deadline, state, imported_at = row
    if in_period:
        figures.received_ids.append(pk)
        # Resolved by `now`: figures as of a past day (an indicator's month) leave out later resolutions.
        if resolved_at is not None and resolved_at <= now and state in states.FIXED_STATES:
            figures.resolved_ids.append(pk)
            figures.hours.append((resolved_at - received_at).total_seconds() / 3600)
            if deadline is None or resolved_at <= deadline:
                figures.on_time_ids.append(pk)
    # An imported case is overdue from its import on (CaseQuerySet.overdue), not in figures before it.
    counts_now = imported_at is None or imported_at <= now
    if state in states.OPEN_STATES and deadline is not None and deadline < now and counts_now:
        figures.overdue_ids.append(pk)


def case_figures(
    user: Any,
    unit: OrgUnit,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    child_kind: str | None = None,
) -> FigureReport:
    """Received, resolved, 办结率, 按期办结率, handling hours and overdue-now for `unit`'s subtree.

    Received: cases received in [start, end] (Beijing dates), merged duplicates left out as they are
    counted in their original. Resolved: of those, the ones resolved or verified by `now`; on time:
    resolved by their deadline. Overdue: open cases past their deadline now, whenever received.
    """
    now = now or timezone.now()
    period_start, period_end = start_of_day(start), start_of_day(end + timedelta(days=1))
    cases = _counted_cases(user, unit)
    received = Q(received_at__gte=period_start, received_at__lt=period_end)
    # Two queries, not one with OR: each half is read through its own index (place and time received;
    # state and deadline), where the OR made the database read every case of the subtree.
    rows: Iterable[tuple[Any, ...]] = chain(
        cases.filter(received).values_list(*FIGURE_FIELDS).order_by(),
        _overdue_then(cases, now).exclude(received).values_list(*FIGURE_FIELDS).order_by(),
    )
    if now < timezone.now():
        rows = _as_they_were(list(rows), now)
    children = _children(user, unit, child_kind)
    # Children are all of one kind, so one depth: a case belongs to the child whose path is its own
    # path cut to that many codes.
    child_codes = children[0].depth + 1 if children else 0
    total = Figures()
    by_type: dict[str, Figures] = defaultdict(Figures)
    by_category: dict[str, Figures] = defaultdict(Figures)
    by_child = {child.path: Figures() for child in children}
    for row in rows:
        in_period = period_start <= row[4] < period_end
        _add(total, row, now, in_period)
        _add(by_type[row[1]], row, now, in_period)
        _add(by_category[row[2]], row, now, in_period)
        child_path = _path_prefix(row[3], child_codes)
        if child_path in by_child:
            _add(by_child[child_path], row, now, in_period)
    return FigureReport(
        unit=unit,
        start=start,
        end=end,
        total=total,
        by_type=sorted(by_type.items(), key=lambda item: -item[1].received),
        by_category=sorted(by_category.items(), key=lambda item: -item[1].received),
        by_child=[(child, by_child[child.path]) for child in children],
    )


def _overdue_then(cases: CaseQuerySet, now: datetime) -> CaseQuerySet:
    """Cases that may have been open past their deadline at `now`: open now, or, for a past moment,
    changed since (a case resolved after it was open then; one reopened since was not)."""
    if now >= timezone.now():
        return cases.overdue(now)
    changed = CaseEvent.objects.filter(at__gt=now).values("case_id")
    maybe_open = Q(state__in=[s.value for s in states.OPEN_STATES]) | Q(pk__in=changed)
    counts = Q(imported_at__isnull=True) | Q(imported_at__lte=now)
    return cases.filter(maybe_open, counts, deadline__lt=now, received_at__lte=now)


def states_on(case_ids: Iterable[int], moment: datetime) -> dict[int, str]:
    """Each case's state at `moment`, read from its events: the state its last event by then left it
    in. A case with no event by then was not yet reported (absent from the result)."""
    found: dict[int, str] = {}
    for chunk in _chunks(list(case_ids)):
        events = CaseEvent.objects.filter(case_id__in=chunk, at__lte=moment).order_by("case_id", "at", "pk")
        found.update(events.values_list("case_id", "to_state"))
    return found


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    """Lists of ids short enough for one IN (...) on either database."""
    return (ids[at : at + size] for at in range(0, len(ids), size))


def _as_they_were(rows: list[tuple[Any, ...]], now: datetime) -> list[tuple[Any, ...]]:
    """The figure rows with each case's state as it was at `now`: only cases with an event after it
    can have been in another state, so only their events are read."""
    changed: set[int] = set()
    for chunk in _chunks([row[0] for row in rows]):
        changed.update(
            CaseEvent.objects.filter(case_id__in=chunk, at__gt=now).values_list("case_id", flat=True)
        )
    if not changed:
        return rows
    then = states_on(changed, now)
    state = FIGURE_FIELDS.index("state")
    return [
        (*row[:state], then.get(row[0], State.REPORTED), *row[state + 1 :]) if row[0] in changed else row
        for row in rows
    ]


def _counted_cases(user: Any, unit: OrgUnit) -> CaseQuerySet:
    """The cases a unit's figures count: its subtree's in the user's scope, merged duplicates left out
    (they are counted in their original)."""
    return scope.narrowed_to(user, scope.scoped(user, Case.objects.all()), unit).exclude(state=State.MERGED)


def _children(user: Any, unit: OrgUnit, child_kind: str | None) -> list[OrgUnit]:
    if child_kind:
        return units_of_kind_under(user, unit, child_kind)
    return list(scope.visible_units(user).filter(parent=unit).order_by("path"))


def _path_prefix(path: str, codes: int) -> str:
    """The first `codes` codes of a materialised path, as a path ("a/b/c/", 2 -> "a/b/")."""
    parts = path.split("/")
    return "/".join(parts[:codes]) + "/" if codes and len(parts) > codes else ""


@dataclass
class Counts(Rates):
    """Case counts of one unit and period, counted in the database: for pages that show the numbers
    only (the dashboard) at a scale where `case_figures`' lists of ids would be too many to carry."""

    received: int = 0
    resolved: int = 0
    on_time: int = 0
    overdue: int = 0

    def add(self, other: Counts) -> None:
        self.received += other.received
        self.resolved += other.resolved
        self.on_time += other.on_time
        self.overdue += other.overdue


@dataclass
class CountReport:
    unit: OrgUnit
    start: date
    end: date  # inclusive
    total: Counts
    by_child: list[tuple[OrgUnit, Counts]]


def case_counts(
    user: Any,
    unit: OrgUnit,
    start: date,
    end: date,
    *,
    now: datetime | None = None,
    child_kind: str | None = None,
    children: Sequence[OrgUnit] | None = None,
) -> CountReport:
    """The numbers of `case_figures` (same definitions), from two queries whatever the number of cases or
    child units. Children are `children` when given (all of one kind), else those of `child_kind` under
    `unit`, else none."""
    now = now or timezone.now()
    period_start, period_end = start_of_day(start), start_of_day(end + timedelta(days=1))
    resolved = Q(resolved_at__isnull=False, state__in=[s.value for s in states.FIXED_STATES])
    on_time = resolved & (Q(deadline__isnull=True) | Q(resolved_at__lte=F("deadline")))
    cases = _counted_cases(user, unit)
    if children is None:
        children = _children(user, unit, child_kind) if child_kind else []
    # Two queries, each read from one index alone: received in the period (place and time, with state
    # and dates), and open past the deadline now (state, deadline, place), where their OR read every
    # case of the subtree. Grouped by place only when broken down by child. Counted are columns of the
    # index that are never empty (COUNT(*) takes no filter).
    received = _counted(
        cases.filter(received_at__gte=period_start, received_at__lt=period_end),
        bool(children),
        received=Count("*"),
        resolved=Count("received_at", filter=resolved),
        on_time=Count("received_at", filter=on_time),
    )
    overdue = _counted(cases.overdue(now), bool(children), overdue=Count("*"))
    child_codes = children[0].depth + 1 if children else 0
    total = Counts()
    by_child = {child.path: Counts() for child in children}
    for path, row in chain(received, overdue):
        counts = Counts(**row)
        total.add(counts)
        child_path = _path_prefix(path, child_codes)
        if child_path in by_child:
            by_child[child_path].add(counts)
    return CountReport(unit, start, end, total, [(child, by_child[child.path]) for child in children])


def _counted(cases: QuerySet[Case], by_place: bool, **counts: Count) -> list[tuple[str, dict[str, int]]]:
    """`counts` of `cases`, by the path of their place or (path "") all together."""
    if not by_place:
        return [("", cases.aggregate(**counts))]
    rows = cases.values("org_unit__path").annotate(**counts).order_by()
    return [(row.pop("org_unit__path"), row) for row in rows]


# --- bulletin and ranking -------------------------------------------------------------------------

MIN_CASES_TO_RANK = 10
# The rates a month's ranking ranks on, and their names.
RANKED_RATES = {"resolution_rate": "办结率", "on_time_rate": "按期办结率"}

R = TypeVar("R", bound=Rates)


@dataclass
class RankedUnit(Generic[R]):
    unit: OrgUnit
    figures: R
    rank: int | None  # by 按期办结率, ties sharing a rank; None when too few cases to rank


@dataclass
class Ranking(Generic[R]):
    unit: OrgUnit
    start: date
    end: date
    child_kind: str
    ranked: list[RankedUnit[R]]
    too_few: list[RankedUnit[R]]
    minimum: int

    @property
    def enough(self) -> bool:
        """Whether the month has enough cases to rank on: at least half of the units (and one) reach the
        minimum. A ranking of the few units that do would leave most of them out of it."""
        return bool(self.ranked) and 2 * len(self.ranked) >= len(self.ranked) + len(self.too_few)

    def ranks(self, rate: str) -> dict[str, int | None]:
        """Each unit's rank by one of RANKED_RATES, by the unit's path: ties share a rank ("1, 2, 2, 4"),
        units with too few cases have none."""
        ranked = dict(rank_competition((r.unit.path, getattr(r.figures, rate)) for r in self.ranked))
        return {r.unit.path: ranked.get(r.unit.path) for r in self.ranked + self.too_few}


def ranking(
    user: Any, unit: OrgUnit, start: date, end: date, child_kind: str, now: datetime | None = None
) -> Ranking[Figures]:
    """一月一排名: the units under `unit` ranked on their cases received in [start, end] (see `ranked`)."""
    report = case_figures(user, unit, start, end, now=now, child_kind=child_kind)
    return ranked(unit, start, end, child_kind, report.by_child)


def ranked(
    unit: OrgUnit, start: date, end: date, child_kind: str, by_child: Sequence[tuple[OrgUnit, R]]
) -> Ranking[R]:
    """Units ranked by 按期办结率 (ties share a rank), ordered within a tie by 办结率 and cases received.

    The rule of the monthly ranking, on figures already counted: `case_figures`' for the ranking page,
    `case_counts`' (the same numbers, counted in the database) for the leaders' dashboard.

    A unit with fewer than MIN_CASES_TO_RANK cases is listed apart: two cases handled on time say
    little, and must not put a unit above one that handled three hundred.
    """
    rows = [RankedUnit(child, figures, None) for child, figures in by_child]
    enough = [r for r in rows if r.figures.received >= MIN_CASES_TO_RANK]
    few = [r for r in rows if r.figures.received < MIN_CASES_TO_RANK]
    enough.sort(
        key=lambda r: (
            -(r.figures.on_time_rate or Decimal(0)),
            -(r.figures.resolution_rate or Decimal(0)),
            -r.figures.received,
            r.unit.path,
        )
    )
    ranks = dict(rank_competition((r.unit.path, r.figures.on_time_rate) for r in enough))
    for row in enough:
        row.rank = ranks[row.unit.path]
    few.sort(key=lambda r: (-r.figures.received, r.unit.path))
    return Ranking(unit, start, end, child_kind, enough, few, MIN_CASES_TO_RANK)


@dataclass
class VisitCount:
    label: str
    count: int


@dataclass
class Bulletin:
    unit: OrgUnit
    start: date
    end: date
    report: FigureReport
    overdue: list[Case]
    visits_by_worker: list[VisitCount]
    visits_by_grid: list[VisitCount]


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def weekly_bulletin(user: Any, unit: OrgUnit, day: date, now: datetime | None = None) -> Bulletin:
    start, end = week_of(day)
    report = case_figures(user, unit, start, end, now=now)
    overdue = list(cases_for(user).filter(pk__in=report.total.overdue_ids).order_by("deadline")[:30])
    visits = visits_for(user).filter(
        grid__path__startswith=unit.path,
        visited_at__gte=start_of_day(start),
        visited_at__lt=start_of_day(end + timedelta(days=1)),
    )
    by_worker = [
        VisitCount(row["visitor__display_name"] or row["visitor__username"], row["n"])
        for row in visits.values("visitor__username", "visitor__display_name")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    by_grid = [
        VisitCount(row["grid__name"], row["n"])
        for row in visits.values("grid__name", "grid__path")
        .annotate(n=Count("pk"))
        .order_by("-n", "grid__path")
    ]
    return Bulletin(unit, start, end, report, overdue, by_worker, by_grid)


def default_child_kind(unit: OrgUnit) -> str:
    return OrgKind.VILLAGE if unit.kind in (OrgKind.COUNTY, OrgKind.TOWNSHIP) else OrgKind.GRID


RANKED_KINDS = [OrgKind.TOWNSHIP, OrgKind.VILLAGE, OrgKind.GRID]


def ranking_kinds(unit: OrgUnit) -> list[str]:
    """The kinds of unit a ranking under `unit` may rank: those below it (a county's townships too)."""
    below = list(OrgKind)[list(OrgKind).index(OrgKind(unit.kind)) + 1 :]
    return [kind.value for kind in RANKED_KINDS if kind in below] or [default_child_kind(unit)]
