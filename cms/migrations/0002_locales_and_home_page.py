import uuid

from django.db import migrations

HOME_LEAD = (
    "Anonymous pulse surveys that show, department by department, whether "
    "everyone feels they own the customer, or whether it has become somebody "
    "else's job."
)


def create_locales_and_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    english, _ = Locale.objects.get_or_create(language_code="en")
    others = [Locale.objects.get_or_create(language_code=c)[0] for c in ("de", "nl")]

    # Replace Wagtail's placeholder welcome page with our home page.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title="Customer Ownership",
        draft_title="Customer Ownership",
        slug="home",
        lead=HOME_LEAD,
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=english,
        translation_key=uuid.uuid4(),
        live=True,
    )
    # German and Dutch home pages are aliases of the English one, so that survey
    # pages below it can be translated straight away.
    for position, locale in enumerate(others, start=2):
        HomePage.objects.create(
            title="Customer Ownership",
            draft_title="Customer Ownership",
            slug=f"home-{locale.language_code}",
            lead=HOME_LEAD,
            content_type=content_type,
            path=f"0001{position:04d}",
            depth=2,
            numchild=0,
            url_path=f"/home-{locale.language_code}/",
            locale=locale,
            translation_key=home.translation_key,
            alias_of_id=home.pk,
            live=True,
        )
    Page.objects.filter(depth=1).update(numchild=1 + len(others))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page_id=home.pk,
        is_default_site=True,
        site_name="Customer Ownership",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales_and_home, migrations.RunPython.noop)]
