from __future__ import annotations

app_name = "enterprises"
urlpatterns: list = []
