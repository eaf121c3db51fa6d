from modeltranslation.translator import TranslationOptions, register

from .models import NominatingBody


@register(NominatingBody)
class NominatingBodyTranslationOptions(TranslationOptions):
    fields = ("name", "short_name")
