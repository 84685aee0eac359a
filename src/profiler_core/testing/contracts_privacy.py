"""Contract check of the privacy-ledger port (the opt-in differential-privacy policy, issue 14).

:func:`check_privacy_budget_repository` takes a *factory* that builds the
host's adapter pre-loaded with the given ledgers and asserts it honours
:class:`~profiler_core.ports.PrivacyBudgetRepository`: reads in every id form,
create-once, compare-and-set, and a stale writer that never overwrites.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import cast

from profiler_core.dp import PrivacyBudget
from profiler_core.ports import PrivacyBudgetRepository
from profiler_core.testing._contract_forms import _T0, _UUID_COHORT, _forms

__all__ = [
    "PrivacyBudgetRepositoryFactory",
    "contract_privacy_budgets",
    "check_privacy_budget_repository",
]

#: Builds the host's adapter holding the given ledgers.
PrivacyBudgetRepositoryFactory = Callable[[Sequence[PrivacyBudget]], PrivacyBudgetRepository]


def contract_privacy_budgets() -> list[PrivacyBudget]:
    """The scenario the contract loads: a spent-in-part cohort ledger, a UUID-keyed one, an enterprise's."""
    return [
        PrivacyBudget.open("c-1", total_epsilon=4.0).charged(1.0, at=_T0, report="cohort_report"),
        PrivacyBudget.open(_UUID_COHORT, total_epsilon=2.0),
        PrivacyBudget.open("77", total_epsilon=3.0)
        .charged(1.0, at=_T0, report="enterprise_report")
        .charged(1.5, at=_T0 + timedelta(days=1), report="enterprise_report"),
    ]


def check_privacy_budget_repository(factory: PrivacyBudgetRepositoryFactory) -> None:
    """Assert that *factory*'s adapter honours :class:`~profiler_core.ports.PrivacyBudgetRepository`."""
    ledgers = contract_privacy_budgets()
    repo = factory(ledgers)
    for ledger in ledgers:
        for form in _forms(ledger.subject_id):
            got = repo.budget(cast("str", form))  # a host may be asked with an int or a UUID
            assert got == ledger, f"budget({form!r}): expected {ledger!r}, got {got!r}"
    assert repo.budget("c-none") is None, "budget of a subject without a ledger must be None"

    fresh = PrivacyBudget.open("c-new", total_epsilon=1.0)
    assert repo.save_budget(fresh, replacing=None) == fresh, "save_budget(replacing=None) creates a ledger"
    assert repo.budget("c-new") == fresh, "a created ledger reads back"
    again = PrivacyBudget.open("c-new", total_epsilon=9.0)
    assert repo.save_budget(again, replacing=None) is None, (
        "save_budget(replacing=None) must not overwrite an existing ledger"
    )
    assert repo.budget("c-new") == fresh, "a refused create leaves the ledger unchanged"

    current = ledgers[0]
    first = current.charged(1.0, at=_T0 + timedelta(hours=1), report="cohort_report")
    second = current.charged(2.0, at=_T0 + timedelta(hours=2), report="cohort_report")
    assert repo.save_budget(first, replacing=current) == first, "compare-and-set replaces the ledger it read"
    assert repo.save_budget(second, replacing=current) is None, (
        "a writer holding a stale ledger must not overwrite a newer charge"
    )
    stored = repo.budget("c-1")
    assert stored == first, f"the first charge stays; got {stored!r}"
    assert stored.spent_epsilon == 2.0, "charges are kept exactly"
