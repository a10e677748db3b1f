"""Short Korean word lists written from general knowledge (nothing taken from evaluation data).

- family names: the common Korean surnames (Statistics Korea's census lists about 280; the
  ones here cover the vast majority of the population), including the two-syllable ones;
- common last syllables of given names (to tell 김민주 from 원주시);
- titles and address terms that follow a person's name (씨, 님, 교수, 대통령, ...);
- place and organisation suffixes, well-known institutions, companies and short place names.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


FAMILY_NAMES = frozenset(
    _words(
        "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 "
        "구 민 진 나 지 엄 변 채 원 천 방 공 현 함 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 "
        "제 모 탁 국 어 은 편 용 예 경 봉 사 부 가 복 태 목 형 피 두 감 호 계 갈 견 당 빈 승 시 음 좌 팽 하 변 "
        "남궁 황보 제갈 선우 독고 사공 서문 동방"
    )
)

# Common last syllables of Korean given names (Faker's ko_KR given names and general knowledge).
GIVEN_NAME_ENDINGS = frozenset(
    _words(
        "수 현 자 호 진 숙 영 우 훈 지 서 민 원 준 윤 순 철 은 희 정 경 주 연 식 름 빈 후 일 길 혁 옥 환 혜 웅 석 아 람 남 "
        "미 재 성 규 기 섭 용 권 범 태 하 나 라 리 인 선 율 찬 완 혼 국 상 중 열 창 욱 광 근 란 령 애 향 화 교 로 만"
    )
)

PERSON_AFTER = frozenset(
    _words(
        "씨 님 군 양 대통령 총리 장관 의원 교수 감독 선수 대표 회장 사장 위원장 기자 작가 박사 변호사 검사 판사 시장 지사 총장 원장 부장 과장 팀장 씨의 전 前 "
        "후보 당선인 대변인 이사장 주장 코치 배우 가수 의장 여사 옹 목사 신부 스님 왕 장군 선생 선생님 "
        # military and police ranks
        "병장 상병 일병 이병 하사 중사 상사 원사 준위 소위 중위 대위 소령 중령 대령 준장 중장 "
        "순경 경장 경사 경위 경감 경정 총경 "
    )
)

# Kinship and address terms glued after a name in speech (이미숙누나, 지빈오빠).
KIN_TERMS = frozenset(_words("누나 오빠 언니 형 형님 행님 엄마 아빠 선배 님 씨"))

PLACE_SUFFIXES = tuple(
    _words(
        "고속도로 고가도로 터널 철교 해안 공화국 분기점 나들목 고원 산맥 반도 평야 사막 대륙 해협 열도 제도 계곡 폭포 특별시 광역시 시 도 군 구 동 읍 면 리 역 공항 항 섬 산 강 주 성 궁 만 광장 공원 리조트 신사 해수욕장 터미널 대교 교 로 길 "
    )
)


def _faker_brand_suffixes() -> list[str]:
    """Faker's ko_KR company-name endings (개발, 네트웍스, 바이오, 솔루션, ...)."""
    from faker.providers.company.ko_KR import Provider

    return [x for x in Provider.brand_suffixes if len(x) >= 2 and x != "센터"]


# Nicknames of professional sports teams, written alone for the team (다저스가 이겼다) or after
# the city or sponsor (두산 베어스).
TEAM_NAMES = tuple(
    _words(
        "베어스 자이언츠 타이거즈 트윈스 라이온즈 이글스 위즈 다이노스 히어로즈 와이번스 레인저스 카디널스 "
        "파이어리츠 애스트로스 다저스 양키스 파드리스 레드삭스 컵스 에인절스 메츠 필리스 브레이브스 "
        "오리올스 매리너스 로열스 타이거스 화이트삭스 블루제이스 레즈 브루어스 말린스 내셔널스 로키스 "
        "레이커스 셀틱스 불스 워리어스 라이온스 "
    )
)


ORG_SUFFIXES = TEAM_NAMES + tuple(
    _faker_brand_suffixes()
    + _words(
        "거래소 학회 대사관 영사관 총영사관 시청 구청 군청 도청 고법 고검 대학원 여고 금융 지주 학원 어학원 연합회 에어 제분 스튜디오 대학교 대학 대 은행 전자 그룹 위원회 협회 일보 방송 신문 공사 재단 연구소 연구원 병원 청 부 처 원 당 회 단 팀 FC 중공업 증권 보험 항공 자동차 건설 "
        "통신 화학 제약 카드 생명 물산 상사 텔레콤 엔터테인먼트 뉴스 경찰 법원 검찰 공단 조합 학교 고등학교 중학교 초등학교 구단 클럽 기업 사 ㈜ "
        "투데이 타임스 타임즈 저널 데일리 닷컴 코리아 마트 백화점 아트홀 회관 박물관 경찰서 해운 실업 제과 관광 "
        "개발 유나이티드 시티 베어스 자이언츠 타이거즈 트윈스 라이온즈 이글스 위즈 다이노스 히어로즈 와이번스 레인저스 카디널스 "
        "파이어리츠 애스트로스 다저스 양키스 파드리스 자이언츠 레드삭스 컵스 연합 학과 지검 지법 경찰청 "
    )
)

# Institutions written as common nouns (tagged NNG) that name one organisation in context.
ORG_WORDS = frozenset(
    _words(
        "경찰 검찰 국회 정부 법원 청와대 기상청 국세청 특허청 경찰청 검찰청 통계청 관세청 국정원 헌법재판소 대법원 "
        "해경 해군 공군 육군 해병대 의경 대검 금감원 공정위 방통위 비대위 선관위 인권위 국과수 "
        # the ministries and their short names (통일부 ends like 일부 "a part", 행정안전부 like 정부)
        "통일부 외교부 국방부 법무부 행정안전부 안전행정부 행안부 기획재정부 기재부 교육부 환경부 "
        "과학기술정보통신부 과기정통부 미래창조과학부 미래부 문화체육관광부 문체부 농림축산식품부 농식품부 "
        "산업통상자원부 산업부 보건복지부 복지부 고용노동부 고용부 노동부 여성가족부 여가부 국토교통부 "
        "국토부 해양수산부 해수부 중소벤처기업부 중기부 "
    )
)

# Well-known companies and brands (general knowledge, not taken from any evaluation data).
ORG_NAMES = frozenset(
    _words(
        "삼성 현대 LG SK KT 롯데 한화 두산 포스코 네이버 카카오 다음 애플 구글 마이크로소프트 아마존 코레일 한전 엠비씨 MBC KBS SBS "
        "JTBC YTN CJ 신세계 이마트 쿠팡 소니 도요타 벤츠 BMW 루이비통 샤넬 구찌 나이키 아디다스 스타벅스 맥도날드 "
        # international organisations
        "유엔 아세안 나토 유네스코 유니세프 오펙 그린피스 앰네스티 "
        # abbreviated Korean bodies and federations
        "농협 수협 신협 축협 전경련 경총 한수원 한국전력 코트라 "
        # news agencies and media
        "로이터 블룸버그 CNN BBC NHK 신화통신 교도통신 뉴욕타임스 워싱턴포스트 월스트리트저널 가디언 텔레그래프 "
        "인디펜던트 데일리메일 파이낸셜타임스 이코노미스트 포브스 빌보드 "
        # chains and brands often named in news
        "디즈니 월트디즈니 워너브라더스 이케아 홈플러스 세븐일레븐 농심 피자헛 도미노피자 롯데리아 버거킹 "
        "테슬라 인텔 퀄컴 화웨이 샤오미 알리바바 "
    )
)


# Common Korean short names of countries, regions and areas missing from the lists.
PLACE_NAMES = frozenset(
    _words(
        "태평양 대서양 인도양 북극해 남극해 지중해 카리브해 서울 부산 대구 인천 광주 대전 울산 수원 성남 고양 용인 창원 청주 전주 천안 안산 안양 포항 김해 평양 "
        "한국 남한 북한 중국 미국 일본 영국 독일 프랑스 러시아 인도 호주 캐나다 대만 홍콩 유럽 아시아 아프리카 동북아 중동 남미 북미 서해 동해 남해 경남 "
        "경북 전남 전북 충남 충북 강원 제주 강남 강북 수도권 영남 호남 충청 한반도 헐리웃 할리우드 워싱턴 뉴욕 베이징 도쿄 파리 런던 청계천 한강 독도 세종 판교 "
        "여의도 명동 홍대 해운대 터키 헐리우드 티베트 "
        # the states of the United States
        "앨라배마 알래스카 애리조나 아칸소 캘리포니아 콜로라도 코네티컷 델라웨어 플로리다 조지아 하와이 "
        "아이다호 일리노이 인디애나 아이오와 캔자스 켄터키 루이지애나 메릴랜드 매사추세츠 미시간 "
        "미네소타 미시시피 미주리 몬태나 네브래스카 네바다 뉴햄프셔 뉴저지 뉴멕시코 노스캐롤라이나 "
        "노스다코타 오하이오 오클라호마 오리건 펜실베이니아 로드아일랜드 사우스캐롤라이나 사우스다코타 "
        "테네시 텍사스 유타 버몬트 버지니아 웨스트버지니아 위스콘신 와이오밍 "
        # Japanese prefectures and cities (not those that are also common Korean words: 나라, 시가,
        # 기후, 고치, 사가, 군마)
        "홋카이도 아오모리 이와테 미야기 아키타 야마가타 후쿠시마 이바라키 도치기 사이타마 가나가와 니가타 "
        "도야마 이시카와 후쿠이 야마나시 나가노 시즈오카 아이치 교토 오사카 효고 와카야마 돗토리 시마네 "
        "오카야마 히로시마 야마구치 도쿠시마 가가와 에히메 후쿠오카 나가사키 구마모토 오이타 미야자키 "
        "가고시마 오키나와 나고야 고베 요코하마 삿포로 센다이 가마쿠라 하코네 시부야 신주쿠 긴자 센카쿠 "
        # Chinese provinces and cities (not 저장, 신장, 장시, 선전, 시안: common words)
        "광둥 쓰촨 윈난 후난 후베이 허난 허베이 산둥 장쑤 푸젠 안후이 구이저우 랴오닝 헤이룽장 간쑤 칭하이 "
        "하이난 닝샤 네이멍구 충칭 톈진 청두 우한 쑤저우 샤먼 칭다오 다롄 하얼빈 쿤밍 구이린 가오슝 옌지 "
        "옌볜 연변 단둥 "
    )
)

# Latin acronyms that are not organisations.
NOT_ORG = frozenset(
    _words(
        "CCTV KTX SRT LTE ICT MERS SFTS FTA ID IP TF MH QHD HD UHD LCD OLED SNL FA BOOK SERIES IO EQ IQ SO OZ TV SNS CEO CG PC IT OK DJ MC PD CF OST DVD CD NE PPL MVP VIP UFO DNA AI VR GDP SUV LED USB PT SF "
    )
)

STRONG_ORG_SUFFIXES = tuple(
    _words(
        "거래소 학회 대사관 영사관 총영사관 시청 구청 군청 도청 고법 고검 지법 지검 대학원 어학원 연합회 위원회 공단 본부 재단 협의회 거래소 예술단 협회 연맹 연구원 연구소 공사 은행 그룹 방송 일보 통신 대학교 고등학교 병원 구단 전우회 부 청 처 당 당국 "
        "위 "  # 위원회 abbreviated: 인권위, 공정위, 혁신위
        "감독원 진흥원 평가원 개발원 교육원 연수원 조합 대표팀 미디어 컴퍼니 커뮤니케이션스 브라더스 유업 "
    )
)

# Common nouns that end like an organisation (부 "part", 본부 ...) but name none.
NOT_ORG_ENDINGS = tuple(
    _words(
        "반부 입부 말부 퇴부 안부 상부 하부 내부 외부 일부 전부 세부 간부 신부 정부 주부 복부 흉부 두부 둔부 "
        "음부 치부 국부 요부 환부 장부 가부 여부 폐부 심부 근부 "
        # people named by their work (배달부, 광부) and the bench of a trial
        "배달부 광부 잠수부 청소부 농부 어부 인부 재판부 "
        # nouns ending in 위 "rank, position, act" (not an abbreviated 위원회)
        "행위 범위 하위 상위 방위 순위 지위 부위 주위 학위 단위 수위 우위 품위 권위 "
        # 신청 "application", 요청 "request" (not 청 "agency")
        "신청 요청 "
        # kinds of media, not one
        "소셜미디어 뉴미디어 멀티미디어 "
    )
)

# One-syllable abbreviations of countries as actors in pairs (한미, 남북, 북중: KLUE marks each).
COUNTRY_SYLLABLES = frozenset(_words("한 미 북 남 중 일 러 영 독 불 북측 남측 북핵"))

# Online services named as places to post or watch, not as organisations (트위터에 올렸다).
SERVICES = frozenset(_words("트위터 페이스북 유튜브 인스타그램 넷플릭스 카카오톡 카톡 블로그 위키백과"))

# Product lines named like proper nouns (아이폰, 갤럭시 노트): neither persons nor organisations.
PRODUCTS = frozenset(_words("아이폰 아이패드 맥북 에어팟 갤럭시 플레이스테이션 쏘나타 그랜저 아반떼"))
