from modeltranslation.translator import TranslationOptions, register

from .models import Locality, PollingStation, Street, VotingHoursDecision


@register(PollingStation)
class PollingStationTranslationOptions(TranslationOptions):
    fields = ("name", "address")


@register(VotingHoursDecision)
class VotingHoursDecisionTranslationOptions(TranslationOptions):
    fields = ("reason",)


@register(Locality)
class LocalityTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Street)
class StreetTranslationOptions(TranslationOptions):
    fields = ("name",)
