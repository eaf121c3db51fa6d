from celery import shared_task

from . import informing


@shared_task(ignore_result=True)
def voting_hours_draft_warn_task() -> int:
    """Daily: warn territorial commissions of drafts near the informing deadline."""
    return informing.voting_hours_draft_warn()


@shared_task(ignore_result=True)
def station_subscriptions_prune_task() -> int:
    """Daily: delete subscriptions never confirmed (their contacts with them)."""
    return informing.station_subscriptions_prune()
