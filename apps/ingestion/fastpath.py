"""The validator's hot path for rows already keyed by canonical field codes.

:meth:`apps.catalogue.validation.RowValidator.validate` resolves every key of
every row (aliases, Chinese names), checks for fields given twice and sorts the
problems: needed for JSON records and for reporting, wasted on the rows of a
file whose header was mapped once. :class:`FastRowValidator` judges such a row
with the very same compiled field rules and

- memoises each field's verdict per distinct raw text (dates, code values,
  authorities, legal bases and the counterparties of a file repeat a lot),
  bounded per field, and turned off for a field whose values do not repeat;
- returns ``None`` as soon as anything is wrong, and the caller then runs the
  full :meth:`~RowValidator.validate` for the complete, ordered problem list.

So valid rows take the fast path and invalid rows get exactly the catalogue's
messages; the converted values are those ``validate`` would produce.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from apps.catalogue.validation import RowValidator

#: Distinct raw texts remembered per field (~150 bytes each; peak memory target 300 MB).
CACHE_LIMIT = 60_000
#: Longest raw text memoised: long free texts rarely repeat and would weigh on memory.
MEMO_MAX_LENGTH = 96
#: Lookups after which a field whose values rarely repeat stops being memoised.
PROBE = 50_000
#: Hit rate below which a field is not worth memoising.
MIN_HIT_RATE = 0.2


class _FieldCache:
    __slots__ = ("entries", "hits", "lookups", "enabled")

    def __init__(self) -> None:
        self.entries: dict[Any, Any] = {}
        self.hits = 0
        self.lookups = 0
        self.enabled = True


class FastRowValidator:
    """Judge code-keyed rows of one file with a :class:`RowValidator`'s compiled rules."""

    def __init__(self, validator: RowValidator, *, allow_list: Collection[str] = ()) -> None:
        self.validator = validator
        self.allow_list = allow_list
        self.caches = {code: _FieldCache() for code in validator.rules}
        self.template = dict.fromkeys(validator.rules)
        self.conditions: dict[tuple[str, Any], bool] = {}
        self.shape: Any = None
        self.plan: list[tuple[str, Any, _FieldCache]] = []
        self.absent_conditional: list[str] = []
        self.absent_required = False

    def _set_shape(self, row: dict[str, Any]) -> None:
        """Fields a file has no column for: required ones fail every row, conditional ones
        are checked against the row's values."""
        self.shape = row.keys()
        # (code, rule, cache) in the row's order: two dict lookups fewer per field and row.
        self.plan = [(code, self.validator.rules[code], self.caches[code]) for code in row]
        absent = [code for code in self.validator.rules if code not in row]
        self.absent_required = any(self.validator.rules[c].required for c in absent)
        self.absent_conditional = [c for c in absent if self.validator.rules[c].required_when]

    def _required_when(self, rule, row: dict[str, Any]) -> bool:
        """Whether a blank field is required by another field's value (memoised per value)."""
        other = rule.required_when.get("field", "")
        given = row.get(other)
        key = (rule.code, given if given.__class__ is str else None)
        found = self.conditions.get(key)
        if found is None:
            found = self.validator._condition_met(rule.required_when, {other: key[1]})
            if len(self.conditions) < CACHE_LIMIT:
                self.conditions[key] = found
        return found

    def values(self, row: dict[str, Any]) -> dict[str, Any] | None:
        """The converted values of a valid row, or None if any rule is broken."""
        values = self.template.copy()
        rules = self.validator.rules
        if row.keys() != self.shape:
            self._set_shape(row)
        if self.absent_required:
            return None
        for code in self.absent_conditional:
            if self._required_when(rules[code], row):
                return None
        for code, rule, cache in self.plan:
            raw = row[code]
            if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
                if rule.required:
                    return None
                if rule.required_when and self._required_when(rule, row):
                    return None
                continue
            if cache.enabled and raw.__class__ is str and len(raw) <= MEMO_MAX_LENGTH:
                cache.lookups += 1
                verdict = cache.entries.get(raw)
                if verdict is not None:
                    cache.hits += 1
                    values[code] = verdict
                    continue
                value, problems, _warnings = rule.check(raw, allow_list=self.allow_list)
                if problems:
                    return None
                if value is not None:
                    self._remember(cache, raw, value)
                values[code] = value
                continue
            value, problems, _warnings = rule.check(raw, allow_list=self.allow_list)
            if problems:
                return None
            values[code] = value
        return values

    @staticmethod
    def _remember(cache: _FieldCache, raw: str, value: Any) -> None:
        # Judge the hit rate only once the cache is full: a file sorted by decision number
        # names each of its 50,000 counterparties once before it names any again, so a
        # verdict after the first PROBE lookups turned memoising off for exactly the fields
        # (USCC, names: ~20 µs per check) that repeat most over a million rows.
        if len(cache.entries) < CACHE_LIMIT:
            # A value equal to its raw text (most codes and names) is kept once, not twice.
            cache.entries[raw] = raw if value.__class__ is str and value == raw else value
        elif cache.lookups >= PROBE and cache.hits < cache.lookups * MIN_HIT_RATE:
            cache.enabled = False
            cache.entries.clear()
