"""Django REST framework integration: errors, access permissions, responses, settings, OpenAPI schemas.

An optional module, imported only by hosts that run Django REST framework
(``pip install 'profiler-core[drf]'``); ``import profiler_core`` never imports
it, nor Django. Five pieces, each usable alone:

* :func:`exception_handler` (DRF's ``EXCEPTION_HANDLER``): the library's error
  tree as the documented statuses and bodies (400 ``invalid_payload``, 403
  ``access_denied``, 404 ``not_found``, 503 ``repository_error``), and a
  :class:`Refusal` a view or permission raises with a library outcome's status
  and body;
* permission classes (:class:`CohortAnalyticsPermission`,
  :class:`EnterpriseAnalyticsPermission`) that call the library's access gates,
  audit through the view's sink, and attach the allowed outcome to the request
  (``request.profiler_decision``; read it with :func:`analytics_access`);
* :class:`LibraryResponse`: a DRF ``Response`` whose data is
  :func:`~profiler_core.serialization.unstructure` of a library value;
* :func:`profiler_settings`: the policies of ``settings.PROFILER_CORE``
  (``{"suppression": {"k": 10}, ...}``), read with the library's own
  converter; a bad entry is an ``ImproperlyConfigured`` naming the key;
* :func:`library_schema` and :func:`postprocess_schema` for drf-spectacular:
  a library value's JSON Schema (:func:`profiler_core.schema.schema_for`) as an
  operation's response, its ``$defs`` moved into ``components/schemas``.

Nothing here decides anything: decisions are the library's, as in every host.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar, Final, Protocol, runtime_checkable

from attrs import field, fields, frozen
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

# The error table and the drf-spectacular helpers import no framework: the library tests them.
from profiler_core._drf_openapi import library_schema, postprocess_schema
from profiler_core._http_errors import error_schema, error_status_and_body, invalid_body
from profiler_core.access_scope import AccessPolicy
from profiler_core.analytics import AnalyticsPolicy
from profiler_core.decisions import Reason
from profiler_core.dp import DifferentialPrivacyPolicy
from profiler_core.errors import (
    AccessDeniedError,
    InvalidPayloadError,
    Problem,
    ProfilerCoreError,
)
from profiler_core.gap_policy import GapPolicy
from profiler_core.leadership import LeadershipPolicy
from profiler_core.mapping import DifficultyPolicy
from profiler_core.match_policy import MatchPolicy
from profiler_core.mission_plan import MissionPlanPolicy
from profiler_core.models import Principal, canonical_id
from profiler_core.ports import (
    AuditSink,
    CohortRepository,
    EnrollmentRepository,
    MentorAssignmentRepository,
    SessionRepository,
    ValueStatementSource,
)
from profiler_core.recipe_ranking import RankingPolicy
from profiler_core.serialization import JSON, structure, unstructure
from profiler_core.services import (
    AnalyticsAllowed,
    AnalyticsDenied,
    AnalyticsGate,
    AnalyticsNotFound,
    MenteeResults,
    ResultsAllowed,
    ResultsDenied,
    ResultsNotFound,
    cohort_analytics_gate,
    enterprise_analytics_gate,
    mentee_results,
)
from profiler_core.suppression import SuppressionPolicy
from profiler_core.taxonomy import DEFAULT_TAXONOMY, Taxonomy
from profiler_core.value_statement import ValueStatementPolicy

if TYPE_CHECKING:
    # Not at run time: rest_framework.views reads DRF's settings, which may import this module.
    from rest_framework.views import APIView

__all__ = [
    "exception_handler",
    "Refusal",
    "MAX_ID_LENGTH",
    "id_problem",
    "checked_id",
    "NOTES_HEADER",
    "AccessPorts",
    "ProfilerAccessView",
    "ProfilerPermission",
    "CohortAnalyticsPermission",
    "EnterpriseAnalyticsPermission",
    "analytics_access",
    "ResultsPorts",
    "ProfilerResultsView",
    "LearnerResultsPermission",
    "results_access",
    "LibraryResponse",
    "ProfilerSettings",
    "SETTINGS_NAME",
    "settings_from",
    "profiler_settings",
    "library_schema",
    "error_schema",
    "postprocess_schema",
]

_log = logging.getLogger(__name__)

#: The response header that carries a degraded answer's note codes (``profiler_unavailable,...``).
NOTES_HEADER: Final = "X-Profiler-Notes"

#: The Django setting :func:`profiler_settings` reads.
SETTINGS_NAME: Final = "PROFILER_CORE"

# --- errors ----------------------------------------------------------------------


class Refusal(APIException):
    """A library outcome that ends the request with its own status and body.

    Raised by the permission classes here (a denial, a subject that does not
    exist, a repository that failed) and by views that turn a typed outcome into
    an answer; :func:`exception_handler` renders it as it is.

    Attributes:
        status_code: the HTTP status.
        body: the JSON body.
        notes: the outcome's notes (a degraded answer's reasons); their codes
            go to the :data:`NOTES_HEADER` header.
    """

    def __init__(
        self, *, status_code: int, body: Mapping[str, object], notes: tuple[Reason, ...] = ()
    ) -> None:
        super().__init__(detail=str(body.get("detail", "")))
        self.status_code = status_code
        self.body: dict[str, object] = dict(body)
        self.notes = notes

    @classmethod
    def denied(cls, public_reasons: tuple[Reason, ...]) -> Refusal:
        """403 with the viewer's public reasons: the same body for every subject the viewer may not see.

        >>> from profiler_core.access import ACCESS_DENIED
        >>> Refusal.denied((ACCESS_DENIED,)).body
        {'code': 'access_denied', 'reason_codes': ['access_denied'],
         'detail': 'You do not have access to this resource.'}
        """
        body: dict[str, JSON] = {
            "code": AccessDeniedError.code,
            "reason_codes": [r.code for r in public_reasons],
            "detail": " ".join(r.message for r in public_reasons),
        }
        return cls(status_code=status.HTTP_403_FORBIDDEN, body=body)

    @classmethod
    def absent(cls, reason: Reason, *, unavailable: bool = False, notes: tuple[Reason, ...] = ()) -> Refusal:
        """404 (503 when *unavailable*) ``{"code": reason.code, "detail": reason.message}``."""
        return cls(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE if unavailable else status.HTTP_404_NOT_FOUND,
            body={"code": reason.code, "detail": reason.message},
            notes=notes,
        )


def exception_handler(exc: Exception, context: Mapping[str, object]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER`` for the library's errors; everything else goes to DRF's own handler.

    ==========================  ======  ==================================================
    exception                   status  body
    ==========================  ======  ==================================================
    :class:`Refusal`            its     its body (note codes in :data:`NOTES_HEADER`)
    ``InvalidPayloadError``     400     ``error_body(exc)``: ``{code, type, errors: [{path, code, message}]}``
    DRF ``ParseError``          400     the same shape, ``type: "json"``, path ``$``
    DRF ``UnsupportedMediaType``415     the same shape, ``type: "request"``, path ``$.header.content-type``
    ``AccessDeniedError``       403     ``{code: "access_denied", reason_codes, detail}``
    ``NotFoundError``           404     ``{code: "not_found", kind, key, detail}``
    a repository failure        503     ``{code: "repository_error", detail}``, never the failure's message
    other ``ProfilerCoreError`` 400     the same shape as a 400 above, ``type: "request"``, path ``$``
    ==========================  ======  ==================================================

    A repository failure is what :func:`~profiler_core.errors.is_repository_failure`
    recognises (``RepositoryError``, ``OSError``, a database driver's or
    Django's ``DatabaseError``) that no service degraded on; it is logged at
    WARNING with its operation (or its type), never its message. Every 400
    has one shape, so a client reads ``errors`` whatever was wrong (the
    :func:`error_schema` of 400, as in :mod:`profiler_core.fastapi`).
    """
    if isinstance(exc, Refusal):
        response = Response(exc.body, status=exc.status_code)
        if exc.notes:
            response[NOTES_HEADER] = ",".join(n.code for n in exc.notes)
        return response
    if isinstance(exc, ParseError):
        # A body that is not JSON at all gets the same 400 shape as one that breaks the contract.
        problem = Problem(path="$", message=str(exc.detail), code="invalid_value")
        return Response(invalid_body(problem, "json"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, UnsupportedMediaType):
        problem = Problem(
            path="$.header.content-type", message="must be application/json", code="invalid_value"
        )
        return Response(invalid_body(problem), status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    answer = error_status_and_body(exc, log=_log)  # the library's table, shared with profiler_core.fastapi
    if answer is not None:
        return Response(answer[1], status=answer[0])
    from rest_framework.views import exception_handler as drf_exception_handler  # noqa: PLC0415 - see above

    return drf_exception_handler(exc, dict(context))


# --- ids from the request ----------------------------------------------------------

#: The longest id :func:`checked_id` accepts by default: an id column's usual width (the audit trail's).
MAX_ID_LENGTH: Final = 64


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cc", "Cs"}


def id_problem(value: str, *, path: str, max_length: int = MAX_ID_LENGTH) -> Problem | None:
    """What is wrong with *value* as an id read at *path* (blank, too long, a control character), or ``None``.

    >>> id_problem("c-1", path="$.path.cohort_id") is None
    True
    >>> str(id_problem("a\\tb", path="$.path.cohort_id"))
    '$.path.cohort_id: must not contain control characters'
    """
    if not value.strip():
        return Problem(path=path, message="must not be blank", code="blank")
    if len(value) > max_length:
        return Problem(path=path, message=f"must be at most {max_length} characters", code="out_of_range")
    if any(_is_control(ch) for ch in value):
        return Problem(path=path, message="must not contain control characters", code="invalid_value")
    return None


def checked_id(value: str, *, path: str, max_length: int = MAX_ID_LENGTH, type_name: str = "request") -> str:
    """The canonical text of *value* (:func:`~profiler_core.models.canonical_id`) when it is a valid id.

    Checked before any query, so ``NUL`` (which PostgreSQL refuses in text) or
    an id wider than its column never reaches the database, an audit row or a log.

    Raises:
        InvalidPayloadError: blank, longer than *max_length*, or holding a control
            character (answered 400 by :func:`exception_handler`).
    """
    problem = id_problem(value, path=path, max_length=max_length)
    if problem is not None:
        raise InvalidPayloadError([problem], type_name=type_name)
    return canonical_id(value, field=path)


# --- permissions -----------------------------------------------------------------


@frozen(kw_only=True)
class AccessPorts:
    """What an access gate reads and writes: the cohort repository and the audit sink.

    Attributes:
        cohorts: the host's :class:`~profiler_core.ports.CohortRepository`.
        audit: the host's :class:`~profiler_core.ports.AuditSink` (every decision is audited).
    """

    cohorts: CohortRepository
    audit: AuditSink


@runtime_checkable
class ProfilerAccessView(Protocol):
    """**Protocol:** what a view guarded by a :class:`ProfilerPermission` provides.

    The permission asks the view, so the host keeps its own authentication and
    adapters: :meth:`profiler_principal` turns the authenticated user into the
    library's viewer, :meth:`profiler_access_ports` builds the adapters.
    """

    def profiler_principal(self, request: Request) -> Principal:
        """The library's viewer for *request*'s authenticated user."""
        ...

    def profiler_access_ports(self, request: Request) -> AccessPorts:
        """The adapters the access gate needs, for this request."""
        ...


class ProfilerPermission(BasePermission):
    """Base of the permission classes that call a library access gate.

    :meth:`has_permission` leaves an unauthenticated request to DRF (``False``:
    a 401 where an authenticator is configured), else calls :meth:`decide`. An
    allowed outcome is attached to the request as ``request.profiler_decision``
    (read it with :func:`analytics_access`); anything else raises a
    :class:`Refusal`: 403 with the viewer's public reasons (the same body for
    every subject the viewer may not see), 404 for a subject that does not
    exist (for a viewer who could see it), 503 when the cohorts could not be
    read.

    Subclasses set :attr:`lookup_kwarg` (the URL keyword holding the subject's
    id) and implement :meth:`decide`; a host that checks ids its own way
    overrides :meth:`subject`. Decisions use ``settings.PROFILER_CORE``'s
    ``access`` policy and ``django.utils.timezone.now()``.
    """

    #: The URL keyword argument that holds the subject's id.
    lookup_kwarg: str = ""
    #: The query parameter read when the URL has no :attr:`lookup_kwarg` (``""``: none).
    lookup_query: str = ""
    #: The longest subject id accepted (:func:`checked_id`).
    max_id_length: int = MAX_ID_LENGTH

    def has_permission(self, request: Request, view: APIView) -> bool:
        """``False`` without an authenticated user; ``True`` when the gate allows; else a :class:`Refusal`."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not isinstance(view, ProfilerAccessView):
            raise ImproperlyConfigured(
                f"{type(view).__name__} uses {type(self).__name__} but does not provide "
                "profiler_principal() and profiler_access_ports() (profiler_core.drf.ProfilerAccessView)"
            )
        outcome = self.decide(request, view, subject=self.subject(request, view))
        if isinstance(outcome, AnalyticsDenied):
            raise Refusal.denied(outcome.public_reasons)
        if isinstance(outcome, AnalyticsNotFound):
            raise Refusal.absent(
                outcome.reason, unavailable=outcome.reason.code == "cohorts_unavailable", notes=outcome.notes
            )
        setattr(request, "profiler_decision", outcome)  # noqa: B010 - DRF's Request type declares no such attribute
        return True

    def subject(self, request: Request, view: APIView) -> str:
        """The id of what is asked about, checked (:func:`checked_id`) and in canonical form.

        The URL's :attr:`lookup_kwarg` (problems at ``$.path.<kwarg>``), else the
        query parameter :attr:`lookup_query` (at ``$.query.<name>``).

        Raises:
            InvalidPayloadError: a malformed id, or a missing query parameter (a 400).
            ImproperlyConfigured: the URL has no such keyword and no query parameter is named.
        """
        raw = view.kwargs.get(self.lookup_kwarg)
        if isinstance(raw, str):
            return checked_id(raw, path=f"$.path.{self.lookup_kwarg}", max_length=self.max_id_length)
        if not self.lookup_query:
            raise ImproperlyConfigured(f"{type(self).__name__}: the URL has no {self.lookup_kwarg!r} keyword")
        path = f"$.query.{self.lookup_query}"
        value = request.query_params.get(self.lookup_query)
        if value is None:
            problem = Problem(path=path, message="required field missing", code="required")
            raise InvalidPayloadError([problem], type_name="request")
        return checked_id(value, path=path, max_length=self.max_id_length)

    #: The library gate a subclass asks: ``cohort_analytics_gate`` or ``enterprise_analytics_gate``.
    gate: ClassVar[Callable[..., AnalyticsGate]]

    def decide(self, request: Request, view: ProfilerAccessView, *, subject: str) -> AnalyticsGate:
        """The :attr:`gate`'s outcome for *subject* (audited through the view's sink)."""
        ports = view.profiler_access_ports(request)
        return type(self).gate(
            view.profiler_principal(request),
            subject,
            cohorts=ports.cohorts,
            audit=ports.audit,
            now=timezone.now(),
            policy=profiler_settings().access,
        )


class CohortAnalyticsPermission(ProfilerPermission):
    """May the viewer see this cohort's analytics? :func:`profiler_core.services.cohort_analytics_gate`.

    The cohort id is the URL's ``cohort_id``.
    """

    lookup_kwarg = "cohort_id"
    gate = staticmethod(cohort_analytics_gate)


class EnterpriseAnalyticsPermission(ProfilerPermission):
    """May the viewer see an enterprise's analytics? :func:`profiler_core.services.enterprise_analytics_gate`.

    The enterprise id is the URL's ``enterprise_id``.
    """

    lookup_kwarg = "enterprise_id"
    gate = staticmethod(enterprise_analytics_gate)


def analytics_access(request: Request) -> AnalyticsAllowed:
    """The allowed outcome a :class:`ProfilerPermission` attached to *request*.

    Its ``decision`` is what the analytics reports take; ``notes`` say whether
    it is degraded.

    Raises:
        ImproperlyConfigured: the view is not guarded by one of the permission classes here.
    """
    outcome = getattr(request, "profiler_decision", None)
    if not isinstance(outcome, AnalyticsAllowed):
        raise ImproperlyConfigured(
            "request.profiler_decision is not set: guard the view with a profiler_core.drf permission"
        )
    return outcome


@frozen(kw_only=True)
class ResultsPorts:
    """What the results decision reads and writes (:func:`profiler_core.services.mentee_results`).

    Attributes:
        sessions: the learner's sessions and results.
        assignments: mentor assignments (who mentors whom).
        enrollments: the learner's enrollments (a cohort-wide assignment or a director's scope).
        cohorts: the cohorts of those enrollments.
        audit: where every decision is recorded.
        statements: the learner's value statements (``None``: never shown).
    """

    sessions: SessionRepository
    assignments: MentorAssignmentRepository
    enrollments: EnrollmentRepository
    cohorts: CohortRepository
    audit: AuditSink
    statements: ValueStatementSource | None = None


@runtime_checkable
class ProfilerResultsView(Protocol):
    """**Protocol:** what a view guarded by :class:`LearnerResultsPermission` provides."""

    def profiler_principal(self, request: Request) -> Principal:
        """The library's viewer for *request*'s authenticated user."""
        ...

    def profiler_results_ports(self, request: Request) -> ResultsPorts:
        """The adapters the results decision needs, for this request."""
        ...


class LearnerResultsPermission(ProfilerPermission):
    """May the viewer see this learner's profiler results? :func:`profiler_core.services.mentee_results`.

    The learner id is the URL's ``mentee_id``. The service decides (the
    learner, admin or staff, analysts, a mentor whose active assignment covers
    the learner, a director whose scope does: SPEC §5), audits, and reads the
    results the granted view shows. A denial raises a :class:`Refusal`: 403
    with :meth:`denied_body` (the library's denial body, the same bytes for
    every learner the viewer may not see, existing or not). Otherwise the
    outcome, ``ResultsAllowed`` or ``ResultsNotFound`` (no completed session;
    the view chooses its 404), is ``request.profiler_decision``: read it with
    :func:`results_access`.
    """

    lookup_kwarg = "mentee_id"

    def has_permission(self, request: Request, view: APIView) -> bool:
        """``False`` without an authenticated user; a :class:`Refusal` on a denial; else ``True``."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not isinstance(view, ProfilerResultsView):
            raise ImproperlyConfigured(
                f"{type(view).__name__} uses {type(self).__name__} but does not provide "
                "profiler_principal() and profiler_results_ports() (profiler_core.drf.ProfilerResultsView)"
            )
        learner = self.subject(request, view)
        ports = view.profiler_results_ports(request)
        outcome: MenteeResults = mentee_results(
            view.profiler_principal(request),
            learner,
            sessions=ports.sessions,
            assignments=ports.assignments,
            enrollments=ports.enrollments,
            cohorts=ports.cohorts,
            statements=ports.statements,
            audit=ports.audit,
            now=timezone.now(),
            policy=profiler_settings().access,
        )
        if isinstance(outcome, ResultsDenied):
            raise Refusal(status_code=status.HTTP_403_FORBIDDEN, body=self.denied_body(outcome))
        setattr(request, "profiler_decision", outcome)  # noqa: B010 - DRF's Request type declares no such attribute
        return True

    def denied_body(self, outcome: ResultsDenied) -> Mapping[str, object]:
        """The 403 body: the library's denial body for the viewer (override to add a platform's keys)."""
        return outcome.body_for_viewer()


def results_access(request: Request) -> ResultsAllowed | ResultsNotFound:
    """The outcome a :class:`LearnerResultsPermission` attached to *request* (allowed, or no results).

    Raises:
        ImproperlyConfigured: the view is not guarded by :class:`LearnerResultsPermission`.
    """
    outcome = getattr(request, "profiler_decision", None)
    if not isinstance(outcome, ResultsAllowed | ResultsNotFound):
        raise ImproperlyConfigured(
            "request.profiler_decision is not set: guard the view with a LearnerResultsPermission"
        )
    return outcome


# --- responses -------------------------------------------------------------------


class LibraryResponse(Response):
    """A DRF ``Response`` whose data is ``unstructure(value)``: a library value, rendered.

    >>> from profiler_core.access import ACCESS_DENIED
    >>> LibraryResponse(ACCESS_DENIED).data
    {'code': 'access_denied', 'message': 'You do not have access to this resource.'}
    """

    def __init__(
        self,
        value: object,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(unstructure(value), status=status, headers=dict(headers or {}))


# --- settings --------------------------------------------------------------------


@frozen(kw_only=True)
class ProfilerSettings:
    """The policies a host configures in ``settings.PROFILER_CORE`` (each the library's default otherwise).

    Each key of the setting is one attribute here, read with
    :func:`profiler_core.structure` into its policy type (a key the policy
    does not have is refused, unlike on the wire: a misspelt key would leave
    the default in force); ``taxonomy`` is read by
    :meth:`Taxonomy.from_dict <profiler_core.taxonomy.Taxonomy.from_dict>`.
    """

    access: AccessPolicy = field(factory=AccessPolicy)
    analytics: AnalyticsPolicy = field(factory=AnalyticsPolicy)
    suppression: SuppressionPolicy = field(factory=SuppressionPolicy)
    differential_privacy: DifferentialPrivacyPolicy = field(factory=DifferentialPrivacyPolicy)
    difficulty: DifficultyPolicy = field(factory=DifficultyPolicy)
    mission_plan: MissionPlanPolicy = field(factory=MissionPlanPolicy)
    gaps: GapPolicy = field(factory=GapPolicy)
    taxonomy: Taxonomy = field(default=DEFAULT_TAXONOMY)
    ranking: RankingPolicy = field(factory=RankingPolicy)
    matching: MatchPolicy = field(factory=MatchPolicy)
    value_statement: ValueStatementPolicy = field(factory=ValueStatementPolicy)
    leadership: LeadershipPolicy = field(factory=LeadershipPolicy)


_POLICY_TYPES: Final[dict[str, type]] = {
    "access": AccessPolicy,
    "analytics": AnalyticsPolicy,
    "suppression": SuppressionPolicy,
    "differential_privacy": DifferentialPrivacyPolicy,
    "difficulty": DifficultyPolicy,
    "mission_plan": MissionPlanPolicy,
    "gaps": GapPolicy,
    "ranking": RankingPolicy,
    "matching": MatchPolicy,
    "value_statement": ValueStatementPolicy,
    "leadership": LeadershipPolicy,
}


def settings_from(config: object) -> ProfilerSettings:
    """The policies of one ``PROFILER_CORE`` mapping (``None`` or empty: every default).

    >>> settings_from({"suppression": {"k": 10}}).suppression.k
    10

    Raises:
        ImproperlyConfigured: *config* is not a mapping, names a key that is not
            a policy, holds a policy with a key the policy does not have, or a
            policy the library rejects; the message names ``PROFILER_CORE["<key>"]``
            and every problem's path and code.
    """
    if config is None:
        return ProfilerSettings()
    if not isinstance(config, Mapping):
        raise ImproperlyConfigured(f"{SETTINGS_NAME} must be a dict of policies, not {type(config).__name__}")
    known = sorted([*_POLICY_TYPES, "taxonomy"])
    values: dict[str, object] = {}
    for key, data in config.items():
        if key == "taxonomy":
            values[key] = _read_taxonomy(data)
        elif key in _POLICY_TYPES:
            _refuse_unknown_keys(key, data, _POLICY_TYPES[key])
            try:
                values[key] = structure(data, _POLICY_TYPES[key])
            except InvalidPayloadError as exc:
                problems = "; ".join(str(p) for p in exc.problems)
                raise ImproperlyConfigured(f'{SETTINGS_NAME}["{key}"]: {problems}') from exc
        else:
            raise ImproperlyConfigured(
                f"{SETTINGS_NAME}[{key!r}] is not a policy; the keys are: {', '.join(known)}"
            )
    return ProfilerSettings(**values)  # type: ignore[arg-type]  # each value was structured into its field's type


def _refuse_unknown_keys(key: str, data: object, policy: type) -> None:
    # A misspelt key would leave the default in force (a weaker k, say): settings are not the wire.
    if not isinstance(data, Mapping):
        return
    names = {attribute.alias for attribute in fields(policy)}
    unknown = sorted(str(name) for name in data if name not in names)
    if unknown:
        raise ImproperlyConfigured(
            f'{SETTINGS_NAME}["{key}"]: {", ".join(unknown)} is not a field of {policy.__name__}; '
            f"the fields are: {', '.join(sorted(names))}"
        )


def _read_taxonomy(data: object) -> Taxonomy:
    if not isinstance(data, Mapping):
        raise ImproperlyConfigured(f'{SETTINGS_NAME}["taxonomy"] must be a dict (Taxonomy.from_dict)')
    try:
        return Taxonomy.from_dict(data)
    except ProfilerCoreError as exc:
        raise ImproperlyConfigured(f'{SETTINGS_NAME}["taxonomy"]: {exc}') from exc


_cache: list[tuple[object, ProfilerSettings]] = []


def profiler_settings() -> ProfilerSettings:
    """The policies of ``django.conf.settings.PROFILER_CORE`` (read again whenever the setting changes).

    Raises:
        ImproperlyConfigured: as :func:`settings_from`.
    """
    config = getattr(django_settings, SETTINGS_NAME, None)
    if _cache and _cache[0][0] is config:
        return _cache[0][1]
    read = settings_from(config)
    _cache[:] = [(config, read)]
    return read
