import factory
from django.contrib.auth import get_user_model

from core.choices import Role
from core.models import Agency, AgencyKind
from core.services import api_token_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    role = ""
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    is_staff = True
    role = Role.CEC_STAFF


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.MINISTRY
    user = factory.SubFactory(UserFactory, role=Role.AGENCY)


def make_token(agency=None, scopes=()):
    """An agency's token and its plain key."""
    return api_token_create(agency=agency or AgencyFactory(), name="test", scopes=list(scopes))
