"""Who is asking the dashboard: the Host and Origin a local page must have, the host names a server
answers to, and the visitor's address behind trusted proxies only (the share limits count by it).
The last test drives a real browser: a DNS name pointed at 127.0.0.1 (DNS rebinding) gets no staff page."""

from __future__ import annotations

import pytest
from ui.client import allowed_host, client_address, client_key, same_machine_request

from browser_support import browser_page, dashboard, needs_chromium
from disclosure_check.store.store import Store


@pytest.mark.parametrize("host, origin, local", [
    (None, None, True),  # no browser at all (a test harness inside this process)
    ("localhost:8501", "http://localhost:8501", True),
    ("127.0.0.1:8501", "http://127.0.0.1:8501", True),
    ("[::1]:8501", "http://[::1]:8501", True),
    ("localhost:8501", None, True),
    ("127.0.0.5:8501", "http://127.0.0.5:8501", True),
    ("evil.example:8501", "http://evil.example:8501", False),  # DNS rebinding: a name of its own at 127.0.0.1
    ("localhost:8501", "http://localhost:3000", False),  # a page on another local port
    ("localhost:8501", "http://evil.example", False),
    ("localhost:8501", "null", False),  # a sandboxed frame or a file:// page
    ("localhost:8501", "file://localhost:8501", False),
    ("192.168.1.4:8501", "http://192.168.1.4:8501", False),
    ("localhost.evil.example:8501", "http://localhost.evil.example:8501", False),
    ("localhost:notaport", None, False),
])
def test_only_a_page_of_this_local_server_is_local(host, origin, local):
    assert same_machine_request(host, origin) is local


def test_allowed_host_names():
    assert allowed_host("anything.example", "")  # none named: any
    assert allowed_host("review.example.org:443", "review.example.org, other.example")
    assert allowed_host("localhost:8501", "review.example.org")  # health checks on the machine itself
    assert not allowed_host("evil.example", "review.example.org")
    assert not allowed_host("review.example.org.evil.example", "review.example.org")


def test_the_visitors_address_is_believed_from_a_trusted_proxy_only():
    # a script sending its own X-Forwarded-For straight to the server: the connection's address counts
    assert client_address("203.0.113.9", "1.2.3.4", trusted="") == "203.0.113.9"
    assert client_address("203.0.113.9", "1.2.3.4", trusted="10.0.0.2") == "203.0.113.9"
    # behind the proxy (on this machine: Streamlit reports loopback as None), the nearest untrusted hop
    assert client_address(None, "6.6.6.6, 198.51.100.7", trusted="127.0.0.1") == "198.51.100.7"
    assert client_address("10.0.0.2", "198.51.100.7, 10.0.0.3", trusted="10.0.0.2,10.0.0.3") == "198.51.100.7"
    assert client_address(None, None, trusted="127.0.0.1") == "127.0.0.1"
    # a proxy on this machine, named in any loopback spelling (Streamlit reports its connection as no address)
    assert client_address(None, "198.51.100.7", trusted="::1") == "198.51.100.7"
    assert client_address(None, "198.51.100.7", trusted="localhost") == "198.51.100.7"
    assert client_address(None, "198.51.100.7", trusted="") == "127.0.0.1"
    assert client_address("::ffff:10.0.0.2", "198.51.100.7", trusted="10.0.0.2") == "198.51.100.7"
    assert client_key("198.51.100.7") == client_key("198.51.100.7") != client_key("198.51.100.8")
    # one IPv6 subscriber holds a whole /64: changing the last 64 bits is not a new visitor
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9") != client_key("2001:db8:1:3::1")
    assert "198.51.100.7" not in client_key("198.51.100.7")


@needs_chromium
@pytest.mark.slow
def test_a_dns_name_pointed_at_this_machine_gets_no_staff_page(tmp_path, scored_sample):
    """Local use without accounts: the same server, reached as localhost, shows the staff Overview;
    reached through a name the browser resolves to 127.0.0.1, it asks for a sign-in instead."""
    db = tmp_path / "local.db"
    with Store(db) as store:
        store.save(scored_sample("lv_2018"))
    with dashboard(db) as url, browser_page(1200, 900, "--host-resolver-rules=MAP rebind.example 127.0.0.1") as page:
        port = url.rsplit(":", 1)[1]
        page.goto(f"http://localhost:{port}/")
        page.get_by_text("Theme levels by organisation").wait_for(timeout=60000)
        page.goto(f"http://rebind.example:{port}/")
        page.get_by_text("Staff sign-in").wait_for(timeout=60000)
        assert page.get_by_text("Theme levels by organisation").count() == 0
    with dashboard(db, DISCLOSURE_CHECK_ALLOWED_HOSTS="review.example.org") as url, \
            browser_page(1200, 900, "--host-resolver-rules=MAP rebind.example 127.0.0.1") as page:
        page.goto(f"http://rebind.example:{url.rsplit(':', 1)[1]}/")
        page.get_by_text("This dashboard does not answer to this address.").wait_for(timeout=60000)
