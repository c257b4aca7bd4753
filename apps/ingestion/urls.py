from __future__ import annotations

app_name = "ingestion"
urlpatterns: list = []
