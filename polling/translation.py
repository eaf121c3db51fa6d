from modeltranslation.translator import TranslationOptions, register

from .models import PollingStation, VotingHoursDecision


@register(PollingStation)
class PollingStationTranslationOptions(TranslationOptions):
    fields = ("name", "address")


@register(VotingHoursDecision)
class VotingHoursDecisionTranslationOptions(TranslationOptions):
    fields = ("reason",)
