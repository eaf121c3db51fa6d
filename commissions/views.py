from .models import Election
from .selectors import election_countdown


def election_day_section(request) -> dict:
    """The home page's section on elections (`commissions/_home.html`): the current election
    day, its elections and the countdown to the opening of the polls.

    Returns {"elections": [Election, ...], "election_day": date | None, "countdown": Countdown
    | None}; the elections are those the request's user may see.
    """
    elections = list(Election.objects.restrict(request.user).current())
    election_day = elections[0].election_day if elections else None
    return {
        "elections": elections,
        "election_day": election_day,
        "countdown": (
            election_countdown(
                election_day, elections=[e for e in elections if e.election_day == election_day]
            )
            if election_day
            else None
        ),
    }
