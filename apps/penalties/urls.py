from __future__ import annotations

app_name = "penalties"
urlpatterns: list = []
