from modeltranslation.translator import TranslationOptions, register

from .models import PollingStation


@register(PollingStation)
class PollingStationTranslationOptions(TranslationOptions):
    fields = ("name", "address")
