import uuid

from django.db import migrations

# slug, kind, English, German, Dutch
LOCI = [
    ("me", "distributed", "Me", "Ich", "Ikzelf"),
    ("team", "distributed", "My team", "Mein Team", "Mijn team"),
    ("manager", "other", "My manager", "Meine Führungskraft", "Mijn leidinggevende"),
    (
        "cco",
        "designated",
        "The Chief Customer Officer",
        "Der Chief Customer Officer",
        "De Chief Customer Officer",
    ),
    (
        "customer-service",
        "designated",
        "The customer service department",
        "Der Kundenservice",
        "De klantenservice",
    ),
    ("other-departments", "other", "Other departments", "Andere Abteilungen",
     "Andere afdelingen"),
    ("top-management", "other", "Top management", "Die Unternehmensleitung",
     "Het topmanagement"),
    ("nobody", "other", "Nobody", "Niemand", "Niemand"),
]


def seed_loci(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    Locus = apps.get_model("ownership.Locus")
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in ("en", "de", "nl")
    }
    for order, (slug, kind, *names) in enumerate(LOCI, start=1):
        key = uuid.uuid4()
        for code, name in zip(("en", "de", "nl"), names, strict=True):
            Locus.objects.get_or_create(
                slug=slug,
                locale=locales[code],
                defaults={
                    "name": name,
                    "kind": kind,
                    "sort_order": order * 10,
                    "translation_key": key,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("ownership", "0001_initial"),
        ("cms", "0002_locales_and_home_page"),
    ]

    operations = [migrations.RunPython(seed_loci, migrations.RunPython.noop)]
