"""The platform's tables that profiler_core reads, with the platform's field names (SPEC §2).

Each model converts its rows to library values and back:

* ``to_domain(row)`` takes a ``QuerySet.values()`` row (keys are column
  attnames, e.g. ``user_id``) and hands it to :func:`profiler_core.structure`,
  so the library's wire rules (aliases, numeric strings, aware timestamps,
  both ``behavioral_profile`` shapes...) apply to what the database holds;
* ``from_domain(value)`` builds an unsaved row from a value.

Vocabulary columns (statuses, tracks, roles) are plain strings without
``choices``: the library validates them at the edge, so a vocabulary change
needs no migration. Ids are strings because the library's ids are; a platform
with UUID or integer keys passes ``str(pk)`` (``structure`` accepts integer ids).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from typing import Any

import attrs
from django.contrib.auth.models import AbstractUser
from django.db import models

import profiler_core as pc
from profiler_core import structure, unstructure, unstructure_object
from profiler_core.access import AuditRecord
from profiler_core.gaps import normalise_code

#: The width of every id column (``access_audit``'s included); :mod:`profiler_host.edge` refuses longer ids.
MAX_ID_LENGTH = 64
_ID_LENGTH = MAX_ID_LENGTH


def _columns(model: type[models.Model], value: object, **extra: object) -> dict[str, Any]:
    """Column values of *model* taken from the attrs *value*'s fields of the same name.

    JSON columns get the value's plain (unstructured) form, enums their raw
    value, and ``None`` in a non-null text column becomes ``""`` (Django's
    convention for empty text; the library reads blank as "none").
    """
    names = {a.name for a in attrs.fields(type(value))}
    out: dict[str, Any] = {}
    for column in model._meta.concrete_fields:
        name = column.attname
        if name not in names:
            continue
        item = getattr(value, name)
        if isinstance(column, models.JSONField):
            item = unstructure(item)
        elif isinstance(item, enum.Enum):
            item = item.value
        elif item is None and column.primary_key:
            continue  # the column's default generates the id
        elif item is None and isinstance(column, models.CharField) and not column.null:
            item = ""
        out[name] = item
    out.update(extra)
    return out


def new_id() -> str:
    """A fresh row id for values that arrive without one (an assignment, a new portfolio entry)."""
    return uuid.uuid4().hex


def _id_field() -> models.CharField[str, str]:
    return models.CharField(primary_key=True, max_length=_ID_LENGTH, default=new_id)


class User(AbstractUser):
    """The platform's user. ``id`` is a string (``"learner-001"``); ``is_staff`` feeds the Principal."""

    id = _id_field()

    class Meta:
        db_table = "users"


# --- profiler -------------------------------------------------------------------


class ProfilerSession(models.Model):
    """A profiler session (``profiler_sessions``)."""

    id = _id_field()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="profiler_sessions")
    status = models.CharField(max_length=32)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    difficulty_selection = models.CharField(max_length=32, blank=True, default="")
    aptitude_score = models.FloatField(null=True, blank=True)
    technical_exposure_score = models.FloatField(
        null=True, blank=True, help_text="A percentage 0..100 (converted from the raw sum at write time)."
    )
    technical_exposure_answered = models.PositiveIntegerField(null=True, blank=True)
    behavioral_profile = models.JSONField(default=dict, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    recommended_track = models.CharField(max_length=32, blank=True, default="")
    track_confidence = models.FloatField(null=True, blank=True)
    track_alignment_percentages = models.JSONField(default=dict, blank=True)
    reflection = models.JSONField(default=dict, blank=True)
    identity_responses = models.JSONField(default=list, blank=True)
    anti_cheat_score = models.FloatField(null=True, blank=True)
    anti_cheat_flags = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "profiler_sessions"
        indexes = (models.Index(fields=("user", "status", "completed_at"), name="session_latest_idx"),)

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.ProfilerSession:
        """The library value of a ``values()`` row."""
        return structure(row, pc.ProfilerSession)

    @classmethod
    def from_domain(cls, session: pc.ProfilerSession) -> ProfilerSession:
        """An unsaved row holding *session*."""
        return cls(**_columns(cls, session))


class ProfilerResult(models.Model):
    """The scored result of a session (``profiler_results``); at most one per session."""

    session = models.OneToOneField(ProfilerSession, on_delete=models.CASCADE, related_name="result")
    overall_score = models.FloatField(null=True, blank=True)
    aptitude_score = models.FloatField(null=True, blank=True)
    behavioral_score = models.FloatField(null=True, blank=True)
    aptitude_breakdown = models.JSONField(
        default=dict, blank=True, help_text="{category: number} or {category: {correct, total, points}}"
    )
    behavioral_traits = models.JSONField(default=dict, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    areas_for_growth = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "profiler_results"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.ProfilerResult:
        """The library value of a ``values()`` row."""
        return structure(row, pc.ProfilerResult)

    @classmethod
    def from_domain(cls, result: pc.ProfilerResult) -> ProfilerResult:
        """An unsaved row holding *result* (``result.session_id`` must be set)."""
        return cls(**_columns(cls, result))


# --- missions and recipes -------------------------------------------------------


class Mission(models.Model):
    """A mission (``missions``). ``difficulty`` is the integer level 1..5 so the ceiling filters in SQL."""

    id = _id_field()
    code = models.CharField(max_length=64)
    title = models.CharField(max_length=255)
    track = models.CharField(max_length=32, blank=True, default="")
    difficulty = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=32, blank=True, null=True)
    is_active = models.BooleanField(default=True)
    skills_tags = models.JSONField(default=list, blank=True)
    subtasks = models.JSONField(default=list, blank=True, help_text="[{id, title, required_skills}]")
    recipe_recommendations = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "missions"
        indexes = (models.Index(fields=("is_active", "difficulty"), name="mission_ceiling_idx"),)

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.Mission:
        """The library value of a ``values()`` row."""
        return structure(row, pc.Mission)

    @classmethod
    def from_domain(cls, mission: pc.Mission) -> Mission:
        """An unsaved row holding *mission*."""
        return cls(**_columns(cls, mission))


class Recipe(models.Model):
    """A recipe (``recipes``): a short lesson tagged with skill codes."""

    id = _id_field()
    slug = models.SlugField(max_length=128, unique=True)
    title = models.CharField(max_length=255)
    skill_codes = models.JSONField(default=list, blank=True)
    track_codes = models.JSONField(default=list, blank=True)
    difficulty = models.CharField(max_length=32, default="beginner")
    estimated_minutes = models.PositiveIntegerField(default=0)
    usage_count = models.PositiveIntegerField(default=0)
    avg_rating = models.FloatField(default=0.0)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "recipes"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.Recipe:
        """The library value of a ``values()`` row."""
        return structure(row, pc.Recipe)

    @classmethod
    def from_domain(cls, recipe: pc.Recipe) -> Recipe:
        """An unsaved row holding *recipe*."""
        return cls(**_columns(cls, recipe))

    def skill_rows(self) -> list[RecipeSkill]:
        """Unsaved index rows, one per normalised skill code (what the library compares)."""
        codes = dict.fromkeys(normalise_code(code) for code in self.skill_codes)
        return [RecipeSkill(recipe_id=self.id, code=code) for code in codes]


class RecipeSkill(models.Model):
    """Index of recipes by skill code (``recipe_skills``), so "recipes for these codes" is one SQL join.

    ``Recipe.skill_codes`` stays the ordered source of truth; this table is
    written beside it with codes normalised as :func:`profiler_core.gaps.normalise_code`
    does (JSON containment is not portable to SQLite; on PostgreSQL an
    ``ArrayField`` with ``&&`` would do the same).
    """

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="skills")
    code = models.CharField(max_length=64)

    class Meta:
        db_table = "recipe_skills"
        constraints = (models.UniqueConstraint(fields=("recipe", "code"), name="recipe_skill_once"),)
        indexes = (models.Index(fields=("code",), name="recipe_skill_code_idx"),)


# --- people, cohorts, access ----------------------------------------------------


class Cohort(models.Model):
    """A cohort (``cohorts``); ``enterprise_id`` is the sponsoring organisation."""

    id = _id_field()
    name = models.CharField(max_length=255)
    track = models.CharField(max_length=32, blank=True, default="")
    enterprise_id = models.CharField(max_length=_ID_LENGTH, null=True, blank=True, db_index=True)

    class Meta:
        db_table = "cohorts"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.Cohort:
        """The library value of a ``values()`` row."""
        return structure(row, pc.Cohort)

    @classmethod
    def from_domain(cls, cohort: pc.Cohort) -> Cohort:
        """An unsaved row holding *cohort*."""
        return cls(**_columns(cls, cohort))


class Enrollment(models.Model):
    """A learner's enrollment in a cohort (``enrollments``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrollments")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=32)

    class Meta:
        db_table = "enrollments"
        constraints = (models.UniqueConstraint(fields=("user", "cohort"), name="enrollment_once"),)

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.Enrollment:
        """The library value of a ``values()`` row."""
        return structure(row, pc.Enrollment)

    @classmethod
    def from_domain(cls, enrollment: pc.Enrollment) -> Enrollment:
        """An unsaved row holding *enrollment*."""
        return cls(**_columns(cls, enrollment))


class MentorAssignment(models.Model):
    """A mentor's assignment (``mentor_assignments``): direct (a mentee), cohort or track."""

    id = _id_field()
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentor_assignments")
    mentee = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="mentee_assignments"
    )
    status = models.CharField(max_length=32)
    assignment_type = models.CharField(max_length=16, default="direct")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="mentor_assignments"
    )
    track = models.CharField(max_length=32, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "mentor_assignments"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.MentorAssignment:
        """The library value of a ``values()`` row."""
        return structure(row, pc.MentorAssignment)

    @classmethod
    def from_domain(cls, assignment: pc.MentorAssignment) -> MentorAssignment:
        """An unsaved row holding *assignment* (a fresh id when it has none)."""
        return cls(**_columns(cls, assignment))


class RoleGrant(models.Model):
    """A role a user holds within a scope (``role_grants``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32)
    scope = models.CharField(max_length=16, default="global")
    scope_ref = models.CharField(max_length=_ID_LENGTH, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "role_grants"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.RoleGrant:
        """The library value of a ``values()`` row."""
        return structure(row, pc.RoleGrant)

    @classmethod
    def from_domain(cls, grant: pc.RoleGrant, *, user_id: str) -> RoleGrant:
        """An unsaved row granting *grant* to *user_id*."""
        return cls(**_columns(cls, grant, user_id=user_id))


# --- marketplace and portfolio --------------------------------------------------


class JobPosting(models.Model):
    """A marketplace job posting (``job_postings``)."""

    id = _id_field()
    title = models.CharField(max_length=255)
    employer_id = models.CharField(max_length=_ID_LENGTH, db_index=True)
    job_type = models.CharField(max_length=32, blank=True, default="")
    required_skills = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    application_deadline = models.DateTimeField(null=True, blank=True)
    track = models.CharField(max_length=32, blank=True, default="")
    level = models.CharField(max_length=16, null=True, blank=True)

    class Meta:
        db_table = "job_postings"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.JobPosting:
        """The library value of a ``values()`` row."""
        return structure(row, pc.JobPosting)

    @classmethod
    def from_domain(cls, job: pc.JobPosting) -> JobPosting:
        """An unsaved row holding *job*."""
        return cls(**_columns(cls, job))


class TalentProfile(models.Model):
    """A learner's marketplace profile (``talent_profiles``), one per user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="talent")
    skills = models.JSONField(default=list, blank=True)
    readiness_score = models.FloatField(null=True, blank=True)
    job_fit_score = models.FloatField(null=True, blank=True)
    primary_track_key = models.CharField(max_length=32, blank=True, default="")
    is_visible = models.BooleanField(default=False)
    employer_share_consent = models.BooleanField(default=False)

    class Meta:
        db_table = "talent_profiles"

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.TalentProfile:
        """The library value of a ``values()`` row."""
        return structure(row, pc.TalentProfile)

    @classmethod
    def from_domain(cls, profile: pc.TalentProfile) -> TalentProfile:
        """An unsaved row holding *profile*."""
        return cls(**_columns(cls, profile))


class PortfolioItem(models.Model):
    """A portfolio item (``portfolio_items``); the Value Statement is the learner's ``reflection`` item.

    ``statement_owner`` is set (to the learner) on the one entry that is the
    learner's value statement, and is unique: a completion hook delivered
    twice, or by two workers at once, cannot create a second statement (the
    loser's INSERT fails with ``IntegrityError`` and the adapter re-reads).
    A nullable unique column rather than a partial unique index on
    ``(user, item_type, title)`` because platforms hold duplicate statements
    made before the constraint existed: the backfill keys one of them (the one
    :func:`profiler_core.portfolio.pick_value_statement_entry` picks) and
    leaves the others unkeyed, readable and harmless.
    """

    id = _id_field()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="portfolio_items")
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True, default="")
    item_type = models.CharField(max_length=32)
    status = models.CharField(max_length=32)
    visibility = models.CharField(max_length=16, default="private")
    profiler_session = models.ForeignKey(
        ProfilerSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="portfolio_items"
    )
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    learner_edited_at = models.DateTimeField(null=True, blank=True)
    suggested_summary = models.TextField(null=True, blank=True)
    statement_owner = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="value_statement",
        help_text="The learner, on their one value-statement entry (unique); null on every other item.",
    )

    class Meta:
        db_table = "portfolio_items"
        indexes = (models.Index(fields=("user", "item_type"), name="portfolio_user_type_idx"),)

    @classmethod
    def to_domain(cls, row: Mapping[str, object]) -> pc.PortfolioEntry:
        """The library value of a ``values()`` row."""
        return structure(row, pc.PortfolioEntry)

    @classmethod
    def from_domain(cls, entry: pc.PortfolioEntry, *, is_statement: bool = False) -> PortfolioItem:
        """An unsaved row holding *entry* (a fresh id when it has none); *is_statement* keys it."""
        return cls(**_columns(cls, entry), statement_owner_id=entry.user_id if is_statement else None)


class AccessAudit(models.Model):
    """One access decision's audit record (``access_audit``), written by the library's ``AuditSink`` port.

    Ids are plain strings, not foreign keys: an audit trail outlives the users
    and cohorts it mentions.
    """

    viewer_id = models.CharField(max_length=_ID_LENGTH, db_index=True)
    action = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=_ID_LENGTH, db_index=True)
    outcome = models.CharField(max_length=16)
    view = models.CharField(max_length=32)
    rule = models.CharField(max_length=64)
    reason_codes = models.JSONField(default=list)
    policy = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        db_table = "access_audit"

    @classmethod
    def from_domain(cls, record: AuditRecord) -> AccessAudit:
        """An unsaved row holding *record* (``policy`` as ``id@version``)."""
        return cls(**{**unstructure_object(record), "at": record.at})
