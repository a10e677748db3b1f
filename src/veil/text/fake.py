"""Fake replacements that keep the form of the original entity.

A phone stays phone-shaped, a card number stays Luhn-valid, a date keeps its format, a
name keeps its number of words and its capitalisation. With a pseudonym secret the
generator for each entity is seeded from HMAC(secret, label + text), so the same entity
gets the same fake in every request without any stored table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
import re
import threading
from functools import lru_cache
from importlib import resources

from faker import Faker
from stdnum import iban, luhn

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y",
    "%m/%d/%y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%m-%d-%Y", "%d-%m-%Y", "%Y/%m/%d", "%B %d, %Y",
    "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y",
    "%B %d", "%b %d", "%d %B", "%A", "%A, %B %d, %Y", "%Y",
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORIGINS = ("American", "Canadian", "Mexican", "Brazilian", "British", "Irish", "French", "German", "Spanish",
           "Italian", "Dutch", "Swedish", "Polish", "Greek", "Turkish", "Egyptian", "Nigerian", "Kenyan",
           "Indian", "Chinese", "Japanese", "Korean", "Vietnamese", "Australian", "Argentinian")
EVENTS = ("the Spring Festival", "the Summer Games", "the Harvest Fair", "the Winter Gala", "the City Marathon")


@lru_cache(maxsize=1)
def _pools() -> dict[str, list[str]]:
    raw = json.loads(resources.files("veil.text").joinpath("data/vocabulary.json").read_text("utf-8"))
    pools: dict[str, list[str]] = {}
    for label, spec in raw.items():
        if label.startswith("_"):
            continue
        pools[label] = [*spec.get("any_case", []), *spec.get("cased", []), *spec.get("cue_cased", [])]
    pools["ORIGIN"] = list(ORIGINS)
    pools["EVENT"] = list(EVENTS)
    return pools


_local = threading.local()


def _faker(locale: str) -> Faker:
    """One Faker per thread and locale: Faker instances are re-seeded per entity, not shareable."""
    cache: dict[str, Faker] | None = getattr(_local, "fakers", None)
    if cache is None:
        cache = _local.fakers = {}
    if locale not in cache:
        cache[locale] = Faker(locale)
    return cache[locale]


class FakeFactory:
    """Makes fakes for one request; relationships are kept per (label, text) when asked."""

    def __init__(
        self,
        *,
        locale: str = "en_US",
        secret: bytes | None = None,
        preserve_relationships: bool = True,
        seed: int | None = None,
    ) -> None:
        self.faker = _faker(locale)
        self.secret = secret
        self.preserve = preserve_relationships
        self._rng = random.Random(seed)
        self._cache: dict[tuple[str, str], str] = {}
        self._occurrence = 0

    def use_locale(self, locale: str) -> None:
        """Switch the language of new fakes (a linked batch of messages in several languages);
        fakes already made for an entity are kept, so relationships hold across messages."""
        self.faker = _faker(locale)

    def fake(self, label: str, text: str) -> str:
        key = (label, " ".join(text.casefold().split()))
        if self.preserve and key in self._cache:
            return self._cache[key]
        self._occurrence += 1
        if self.secret is not None:
            material = f"{label}\x00{key[1]}"
            if not self.preserve:
                material += f"\x00{self._occurrence}"
            digest = hmac.new(self.secret, material.encode("utf-8"), hashlib.sha256).digest()
            seed = int.from_bytes(digest[:8], "big")
        else:
            seed = self._rng.getrandbits(64)
        rng = random.Random(seed)
        self.faker.seed_instance(seed)
        value = self._generate(label, text, rng)
        if value == text and any(ch.isalnum() for ch in text):
            value = _shape(text, rng, keep_first=False)
        if self.preserve:
            self._cache[key] = value
        return value

    def _generate(self, label: str, text: str, rng: random.Random) -> str:
        f = self.faker
        if label.startswith("NAME"):
            return _case_like(text, _fake_name(f, label, text))
        if label == "LOCATION_COUNTRY":
            return _case_like(text, f.country())
        if label == "LOCATION_STATE":
            return _case_like(text, f.state() if hasattr(f, "state") else f.city())
        if label in ("LOCATION", "LOCATION_CITY"):
            return _case_like(text, f.city())
        if label in ("LOCATION_ADDRESS", "LOCATION_ADDRESS_STREET"):
            return _case_like(text, f.street_address()) if any(c.isalpha() for c in text) else _shape(text, rng)
        if label == "LOCATION_COORDINATE":
            return f"{f.latitude():.5f}, {f.longitude():.5f}"
        if label == "ORGANIZATION_MEDICAL_FACILITY":
            return f"{f.city()} General Hospital"
        if label == "ORGANIZATION":
            return _case_like(text, f.company())
        if label == "EMAIL_ADDRESS":
            return f.email()
        if label == "URL":
            if re.match(r"(?i)https?://|www\.", text):
                return f.url()
            return f.domain_name()
        if label == "USERNAME":
            return ("@" if text.startswith("@") else "") + f.user_name()
        if label == "PASSWORD":
            return f.password(length=max(6, len(text)))
        if label == "IP_ADDRESS":
            return f.ipv6() if ":" in text else f.ipv4_public()
        if label == "CREDIT_CARD":
            return _luhn_shape(text, rng)
        if label == "BANK_ACCOUNT" and iban.is_valid(text):
            return _iban_like(text, rng)
        if label == "SSN" and re.fullmatch(r"\d{3}-\d{2}-\d{4}", text):
            return f"{rng.randint(100, 665):03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}"
        if label in ("DATE", "DOB"):
            return _fake_date(text, rng, dob=label == "DOB")
        if label == "TIME":
            return _fake_time(text, rng)
        if label == "AGE" and text.isdigit():
            return str(rng.randint(18, 89)) if len(text) == 2 else _shape(text, rng)
        if label == "TITLE":
            return _case_like(text, f.prefix() if text.endswith(".") else f.prefix().rstrip("."))
        if label == "OCCUPATION":
            return _case_like(text, f.job().split(",")[0])
        pool = _pools().get(label)
        if pool:
            choices = [p for p in pool if p.casefold() != text.casefold()] or pool
            return _case_like(text, rng.choice(choices))
        return _shape(text, rng)


def _fake_name(f: Faker, label: str, text: str) -> str:
    words = text.split()
    if label == "NAME_FAMILY":
        return f.last_name()
    if len(words) == 1:
        return f.first_name()
    parts = [f.first_name()]
    for w in words[1:-1]:
        parts.append(f"{f.random_uppercase_letter()}." if len(w) <= 2 or w.endswith(".") else f.first_name())
    parts.append(f.last_name())
    return " ".join(parts)


def _case_like(original: str, value: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return value.upper()
    if letters and all(c.islower() for c in letters):
        return value.lower()
    return value


def _shape(text: str, rng: random.Random, keep_first: bool = True) -> str:
    """Same characters classes in the same places: digits -> digits, letters -> letters."""
    out = []
    for i, ch in enumerate(text):
        if ch.isdigit():
            if keep_first and i == 0 and text.startswith("0"):
                out.append("0")
            else:
                out.append(str(rng.randint(1 if i == 0 else 0, 9)))
        elif ch.isalpha() and ch.isascii():
            letter = chr(rng.randint(ord("a"), ord("z")))
            out.append(letter.upper() if ch.isupper() else letter)
        else:
            out.append(ch)
    return "".join(out)


def _luhn_shape(text: str, rng: random.Random) -> str:
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    chars = list(text)
    for n, i in enumerate(positions[:-1]):
        chars[i] = text[i] if n == 0 else str(rng.randint(0, 9))
    body = "".join(chars[i] for i in positions[:-1])
    chars[positions[-1]] = luhn.calc_check_digit(body)
    return "".join(chars)


def _iban_like(text: str, rng: random.Random) -> str:
    compact = iban.compact(text)
    bban = _shape(compact[4:], rng, keep_first=False).upper()
    check = iban.calc_check_digits(compact[:2] + "00" + bban)
    new = compact[:2] + check + bban
    if " " in text:
        return " ".join(new[i : i + 4] for i in range(0, len(new), 4))
    return new


def _random_date(rng: random.Random, dob: bool) -> dt.datetime:
    start = dt.datetime(1940 if dob else 1990, 1, 1)
    end = dt.datetime(2005 if dob else 2030, 12, 31)
    seconds = rng.randint(0, int((end - start).total_seconds()))
    return start + dt.timedelta(seconds=seconds)


def _fake_date(text: str, rng: random.Random, dob: bool) -> str:
    for fmt in DATE_FORMATS:
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        value = _random_date(rng, dob).strftime(fmt)
        if "%d" in fmt and not re.search(r"\b0\d", text) and re.search(r"\b0\d", value):
            value = re.sub(r"\b0(\d)", r"\1", value)
        return value
    value = re.sub(
        r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
        lambda m: _case_like(m.group(), _abbrev(rng.choice(MONTHS), len(m.group()))),
        text,
    )
    value = re.sub(r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", lambda m: rng.choice(WEEKDAYS), value)
    return _shape(value, rng) if any(c.isdigit() for c in value) else value


def _abbrev(month: str, length: int) -> str:
    return month[:3] if length <= 4 else month


def _fake_time(text: str, rng: random.Random) -> str:
    for fmt in TIME_FORMATS:
        try:
            dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        value = dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        out = dt.datetime.combine(dt.date(2000, 1, 1), value).strftime(fmt)
        if fmt.startswith("%I") and not text.startswith("0"):
            out = out.lstrip("0")
        return out
    return _shape(text, rng)
