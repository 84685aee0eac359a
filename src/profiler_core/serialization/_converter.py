"""The one converter: every wire rule of the package installed on a ``cattrs.Converter``.

:func:`configure_converter` registers the hooks of each private module (scalars,
collections, inputs, outputs, analytics, endpoint bodies); a class with hooks
of its own is left out of the generic attrs hook.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from profiler_core._timestamps import parse_timestamp
from profiler_core.analytics import AnalyticsPartial, CohortStats
from profiler_core.decisions import PolicyRef
from profiler_core.gaps import GapAnalysis
from profiler_core.mapping import EligibleMissions
from profiler_core.models import BehavioralProfile, CategoryScore, Cohort, Mission, Recipe
from profiler_core.recipe_ranking import RecipeRecommendation
from profiler_core.reports import (
    CohortBreakdown,
    CohortReport,
    EnterpriseReport,
    PopulationReport,
    ScoreSummary,
    Suppressed,
)
from profiler_core.serialization._analytics import configure_analytics
from profiler_core.serialization._bodies import configure_bodies
from profiler_core.serialization._collections import (
    _frozen_map_hook_factory,
    _is_class_union,
    _is_frozen_map,
    _is_homogeneous_tuple,
    _is_set,
    _items_hook_factory,
    _origin,
    _union_hook_factory,
)
from profiler_core.serialization._inputs import (
    _attrs_hook,
    _category_score,
    _profile_hook_factory,
    _unstructure_category,
)
from profiler_core.serialization._outputs import (
    _access_decision_hook,
    _derived_fields_hook,
    _eligible_missions_hook,
    _has_derived_fields,
    _is_access_decision,
    _learner_id_as_user_id,
    _structure_analysis,
    _structure_recommendation,
    _taxonomy,
    _unstructure_analysis,
    _unstructure_recommendation,
)
from profiler_core.serialization._scalars import (
    _ID_TYPES,
    _STR_ENUMS,
    _bool,
    _enum_by_value,
    _enum_value,
    _float,
    _id,
    _int,
    _key,
    _policy_ref,
    _role,
    _sort_key,
    _str,
    _str_enum,
    _track,
    _unstructure_fallback,
)
from profiler_core.services.marketplace import TalentSearch
from profiler_core.taxonomy import Taxonomy
from profiler_core.vocabulary import MissionDifficulty, Role, TrackKey, parse_mission_difficulty

# Classes whose structure hook is their own (registered below): never the generic attrs hook.
_OWN_STRUCTURE_HOOKS: frozenset[type] = frozenset(
    {
        BehavioralProfile,
        CategoryScore,
        Taxonomy,
        Suppressed,
        AnalyticsPartial,
        CohortStats,
        ScoreSummary,
        PopulationReport,
        CohortReport,
        CohortBreakdown,
        EnterpriseReport,
        GapAnalysis,
        RecipeRecommendation,
        TalentSearch,
    }
)


def _is_plain_attrs_class(type_: Any) -> bool:
    return attrs.has(_origin(type_)) and type_ not in _OWN_STRUCTURE_HOOKS


def _scalar_and_collection_rules(converter: cattrs.Converter) -> None:
    for id_type in _ID_TYPES:
        converter.register_structure_hook(id_type, _id)
    converter.register_structure_hook(str, _str)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(float, _float)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(dt.datetime, lambda v, _t: parse_timestamp(v))
    # Enums of other modules (decisions, reports) read back their exact value.
    # Registered on the enum bases because singledispatch follows the MRO: StrEnum
    # and IntEnum must beat the str and int hooks.
    for base_enum in (enum.StrEnum, enum.IntEnum, enum.Enum):
        converter.register_structure_hook(base_enum, _enum_by_value)
    converter.register_structure_hook(TrackKey, _track)
    converter.register_structure_hook(Role, _role)
    converter.register_structure_hook(MissionDifficulty, lambda v, _t: parse_mission_difficulty(v))
    # The input vocabulary parses leniently (case, separators).
    for enum_type in _STR_ENUMS:
        converter.register_structure_hook(enum_type, _str_enum)
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda t: _items_hook_factory(t, converter, tuple)
    )
    converter.register_structure_hook_factory(
        _is_set, lambda t: _items_hook_factory(t, converter, _origin(t))
    )
    converter.register_structure_hook_factory(
        _is_frozen_map, lambda t: _frozen_map_hook_factory(t, converter)
    )
    converter.register_structure_hook_factory(_is_class_union, lambda t: _union_hook_factory(t, converter))
    converter.register_structure_hook_factory(_is_plain_attrs_class, lambda t: _attrs_hook(t, converter))
    converter.register_structure_hook(BehavioralProfile, _profile_hook_factory(converter))
    # A category score on its own reads the same two shapes as inside a breakdown
    # (what unstructure writes), so it round-trips.
    converter.register_structure_hook(CategoryScore, lambda v, _t: _category_score(v))


def _output_rules(converter: cattrs.Converter) -> None:
    converter.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
    # Every enum (including those of other modules, e.g. EvidenceFlag) goes out as its
    # plain value. Registered on the enum bases because singledispatch follows the MRO:
    # StrEnum and IntEnum must beat the str and int hooks.
    for out_enum in (enum.StrEnum, enum.IntEnum, enum.Enum):
        converter.register_unstructure_hook(out_enum, _enum_value)
    converter.register_unstructure_hook_func(
        _is_frozen_map,
        lambda m: {_key(k): converter.unstructure(v) for k, v in m.items()},
    )
    # Sets go out as lists in a stable order (JSON has no sets).
    converter.register_unstructure_hook_func(
        lambda t: _origin(t) in (frozenset, set),
        lambda s: sorted((converter.unstructure(item) for item in s), key=_sort_key),
    )
    converter.register_unstructure_hook(bytes, _unstructure_fallback(bytes))
    converter.register_unstructure_hook_factory(
        _has_derived_fields, lambda t: _derived_fields_hook(t, converter)
    )
    converter.register_unstructure_hook(CategoryScore, _unstructure_category)
    # Vocabulary kept as unknown (SPEC §2): the key only when it holds something, so
    # the JSON of every row inside the vocabulary is what it was.
    omitted = override(omit_if_default=True)
    converter.register_unstructure_hook(
        Recipe,
        make_dict_unstructure_fn(Recipe, converter, unknown_track_codes=omitted, difficulty_label=omitted),
    )
    converter.register_unstructure_hook(
        Mission, make_dict_unstructure_fn(Mission, converter, track_label=omitted)
    )
    converter.register_unstructure_hook(
        Cohort, make_dict_unstructure_fn(Cohort, converter, track_label=omitted)
    )


def _value_rules(converter: cattrs.Converter) -> None:
    # PolicyRef: one wire form, "id@version" (issue 12); registered before the
    # hooks generated below, which embed the PolicyRef hook they find.
    converter.register_structure_hook(PolicyRef, _policy_ref)
    converter.register_unstructure_hook(PolicyRef, str)
    # learner_id in the API, user_id in the JSON hosts read (byte-identical bodies).
    _learner_id_as_user_id(converter)
    # Gap analysis and recipe ranking (see _outputs); a taxonomy reads with its
    # parsing constructor Taxonomy.from_dict, which lists every problem with its path.
    converter.register_structure_hook(Taxonomy, _taxonomy)
    converter.register_unstructure_hook(GapAnalysis, _unstructure_analysis(converter))
    converter.register_structure_hook(GapAnalysis, _structure_analysis(converter))
    converter.register_unstructure_hook(RecipeRecommendation, _unstructure_recommendation(converter))
    converter.register_structure_hook(RecipeRecommendation, _structure_recommendation(converter))
    # EligibleMissions: the derived next_mission stays in the body (issue 12).
    converter.register_unstructure_hook(EligibleMissions, _eligible_missions_hook(converter))
    # AccessDecision: the derived allowed stays in the record (issue 12).
    converter.register_unstructure_hook_func(_is_access_decision, _access_decision_hook(converter))


def configure_converter(converter: cattrs.Converter) -> None:
    """Install the wire rules of :mod:`profiler_core.serialization` on *converter*.

    Use it to extend a converter of your own; :func:`make_converter` returns a
    ready one.
    """
    _scalar_and_collection_rules(converter)
    _output_rules(converter)
    # In this order: the hooks generated by the rules below embed the ones above.
    _value_rules(converter)
    # Analytics state and reports, and the endpoint bodies of the service outcomes.
    configure_analytics(converter)
    configure_bodies(converter)


def make_converter() -> cattrs.Converter:
    """A new converter with the wire rules installed (never the global converter)."""
    converter = cattrs.Converter(detailed_validation=True, unstructure_fallback_factory=_unstructure_fallback)
    configure_converter(converter)
    return converter
