# SQL text is built from model metadata (quoted identifiers) and fixed fragments;
# values are always parameters.
# ruff: noqa: S608
"""The quality rules: their data (code, dimension, severity, messages) and their SQL.

Every rule is one set-based SQL statement per record store that returns the
failing records as ``(object_id, field_code, detail)``. The statements use only
the columns every store shares (:class:`apps.enterprises.models.EnterpriseRecord`:
department, resource code and version, business key, decision date, received
time, subject, enterprise), so a store that registers itself later is checked
without a change here. Field-level rules (required fields, values against the
catalogue field spec, validity ranges) read the record's content as JSON:

- the store model's ``payload`` JSON column (the generic store), or
- for a typed store, a JSON object built from its columns by its field map
  (``store.quality_field_columns``, else the ``FIELD_COLUMNS`` dict of the
  store's module, which the typed stores use for loading), the subject and
  decision-date fields of its catalogue versions, and its ``extra`` JSON column
  (:func:`apps.quality.checks.store_shape`).

A store with neither gets the record-level rules only.

The SQL is assembled from identifiers taken from model metadata (quoted) and
from the fixed texts below; values never enter the text (S608 is therefore
silenced where the statements are built).

Every statement sees ``t`` (the store table) restricted by ``{candidates}``
(all rows in a full run, the changed rows in an incremental one) and these
temporary tables prepared by :mod:`apps.quality.checks`:

- ``_q_spec``: resource code, version number and the field specs;
- ``_q_deadline``: resource code, version number, deadline in working days;
- ``_q_pairs``: resource code, version number, from-field, to-field (a validity range).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .choices import Dimension, IssueSeverity


@dataclass(frozen=True)
class StoreShape:
    """What the SQL of a rule needs to know about one store's table."""

    table: str  # quoted table name
    content: str | None  # SQL expression giving the record's content as jsonb, or None
    # Typed validity columns (valid_from, valid_to) when the model has both.
    range_columns: tuple[str, str] | None = None

    def value(self, field_sql: str) -> str:
        """SQL text of one content value (``field_sql`` is an SQL expression of the code)."""
        return f"({self.content} ->> {field_sql})"


@dataclass(frozen=True)
class RuleDefinition:
    """A rule's defaults (copied into :class:`~apps.quality.models.QualityRule`) and its SQL."""

    code: str
    dimension: str
    severity: str
    name: str
    message_zh: str
    message_en: str
    sql: Callable[[StoreShape], str | None]
    # Rules whose outcome for one record depends on other records (duplicates)
    # must be re-evaluated for the whole group in incremental runs.
    group_rule: bool = False


# ``translate`` folds full-width brackets and drops spaces so that 海南某某（海口）有限公司
# and 海南某某(海口)有限公司 compare equal.
def _norm(expr: str) -> str:
    return f"translate(upper(btrim({expr})), '（）［］【】　 ', '()[][]')"


def _received_day(alias: str = "t") -> str:
    return f"({alias}.received_at AT TIME ZONE 'Asia/Shanghai')::date"


ENTERPRISE = "enterprises_enterprise"
NAME_HISTORY = "enterprises_enterprisenamehistory"
ALLOW_LIST = "core_usccallowlistentry"


def _required_common(shape: StoreShape) -> str:
    return f"""
SELECT t.id, v.field, jsonb_build_object('field', v.field)
FROM {shape.table} t
CROSS JOIN LATERAL (VALUES
    ('subject_name', btrim(t.subject_name) = ''),
    ('subject_uscc', t.subject_kind <> 'natural_person' AND btrim(t.subject_uscc) = ''),
    ('business_key', btrim(t.business_key) = '')
) AS v(field, failing)
WHERE v.failing AND {{candidates}}
"""


def _field_join(shape: StoreShape) -> str:
    return """JOIN _q_spec s ON s.resource_code = t.resource_code
        AND s.version_number = t.resource_version"""


def _required_field(shape: StoreShape) -> str | None:
    if shape.content is None:
        return None
    value = shape.value("s.code")
    other = shape.value("(s.required_when ->> 'field')")
    return f"""
SELECT t.id, s.code, jsonb_build_object('field', s.code, 'name', s.name)
FROM {shape.table} t
{_field_join(shape)}
WHERE {{candidates}}
  AND (s.required OR (s.required_when IS NOT NULL AND {other} IN (
        SELECT jsonb_array_elements_text(s.required_when -> 'in'))))
  AND NULLIF(btrim({value}), '') IS NULL
"""


# A value's problem against its spec, first match wins; NULL when it conforms.
# Patterns were checked to compile in PostgreSQL (``s.pattern_ok``).
def _spec_value(shape: StoreShape) -> str | None:
    if shape.content is None:
        return None
    value = shape.value("s.code")
    return f"""
SELECT id, code, jsonb_build_object('field', code, 'name', name, 'value', left(val, 100),
                                    'reason', reason)
FROM (
    SELECT t.id, s.code, s.name, v.val,
        CASE
            WHEN s.max_length IS NOT NULL AND char_length(v.val) > s.max_length THEN 'max_length'
            WHEN s.min_length IS NOT NULL AND char_length(v.val) < s.min_length THEN 'min_length'
            WHEN s.pattern_ok AND v.val !~ s.pattern THEN 'pattern'
            WHEN s.data_type = 'date' AND v.val !~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' THEN 'date'
            WHEN s.data_type = 'integer' AND v.val !~ '^[-+]?[0-9]+$' THEN 'integer'
            WHEN s.data_type = 'decimal' AND v.val !~ '^[-+]?[0-9]+(\\.[0-9]+)?$' THEN 'decimal'
            WHEN s.data_type IN ('integer', 'decimal') AND v.val ~ '^[-+]?[0-9]+(\\.[0-9]+)?$'
                 AND s.min_value IS NOT NULL AND v.val::numeric < s.min_value THEN 'min_value'
            WHEN s.data_type IN ('integer', 'decimal') AND v.val ~ '^[-+]?[0-9]+(\\.[0-9]+)?$'
                 AND s.max_value IS NOT NULL AND v.val::numeric > s.max_value THEN 'max_value'
            WHEN s.data_type = 'enum' AND s.enum_codes IS NOT NULL
                 AND NOT (v.val = ANY (s.enum_codes)) THEN 'enum'
            WHEN s.data_type = 'uscc'
                 AND v.val !~ '^[0-9A-HJ-NPQRTUWXY]{{2}}[0-9]{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}$'
                 THEN 'uscc'
            WHEN s.data_type = 'region_code' AND v.val !~ '^[0-9]{{6}}$' THEN 'region_code'
        END AS reason
    FROM {shape.table} t
    {_field_join(shape)}
    CROSS JOIN LATERAL (SELECT NULLIF(btrim({value}), '') AS val) v
    WHERE {{candidates}} AND v.val IS NOT NULL
) checked
WHERE reason IS NOT NULL
"""


def _uscc_invalid(shape: StoreShape) -> str:
    return f"""
SELECT t.id, 'subject_uscc', jsonb_build_object('field', 'subject_uscc', 'value', t.subject_uscc)
FROM {shape.table} t
WHERE {{candidates}} AND btrim(t.subject_uscc) <> ''
  AND quality_uscc_status(upper(btrim(t.subject_uscc))) = 'invalid'
  AND NOT EXISTS (SELECT 1 FROM {ALLOW_LIST} a WHERE a.code = upper(btrim(t.subject_uscc)))
"""


def _unmatched(shape: StoreShape) -> str:
    return f"""
SELECT t.id, '', jsonb_build_object('value', t.subject_uscc,
    'reason', CASE WHEN t.enterprise_id IS NULL THEN 'not_in_registry' ELSE 'code_differs' END)
FROM {shape.table} t
LEFT JOIN {ENTERPRISE} e ON e.id = t.enterprise_id
WHERE {{candidates}} AND t.subject_kind <> 'natural_person'
  AND (t.enterprise_id IS NULL
       OR (btrim(t.subject_uscc) <> '' AND e.uscc <> upper(btrim(t.subject_uscc))))
"""


def _name_mismatch(shape: StoreShape) -> str:
    return f"""
SELECT t.id, 'subject_name',
       jsonb_build_object('field', 'subject_name', 'value', t.subject_name, 'registered', e.name)
FROM {shape.table} t
JOIN {ENTERPRISE} e ON e.id = t.enterprise_id
WHERE {{candidates}} AND btrim(t.subject_name) <> ''
  AND {_norm("t.subject_name")} <> {_norm("e.name")}
  AND NOT EXISTS (
      SELECT 1 FROM {NAME_HISTORY} h
      WHERE h.enterprise_id = e.id AND {_norm("h.name")} = {_norm("t.subject_name")}
        AND h.valid_to >= t.decision_date
        AND (h.valid_from IS NULL OR h.valid_from <= t.decision_date))
"""


# Business keys compared ignoring case, spaces and the bracket variants of
# document numbers (琼市监罚〔2026〕1号 = 琼市监罚[2026]1号); the first record of a
# group (lowest id) is the original, the others are redundant.
def _duplicate_key(shape: StoreShape) -> str:
    key = "translate(upper(t.business_key), '〔〕［］【】（）()[] 　', '')"
    return f"""
SELECT id, '', jsonb_build_object('value', business_key, 'original', first_id)
FROM (
    SELECT t.id, t.business_key,
           min(t.id) OVER w AS first_id
    FROM {shape.table} t
    WHERE (t.department_id, t.resource_code, {key}) IN (
        SELECT t.department_id, t.resource_code, {key} FROM {shape.table} t WHERE {{candidates}})
    WINDOW w AS (PARTITION BY t.department_id, t.resource_code, {key})
) grouped
WHERE id <> first_id
"""


def _after_deregistration(shape: StoreShape) -> str:
    return f"""
SELECT t.id, '', jsonb_build_object('value', t.decision_date, 'deregistered_on', e.deregistered_on)
FROM {shape.table} t
JOIN {ENTERPRISE} e ON e.id = t.enterprise_id
WHERE {{candidates}} AND e.deregistered_on IS NOT NULL AND t.decision_date > e.deregistered_on
"""


def _before_establishment(shape: StoreShape) -> str:
    return f"""
SELECT t.id, '', jsonb_build_object('value', t.decision_date, 'established_on', e.established_on)
FROM {shape.table} t
JOIN {ENTERPRISE} e ON e.id = t.enterprise_id
WHERE {{candidates}} AND e.established_on IS NOT NULL AND t.decision_date < e.established_on
"""


def _decision_after_receipt(shape: StoreShape) -> str:
    return f"""
SELECT t.id, '', jsonb_build_object('value', t.decision_date, 'received_on', {_received_day()})
FROM {shape.table} t
WHERE {{candidates}} AND t.decision_date > {_received_day()}
"""


def _valid_range(shape: StoreShape) -> str | None:
    if shape.range_columns is not None:
        low, high = shape.range_columns
        return f"""
SELECT t.id, '{high}', jsonb_build_object('field', '{high}', 'from_field', '{low}',
                                       'from', t.{low}, 'value', t.{high})
FROM {shape.table} t
WHERE {{candidates}} AND t.{high} < t.{low}
"""
    if shape.content is None:
        return None
    start = shape.value("p.from_code")
    end = shape.value("p.to_code")
    join = "JOIN _q_pairs p ON p.resource_code = t.resource_code AND p.version_number = t.resource_version"
    iso = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
    return f"""
SELECT t.id, p.to_code, jsonb_build_object('field', p.to_code, 'from_field', p.from_code,
                                          'from', {start}, 'value', {end})
FROM {shape.table} t
{join}
WHERE {{candidates}} AND {start} ~ {iso} AND {end} ~ {iso}
  AND ({end})::date < ({start})::date
"""


def _late_delivery(shape: StoreShape) -> str:
    return f"""
SELECT t.id, '', jsonb_build_object('working_days', r.seq - d.seq, 'deadline', dl.days,
                                   'value', {_received_day()})
FROM {shape.table} t
JOIN _q_deadline dl ON dl.resource_code = t.resource_code AND dl.version_number = t.resource_version
JOIN quality_workingday d ON d.day = t.decision_date
JOIN quality_workingday r ON r.day = {_received_day()}
WHERE {{candidates}} AND r.seq - d.seq > dl.days
"""


RULES: tuple[RuleDefinition, ...] = (
    RuleDefinition(
        "REQUIRED_COMMON",
        Dimension.COMPLETENESS,
        IssueSeverity.ERROR,
        "主体与业务主键必填",
        "必填项“{field}”为空。",
        "Required item {field} is empty.",
        _required_common,
    ),
    RuleDefinition(
        "REQUIRED_FIELD",
        Dimension.COMPLETENESS,
        IssueSeverity.ERROR,
        "目录必填数据项",
        "目录规定的必填数据项“{name}”（{field}）为空。",
        "Required catalogue field {field} ({name}) is empty.",
        _required_field,
    ),
    RuleDefinition(
        "SPEC_VALUE",
        Dimension.CONFORMITY,
        IssueSeverity.ERROR,
        "取值符合目录规范",
        "数据项“{name}”（{field}）的取值“{value}”不符合目录规范（{reason}）。",
        "Field {field} ({name}) value '{value}' breaks the catalogue spec ({reason}).",
        _spec_value,
    ),
    RuleDefinition(
        "USCC_INVALID",
        Dimension.CONFORMITY,
        IssueSeverity.ERROR,
        "统一社会信用代码有效",
        "相对人统一社会信用代码“{value}”校验不通过（GB 32100）。",
        "The subject's unified social credit code '{value}' fails its check (GB 32100).",
        _uscc_invalid,
    ),
    RuleDefinition(
        "UNMATCHED_ENTITY",
        Dimension.LINKAGE,
        IssueSeverity.ERROR,
        "关联到登记的市场主体",
        "相对人代码“{value}”在市场主体登记库中找不到对应主体（{reason}）。",
        "Subject code '{value}' does not match an entity in the registry ({reason}).",
        _unmatched,
    ),
    RuleDefinition(
        "NAME_MISMATCH",
        Dimension.ACCURACY,
        IssueSeverity.WARNING,
        "相对人名称与登记名称一致",
        "相对人名称“{value}”与登记名称“{registered}”及其决定日期时的曾用名均不一致。",
        "Subject name '{value}' matches neither the registered name '{registered}' "
        "nor a former name in use on the decision date.",
        _name_mismatch,
    ),
    RuleDefinition(
        "DUPLICATE_KEY",
        Dimension.REDUNDANCY,
        IssueSeverity.ERROR,
        "业务主键不重复",
        "业务主键“{value}”与同一部门、同一资源的记录 {original} 重复。",
        "Business key '{value}' duplicates record {original} of the same department and resource.",
        _duplicate_key,
        group_rule=True,
    ),
    RuleDefinition(
        "AFTER_DEREGISTRATION",
        Dimension.ACCURACY,
        IssueSeverity.ERROR,
        "决定日期不晚于主体注销日期",
        "决定日期 {value} 晚于该主体的注销日期 {deregistered_on}。",
        "Decision date {value} is after the entity was deregistered on {deregistered_on}.",
        _after_deregistration,
    ),
    RuleDefinition(
        "BEFORE_ESTABLISHMENT",
        Dimension.ACCURACY,
        IssueSeverity.WARNING,
        "决定日期不早于主体成立日期",
        "决定日期 {value} 早于该主体的成立日期 {established_on}。",
        "Decision date {value} is before the entity was established on {established_on}.",
        _before_establishment,
    ),
    RuleDefinition(
        "DECISION_AFTER_RECEIPT",
        Dimension.ACCURACY,
        IssueSeverity.ERROR,
        "决定日期不晚于接收日期",
        "决定日期 {value} 晚于平台接收日期 {received_on}。",
        "Decision date {value} is after the platform received the record on {received_on}.",
        _decision_after_receipt,
    ),
    RuleDefinition(
        "VALID_RANGE",
        Dimension.ACCURACY,
        IssueSeverity.ERROR,
        "有效期至不早于有效期自",
        "“{field}”{value} 早于“{from_field}”{from}。",
        "{field} {value} is before {from_field} {from}.",
        _valid_range,
    ),
    RuleDefinition(
        "LATE_DELIVERY",
        Dimension.TIMELINESS,
        IssueSeverity.ERROR,
        "在报送时限内报送",
        "自决定日期起 {working_days} 个工作日后才报送（{value}），超过 {deadline} 个工作日的时限。",
        "Delivered {working_days} working days after the decision ({value}), "
        "beyond the deadline of {deadline} working days.",
        _late_delivery,
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}
