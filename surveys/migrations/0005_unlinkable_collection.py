"""Unlinkable collection.

* Used links become spent tokens (an HMAC of the token under the server key),
  written in random order; the invitation's ``responded`` flag goes.
* Answers get random keys: their rows are copied, in random order, into new
  tables keyed by UUIDs, which replace the old ones.
"""

import base64
import hashlib
import hmac
import random
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BATCH = 5000


def _key() -> bytes:
    return (settings.INVITATION_TOKEN_KEY or settings.SECRET_KEY).encode()


def spend_answered_links(apps, schema_editor):
    Invitation = apps.get_model("surveys", "Invitation")
    SpentToken = apps.get_model("surveys", "SpentToken")
    answered = list(
        Invitation.objects.filter(responded=True).values_list("nonce", "wave_id")
    )
    random.SystemRandom().shuffle(answered)
    rows = []
    for nonce, wave_id in answered:
        digest = hmac.new(_key(), nonce.encode(), hashlib.sha256).digest()
        token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        spent = hmac.new(_key(), b"spent:" + token.encode(), hashlib.sha256)
        rows.append(SpentToken(digest=spent.hexdigest(), wave_id=wave_id))
    SpentToken.objects.bulk_create(rows, batch_size=BATCH)


def copy_shuffled(old_name: str, new_name: str, fields: list[str]):
    def copy(apps, schema_editor):
        Old = apps.get_model("surveys", old_name)
        New = apps.get_model("surveys", new_name)
        ids = list(Old.objects.values_list("pk", flat=True))
        random.SystemRandom().shuffle(ids)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = Old.objects.filter(pk__in=chunk).values(*fields)
            New.objects.bulk_create(New(id=uuid.uuid4(), **row) for row in rows)

    return copy


ANSWER_FIELDS = ["response_id", "wave_id", "department_id", "question", "value"]
ALLOCATION_FIELDS = [
    "response_id",
    "wave_id",
    "department_id",
    "question",
    "locus",
    "points",
]


class Migration(migrations.Migration):
    dependencies = [
        ("ownership", "0003_audit_log"),
        ("surveys", "0004_releases"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpentToken",
            fields=[
                (
                    "digest",
                    models.CharField(
                        editable=False, max_length=64, primary_key=True, serialize=False
                    ),
                ),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.wave",
                    ),
                ),
            ],
            options={"verbose_name": "used survey link"},
        ),
        migrations.RunPython(spend_answered_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="responded"),
        migrations.CreateModel(
            name="NewAnswer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "question",
                    models.CharField(help_text="The question's block id.", max_length=40),
                ),
                ("value", models.SmallIntegerField()),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ownership.department",
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.response",
                    ),
                ),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.wave",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="NewAllocationAnswer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("question", models.CharField(max_length=40)),
                ("locus", models.CharField(help_text="The locus slug.", max_length=50)),
                ("points", models.PositiveSmallIntegerField()),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ownership.department",
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.response",
                    ),
                ),
                (
                    "wave",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.wave",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            copy_shuffled("Answer", "NewAnswer", ANSWER_FIELDS),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(
            copy_shuffled("AllocationAnswer", "NewAllocationAnswer", ALLOCATION_FIELDS),
            migrations.RunPython.noop,
        ),
        migrations.DeleteModel(name="Answer"),
        migrations.DeleteModel(name="AllocationAnswer"),
        migrations.RenameModel(old_name="NewAnswer", new_name="Answer"),
        migrations.RenameModel(
            old_name="NewAllocationAnswer", new_name="AllocationAnswer"
        ),
        migrations.AlterField(
            model_name="answer",
            name="response",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="surveys.response",
            ),
        ),
        migrations.AlterField(
            model_name="allocationanswer",
            name="response",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="allocations",
                to="surveys.response",
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["wave", "question"], name="surveys_ans_wave_id_c63441_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="allocationanswer",
            index=models.Index(
                fields=["wave", "question"], name="surveys_all_wave_id_bee3e2_idx"
            ),
        ),
    ]
