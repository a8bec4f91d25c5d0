"""What the browser tests share: Debian's Chromium driven by Playwright, and a Jupyter server on 127.0.0.1 to open.

As servers.py starts PostgreSQL and Dask for the tests that need them, this starts what the browser tests open; each
test module keeps its own fixtures (their scope and folders are its own) and calls these.
"""
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's (make browser): no browser download works here
CHROMIUM_FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium (make browser)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def chromium_context(profile):
    """A headless Chromium with its profile in the folder `profile`, as a Playwright browser context."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM,
                                                                headless=True, args=CHROMIUM_FLAGS)
        try:
            yield context
        finally:
            context.close()


@contextlib.contextmanager
def chromium():
    """A headless Chromium with a profile of Playwright's for each context, as a Playwright browser."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def jupyter_server(program, root, environment, log, arguments=(), what="the Jupyter server", stop_seconds=15):
    """The venv's `program` (jupyter-server, jupyter-lab) on 127.0.0.1 with a token of its own, rooted at `root`,
    its output in the file `log`; (base URL, token) once it answers. It is stopped as Ctrl-C stops it (its kernels
    shut down with it), killed if it has not stopped after `stop_seconds`."""
    port, token = free_port(), secrets.token_hex(16)
    with open(log, "w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / program), "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={root}", *arguments],
            cwd=root, env=environment, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start:\n{Path(log).read_text()}") from None
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(stop_seconds)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
