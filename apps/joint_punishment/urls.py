from __future__ import annotations

app_name = "joint_punishment"
urlpatterns: list = []
