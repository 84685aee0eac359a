"""Tests for profiler_core.taxonomy: lookup, extension, loading and normalise_code (SPEC §4)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from profiler_core.errors import PolicyError
from profiler_core.serialization import unstructure_object
from profiler_core.taxonomy import (
    DEFAULT_TAXONOMY,
    DEFAULT_TAXONOMY_CATEGORIES,
    MatchKind,
    Taxonomy,
    normalise_code,
)
from profiler_core.testing import strategies_gaps
from profiler_core.testing.strategies import CATEGORIES

# --- taxonomy -----------------------------------------------------------------


class TestTaxonomy:
    @pytest.mark.parametrize(
        ("category", "kind", "key"),
        [
            ("networking", MatchKind.EXACT, "networking"),
            ("technical_exposure", MatchKind.EXACT, "technical_exposure"),
            ("Networking", MatchKind.NORMALISED, "networking"),
            (" technical exposure ", MatchKind.NORMALISED, "technical_exposure"),
            ("Technical-Exposure", MatchKind.NORMALISED, "technical_exposure"),
            ("network", MatchKind.SUBSTRING, "networking"),
            ("network security", MatchKind.SUBSTRING, "security"),
            ("web app security", MatchKind.SUBSTRING, "security"),
            ("cloud web", MatchKind.SUBSTRING, "cloud"),
            ("Linux administration", MatchKind.SUBSTRING, "linux"),
            ("comm", MatchKind.SUBSTRING, "communication"),
            ("teamwork", MatchKind.UNMAPPED, None),
            ("it", MatchKind.UNMAPPED, None),
            ("", MatchKind.UNMAPPED, None),
        ],
    )
    def test_lookup_steps(self, category: str, kind: MatchKind, key: str | None) -> None:
        """Lookup tries exact, normalised, then substring either way, and records the step used."""
        match = DEFAULT_TAXONOMY.lookup(category)
        assert (match.kind, match.key, match.category) == (kind, key, category)
        assert match.codes == (DEFAULT_TAXONOMY_CATEGORIES[key] if key else ())

    @pytest.mark.parametrize(
        ("category", "codes"),
        [
            ("networking", ("NET", "NETW", "TCPIP", "DNS", "HTTP")),
            ("security", ("SEC", "SECOPS", "SIEM", "IDS", "IPS")),
            ("programming", ("PROG", "PYTHON", "BASH", "SCRIPT")),
            ("linux", ("LINUX", "SYSADMIN", "CLI")),
            ("windows", ("WIN", "WINDOWS", "POWERSHELL")),
            ("cloud", ("CLOUD", "AWS", "AZURE", "GCP")),
            ("cryptography", ("CRYPTO", "ENCRYPT", "HASH")),
            ("forensics", ("DFIR", "FORENSICS", "INVESTIGATION")),
            ("malware", ("MALWARE", "REVERSE", "ANALYSIS")),
            ("web", ("WEB", "WEBAPP", "OWASP", "XSS", "SQLI")),
            ("technical exposure", ("TECH", "BASICS", "FUNDAMENTALS")),
            ("communication", ("COMM",)),
            ("leadership", ("LEAD",)),
            ("documentation", ("DOC",)),
        ],
    )
    def test_default_content_is_the_spec_table(self, category: str, codes: tuple[str, ...]) -> None:
        """The default taxonomy holds exactly SPEC §4's codes for each category."""
        assert DEFAULT_TAXONOMY.lookup(category).codes == codes

    def test_default_has_exactly_the_spec_categories(self) -> None:
        """The default taxonomy has the 14 categories of SPEC §4 and is taxonomy@1."""
        assert len(DEFAULT_TAXONOMY.categories) == 14
        assert str(DEFAULT_TAXONOMY.ref) == "taxonomy@1"

    def test_substring_tie_goes_to_the_first_key_alphabetically(self) -> None:
        """Two keys with the same overlap: the alphabetically first key wins, whatever the table order."""
        taxonomy = Taxonomy(categories={"wxyz": ["W"], "abcd": ["A"]})
        assert taxonomy.lookup("abcd wxyz").key == "abcd"

    def test_min_substring_bounds_the_substring_step(self) -> None:
        """The substring step ignores overlaps shorter than min_substring."""
        assert DEFAULT_TAXONOMY.lookup("clou").key == "cloud"
        strict = attrs.evolve(DEFAULT_TAXONOMY, min_substring=5)
        assert strict.lookup("clou").kind is MatchKind.UNMAPPED
        assert strict.lookup("cloud platforms").key == "cloud"

    def test_codes_are_normalised(self) -> None:
        """Codes are stored upper-cased with whitespace trimmed and collapsed."""
        taxonomy = Taxonomy(categories={"incident response": [" ir ", "incident   handling"]})
        assert taxonomy.categories["incident response"] == ("IR", "INCIDENT HANDLING")

    @pytest.mark.parametrize(
        ("categories", "min_substring", "message"),
        [
            ({"": ["A"]}, 3, "is blank"),
            ({"web": []}, 3, "has no skill codes"),
            ({"Web App": ["A"], "web_app": ["B"]}, 3, "normalise alike"),
            ({"web": ["A", " a "]}, 3, "repeats a skill code"),
            ({"web": ["  "]}, 3, "blank skill code"),
            ({"web": ["A"]}, 0, "min_substring"),
        ],
    )
    def test_inconsistent_taxonomies_are_rejected(
        self, categories: Mapping[str, Sequence[str]], min_substring: int, message: str
    ) -> None:
        """A taxonomy with a blank, clashing or code-less category raises PolicyError."""
        with pytest.raises(PolicyError, match=message) as caught:
            Taxonomy(id="host", version=2, categories=categories, min_substring=min_substring)
        assert caught.value.policy == "host@2"

    def test_from_dict_round_trips(self) -> None:
        """unstructure() read back by from_dict() and from_json() gives an equal taxonomy."""
        custom = DEFAULT_TAXONOMY.extended({"teamwork": ["TEAM"]}, version=2, id="och")
        data = unstructure_object(custom)
        assert Taxonomy.from_dict(data) == custom
        assert Taxonomy.from_json(json.dumps(data)) == custom
        assert hash(custom) == hash(Taxonomy.from_dict(data))

    def test_from_dict_defaults(self) -> None:
        """Without id and min_substring the loader uses "taxonomy" and 3."""
        loaded = Taxonomy.from_dict({"version": 4, "categories": {"web": ["WEB"]}})
        assert (loaded.id, loaded.version, loaded.min_substring) == ("taxonomy", 4, 3)

    def test_from_dict_lists_every_problem_with_its_path(self) -> None:
        """A bad taxonomy dict raises one PolicyError naming each problem's path."""
        bad = {"id": "", "version": 0, "min_substring": True, "categories": {"web": ["WEB", 3], "net": "NET"}}
        with pytest.raises(PolicyError) as caught:
            Taxonomy.from_dict(bad)
        for path in ("$.id", "$.version", "$.min_substring", "$.categories.web[1]", "$.categories.net"):
            assert path in caught.value.reason

    @pytest.mark.parametrize(
        "data",
        [{"version": 1}, {"version": 1, "categories": ["web"]}, {"version": 1, "categories": {1: ["A"]}}],
    )
    def test_from_dict_rejects_a_bad_categories_shape(self, data: Mapping[str, object]) -> None:
        """Categories must be an object of string keys to code lists."""
        with pytest.raises(PolicyError, match=r"\$\.categories"):
            Taxonomy.from_dict(data)

    @pytest.mark.parametrize(
        ("text", "message"), [("{nope", "not valid JSON"), ("[1, 2]", "must be an object")]
    )
    def test_from_json_rejects_non_taxonomies(self, text: str, message: str) -> None:
        """Text that is not JSON, or not a JSON object, raises PolicyError."""
        with pytest.raises(PolicyError, match=message):
            Taxonomy.from_json(text)

    def test_load_reads_a_json_file(self, tmp_path: Path) -> None:
        """load() reads a UTF-8 JSON file in the from_dict shape."""
        path = tmp_path / "taxonomy.json"
        path.write_text(json.dumps({"id": "och", "version": 7, "categories": {"réseau": ["net"]}}), "utf-8")
        loaded = Taxonomy.load(path)
        assert (str(loaded.ref), loaded.lookup("Réseau").codes) == ("och@7", ("NET",))

    def test_extended_replaces_by_normalised_key(self) -> None:
        """extended() replaces a category spelled differently and keeps the rest."""
        custom = DEFAULT_TAXONOMY.extended({"Networking": ["NETX"]}, version=2)
        assert "networking" not in custom.categories
        assert custom.lookup("networking").codes == ("NETX",)
        assert custom.lookup("cloud").codes == DEFAULT_TAXONOMY.lookup("cloud").codes
        assert (custom.id, custom.version) == ("taxonomy", 2)

    @given(strategies_gaps.taxonomies(), st.sampled_from(CATEGORIES))
    def test_lookup_of_a_key_is_exact(self, taxonomy: Taxonomy, category: str) -> None:
        """Looking up a key itself is always an exact match with that key's codes."""
        assume(category in taxonomy.categories)
        match = taxonomy.lookup(category)
        assert (match.kind, match.codes) == (MatchKind.EXACT, taxonomy.categories[category])


class TestNormaliseCode:
    @pytest.mark.parametrize(
        ("raw", "code"),
        [("net", "NET"), ("  Tcp-Ip ", "TCP-IP"), ("incident \t response", "INCIDENT RESPONSE"), ("", "")],
    )
    def test_table(self, raw: str, code: str) -> None:
        """Codes are upper-cased with whitespace trimmed and collapsed; - and _ are kept."""
        assert normalise_code(raw) == code
