from django.db import migrations


class Migration(migrations.Migration):
    """The stored render becomes the whole page a reader gets."""

    dependencies = [("articles", "0016_article_render_version")]

    operations = [
        migrations.RemoveField(model_name="articlerender", name="head"),
        migrations.RenameField(model_name="articlerender", old_name="body", new_name="page"),
    ]
