"""The events a case's timeline is made of, and the data each kind carries.

Every event is validated against the model of its kind before it is stored, so the fold
never meets malformed data. Corrections are events too: a ``correction`` names an earlier
event (``corrects``) and carries replacement data for it, validated against the corrected
event's kind; the original stays in the timeline.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from steward.disclosure.model import AffectedProduct, ExploitationStatus, Reporter, UtcDatetime
from steward.disclosure.vocabulary import EU_MEMBER_STATES
from steward.disclosure.vocabulary import Event as Event
from steward.disclosure.vocabulary import EventKind as EventKind
from steward.disclosure.vocabulary import ReportType as ReportType
from steward.disclosure.vocabulary import parse_kind as parse_kind
from steward.errors import InputError


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class NoteData(_Data):
    note: str | None = None


class TextData(_Data):
    text: str = Field(min_length=1)


def _check_zone(value: str | None) -> str | None:
    if value is None:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Berlin)") from None
    return value


def member_state(code: str) -> str:
    """An EU Member State code, upper case (``el`` is read as ``GR``); ValueError otherwise."""
    upper = code.strip().upper()
    upper = "GR" if upper == "EL" else upper
    if upper not in EU_MEMBER_STATES:
        raise ValueError(f"{code!r} is not an EU Member State code (ISO 3166-1 alpha-2, e.g. DE)")
    return upper


class ReceivedData(_Data):
    reporter: Reporter | None = None
    note: str | None = None
    timezone: str | None = None  # the case's time zone (IANA name)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _check_zone(value)


class DetailsData(_Data):
    """Facts documents need; a field left out keeps its earlier value."""

    title: str | None = None
    description: str | None = None
    impact: str | None = None
    severity_assessment: str | None = None
    exploit_nature: str | None = None
    root_cause: str | None = None
    malicious_actor: str | None = None
    sensitivity: str | None = None
    suspected_malicious: bool | None = None
    cwes: tuple[str, ...] | None = None
    references: tuple[str, ...] | None = None
    corrective_measures: tuple[str, ...] | None = None
    user_mitigations: tuple[str, ...] | None = None
    member_states: tuple[str, ...] | None = None
    timezone: str | None = None

    @field_validator("member_states")
    @classmethod
    def _states(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(dict.fromkeys(member_state(v) for v in value))

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _check_zone(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        # the same rule as a new case's title: it heads reports and advisories, and a line
        # break would start a section of the Markdown report that nobody recorded
        if value is not None and not one_line_title(value):
            raise ValueError("a case title is one line without control characters")
        return value

    @field_validator("cwes")
    @classmethod
    def _cwes(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for cwe in value or ():
            if not cwe.startswith("CWE-") or not cwe[4:].isdigit():
                raise ValueError(f"{cwe!r} is not a CWE id (CWE-<number>)")
        return value


class SeverityData(_Data):
    cvss_vector: str

    @field_validator("cvss_vector")
    @classmethod
    def _valid(cls, value: str) -> str:
        from steward.disclosure.advisories.common import parse_cvss

        try:
            return parse_cvss(value, source="cvss_vector").vector
        except InputError as exc:
            raise ValueError(exc.message) from None


def _product(product: AffectedProduct) -> AffectedProduct:
    states = tuple(dict.fromkeys(member_state(s) for s in product.member_states))
    return product.model_copy(update={"member_states": states})


class ProductsData(_Data):
    products: tuple[AffectedProduct, ...]

    @field_validator("products")
    @classmethod
    def _states(cls, value: tuple[AffectedProduct, ...]) -> tuple[AffectedProduct, ...]:
        return tuple(_product(p) for p in value)


class ProductData(_Data):
    product: AffectedProduct

    @field_validator("product")
    @classmethod
    def _states(cls, value: AffectedProduct) -> AffectedProduct:
        return _product(value)


class AliasData(_Data):
    alias: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+$")


class EmbargoData(_Data):
    until: UtcDatetime | None = None
    parties: tuple[str, ...] = ()


class ExploitationData(_Data):
    status: ExploitationStatus
    evidence: str | None = None


class AwareData(_Data):
    """Awareness of active exploitation, or of a severe incident."""

    evidence: str | None = None
    source: str | None = None  # e.g. "CISA KEV", "own telemetry", "reporter"
    suspected_malicious: bool | None = None


class MitigationData(_Data):
    description: str | None = None
    versions: tuple[str, ...] = ()
    product: str | None = None  # the product the versions belong to (needed if several)


class PublishedData(_Data):
    url: str | None = None


class ReportSubmittedData(_Data):
    report: ReportType
    reference: str | None = None  # the reporting platform's reference
    recipient: str | None = None


class ReportRequestedData(_Data):
    """A CSIRT's request for an intermediate report on relevant status updates (Art. 14(6))."""

    report: ReportType = ReportType.INTERMEDIATE_REPORT
    due: UtcDatetime
    by: str | None = None  # who asked, e.g. "CERT-Bund"
    note: str | None = None

    @field_validator("report")
    @classmethod
    def _intermediate(cls, value: ReportType) -> ReportType:
        if value is not ReportType.INTERMEDIATE_REPORT:
            raise ValueError("only an intermediate report is requested (Art. 14(6))")
        return value


class DuplicateData(_Data):
    of: str = Field(min_length=1)
    note: str | None = None


class CorrectionData(_Data):
    corrects: int = Field(ge=1)
    data: dict[str, Any] = Field(default_factory=dict)
    occurred_at: UtcDatetime | None = None
    reason: str | None = None


DATA_MODELS: dict[EventKind, type[_Data]] = {
    EventKind.RECEIVED: ReceivedData,
    EventKind.NOTE: TextData,
    EventKind.TRIAGED: NoteData,
    EventKind.CONFIRMED: NoteData,
    EventKind.DETAILS_SET: DetailsData,
    EventKind.SEVERITY_SET: SeverityData,
    EventKind.PRODUCTS_SET: ProductsData,
    EventKind.PRODUCT_ADDED: ProductData,
    EventKind.ALIAS_ADDED: AliasData,
    EventKind.EMBARGO_SET: EmbargoData,
    EventKind.EMBARGO_LIFTED: NoteData,
    EventKind.EXPLOITATION_STATUS: ExploitationData,
    EventKind.EXPLOITATION_AWARE: AwareData,
    EventKind.INCIDENT_AWARE: AwareData,
    EventKind.FIX_STARTED: NoteData,
    EventKind.MITIGATION_AVAILABLE: MitigationData,
    EventKind.FIXED: MitigationData,
    EventKind.PUBLISHED: PublishedData,
    EventKind.REPORT_SUBMITTED: ReportSubmittedData,
    EventKind.REPORT_REQUESTED: ReportRequestedData,
    EventKind.REJECTED: NoteData,
    EventKind.DUPLICATE: DuplicateData,
    EventKind.CLOSED: NoteData,
    EventKind.REOPENED: NoteData,
    EventKind.CORRECTION: CorrectionData,
}


def one_line_title(title: str) -> bool:
    """Whether a case title is one non-empty line: no control characters (C0, DEL, C1), no
    Unicode line or paragraph separators, no bidirectional controls
    (:func:`steward.textcheck.forbidden_character`)."""
    from steward.textcheck import forbidden_character

    return bool(title.strip()) and forbidden_character(title) is None


def _control_character(value: Any, where: str) -> str | None:
    """Where a string in ``value`` holds a control character other than tab and line breaks,
    or a bidirectional control (:func:`steward.textcheck.forbidden_character`)."""
    if isinstance(value, str):
        from steward.textcheck import forbidden_character

        bad = forbidden_character(value, allowed="\t\n\r")
        return f"{where}: control character {bad!r} not allowed" if bad else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _control_character(str(key), where) or _control_character(
                item, f"{where}.{key}"
            )
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _control_character(item, f"{where}[{index}]")
            if found:
                return found
    return None


def validate_data(kind: EventKind, data: dict[str, Any]) -> dict[str, Any]:
    """Validate an event's data; return it normalised (JSON-ready).

    Text may hold line breaks and tabs but no other control characters (a NUL cannot be
    stored by PostgreSQL and has no place in a report).
    """
    problem = _control_character(data, kind.value)
    if problem:
        raise InputError(f"{kind.value} event: {problem}")
    try:
        model = DATA_MODELS[kind].model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{kind.value} event: {first_error(exc, kind.value)}") from None
    problem = purl_problem(model)
    if problem:
        raise InputError(f"{kind.value} event: {problem}")
    return model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def purl_problem(model: BaseModel) -> str | None:
    """``field.path: invalid purl ...`` for the first product or component purl of a
    ``products_set``/``product_added`` event's data that is no package URL, else None.

    Checked when an event is recorded (and for a correction's replacement data), not in the
    models: the log is append-only, so a purl nobody can parse would otherwise stay in the
    case and fail every advisory later; events already stored are read as they are.
    packageurl is imported only when a purl is given.
    """
    if isinstance(model, ProductsData):
        products = [(f"products[{i}]", p) for i, p in enumerate(model.products)]
    elif isinstance(model, ProductData):
        products = [("product", model.product)]
    else:
        return None
    for where, product in products:
        named: list[tuple[str, str | None]] = [(f"{where}.purl", product.purl)]
        named += [
            (f"{where}.components[{i}].purl", c.purl) for i, c in enumerate(product.components)
        ]
        for path, purl in named:
            if purl is None:
                continue
            from packageurl import PackageURL

            try:
                PackageURL.from_string(purl)
            except ValueError as exc:
                return f"{path}: invalid purl {purl!r}: {str(exc).rstrip('.')}"
    return None


def first_error(exc: ValidationError, where: str) -> str:
    """``field.path: message`` of a validation error's first problem: one line, where
    pydantic's own text spans several; ``where`` names the place when the error has none."""
    first = exc.errors()[0]
    path = ".".join(str(p) for p in first["loc"]) or where
    return f"{path}: {first['msg']}"
