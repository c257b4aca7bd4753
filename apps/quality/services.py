# SQL text is built from model metadata (quoted identifiers) and fixed fragments;
# values are always parameters.
# ruff: noqa: S608
"""State changes of the quality app: sampling checks, reviews and ranking notices.

Each service runs in one transaction and writes its audit event there
(:func:`apps.core.audit.record_event`). Checks and scorecards are computed by
:mod:`apps.quality.checks` and :mod:`apps.quality.scoring` (system work, logged
as :class:`~apps.quality.models.CheckRun` rows rather than audit events).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import record_event
from apps.core.exceptions import ConflictError, DomainError
from apps.organizations.models import Department
from apps.records.registry import registered_stores

from .choices import Dimension, PeriodKind, SamplingStatus, ScopeKind, Verdict
from .models import RankingNotice, SampledRecord, SamplingCheck, SamplingDepartment, Scorecard
from .scoring import OBLIGED_SQL, Period


class QualityEvent:
    """Audit event types of the quality app (free text in AuditEvent.event_type)."""

    SAMPLING_SCHEDULED = "quality.sampling_scheduled"
    SAMPLING_DRAWN = "quality.sampling_drawn"
    SAMPLE_REVIEWED = "quality.sample_reviewed"
    SAMPLING_COMPLETED = "quality.sampling_completed"
    RANKING_CREATED = "quality.ranking_created"
    RANKING_PUBLISHED = "quality.ranking_published"


def schedule_sampling_check(
    *,
    title: str,
    check_date: datetime.date,
    period_start: datetime.date,
    sample_size: int,
    reviewers: list[Any],
    actor: Any,
    seed: str | None = None,
) -> SamplingCheck:
    """Schedule a sampling check; the seed is drawn now (or given) and recorded.

    Refuses a window that ends before it starts or a sample size below 1.
    """
    if period_start > check_date:
        raise DomainError(
            _("抽查范围起始日期 %(start)s 晚于抽查日期 %(date)s。")
            % {"start": period_start, "date": check_date}
        )
    if sample_size < 1:
        raise DomainError(_("每部门抽样数至少为 1。"))
    with transaction.atomic():
        check = SamplingCheck.objects.create(
            title=title,
            check_date=check_date,
            period_start=period_start,
            sample_size=sample_size,
            seed=seed or secrets.token_hex(8),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        check.reviewers.set(reviewers)
        record_event(
            QualityEvent.SAMPLING_SCHEDULED,
            actor=actor,
            target=check,
            after={
                "check_date": check_date,
                "period_start": period_start,
                "sample_size": sample_size,
                "seed": check.seed,
            },
        )
    return check


def _sample_departments(check: SamplingCheck) -> list[int]:
    """Departments in the check: every active department obliged to supply a resource,
    plus any other department that delivered records in the window."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS _q_obliged")
        cursor.execute(OBLIGED_SQL)
        cursor.execute("SELECT DISTINCT department_id FROM _q_obliged")
        ids = {row[0] for row in cursor.fetchall()}
        cursor.execute("DROP TABLE _q_obliged")
    return sorted(ids)


def draw_sample(check: SamplingCheck, *, actor: Any) -> SamplingCheck:
    """Draw the random sample per department (seeded, reproducible) and assign reviewers.

    Records received from ``period_start`` to ``check_date`` (inclusive, local
    days) are ordered per department by ``md5(seed:content type:id)`` and the
    first ``sample_size`` are taken: the same seed over the same records gives
    the same sample. Completeness and timeliness of each sampled record are
    taken from its open issues now. Reviewers are assigned round-robin in the
    order of departments. A check may be drawn once.
    """
    with transaction.atomic():
        check = SamplingCheck.objects.select_for_update().get(pk=check.pk)
        if check.drawn_at is not None:
            raise ConflictError(_("该抽查已抽样，不能重复抽样。"), code="already_drawn")
        tz = timezone.get_default_timezone()
        low = datetime.datetime.combine(check.period_start, datetime.time.min, tzinfo=tz)
        high = datetime.datetime.combine(
            check.check_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        parts = []
        for store in registered_stores():
            model = store.model
            content_type = ContentType.objects.get_for_model(model)
            table = connection.ops.quote_name(model._meta.db_table)
            parts.append(
                f"""SELECT {content_type.pk} AS content_type_id, t.id AS object_id,
                    t.department_id, t.resource_code, t.business_key, t.subject_name,
                    t.decision_date
                FROM {table} t
                WHERE t.received_at >= %(low)s AND t.received_at < %(high)s"""
            )
        department_ids = _sample_departments(check)
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS _q_population")
            if parts:
                cursor.execute(
                    f"""CREATE TEMP TABLE _q_population ON COMMIT DROP AS
                    {" UNION ALL ".join(parts)}""",
                    {"low": low, "high": high},
                )
            else:
                cursor.execute(
                    "CREATE TEMP TABLE _q_population (content_type_id int, object_id bigint, "
                    "department_id int, resource_code text, business_key text, "
                    "subject_name text, decision_date date) ON COMMIT DROP"
                )
            cursor.execute("""SELECT department_id, count(*) FROM _q_population GROUP BY 1""")
            population = dict(cursor.fetchall())
            department_ids = sorted(set(department_ids) | set(population))
            cursor.execute(
                """INSERT INTO quality_sampledrecord (check_run_id, department_id, content_type_id,
                    object_id, draw_order, resource_code, business_key, subject_name,
                    decision_date, complete, timely, verdict, note)
                SELECT %(check)s, department_id, content_type_id, object_id, draw_order,
                       resource_code, business_key, subject_name, decision_date,
                       NOT EXISTS (SELECT 1 FROM quality_qualityissue i
                           WHERE i.content_type_id = s.content_type_id
                             AND i.object_id = s.object_id AND i.status = 'open'
                             AND i.dimension = %(completeness)s),
                       NOT EXISTS (SELECT 1 FROM quality_qualityissue i
                           WHERE i.content_type_id = s.content_type_id
                             AND i.object_id = s.object_id AND i.status = 'open'
                             AND i.dimension = %(timeliness)s),
                       'pending', ''
                FROM (
                    SELECT p.*, row_number() OVER (
                        PARTITION BY p.department_id
                        ORDER BY md5(%(seed)s || ':' || p.content_type_id || ':' || p.object_id),
                                 p.content_type_id, p.object_id) AS draw_order
                    FROM _q_population p
                ) s
                WHERE s.draw_order <= %(size)s""",
                {
                    "check": check.pk,
                    "seed": check.seed,
                    "size": check.sample_size,
                    "completeness": Dimension.COMPLETENESS,
                    "timeliness": Dimension.TIMELINESS,
                },
            )
            cursor.execute("DROP TABLE _q_population")
        sampled = dict(
            SampledRecord.objects.filter(check_run=check)
            .values_list("department")
            .annotate(n=Count("pk"))
        )
        SamplingDepartment.objects.bulk_create(
            [
                SamplingDepartment(
                    check_run=check,
                    department_id=department_id,
                    population=population.get(department_id, 0),
                    sampled=sampled.get(department_id, 0),
                )
                for department_id in department_ids
            ]
        )
        reviewers = list(check.reviewers.order_by("pk"))
        if reviewers:
            departments_with_samples = sorted(sampled)
            for index, department_id in enumerate(departments_with_samples):
                SampledRecord.objects.filter(check_run=check, department_id=department_id).update(
                    reviewer=reviewers[index % len(reviewers)]
                )
        check.drawn_at = now
        check.status = SamplingStatus.REVIEWING
        check.save(update_fields=["drawn_at", "status"])
        record_event(
            QualityEvent.SAMPLING_DRAWN,
            actor=actor,
            target=check,
            after={
                "seed": check.seed,
                "departments": len(department_ids),
                "sampled": sum(sampled.values()),
            },
        )
    return check


def review_sample(sample: SampledRecord, *, verdict: str, note: str, actor: Any) -> SampledRecord:
    """Record a reviewer's verdict on one sampled record (correct or not against the source).

    Only the assigned reviewer or a provincial administrator may review; a
    completed check is closed for changes. An incorrect verdict needs a note.
    """
    from apps.organizations.choices import Role
    from apps.organizations.scoping import principal_role

    if verdict not in (Verdict.CORRECT, Verdict.INCORRECT):
        raise DomainError(_("核查结论必须为“一致”或“不一致”。"))
    if verdict == Verdict.INCORRECT and not note.strip():
        raise DomainError(_("结论为“不一致”时请在说明中写明不一致的数据项。"))
    is_province = principal_role(actor) == Role.PROVINCE_ADMIN
    with transaction.atomic():
        sample = (
            SampledRecord.objects.select_for_update().select_related("check_run").get(pk=sample.pk)
        )
        if sample.check_run.status == SamplingStatus.COMPLETED:
            raise ConflictError(_("该抽查已完成，不能再修改核查结论。"), code="completed")
        if not is_province and sample.reviewer_id != getattr(actor, "pk", None):
            raise ConflictError(_("只有指派的核查人员可以核查该记录。"), code="not_reviewer")
        before = {"verdict": sample.verdict, "note": sample.note}
        sample.verdict = verdict
        sample.note = note.strip()[:255]
        sample.reviewed_at = timezone.now()
        if sample.reviewer_id is None and getattr(actor, "pk", None):
            sample.reviewer = actor
        sample.save(update_fields=["verdict", "note", "reviewed_at", "reviewer"])
        record_event(
            QualityEvent.SAMPLE_REVIEWED,
            actor=actor,
            target=sample,
            before=before,
            after={"verdict": verdict, "note": sample.note},
        )
    return sample


def complete_sampling_check(check: SamplingCheck, *, findings: str, actor: Any) -> SamplingCheck:
    """Close a check for review and record the findings written into the report."""
    with transaction.atomic():
        check = SamplingCheck.objects.select_for_update().get(pk=check.pk)
        if check.drawn_at is None:
            raise ConflictError(_("尚未抽样的抽查不能完成。"), code="not_drawn")
        check.findings = findings.strip()
        check.status = SamplingStatus.COMPLETED
        check.completed_at = timezone.now()
        check.save(update_fields=["findings", "status", "completed_at"])
        record_event(
            QualityEvent.SAMPLING_COMPLETED, actor=actor, target=check, after={"findings": findings}
        )
    return check


@dataclass(frozen=True)
class DepartmentResult:
    """A department's figures in a sampling check; None means "no data" (never 100%)."""

    department_id: int
    department_code: str
    department_name: str
    population: int
    sampled: int
    reviewed: int
    correct: int
    accuracy: Decimal | None
    completeness: Decimal | None
    timeliness: Decimal | None
    score: Decimal | None
    rank: int | None

    @property
    def has_data(self) -> bool:
        return self.sampled > 0


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


def sampling_results(check: SamplingCheck) -> list[DepartmentResult]:
    """Per-department accuracy, completeness and timeliness of a check, ranked by their mean.

    Accuracy counts reviewed records only (pending ones are not judged yet).
    A department with nothing sampled has None everywhere and no rank.
    """
    rows = (
        SamplingDepartment.objects.filter(check_run=check)
        .select_related("department")
        .order_by("department__code")
    )
    counts = {
        row["department"]: row
        for row in SampledRecord.objects.filter(check_run=check)
        .values("department")
        .annotate(
            n=Count("pk"),
            reviewed=Count("pk", filter=~Q(verdict=Verdict.PENDING)),
            correct=Count("pk", filter=Q(verdict=Verdict.CORRECT)),
            complete=Count("pk", filter=Q(complete=True)),
            timely=Count("pk", filter=Q(timely=True)),
        )
    }
    interim = []
    for row in rows:
        c = counts.get(row.department_id, {})
        n = c.get("n", 0)
        accuracy = _percent(c.get("correct", 0), c.get("reviewed", 0))
        completeness = _percent(c.get("complete", 0), n)
        timeliness = _percent(c.get("timely", 0), n)
        present = [v for v in (accuracy, completeness, timeliness) if v is not None]
        score = (
            (sum(present) / len(present)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if present
            else None
        )
        interim.append((row, n, c, accuracy, completeness, timeliness, score))
    ranked = sorted((item for item in interim if item[6] is not None), key=lambda item: -item[6])
    ranks: dict[int, int] = {}
    previous_score, previous_rank = None, 0
    for position, item in enumerate(ranked, start=1):
        if item[6] != previous_score:
            previous_rank, previous_score = position, item[6]
        ranks[item[0].department_id] = previous_rank
    return [
        DepartmentResult(
            department_id=row.department_id,
            department_code=row.department.code,
            department_name=row.department.name,
            population=row.population,
            sampled=n,
            reviewed=c.get("reviewed", 0),
            correct=c.get("correct", 0),
            accuracy=accuracy,
            completeness=completeness,
            timeliness=timeliness,
            score=score,
            rank=ranks.get(row.department_id),
        )
        for row, n, c, accuracy, completeness, timeliness, score in interim
    ]


def ranking_rows(period: Period) -> dict[str, list[dict[str, Any]]]:
    """The department and city/county ranking of a period from the computed scorecards."""

    def rows(scope: str) -> list[dict[str, Any]]:
        qs = Scorecard.objects.filter(
            period_kind=period.kind, period_start=period.start, scope_kind=scope
        ).select_related("department", "region")
        result = []
        for card in qs.order_by("rank", "pk"):
            who = card.department if scope == ScopeKind.DEPARTMENT else card.region
            result.append(
                {
                    "rank": card.rank,
                    "code": who.code if who else "",
                    "name": who.name if who else "",
                    "records": card.records,
                    "score": str(card.score) if card.score is not None else None,
                    "previous_score": (
                        str(card.previous_score) if card.previous_score is not None else None
                    ),
                    "band": card.band,
                    "band_colour": card.band_colour,
                    "completeness": _s(card.completeness),
                    "timeliness": _s(card.timeliness),
                    "accuracy": _s(card.accuracy),
                    "comprehensiveness": _s(card.comprehensiveness),
                }
            )
        return result

    return {"departments": rows(ScopeKind.DEPARTMENT), "regions": rows(ScopeKind.REGION)}


def _s(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def create_ranking_notice(period: Period, *, actor: Any, summary: str = "") -> RankingNotice:
    """Draft a notification ranking (通报) of a period from its scorecards (a snapshot)."""
    rows = ranking_rows(period)
    if not rows["departments"] and not rows["regions"]:
        raise DomainError(_("%(period)s 尚无评分结果，请先计算评分。") % {"period": period.label})
    kind_label = _("季度") if period.kind == PeriodKind.QUARTER else _("月度")
    with transaction.atomic():
        notice = RankingNotice.objects.create(
            title=_("%(period)s涉企信息归集质量%(kind)s通报")
            % {"period": period.label, "kind": kind_label},
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            summary=summary,
            rows=rows,
        )
        record_event(QualityEvent.RANKING_CREATED, actor=actor, target=notice)
    return notice


def publish_ranking_notice(notice: RankingNotice, *, actor: Any) -> RankingNotice:
    """Publish a notice to all staff; a published notice stays as it is."""
    with transaction.atomic():
        notice = RankingNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.is_published:
            raise ConflictError(_("该通报已发布。"), code="already_published")
        notice.is_published = True
        notice.published_at = timezone.now()
        notice.published_by = actor if getattr(actor, "pk", None) else None
        notice.save(update_fields=["is_published", "published_at", "published_by"])
        record_event(QualityEvent.RANKING_PUBLISHED, actor=actor, target=notice)
    return notice


def departments_in(ids: list[int]) -> dict[int, Department]:
    return {d.pk: d for d in Department.objects.filter(pk__in=ids)}
