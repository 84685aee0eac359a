"""The OCH platform's tables that profiler_core reads, on the platform's real schema (SPEC §12).

Table names (``db_table``), column names, key types and nullability are the
platform's own (``backend/django_app`` of ``cresdynamics-lang/och`` and
``vickie25/och``; the two repositories' models are identical for every table
here): ``users.id`` is a bigint with a ``uuid_id`` beside it, every other table
has a UUID primary key except ``roles`` and ``user_roles`` (bigint). Only the
columns the library reads, and the keys, are declared: the real tables have
more columns (``session_token``, ``aptitude_responses``, ``seat_pool``,
``salary_min``...), which these models neither read nor write.

``managed = True`` lets the test suite create the tables in SQLite; to point
the host at a live OCH database set ``managed = False`` on every model below
except :class:`AccessAudit` (the tables are the platform's; see the README).

Rows are never converted here: the adapters hand ``.values()`` rows to the
library's OCH readers (:mod:`profiler_core.och`).

Host extensions (columns and tables the real schema does not have, each
documented where it is declared): ``portfolio_items.statement_owner``,
``portfolio_items.learner_edited_at``, ``portfolio_items.suggested_summary``
and the ``access_audit`` table.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

#: The longest id text the request edge accepts (a UUID is 36, a bigint at most 20); ``access_audit``'s width.
MAX_ID_LENGTH = 64


def _uuid_pk() -> models.UUIDField[uuid.UUID, uuid.UUID]:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


# --- users, roles, tracks -------------------------------------------------------


class User(AbstractUser):
    """``users``: bigint ``id`` (what sessions, enrollments, roles and marketplace profiles key by).

    ``uuid_id`` is what portfolio items, mission assignments and sponsor links
    key by (``to_field='uuid_id'``). ``track_key`` is the learner's track as the
    FastAPI sync stores it.
    """

    id = models.BigAutoField(primary_key=True)
    uuid_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    cohort_id = models.CharField(max_length=100, null=True, blank=True)
    track_key = models.CharField(max_length=100, null=True, blank=True)
    profiling_complete = models.BooleanField(default=False)
    profiling_session_id = models.UUIDField(null=True, blank=True)
    is_mentor = models.BooleanField(default=False)

    class Meta:
        db_table = "users"


class Role(models.Model):
    """``roles``: a role by ``name`` (C: ten choices; V: free text; the dump also holds ``sponsor``)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        db_table = "roles"


class UserRole(models.Model):
    """``user_roles``: a role held in a scope; ``scope_ref`` is a UUID (a track scope: a track's UUID)."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_roles")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="user_roles")
    scope = models.CharField(max_length=20, default="global")
    scope_ref = models.UUIDField(null=True, blank=True)
    cohort_id = models.CharField(max_length=100, null=True, blank=True)
    track_key = models.CharField(max_length=100, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "user_roles"


class Track(models.Model):
    """``tracks`` (programs app): ``key`` is not unique (the dump holds ``defensive-security`` twice)."""

    id = _uuid_pk()
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=100)

    class Meta:
        db_table = "tracks"


class CurriculumTrack(models.Model):
    """``curriculum_tracks``: ``slug`` is the track key (``defender``...), ``code`` the catalogue code."""

    id = _uuid_pk()
    code = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        db_table = "curriculum_tracks"


# --- profiler -------------------------------------------------------------------


class ProfilerSession(models.Model):
    """``profilersessions``: reflection answers in ``behavioral_responses``, flags in ``suspicious_patterns``.

    ``recommended_track_id`` (a track UUID) is the session's only track
    reference; ``is_locked`` wins over ``status``; ``technical_exposure_score``
    is the percentage 0..100 on the Django path.
    """

    id = _uuid_pk()
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="profiler_sessions")
    status = models.CharField(max_length=30, default="started")
    behavioral_responses = models.JSONField(default=dict, blank=True)
    futureyou_persona = models.JSONField(default=dict, blank=True)
    aptitude_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    behavioral_profile = models.JSONField(default=dict, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    recommended_track_id = models.UUIDField(null=True, blank=True)
    track_confidence = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    technical_exposure_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    difficulty_selection = models.CharField(max_length=20, blank=True, default="")
    track_alignment_percentages = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    is_locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    suspicious_patterns = models.JSONField(default=list, blank=True)
    anti_cheat_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    device_fingerprint = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        db_table = "profilersessions"
        indexes = (models.Index(fields=("user", "status"), name="profilerses_user_status_idx"),)


class ProfilerQuestion(models.Model):
    """``profilerquestions``: ``options`` resolve an identity answer's letter to its text."""

    id = _uuid_pk()
    question_type = models.CharField(max_length=20)
    question_text = models.TextField()
    options = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        db_table = "profilerquestions"


class ProfilerAnswer(models.Model):
    """``profileranswers``: ``answer['value']`` is the option letter (``'A'``..``'E'``)."""

    id = _uuid_pk()
    session = models.ForeignKey(ProfilerSession, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ProfilerQuestion, on_delete=models.CASCADE, null=True, blank=True)
    question_key = models.CharField(max_length=255, blank=True, default="")
    answer = models.JSONField(default=dict)

    class Meta:
        db_table = "profileranswers"


class ProfilerResult(models.Model):
    """``profilerresults``: scores NOT NULL; ``aptitude_breakdown`` holds ``{category: {correct, total}}``."""

    id = _uuid_pk()
    session = models.OneToOneField(ProfilerSession, on_delete=models.CASCADE, related_name="result")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="profiler_results")
    overall_score = models.DecimalField(max_digits=5, decimal_places=2)
    aptitude_score = models.DecimalField(max_digits=5, decimal_places=2)
    behavioral_score = models.DecimalField(max_digits=5, decimal_places=2)
    aptitude_breakdown = models.JSONField(default=dict, blank=True)
    behavioral_traits = models.JSONField(default=dict, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    areas_for_growth = models.JSONField(default=list, blank=True)
    recommended_tracks = models.JSONField(default=list, blank=True)
    och_mapping = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "profilerresults"


# --- cohorts, enrollments, mentors ---------------------------------------------


class Cohort(models.Model):
    """``cohorts``: ``track`` is a nullable FK to ``tracks`` (NULL in every real row); no sponsor column."""

    id = _uuid_pk()
    track = models.ForeignKey(Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="cohorts")
    name = models.CharField(max_length=200)
    curriculum_tracks = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, default="draft")

    class Meta:
        db_table = "cohorts"


class SponsorCohortAssignment(models.Model):
    """``sponsor_cohort_assignments``: a sponsor (a user, by ``uuid_id``) funds a cohort (the enterprise)."""

    id = _uuid_pk()
    sponsor_uuid = models.ForeignKey(
        User, on_delete=models.CASCADE, to_field="uuid_id", db_column="sponsor_uuid_id", related_name="+"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sponsor_assignments")
    role = models.CharField(max_length=20, default="funding")

    class Meta:
        db_table = "sponsor_cohort_assignments"


class Enrollment(models.Model):
    """``enrollments``: user by bigint id; ``status`` defaults to ``pending_payment``."""

    id = _uuid_pk()
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=20, default="pending_payment")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "enrollments"
        constraints = (
            models.UniqueConstraint(fields=("cohort", "user"), name="enrollments_cohort_user_uniq"),
        )


class MenteeMentorAssignment(models.Model):
    """``menteementorassignments``: one row per mentee (NOT NULL), type default ``'cohort'``.

    ``cohort_id`` and ``track_id`` are ``varchar(100)`` (a cohort's UUID text; a
    curriculum track's UUID text). No ``expires_at``.
    """

    id = _uuid_pk()
    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentor_links")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentee_links")
    cohort_id = models.CharField(max_length=100, null=True, blank=True)
    track_id = models.CharField(max_length=100, null=True, blank=True)
    assignment_type = models.CharField(max_length=20, default="cohort")
    status = models.CharField(max_length=20, default="pending")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "menteementorassignments"
        constraints = (
            models.UniqueConstraint(fields=("mentee", "mentor"), name="menteementor_mentee_mentor_uniq"),
        )


class CohortMentorAssignment(models.Model):
    """``mentor_assignments`` (programs): a mentor on a cohort; ``active``, ``role``; no status, no mentee."""

    id = _uuid_pk()
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="mentor_assignments")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="cohort_mentorships")
    role = models.CharField(max_length=20, default="support")
    active = models.BooleanField(default=True)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "mentor_assignments"
        constraints = (
            models.UniqueConstraint(fields=("cohort", "mentor"), name="mentor_assign_cohort_uniq"),
        )


# --- catalogues -----------------------------------------------------------------


class Recipe(models.Model):
    """``recipes``: catalogue codes (``SOCDEFENSE``, ``SIEM_RULE_WRITING``...), never the taxonomy's own."""

    id = _uuid_pk()
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    summary = models.TextField(max_length=500, blank=True, default="")
    description = models.TextField(blank=True, default="")
    difficulty = models.CharField(max_length=20, default="beginner")
    estimated_minutes = models.IntegerField(default=30)
    track_codes = models.JSONField(default=list, blank=True)
    skill_codes = models.JSONField(default=list, blank=True)
    tools_used = models.JSONField(default=list, blank=True)
    prerequisites = models.JSONField(default=list, blank=True)
    tools_and_environment = models.JSONField(default=list, blank=True)
    inputs = models.JSONField(default=list, blank=True)
    steps = models.JSONField(default=list, blank=True)
    validation_checks = models.JSONField(default=list, blank=True)
    thumbnail_url = models.URLField(max_length=500, blank=True, default="")
    mentor_curated = models.BooleanField(default=False)
    usage_count = models.IntegerField(default=0)
    avg_rating = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "recipes"


class Mission(models.Model):
    """``missions``: ``code`` nullable, ``difficulty`` 1..5, ``track_id`` free text or a track UUID."""

    id = _uuid_pk()
    code = models.CharField(max_length=50, unique=True, null=True, blank=True)
    track_id = models.CharField(max_length=50, null=True, blank=True)
    track = models.CharField(max_length=20, null=True, blank=True)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    difficulty = models.IntegerField()
    tier = models.CharField(max_length=20, null=True, blank=True)
    mission_type = models.CharField(max_length=20, default="intermediate")
    estimated_duration_min = models.IntegerField(default=60)
    skills_tags = models.JSONField(default=list, blank=True)
    subtasks = models.JSONField(default=list, blank=True)
    recipe_recommendations = models.JSONField(default=list, blank=True)
    competencies = models.JSONField(default=list, blank=True)
    requires_points = models.BooleanField(default=False)
    points_required = models.IntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "missions"
        indexes = (models.Index(fields=("is_active", "difficulty"), name="missions_active_diff_idx"),)


class MissionAssignment(models.Model):
    """``mission_assignments``: a mission assigned to a cohort or one student (by ``users.uuid_id``).

    ``status``: assigned, in_progress, submitted, reviewed, completed, failed
    (default ``assigned``). A cohort assignment has ``student_id`` NULL.
    """

    id = _uuid_pk()
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assignments")
    assignment_type = models.CharField(max_length=20)
    cohort_id = models.UUIDField(null=True, blank=True)
    student = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        to_field="uuid_id",
        db_column="student_id",
        null=True,
        blank=True,
        related_name="mission_assignments",
    )
    due_date = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, default="assigned")
    assigned_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "mission_assignments"


class MissionSubmission(models.Model):
    """``mission_submissions``: a submission of an assignment; ``score`` Decimal(5,2) 0..100, nullable.

    ``status``: draft, submitted, under_review, approved, needs_revision,
    rejected (default ``draft``).
    """

    id = _uuid_pk()
    assignment = models.ForeignKey(MissionAssignment, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        to_field="uuid_id",
        db_column="student_id",
        related_name="mission_submissions",
    )
    content = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, default="draft")
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "mission_submissions"


# --- portfolio and marketplace --------------------------------------------------


class PortfolioItem(models.Model):
    """``portfolio_items``: user by ``uuid_id``; ``summary`` nullable; the statement is a ``reflection`` item.

    Host extensions (nullable columns the real table lacks, added by this
    host's migration; see the README): ``statement_owner`` (unique: one value
    statement per learner even when the completion hook runs twice at once),
    ``learner_edited_at`` and ``suggested_summary`` (a learner's edit is never
    overwritten by a re-composition).
    """

    id = _uuid_pk()
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        to_field="uuid_id",
        db_column="user_id",
        related_name="portfolio_items",
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(null=True, blank=True)
    item_type = models.CharField(max_length=50, default="mission")
    status = models.CharField(max_length=20, default="draft")
    visibility = models.CharField(max_length=20, default="private")
    skill_tags = models.TextField(null=True, blank=True)
    evidence_files = models.TextField(null=True, blank=True)
    profiler_session_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # --- host extensions ---
    learner_edited_at = models.DateTimeField(null=True, blank=True)
    suggested_summary = models.TextField(null=True, blank=True)
    statement_owner = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="value_statement",
        help_text="Host extension: the learner, on their one value-statement item (unique); null elsewhere.",
    )

    class Meta:
        db_table = "portfolio_items"
        indexes = (models.Index(fields=("user", "item_type"), name="portfolio_user_type_idx"),)


class MarketplaceProfile(models.Model):
    """``marketplace_profiles``: keyed by ``mentee_id`` (bigint); ``skills`` are free labels."""

    id = _uuid_pk()
    mentee = models.OneToOneField(User, on_delete=models.CASCADE, related_name="marketplace_profile")
    readiness_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    job_fit_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    profile_status = models.CharField(max_length=32, default="foundation_mode")
    primary_track_key = models.CharField(max_length=64, blank=True, default="")
    skills = models.JSONField(default=list, blank=True)
    is_visible = models.BooleanField(default=False)
    employer_share_consent = models.BooleanField(default=False)

    class Meta:
        db_table = "marketplace_profiles"


class Employer(models.Model):
    """``marketplace_employers``: a job posting's employer."""

    id = _uuid_pk()
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="employer")
    company_name = models.CharField(max_length=255)

    class Meta:
        db_table = "marketplace_employers"


class JobPosting(models.Model):
    """``marketplace_job_postings``: no track, no level columns; ``required_skills`` may be ``[]``."""

    id = _uuid_pk()
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="job_postings")
    title = models.CharField(max_length=255)
    job_type = models.CharField(max_length=20)
    required_skills = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    posted_at = models.DateTimeField(default=timezone.now)
    application_deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "marketplace_job_postings"


# --- the host's own table ------------------------------------------------------


class AccessAudit(models.Model):
    """``access_audit`` (host table): one access decision's record, written through the ``AuditSink`` port.

    Ids are plain strings, not foreign keys: an audit trail outlives the users
    and cohorts it mentions.
    """

    viewer_id = models.CharField(max_length=MAX_ID_LENGTH, db_index=True)
    action = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=MAX_ID_LENGTH, db_index=True)
    outcome = models.CharField(max_length=16)
    view = models.CharField(max_length=32)
    rule = models.CharField(max_length=64)
    reason_codes = models.JSONField(default=list)
    policy = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        db_table = "access_audit"
