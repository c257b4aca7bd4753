from __future__ import annotations

from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("run/", views.run_now, name="run-now"),
    path("regions/<str:code>/", views.region_view, name="region"),
    path("departments/<str:code>/", views.department_view, name="department"),
    path("issues/", views.issue_list, name="issue-list"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("feeds/", views.feed_view, name="feeds"),
    path("sampling/", views.sampling_list, name="sampling-list"),
    path("sampling/new/", views.sampling_create, name="sampling-create"),
    path("sampling/<int:pk>/", views.sampling_detail, name="sampling-detail"),
    path("sampling/<int:pk>/draw/", views.sampling_draw, name="sampling-draw"),
    path("sampling/<int:pk>/complete/", views.sampling_complete, name="sampling-complete"),
    path("sampling/<int:pk>/review/", views.sampling_review, name="sampling-review"),
    path(
        "sampling/<int:pk>/review/<int:sample_pk>/",
        views.sample_verdict,
        name="sample-verdict",
    ),
    path(
        "sampling/<int:pk>/report.<str:fmt>",
        views.sampling_report,
        name="sampling-report",
    ),
    path("rankings/", views.ranking_list, name="ranking-list"),
    path("rankings/new/", views.ranking_create, name="ranking-create"),
    path("rankings/<int:pk>/", views.ranking_detail, name="ranking-detail"),
    path("rankings/<int:pk>/publish/", views.ranking_publish, name="ranking-publish"),
]
