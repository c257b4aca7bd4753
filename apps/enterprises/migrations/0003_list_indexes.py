from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0002_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(fields=["name", "id"], name="enterprise_name_idx"),
        ),
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(fields=["established_on"], name="enterprise_established_idx"),
        ),
    ]
