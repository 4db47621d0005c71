"""Packed answers: a response's numeric answers move from one row per answer
into one packed array on the response (see :mod:`surveys.packing`)."""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

from surveys.packing import layout_of

BATCH = 2000


def pack_answers(apps, schema_editor):
    Wave = apps.get_model("surveys", "Wave")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    AllocationAnswer = apps.get_model("surveys", "AllocationAnswer")
    for wave in Wave.objects.filter(snapshot__isnull=False).only("pk", "snapshot"):
        layout = layout_of(wave.snapshot)
        numeric = defaultdict(list)
        for response_id, question, value in Answer.objects.filter(
            wave=wave
        ).values_list("response_id", "question", "value"):
            numeric[response_id].append((question, value))
        allocations = defaultdict(list)
        for response_id, question, locus, points in AllocationAnswer.objects.filter(
            wave=wave
        ).values_list("response_id", "question", "locus", "points"):
            if (question, locus) in layout.position:
                allocations[response_id].append((question, locus, points))
        ids = list(Response.objects.filter(wave=wave).values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            rows = [
                Response(
                    pk=pk,
                    answers=layout.pack(
                        [a for a in numeric[pk] if (a[0], None) in layout.position],
                        allocations[pk],
                    ),
                )
                for pk in ids[start : start + BATCH]
            ]
            Response.objects.bulk_update(rows, ["answers"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_unlinkable_collection")]

    operations = [
        # The old rows' reverse accessors would shadow the new field.
        migrations.AlterField(
            model_name="answer",
            name="response",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.response",
            ),
        ),
        migrations.AlterField(
            model_name="allocationanswer",
            name="response",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.response",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="answers",
            field=models.BinaryField(
                default=b"",
                editable=False,
                help_text=(
                    "The numeric answers, packed in the layout the wave's questions "
                    "fix (see surveys.packing); free text is kept apart, as comments."
                ),
                verbose_name="answers",
            ),
        ),
        migrations.RunPython(pack_answers, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="AllocationAnswer"),
        migrations.DeleteModel(name="Answer"),
    ]
