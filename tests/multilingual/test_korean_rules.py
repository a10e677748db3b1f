"""The Korean typing and boundary rules of ``veil.text.multilingual.korean``, one case each.

Sentences are written for these tests (none is taken from any evaluation set).
"""

from __future__ import annotations

import pytest

from veil.text.multilingual.korean import find_entities, is_road_name, morphemes
from veil.text.multilingual.korean_lexicon import FAMILY_NAMES, GIVEN_NAME_ENDINGS, PLACE_SUFFIXES
from veil.text.spans import resolve_overlaps


def found(text: str) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.label) for s in resolve_overlaps(find_entities(text))}


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        # Kiwi cuts an unknown name into a family name and pieces (최/NNP 운/NNG 정/NNG)
        ("파를 지킨 최운정은 보기에 그친 선수를 따돌렸다.", ("최운정", "NAME")),
        # an unknown noun of name shape (곽부성 is guessed, not in Kiwi's dictionary)
        ("그래도 곽부성이 아니었으면 심심했다.", ("곽부성", "NAME")),
        # a title after the name; the honorific 님 stays outside
        ("영화 김상석님 감독 작품", ("김상석", "NAME")),
        # the familiar suffix -이 after a given name ending in a consonant
        ("지현이는 1999년 4월에 태어났다.", ("지현", "NAME")),
        # an anonymised person, with a space or an age in parentheses before 씨
        ("경찰에 따르면 A 씨는 지난달 체포됐다.", ("A", "NAME")),
        ("교사 B(44)씨가 연구원을 고소했다.", ("B", "NAME")),
    ],
)
def test_person_spans(text: str, entity: tuple[str, str]) -> None:
    assert entity in found(text)


def test_address_chain_is_one_location() -> None:
    text = "오전 4시쯤 부산시 사하구 하단동에 있는 도로에서 사고가 났다."
    assert ("부산시 사하구 하단동", "LOCATION") in found(text)


def test_place_runs_on_to_a_facility() -> None:
    text = "행사는 인천 송도 23호 근린공원에서 열린다."
    assert ("인천 송도 23호 근린공원", "LOCATION") in found(text)


def test_direction_and_known_place() -> None:
    assert ("북아프리카", "LOCATION") in found("북아프리카 청년들이 모였다.")


def test_hanja_after_an_entity_takes_its_label() -> None:
    text = "베이징(北京) 지하철에서 사고가 났다."
    labels = dict(found(text))
    assert labels["北京"] == labels["베이징"]


def test_country_pair_is_two_organisations() -> None:
    assert found("지난해 한미관계 보고서가 나왔다.") == {("한", "ORGANIZATION"), ("미", "ORGANIZATION")}


def test_one_country_is_not_a_pair() -> None:
    assert ("북한", "ORGANIZATION") not in found("북한이 미사일을 발사했다.")
    assert not any(value == "북" for value, _ in found("북한이 미사일을 발사했다."))


def test_acronym_glued_to_a_noun_is_an_organisation() -> None:
    assert ("SK그룹", "ORGANIZATION") in found("최재원 SK그룹 수석부회장이 말했다.")


def test_title_does_not_make_an_organisation_a_person() -> None:
    assert ("새누리당", "ORGANIZATION") in found("새누리당 의원들이 모였다.")


def test_online_service_is_no_organisation() -> None:
    assert found("그는 트위터에 글을 올렸다.") == set()


def test_common_acronym_is_no_organisation() -> None:
    assert not any(label == "ORGANIZATION" for _, label in found("CCTV 영상을 확인했다."))


def test_unknown_nouns_are_flagged_by_kiwi() -> None:
    guessed = {m.form for m in morphemes("그래도 곽부성이 아니었으면") if m.oov}
    known = {m.form for m in morphemes("학교에 갔다") if m.oov}
    assert "곽부성" in guessed
    assert known == set()


def test_lexicon_shapes() -> None:
    assert {"김", "이", "박", "남궁", "제갈"} <= FAMILY_NAMES
    assert "시" not in GIVEN_NAME_ENDINGS and "구" not in GIVEN_NAME_ENDINGS  # 원주시, 사하구 are places
    assert "해수욕장" in PLACE_SUFFIXES


def test_foreign_name_parts_join_despite_a_family_name_first() -> None:
    # 호킨스 starts with the family name 호, but 스 marks a transliteration
    assert ("밥 호킨스", "NAME") in found("슈퍼 마리오를 연기한 밥 호킨스가 출연했다.")


def test_role_noun_before_a_name() -> None:
    # 거미 is also a common noun (spider); after 가수 (singer) it is a name
    assert ("거미", "NAME") in found("이날 가수 거미의 신곡이 공개됐다.")


def test_place_and_institution_are_one_organisation() -> None:
    assert ("미국 국무부", "ORGANIZATION") in found("미국 국무부는 성명을 냈다.")
    assert ("중국 정부", "ORGANIZATION") in found("중국 정부가 발표했다.")


def test_anonymised_family_name() -> None:
    text = "시험을 치르는 박모(54·여)씨는 시험장에 늦었다."
    assert found(text) == {("박", "NAME")}


def test_name_and_its_kind_of_organisation() -> None:
    assert ("아사히 신문", "ORGANIZATION") in found("아사히 신문에 보도된 기사")


@pytest.mark.parametrize(
    ("candidate", "road"),
    [("테헤란로 123", True), ("세종대로 110", True), ("기준으로 9", False), ("사고로 35", False)],
)
def test_road_name_or_particle(candidate: str, road: bool) -> None:
    assert is_road_name(candidate, 0, len(candidate)) is road


def test_place_and_its_body_are_one_organisation() -> None:
    assert ("미국 연방 하원", "ORGANIZATION") in found("미국 연방 하원은 결의안을 채택했다.")


def test_proper_noun_and_glued_nouns_up_to_an_organisation_suffix() -> None:
    assert ("한국농어촌공사", "ORGANIZATION") in found("이 업체는 한국농어촌공사와 계약했다.")


def test_road_name_inside_a_sentence_uses_relative_offsets() -> None:
    from veil.text.multilingual.korean import is_road_name

    text = "태백시는 기본요금을 기준으로 9.1% 올렸다. 주소는 테헤란로 123이다."
    a = text.index("기준으로")
    assert not is_road_name(text, a, a + 6)
    b = text.index("테헤란로")
    assert is_road_name(text, b, b + 8)


def test_role_suffix_yeok_after_a_name_is_left_out_but_stations_stay() -> None:
    from veil.text.multilingual.korean import find_entities

    text = "메이역의 배우가 좋았다."
    assert [(text[s.start : s.end], s.label) for s in find_entities(text)] == [("메이", "NAME")]
    text = "해운대역 앞에서 기다렸다."
    assert [(text[s.start : s.end], s.label) for s in find_entities(text)] == [("해운대역", "LOCATION")]


def test_numbered_division_belongs_to_its_court() -> None:
    from veil.text.multilingual.korean import find_entities

    text = "서울중앙지법 형사합의38부는 이날 판결했다."
    spans = [(text[s.start : s.end], s.label) for s in find_entities(text)]
    assert ("서울중앙지법 형사합의38부", "ORGANIZATION") in spans


def test_abbreviated_committee_is_an_organisation_but_a_rank_is_not() -> None:
    from veil.text.multilingual.korean import find_entities

    text = "혁신위는 회의를 열었다."
    assert [(text[s.start : s.end], s.label) for s in find_entities(text)] == [("혁신위", "ORGANIZATION")]
    assert find_entities("세계 1위를 차지했다.") == []


def test_a_name_kiwi_cut_in_context_is_read_again_alone() -> None:
    # in context Kiwi reads 배두/NNG 나/JC ("or"); the eojeol alone is the proper noun 배두나
    assert ("배두나", "NAME") in found("나는 배두나 몸짓이 좋았다.")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("다저스가 어제 이겼다.", ("다저스", "ORGANIZATION")),  # a team nickname alone
        ("유엔은 성명을 냈다.", ("유엔", "ORGANIZATION")),  # an international body
        ("블룸버그에 따르면 주가가 올랐다.", ("블룸버그", "ORGANIZATION")),  # a news agency
        ("국과수는 감정 결과를 냈다.", ("국과수", "ORGANIZATION")),  # an institution, not 국 + 과수
        ("금융감독원은 조사에 나섰다.", ("금융감독원", "ORGANIZATION")),  # the suffix 감독원
        ("그는 서울고 출신이다.", ("서울고", "ORGANIZATION")),  # a place and 고(등학교)
    ],
)
def test_organisations_by_name_or_suffix(text: str, entity: tuple[str, str]) -> None:
    assert entity in found(text)


def test_nouns_ending_in_wi_or_cheong_are_no_organisation() -> None:
    assert found("폭력행위 처벌법 위반 혐의다.") == set()
    assert found("보석신청 절차를 밟았다.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "세월호 참사 이후 달라졌다.",  # a vessel
        "천안함 사건을 다뤘다.",  # a warship: 함 ends no given name
        "증명사진을 새로 찍었다.",  # 증명 + 사진, two common nouns
        "그 셰프가 요리를 했다.",  # Kiwi reads it alone as a common noun
    ],
)
def test_untyped_words_that_name_no_one(text: str) -> None:
    assert not any(label == "NAME" for _, label in found(text))


def test_name_shape_that_kiwi_knows_alone_is_a_person() -> None:
    # in context: 도/JX 지원/NNG 씨/NNB; alone: 도지원/NNP
    assert ("도지원", "NAME") in found("마지막에 도지원씨가 울부짖는다.")
    # 조형/NNG 기/XSN in context
    assert ("조형기", "NAME") in found("오늘 조형기 드립은 웃겼다.")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("결혼정보회사 '듀오'가 조사했다.", ("듀오", "ORGANIZATION")),
        ("걸그룹 '시크릿' 멤버가 나왔다.", ("시크릿", "NAME")),
        ("그는 '선우' 역을 맡았다.", ("선우", "NAME")),
    ],
)
def test_kind_noun_in_apposition_or_a_role_types_a_quoted_name(text: str, entity: tuple[str, str]) -> None:
    assert entity in found(text)


def test_untyped_name_before_a_facility_word_is_a_place() -> None:
    assert ("타흐리르 광장", "LOCATION") in found("시위대가 타흐리르 광장에 모였다.")


def test_city_without_its_suffix_and_a_us_state_are_places() -> None:
    labels = dict(found("어제 원주에서 만났다."))
    assert labels["원주"].startswith("LOCATION")
    assert ("텍사스", "LOCATION") in found("텍사스에서 자랐다.")


def test_syllables_no_korean_given_name_has_break_the_name_shape() -> None:
    from veil.text.multilingual.korean import _foreign_syllable, _korean_name_shape

    assert _korean_name_shape("김철수") and _korean_name_shape("이세영") and _korean_name_shape("김하늘")
    assert not _korean_name_shape("마이클") and not _korean_name_shape("채플린")  # 클, 플
    assert _foreign_syllable("벨") and _foreign_syllable("맷") and not _foreign_syllable("민")
    # so the surname after it joins: one person
    assert ("마이클 잭슨", "NAME") in found("마이클 잭슨은 황제다.")


def test_institution_word_takes_the_noun_glued_before_it() -> None:
    assert ("해양경찰", "ORGANIZATION") in found("해양경찰은 수색을 벌였다.")
    assert ("대법원", "ORGANIZATION") in found("대법원은 상고를 기각했다.")
    assert found("그는 소셜미디어에 글을 썼다.") == set()  # a kind of media, not one


def test_country_before_jeon_is_the_team_of_a_match() -> None:
    # 가나전 "the match against Ghana": the country is a team, 전 stays outside
    assert ("가나", "ORGANIZATION") in found("대표팀은 가나전에서 완패했다.")
    assert ("라오스", "ORGANIZATION") in found("남은 경기는 라오스전이다.")


def test_languages_name_no_one_and_a_motorway_is_a_place() -> None:
    assert found("그는 영어를 잘한다.") == set()
    assert found("베트남어 수업을 들었다.") == set()
    assert ("영동고속도로", "LOCATION") in found("영동고속도로에서 사고가 났다.")


def test_subject_particle_i_swallowed_by_a_guessed_name_stays_outside() -> None:
    # Kiwi guesses 정재영이 as one unknown noun; 이 is the subject particle after 영
    assert found("결국 정재영이 웃었다.") == {("정재영", "NAME")}


def test_title_glued_to_a_family_name_stays_outside() -> None:
    # 김/NNP 감독/NNG is not the three-syllable name 김감독; ranks are titles too
    assert found("김감독은 웃었다.") == {("김", "NAME")}
    assert found("그때 박병장이 소리쳤다.") == {("박", "NAME")}


def test_regnal_number_belongs_to_a_foreign_name_but_an_age_does_not() -> None:
    assert ("베네딕토 16세", "NAME") in found("교황 베네딕토 16세는 사임했다.")
    assert ("니콜라이2세", "NAME") in found("니콜라이2세의 가족이 떠났다.")
    assert ("김철수", "NAME") in found("김철수 45세 남성이 다쳤다.")


def test_galleries_and_short_places_are_locations() -> None:
    assert ("해운대", "LOCATION") in found("주말에 해운대에 갔다.")  # not 해운 (shipping) + 대
    assert ("서울시립미술관", "LOCATION") in found("서울시립미술관에서 전시가 열린다.")


def test_place_inside_a_common_noun_kiwi_made() -> None:
    # Kiwi: 헐리웃/NNG, 미국식/NNG; the place is the entity, the suffix stays outside
    assert ("헐리웃", "LOCATION") in found("헐리웃 액션과 스토리가 좋다.")
    assert ("미국", "LOCATION") in found("공감 안 되는 미국식 코미디")


def test_japanese_and_chinese_places_missing_from_the_gazetteer() -> None:
    assert ("후쿠시마", "LOCATION") in found("후쿠시마에서 지진이 났다.")
    assert ("칭다오", "LOCATION") in found("칭다오로 출장을 갔다.")


def test_gyeonggi_is_a_match_before_a_place_particle_but_a_province_before_a_city() -> None:
    assert found("그는 홈 경기에서 결승골을 넣었다.") == set()
    assert found("영어로 말했다.") == set()
    assert ("경기 용인", "LOCATION") in found("경기 용인에서 열렸다.")


def test_product_lines_name_no_one() -> None:
    assert found("새 아이폰이 나왔다.") == set()
    assert found("갤럭시 노트를 샀다.") == set()


def test_ministries_although_they_end_like_common_nouns() -> None:
    assert ("통일부", "ORGANIZATION") in found("통일부는 밝혔다.")  # ends like 일부 "a part"
    assert ("안전행정부", "ORGANIZATION") in found("안전행정부에 따르면 늘었다.")  # like 정부
    assert found("내부의 일부는 반대했다.") == set()
