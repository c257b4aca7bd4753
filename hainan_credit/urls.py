"""URL wiring: pages per app, ``/api/v1/<app>/`` per app, health and schema."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("apps.organizations.urls")),
    path("enterprises/", include("apps.enterprises.urls")),
    path("catalogue/", include("apps.catalogue.urls")),
    path("records/", include("apps.records.urls")),
    path("permits/", include("apps.permits.urls")),
    path("penalties/", include("apps.penalties.urls")),
    path("ingestion/", include("apps.ingestion.urls")),
    path("joint-punishment/", include("apps.joint_punishment.urls")),
    path("quality/", include("apps.quality.urls")),
    path("inspections/", include("apps.inspections.urls")),
    path("dual-notice/", include("apps.dual_notice.urls")),
    path("portal/", include("apps.disclosure.urls")),
    path("api/v1/", include("apps.core.api.urls")),
    path("api/v1/organizations/", include("apps.organizations.api.urls")),
    path("api/v1/enterprises/", include("apps.enterprises.api.urls")),
    path("api/v1/catalogue/", include("apps.catalogue.api.urls")),
    path("api/v1/records/", include("apps.records.api.urls")),
    path("api/v1/permits/", include("apps.permits.api.urls")),
    path("api/v1/penalties/", include("apps.penalties.api.urls")),
    path("api/v1/ingestion/", include("apps.ingestion.api.urls")),
    path("api/v1/joint-punishment/", include("apps.joint_punishment.api.urls")),
    path("api/v1/quality/", include("apps.quality.api.urls")),
    path("api/v1/inspections/", include("apps.inspections.api.urls")),
    path("api/v1/dual-notice/", include("apps.dual_notice.api.urls")),
    path("api/v1/public/", include("apps.disclosure.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
