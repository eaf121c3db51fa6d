"""Each subscription gains a short unsubscribe code, the key of the SMS's unsubscribe link: the
existing ones are given theirs here (only those without one: running it again changes nothing),
then the column is required and unique."""

import secrets

from django.db import migrations, models

import polling.subscription_models

# The rule as it stands today (polling.subscription_models.new_unsubscribe_code), frozen here.
ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
LENGTH = 12


def give_codes(apps, schema_editor):
    StationSubscription = apps.get_model("polling", "StationSubscription")
    taken = set(
        StationSubscription.objects.exclude(unsubscribe_code=None).values_list(
            "unsubscribe_code", flat=True
        )
    )
    pending = StationSubscription.objects.filter(unsubscribe_code=None).order_by("pk")
    for subscription in pending.iterator(chunk_size=2000):
        code = None
        while code is None or code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken.add(code)
        subscription.unsubscribe_code = code
        subscription.save(update_fields=["unsubscribe_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("polling", "0007_voting_hours_decision_withdrawal"),
    ]

    operations = [
        migrations.AddField(
            model_name="stationsubscription",
            name="unsubscribe_code",
            field=models.CharField(
                editable=False, max_length=16, null=True, verbose_name="unsubscribe code"
            ),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="stationsubscription",
            name="unsubscribe_code",
            field=models.CharField(
                default=polling.subscription_models.new_unsubscribe_code,
                editable=False,
                max_length=16,
                verbose_name="unsubscribe code",
            ),
        ),
        migrations.AddConstraint(
            model_name="stationsubscription",
            constraint=models.UniqueConstraint(
                fields=("unsubscribe_code",),
                name="polling_stationsubscription_unique_unsubscribe_code",
            ),
        ),
    ]
