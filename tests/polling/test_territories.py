"""Territories: which station serves an address, street search, and the rules that keep one
station per address (polling.addresses, polling.selectors, polling.services)."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from commissions.choices import MemberRole
from core.choices import Role
from polling.addresses import building_key, street_key
from polling.choices import LocalityKind, Parity, RuleKind
from polling.models import RANGE_ORDER, RULE_SHAPE, STATION_OTHER_REGION, Street, TerritoryRule
from polling.selectors import station_for_address, streets_matching, unserved_addresses
from polling.services import (
    RULE_OVERLAP,
    TERRITORY_OUTSIDE_SCOPE,
    street_create,
    street_update,
    territory_rule_create,
    territory_rule_delete,
    territory_rule_update,
)
from tests.commissions.factories import (
    CecFactory,
    CommissionMemberFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import UserFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)

pytestmark = pytest.mark.django_db


def station_in(region):
    return PollingStationFactory(precinct_commission__parent__region=region)


def rule(street, kind=RuleKind.STREET, station=None, **fields):
    station = station or station_in(street.locality.region)
    return TerritoryRuleFactory(street=street, station=station, kind=kind, **fields)


# BUILDING NUMBERS AND STREET KEYS


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("12", "12"),
        ("12А", "12A"),  # Cyrillic А
        ("12A", "12A"),  # Latin A
        ("12 а", "12A"),
        ("12-А", "12A"),
        ("12Б", "12Б"),  # no Latin look-alike: kept
        ("12/1", "12/1"),
        ("12А/1", "12A/1"),
        ("12 корпус 2", "12/2"),
        ("12 корп. 2", "12/2"),
        ("12к2", "12/2"),
        ("１２А", "12A"),  # full-width digits
        ("д. 5", "5"),
    ],
)
def test_building_numbers_are_read_in_every_usual_spelling(typed, key):
    assert building_key(typed) == key


@pytest.mark.parametrize("typed", ["", "abc", "0", "12//", "А12"])
def test_a_text_that_is_no_building_number_is_refused(typed):
    with pytest.raises(ValidationError):
        building_key(typed)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ул. Абая", "Абай көшесі"),
        ("Абай көшесі", "Abay"),
        ("ABAI", "абай"),
        ("проспект Достық", "Dostyk ave."),
        ("Қонаев көшесі", "Конаев"),
        ("Ёлочная", "Елочная"),
    ],
)
def test_street_keys_fold_languages_types_and_lookalikes(one, other):
    first, second = street_key(one), street_key(other)
    assert first.startswith(second) or second.startswith(first)


# WHICH STATION SERVES AN ADDRESS


def test_a_single_building_beats_a_range_which_beats_the_street_which_beats_the_locality():
    street = StreetFactory()
    region = street.locality.region
    whole_locality = TerritoryRuleFactory(
        street=None, locality=street.locality, kind=RuleKind.LOCALITY
    ).station
    whole_street = rule(street).station
    in_range = rule(street, RuleKind.RANGE, number_from=10, number_to=20).station
    single = rule(street, RuleKind.BUILDING, building="12А", station=station_in(region)).station

    assert station_for_address(street=street, building="12а") == single
    assert station_for_address(street=street, building="12") == in_range
    assert station_for_address(street=street, building="30") == whole_street
    assert station_for_address(street=StreetFactory(locality=street.locality)) == whole_locality
    assert station_for_address(locality=street.locality) == whole_locality


def test_odd_and_even_sides_go_to_their_own_stations():
    street = StreetFactory()
    odd = rule(street, parity=Parity.ODD).station
    even = rule(street, parity=Parity.EVEN).station

    assert station_for_address(street=street.pk, building="7") == odd
    assert station_for_address(street=street.pk, building="8") == even
    assert station_for_address(street=street.pk, building="7Б") == odd


def test_a_building_with_a_letter_or_block_is_inside_the_range_of_its_number():
    street = StreetFactory()
    station = rule(street, RuleKind.RANGE, number_from=10, number_to=14, parity=Parity.EVEN).station

    assert station_for_address(street=street, building="12А") == station
    assert station_for_address(street=street, building="12/1") == station
    assert station_for_address(street=street, building="14 корпус 2") == station
    assert station_for_address(street=street, building="13") is None
    assert station_for_address(street=street, building="16") is None


def test_a_single_building_rule_serves_that_building_only():
    street = StreetFactory()
    station = rule(street, RuleKind.BUILDING, building="12/1").station

    assert station_for_address(street=street, building="12 корп 1") == station
    assert station_for_address(street=street, building="12") is None
    assert station_for_address(street=street, building="12А") is None


def test_an_address_no_rule_covers_has_no_station():
    street = StreetFactory()

    assert station_for_address(street=street, building="1") is None
    assert station_for_address(locality=LocalityFactory(kind=LocalityKind.VILLAGE)) is None
    assert station_for_address() is None


def test_a_street_without_a_building_number_is_served_only_by_a_both_sides_rule():
    street = StreetFactory()
    rule(street, parity=Parity.ODD)

    assert station_for_address(street=street) is None


def test_the_lookup_is_one_query_whatever_the_rules(django_assert_num_queries):
    street = StreetFactory()
    rule(street, RuleKind.RANGE, number_from=1, number_to=99)
    TerritoryRuleFactory(street=None, locality=street.locality, kind=RuleKind.LOCALITY)

    with django_assert_num_queries(1):
        station = station_for_address(street=street.pk, building="12А")
        assert station.region.name  # the region (its zone) comes with it

    with django_assert_num_queries(1):
        station_for_address(locality=street.locality.pk)


# STREET SEARCH


def test_a_street_is_found_by_its_former_name_in_russian():
    street = StreetFactory(name="Абай көшесі", names=["ул. Ленина"])

    found = streets_matching("Ленина")

    assert found == [street]
    assert found[0].matched_name == "ул. Ленина"


@pytest.mark.parametrize("typed", ["Абай", "абая", "Abay", "ABAI", "ул. Аба"])
def test_a_street_is_found_by_a_prefix_in_kazakh_russian_or_latin(typed):
    street = StreetFactory(name="Абай көшесі", names=["улица Абая"])

    assert streets_matching(typed) == [street]


def test_streets_are_listed_in_the_alphabet_of_the_language_then_by_pk():
    locality = LocalityFactory()
    later = StreetFactory(locality=locality, name="Қабанбай батыр")
    first = StreetFactory(locality=locality, name="Кабанбай")
    StreetFactory(name="Кабанбай батыр")  # another locality

    with translation.override("kk"):
        assert streets_matching("каб", locality=locality) == [first, later]


def test_the_typeahead_is_two_queries(django_assert_num_queries):
    for number in range(5):
        StreetFactory(name=f"Абай {number}")

    with django_assert_num_queries(2):
        assert len(streets_matching("абай", limit=3)) == 3


# SERVICES: SCOPE, AUDIT, OVERLAP


def staff_of(commission, role):
    user = UserFactory(role=role, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def new_rule(street, station, **fields):
    fields.setdefault("kind", RuleKind.STREET)
    return TerritoryRule(station=station, street=street, locality=street.locality, **fields)


def test_territorial_staff_give_their_regions_station_a_street_as_the_audited_actor():
    street = StreetFactory()
    territorial = TerritorialCommissionFactory(region=street.locality.region)
    actor = staff_of(territorial, Role.TERRITORIAL_STAFF)
    station = PollingStationFactory(precinct_commission__parent=territorial)

    rule = territory_rule_create(actor=actor, rule=new_rule(street, station))

    entry = LogEntry.objects.get_for_object(rule).get(action=LogEntry.Action.CREATE)
    assert entry.actor == actor


def test_cec_staff_give_territory_anywhere():
    street = StreetFactory()
    actor = staff_of(CecFactory(), Role.CEC_STAFF)

    territory_rule_create(actor=actor, rule=new_rule(street, station_in(street.locality.region)))

    assert TerritoryRule.objects.count() == 1


@pytest.mark.parametrize("who", ["territorial_other", "precinct", "public"])
def test_others_cannot_give_territory(who):
    street = StreetFactory()
    station = station_in(street.locality.region)
    actor = {
        "territorial_other": lambda: staff_of(
            TerritorialCommissionFactory(), Role.TERRITORIAL_STAFF
        ),
        "precinct": lambda: staff_of(station.precinct_commission, Role.PRECINCT_MEMBER),
        "public": lambda: UserFactory(),
    }[who]()

    with pytest.raises(PermissionDenied, match=str(TERRITORY_OUTSIDE_SCOPE)):
        territory_rule_create(actor=actor, rule=new_rule(street, station))

    assert not TerritoryRule.objects.exists()


@pytest.mark.parametrize("who", ["territorial_other", "precinct", "public"])
def test_others_cannot_change_or_delete_territory(who):
    existing = TerritoryRuleFactory()
    actor = {
        "territorial_other": lambda: staff_of(
            TerritorialCommissionFactory(), Role.TERRITORIAL_STAFF
        ),
        "precinct": lambda: staff_of(existing.station.precinct_commission, Role.PRECINCT_MEMBER),
        "public": lambda: UserFactory(),
    }[who]()

    with pytest.raises(PermissionDenied):
        territory_rule_update(actor=actor, rule=existing, parity=Parity.ODD)
    with pytest.raises(PermissionDenied):
        territory_rule_delete(actor=actor, rule=existing)

    existing.refresh_from_db()
    assert existing.parity == Parity.BOTH


def test_a_territorial_staff_member_cannot_move_a_rule_to_another_regions_station():
    existing = TerritoryRuleFactory()
    territorial = existing.station.precinct_commission.parent
    actor = staff_of(territorial, Role.TERRITORIAL_STAFF)

    with pytest.raises(ValidationError):
        territory_rule_update(actor=actor, rule=existing, station=PollingStationFactory())


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ({"kind": RuleKind.STREET}, {"kind": RuleKind.STREET, "parity": Parity.ODD}),
        (
            {"kind": RuleKind.RANGE, "number_from": 1, "number_to": 20},
            {"kind": RuleKind.RANGE, "number_from": 20, "number_to": 40},
        ),
        (
            {"kind": RuleKind.RANGE, "number_from": 1, "number_to": 21, "parity": Parity.ODD},
            {"kind": RuleKind.RANGE, "number_from": 21, "number_to": 41, "parity": Parity.BOTH},
        ),
        (
            {"kind": RuleKind.BUILDING, "building": "12А"},
            {"kind": RuleKind.BUILDING, "building": "12a"},
        ),
    ],
)
def test_a_rule_overlapping_another_stations_is_refused_naming_that_station(existing, new):
    street = StreetFactory()
    other = TerritoryRuleFactory(street=street, **existing).station

    with pytest.raises(ValidationError) as refused:
        territory_rule_create(
            actor=None, rule=new_rule(street, station_in(street.locality.region), **new)
        )

    assert refused.value.messages == [str(RULE_OVERLAP).format(number=other.number)]
    assert TerritoryRule.objects.count() == 1


def test_a_whole_locality_given_twice_is_refused_naming_the_station():
    locality = LocalityFactory(kind=LocalityKind.VILLAGE)
    other = TerritoryRuleFactory(street=None, locality=locality, kind=RuleKind.LOCALITY).station
    rule = TerritoryRule(
        station=station_in(locality.region), locality=locality, kind=RuleKind.LOCALITY
    )

    with pytest.raises(ValidationError) as refused:
        territory_rule_create(actor=None, rule=rule)

    assert refused.value.messages == [str(RULE_OVERLAP).format(number=other.number)]


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ({"parity": Parity.ODD}, {"parity": Parity.EVEN}),
        (
            {"kind": RuleKind.RANGE, "number_from": 1, "number_to": 19},
            {"kind": RuleKind.RANGE, "number_from": 20, "number_to": 40},
        ),
        (
            {"kind": RuleKind.RANGE, "number_from": 11, "number_to": 11, "parity": Parity.ODD},
            {"kind": RuleKind.RANGE, "number_from": 10, "number_to": 12, "parity": Parity.EVEN},
        ),
        ({}, {"kind": RuleKind.BUILDING, "building": "12"}),  # an exception to the street
        (
            {"kind": RuleKind.BUILDING, "building": "12"},
            {"kind": RuleKind.BUILDING, "building": "12А"},
        ),
    ],
)
def test_rules_sharing_no_address_at_one_level_are_accepted(existing, new):
    street = StreetFactory()
    TerritoryRuleFactory(street=street, **existing)

    territory_rule_create(
        actor=None, rule=new_rule(street, station_in(street.locality.region), **new)
    )

    assert TerritoryRule.objects.count() == 2


def test_a_station_in_another_region_cannot_serve_the_locality():
    street = StreetFactory()

    with pytest.raises(ValidationError) as refused:
        territory_rule_create(actor=None, rule=new_rule(street, PollingStationFactory()))

    assert refused.value.message_dict["station"] == [str(STATION_OTHER_REGION)]


def test_a_rules_shape_is_checked():
    street = StreetFactory()
    rule = new_rule(street, station_in(street.locality.region), kind=RuleKind.RANGE, number_from=5)

    with pytest.raises(ValidationError, match=str(RULE_SHAPE)):
        territory_rule_create(actor=None, rule=rule)


def test_a_range_runs_upwards():
    street = StreetFactory()
    rule = new_rule(
        street,
        station_in(street.locality.region),
        kind=RuleKind.RANGE,
        number_from=20,
        number_to=10,
    )

    with pytest.raises(ValidationError, match=str(RANGE_ORDER)):
        territory_rule_create(actor=None, rule=rule)


def test_a_street_is_created_with_its_names_searchable():
    locality = LocalityFactory()
    street = Street(locality=locality, name_kk="Абай көшесі", name_ru="улица Абая")

    street_create(actor=None, street=street, former_names=["ул. Ленина", "Lenin street"])

    names = {(n.language, n.kind, n.key) for n in street.names.all()}
    assert names == {
        ("kk", "current", "abai"),
        ("ru", "current", "abaia"),
        ("ru", "former", "lenina"),
        ("en", "former", "lenin"),
    }


# THE UNSERVED REPORT


def test_the_unserved_report_lists_streets_sides_and_stretches_no_station_serves():
    locality = LocalityFactory()
    bare = StreetFactory(locality=locality, name="Абай")
    odd_only = StreetFactory(locality=locality, name="Бейбітшілік")
    ranged = StreetFactory(locality=locality, name="Достық")
    served = StreetFactory(locality=locality, name="Жамбыл")
    TerritoryRuleFactory(street=odd_only, parity=Parity.ODD)
    TerritoryRuleFactory(street=ranged, kind=RuleKind.RANGE, number_from=1, number_to=9)
    TerritoryRuleFactory(
        street=ranged, kind=RuleKind.RANGE, number_from=15, number_to=21, parity=Parity.ODD
    )
    TerritoryRuleFactory(street=served)

    with translation.override("kk"):
        report = unserved_addresses(locality)

    assert [(r.street, r.parity, r.number_from, r.number_to) for r in report] == [
        (bare, Parity.BOTH, None, None),
        (odd_only, Parity.EVEN, None, None),
        (ranged, Parity.ODD, 11, 13),
        (ranged, Parity.ODD, 23, None),
        (ranged, Parity.EVEN, 10, None),
    ]


def test_a_locality_served_whole_has_nothing_unserved():
    street = StreetFactory()
    TerritoryRuleFactory(street=None, locality=street.locality, kind=RuleKind.LOCALITY)

    assert unserved_addresses(street.locality) == []


def test_a_renamed_street_is_still_found_by_its_old_name():
    street = Street(locality=LocalityFactory(), name_kk="Ленин көшесі", name_ru="улица Ленина")
    street_create(actor=None, street=street)

    street_update(actor=None, street=street, name_kk="Абай көшесі", name_ru="улица Абая")

    assert streets_matching("Ленина") == [street]
    assert streets_matching("Абая") == [street]
    assert street.names.get(key="lenina").kind == "former"


@pytest.mark.parametrize("typed", ["Абай к", "Абай көш", "Абая ули", "абай ул.", "Abai k"])
def test_a_street_type_word_being_typed_keeps_the_streets_offered(typed):
    """Suggestions do not vanish while the voter types "көшесі" or "улица" after the name."""
    street = StreetFactory(name="Абай көшесі", names=["улица Абая"])
    other = StreetFactory(name="Абай Кунанбаев")

    found = streets_matching(typed)

    assert street in found
    if typed.lower() == "абай к":
        assert other in found  # the name may go on with that letter: still offered


def test_a_word_of_the_name_is_still_a_word_of_the_name():
    StreetFactory(name="Абай көшесі")
    other = StreetFactory(name="Абай Кунанбаев")

    assert streets_matching("Абай Кунан") == [other]


@pytest.mark.parametrize(("typed", "kind"), [("Абай көш", "street"), ("проспект Аб", "avenue")])
def test_a_whole_type_word_typed_keeps_the_streets_of_that_kind(typed, kind):
    avenue = StreetFactory(name="Абай даңғылы", names=["проспект Абая"])
    street = StreetFactory(name="Абай көшесі", names=["улица Абая"])

    assert streets_matching(typed) == [{"street": street, "avenue": avenue}[kind]]
    assert set(streets_matching("Абай")) == {avenue, street}
