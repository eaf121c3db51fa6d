"""The admin reads in Kazakh and Russian: no English left from Django's admin, authentication,
forms, django-auditlog or django-axes, Kazakh nouns singular after a numeral, and model names kept
in the nominative where a Russian verb would need another case (locale/framework)."""

import gettext
import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from tests.core.factories import UserFactory
from tests.observers.factories import ObserverFactory

pytestmark = pytest.mark.django_db

FRAMEWORK = settings.BASE_DIR / "locale" / "framework"

# What a reader saw in English on the Kazakh and Russian admin before locale/framework.
LEFT_IN_ENGLISH = (
    "Select",
    "to view",
    "to change",
    "View site",
    "Show counts",
    "Hide counts",
    "Start typing to filter",
    "Audit log",
    "Log out",
    "Filter",
    "Recent actions",
    "My actions",
    "Change password",
    "Skip to main content",
    "Toggle theme",
    "Clear all filters",
)

PAGES = (
    "/{lang}/admin/",
    "/{lang}/admin/observers/observer/",
    "/{lang}/admin/observers/observer/{observer}/change/",
    "/{lang}/admin/core/job/",
    # A filter chosen and the counts shown: "Clear all filters", "Hide counts".
    "/{lang}/admin/core/job/?_facets=True&status__exact=queued",
    "/{lang}/admin/auditlog/logentry/",
    "/{lang}/admin/password_change/",
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{[^{}]*\}")


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and the attributes a
    browser shows or reads out (titles, placeholders, labels, button captions)."""

    SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.pieces = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attrs = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.pieces.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.pieces.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.pieces.append(data)


def visible_text(response) -> list[str]:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return [" ".join(p.split()) for p in parser.pieces if p.strip()]


def framework_catalog(lang: str, domain: str = "django") -> dict:
    with open(FRAMEWORK / lang / "LC_MESSAGES" / f"{domain}.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def _english_pattern(msgid: str):
    """A message as it reads on a page, its placeholders standing for any text; None for one
    that is mostly placeholders (it would match anything)."""
    words = PLACEHOLDER.sub("", msgid)
    if len(re.findall(r"[A-Za-z]", words)) < 3:
        return None
    parts = PLACEHOLDER.split(msgid.strip())
    # A piece may carry a sign before or after it ("✖ Clear all filters").
    return re.compile(r"\W*" + ".+?".join(re.escape(p) for p in parts) + r"\W*\Z")


def _admin_messages():
    """The English messages of the framework's Kazakh catalog (the admin's, authentication's,
    forms', django-auditlog's and django-axes'), as (msgid, plural msgid or None)."""
    messages = {}
    for key in framework_catalog("kk"):
        if isinstance(key, tuple):
            continue
        if key and "\x04" not in key:
            messages[key] = None
    for singular, plural in _plural_messages("kk"):
        messages[singular] = plural
    return messages


def _plural_messages(lang: str):
    """(singular, plural) msgids of the framework catalog's plural entries."""
    path = FRAMEWORK / lang / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")
    return re.findall(r'^msgid "(.+)"\nmsgid_plural "(.+)"$', text, re.M)


def _translates(ours: dict, msgid: str, plural: str | None) -> bool:
    """Whether the framework catalog, or else the active language's catalogs, translate it."""
    if plural:
        return (
            ours.get((msgid, 0), msgid) != msgid or translation.ngettext(msgid, plural, 1) != msgid
        )
    return ours.get(msgid, msgid) != msgid or translation.gettext(msgid) != msgid


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def pages(superuser_client):
    """Every page of the list, as a reader sees it in one language."""
    observers = ObserverFactory.create_batch(3)

    def render(lang: str) -> dict[str, list[str]]:
        seen = {}
        for page in PAGES:
            url = page.format(lang=lang, observer=observers[0].pk)
            response = superuser_client.get(url)
            assert response.status_code == 200, url
            seen[page] = visible_text(response)
        return seen

    return render


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_admin_pages_show_none_of_the_english_the_desk_reported(pages, lang):
    shown = pages(lang)
    english = pages("en")
    for page, pieces in shown.items():
        text = "\n".join(pieces)
        # The phrase is on the English page, so its absence here is a translation, not chance.
        reported = [p for p in LEFT_IN_ENGLISH if p in "\n".join(english[page])]
        left = [phrase for phrase in reported if phrase in text]
        assert not left, (page, left)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_framework_message_on_an_admin_page_is_translated(pages, lang):
    """Each piece of the English page that is one of the framework's messages (its placeholders
    filled) and has a translation in this language reads differently on this language's page."""
    english = pages("en")
    shown = pages(lang)
    messages = _admin_messages()
    ours = framework_catalog(lang)
    with translation.override(lang):
        translated = {
            msgid: _english_pattern(msgid)
            for msgid, plural in messages.items()
            if _translates(ours, msgid, plural)
        }
    checked = 0
    for page, english_pieces in english.items():
        on_english_page = {
            msgid: pattern
            for msgid, pattern in translated.items()
            if pattern is not None and any(pattern.match(piece) for piece in english_pieces)
        }
        checked += len(on_english_page)
        left = sorted(
            {
                piece
                for piece in shown[page]
                for pattern in on_english_page.values()
                if pattern.match(piece)
            }
        )
        assert not left, (page, left)
    # The pages do show the framework's messages: the check above is not vacuous.
    assert checked > 50


@pytest.mark.parametrize(
    ("lang", "title", "add"),
    [
        ("kk", "Өзгерту үшін таңдаңыз: байқаушы", "Қосу: байқаушы"),
        ("ru", "Выберите для изменения: наблюдатель", "Добавить: наблюдатель"),
    ],
)
def test_changelist_names_the_model_in_the_nominative(superuser_client, lang, title, add):
    ObserverFactory()
    response = superuser_client.get(f"/{lang}/admin/observers/observer/")
    text = visible_text(response)
    assert title in text
    assert add in text


def test_audit_log_is_named_in_kazakh_and_russian(superuser_client):
    for lang, name in (("kk", "Аудит журналы"), ("ru", "Журнал аудита")):
        text = visible_text(superuser_client.get(f"/{lang}/admin/"))
        assert name in text, lang


def test_javascript_catalog_holds_the_admin_widgets_kazakh(superuser_client):
    response = superuser_client.get("/kk/admin/jsi18n/")
    found = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S)
    catalog = json.loads(found.group(1))
    assert catalog["Filter"] == "Сүзгі"
    assert catalog["Choose all %s"] == "Барлығын таңдау: %s"
    assert catalog["Type into this box to filter down the list of available %s."] == (
        "Қолжетімділер тізімін сүзу үшін осы өріске теріңіз (%s)."
    )
    assert catalog["Today"] == "Бүгін"
    assert catalog["January"] == "Қаңтар"
    # A noun after a numeral stays singular in Kazakh: one phrase for both forms.
    assert catalog["%(sel)s of %(cnt)s selected"] == [
        "%(cnt)s ішінен %(sel)s таңдалды",
        "%(cnt)s ішінен %(sel)s таңдалды",
    ]


def test_kazakh_noun_after_a_numeral_is_singular():
    with translation.override("kk"):
        assert (
            translation.ngettext("%(counter)s result", "%(counter)s results", 5) % {"counter": 5}
            == "5 нәтиже"
        )
        assert translation.ngettext("entry", "entries", 5) == "жазба"
        assert translation.ngettext("%(num)d day", "%(num)d days", 3) % {"num": 3} == "3 күн"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_kazakh_plural_entry_has_one_phrase_for_every_number(domain):
    catalog = framework_catalog("kk", domain)
    forms = {}
    for key, value in catalog.items():
        # "All 5 selected": the English plural adds a word, not only a plural ending.
        if isinstance(key, tuple) and key[0] != "%(total_count)s selected":
            forms.setdefault(key[0], []).append(value)
    assert forms
    differing = {msgid: values for msgid, values in forms.items() if len(set(values)) != 1}
    assert not differing


def test_search_counts_results_with_a_singular_noun_in_kazakh(superuser_client):
    ObserverFactory.create_batch(5, first_name_latin="Zhanna")
    ObserverFactory(first_name_latin="Maria")
    response = superuser_client.get("/kk/admin/observers/observer/?q=Zhanna")
    assert "5 нәтиже" in "\n".join(visible_text(response))


def test_catalogs_keep_kazakh_words_for_for_and_filter():
    """«үшін» (for) and «сүзгі» (filter), where Django's own Kazakh wrote «үщін» and «Сүзгіз»."""
    catalog = framework_catalog("kk")
    assert catalog["Filter"] == "Сүзгі"
    assert "үшін" in catalog["Select %s to change"]
    assert not [s for s in catalog.values() if "үщін" in s or "Сүзгіз" in s]


# English that no catalog could reach, the libraries writing it without gettext, and what the
# project put in its place: its own admin of django-auditlog's LogEntry (core.admin_audit, with
# its own tests in tests/core/test_audit_admin.py), an AppConfig naming django-axes, an override
# of admin/search_form.html.
HARD_CODED_ENGLISH = [
    pytest.param("/kk/admin/auditlog/logentry/", "Correlation ID", id="auditlog-column"),
    pytest.param("/kk/admin/auditlog/logentry/", "system", id="auditlog-actor"),
    pytest.param("/kk/admin/auditlog/logentry/", " changes: ", id="auditlog-summary"),
    pytest.param("/kk/admin/auditlog/logentry/", "?resource_type=", id="auditlog-resource-filter"),
]


def test_the_sign_in_protection_and_the_search_icon_read_kazakh(superuser_client):
    ObserverFactory()
    index = "\n".join(visible_text(superuser_client.get("/kk/admin/")))
    assert "Axes" not in index
    assert (
        'alt="Search"' not in superuser_client.get("/kk/admin/observers/observer/").content.decode()
    )


@pytest.mark.parametrize(("url", "english"), HARD_CODED_ENGLISH)
def test_hard_coded_english_is_gone(superuser_client, url, english):
    ObserverFactory()
    response = superuser_client.get(url)
    if english.startswith("?"):
        # The filter names a model by its code name ("user"), not its verbose name.
        page = response.content.decode()
        assert not re.search(r'\?resource_type=\d+">[a-z]+</a>', page)
        return
    page = (
        response.content.decode()
        if english.startswith("alt=")
        else "\n".join(visible_text(response))
    )
    assert english not in page


def test_sign_in_error_is_kazakh(client):
    response = client.post("/kk/admin/login/", {"username": "nobody", "password": "wrong"})
    assert (
        "Қызметкер тіркелгісінің дұрыс пайдаланушы аты мен құпиясөзін енгізіңіз. "
        "Екі өрісте де бас және кіші әріптер ажыратылуы мүмкін."
    ) in visible_text(response)


@pytest.mark.parametrize(
    ("lang", "required", "correct"),
    [
        ("kk", "Бұл өрісті толтыру міндетті.", "Төмендегі қателерді түзетіңіз."),
        ("ru", "Обязательное поле.", "Пожалуйста, исправьте ошибки ниже."),
    ],
)
def test_a_form_with_errors_says_so_in_the_language(superuser_client, lang, required, correct):
    response = superuser_client.post(f"/{lang}/admin/core/agency/add/", {})
    text = visible_text(response)
    assert required in text
    assert correct in text


def test_javascript_catalog_keeps_the_russian_selector_in_the_nominative(superuser_client):
    response = superuser_client.get("/ru/admin/jsi18n/")
    found = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S)
    catalog = json.loads(found.group(1))
    # "Выбрать все %s" read "Выбрать все группы" but "Выбрать все наблюдатели".
    assert catalog["Choose all %s"] == "Выбрать все: %s"
    assert catalog["Type into this box to filter down the list of available %s."] == (
        "Начните вводить текст в этом поле, чтобы отфильтровать список доступных элементов («%s»)."
    )


def test_list_filters_of_django_filter_read_kazakh():
    """django-filter ships no Kazakh: its messages come from locale/framework."""
    with translation.override("kk"):
        assert translation.gettext("Multiple values may be separated by commas.") == (
            "Бірнеше мәнді үтірмен бөліп жазуға болады."
        )
        assert translation.gettext("%s (descending)") % "аты" == "аты (кему ретімен)"


@pytest.mark.parametrize(
    ("lang", "count_line", "wrong"),
    [
        ("kk", "Байқаушылар: 12", "12 байқаушылар"),
        ("ru", "Наблюдатели: 12", "12 наблюдатели"),
        ("en", "Observers: 12", None),
    ],
)
def test_the_changelist_count_needs_no_plural_after_a_numeral(
    superuser_client, lang, count_line, wrong
):
    """Django writes "12 наблюдатели"; a noun after a numeral takes a form the admin cannot
    choose, so the count is written after the list's name."""
    ObserverFactory.create_batch(12)
    text = "\n".join(visible_text(superuser_client.get(f"/{lang}/admin/observers/observer/")))
    assert count_line in text
    if wrong:
        assert wrong not in text.lower()


@pytest.mark.parametrize("model", ["votinghoursdecision", "territoryrule"])
def test_the_stations_picker_clears_with_a_kazakh_title(superuser_client, model):
    from django.contrib.staticfiles import finders

    page = superuser_client.get(f"/kk/admin/polling/{model}/add/").content.decode()

    assert 'lang="kk"' in page
    assert "admin/js/vendor/select2/i18n/kk.js" in page
    script = finders.find("admin/js/vendor/select2/i18n/kk.js")
    with open(script, encoding="utf-8") as file:
        text = file.read()
    assert 'removeAllItems:function(){return"Барлығын алып тастау"}' in text
    assert 'define("select2/i18n/kk"' in text
