"""Fixtures of the console tests: a real uvicorn server on a free loopback port and Chromium.

The browser tests drive Debian's Chromium (``/usr/bin/chromium``, installed by
``scripts/install-browser.sh``) through the Python ``playwright`` package; Playwright never
downloads a browser of its own. Without the browser (or the package) the tests skip with
the reason, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
API_KEY = "console-test-key-0123456789"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the web console in Debian's Chromium with Playwright")


def browser_unavailable(chromium: str = CHROMIUM) -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(chromium).exists():
        return f"{chromium} is missing: run scripts/install-browser.sh (as root: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright; never 'playwright install')"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    app: Any

    @property
    def services(self) -> Any:
        return self.app.state.services


def settings_for(data_dir: Path, **overrides: Any) -> Any:
    from veil.settings import Settings

    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": None,
        "workers": 2,
        "auth": "off",
        "api_keys": None,
        "log_format": "console",
        "log_level": "WARNING",
    }
    values.update(overrides)
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("VEIL_"):
                mp.delenv(name)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _serve(data_dir: Path, **overrides: Any) -> Iterator[LiveServer]:
    import uvicorn

    from veil.api import create_app

    app = create_app(settings_for(data_dir, **overrides))
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Veil with auth off on a free loopback port (one per session), SQLite in a temporary dir."""
    yield from _serve(tmp_path_factory.mktemp("console-open"))


@pytest.fixture(scope="package")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Veil with auth on (one API key, ``API_KEY``)."""
    yield from _serve(tmp_path_factory.mktemp("console-auth"), auth="on", api_keys=API_KEY)


def require_browser(chromium: str = CHROMIUM) -> None:
    """Skip (locally) or fail (CI=true) when the browser tests cannot run."""
    reason = browser_unavailable(chromium)
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser tests must run in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class PageErrors:
    """Uncaught script errors and Content-Security-Policy violations seen by a page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and "Failed to load resource" not in text:
            self.errors.append(f"console: {text}")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own sessionStorage) and page; fails on script errors."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    # generous: the first page of a run also starts the browser's renderer, which on a busy
    # 2-core machine has taken over 20 s (a CI run with other jobs on the machine)
    context.set_default_timeout(60_000)
    pg = context.new_page()
    errors = PageErrors(pg)
    pg.on("dialog", lambda dialog: dialog.accept())
    try:
        yield pg
    finally:
        context.close()
    assert not errors.errors, errors.errors


SCREENSHOT_DIR = os.environ.get("VEIL_CONSOLE_SCREENSHOTS")


def screenshot(page: Any, name: str) -> None:
    """Full-page screenshot into $VEIL_CONSOLE_SCREENSHOTS (development aid; off by default)."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)
