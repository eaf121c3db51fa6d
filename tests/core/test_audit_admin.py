"""The audit log's admin (core.admin_audit) in place of django-auditlog's: its list and entry
pages read in Kazakh, Russian and English with none of the English or the code names the
library wrote, resource types listed by name in the reader's alphabet, changes counted with the
language's plurals; read-only, and only for those with the permission."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from commissions.choices import RegionKind
from core.admin_audit import LogEntryAdmin
from core.audit import log_access
from core.choices import Role
from core.models import User
from tests.commissions.factories import RegionFactory
from tests.core.factories import StaffUserFactory, UserFactory
from tests.core.test_admin_language import visible_text
from tests.observers.factories import ObserverFactory

pytestmark = pytest.mark.django_db

LIST = "/{lang}/admin/auditlog/logentry/"
DETAIL = "/{lang}/admin/auditlog/logentry/{pk}/change/"

# What django-auditlog's admin wrote in English whatever the reader's language: its column,
# filter and table headings, the actor of a change nobody signed in made, the summary of
# changes, the actions' codes, Python's words for a value, a many-to-many operation's code.
LIBRARY_ENGLISH = (
    "Correlation ID",
    "Click to filter by records with this correlation id",
    "Resource Type",
    "resource type",
    "correlation ID",
    "Resource",
    "Created",
    "Changes",
    "User",
    "Action",
    "Field",
    "From",
    "To",
    "Relationship",
    "Objects",
    "No field changes",
    "system",
    "change",
    "changes",
    "create",
    "update",
    "access",
    "add",
    "delete",
    "Yes",
    "No",
)
# What it wrote in every language: Python's words for nothing, yes and no.
CODE_WORDS = ("None", "True", "False")
FILTER_CHOICE = re.compile(r'<a href="\?resource_type=(\d+)">([^<]*)</a>')


def words(text: str, phrases) -> list[str]:
    """The phrases found in `text` as whole words (case-sensitive)."""
    return [p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text)]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="chair"))
    return client


@pytest.fixture
def trail():
    """Entries of every kind the admin shows: additions (an observer with its body and
    election, a region, an account), changes of a choice, a yes-or-no and a date, many-to-many
    changes both ways, a read of personal data, and one with a correlation id and an address."""
    observer = ObserverFactory()
    region = RegionFactory(kind=RegionKind.OBLAST)
    region.kind = RegionKind.CITY
    region.established_on = "2001-12-16"
    region.save()
    account = UserFactory(username="aigerim", role="")
    account.role = Role.TERRITORIAL_STAFF
    account.is_active = False
    account.save()
    groups = Group.objects.bulk_create([Group(name="Desk"), Group(name="Clerks")])
    added = LogEntry.objects.log_m2m_changes(
        Group.objects.filter(pk__in=[g.pk for g in groups]), account, "add", "groups"
    )
    LogEntry.objects.log_m2m_changes(Group.objects.filter(name="Desk"), account, "delete", "groups")
    log_access(observer)
    LogEntry.objects.filter(pk=added.pk).update(
        cid="c0ffee-42", remote_addr="192.0.2.77", additional_data={"note": "note-not-shown"}
    )
    entries = LogEntry.objects
    return {
        "observer": entries.get_for_object(observer).get(action=LogEntry.Action.CREATE),
        # Its reverse relations recorded as "observers.Observer.None", no value.
        "body": entries.get_for_object(observer.body).get(action=LogEntry.Action.CREATE),
        "region": entries.get_for_object(region).get(action=LogEntry.Action.UPDATE),
        "account": entries.get_for_object(account).get(
            action=LogEntry.Action.UPDATE, changes__has_key="is_active"
        ),
        "groups": added,
    }


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return "\n".join(visible_text(response))


def audit_pages(client, lang: str, trail) -> dict[str, str]:
    pages = {"list": page_text(client, LIST.format(lang=lang))}
    for name, entry in trail.items():
        pages[name] = page_text(client, DETAIL.format(lang=lang, pk=entry.pk))
    return pages


def recorded_code_names(trail) -> set[str]:
    """The names the library recorded that are code, not words: "is_active", "date_of_birth"."""
    return {name for entry in LogEntry.objects.all() for name in entry.changes_dict if "_" in name}


def test_the_library_admin_is_replaced():
    assert type(admin.site._registry[LogEntry]) is LogEntryAdmin


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_list_and_entry_pages_show_none_of_the_library_english(superuser_client, trail, lang):
    english = audit_pages(superuser_client, "en", trail)
    shown = audit_pages(superuser_client, lang, trail)
    for page, text in shown.items():
        # Only what the English page does show: its absence here is a translation.
        expected = words(english[page], LIBRARY_ENGLISH)
        assert expected, page
        assert not words(text, expected), page


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pages_show_no_code_names_nor_python_words(superuser_client, trail, lang):
    """Nor the text of a reverse relation's manager, which the library records as a value
    ("observers.Observer.None"), nor a masked field's "None" ("**ne")."""
    code_names = recorded_code_names(trail)
    assert "is_active" in code_names
    for page, text in audit_pages(superuser_client, lang, trail).items():
        assert not words(text, CODE_WORDS), page
        assert not words(text, code_names), page
        assert ".None" not in text, page
        assert "**ne" not in text, page  # a masked field's "None" before a row was added


@pytest.mark.parametrize(
    ("lang", "actor", "summary", "kind", "date"),
    [
        ("kk", "жүйе", "2 өзгеріс: белсенді, рөлі", "Республикалық маңызы бар қала", "16.12.2001"),
        (
            "ru",
            "система",
            "2 изменения: активный, роль",
            "Город республиканского значения",
            "16 декабря 2001",
        ),
        (
            "en",
            "system",
            "2 changes: active, role",
            "City of republican significance",
            "Dec. 16, 2001",
        ),
    ],
)
def test_pages_read_in_the_language(superuser_client, trail, lang, actor, summary, kind, date):
    listed = page_text(superuser_client, LIST.format(lang=lang))
    assert actor in listed  # the actor of a change nobody signed in made
    assert summary in listed  # the changed fields by their verbose names, in the model's order
    region = page_text(superuser_client, DETAIL.format(lang=lang, pk=trail["region"].pk))
    assert kind in region  # a choice by its label
    assert date in region  # a date in the reader's format


@pytest.mark.parametrize(
    ("lang", "one", "two", "five"),
    [
        ("kk", "1 өзгеріс", "2 өзгеріс", "5 өзгеріс"),
        ("ru", "1 изменение", "2 изменения", "5 изменений"),
        ("en", "1 change", "2 changes", "5 changes"),
    ],
)
def test_changes_are_counted_with_the_language_plurals(lang, one, two, five):
    model_admin = admin.site._registry[LogEntry]
    names = ["username", "first_name", "last_name", "email", "role"]
    content_type = ContentType.objects.get_for_model(User)
    with translation.override(lang):
        for count, expected in ((1, one), (2, two), (5, five)):
            entry = LogEntry(
                content_type=content_type,
                action=LogEntry.Action.UPDATE,
                changes={name: ["a", "b"] for name in names[:count]},
            )
            assert model_admin.summary(entry).startswith(f"{expected}: ")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # Kazakh letters in their places (Ө after О, Ұ after У): not after Я, as code points are.
        ("kk", ["Байқаушы", "Өңір", "Пайдаланушы", "Сайлау", "Ұсынушы субъект"]),
        ("ru", ["Выборы", "Наблюдатель", "Пользователь", "Регион", "Субъект выдвижения"]),
        ("en", ["Election", "Nominating body", "Observer", "Region", "User"]),
    ],
)
def test_resource_type_filter_lists_models_by_name_in_the_alphabet(
    superuser_client, trail, lang, expected
):
    page = superuser_client.get(LIST.format(lang=lang)).content.decode()
    assert [name for _pk, name in FILTER_CHOICE.findall(page)] == expected


def test_resource_type_filter_lists_the_entries_of_that_model(superuser_client, trail):
    users = ContentType.objects.get_for_model(User)
    response = superuser_client.get(LIST.format(lang="en"), {"resource_type": users.pk})
    listed = response.context["cl"].result_list
    assert listed and {entry.content_type_id for entry in listed} == {users.pk}


def test_resource_type_that_is_no_id_lists_nothing(superuser_client, trail):
    response = superuser_client.get(LIST.format(lang="en"), {"resource_type": "abc"})
    assert response.status_code == 200
    assert not response.context["cl"].result_list


def test_correlation_id_links_to_the_entries_of_that_request(superuser_client, trail):
    page = superuser_client.get(LIST.format(lang="kk")).content.decode()
    assert '<a href="?cid=c0ffee-42" title="Осы корреляция идентификаторы' in page
    response = superuser_client.get(LIST.format(lang="kk"), {"cid": "c0ffee-42"})
    assert list(response.context["cl"].result_list) == [trail["groups"]]


def test_entry_page_tables_many_to_many_changes_in_the_language(superuser_client, trail):
    text = page_text(superuser_client, DETAIL.format(lang="kk", pk=trail["groups"].pk))
    assert "Байланыс" in text  # "Relationship"
    assert "Топтар" in text  # the field's verbose name, not "groups"
    assert "қосу" in text  # "added", not the code "add"
    assert "Clerks" in text and "Desk" in text


def test_entry_page_shows_no_more_than_the_library_did(superuser_client, trail):
    page = superuser_client.get(DETAIL.format(lang="en", pk=trail["groups"].pk))
    content = page.content.decode()
    assert "c0ffee-42" in content
    assert "192.0.2.77" not in content
    assert "note-not-shown" not in content


def test_entries_are_read_only(superuser_client, trail):
    pk = trail["region"].pk
    assert superuser_client.get("/en/admin/auditlog/logentry/add/").status_code == 403
    assert superuser_client.post(f"/en/admin/auditlog/logentry/{pk}/delete/").status_code == 403
    page = superuser_client.get(DETAIL.format(lang="en", pk=pk))
    assert page.context["adminform"].form.fields == {}  # every field shown read-only


def test_search_finds_entries_by_object(superuser_client, trail):
    response = superuser_client.get(LIST.format(lang="en"), {"q": "aigerim"})
    listed = response.context["cl"].result_list
    assert listed and all(entry.object_repr == "aigerim" for entry in listed)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_staff_without_the_permission_are_refused(client, trail, lang):
    client.force_login(StaffUserFactory())  # CEC staff: no permission on the audit log
    assert client.get(LIST.format(lang=lang)).status_code == 403
    assert client.get(DETAIL.format(lang=lang, pk=trail["region"].pk)).status_code == 403


def test_signed_in_non_staff_are_sent_to_sign_in(client, trail):
    client.force_login(UserFactory())
    response = client.get(LIST.format(lang="kk"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_with_the_view_permission_read_the_log(client, trail):
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="auditlog", codename="view_logentry")
    )
    client.force_login(reader)
    assert client.get(LIST.format(lang="kk")).status_code == 200
    assert client.get(DETAIL.format(lang="kk", pk=trail["region"].pk)).status_code == 200


@pytest.mark.parametrize(
    ("lang", "kind"),
    [("kk", "Республикалық маңызы бар қала"), ("ru", "Город республиканского значения")],
)
def test_an_objects_audit_history_tables_changes_as_the_log_does(superuser_client, lang, kind):
    region = RegionFactory(kind=RegionKind.OBLAST)
    region.kind = RegionKind.CITY
    region.save()
    text = page_text(superuser_client, f"/{lang}/admin/commissions/region/{region.pk}/auditlog/")
    assert kind in text  # a choice by its label, not "city"
    assert not words(text, (*CODE_WORDS, "Field", "From", "To", "oblast", "city"))
    assert ".None" not in text  # a reverse relation's manager, as the library records it


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_filters_are_titled_alike_and_the_correlation_filter_shows_only_when_chosen(
    superuser_client, trail, lang
):
    """Django titles a field's filter "By action"; ours read the same way ("By resource type",
    not "By Resource Type"), and the correlation id's filter, which has no choices of its own,
    appears only once an id is chosen from the list (its "All" leaves it)."""
    with translation.override(lang):
        by_type = str(translation.gettext(" By %(filter_title)s ")) % {
            "filter_title": translation.gettext("resource type")
        }
        by_cid = str(translation.gettext(" By %(filter_title)s ")) % {
            "filter_title": translation.gettext("correlation ID")
        }
    text = page_text(superuser_client, LIST.format(lang=lang))
    assert by_type.strip() in text
    assert by_cid.strip() not in text
    chosen = page_text(superuser_client, LIST.format(lang=lang) + "?cid=c0ffee-42")
    assert by_cid.strip() in chosen
    assert "c0ffee-42" in chosen


def test_entry_page_names_a_related_row_not_only_its_key(superuser_client):
    observer = ObserverFactory()
    election = observer.election
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(observer),
        object_pk=str(observer.pk),
        object_id=observer.pk,
        object_repr=str(observer),
        action=LogEntry.Action.UPDATE,
        changes={"election": ["999999", str(election.pk)]},
    )
    text = page_text(superuser_client, DETAIL.format(lang="en", pk=entry.pk))
    assert f"{election} ({election.pk})" in text
    assert "999999" in text  # a row that is gone keeps its key
