from django.views.generic import TemplateView

from .models import Election
from .selectors import election_countdown


class HomeView(TemplateView):
    """The public front page: the current election day, its elections and the countdown."""

    template_name = "commissions/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        elections = list(Election.objects.restrict(self.request.user).current())
        election_day = elections[0].election_day if elections else None
        context["elections"] = elections
        context["election_day"] = election_day
        context["countdown"] = election_countdown(election_day) if election_day else None
        return context
