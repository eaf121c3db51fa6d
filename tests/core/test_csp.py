"""The content security policy headers built once (core.csp) are django-csp's own."""

import pytest
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from core.csp import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _answer(middleware_class, *, path="/kk/", status=200, nonce=False, **attributes):
    def view(request):
        response = HttpResponse("x", status=status)
        if nonce:
            response.content = str(request.csp_nonce).encode()
        for name, value in attributes.items():
            setattr(response, name, value)
        return response

    middleware = middleware_class(view)
    response = middleware(RequestFactory().get(path))
    return {header: response.get(header) for header in HEADERS}


CASES = {
    "plain": {},
    "a nonce used": {"nonce": True},
    "a policy of its own": {"_csp_update": {"img-src": ["https://tiles.example"]}},
    "replaced": {"_csp_replace": {"script-src": None}},
    "exempt": {"_csp_exempt": True},
    "a 404": {"status": 404},
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_headers_are_django_csps(case):
    kwargs = CASES[case]
    ours, theirs = _answer(CSPMiddleware, **kwargs), _answer(DjangoCSPMiddleware, **kwargs)
    assert ours == theirs  # (the settings put no nonce in the policy: the same text)
    if case == "plain":
        assert "default-src 'self'" in ours["Content-Security-Policy"]


def test_a_changed_setting_is_followed(settings):
    before = _answer(CSPMiddleware)["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after = _answer(CSPMiddleware)
    assert after == _answer(DjangoCSPMiddleware)
    assert after["Content-Security-Policy"] != before


def test_a_nonce_asked_for_after_the_header_is_an_error():
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/kk/")
    CSPMiddleware(lambda r: HttpResponse("x"))(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
