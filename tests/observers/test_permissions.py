"""Who may call the observers' endpoints: the public pages and statistics, the missions' API
(nominations, batches, photos, badges), the desk's admin (generated cases: tests/permissions.py).

Nominations are not public: a mission's token reads and writes its own bodies' (agency A holds
body A), the ministry's `read:all` token reads all, territorial staff read their region's
associations' (body A is in region A), the CEC everything."""

import io

from PIL import Image

from observers.models import NominationBatch, Observer
from tests.observers.factories import person
from tests.permissions import (
    ADMIN,
    PAGE,
    Endpoint,
    admin_endpoints,
    default_state,
    permission_test,
    world,  # noqa: F401 (the module's world)
)

READERS = ("cec", "territorial", "token", "token_read_all")
NO_READ = ("signed_in", "precinct", "token_noscope")
OTHERS = ("territorial_other", "token_other")
OBSERVER = "/api/v1/observers/{observer_a.pk}/"


def nominee(n):
    fields = person(n)
    return {**fields, "date_of_birth": fields["date_of_birth"].isoformat()}


def nomination(w):
    return {"election": w.election.pk, "body": w.body_a.pk, **nominee(10)}


def batch(w):
    return {
        "election": w.election.pk,
        "body": w.body_a.pk,
        "reference": "Note 1",
        "observers": [nominee(11), nominee(12)],
    }


def nominations(w):
    return Observer.objects.count(), NominationBatch.objects.count(), default_state(w)


def jpeg():
    image = io.BytesIO()
    Image.new("RGB", (400, 500), "gray").save(image, "JPEG")
    image.seek(0)
    image.name = "photo.jpg"
    return image


def with_photo(w):
    from observers import services

    services.observer_photo_set(actor=None, observer=w.observer_a, upload=jpeg())


ENDPOINTS = [
    # Public pages and statistics.
    Endpoint("observers:observer_list", "/en/observers/", kind=PAGE, public=True),
    Endpoint("observers:revoked_list", "/en/observers/revoked/", kind=PAGE, public=True),
    Endpoint("observers:stats", "/en/observers/stats/", kind=PAGE, public=True),
    Endpoint("observers:stats_csv", "/en/observers/stats.csv", kind=PAGE, public=True),
    Endpoint("observers:stats_xlsx", "/en/observers/stats.xlsx", kind=PAGE, public=True),
    Endpoint("observers:observer_list_csv", "/en/observers/observers.csv", kind=PAGE, public=True),
    Endpoint(
        "observers:observer_list_xlsx", "/en/observers/observers.xlsx", kind=PAGE, public=True
    ),
    Endpoint("observers:revoked_list_csv", "/en/observers/revoked.csv", kind=PAGE, public=True),
    Endpoint("observers:revoked_list_xlsx", "/en/observers/revoked.xlsx", kind=PAGE, public=True),
    Endpoint("observers:stats_json", "/en/observers/stats.json", kind=PAGE, public=True),
    Endpoint(
        "observers:verify",
        "/en/observers/verify/{observer_a.verification_code}/",
        kind=PAGE,
        public=True,
    ),
    Endpoint(
        "observers-api:observer_stats",
        "/api/v1/observers/stats/",
        public=True,
        allowed=("token_noscope",),
        data=lambda w: {"election": w.election.pk},
    ),
    Endpoint(
        "observers-api:nominatingbody-list",
        "/api/v1/nominating-bodies/",
        public=True,
        allowed=("token_other", "precinct"),
        row="body_a",
    ),
    Endpoint(
        "observers-api:nominatingbody-detail",
        "/api/v1/nominating-bodies/{body_a.pk}/",
        public=True,
        allowed=("token_other",),
    ),
    # Nominations.
    Endpoint(
        "observers-api:observer-list",
        "/api/v1/observers/",
        allowed=READERS,
        denied=NO_READ,
        out_of_scope=OTHERS,
        row="observer_a",
    ),
    Endpoint(
        "observers-api:observer-list",
        "/api/v1/observers/",
        methods=("POST",),
        allowed=("cec", "token"),
        denied=("signed_in", "precinct", "territorial", "token_noscope", "token_read_all"),
        out_of_scope=("token_other",),
        row="observer_a",
        data=nomination,
        state=nominations,
    ),
    Endpoint(
        "observers-api:observer-detail",
        OBSERVER,
        allowed=READERS,
        denied=NO_READ,
        out_of_scope=OTHERS,
    ),
    Endpoint(
        "observers-api:observer-detail",
        "/api/v1/observers/{pending_a.pk}/",
        methods=("PATCH",),
        allowed=("cec", "token"),
        denied=("signed_in", "precinct", "territorial", "token_noscope", "token_read_all"),
        out_of_scope=("token_other",),
        data=lambda w: {"first_name_latin": "Aruzhan"},
    ),
    Endpoint(
        "observers-api:observer-photo",
        "/api/v1/observers/{pending_a.pk}/photo/",  # a decided nomination's is the desk's alone
        methods=("PUT",),
        format="multipart",
        allowed=("cec", "token"),
        denied=("signed_in", "precinct", "territorial", "token_noscope", "token_read_all"),
        out_of_scope=("token_other",),
        data=lambda w: {"photo": jpeg()},
        state=lambda w: Observer.objects.get(pk=w.pending_a.pk).photo.name,
    ),
    Endpoint(
        "observers-api:nominationbatch-list",
        "/api/v1/observers/batches/",
        allowed=READERS,
        denied=NO_READ,
        out_of_scope=OTHERS,
        row="batch_a",
    ),
    Endpoint(
        "observers-api:nominationbatch-list",
        "/api/v1/observers/batches/",
        methods=("POST",),
        allowed=("cec", "token"),
        denied=("signed_in", "precinct", "territorial", "token_noscope", "token_read_all"),
        out_of_scope=("token_other",),
        row="batch_a",
        data=batch,
        state=nominations,
    ),
    Endpoint(
        "observers-api:nominationbatch-detail",
        "/api/v1/observers/batches/{batch_a.pk}/",
        allowed=READERS,
        denied=NO_READ,
        out_of_scope=OTHERS,
    ),
    # Badges.
    Endpoint(
        "observers-api:badge",
        OBSERVER + "badge/",
        allowed=READERS,
        denied=NO_READ,
        out_of_scope=OTHERS,
    ),
    Endpoint(
        "observers-api:badge_job",
        "/api/v1/observers/badge-jobs/",
        methods=("POST",),
        allowed=("cec", "territorial", "token"),
        denied=("signed_in", "precinct", "token_noscope"),
        out_of_scope=("token_other", "territorial_other"),
        row="body_a",
        status=202,
        data=lambda w: {"election": w.election.pk, "body": w.body_a.pk},
    ),
    # The desk's admin.
    *admin_endpoints(
        "observers.nominatingbody",
        edit={},
        row="body_a",
        view=("cec", "territorial", "superuser"),
        add=("cec", "territorial", "territorial_other", "superuser"),
        change=("cec", "territorial", "superuser"),
        delete=("cec", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
    *admin_endpoints(
        "observers.observer",
        edit={},
        row="observer_a",
        view=("cec", "territorial", "superuser"),
        add=("cec", "superuser"),
        change=("cec", "superuser"),
        delete=("superuser",),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
    *admin_endpoints(
        "observers.nominationbatch",
        edit={},
        row="batch_a",
        view=("cec", "territorial", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
    ),
    Endpoint(
        "admin:observers_observer_upload",
        "/en/admin/observers/observer/upload/",
        kind=ADMIN,
        allowed=("cec", "superuser"),
        denied=("signed_in", "territorial", "precinct"),
    ),
    Endpoint(
        "admin:observers_observer_upload",
        "/en/admin/observers/observer/upload/",
        methods=("POST",),
        kind=ADMIN,
        denied=("signed_in", "territorial", "precinct"),
        data=lambda w: {"election": w.election.pk, "body": w.body_a.pk},
        state=nominations,
    ),
    Endpoint(
        "admin:observers_observer_upload_template",
        "/en/admin/observers/observer/upload/template.csv",
        kind=ADMIN,
        allowed=("cec", "superuser"),
        denied=("signed_in", "territorial", "precinct"),
    ),
    Endpoint(
        "admin:observers_observer_photo",
        "/en/admin/observers/observer/{observer_a.pk}/photo/",
        kind=ADMIN,
        allowed=("cec", "territorial", "superuser"),
        denied=("signed_in", "precinct"),
        out_of_scope=("territorial_other",),
        prepare=with_photo,
    ),
    Endpoint(
        "admin:observers_observer_decide",
        "/en/admin/observers/observer/{pending_a.pk}/decide/refuse/",
        kind=ADMIN,
        allowed=("cec", "superuser"),
        denied=("signed_in", "territorial", "precinct"),
    ),
    Endpoint(
        "admin:observers_observer_decide",
        "/en/admin/observers/observer/{pending_a.pk}/decide/accredit/",
        methods=("POST",),
        status=302,
        kind=ADMIN,
        allowed=("cec", "superuser"),
        denied=("signed_in", "territorial", "precinct"),
        data=lambda w: {"apply": "yes"},
        state=lambda w: Observer.objects.get(pk=w.pending_a.pk).status,
    ),
]

test_permissions = permission_test(ENDPOINTS)
