"""Tests for profiler_core.skill_codes: relating real skill codes to the taxonomy's, and ranking with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.gap_builders import analysis_of, gap, recipe

from profiler_core.errors import PolicyError
from profiler_core.models import Mission, Recipe
from profiler_core.recipe_ranking import (
    RecipeRecommendation,
    mission_stage_recipes,
    next_best_recipes,
    recommend_recipes,
)
from profiler_core.serialization import structure, unstructure_object
from profiler_core.skill_codes import (
    DEFAULT_CROSSWALK_ENTRIES,
    DEFAULT_SKILL_CROSSWALK,
    DEFAULT_STOP_TOKENS,
    OCH_SEED_SKILL_CODES,
    CodeMatch,
    CodeMatchKind,
    SkillCrosswalk,
    code_coverage,
    code_tokens,
    normalise_skill_code,
)
from profiler_core.taxonomy import DEFAULT_TAXONOMY, normalise_code
from profiler_core.vocabulary import GapType, MissionDifficulty, Priority

#: The OCH seed catalogue's skill codes, written out from the platform's seeds (issue 13):
#: 17 in seed_recipes.py, two in seed_free_recipes.py, one in the dump's recipes table.
SEED_CODES = (
    "SIEM_RULE_WRITING",
    "DETECTION_ENGINEERING",
    "LOG_ANALYSIS",
    "CLI_TOOLS",
    "SIEM_ARCHITECTURE",
    "LOG_AGGREGATION",
    "WINDOWS_SECURITY",
    "SIEM_QUERIES",
    "WEB_SECURITY",
    "NETWORK_ANALYSIS",
    "PACKET_INSPECTION",
    "MALWARE_ANALYSIS",
    "INDICATOR_EXTRACTION",
    "THREAT_INTELLIGENCE",
    "API_INTEGRATION",
    "IDS_CONFIGURATION",
    "NETWORK_SECURITY",
    "log_parsing",
    "nmap_scanning",
    "general_skills",
)

X = CodeMatchKind.CROSSWALK

#: Every seed code -> {category: (taxonomy code, kind)} under the default crosswalk and taxonomy.
SEED_TABLE: list[tuple[str, dict[str, tuple[str, CodeMatchKind]]]] = [
    ("SIEM_RULE_WRITING", {"security": ("SIEM", X)}),
    ("DETECTION_ENGINEERING", {"security": ("SIEM", X)}),
    ("LOG_ANALYSIS", {"security": ("SIEM", X), "forensics": ("DFIR", X)}),
    ("CLI_TOOLS", {"linux": ("CLI", X)}),
    ("SIEM_ARCHITECTURE", {"security": ("SIEM", X)}),
    ("LOG_AGGREGATION", {"security": ("SIEM", X)}),
    ("WINDOWS_SECURITY", {"windows": ("WIN", X)}),
    ("SIEM_QUERIES", {"security": ("SIEM", X)}),
    ("WEB_SECURITY", {"web": ("WEB", X)}),
    ("NETWORK_ANALYSIS", {"networking": ("NET", X)}),
    ("PACKET_INSPECTION", {"networking": ("NET", X)}),
    ("MALWARE_ANALYSIS", {"malware": ("MALWARE", X)}),
    ("INDICATOR_EXTRACTION", {"forensics": ("DFIR", X), "malware": ("MALWARE", X)}),
    ("THREAT_INTELLIGENCE", {"security": ("SECOPS", X)}),
    ("API_INTEGRATION", {"programming": ("PROG", X)}),
    ("IDS_CONFIGURATION", {"security": ("IDS", X)}),
    ("NETWORK_SECURITY", {"networking": ("NET", X)}),
    ("log_parsing", {"security": ("SIEM", X), "forensics": ("DFIR", X)}),
    ("nmap_scanning", {"networking": ("NET", X)}),
    ("general_skills", {}),
]

T, P = CodeMatchKind.TOKEN, CodeMatchKind.PREFIX

#: The frontend's mock coaching codes (app/api/users/[userId]/coaching/recommendations/route.ts):
#: no crosswalk entry of their own except the seed codes they repeat (log_parsing, siem_queries,
#: threat_intelligence), so mostly the token and prefix steps.
MOCK_TABLE: list[tuple[str, dict[str, tuple[str, CodeMatchKind]]]] = [
    ("log_parsing", {"security": ("SIEM", X), "forensics": ("DFIR", X)}),
    ("event_analysis", {}),
    ("windows_logging", {"windows": ("WINDOWS", T)}),
    ("siem_queries", {"security": ("SIEM", X)}),
    ("threat_hunting", {}),
    ("log_correlation", {}),
    ("regex_patterns", {}),
    ("data_extraction", {}),
    ("alert_analysis", {}),
    ("threat_prioritization", {}),
    ("incident_response", {}),
    ("risk_assessment", {}),
    ("register_management", {}),
    ("compliance_basics", {}),
    ("risk_identification", {}),
    ("impact_analysis", {}),
    ("control_evaluation", {}),
    ("osint_analysis", {}),
    ("threat_intelligence", {"security": ("SECOPS", X)}),
    ("research_methodology", {}),
    ("tool_configuration", {}),
    ("intelligence_collection", {}),
    ("data_analysis", {}),
    ("executive_communication", {"communication": ("COMM", P)}),
    ("risk_explanation", {}),
    ("stakeholder_management", {}),
    ("communication_frameworks", {"communication": ("COMM", P)}),
    ("executive_briefing", {}),
    ("risk_presentation", {}),
    ("network_scanning", {"networking": ("NET", P)}),
    ("scripting_automation", {"programming": ("SCRIPT", P)}),
    ("vulnerability_detection", {}),
    ("practical_scanning", {}),
    ("network_enumeration", {"networking": ("NET", P)}),
    ("scan_analysis", {}),
    ("passive_recon", {}),
    ("active_scanning", {}),
    ("osint_collection", {}),
    ("creative_thinking", {}),
    ("problem_solving", {}),
    ("solution_design", {}),
]

#: Every code of the default taxonomy, with its category.
TAXONOMY_CODES = [
    (code, category) for category, codes in DEFAULT_TAXONOMY.categories.items() for code in codes
]

_token_text = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789", min_size=1, max_size=8)


def _view(
    code: str, crosswalk: SkillCrosswalk = DEFAULT_SKILL_CROSSWALK
) -> dict[str, tuple[str, CodeMatchKind]]:
    return {category: (m.via, m.kind) for category, m in crosswalk.categories(code).items()}


class TestNormalising:
    @pytest.mark.parametrize(
        ("code", "normalised", "tokens"),
        [
            ("SIEM_RULE_WRITING", "SIEM_RULE_WRITING", ("SIEM", "RULE", "WRITING")),
            ("log_parsing", "LOG_PARSING", ("LOG", "PARSING")),
            (" tcp-ip ", "TCP_IP", ("TCP", "IP")),
            ("Incident  Response", "INCIDENT_RESPONSE", ("INCIDENT", "RESPONSE")),
            ("__a--b__", "A_B", ("A", "B")),
            ("   ", "", ()),
        ],
    )
    def test_table(self, code: str, normalised: str, tokens: tuple[str, ...]) -> None:
        """Case, -, _ and spaces fold alike; tokens split the normalised code."""
        assert normalise_skill_code(code) == normalised
        assert code_tokens(code) == tokens

    @given(st.text(max_size=30))
    def test_property_idempotent(self, code: str) -> None:
        """Normalising a normalised code changes nothing."""
        once = normalise_skill_code(code)
        assert normalise_skill_code(once) == once


class TestRelate:
    @pytest.mark.parametrize(("code", "expected"), SEED_TABLE, ids=[c for c, _ in SEED_TABLE])
    def test_every_seed_code(self, code: str, expected: dict[str, tuple[str, CodeMatchKind]]) -> None:
        """Each real seed code relates to the categories (code, kind) the crosswalk's curation says."""
        assert _view(code) == expected

    @pytest.mark.parametrize(("code", "expected"), MOCK_TABLE, ids=[c for c, _ in MOCK_TABLE])
    def test_every_frontend_mock_code(
        self, code: str, expected: dict[str, tuple[str, CodeMatchKind]]
    ) -> None:
        """The frontend's mock codes relate through the crosswalk, a token or a prefix, or not at all."""
        assert _view(code) == expected

    @pytest.mark.parametrize(
        ("code", "target", "kind"),
        [
            ("SIEM", "SIEM", CodeMatchKind.EXACT),
            (" siem ", "SIEM", CodeMatchKind.EXACT),
            ("tcp-ip", "TCP_IP", CodeMatchKind.NORMALISED),
            ("TCP IP", "tcp-ip", CodeMatchKind.NORMALISED),
            ("SIEM_RULE_WRITING", "SIEM", CodeMatchKind.CROSSWALK),
            ("siem-rule writing", "siem", CodeMatchKind.CROSSWALK),
            ("SIEM_TUNING", "SIEM", CodeMatchKind.TOKEN),
            ("NETWORK_FORENSICS", "FORENSICS", CodeMatchKind.TOKEN),
            ("NETWORK_FORENSICS", "NETW", CodeMatchKind.PREFIX),
            ("NETW", "NET", CodeMatchKind.PREFIX),
            ("HASHING", "HASH", CodeMatchKind.PREFIX),
        ],
    )
    def test_kinds(self, code: str, target: str, kind: CodeMatchKind) -> None:
        """Each step of the relation, strongest first."""
        assert DEFAULT_SKILL_CROSSWALK.relate(code, target) is kind

    @pytest.mark.parametrize(
        ("code", "target"),
        [
            ("LOG_ANALYSIS", "ANALYSIS"),  # stop token, and a crosswalk entry besides
            ("DATA_ANALYSIS", "ANALYSIS"),  # stop token: ANALYSIS alone is not malware
            ("WEB_SECURITY", "SEC"),  # SECURITY is stop-listed
            ("COMPLIANCE_BASICS", "BASICS"),  # a level, not technical exposure
            ("CLIENT_SIDE", "CLI"),  # false friend
            ("COMMAND_LINE", "COMM"),  # false friend
            ("DOCKER_BASICS", "DOC"),  # false friend
            ("WINDOWS_SECURITY", "WINDOWS"),  # the crosswalk entry (WIN) is authoritative
            ("GENERAL_SKILLS", "TECH"),  # an empty entry relates to nothing
            ("NET", "NETWORK"),  # a short code does not relate to a longer taxonomy code
            ("NETWORKING", "NE"),  # prefixes shorter than 3 do not count
            ("SIEM", "SIEM_QUERIES"),  # the token and prefix steps need a one-token target
            ("", "SIEM"),
            ("SIEM", "  "),
        ],
    )
    def test_no_relation(self, code: str, target: str) -> None:
        """Stop tokens, false friends, authoritative entries and short prefixes relate nothing."""
        assert DEFAULT_SKILL_CROSSWALK.relate(code, target) is None

    def test_matches_strongest_first_then_target_order(self) -> None:
        """matches() lists every related target, strongest kind first, then in the targets' order."""
        found = DEFAULT_SKILL_CROSSWALK.matches(
            "network_forensics", ["NETW", "NET", "FORENSICS", "NETWORK_FORENSICS"]
        )
        assert found == (
            CodeMatch(code="NETWORK_FORENSICS", via="NETWORK_FORENSICS", kind=CodeMatchKind.EXACT),
            CodeMatch(code="NETWORK_FORENSICS", via="FORENSICS", kind=CodeMatchKind.TOKEN),
            CodeMatch(code="NETWORK_FORENSICS", via="NETW", kind=CodeMatchKind.PREFIX),
            CodeMatch(code="NETWORK_FORENSICS", via="NET", kind=CodeMatchKind.PREFIX),
        )

    @given(st.lists(_token_text, min_size=1, max_size=3), st.sampled_from([" ", "_", "-", "  "]))
    def test_property_exact_match_always_found(self, tokens: list[str], separator: str) -> None:
        """A code always relates to itself exactly, whatever its case and surrounding whitespace."""
        code = separator.join(tokens)
        assert DEFAULT_SKILL_CROSSWALK.relate(f"  {code.lower()} ", code.upper()) is CodeMatchKind.EXACT

    @given(
        st.lists(st.sampled_from(sorted(DEFAULT_STOP_TOKENS)), min_size=1, max_size=3),
        st.lists(st.sampled_from(["QQ", "ZED", "X9", "YY"]), max_size=2),
        st.sampled_from([code for code, _ in TAXONOMY_CODES]),
    )
    def test_property_stop_tokens_never_relate_alone(
        self, stops: list[str], fillers: list[str], target: str
    ) -> None:
        """A code whose only relating tokens are stop-listed relates to no other taxonomy code."""
        tokens = [*stops, *fillers]
        code = "_".join(tokens)
        kind = DEFAULT_SKILL_CROSSWALK.relate(code, target)
        assert kind in (None, CodeMatchKind.EXACT, CodeMatchKind.NORMALISED)

    @pytest.mark.parametrize(("code", "category"), TAXONOMY_CODES)
    def test_taxonomy_codes_stay_in_their_category(self, code: str, category: str) -> None:
        """A catalogue in the taxonomy's own codes relates within its category only (ranking unchanged)."""
        assert set(DEFAULT_SKILL_CROSSWALK.categories(code)) == {category}
        assert DEFAULT_SKILL_CROSSWALK.categories(code)[category] == CodeMatch(
            code=code, via=code, kind=CodeMatchKind.EXACT
        )

    @given(
        st.sampled_from([*SEED_CODES, *(c for c, _ in MOCK_TABLE)]),
        st.sampled_from([c for c, _ in TAXONOMY_CODES]),
    )
    def test_property_exact_only_crosswalk_is_equality(self, code: str, target: str) -> None:
        """With kinds={exact} the relation is plain code equality (the ranking before issue 13)."""
        exact_only = SkillCrosswalk(kinds=[CodeMatchKind.EXACT])
        related = exact_only.relate(code, target) is not None
        assert related == (normalise_code(code) == normalise_code(target))


class TestCoverage:
    def test_seed_catalogue_figure(self) -> None:
        """19 of the 20 OCH seed codes relate to a taxonomy category; general_skills is left unmapped."""
        coverage = code_coverage(SEED_CODES)
        assert (coverage.total, len(coverage.mapped), coverage.unmapped) == (20, 19, ("general_skills",))
        assert coverage.summary == (
            "19 of 20 codes relate to a taxonomy category (skill-crosswalk@1, taxonomy@1); "
            "unmapped: general_skills."
        )

    def test_without_the_crosswalk_half_map(self) -> None:
        """The token and prefix steps alone relate 10 of the 20 seed codes: the crosswalk earns its keep."""
        coverage = code_coverage(SEED_CODES, crosswalk=SkillCrosswalk(entries={}))
        assert len(coverage.mapped) == 10
        assert coverage.unmapped == (
            "DETECTION_ENGINEERING",
            "LOG_ANALYSIS",
            "LOG_AGGREGATION",
            "PACKET_INSPECTION",
            "INDICATOR_EXTRACTION",
            "THREAT_INTELLIGENCE",
            "API_INTEGRATION",
            "log_parsing",
            "nmap_scanning",
            "general_skills",
        )

    def test_frontend_mock_figure(self) -> None:
        """9 of the frontend's 41 mock codes relate to a taxonomy category."""
        coverage = code_coverage([c for c, _ in MOCK_TABLE])
        assert (coverage.total, len(coverage.mapped)) == (41, 9)

    def test_the_shipped_list_is_the_seed_list(self) -> None:
        """OCH_SEED_SKILL_CODES, which the crosswalk was curated for, is the seed catalogue's list."""
        assert OCH_SEED_SKILL_CODES == SEED_CODES

    def test_every_crosswalk_target_is_a_taxonomy_code(self) -> None:
        """The default crosswalk maps only to codes the default taxonomy has."""
        known = {code for code, _ in TAXONOMY_CODES}
        assert {t for targets in DEFAULT_SKILL_CROSSWALK.entries.values() for t in targets} <= known

    def test_duplicates_count_once(self) -> None:
        """Codes that normalise alike count once, as first given."""
        coverage = code_coverage(["log_parsing", "LOG-PARSING", "general_skills"])
        assert (coverage.total, coverage.mapped, coverage.unmapped) == (
            2,
            ("log_parsing",),
            ("general_skills",),
        )


class TestCrosswalkPolicy:
    def test_ref(self) -> None:
        """The default crosswalk is skill-crosswalk@1."""
        assert str(DEFAULT_SKILL_CROSSWALK.ref) == "skill-crosswalk@1"

    def test_extended_replaces_by_normalised_code(self) -> None:
        """extended() adds or replaces entries, matched by normalised code."""
        custom = DEFAULT_SKILL_CROSSWALK.extended(
            {"log-analysis": ["DFIR"], "THREAT_HUNTING": ["SIEM"]}, version=2
        )
        assert (custom.entries["LOG_ANALYSIS"], custom.entries["THREAT_HUNTING"]) == (("DFIR",), ("SIEM",))
        assert custom.relate("LOG_ANALYSIS", "SIEM") is None
        assert str(custom.ref) == "skill-crosswalk@2"

    def test_from_json_and_load(self, tmp_path: Path) -> None:
        """A host's crosswalk file reads back; missing optional keys take the defaults."""
        text = json.dumps({"id": "och-crosswalk", "version": 3, "entries": {"log_parsing": ["DFIR"]}})
        path = tmp_path / "crosswalk.json"
        path.write_text(text, encoding="utf-8")
        loaded = SkillCrosswalk.load(path)
        assert loaded == SkillCrosswalk.from_json(text)
        assert (str(loaded.ref), dict(loaded.entries), loaded.stop_tokens, loaded.min_prefix) == (
            "och-crosswalk@3",
            {"LOG_PARSING": ("DFIR",)},
            DEFAULT_STOP_TOKENS,
            3,
        )

    def test_wire_round_trip(self) -> None:
        """unstructure writes the from_dict shape; structure and from_dict read it back equal."""
        data = unstructure_object(DEFAULT_SKILL_CROSSWALK)
        assert data["entries"] == {k: list(v) for k, v in DEFAULT_CROSSWALK_ENTRIES.items()}
        assert structure(data, SkillCrosswalk) == SkillCrosswalk.from_dict(data) == DEFAULT_SKILL_CROSSWALK

    def test_from_dict_lists_every_problem(self) -> None:
        """Every problem of a bad crosswalk is reported at once, with its path."""
        with pytest.raises(PolicyError) as caught:
            SkillCrosswalk.from_dict(
                {"version": 0, "entries": {"A": ["SIEM", 3]}, "stop_tokens": "X", "kinds": ["exact", "fuzzy"]}
            )
        assert str(caught.value) == (
            "skill-crosswalk@1: $.version: must be a positive integer; "
            "$.entries.A[1]: must be a non-blank string; "
            "$.stop_tokens: must be a list of strings; $.kinds[1]: must be one of "
            "['crosswalk', 'exact', 'normalised', 'prefix', 'token']"
        )

    @pytest.mark.parametrize("text", ["[1]", "{"])
    def test_from_json_rejects_non_objects(self, text: str) -> None:
        """Text that is not a JSON object is a PolicyError."""
        with pytest.raises(PolicyError):
            SkillCrosswalk.from_json(text)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"kinds": [CodeMatchKind.TOKEN]}, "kinds must include exact"),
            ({"min_prefix": 0}, "min_prefix must be >= 1"),
            ({"stop_tokens": ["LOG ANALYSIS"]}, "stop token 'LOG_ANALYSIS' is not one token"),
            ({"entries": {"A": [" "]}}, "entry 'A' has a blank target"),
        ],
    )
    def test_inconsistent_policies_are_rejected(self, changes: dict[str, object], message: str) -> None:
        """No exact matching, a zero prefix, a two-word stop token or a blank target is refused."""
        with pytest.raises(PolicyError, match=message):
            SkillCrosswalk(**changes)  # type: ignore[arg-type]  # each case passes one keyword


def _siem_catalogue() -> list[Recipe]:
    return [
        recipe("sigma", ["SIEM_RULE_WRITING", "DETECTION_ENGINEERING"], usage=5),
        recipe("jq", ["LOG_ANALYSIS", "CLI_TOOLS"], usage=3),
        recipe("general", ["general_skills"], usage=900),
    ]


class TestRankingWithRealCodes:
    def test_siem_rule_writing_closes_a_security_gap(self) -> None:
        """A SIEM_RULE_WRITING recipe closes the taxonomy's security gap, recorded as a crosswalk match."""
        analysis = analysis_of(gap("security", Priority.HIGH, DEFAULT_TAXONOMY.categories["security"]))
        ranked = recommend_recipes(analysis, _siem_catalogue())
        first = ranked.items[0]
        assert [i.recipe.id for i in ranked.items] == ["sigma", "jq"]
        assert (first.gain, [g.category for g in first.closes]) == (3, ["security"])
        assert first.addressed_codes == ("SIEM_RULE_WRITING", "DETECTION_ENGINEERING")
        assert first.code_matches == (
            CodeMatch(code="SIEM_RULE_WRITING", via="SIEM", kind=CodeMatchKind.CROSSWALK),
            CodeMatch(code="DETECTION_ENGINEERING", via="SIEM", kind=CodeMatchKind.CROSSWALK),
        )
        assert first.reasons[-1].code == "related_skill_codes"
        assert first.reasons[-1].message == (
            "Rank 1: its codes relate to the gaps' codes through skill-crosswalk@1: "
            "SIEM_RULE_WRITING -> SIEM (crosswalk), DETECTION_ENGINEERING -> SIEM (crosswalk)."
        )

    def test_one_code_closes_two_gaps(self) -> None:
        """LOG_ANALYSIS relates to SIEM and DFIR, so one recipe closes the security and forensics gaps."""
        analysis = analysis_of(
            gap("security", Priority.MEDIUM, DEFAULT_TAXONOMY.categories["security"]),
            gap("forensics", Priority.HIGH, DEFAULT_TAXONOMY.categories["forensics"]),
        )
        ranked = recommend_recipes(analysis, _siem_catalogue())
        assert [(i.recipe.id, i.gain) for i in ranked.items] == [("jq", 5), ("sigma", 0)]
        # In the gaps' order (high first), then the code's.
        assert [(m.code, m.via) for m in ranked.items[0].code_matches] == [
            ("LOG_ANALYSIS", "DFIR"),
            ("LOG_ANALYSIS", "SIEM"),
        ]

    def test_unmapped_real_code_closes_nothing(self) -> None:
        """general_skills relates to no gap, however popular its recipe."""
        analysis = analysis_of(
            gap("technical_exposure", Priority.HIGH, DEFAULT_TAXONOMY.categories["technical_exposure"])
        )
        ranked = recommend_recipes(analysis, _siem_catalogue())
        assert (ranked.items, ranked.reason_codes) == ((), ("no_matching_recipes",))

    def test_match_kind_does_not_change_the_order(self) -> None:
        """At equal coverage a crosswalk match ranks by popularity like an exact one (SPEC §4 order)."""
        analysis = analysis_of(gap("security", Priority.HIGH, ["SIEM"]))
        ranked = recommend_recipes(
            analysis, [recipe("exact", ["SIEM"], usage=1), recipe("real", ["SIEM_QUERIES"], usage=2)]
        )
        assert [(i.recipe.id, i.gain) for i in ranked.items] == [("real", 3), ("exact", 0)]

    def test_exact_only_crosswalk_restores_plain_equality(self) -> None:
        """A host wanting equality only passes a crosswalk with kinds={exact}: real codes match nothing."""
        analysis = analysis_of(gap("security", Priority.HIGH, DEFAULT_TAXONOMY.categories["security"]))
        strict = SkillCrosswalk(id="exact-only", kinds=[CodeMatchKind.EXACT])
        assert recommend_recipes(analysis, _siem_catalogue(), crosswalk=strict).items == ()

    def test_host_crosswalk_is_used(self) -> None:
        """The crosswalk keyword carries a host's entries into the ranking and names its policy."""
        analysis = analysis_of(gap("technical_exposure", Priority.HIGH, ["TECH"]))
        host = DEFAULT_SKILL_CROSSWALK.extended({"general_skills": ["TECH"]}, version=2, id="och-crosswalk")
        item = recommend_recipes(analysis, _siem_catalogue(), crosswalk=host).items[0]
        assert (item.recipe.id, item.code_matches) == (
            "general",
            (CodeMatch(code="GENERAL_SKILLS", via="TECH", kind=CodeMatchKind.CROSSWALK),),
        )
        assert "och-crosswalk@2" in item.reasons[-1].message

    def test_exact_matches_record_nothing_and_render_as_before(self) -> None:
        """An exact match records no code_matches, and its JSON has no code_matches key."""
        analysis = analysis_of(gap("security", Priority.HIGH, ["SIEM"]))
        item = recommend_recipes(analysis, [recipe("exact", ["siem"])]).items[0]
        assert (item.code_matches, item.reason_codes) == ((), ("closes_gaps",))
        assert "code_matches" not in unstructure_object(item)

    def test_json_carries_code_matches_and_round_trips(self) -> None:
        """A related match renders as {code, via, kind} beside the other fields and reads back equal."""
        analysis = analysis_of(gap("security", Priority.HIGH, ["SIEM"]))
        item = recommend_recipes(analysis, [recipe("real", ["siem_queries"])]).items[0]
        data = unstructure_object(item)
        assert data["code_matches"] == [{"code": "SIEM_QUERIES", "via": "SIEM", "kind": "crosswalk"}]
        assert list(data)[-1] == "code_matches"
        assert structure(data, RecipeRecommendation) == item

    def test_mission_stage_and_next_best_use_the_crosswalk(self) -> None:
        """Mission-stage and next-best rankings relate real codes too, and accept a host crosswalk."""
        mission = Mission(
            id="m", code="M", title="M", difficulty=MissionDifficulty.BEGINNER, skills_tags=["NET"]
        )
        catalogue = [recipe("wireshark", ["NETWORK_ANALYSIS", "PACKET_INSPECTION"])]
        stage = mission_stage_recipes(mission, catalogue)
        assert [(i.recipe.id, [m.kind for m in i.code_matches]) for i in stage.items] == [
            ("wireshark", [CodeMatchKind.CROSSWALK, CodeMatchKind.CROSSWALK])
        ]
        strict = SkillCrosswalk(kinds=[CodeMatchKind.EXACT])
        assert mission_stage_recipes(mission, catalogue, crosswalk=strict).items == ()
        coach = next_best_recipes(None, catalogue, skill_assessments={"NET": 20})
        assert [i.recipe.id for i in coach.items] == ["wireshark"]
        assert next_best_recipes(None, catalogue, skill_assessments={"NET": 20}, crosswalk=strict).items == ()

    def test_direct_gap_codes_relate_too(self) -> None:
        """A skill-assessment gap's code is related like a taxonomy code (NETW is a prefix match of NET)."""
        analysis = analysis_of(gap("NET", Priority.HIGH, ["NET"], GapType.SKILL_ASSESSMENT))
        item = recommend_recipes(analysis, [recipe("n", ["NETW"])]).items[0]
        assert item.code_matches == (CodeMatch(code="NETW", via="NET", kind=CodeMatchKind.PREFIX),)
