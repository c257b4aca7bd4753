from __future__ import annotations

app_name = "permits"
urlpatterns: list = []
