"""
An author's portrait becomes a library photo (media.Photo.portrait_of, whose
reverse accessor is ``Author.portrait``): the old file field steps aside under
another name. Only the model's state changes; the column keeps its name and
its files, which media's 0005 migration turns into photos. Nothing here needs
media: newsroom's migrations run without the apps above it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0007_photographers_without_author_records")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("author", "portrait", "portrait_file"),
                migrations.AlterField(
                    model_name="author",
                    name="portrait_file",
                    field=models.ImageField(
                        blank=True, db_column="portrait", editable=False, upload_to="authors/"
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
