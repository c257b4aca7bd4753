from __future__ import annotations

app_name = "dual_notice"
urlpatterns: list = []
