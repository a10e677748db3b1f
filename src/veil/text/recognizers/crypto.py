"""Cryptocurrency wallet addresses, reported as ``ACCOUNT_NUMBER`` (the entity list has no
wallet type; an address is the account its owner is paid into).

- Bitcoin legacy and P2SH (``1...``, ``3...``): base58check, the double-SHA-256 checksum;
- Bitcoin SegWit and Taproot (``bc1...``): the bech32 / bech32m checksum (BIP 173 / 350);
- Ethereum (``0x`` + 40 hex digits): by shape (the EIP-55 capitalisation checksum needs
  Keccak-256, which the standard library lacks; a wrong capitalisation is masked all the same).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from veil.text.recognizers.base import ALL_LANGUAGES, recognizer
from veil.text.spans import Span

LABEL = "ACCOUNT_NUMBER"
B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B58_INDEX = {c: i for i, c in enumerate(B58_ALPHABET)}
BASE58 = re.compile(r"(?<![\w])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![\w])")
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32 = re.compile(r"(?<![\w])(?:bc|tb)1[02-9ac-hj-np-z]{8,87}(?![\w])|(?<![\w])(?:BC|TB)1[02-9AC-HJ-NP-Z]{8,87}(?![\w])")
ETH = re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")
BECH32_CONST, BECH32M_CONST = 1, 0x2BC830A3


def base58check_ok(value: str) -> bool:
    n = 0
    for c in value:
        n = n * 58 + B58_INDEX[c]
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(value) - len(value.lstrip("1"))) + raw
    if len(raw) != 25:
        return False
    payload, check = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == check


def _polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= generator[i] if (top >> i) & 1 else 0
    return chk


def bech32_ok(value: str) -> bool:
    value = value.lower()
    hrp, _, data = value.rpartition("1")
    if not hrp or len(data) < 6:
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _polymod(expanded + [BECH32_CHARSET.index(c) for c in data]) in (BECH32_CONST, BECH32M_CONST)


@recognizer("crypto_wallet", LABEL, languages=ALL_LANGUAGES)
def find_wallets(text: str) -> Iterator[Span]:
    for m in BASE58.finditer(text):
        if base58check_ok(m.group()):
            yield Span(m.start(), m.end(), LABEL, 0.9, "validated")
    if "1" in text:
        for m in BECH32.finditer(text):
            if bech32_ok(m.group()):
                yield Span(m.start(), m.end(), LABEL, 0.9, "validated")
    if "0x" in text:
        for m in ETH.finditer(text):
            yield Span(m.start(), m.end(), LABEL, 0.8, "pattern")
