-- Every table the profiler_core library reads, in the platform's own field names (SPEC §2).
-- JSON columns are TEXT holding a JSON document; booleans are INTEGER 0/1; timestamps are
-- TEXT in ISO 8601, always written in UTC with microseconds (so text order is time order).

CREATE TABLE IF NOT EXISTS users (
    id          TEXT PRIMARY KEY,
    is_staff    INTEGER NOT NULL DEFAULT 0 CHECK (is_staff IN (0, 1))
);

CREATE TABLE IF NOT EXISTS role_grants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     TEXT NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT 'global' CHECK (scope IN ('global', 'org', 'cohort', 'track')),
    scope_ref   TEXT,
    is_active   INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    expires_at  TEXT
);
CREATE INDEX IF NOT EXISTS role_grants_user ON role_grants (user_id);

CREATE TABLE IF NOT EXISTS profiler_sessions (
    id                          TEXT PRIMARY KEY,
    user_id                     TEXT NOT NULL,
    status                      TEXT NOT NULL,
    started_at                  TEXT,
    completed_at                TEXT,
    difficulty_selection        TEXT,
    aptitude_score              REAL,
    technical_exposure_score    REAL,
    technical_exposure_answered INTEGER,
    behavioral_profile          TEXT NOT NULL DEFAULT '{}',   -- JSON: {traits, strengths, areas_for_growth} or flat
    strengths                   TEXT NOT NULL DEFAULT '[]',   -- JSON list of str
    recommended_track           TEXT,
    track_confidence            REAL,
    track_alignment_percentages TEXT NOT NULL DEFAULT '{}',   -- JSON {track: 0..100}
    reflection                  TEXT NOT NULL DEFAULT '{}',   -- JSON {why_cyber, what_achieve}
    identity_responses          TEXT NOT NULL DEFAULT '[]',   -- JSON [{question_id, text}]
    anti_cheat_score            REAL,
    anti_cheat_flags            TEXT NOT NULL DEFAULT '[]'    -- JSON list of str
);
-- Serves "latest completed session per learner" for a batch of learners.
CREATE INDEX IF NOT EXISTS profiler_sessions_latest
    ON profiler_sessions (user_id, status, completed_at, id);

CREATE TABLE IF NOT EXISTS profiler_results (
    session_id          TEXT PRIMARY KEY REFERENCES profiler_sessions (id),
    overall_score       REAL,
    aptitude_score      REAL,
    behavioral_score    REAL,
    aptitude_breakdown  TEXT NOT NULL DEFAULT '{}',   -- JSON {category: number | {correct, total, points}}
    behavioral_traits   TEXT NOT NULL DEFAULT '{}',   -- JSON {category: mean}
    strengths           TEXT NOT NULL DEFAULT '[]',
    areas_for_growth    TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS missions (
    id                      TEXT PRIMARY KEY,
    code                    TEXT NOT NULL,
    title                   TEXT NOT NULL,
    track                   TEXT,
    difficulty              INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
    tier                    TEXT,
    is_active               INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    skills_tags             TEXT NOT NULL DEFAULT '[]',   -- JSON list of skill codes
    subtasks                TEXT NOT NULL DEFAULT '[]',   -- JSON [{id, title, required_skills}]
    recipe_recommendations  TEXT NOT NULL DEFAULT '[]',   -- JSON list of recipe slugs or ids
    points_required         INTEGER CHECK (points_required IS NULL OR points_required >= 0)  -- NULL: no gate
);
CREATE INDEX IF NOT EXISTS missions_difficulty ON missions (is_active, difficulty);

-- Mission progress (issue 18): the platform's mission_assignments / mission_submissions, keyed by learner id.
CREATE TABLE IF NOT EXISTS mission_assignments (
    id          TEXT PRIMARY KEY,
    mission_id  TEXT NOT NULL,
    learner_id  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'assigned'
                CHECK (status IN ('assigned', 'in_progress', 'submitted', 'reviewed', 'completed', 'failed')),
    assigned_at TEXT
);
CREATE INDEX IF NOT EXISTS mission_assignments_learner ON mission_assignments (learner_id);

CREATE TABLE IF NOT EXISTS mission_submissions (
    id            TEXT PRIMARY KEY,
    mission_id    TEXT NOT NULL,
    learner_id    TEXT NOT NULL,
    assignment_id TEXT,
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
                  ('draft', 'submitted', 'under_review', 'approved', 'needs_revision', 'rejected')),
    score         REAL CHECK (score IS NULL OR score BETWEEN 0 AND 100),
    submitted_at  TEXT
);
CREATE INDEX IF NOT EXISTS mission_submissions_learner ON mission_submissions (learner_id);

-- Points toward unlocking missions (the platform's curriculum progress, a host-given figure).
CREATE TABLE IF NOT EXISTS mission_points (
    learner_id TEXT PRIMARY KEY,
    points     INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0)
);

CREATE TABLE IF NOT EXISTS recipes (
    id                  TEXT PRIMARY KEY,
    slug                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    skill_codes         TEXT NOT NULL DEFAULT '[]',   -- JSON list of skill codes
    track_codes         TEXT NOT NULL DEFAULT '[]',   -- JSON list of track keys
    difficulty          TEXT NOT NULL DEFAULT 'beginner',
    estimated_minutes   INTEGER NOT NULL DEFAULT 0,
    usage_count         INTEGER NOT NULL DEFAULT 0,
    avg_rating          REAL NOT NULL DEFAULT 0,
    is_active           INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1))
);

CREATE TABLE IF NOT EXISTS cohorts (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    track           TEXT,
    enterprise_id   TEXT
);
CREATE INDEX IF NOT EXISTS cohorts_enterprise ON cohorts (enterprise_id);

CREATE TABLE IF NOT EXISTS enrollments (
    user_id     TEXT NOT NULL,
    cohort_id   TEXT NOT NULL REFERENCES cohorts (id),
    status      TEXT NOT NULL,
    PRIMARY KEY (user_id, cohort_id)
);
CREATE INDEX IF NOT EXISTS enrollments_cohort ON enrollments (cohort_id, status);

CREATE TABLE IF NOT EXISTS mentor_assignments (
    id              TEXT PRIMARY KEY,
    mentor_id       TEXT NOT NULL,
    mentee_id       TEXT,
    status          TEXT NOT NULL,
    assignment_type TEXT NOT NULL DEFAULT 'direct' CHECK (assignment_type IN ('direct', 'cohort', 'track')),
    cohort_id       TEXT,
    track           TEXT,
    expires_at      TEXT
);
CREATE INDEX IF NOT EXISTS mentor_assignments_mentor ON mentor_assignments (mentor_id);

CREATE TABLE IF NOT EXISTS job_postings (
    id                      TEXT PRIMARY KEY,
    title                   TEXT NOT NULL,
    employer_id             TEXT NOT NULL,
    job_type                TEXT NOT NULL DEFAULT '',
    required_skills         TEXT NOT NULL DEFAULT '[]',   -- JSON list of skill codes
    is_active               INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    application_deadline    TEXT,
    track                   TEXT,
    level                   TEXT
);

CREATE TABLE IF NOT EXISTS talent_profiles (
    user_id                 TEXT PRIMARY KEY,
    skills                  TEXT NOT NULL DEFAULT '[]',   -- JSON list of skill codes
    readiness_score         REAL,
    job_fit_score           REAL,
    primary_track_key       TEXT,
    is_visible              INTEGER NOT NULL DEFAULT 0 CHECK (is_visible IN (0, 1)),
    employer_share_consent  INTEGER NOT NULL DEFAULT 0 CHECK (employer_share_consent IN (0, 1))
);

CREATE TABLE IF NOT EXISTS portfolio_items (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT NOT NULL,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL,
    item_type           TEXT NOT NULL,
    status              TEXT NOT NULL,
    visibility          TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'unlisted', 'public')),
    profiler_session_id TEXT,
    created_at          TEXT,
    updated_at          TEXT,
    learner_edited_at   TEXT,
    suggested_summary   TEXT,
    -- The learner's id on the value-statement entry this host creates, NULL on every other entry
    -- (and on statements written before the constraint existed). UNIQUE: a learner never gets two
    -- value statements, even when the profiler completion is delivered twice or concurrently.
    value_statement_of  TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS portfolio_items_user ON portfolio_items (user_id, item_type);

-- Every access decision's audit record (profiler_core.access.AuditRecord).
CREATE TABLE IF NOT EXISTS access_audit (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    viewer_id       TEXT NOT NULL,
    action          TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    view            TEXT NOT NULL,
    rule            TEXT NOT NULL,
    reason_codes    TEXT NOT NULL DEFAULT '[]',   -- JSON list of reason codes
    policy          TEXT NOT NULL,                -- "id@version"
    at              TEXT NOT NULL
);

-- The OCH FastAPI profiling service's question catalogue (`GET /api/v1/profiling/questions`:
-- `{id, question, category, options: [{value, text, scores}]}`). A completion's option letters are
-- resolved through it (identity answers); the rows are the service's, the host only keeps them.
CREATE TABLE IF NOT EXISTS profiling_questions (
    id          TEXT PRIMARY KEY,             -- the service's id: identity_1, tech_exposure_3, ...
    category    TEXT NOT NULL,                -- identity_value, technical_exposure, ...
    question    TEXT NOT NULL DEFAULT '',
    options     TEXT NOT NULL DEFAULT '[]'    -- JSON [{value, text, scores}]
);
