from modeltranslation.translator import TranslationOptions, register

from .models import Commission, CommissionMember, Election, Party, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Election)
class ElectionTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Party)
class PartyTranslationOptions(TranslationOptions):
    fields = ("name", "short_name")


@register(Commission)
class CommissionTranslationOptions(TranslationOptions):
    fields = ("name", "address")


@register(CommissionMember)
class CommissionMemberTranslationOptions(TranslationOptions):
    fields = ("full_name",)
