"""One realistic text per language: names, a place, a phone number and a national id (all fictitious;
the ids are made up but checksum-valid)."""

from __future__ import annotations

SEED_GERMAN = "Hallo Günther, ich bin Pieter"

# language -> (text, {(entity text, engine class)}) -- classes as the API reports them by default
EXAMPLES: dict[str, tuple[str, set[tuple[str, str]]]] = {
    "de": (
        "Sehr geehrte Frau Schneider, Thomas Becker aus München ist unter 089 12345678 erreichbar. "
        "Seine Steuer-ID lautet 86095742719, Personalausweis T220001293.",
        {("Schneider", "NAME"), ("Thomas Becker", "NAME"), ("München", "LOCATION"),
         ("089 12345678", "PHONE_NUMBER"), ("86095742719", "SSN"), ("T220001293", "SSN")},
    ),
    "fr": (
        "Bonjour, je m'appelle Marie Dupont et j'habite à Lyon. Mon numéro est le 06 12 34 56 78 "
        "et mon numéro de sécurité sociale est 2 84 02 75 123 456 24.",
        {("Marie Dupont", "NAME"), ("Lyon", "LOCATION"), ("06 12 34 56 78", "PHONE_NUMBER"),
         ("2 84 02 75 123 456 24", "SSN")},
    ),
    "es": (
        "Hola, soy Carlos García López y vivo en Sevilla. Mi teléfono es 612 345 678 y mi DNI es 12345678Z; "
        "el NIE de mi esposa es X1234567L.",
        {("Carlos García López", "NAME"), ("Sevilla", "LOCATION"), ("612 345 678", "PHONE_NUMBER"),
         ("12345678Z", "SSN"), ("X1234567L", "SSN")},
    ),
    "it": (
        "Buongiorno, sono Giulia Bianchi e abito a Torino. Il mio numero è 347 123 4567 "
        "e il mio codice fiscale è RSSMRA85T10A562S.",
        {("Giulia Bianchi", "NAME"), ("Torino", "LOCATION"), ("347 123 4567", "PHONE_NUMBER"),
         ("RSSMRA85T10A562S", "SSN")},
    ),
    "pt": (
        "Olá, o meu nome é João Silva e moro em Lisboa. O meu telemóvel é 912 345 678, "
        "o meu NIF é 123456789 e o NISS é 12345678902.",
        {("João Silva", "NAME"), ("Lisboa", "LOCATION"), ("912 345 678", "PHONE_NUMBER"),
         ("123456789", "SSN"), ("12345678902", "SSN")},
    ),
    "ko": (
        "안녕하세요, 저는 김철수입니다. 부산에 살고 있고 전화번호는 010-1234-5678, "
        "주민등록번호는 850312-1234565입니다.",
        {("김철수", "NAME"), ("부산", "LOCATION"), ("010-1234-5678", "PHONE_NUMBER"), ("850312-1234565", "SSN")},
    ),
}
