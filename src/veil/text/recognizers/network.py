"""MAC addresses and the IPv6 forms the generic IP pattern misses.

- MAC (EUI-48 / EUI-64) in colon, hyphen or Cisco dot notation: ``NUMERICAL_PII`` (a device
  identifier; the entity list has no MAC type). Hex pairs with at least one letter or a
  ``mac``/``hardware``/``device`` cue, so "12:30:45:10:20:30"-like timestamps need the cue.
- machine names (``DESKTOP-7QK2M4R``, ``JSMITH-LT``, a name after "hostname:"):
  ``NUMERICAL_PII``, since they often hold their user's name;
- IP networks in CIDR notation and IPv6 with a fully written embedded IPv4;
- IPv6 short forms: loopback ``::1``, a trailing ``::`` (``2001:db8::``), a zone index
  (``fe80::1%eth0``), an embedded IPv4 (``::ffff:192.0.2.1``); every candidate is checked
  with :mod:`ipaddress`, so it ranks as ``validated``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from veil.text.recognizers.base import ALL_LANGUAGES, cue_before, recognizer
from veil.text.spans import Span

HEX2 = r"[0-9A-Fa-f]{2}"
MAC = re.compile(
    rf"(?<![\w:.-])(?:{HEX2}([:-]){HEX2}(?:\1{HEX2}){{4}}(?:(?:\1{HEX2}){{2}})?"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:.-]|[.:-]\w)"
)
MAC_CUE = re.compile(r"(?i)\b(?:mac|hardware|device|physical|ethernet|wi-?fi|bssid|eui)\b")
IPV6 = re.compile(
    r"(?<![\w:.%])(?:[0-9A-Fa-f]{1,4}:){0,7}(?::|[0-9A-Fa-f]{1,4})?:(?::?[0-9A-Fa-f]{1,4}){0,7}"
    r"(?::(?:\d{1,3}\.){3}\d{1,3})?(?:%[0-9A-Za-z_.-]+)?(?![\w:]|\.\w)"
)


CIDR = re.compile(
    r"(?<![\w:.])(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f:]*::?[0-9A-Fa-f:.]*)/\d{1,3}(?![\w/])"
)
FULL_EMBEDDED = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){6}(?:\d{1,3}\.){3}\d{1,3}(?![\w.:])")


@recognizer("ip_network", "IP_ADDRESS", languages=ALL_LANGUAGES)
def find_ip_networks(text: str) -> Iterator[Span]:
    """A network in CIDR notation ("192.168.1.0/24", "2001:db8::/32") and an IPv6 address with
    an embedded IPv4 written in full ("0:0:0:0:0:FFFF:129.144.52.38"), checked with ipaddress."""
    if "/" in text:
        for m in CIDR.finditer(text):
            try:
                ipaddress.ip_network(m.group(), strict=False)
            except ValueError:
                continue
            yield Span(m.start(), m.end(), "IP_ADDRESS", 0.9, "validated")
    if text.count(":") >= 6:
        for m in FULL_EMBEDDED.finditer(text):
            try:
                ipaddress.IPv6Address(m.group())
            except ValueError:
                continue
            yield Span(m.start(), m.end(), "IP_ADDRESS", 0.9, "validated")


# Windows/corporate machine names, which often hold their user's name: "DESKTOP-7QK2M4R",
# "JSMITH-LT", "LAPTOP-ANNA01"; any name after a host cue ("hostname: ws-berg-02")
MACHINE = re.compile(
    r"(?<![\w.-])(?:(?:DESKTOP|LAPTOP|WIN|PC|WS|NB)-[A-Z0-9]{4,15}|[A-Z][A-Z0-9]{2,14}-(?:LT|PC|WS|DT|NB|MBP|MAC|LAPTOP|DESKTOP)\d{0,3})(?![\w-]|\.\w)"
)
HOST_AFTER_CUE = re.compile(
    r"(?i)\b(?:host\s?name|computer\s+name|machine(?:\s+name)?|device\s+name|workstation|host)\s*[:=]?\s*"
    r"(?P<value>(?=[A-Za-z0-9-]*[A-Za-z])(?=[A-Za-z0-9-]*[\d-])[A-Za-z0-9][A-Za-z0-9-]{2,30}[A-Za-z0-9])(?![\w-]|\.\w)"
)


@recognizer("machine_name", "NUMERICAL_PII", languages=ALL_LANGUAGES)
def find_machine_names(text: str) -> Iterator[Span]:
    if "-" not in text:
        return
    for m in MACHINE.finditer(text):
        yield Span(m.start(), m.end(), "NUMERICAL_PII", 0.7, "pattern")
    for m in HOST_AFTER_CUE.finditer(text):
        yield Span(m.start("value"), m.end("value"), "NUMERICAL_PII", 0.7, "context")


@recognizer("mac_address", "NUMERICAL_PII", languages=ALL_LANGUAGES)
def find_macs(text: str) -> Iterator[Span]:
    if ":" not in text and "-" not in text and "." not in text:
        return
    for m in MAC.finditer(text):
        value = m.group()
        if any(c.isalpha() for c in value) or cue_before(text, m.start(), MAC_CUE, 40):
            yield Span(m.start(), m.end(), "NUMERICAL_PII", 0.85, "validated")


@recognizer("ipv6_short", "IP_ADDRESS", languages=ALL_LANGUAGES)
def find_ipv6_short(text: str) -> Iterator[Span]:
    if "::" not in text and "%" not in text:
        return
    for m in IPV6.finditer(text):
        value = m.group()
        if value.count(":") < 2 or not any(c.isdigit() for c in value):
            continue  # "a::b", "std::vector"-like code is not an address
        address, _, zone = value.partition("%")
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            continue
        end = m.end() if zone else m.start() + len(address)
        yield Span(m.start(), end, "IP_ADDRESS", 0.9, "validated")
