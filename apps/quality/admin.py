"""Admin of the quality app: rules, bands and targets are data administrators maintain."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    CheckRun,
    QualityIssue,
    QualityRule,
    QualityTarget,
    RankingNotice,
    SamplingCheck,
    ScoreBand,
)


@admin.register(QualityRule)
class QualityRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "dimension", "severity", "is_active", "order")
    list_filter = ("dimension", "severity", "is_active")
    list_editable = ("severity", "is_active")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        # A rule without SQL under its code would never run.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreBand)
class ScoreBandAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "colour", "lower_exclusive", "valid_from")


@admin.register(QualityTarget)
class QualityTargetAdmin(admin.ModelAdmin):
    list_display = ("key", "percent", "valid_from", "basis")


@admin.register(QualityIssue)
class QualityIssueAdmin(admin.ModelAdmin):
    list_display = ("rule", "resource_code", "business_key", "department", "status", "last_seen_at")
    list_filter = ("status", "dimension", "rule")
    search_fields = ("business_key", "resource_code")
    raw_id_fields = ("department",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "status",
        "started_at",
        "finished_at",
        "records_checked",
        "issues_opened",
        "issues_closed",
    )

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(SamplingCheck)
admin.site.register(RankingNotice)
