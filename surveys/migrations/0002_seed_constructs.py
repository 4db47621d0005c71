import json
import uuid
from pathlib import Path

from django.db import migrations

ITEM_BANK = Path(__file__).resolve().parent.parent / "data" / "item_bank.json"
LANGUAGES = ("en", "de", "nl")


def seed_constructs(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    Construct = apps.get_model("surveys.Construct")
    BankItem = apps.get_model("surveys.BankItem")
    bank = json.loads(ITEM_BANK.read_text(encoding="utf-8"))
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES
    }
    for spec in bank["constructs"]:
        key = uuid.uuid4()
        items = [item for item in bank["items"] if item["construct"] == spec["slug"]]
        for code in LANGUAGES:
            construct, created = Construct.objects.get_or_create(
                slug=spec["slug"],
                locale=locales[code],
                defaults={
                    "translation_key": key,
                    "name": spec["name"][code],
                    "description": spec["description"][code],
                    "citation": spec["citation"],
                    "favourable_when": spec["favourable_when"],
                },
            )
            if not created:
                continue
            BankItem.objects.bulk_create(
                BankItem(
                    construct=construct,
                    item_id=item["id"],
                    text=item["text"][code],
                    reverse_keyed=item["reverse_keyed"],
                    sort_order=order,
                )
                for order, item in enumerate(items)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("cms", "0002_locales_and_home_page"),
    ]

    operations = [migrations.RunPython(seed_constructs, migrations.RunPython.noop)]
