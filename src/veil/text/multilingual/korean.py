"""Korean: morphemes from Kiwi (no MeCab), proper nouns typed by gazetteers, suffixes and cues.

Kiwi (kiwipiepy + kiwipiepy-model, Apache-2.0) splits an eojeol such as "김철수는" into
"김철수"/NNP + "는"/JX with character offsets, so entity spans are built from noun morphemes
only and particles (조사, tags J*) and copulas stay outside (김철수는 -> 김철수, 서울에서 -> 서울).

Candidates:
- runs of proper nouns (NNP) and of nouns Kiwi does not know (its guessed, form-less
  dictionary ids: mostly names, 곽부성, 노다메), glued or after one space (foreign names,
  address chains 부산시 사하구 하단동), but never across a Korean-name-shaped word
  (김무성 새누리당); a name Kiwi cut into a family name and pieces (최/NNP 운/NNG 정/NNG) is
  completed to the end of the eojeol's noun part;
- eojeol noun parts of Korean-name shape (family name + two syllables) that Kiwi read as common
  nouns, when the given-name part is rare for Kiwi (이/MM 민정/NNG), or a word Kiwi knows as one
  proper noun when it is given alone (한/MM 지혜/NNG in context, 한지혜/NNP alone);
- a noun part before 씨 or after a role noun (가수, 배우, ...); "A 씨" / "B(44)씨";
- common nouns ending in an organisation suffix (외교부, 보건당국); institutions written as
  common nouns (경찰, 해경); country pairs (한미, 남북: one organisation per syllable);
- Latin acronyms (organisations, minus common technical ones), glued to a noun (SK그룹);
- Chinese characters in parentheses take the label of the entity before them (베이징(北京)).

Typing of a run, in this order: a known company -> organisation; a known short place ->
location; a country; a Korean-name shape (the family name list, given-name endings that are
not place suffixes, no transliteration syllables such as 스/크) -> person; a title after it
(교수, 감독, 씨, ...) -> person unless it carries an organisation suffix (새누리당 의원);
several words with a place word -> location; a gazetteer place; an organisation suffix; a
place suffix on a short word (원주시, 한라산) or a geographic ending (산맥, 해안); an adverbial
particle of place (에서, 로) -> location; otherwise a person (more than half of all entities in
news and reviews are persons). Quoted names with no cue and names right after 영화/드라마/...
are titles of works and dropped; online services (트위터, 유튜브) are not organisations.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from veil.text.multilingual.gazetteers import place_type
from veil.text.multilingual.korean_lexicon import (
    COUNTRY_SYLLABLES,
    FAMILY_NAMES,
    GIVEN_NAME_ENDINGS,
    KIN_TERMS,
    NOT_ORG,
    NOT_ORG_ENDINGS,
    ORG_NAMES,
    ORG_SUFFIXES,
    ORG_WORDS,
    PERSON_AFTER,
    PLACE_NAMES,
    PLACE_SUFFIXES,
    PRODUCTS,
    SERVICES,
    STRONG_ORG_SUFFIXES,
    TEAM_NAMES,
)
from veil.text.nlp_engine import FairLock
from veil.text.spans import Span

NOUN_TAGS = frozenset({"NNP"})


@dataclass(frozen=True)
class Morpheme:
    form: str
    tag: str
    start: int
    end: int
    oov: bool = False  # a noun Kiwi guessed (not in its dictionary): often a name


_kiwi: Any = None
_unknown_ids: frozenset[int] = frozenset()
_lock = threading.Lock()
_run_lock = FairLock()  # Kiwi is not documented as safe for concurrent calls


def _analyzer() -> Any:
    global _kiwi, _unknown_ids
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                kiwi = Kiwi()
                # Kiwi's guessed nouns carry the ids of form-less placeholder morphemes.
                _unknown_ids = frozenset(i for i in range(16) if kiwi.morpheme(i).form == "")
                _kiwi = kiwi
    return _kiwi


def morphemes(text: str) -> list[Morpheme]:
    """Kiwi's morphemes with character offsets into ``text``."""
    kiwi = _analyzer()
    out: list[Morpheme] = []
    # Long texts go in pieces cut after sentence ends: Kiwi's time grows faster than linearly,
    # and the analyser is held one piece at a time (first come, first served), so a short
    # request is not held behind a long one.
    for offset, piece in _pieces(text):
        with _run_lock:
            tokens = kiwi.tokenize(piece)
        for t in tokens:
            start = offset + t.start
            out.append(Morpheme(t.form, t.tag, start, start + t.len, t.id in _unknown_ids))
    return out


PIECE_CHARS = 2000


def _pieces(text: str) -> list[tuple[int, str]]:
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + PIECE_CHARS)
        if end < len(text):
            cut = max(text.rfind(". ", start, end), text.rfind("\n", start, end), text.rfind(" ", start, end))
            if cut > start:
                end = cut + 1
        out.append((start, text[start:end]))
        start = end
    return out


def is_road_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a "…로 12" / "…길 3" street candidate) has its 로/길 inside
    a noun (테헤란로 123) rather than the particle 로/으로 before a number (기준으로 9.1%)."""
    # offsets of the morphemes are relative to the candidate itself
    return not any(m.tag.startswith("J") for m in morphemes(text[start:end]))


def strip_particles(word: str) -> str:
    """The noun part of one eojeol: ``strip_particles("김철수는") == "김철수"``."""
    nouns = [m for m in morphemes(word) if m.tag.startswith("N") or m.tag in ("SL", "SH", "SN")]
    if not nouns:
        return word
    return word[nouns[0].start : nouns[-1].end]


def _type(text: str, run: list[Morpheme], after: Morpheme | None) -> str:
    return _type_why(text, run, after)[0]


def _type_why(text: str, run: list[Morpheme], after: Morpheme | None) -> tuple[str, str]:
    """The label of a run of proper nouns and the rule that decided it."""
    start, end = run[0].start, run[-1].end
    value = text[start:end]
    if value in ORG_NAMES or value in TEAM_NAMES or value in ORG_WORDS:
        return "ORGANIZATION", "org-name"
    if _school(value):
        return "ORGANIZATION", "school"  # 서울고, 단원고, 경기여고: a place and 고 (고등학교)
    kind = place_type(value)
    if value in PLACE_NAMES:
        return kind or "LOCATION", "place-name"
    if kind == "LOCATION_COUNTRY":
        return kind, "country"  # before the name shape: 이라크 is a country, not Mr Lee
    if kind is None and _short_city(value):
        return "LOCATION_CITY", "short-city"  # 원주 (원주시), 용산 (용산구): written without 시/구
    # The usual shape of a Korean name: a one-syllable family name + two syllables. A place or
    # organisation suffix decides only when Kiwi cut it off as its own morpheme (강남/NNP 구/NNG).
    suffix_morpheme = (
        len(run) > 1
        and run[-1].tag == "NNG"
        and run[-1].form in PLACE_SUFFIXES + ORG_SUFFIXES
        and run[-1].form not in GIVEN_NAME_ENDINGS  # 정려/NNP 원/NNG is still a name
    )
    if _name_like(value) and not suffix_morpheme:
        return "NAME", "name-shape"
    org = value in ORG_WORDS or any(
        value.endswith(s) and len(value) > len(s) for s in ORG_SUFFIXES + STRONG_ORG_SUFFIXES
    )
    titled = after is not None and after.start - end <= 1 and after.form in PERSON_AFTER
    if titled and not org:
        return "NAME", "title"  # 박지민 교수; but 새누리당 의원, 서강대 교수 are organisations
    if org and " " in value:
        return "ORGANIZATION", "org-suffix"  # 텍사스 레인저스, 서울 강남 세브란스병원
    if " " in value and (
        _place_word(value.split(" ")[0], strict=True) or _place_word(value.split(" ")[-1], strict=True)
    ):
        return "LOCATION", "place-words"  # 경기도 양평, 일본 오키나와, 서울 강남
    if kind is not None:
        return kind, "gazetteer"
    if (
        len(value) >= 3
        and value[0] in "동서남북"
        and (value[1:] in PLACE_NAMES or place_type(value[1:]) is not None)
    ):
        return "LOCATION", "direction-place"  # 북아프리카, 동일본, 남아메리카
    if org:
        return "ORGANIZATION", "org-suffix"
    if value.endswith(FACILITY_SUFFIXES) and len(run) > 1:
        return "LOCATION", "facility"
    if any(value.endswith(s) and len(value) > len(s) + 1 for s in PLACE_SUFFIXES if len(s) > 1) or (
        value[-1] in PLACE_SUFFIXES and value[-1] not in "리로" and " " not in value and 3 <= len(value) <= 4
    ):
        return "LOCATION", "place-suffix"  # 원주시, 한라산, 대천해수욕장; not 말론브랜도
    if after is not None and after.start == end and after.form in PLACE_PARTICLES and len(value) != 3:
        return "LOCATION", "place-particle"  # 서울에서, 파리로: an adverbial particle of place or direction
    return DEFAULT_LABEL, "default"


DEFAULT_LABEL = "NAME"


# Place and organisation suffixes that are not also common last syllables of given names
# (김민주, 이지원 are names; 원주시, 서초구, 경복궁 are not).
NOT_NAME_ENDINGS = (
    *(x for x in PLACE_SUFFIXES + ORG_SUFFIXES if len(x) > 1 or x not in GIVEN_NAME_ENDINGS),
    "함",  # a warship (천안함), not a given name
)


COUNTRY_NAMES = frozenset(
    {"한국", "북한", "남한", "중국", "미국", "일본", "영국", "독일", "프랑스", "러시아", "대만"}
)


SCHOOL_ENDINGS = ("여고", "여중", "공고", "상고", "고", "중", "초")


def _school(value: str) -> bool:
    """A school named by its place and an abbreviated 고(등학교), 중(학교), 초(등학교)."""
    for x in SCHOOL_ENDINGS:
        stem = value[: -len(x)]
        if value.endswith(x) and len(stem) >= 2 and " " not in value:
            return stem in PLACE_NAMES or place_type(stem) is not None or _short_city(stem)
    return False


def _short_city(value: str) -> bool:
    """A Korean city, county or district name written without its 시/군/구 (원주, 포천, 용산),
    as it usually is: the gazetteer knows the full form."""
    return (
        2 <= len(value) <= 3
        and _syllables(value)
        and " " not in value
        and any(place_type(value + x) == "LOCATION_CITY" for x in "시군구")
    )


def _place_word(word: str, *, strict: bool = False) -> bool:
    """A known place or a word with an administrative suffix. ``strict``: GeoNames' city names
    do not count (their Hangul alternate names include many transliterated given names)."""
    kind = place_type(word)
    if word in PLACE_NAMES or (kind is not None and not (strict and kind == "LOCATION_CITY")):
        return True
    return len(word) >= 3 and word.endswith(("시", "도", "군", "구", "동", "읍", "면"))


NAME_PART_TAGS = frozenset({"NNG", "NNP", "NR"})
# What else Kiwi makes of the syllables of a given name after a family name (엄/XR 태/NNG 웅/NNP).
NAME_PIECE_TAGS = frozenset({"XSN", "XR", "MAG", "MM", "NNB", "XPN"})


ACRONYM = re.compile(r"[A-Z][A-Z0-9&]+")


def _country_pair(form: str) -> bool:
    if form in ("북한", "남한", "독일", "남미", "중남미", "북남미"):
        return False  # one country or region
    if form in COUNTRY_SYLLABLES and len(form) == 2:
        return True
    return 2 <= len(form) <= 3 and len(set(form)) == len(form) and all(ch in COUNTRY_SYLLABLES for ch in form)


def _mixed(form: str) -> bool:
    """Latin capitals and Hangul in one proper noun (LG전자, NS윤지)."""
    return any("A" <= ch <= "Z" for ch in form) and any("\uac00" <= ch <= "\ud7a3" for ch in form)


def _proper(m: Morpheme) -> bool:
    """A proper noun, or a noun of two or more syllables Kiwi does not know (mostly names)."""
    return m.tag == "NNP" or (m.oov and m.tag == "NNG" and len(m.form) >= 2)


QUOTES_OPEN = "'\"‘“「『<《〈"
QUOTES_CLOSE = "'\"’”」』>》〉"


WORK_CUE = re.compile(r"(?:영화|드라마|작품|앨범|노래|신곡|곡|프로그램|예능|애니|만화|웹툰|소설|게임)\s$")


# A noun in apposition before a name ("업체 'X'", "전문매체인 X") says what it names.
ORG_KINDS = ("업체", "단체", "기업", "회사", "매체", "브랜드", "전문점", "방송사", "언론사", "제작사", "기획사", "통신사", "신문")
PERSON_KINDS = ("그룹", "걸그룹", "보이그룹", "밴드", "듀오")
KIND_BEFORE = re.compile(r"([가-힣]+?)(?:인)? ['\"‘“「『<《〈]?$")
ROLE_AFTER = re.compile(r"['\"’”」』>》〉]? ?역(?:[을은이의]|할|으로|$| )")


def _kind_before(text: str, start: int, end: int) -> str | None:
    """ORGANIZATION or NAME when a kind noun stands in apposition before the name (소셜 펀딩
    업체 '킥스타터', 걸그룹 '시크릿') or the name is a role ('선우' 역을 맡았다)."""
    m = KIND_BEFORE.search(text, max(0, start - 16), start)
    if m is not None:
        word = m.group(1)
        if word.endswith(ORG_KINDS):
            return "ORGANIZATION"
        if word.endswith(PERSON_KINDS):
            return "NAME"
    if _quoted(text, start, end) and ROLE_AFTER.match(text, end):
        return "NAME"
    return None


def _title_cue(text: str, start: int) -> bool:
    """A proper noun right after 영화 / 드라마 / 앨범 ... is mostly the work's title."""
    return WORK_CUE.search(text, max(0, start - 5), start) is not None


def _quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1] in QUOTES_OPEN and end < len(text) and text[end] in QUOTES_CLOSE


def _verb_follows(ms: list[Morpheme], j: int) -> bool:
    return (
        j < len(ms)
        and ms[j].start == ms[j - 1].end
        and ms[j - 1].oov
        and (ms[j].tag.startswith(("XSV", "XSA", "VV", "VA")) or ms[j].tag == "EF")
    )


def _stem_end(ms: list[Morpheme], k: int) -> bool:
    """Whether the noun part of an eojeol ends before morpheme ``k``."""
    if k >= len(ms) or ms[k].start != ms[k - 1].end:
        return True
    return ms[k].tag.startswith(NOUN_PART_END) or ms[k].tag == "NNB"


def _complete_name(text: str, ms: list[Morpheme], i: int, j: int) -> int:
    """Kiwi often cuts an unknown Korean name into a family name and short nouns
    (최/NNP 운/NNG 정/NNG, 정준/NNP 호/NNG): when the noun part of the eojeol is exactly
    three syllables starting with a family name, the run takes all of it."""
    k = j
    family = j == i + 1 and len(ms[i].form) <= 2 and ms[i].form[0] in FAMILY_NAMES
    parts = NAME_PART_TAGS | NAME_PIECE_TAGS if family else NAME_PART_TAGS
    while (
        k < len(ms)
        and k - i < 4
        and ms[k].start == ms[k - 1].end
        and ms[k].tag in parts
        and ms[k].form not in ("씨", "님", "들")
        and ms[k].form not in PERSON_AFTER  # 김/NNP 감독/NNG, 박/NNP 병장/NNG: the title stays outside
        and not (ms[k].tag == "XSN" and ms[k].form == "이")  # 예진/NNP 이/XSN: the familiar suffix
    ):
        k += 1
    if k == j or not _stem_end(ms, k):
        return j
    value = text[ms[i].start : ms[k - 1].end]
    if _korean_name_shape(value) or (family and len(value) == 2 and _syllables(value)):
        return k
    return j


FACILITY_SUFFIXES = (
    "공원",
    "광장",
    "체육관",
    "경기장",
    "야구장",
    "시장",
    "호텔",
    "센터",
    "타워",
    "빌딩",
    "회관",
    "기념관",
    "추모관",
    "발사장",
    "공항",
    "터미널",
    "해수욕장",
    "리조트",
    "오거리",
    "사거리",
    "교차로",
    "청사",
    "본점",
    "지점",
    "캠퍼스",
    "미술관",
    "극장",
    "교회",
    "성당",
    "구치소",
    "교도소",
    "기지",
)


# Words after a name that make it a place (타흐리르 광장, 코르소 거리, 캄차카 반도).
GEO_AFTER = (*FACILITY_SUFFIXES, "거리", "신사", "섬", "반도", "대륙", "신도시", "도로", "고원", "비행장", "정착촌")


def _complete_organisation(text: str, ms: list[Morpheme], i: int, j: int) -> int:
    """Glued common nouns after a proper noun up to an organisation suffix belong to it
    (한국/NNP 농어촌/NNG 공사/NNG, 세월호/NNP 가족/NNG 대책위/NNG)."""
    k = j
    while k < len(ms) and k - j < 4 and ms[k].start == ms[k - 1].end and ms[k].tag in ("NNG", "NNP", "SN"):
        k += 1
    if k == j or not _stem_end(ms, k):
        return j
    value = text[ms[i].start : ms[k - 1].end]
    if any(value.endswith(x) for x in STRONG_ORG_SUFFIXES) and not value.endswith(NOT_ORG_ENDINGS):
        return k
    if value.endswith(FACILITY_SUFFIXES) or any(value.endswith(x) for x in PLACE_SUFFIXES if len(x) > 1):
        return k  # 양주/NNP 눈/NNG 썰매장/NNG, 히말라야/NNP 산맥/NNG
    return j


def _reread_word(text: str, ms: list[Morpheme], i: int, j: int) -> int:
    """When the run ``ms[i:j]`` ends inside an eojeol whose rest Kiwi read as particles or
    pieces (배두/NNG 나/JC, 장쯔/NNP 이/XSN, 베니/NNP 니/NNG), and Kiwi, given the eojeol alone,
    reads a longer proper noun of its dictionary at its start (배두나/NNP, 장쯔이/NNP), the index
    of the morpheme after that proper noun; otherwise ``j``."""
    k = j
    while k < len(ms) and ms[k].start == ms[k - 1].end and not ms[k].tag.startswith(PUNCTUATION_TAGS):
        k += 1
    if k == j or ms[j].tag in ("NNB", "VCP") or (not ms[j - 1].oov and all(m.tag.startswith("J") for m in ms[j:k])):
        return j  # 김철수/NNP 는/JX, 미국/NNP 측/NNB: a known proper noun and its particles
    s = j - 1
    while s > i and ms[s].start == ms[s - 1].end:
        s -= 1
    start = ms[s].start
    length = _alone_proper_length(text[start : ms[k - 1].end])
    end = start + length
    if end <= ms[j - 1].end:
        return j
    m = j
    while m < k and ms[m].end <= end:
        m += 1
    # the proper noun must end on a morpheme boundary of the context reading
    return m if ms[m - 1].end == end else j


@lru_cache(maxsize=65536)
def _alone_proper_length(word: str) -> int:
    """The length of the dictionary proper noun Kiwi reads at the start of ``word`` given
    alone (0 if the first morpheme is not one)."""
    with _run_lock:
        tokens = _analyzer().tokenize(word)
    if not tokens or tokens[0].tag != "NNP" or tokens[0].id in _unknown_ids or tokens[0].start != 0:
        return 0
    return int(tokens[0].len)


def _org_word(ms: list[Morpheme], j: int) -> bool:
    m = ms[j]
    return m.tag == "NNG" and len(m.form) >= 2 and m.form in ORG_SUFFIXES and _stem_end(ms, j + 1)


BODY_SUFFIXES = (
    "대사관",
    "영사관",
    "의회",
    "하원",
    "상원",
    "행정부",
    "정권",
    "군부",
    "대표단",
    "대표팀",
    "법인",
    "지부",
    "경찰국",
    "경찰서",
    "당국",
    "내각",
    "정부",
)
GOVERNMENT_WORDS = ("행정부", "정권", "내각", "정부")


def _extend_to_facility(
    text: str, ms: list[Morpheme], j: int, end: int, suffixes: tuple[str, ...] | None = None
) -> tuple[int, int]:
    """A place followed by bare nouns up to a facility (인천 송도 23호 근린공원에서) is one
    location; with ``suffixes``, up to one of those words instead."""
    suffixes = FACILITY_SUFFIXES if suffixes is None else suffixes
    k, cur = j, end
    for _ in range(3):
        if k >= len(ms) or ms[k].start != cur + 1 or text[cur] != " ":
            break
        m = k
        while m < len(ms) and ms[m].tag in FACILITY_PART_TAGS and (m == k or ms[m].start == ms[m - 1].end):
            m += 1
        if m == k:
            break
        stem_end = ms[m - 1].end
        if text[ms[k].start : stem_end].endswith(suffixes) and _stem_end(ms, m):
            return m, stem_end
        if m < len(ms) and ms[m].start == stem_end:
            break  # a particle: the phrase ends without a facility
        k, cur = m, stem_end
    return j, end


FACILITY_PART_TAGS = frozenset({"NNG", "NNP", "SN", "NNB", "SL"})


def _spaced_join(text: str, ms: list[Morpheme], i: int, j: int) -> bool:
    """A proper noun after one space continues the entity (foreign names, 두산 베어스), unless
    either side is shaped like a Korean name (김무성 새누리당, 새누리당 정문헌)."""
    if not (ms[j].start - ms[j - 1].end == 1 and text[ms[j - 1].end] == " "):
        return False
    if not _proper(ms[j]) or not _syllables(ms[j].form):
        return False
    left = text[ms[i].start : ms[j - 1].end]
    if _name_like(left):
        return False
    k = j + 1
    while k < len(ms) and ms[k].start == ms[k - 1].end and ms[k].tag in NAME_PART_TAGS:
        k += 1
    right = text[ms[j].start : ms[k - 1].end]
    if _stem_end(ms, k) and _name_like(right):
        return False
    # 세르게이 라브로프 러시아 (외무장관): a country after a name that is no place starts anew
    return not (_country(right) and not _place_word(left.split(" ")[0]))


def _match_against(text: str, run: list[Morpheme], after: Morpheme | None) -> bool:
    """A country with 전 glued after it (가나전, 미얀마전에서): "the match against" its team."""
    value = text[run[0].start : run[-1].end]
    if " " in value:
        return False
    if value.endswith("전") and len(value) >= 3 and _country(value[:-1]):
        return True
    return after is not None and after.start == run[-1].end and after.form == "전" and _country(value)


def _country(word: str) -> bool:
    return place_type(word) == "LOCATION_COUNTRY" or word in COUNTRY_NAMES


def _name_like(value: str) -> bool:
    """Shaped like a Korean name and not like a place (부산시, 사하구 are places)."""
    if not _korean_name_shape(value) or value.endswith(NOT_NAME_ENDINGS):
        return False
    return value not in PLACE_NAMES and place_type(value) is None


def find_entities(text: str) -> list[Span]:
    """NAME / LOCATION* / ORGANIZATION spans made of whole morphemes (particles left out)."""
    ms = morphemes(text)
    out: list[Span] = []
    i = 0
    n = len(ms)
    while i < n:
        m = ms[i]
        if m.tag == "NNG" and m.form in ORG_WORDS:
            start = m.start
            if i > 0 and ms[i - 1].end == m.start and (
                (ms[i - 1].tag == "NNG" and len(ms[i - 1].form) >= 2 and (i < 2 or ms[i - 2].end != ms[i - 1].start))
                or ms[i - 1].form + m.form in ORG_WORDS
            ):
                start = ms[i - 1].start  # 해양/NNG 경찰/NNG, 참여/NNG 정부/NNG, 대/XPN 법원/NNG
            out.append(Span(start, m.end, "ORGANIZATION", 0.7, "context"))
            i += 1
            continue
        if m.tag in ("NNG", "NNP") and _country_pair(m.form):
            # 한미, 남북, 북중: two countries as actors; 북측, 북핵: North Korea
            count = 1 if m.form in COUNTRY_SYLLABLES else len(m.form)
            out.extend(
                Span(m.start + k, m.start + k + 1, "ORGANIZATION", 0.6, "context") for k in range(count)
            )
            i += 1
            continue
        if m.tag == "SL" and len(m.form) == 1 and m.form.isupper():
            if _title_follows(text, m.end):
                out.append(
                    Span(m.start, m.end, "NAME", 0.7, "context")
                )  # "A씨", "B(44)씨": an anonymised person
            i += 1
            continue
        latin = m.tag == "SL" and ACRONYM.fullmatch(m.form) is not None and m.form not in NOT_ORG
        if not (_proper(m) and (_syllables(m.form) or _mixed(m.form))) and not latin:
            i += 1
            continue
        if latin and i + 1 < n and ms[i + 1].start == m.end and ms[i + 1].tag in ("NNG", "NNP"):
            # SK그룹, KB국민은행: an acronym glued to a noun is one organisation
            out.append(Span(m.start, ms[i + 1].end, "ORGANIZATION", 0.7, "context"))
            i += 2
            continue
        j = i + 1
        # Glued proper nouns, a suffix noun, or a proper noun after one space belong to one entity.
        while j < n and not latin:
            glued = ms[j].start == ms[j - 1].end and (
                _proper(ms[j]) or (ms[j].tag == "NNG" and ms[j].form in ORG_SUFFIXES + PLACE_SUFFIXES)
            )
            if glued or _spaced_join(text, ms, i, j):
                j += 1
            else:
                break
        if not latin:
            j = _complete_name(text, ms, i, j)
            j = _complete_organisation(text, ms, i, j)
        run = ms[i:j]
        if (
            len(run) > 1
            and run[-1].form == "역"
            and run[-1].tag == "NNG"
            and _type(text, run[:-1], None) == "NAME"
        ):
            run = run[:-1]  # 황비홍역 "the role of Wong Fei-hung"; 부평역, 서울역 are stations
        elif not latin:
            k = _reread_word(text, ms, i, j)
            if k > j:
                # 배두/NNG 나/JC in context, 배두나/NNP alone: the name is the whole word
                run = [*run[:-1], Morpheme(text[run[-1].start : ms[k - 1].end], "NNP", run[-1].start, ms[k - 1].end)]
                j = k
        last = run[-1]
        if last.oov and len(last.form) >= 3 and _stem_end(ms, j) and (
            last.form[-1] in GLUED_PARTICLES
            or (last.form[-1] == "이" and len(last.form) == 4 and _batchim(last.form[2]) and _name_like(last.form[:-1]))
        ):
            # Kiwi's guessed noun swallowed the particle (엠버가, 자라의, 정재영이)
            run[-1] = Morpheme(last.form[:-1], last.tag, last.start, last.end - 1, True)
        elif len(run) == 1 and len(last.form) == 3 and last.form[-1] == "이" and _batchim(last.form[1]):
            # the familiar suffix -이 after a given name ending in a consonant (지현이는, 여민이의)
            run[-1] = Morpheme(last.form[:-1], last.tag, last.start, last.end - 1, last.oov)
        versus = _match_against(text, run, ms[j] if j < n else None)
        if versus and text[run[-1].end - 1] == "전":
            last = run[-1]
            run[-1] = Morpheme(last.form[:-1], last.tag, last.start, last.end - 1, last.oov)
        after = ms[j] if j < n else None
        if not latin and _verb_follows(ms, j):
            i = j  # 식겁했다, 본방사수하며: an unknown noun made into a verb is no name
            continue
        value = text[run[0].start : run[-1].end]
        if len(value) == 2 and value[1] == "모" and value[0] in FAMILY_NAMES:
            # 김모 씨, 박모(54)씨: "Mr Kim so-and-so", the family name is all that is given
            out.append(Span(run[0].start, run[0].start + 1, "NAME", 0.7, "context"))
            i = j
            continue
        label, why = ("ORGANIZATION", "latin") if latin else _type_why(text, run, after)
        if versus:
            label, why = "ORGANIZATION", "versus"  # 가나전, 라오스전: the match against a national team
        if (
            value in SERVICES
            or value in LANGUAGE_WORDS
            or value.split(" ")[0] in PRODUCTS
            or (value == "경기" and why == "place-particle")
        ):
            # 트위터, 유튜브: services, not organisations; 영어: a language; 갤럭시 노트: a product;
            # 경기에서 "in the match"
            i = j
            continue
        kind = _kind_before(text, run[0].start, run[-1].end) if why == "default" else None
        if kind is not None:
            label = kind  # 결혼정보회사 '듀오', 걸그룹 '시크릿', '선우' 역: the noun in apposition says
        elif why == "default" and (
            _quoted(text, run[0].start, run[-1].end) or _title_cue(text, run[0].start) or _not_a_name(value)
        ):
            # 'X' alone in quotes with no other cue: mostly a title (film, song, show); a compound
            # of two common nouns (증명사진, 화학무기) or a vessel (세월호, 천안함) names no one
            i = j
            continue
        end = run[-1].end
        if label.startswith("LOCATION"):
            j, end = _extend_to_facility(text, ms, j, end)
        elif why == "default":
            k, geo_end = _extend_to_facility(text, ms, j, end, GEO_AFTER)
            if k > j and " " not in text[end + 1 : geo_end]:
                # 타흐리르 광장, 코르소 거리, 훗타라케 섬: the next word says it is a place
                j, end, label = k, geo_end, "LOCATION"
        if j < n and ms[j].start == end + 1 and text[end] == " " and _org_word(ms, j):
            # 아사히 신문, AFP 통신, GS 그룹: the name and its kind of organisation
            j, end, label = j + 1, ms[j].end, "ORGANIZATION"
        else:
            k, body_end = _extend_to_facility(text, ms, j, end, BODY_SUFFIXES)
            if k > j and (label != "NAME" or text[:body_end].endswith(GOVERNMENT_WORDS)):
                # 미국 연방 하원, 미얀마 군부, 오바마 행정부: a place or a leader and its body
                j, end, label = k, body_end, "ORGANIZATION"
        out.append(Span(run[0].start, end, label, 0.75, "context"))
        i = j
    out.extend(_eojeol_entities(text, ms, sorted((o.start, o.end) for o in out)))
    out = _merge_place_institution(text, out)
    out = _extend_to_division(text, out)
    out.extend(_hanja_entities(text, ms, out))
    return out


def _merge_place_institution(text: str, spans: list[Span]) -> list[Span]:
    """A place or organisation followed by an institution (미국 국무부, 중국 정부, 부산
    동부경찰서, 수원지검 강력부) names one organisation."""
    spans = sorted(spans, key=lambda x: (x.start, x.end))
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and span.label == "ORGANIZATION"
            and (prev.label.startswith("LOCATION") or prev.label == "ORGANIZATION")
            and span.start == prev.end + 1
            and text[prev.end] == " "
            and _institution(text[span.start : span.end])
        ):
            out[-1] = Span(prev.start, span.end, "ORGANIZATION", max(prev.score, span.score), "context")
            continue
        out.append(span)
    return out


# A numbered division of a court or body (형사1부, 형사합의38부, 행정12부, 형사 3단독) or a
# university department (수의학과) written after the organisation belongs to it.
DIVISION = re.compile(r" (?:[가-힣]{1,4} ?\d{1,3}(?:부|단독)|[가-힣]{1,5}학과)(?![가-힣\d]{2})")


# A regnal number after a foreign ruler's or pope's name (볼드윈 4세, 베네딕토 16세, 니콜라이2세).
REGNAL = re.compile(r" ?(?:[1-9]|[12]\d)세(?![기\d]|[가-힣]{2})")  # not 16세기 "16th century"


def _extend_to_division(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for span in spans:
        if span.label == "NAME" and not _korean_name_shape(text[span.start : span.end]):
            r = REGNAL.match(text, span.end)
            if r is not None:
                span = Span(span.start, r.end(), span.label, span.score, span.source)
        m = DIVISION.match(text, span.end) if span.label == "ORGANIZATION" else None
        if m is not None:
            span = Span(span.start, m.end(), span.label, span.score, span.source)
        out.append(span)
    return out


def _institution(value: str) -> bool:
    """A government body written as a common noun (정부, 경찰, 국무부, 동부경찰서)."""
    return value in ORG_WORDS or (
        _syllables(value) and value.endswith(INSTITUTION_SUFFIXES) and not value.endswith(NOT_ORG_ENDINGS)
    )


INSTITUTION_SUFFIXES = (
    "부",
    "청",
    "처",
    "원",
    "위원회",
    "경찰서",
    "지검",
    "지법",
    "법원",
    "검찰",
    "경찰",
    "정부",
    "당국",
    "군",
)


def _hanja_entities(text: str, ms: list[Morpheme], found: list[Span]) -> list[Span]:
    """Chinese characters in parentheses right after an entity spell the same entity
    (베이징(北京), 아베 신조(安倍晋三)): they get its label; after anything else they are
    mostly a Chinese or Japanese place (위톈(于田)현)."""
    ends = {s.end: s for s in found}
    out = []
    for m in ms:
        if m.tag != "SH" or m.start < 2 or text[m.start - 1] != "(":
            continue
        before = ends.get(m.start - 1)
        label = before.label if before is not None else "LOCATION"
        if text[m.end : m.end + 2][:1] == ")" and text[m.end + 1 : m.end + 2] in HANJA_PLACE_SUFFIXES:
            label = "LOCATION"  # 민허우(閩侯)현, 장쑤(江蘇)성: an administrative unit follows
            if before is not None:
                before.label = label
        out.append(Span(m.start, m.end, label, 0.7 if before is not None else 0.5, "context"))
    return out


HANJA_PLACE_SUFFIXES = frozenset("시현성구주진촌향")


ANONYMISED_TITLE = re.compile(r"\s?(?:\([^()]{0,12}\))?\s?(?:씨|군|양)")


def _title_follows(text: str, end: int) -> bool:
    return ANONYMISED_TITLE.match(text, end) is not None


PLACE_PARTICLES = frozenset({"에서", "에", "로", "으로", "까지", "에서부터", "부터"})
NOUN_PART_END = ("J", "VCP", "E", "XSN", "SF", "SP", "SS", "SE", "SO", "SW")
# Role nouns written right before a person's name (가수 거미, 배우 최세윤).
PERSON_BEFORE = frozenset(
    {"배우", "가수", "감독", "래퍼", "작가", "개그맨", "개그우먼", "아나운서", "모델", "시인", "화가"}
)
GLUED_PARTICLES = frozenset("가의은는을를와과랑님씨임")
# Particles that Kiwi sometimes leaves glued to a guessed noun ("정재영의" as one unknown noun).
TRAILING_PARTICLES = frozenset("의가이은는을를와과도만랑")


PUNCTUATION_TAGS = ("SF", "SP", "SS", "SE", "SO", "SW")
STEM_TAGS = ("NNG", "NNP", "NR", "MM", "MAG", "XR", "XPN")


def _chunks(ms: list[Morpheme]) -> list[list[Morpheme]]:
    """Glued morphemes (one eojeol, or its part between punctuation marks)."""
    out: list[list[Morpheme]] = []
    cur: list[Morpheme] = []
    for m in ms:
        if m.tag.startswith(PUNCTUATION_TAGS):
            if cur:
                out.append(cur)
            cur = []
            continue
        if cur and m.start != cur[-1].end and m.start > cur[-1].start:
            out.append(cur)
            cur = []
        cur.append(m)
    if cur:
        out.append(cur)
    return out


def _eojeol_entities(text: str, ms: list[Morpheme], taken: list[tuple[int, int]]) -> list[Span]:
    """Names and organisations Kiwi did not tag as proper nouns, read from whole eojeols.

    - a noun part of three syllables starting with a family name that Kiwi either guessed as
      one unknown noun (곽부성이) or cut into short pieces (김/NNG 구라/NNG, 조성/NNG 진/NNG,
      이/MM 정진/NNG) -> person;
    - a noun part right before 씨 (가인 씨, 팽 씨) -> person;
    - glued common nouns ending in an organisation suffix (외교부, 건강보험공단) -> organisation.
    """
    out: list[Span] = []
    chunks = _chunks(ms)
    for c, chunk in enumerate(chunks):
        known = _known_name_start(text, chunk)
        if known and not _overlaps(taken, chunk[0].start, known):
            out.append(Span(chunk[0].start, known, "NAME", 0.61, "context"))
            continue
        place_end = _place_in_common_noun(text, chunk)
        if place_end and not _overlaps(taken, chunk[0].start, place_end):
            out.append(Span(chunk[0].start, place_end, "LOCATION", 0.6, "context"))
            continue
        nouns: list[Morpheme] = []
        for m in chunk:
            if not m.tag.startswith(STEM_TAGS):
                break
            nouns.append(m)
        if not nouns:
            continue
        rest = chunk[len(nouns) :]
        start, end = nouns[0].start, nouns[-1].end
        if len(nouns) == 1 and nouns[0].oov and end - start == 4 and text[end - 1] in TRAILING_PARTICLES:
            end -= 1
        value = text[start:end]
        if not _syllables(value) or _overlaps(taken, start, end):
            continue
        tags = {m.tag for m in nouns}
        titled = (bool(rest) and rest[0].form == "씨") or (
            not rest
            and c + 1 < len(chunks)
            and chunks[c + 1][0].form == "씨"
            and chunks[c + 1][0].start == end + 1
            and text[end] == " "
        )
        role = (
            c > 0
            and chunks[c - 1][-1].form in PERSON_BEFORE
            and chunks[c - 1][-1].end == start - 1
            and 2 <= len(value) <= 4
            and (not rest or rest[0].tag.startswith("J"))
        )
        if (titled and (len(value) > 1 or value in FAMILY_NAMES) and value not in PERSON_AFTER) or role:
            out.append(Span(start, end, "NAME", 0.65, "context"))  # 가인 씨, 가수 거미의
        elif (
            _name_like(value)
            and "NNP" not in tags
            and (
                (len(nouns) == 1 and nouns[0].oov)
                or (
                    len(nouns) > 1
                    and len(nouns[0].form) == 1
                    and nouns[0].form in FAMILY_NAMES
                    and (nouns[0].tag in ("NNG", "NNP") or _rare_word(value[1:]))
                )
                or _known_proper_noun(value)
            )
        ):
            out.append(Span(start, end, "NAME", 0.6, "context"))
        elif (
            tags <= {"NNG", "NNP"}
            and len(value) >= 3
            and (
                value in ORG_WORDS
                or (
                    any(value.endswith(x) and len(value) - len(x) >= 2 for x in STRONG_ORG_SUFFIXES)
                    and not value.endswith(NOT_ORG_ENDINGS)
                )
            )
        ):
            out.append(Span(start, end, "ORGANIZATION", 0.6, "context"))
        elif (
            2 <= len(value) <= 5
            and "NNP" not in tags
            and rest
            and rest[0].tag.startswith("J")
            and _known_proper_noun(value)
        ):
            # Kiwi's context reading split a proper noun it knows (엽문 -> 엽/NNG 문/NNG)
            label, why = _type_why(text, [Morpheme(value, "NNP", start, end)], rest[0] if rest else None)
            if why not in ("default", "place-particle") or not (_not_a_name(value) or value == "경기"):
                out.append(Span(start, end, label, 0.55, "context"))  # 경기에서: "in the match"
    return out


def _not_a_name(value: str) -> bool:
    """A word no rule typed that Kiwi reads alone as a common noun (셰프, 포스터), a vessel's
    name (세월호, 천안함) or a compound of two common
    nouns Kiwi knows (증명사진 = 증명 + 사진, 난폭운전), written in native or Sino-Korean
    syllables (no transliteration syllable: 라디오헤드, 골드버그 are names)."""
    if " " in value or not _syllables(value) or len(value) < 2:
        return False
    if value in LANGUAGE_WORDS:
        return True
    if _common_noun(value):
        return True  # 셰프, 포스터, 장마: Kiwi reads it alone as a common noun
    if len(value) < 3:
        return False
    if value[-1] in VESSEL_SUFFIXES:
        return True
    if value[-1] == "어" and _country(value[:-1]):
        return True  # 중국어, 베트남어: a language
    if any(_transliteration_syllable(ch) for ch in value):
        return False
    return any(_common_noun(value[:c]) and _common_noun(value[c:]) for c in range(2, len(value) - 1))


VESSEL_SUFFIXES = frozenset("호함")
# Languages named by an abbreviated country (영어 English, 불어 French) and the national language.
LANGUAGE_WORDS = frozenset({"영어", "불어", "독어", "국어", "한국어", "중국어", "일본어"})  # 세월호 (ship), 천안함 (warship)


@lru_cache(maxsize=65536)
def _common_noun(word: str) -> bool:
    """Whether Kiwi reads ``word`` alone as one common noun of its dictionary."""
    with _run_lock:
        tokens = _analyzer().tokenize(word)
    return len(tokens) == 1 and tokens[0].tag == "NNG" and tokens[0].id not in _unknown_ids


# Suffixes after a country or place that make a common noun of it: 미국인 (an American), 미국식
# (American-style), 미국판 (the US edition), 중국산 (made in China), 한국계 (of Korean descent).
PLACE_NOUN_SUFFIXES = frozenset("인식판산계풍")


def _place_in_common_noun(text: str, chunk: list[Morpheme]) -> int:
    """The end of a known place that Kiwi read as (part of) a common noun: 헐리웃/NNG,
    미국식/NNG, 미국판/NNG; 0 if there is none."""
    nouns = []
    for m in chunk:
        if m.tag not in ("NNG", "XSN"):
            break
        nouns.append(m)
    if not nouns or nouns[0].tag != "NNG":
        return 0
    start, end = nouns[0].start, nouns[-1].end
    value = text[start:end]
    if value in PLACE_NAMES:
        return end
    stem = value[:-1]
    if value[-1] in PLACE_NOUN_SUFFIXES and len(stem) >= 2 and (stem in PLACE_NAMES or _country(stem)):
        return end - 1
    return 0


def _known_name_start(text: str, chunk: list[Morpheme]) -> int:
    """The end of a Korean-name-shaped start of an eojeol (도지원씨가, 오태경, 이미숙누나) that
    Kiwi, in context, cut into pieces of other kinds (도/JX 지원/NNG, 오/NR 태/NNG 경/XSN) but reads
    alone as one proper noun of its dictionary; 0 if there is none. Only particles, copulas,
    suffixes, 씨 or a kinship term may follow in the eojeol."""
    start = chunk[0].start
    if chunk[0].tag == "NNP" and chunk[0].end - start >= 3:
        return 0  # Kiwi found the proper noun itself
    for length in (3, 4):
        end = start + length
        value = text[start:end]
        if len(value) < length or not _name_like(value):
            continue
        tail = [m for m in chunk if m.start >= end]
        if chunk[-1].end < end or (tail and tail[0].start != end):
            continue  # no morpheme boundary after the name
        inside = [m for m in chunk if m.start < end]
        if not all(_name_piece(m, k == 0) for k, m in enumerate(inside)):
            continue  # 이상/NNG 하/XSA, 지속/NNG 성/XSN: a common word
        if all(m.tag.startswith(("J", "VCP", "E", "XSN", "NNB")) or m.form in KIN_TERMS for m in tail[:1]) and (
            _known_proper_noun(value)
        ):
            return end
    return 0


# Sino-Korean suffixes that make common nouns (지속성, 유대인, 성인용, 우경화, 합리적).
DERIVING_SUFFIXES = frozenset("성인용화적")


def _name_piece(m: Morpheme, first: bool) -> bool:
    """What Kiwi may make of a syllable of a name it does not see in context: nouns,
    determiners, roots, prefixes, adverbs, and a particle for the family name (도/JX 지원)."""
    if m.tag == "XSN":
        return m.form not in DERIVING_SUFFIXES
    return m.tag.startswith(("N", "MM", "XR", "XPN", "MAG", "IC")) or (first and m.tag == "JX")


@lru_cache(maxsize=65536)
def _known_proper_noun(word: str) -> bool:
    """Whether Kiwi, given ``word`` alone, reads it as one proper noun of its dictionary
    (한지혜 in "한지혜의" is read 한/MM 지혜/NNG in context, 한지혜/NNP alone)."""
    with _run_lock:
        tokens = _analyzer().tokenize(word)
    return len(tokens) == 1 and tokens[0].tag == "NNP" and not tokens[0].oov


RARE_SCORE = -12.0


@lru_cache(maxsize=65536)
def _rare_word(word: str) -> bool:
    """Whether Kiwi finds ``word`` on its own rare (a low language-model score) or unknown:
    given names are (민정 -13.3, 태경 -13.6), the nouns after a determiner that look like a
    name are not (이 영화: 영화 -7.8, 두 시간: 시간 -7.9)."""
    with _run_lock:
        tokens = _analyzer().tokenize(word)
    if len(tokens) != 1:
        return True
    return bool(tokens[0].oov) or float(tokens[0].score) < RARE_SCORE


def _korean_name_shape(value: str) -> bool:
    if not _syllables(value) or " " in value or any(_transliteration_syllable(ch) for ch in value):
        return False
    if any(_foreign_syllable(ch) for ch in value[-2:]):
        return False  # 마이클, 채플린, 이자벨: syllables no Sino-Korean given name has
    return (len(value) == 3 and value[0] in FAMILY_NAMES) or (len(value) == 4 and value[:2] in FAMILY_NAMES)


SINO_FINALS = frozenset({0, 1, 4, 8, 16, 17, 21})  # none, ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ
TENSE_INITIALS = frozenset({1, 4, 8, 10, 13})  # ㄲ ㄸ ㅃ ㅆ ㅉ


def _foreign_syllable(syllable: str) -> bool:
    """A syllable that is no Sino-Korean reading, the stock of almost all Korean given names,
    and is common in transliterations: a final other than ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ (맷, 셧), a tense
    initial (뚜, 쌩), an initial ㅋ (클, 킨), ㅡ after ㅁ ㅂ ㅋ ㅌ ㅍ (플, 블, 튼), or ㅔ other than
    게 세 제 체 (벨, 레, 베)."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return False
    initial, vowel, final = code // 588, (code % 588) // 28, code % 28
    if final not in SINO_FINALS or initial in TENSE_INITIALS or (initial == 15 and vowel != 10):
        return True
    if vowel == 18 and initial in (6, 7, 15, 16, 17):
        return True
    return vowel == 5 and (final != 0 or initial not in (0, 9, 12, 14))


def _transliteration_syllable(syllable: str) -> bool:
    """The vowel ㅡ with no final consonant (스, 크, 즈, 르, 트, 쓰): how Korean writes a
    foreign consonant cluster (호킨스, 마이크), almost never a syllable of a Korean name."""
    code = ord(syllable) - 0xAC00
    return 0 <= code < 11172 and (code // 28) % 21 == 18 and code % 28 == 0


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(taken, (start, start))
    return any(a < end and start < b for a, b in taken[max(0, i - 1) : i + 2])


def _batchim(syllable: str) -> bool:
    """Whether a Hangul syllable ends in a consonant (받침)."""
    return "\uac00" <= syllable <= "\ud7a3" and (ord(syllable) - 0xAC00) % 28 != 0


def _syllables(form: str) -> bool:
    """Made of Hangul syllables (not stray jamo such as "ㅋㅋ")."""
    return all("\uac00" <= ch <= "\ud7a3" or ch.isspace() for ch in form)
