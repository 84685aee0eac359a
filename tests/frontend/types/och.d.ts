// The OCH frontend's view of the bodies profiler_core.och renders (och-bodies@1).
//
// Facts from the OCH platform's code: cresdynamics-lang/och @65fd5703 ("C") and
// vickie25/och @f3886023 ("V"); paths below are under frontend/nextjs_app/ unless
// they start with backend/. Where the frontend declares a type, it is copied
// verbatim (only `any` narrowed to `unknown`, which accepts the same values).
// Where no frontend code reads an endpoint, the type is the Django view's body.
// Where the frontend's declaration disagrees with what its own API sends (a
// string `difficulty` where the API sends an int, a non-null `code` where the API
// sends null), the type follows the API and the comment cites both.
// The library's extras (reasons, policy, degraded, body_version, ...) are not
// declared: the frontend never reads them, and extra keys are allowed.

/** A report cell under small-cohort suppression (SPEC §9): a number, or marked suppressed. */
export type Cell = number | { suppressed: true };

// --- 1. GET /profiler/mentees/{mentee_id}/results -------------------------------------
// services/profilerClient.ts, getMenteeResults (identical C/V), verbatim.
// No component calls it (grep, C and V); the Django view (backend/django_app/profiler/
// views.py::get_mentee_profiler_results) also sends foundations_reflection.
export interface MenteeResults {
  mentee_id: number;
  mentee_email: string;
  mentee_name: string;
  session_id: string;
  completed_at: string | null;
  is_locked: boolean;
  scores: {
    overall: number | null;
    aptitude: number | null;
    behavioral: number | null;
  };
  recommended_track: {
    track_id: string | null;
    confidence: number | null;
  };
  strengths: string[];
  areas_for_growth: string[];
  behavioral_profile: Record<string, unknown>;
  future_you_persona: Record<string, unknown>;
  aptitude_breakdown: Record<string, unknown>;
  recommended_tracks: unknown[];
  learning_path_suggestions: unknown[];
  och_mapping: Record<string, unknown>;
  enhanced_results?: unknown;
  anti_cheat?: {
    score: number | null;
    suspicious_patterns: string[];
    device_fingerprint: string | null;
  };
}

/** The flat behavioral_profile the platform stores ({category: mean}): summary.md fact 7. */
export type FlatBehavioralProfile = Record<string, number>;

/** The Django view's 404 when the mentee has no finished/locked session. */
export interface MenteeResultsNotFound {
  error: string;
  mentee_id: number;
  profiling_complete: boolean;
}

/** A 403: the Django view's `error`; the frontend shows a consent-gated state and reads nothing else. */
export interface Forbidden {
  error: string;
}

// --- 2. GET /profiler/mentees/{mentee_id}/future-you -----------------------------------
// services/types/profiler.ts, FutureYou (the getFutureYou return type), verbatim.
export interface FutureYou {
  id: string;
  persona_name: string;
  description: string;
  estimated_readiness_date?: string;
  confidence_score?: number;
}

// app/dashboard/mentor/mentees/[id]/page.tsx and app/mentor/dashboard/mentees/[id]/page.tsx
// (l.34, identical), verbatim: the keys the mentor pages actually render.
export type FutureYouProfile = {
  persona?: string;
  recommended_track?: string;
  mission_difficulty?: string;
  [k: string]: unknown;
};

/** The body serves both readers. */
export type FutureYouBody = FutureYou & FutureYouProfile;

// --- 3. Value statement -----------------------------------------------------------------
// services/fastapiClient.ts (C/V l.290), getValueStatement, verbatim: what the frontend reads.
export interface FastApiValueStatement {
  value_statement: string;
  session_id: string;
  ready_for_portfolio: boolean;
}

// backend/django_app/profiler/views.py::get_value_statement 200 (the seed's task 5.1 keys
// plus status and visibility). No frontend caller.
export interface DjangoValueStatement {
  value_statement: string | null;
  created_at: string;
  profiler_session_id: string | null;
  status: string;
  visibility: string;
}

export type ValueStatementBody = FastApiValueStatement & DjangoValueStatement;

/** The seed's task 5.1 404 body, verbatim in the Django view. */
export interface ValueStatementNotFound {
  value_statement: null;
  message: string;
}

// --- 4. GET /recipes/profiler-recommendations -------------------------------------------
// lib/types/recipes.ts (V), Recipe: what lib/services/recipeIntegration.ts reads
// (recipe.skill_code, .id, .title, .level, .track_code). C has `id?: number` only.
export interface LibRecipe {
  id?: number | string;
  title: string;
  description?: string;
  difficulty?: string;
  estimated_time?: number;
  tags?: string[];
  steps?: string[];
  skill_code?: string;
  level?: string;
  expected_duration_minutes?: number;
  [key: string]: unknown;
}

// backend/django_app/recipes/serializers.py, RecipeListSerializer: the keys it emits.
export interface RecipeListItem {
  id: string;
  title: string;
  slug: string;
  description: string;
  difficulty: string;
  expected_duration_minutes: number;
  track_code: string;
  skill_code: string;
  level: string;
  source_type: string;
  prerequisites: unknown[];
  tools_and_environment: unknown[];
  inputs: unknown[];
  steps: unknown[];
  tags: string[];
  validation_checks: unknown[];
  thumbnail_url: string | null;
  usage_count: number;
  avg_rating: number;
  mentor_curated: boolean;
  is_bookmarked: boolean;
  user_status: string | null;
  user_rating: number | null;
  context_labels: string[];
}

// backend/django_app/recipes/views.py::get_profiler_based_recipes (C l.407, same logic V).
// The view emits priority 'high' | 'medium'; the library's gap policy also emits 'low'
// (categories with too little evidence). No frontend code calls this endpoint.
export interface ProfilerGap {
  category: string;
  type: string;
  score?: number;
  priority: "high" | "medium" | "low";
}

export interface ProfilerRecommendations {
  gaps_analysis: {
    gaps: ProfilerGap[];
    recommended_recipe_skills: string[];
    aptitude_score: number | null;
    technical_exposure_score: number | null;
  };
  recommended_recipes: Array<RecipeListItem & LibRecipe>;
  total_gaps: number;
  total_skills: number;
  profiler_status: {
    accessible: boolean;
    session_id: string | null;
    has_scores: boolean;
    has_breakdown: boolean;
    message: string;
  };
  message: string;
}

// --- 5. Talent matches --------------------------------------------------------------------
// The seed's task 6.2 body (GET /marketplace/talent-matches, routed in neither repository).
export interface TalentMatch {
  job_id: string;
  job_title: string;
  match_score: number;
  match_reasons: string[];
}

export interface TalentMatchesSeed {
  recommended_track?: string | null;
  matches: TalentMatch[];
  message: string;
}

// backend/django_app/marketplace/profiler_integration.py::get_talent_matches_by_profiler
// (identical C/V), routed at /marketplace/talent-matches/profiler. No frontend caller.
export interface TalentMatchesProfiler extends TalentMatchesSeed {
  profiler_complete: boolean;
  track_confidence?: number | null;
  aptitude_score?: number | null;
  difficulty_selection?: string | null;
}

// --- 6, 7. Cohort and enterprise analytics --------------------------------------------------
// backend/django_app/profiler/views.py::get_cohort_profiler_analytics and
// ::get_enterprise_profiler_analytics (C l.1470, l.1599). No frontend caller. Every count
// and statistic is a Cell (suppressed under SPEC §9). The per-student lists `students`
// and `not_profiled_students` are deliberately absent.
export interface ScoreStatistics {
  average_aptitude: Cell | null;
  average_overall: Cell | null;
  min_aptitude: Cell | null;
  max_aptitude: Cell | null;
  min_overall: Cell | null;
  max_overall: Cell | null;
}

export interface CohortAnalytics {
  cohort_id: string;
  cohort_name: string;
  total_students: Cell;
  profiled_students: Cell;
  profiled_percentage: Cell | null;
  not_profiled_count: Cell;
  score_statistics: ScoreStatistics;
  track_distribution: Record<string, Cell>;
  top_strengths: Array<{ strength: string; count: Cell }>;
  readiness_distribution: Record<string, Cell>;
  students?: never;
  not_profiled_students?: never;
}

export interface EnterpriseAnalytics {
  sponsor_id: string | null;
  cohort_id: string | null;
  date_range: { from: string | null; to: string | null };
  total_employees: Cell;
  profiled_employees: Cell;
  profiled_percentage: Cell | null;
  not_profiled_count: Cell;
  score_statistics: ScoreStatistics;
  track_distribution: Record<string, Cell>;
  cohort_breakdown: Record<
    string,
    {
      total: Cell;
      profiled: Cell;
      avg_aptitude: Cell | null;
      avg_overall: Cell | null;
      profiled_percentage?: Cell | null;
    }
  >;
  readiness_distribution: {
    novice: Cell;
    beginner: Cell;
    intermediate: Cell;
    advanced: Cell;
  };
  students?: never;
  not_profiled_students?: never;
}

/** A 403 from the library: its denial body (the same bytes for every subject). */
export interface LibraryDenial {
  allowed: false;
  view: string;
  rule: string;
  reasons: Array<{ code: string; message: string }>;
  policy: string;
}

// --- 8. GET /student/missions/ --------------------------------------------------------------
// app/dashboard/student/missions/components/MissionsGridView.tsx, interface Mission: its field
// names. The frontend declares `code: string` and a string `difficulty`
// ('beginner'|'intermediate'|'advanced'|'capstone'); the API (backend/django_app/missions/
// views_student.py::list_student_missions) sends `code: null` and an int 1-5: typed as sent.
// The API sends null for track_key and lock_reason where the frontend writes `?: string`.
export interface StudentMission {
  id: string;
  code: string | null;
  title: string;
  description: string;
  difficulty: number;
  type?: string | null;
  estimated_time_minutes?: number | null;
  competency_tags?: string[];
  track_key?: string | null;
  status?: string;
  ai_score?: number;
  is_locked?: boolean;
  lock_reason?: string | null;
  lock_message?: string;
}

// services/missionsClient.ts::getAllMissions reads results, total ?? count, has_next,
// has_previous; the view sends page and page_size too.
export interface StudentMissionsPage {
  results: StudentMission[];
  count: number;
  total: number;
  page: number;
  page_size: number;
  has_next: boolean;
  has_previous: boolean;
}

// --- 9. The missions dashboard (backend/django_app/missions/views_mxp.py::mission_dashboard,
// unrouted in C and V): the keys profiler_core renders of it.
export interface MissionsDashboard {
  track: string | null;
  tier: string | null;
  available_missions: StudentMission[];
  locked_missions: unknown[];
  in_progress: StudentMission[];
  completed: StudentMission[];
  recommended_recipes: unknown[];
  next_mission: string | null;
}
