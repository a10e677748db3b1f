"""Browser: the console with authentication on (the key lives in sessionStorage, sent as X-API-Key)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import API_KEY, LiveServer, screenshot

pytestmark = pytest.mark.browser


def use_key(page: Any, key: str) -> None:
    page.fill("#api-key", key)
    page.click("#save-key")


def test_key_required_rejected_then_accepted(page: Any, auth_server: LiveServer, browser: Any) -> None:
    page.goto(auth_server.url + "/#jobs")
    page.wait_for_function("() => document.querySelector('#auth-state').textContent === 'key required'")
    assert "Authentication is on" in page.inner_text("#banner")
    page.wait_for_selector("#jobs-error:not(.hidden)")
    assert "unauthorized 401" in page.inner_text("#jobs-error")
    screenshot(page, "auth-required")

    use_key(page, "wrong-key")
    page.wait_for_function("() => document.querySelector('#auth-state').textContent === 'key rejected'")
    assert "rejected" in page.inner_text("#banner")

    use_key(page, API_KEY)
    page.wait_for_selector("#jobs-error.hidden", state="attached")
    page.wait_for_function("() => document.querySelector('#auth-state').textContent === 'key in use'")
    assert page.locator("#banner").is_hidden()
    assert page.evaluate("() => sessionStorage.getItem('veil.apiKey')") == API_KEY
    assert page.input_value("#api-key") == ""  # the field is cleared; the key is not shown again

    # the key survives a reload of the tab ...
    page.goto(auth_server.url + "/#audit")
    page.wait_for_selector("#audit-table tbody tr[data-entry-id]")
    assert page.locator("#audit-error").is_hidden()
    principals = set(page.locator("#audit-table tbody tr[data-entry-id] td:nth-child(3)").all_inner_texts())
    assert principals and "anonymous" not in principals and "local" not in principals

    # ... but not another tab's session, and "Forget" drops it
    other = browser.new_context().new_page()
    other.goto(auth_server.url + "/#jobs")
    other.wait_for_selector("#jobs-error:not(.hidden)")
    assert other.evaluate("() => sessionStorage.getItem('veil.apiKey')") is None
    other.context.close()
    page.click("#forget-key")
    assert page.evaluate("() => sessionStorage.getItem('veil.apiKey')") is None


def test_text_playground_with_a_key(page: Any, auth_server: LiveServer) -> None:
    page.goto(auth_server.url + "/#text")
    use_key(page, API_KEY)
    page.fill("#text-input", "Hi John, my name is Grace.")
    page.click("#text-run")
    page.wait_for_selector("#text-results:not([hidden])", timeout=60_000)
    assert page.inner_text("#text-redacted") == "Hi [NAME_1], my name is [NAME_2]."


def test_a_feature_outside_the_tier_names_the_tier_it_needs(page: Any, auth_server: LiveServer) -> None:
    free = auth_server.services.auth.create_key("console-free", tier="free")["key"]
    page.goto(auth_server.url + "/#linkage")
    use_key(page, free)
    page.wait_for_function("() => document.querySelector('#auth-state').textContent === 'key in use'")
    page.click("#link-refresh")
    page.wait_for_function("() => document.querySelector('#link-list-error').textContent.includes('403')")
    error = page.inner_text("#link-list-error")
    assert "tier_restricted 403" in error
    assert "This needs the standard tier (your key: free)." in error
    screenshot(page, "auth-tier")
