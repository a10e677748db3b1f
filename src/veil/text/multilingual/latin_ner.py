"""Rule NER for Latin-script languages: capitalised runs typed by gazetteers and context cues.

A *run* is a sequence of capitalised words (name particles such as "von", "da", "di" may sit
inside). Each run is typed by what is known about it:

- a title or honorific right before it (Herr/Frau, M./Mme, Sr./Sra., Sig./Sig.ra, Dr.) -> person;
- the whole run is a known place (GeoNames cities, Faker's countries and regions) -> location;
- it contains an organisation word (GmbH, S.p.A., Universität, Banco, ...) -> organisation;
- it starts with a known given name, or ends with a known family name (two words or more) -> person;
- a single known given name that is not a common word of the language -> person.

Capitalised common words (the language's stop words, months, weekdays) never start a run, which
matters most for German, where every noun is capitalised. German also drops its common nouns
from runs (simplemma's inflected noun forms, compounds ending in one, see
:func:`german_common_noun`), keeps a common noun after a given name as a surname ("Conchita
Wurst"), types acronym runs and "place + word" runs as organisations ("SV Elversberg", "Boston
Bruins"), runs with a place word as places ("Tanana River", "Südtirol"), and takes a known place
that is also a common noun ("Mitte", "Siegen") for a place only after a place preposition.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from veil.text.multilingual import lexicon
from veil.text.multilingual.gazetteers import family_names, given_names, place_type
from veil.text.spans import Span

WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*\.?")
PARTICLES = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "di",
        "del",
        "della",
        "delle",
        "dos",
        "das",
        "do",
        "du",
        "des",
        "la",
        "le",
        "zu",
        "vom",
        "ter",
        "al",
        "el",
        "bin",
        "ibn",
        "of",
    }
)
# Cues that announce a person's name (with or without the final dot).
PERSON_CUES = frozenset(
    {
        "Herr",
        "Herrn",
        "Frau",
        "Fräulein",
        "Dr",
        "Prof",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Sir",
        "M",
        "Mme",
        "Mlle",
        "Monsieur",
        "Madame",
        "Mademoiselle",
        "Sr",
        "Sra",
        "Srta",
        "Señor",
        "Señora",
        "Señorita",
        "Don",
        "Doña",
        "Dona",
        "Sig",
        "Sig.ra",
        "Sig.na",
        "Signor",
        "Signore",
        "Signora",
        "Signorina",
        "Dott",
        "Dott.ssa",
        "Senhor",
        "Senhora",
        "Dom",
        "Ing",
        "Avv",
        "Maître",
        "Me",
        "Pr",
    }
)
# Words that make a capitalised run an organisation (matched case-sensitively on a word).
ORG_WORDS = frozenset(
    {
        "GmbH",
        "AG",
        "SE",
        "KG",
        "OHG",
        "e.V.",
        "eV",
        "Verein",
        "Verband",
        "Stiftung",
        "Universität",
        "Hochschule",
        "Bank",
        "Partei",
        "Gesellschaft",
        "Institut",
        "Ministerium",
        "Konzern",
        "Gruppe",
        "Werke",
        "Bundesliga",
        "SA",
        "S.A.",
        "SARL",
        "SAS",
        "Société",
        "Université",
        "Banque",
        "Parti",
        "Ministère",
        "Compagnie",
        "Association",
        "Fédération",
        "Groupe",
        "S.L.",
        "SL",
        "S.A.U.",
        "Universidad",
        "Banco",
        "Partido",
        "Instituto",
        "Ministerio",
        "Compañía",
        "Asociación",
        "Federación",
        "Grupo",
        "Fundación",
        "Club",
        "FC",
        "CF",
        "S.p.A.",
        "SpA",
        "S.r.l.",
        "Srl",
        "Università",
        "Banca",
        "Partito",
        "Istituto",
        "Ministero",
        "Compagnia",
        "Associazione",
        "Federazione",
        "Gruppo",
        "Fondazione",
        "Ltda",
        "Lda",
        "Universidade",
        "Companhia",
        "Associação",
        "Federação",
        "Fundação",
        "Inc",
        "Inc.",
        "Ltd",
        "Ltd.",
        "LLC",
        "Corp",
        "Corporation",
        "Company",
        "University",
        "Party",
        "Institute",
        "Ministry",
        "Federation",
        "Foundation",
        "Society",
        "College",
        "League",
        "Committee",
        "Agency",
        "Heritage",
        "Records",
        "Airlines",
        "Motors",
        "Holding",
        "United",
        "Sporting",
        "Real",
        "Atlético",
        "Calcio",
        "Borussia",
        "Deportivo",
        "Olympique",
        "Racing",
        "Athletic",
        "Union",
        "Unione",
        "União",
        "Unión",
        "Academy",
        "Akademie",
        "Académie",
        "Academia",
        "Accademia",
        "Orchestra",
        "Orchester",
        "Orquesta",
        "Band",
        "Council",
        "Rat",
        "Conseil",
        "Consejo",
        "Consiglio",
        "Conselho",
        "Kommission",
        "Commission",
        "Comisión",
        "Commissione",
        "Comissão",
        "Agentur",
        "Agence",
        "Agencia",
        "Agenzia",
        "Agência",
        "Zeitung",
        "Journal",
        "Times",
        "News",
        "Gazzetta",
        "Corriere",
        "Diario",
        "Jornal",
        "Folha",
        "Radio",
        "TV",
        "Television",
        "Fernsehen",
        "Télévision",
        "Televisión",
        "Televisione",
        "Televisão",
        "Army",
        "Armee",
        "Armée",
        "Ejército",
        "Esercito",
        "Exército",
        "Navy",
        "Marine",
        "Kirche",
        "Church",
        "Église",
        "Iglesia",
        "Chiesa",
        "Igreja",
    }
)
MONTHS_WEEKDAYS = frozenset(
    {
        "Januar",
        "Jänner",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
        "Janvier",
        "Février",
        "Mars",
        "Avril",
        "Juin",
        "Juillet",
        "Août",
        "Septembre",
        "Octobre",
        "Novembre",
        "Décembre",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Enero",
        "Febrero",
        "Marzo",
        "Abril",
        "Mayo",
        "Junio",
        "Julio",
        "Agosto",
        "Septiembre",
        "Octubre",
        "Noviembre",
        "Diciembre",
        "Lunes",
        "Martes",
        "Miércoles",
        "Jueves",
        "Viernes",
        "Sábado",
        "Domingo",
        "Gennaio",
        "Febbraio",
        "Aprile",
        "Maggio",
        "Giugno",
        "Luglio",
        "Settembre",
        "Ottobre",
        "Dicembre",
        "Lunedì",
        "Martedì",
        "Mercoledì",
        "Giovedì",
        "Venerdì",
        "Sabato",
        "Domenica",
        "Janeiro",
        "Fevereiro",
        "Março",
        "Maio",
        "Junho",
        "Julho",
        "Setembro",
        "Outubro",
        "Novembro",
        "Dezembro",
        "Segunda",
        "Terça",
        "Quarta",
        "Quinta",
        "Sexta",
        "January",
        "February",
        "March",
        "May",
        "June",
        "July",
        "October",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Hallo",
        "Hello",
        "Hi",
        "Bonjour",
        "Salut",
        "Hola",
        "Ciao",
        "Olá",
        "Oi",
        "Buongiorno",
        "Danke",
        "Merci",
        "Gracias",
        "Grazie",
        "Obrigado",
        "Obrigada",
    }
)


@lru_cache(maxsize=8)
def stop_words(lang: str) -> frozenset[str]:
    """The language's function words (spaCy's lists, shipped with spaCy itself, no model needed)."""
    import importlib

    try:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    except ImportError:
        return frozenset()
    words: set[str] = set(module.STOP_WORDS)
    # Faker's German lorem list: everyday words, most of them capitalised nouns (measured: for Italian
    # the same kind of list cost recall, so only German uses it).
    for loc in {"de": ("de_DE",)}.get(lang, ()):
        try:
            lorem = importlib.import_module(f"faker.providers.lorem.{loc}")
        except ImportError:
            continue
        words |= {w.lower() for w in lorem.Provider.word_list}
    return frozenset(words)


@dataclass
class Word:
    start: int
    end: int
    text: str

    @property
    def bare(self) -> str:
        return self.text.rstrip(".")


def _words(text: str) -> list[Word]:
    out = []
    for m in WORD.finditer(text):
        value = m.group()
        end = m.end()
        # Keep a final dot only on abbreviations (one or two letters, or a known cue such as "Sig.ra").
        if (
            value.endswith(".")
            and len(value) > 3
            and value.rstrip(".") not in PERSON_CUES
            and value not in ORG_WORDS
        ):
            value = value[:-1]
            end -= 1
        out.append(Word(m.start(), end, value))
    return out


def _is_cap(word: Word) -> bool:
    """Capitalised and made of letters (ids such as "T220001293" are not names)."""
    return word.text[0].isupper() and not any(ch.isdigit() for ch in word.text)


def _common(word: Word, stops: frozenset[str], lang: str = "") -> bool:
    bare = word.bare
    if lang == "de" and _acronym(bare):
        return False  # "AS Rom", "IF Elfsborg": an acronym, not the stop word "as" / "if"
    if bare.lower() in stops or bare in MONTHS_WEEKDAYS:
        return True
    return lang == "de" and german_common_noun(bare)


def _acronym(word: str) -> bool:
    return 2 <= len(word) <= 5 and word.isupper() and word.isalpha() and not ROMAN.fullmatch(word)


ROMAN = re.compile(r"[IVXLCDM]+")


@lru_cache(maxsize=65536)
def german_common_noun(word: str) -> bool:
    """A capitalised German word that is a common noun, not a name: a German noun form that
    inflects (:func:`lexicon.is_german_noun`), or a compound ending in one ("Nationalkongress",
    "US-Delegation"), and neither a known given or family name nor a known place (the
    gazetteers are asked first). Organisation words ("Universität", "Bank") are kept apart:
    they make organisation names. Compound tails that also end names and places ("-mann",
    "-berg", "-stein") do not count."""
    if word in GERMAN_CLASSIFIERS:
        return True
    if word in ORG_WORDS or word in given_names() or word in family_names() or place_type(word) is not None:
        return False
    if not lexicon.available() or _demonym(word) or german_place_compound(word):
        return False
    if lexicon.is_german_noun(word) or (GERMAN_NOUN_SUFFIX.search(word) and lexicon.is_word("de", word)):
        return True
    if "-" in word:
        head, _, tail = word.rpartition("-")
        if tail in FACILITY_TAILS:
            return _german_head(head)  # "Edmund-Probst-Haus", "Bolschoi-Theater": a named place
        # "Parkinson-Krankheit", "UNO-Abkommen", "US-amerikanisch-britischer": a German last part.
        return len(tail) >= 2 and (
            german_common_noun(tail) or lexicon.is_word("de", tail) or lexicon.is_word("de", tail.lower())
        )
    if GERMAN_PLACE_SUFFIX.search(word) or shared_across_languages(word):
        return False
    return _german_compound(word, 2)


def shared_across_languages(word: str) -> bool:
    """About as frequent in other languages as in German (wordfreq): a proper noun such as
    "Wendell", "Barzani", "Tibet", not a German common noun ("Jugend": 4.8 in German, 2.2
    elsewhere). Words wordfreq does not know are not shared."""
    german, other = lexicon.german_frequency(word)
    return other > 0.0 and other >= german - SHARED_ZIPF_MARGIN


# Organisation words that stand before a name as a plain noun ("der Verein Yokohama FC").
GERMAN_CLASSIFIERS = frozenset({"Verein", "Gruppe", "Band", "Werke", "Formation", "Mannschaft"})
# Last parts of hyphenated names of buildings and places ("Prinz-Luitpold-Haus").
FACILITY_TAILS = frozenset(
    {
        "Haus",
        "Theater",
        "Strom",
        "Platz",
        "Straße",
        "Brücke",
        "Kanal",
        "Halle",
        "Stadion",
        "Park",
        "Bahnhof",
        "Museum",
        "Kirche",
        "Dom",
        "Schloss",
        "Burg",
        "Tor",
        "Turm",
        "Insel",
        "See",
        "Gebirge",
        "Tal",
        "Flughafen",
    }
)
# Zipf points (log10 per billion words) within which a word counts as shared across languages.
SHARED_ZIPF_MARGIN = 1.0
# Prefixes that make a place out of a place ("Südtirol", "Mitteleuropa", "Neuguinea").
PLACE_PREFIXES = (
    "Nordost",
    "Nordwest",
    "Südost",
    "Südwest",
    "Nord",
    "Süd",
    "Ost",
    "West",
    "Mittel",
    "Zentral",
    "Neu",
    "Ober",
    "Nieder",
    "Inner",
    "Groß",
    "Klein",
    "Alt",
)


def german_place_compound(word: str) -> bool:
    """A compass or size prefix glued to a known place: "Südtirol", "Mitteleuropa", "Neuguinea"."""
    for prefix in PLACE_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            rest = word[len(prefix) :]
            rest = rest[0].upper() + rest[1:]
            if lexicon.is_german_noun(rest):
                continue  # "Mittelalter": "Alter" is a place name too, but first a noun
            if place_type(rest) is not None or place_type(rest.rstrip("s")) is not None:
                return True
    return False


def _german_head(head: str) -> bool:
    """The parts before the last hyphen are German words or acronyms ("US-Delegation",
    "Science-Fiction-Film"), not names or places ("Frankfurt-Hahn", "Edmund-Probst-Haus")."""
    for part in head.split("-"):
        if not part or _acronym(part) or part[0].isdigit():
            continue
        if _name_like(part) or not (
            lexicon.is_word("de", part)
            or lexicon.is_word("de", part.lower())
            or lexicon.is_word("en", part.lower())
        ):
            return False
    return True


def _german_compound(word: str, depth: int) -> bool:
    """``word`` = German first part(s) + a German noun of at least four letters (not a name
    ending such as "-mann", "-berg")."""
    for i in range(COMPOUND_HEAD, len(word) - COMPOUND_TAIL + 1):
        tail = word[i].upper() + word[i + 1 :]
        if tail in NAME_TAILS or place_type(tail) is not None:
            continue
        if not (lexicon.is_german_noun(tail) or lexicon.is_word("de", tail)):
            continue
        if _german_stem(word[:i], depth):
            return True
    return False


def _german_stem(head: str, depth: int = 0) -> bool:
    """The first part of a compound is German: a word, or a word plus a linking element
    ("Menschenrechts-", "Genre-"), or itself a compound ("Sommertransfer-"), so foreign names
    with a noun-like ending ("Bracquemond", "Brubeck") are no compounds."""
    for cut in ("", "s", "es", "n", "en", "e", "er"):
        if cut and not head.endswith(cut):
            continue
        stem = head[: len(head) - len(cut)] if cut else head
        if len(stem) < COMPOUND_HEAD:
            continue
        if lexicon.is_word("de", stem) or lexicon.is_word("de", stem.lower()):
            return True
        if depth > 0 and len(stem) >= COMPOUND_HEAD + COMPOUND_TAIL and _german_compound(stem, depth - 1):
            return True
    return False


def _demonym(word: str) -> bool:
    """ "Londoner", "Düsseldorfer": a place name plus "-er" (a place, not a common word)."""
    return len(word) > 5 and word.endswith("er") and place_type(word[:-2]) is not None


def _name_like(head: str) -> bool:
    """The head of a hyphenated compound is a name ("Hans-Jürgen", "Frankfurt-Hahn")."""
    last = head.rpartition("-")[2]
    return last in given_names() or last in family_names() or place_type(last) is not None


COMPOUND_HEAD = 3  # letters before a compound's last noun
COMPOUND_TAIL = 4  # letters of that noun
# Last parts of German compounds that also form family names and places ("Hartmann", "Kahlenberg").
NAME_TAILS = frozenset(
    {
        "Mann",
        "Manns",
        "Land",
        "Lands",
        "Berg",
        "Berger",
        "Bergs",
        "Stein",
        "Steins",
        "Feld",
        "Felde",
        "Dorf",
        "Dorfs",
        "Burg",
        "Hausen",
        "Heim",
        "Heims",
        "Bach",
        "Bachs",
        "Thal",
        "Hofer",
        "Weiler",
        "Wald",
        "Walde",
        "Brunn",
        "Brunnen",
        "Kamp",
        "Born",
        "Horst",
        "Hagen",
        "Hain",
        "Ling",
        "Lingen",
        "Meier",
        "Meyer",
        "Müller",
        "Schmidt",
        "Baum",
        "Busch",
        "Strom",
        "Bruck",
        "Brück",
        "Brücke",
        "Furt",
        "Garten",
        "Kirchen",
        "Hall",
        "Haus",
        "Hof",
        "Ried",
        "Rode",
        "Roth",
        "Rath",
        "Wang",
        "Stedt",
        "Stadt",
        "Kirch",
        "Grund",
        "Holz",
        "Wiese",
        "Tal",
        "Berge",
    }
)


def _runs(
    text: str, words: list[Word], stops: frozenset[str], nouns_capitalised: bool, lang: str = ""
) -> Iterator[tuple[list[Word], bool]]:
    """Capitalised runs and whether a person cue stands right before each."""
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if (
            not _is_cap(w)
            or w.bare in PERSON_CUES
            or (_common(w, stops, lang) and not _place_start(text, words, i))
        ):
            i += 1
            continue
        cue = i > 0 and words[i - 1].bare in PERSON_CUES and _adjacent(text, words[i - 1], w)
        run = [w]
        j = i + 1
        while j < n and _adjacent(text, run[-1], words[j]):
            nxt = words[j]
            if (
                _is_cap(nxt)
                and nxt.bare not in PERSON_CUES
                and (not _common(nxt, stops, lang) or _surname_slot(run, nxt, stops))
            ):
                run.append(nxt)
                j += 1
                continue
            if (
                nxt.text in PARTICLES
                and j + 1 < n
                and _adjacent(text, nxt, words[j + 1])
                and _is_cap(words[j + 1])
                and not _common(words[j + 1], stops, lang)
                and (not nouns_capitalised or _joins(text, run, words[j + 1]))
            ):
                run.extend([nxt, words[j + 1]])
                j += 2
                continue
            break
        yield run, cue
        i = j


def _place_start(text: str, words: list[Word], i: int) -> bool:
    """A common word that starts a known place of two or three words ("Los Angeles", "Bad Ems")."""
    for k in (2, 3):
        last = i + k - 1
        if last >= len(words) or not all(_adjacent(text, words[m], words[m + 1]) for m in range(i, last)):
            return False
        if place_type(text[words[i].start : words[last].end]) is not None:
            return True
    return False


def _surname_slot(run: list[Word], nxt: Word, stops: frozenset[str]) -> bool:
    """After a given name (or an initial), a German common noun is a family name ("Arthur
    Schopenhauer", "Conchita Wurst", "Arthur M. Schlesinger"); function words still end the run."""
    last = run[-1].bare
    return (last in given_names() or (len(last) == 1 and len(run) > 1)) and not (
        nxt.bare.lower() in stops or nxt.bare in MONTHS_WEEKDAYS
    )


def _joins(text: str, run: list[Word], after: Word) -> bool:
    """A particle joins a run only inside a name ("Ludwig van Beethoven") or a known place."""
    last = run[-1].bare
    if last in given_names() or last in family_names():
        return True
    if any(w.text in ORG_WORDS or w.bare in ORG_WORDS for w in run):
        return True
    return place_type(text[run[0].start : after.end]) is not None


def _adjacent(text: str, a: Word, b: Word) -> bool:
    gap = text[a.end : b.start]
    return gap in (" ", "-") or (gap == "" and a.text.endswith("."))


# Organisation words that end a name ("Siemens AG"); the others start one ("FC Barcelona").
ORG_SUFFIXES = frozenset(
    {
        "GmbH",
        "AG",
        "SE",
        "KG",
        "OHG",
        "e.V.",
        "eV",
        "SA",
        "S.A.",
        "SARL",
        "SAS",
        "S.L.",
        "SL",
        "S.A.U.",
        "S.p.A.",
        "SpA",
        "S.r.l.",
        "Srl",
        "Ltda",
        "Lda",
        "Inc",
        "Inc.",
        "Ltd",
        "Ltd.",
        "LLC",
        "Corp",
        "Corporation",
        "Records",
        "Airlines",
        "Motors",
        "Holding",
        "Zeitung",
        "Journal",
        "Times",
        "News",
        "Orchestra",
        "Orchester",
        "Band",
        "Company",
        "Gruppe",
        "Werke",
        "Konzern",
        "University",
        "College",
        "United",
        "Trust",
        "League",
        "Club",
    }
)


def _place_in(text: str, run: list[Word], lang: str) -> tuple[int, int, str] | None:
    """The longest contiguous part of the run that is a known place (German genitive -s allowed)."""
    n = len(run)
    for size in range(n, 0, -1):
        for i in range(0, n - size + 1):
            start, end = run[i].start, run[i + size - 1].end
            surface = text[start:end].rstrip(".")
            kind = place_type(surface)
            if kind is None and lang == "de" and surface.endswith("s") and len(surface) > 4:
                kind = place_type(surface[:-1])
            if kind is not None and not (size == 1 and run[i].bare in given_names()):
                return start, start + len(surface), kind
    return None


def _type_run(text: str, run: list[Word], cue: bool, lang: str) -> Span:
    given = given_names()
    family = family_names()
    start, end = run[0].start, run[-1].end
    surface = text[start:end].rstrip(".")
    end = start + len(surface)
    if cue:
        return Span(start, end, "NAME", 0.85, "context")
    if len(run) > 1 and run[0].bare in given and run[-1].bare in family:
        return Span(start, end, "NAME", 0.8, "context")
    whole = place_type(surface)
    if lang == "de" and whole is None and not any(w.bare in given or w.bare in family for w in run):
        typed = _german_shape_type(run)
        if typed is not None:
            return Span(start, end, typed, 0.6, "context")
    if lang == "de" and len(run) == 1 and whole is not None and _german_noun_not_place(text, run[0]):
        return Span(start, end, "UNKNOWN_PROPER", 0.3, "hint")
    if lang == "de" and len(run) == 1 and run[0].bare in given and lexicon.is_german_noun(run[0].bare):
        return Span(start, end, "UNKNOWN_PROPER", 0.3, "hint")  # "Tore", "Mark": a noun form alone
    if whole is not None and (len(run) > 1 or run[0].bare not in given):
        return Span(start, end, whole, 0.8, "context")
    if len(run) > 1 and lang != "de":
        if any(w.text in ORG_WORDS or w.bare in ORG_WORDS for w in run):
            return Span(start, end, "ORGANIZATION", 0.75, "context")
        if run[0].bare in given or run[-1].bare in family:
            return Span(start, end, "NAME", 0.8, "context")
    if len(run) > 1:
        for k, w in enumerate(run):
            if w.text in ORG_WORDS or w.bare in ORG_WORDS:
                a = start if (w.text in ORG_SUFFIXES or w.bare in ORG_SUFFIXES or k == 0) else w.start
                if k == len(run) - 1 and a != start:
                    break  # "Professor der University": an organisation word alone at the end
                return Span(a, end, "ORGANIZATION", 0.75, "context")
    first_given = next((k for k, w in enumerate(run) if w.bare in given), None)
    if first_given is not None and (len(run) - first_given > 1 or len(run) == 1):
        if len(run) == 1 and whole is not None:
            return Span(start, end, whole, 0.7, "context")
        return Span(run[first_given].start, end, "NAME", 0.8 if len(run) > 1 else 0.7, "context")
    if len(run) > 1 and run[-1].bare in family:
        return Span(start, end, "NAME", 0.75, "context")
    if lang == "de" and len(run) > 1 and not any(w.bare in given or w.bare in family for w in run):
        place = _place_in(text, run, lang)
        if place is not None and (place[0], place[1]) != (start, end):
            if place[0] == start and lexicon.is_german_noun(run[0].bare):
                return Span(start, end, "LOCATION", 0.6, "context")  # "Burg Valdštejn", "Bad Godesberg"
            return Span(start, end, "ORGANIZATION", 0.6, "context")  # "Juventus Turin", "Boston Bruins"
    if lang == "de" and len(run) == 1 and (_demonym(run[0].bare) or german_place_compound(run[0].bare)):
        return Span(start, end, "LOCATION", 0.6, "context")
    place = _place_in(text, run, lang) if lang == "de" else None
    if place is not None:
        return Span(place[0], place[1], place[2], 0.7, "context")
    if lang == "de" and len(run) == 1 and _german_place_shape(text, run[0]):
        return Span(start, end, "LOCATION", 0.6, "context")

    return Span(start, end, "UNKNOWN_PROPER", 0.3, "hint")


GERMAN_PLACE_SUFFIX = re.compile(r"(?:stan|land|ien|burg|dorf|hausen|heim|stadt|furt|ingen|berg|reich)s?$")
GERMAN_NOUN_SUFFIX = re.compile(
    r"(?:ung|heit|keit|schaft|tion|tät|ismus|chen|lein|nis|ment|ur|ik|ie|ei|enz|anz|ling|tum)$"
)
# Common nouns with a place-like ending.
GERMAN_NOT_PLACES = frozenset(
    {
        "Medien",
        "Ferien",
        "Studien",
        "Familien",
        "Serien",
        "Linien",
        "Kategorien",
        "Materialien",
        "Bakterien",
        "Kolonien",
        "Zeremonien",
        "Theorien",
        "Strategien",
        "Philosophien",
        "Industrien",
        "Partien",
        "Galerien",
        "Technologien",
        "Energien",
        "Akademien",
        "Biographien",
        "Biografien",
        "Kompanien",
        "Monarchien",
        "Aktien",
        "Details",
        "Gebirgsland",
        "Ausland",
        "Inland",
        "Festland",
        "Heimatland",
        "Vaterland",
        "Umland",
        "Hinterland",
        "Mittelalter",
        "Burg",
        "Stadt",
        "Land",
        "Berg",
        "Reich",
        "Königreich",
        "Kaiserreich",
        "Frankreichs",
        "Bereich",
        "Heim",
        "Gebirge",
        "Flugzeugen",
        "Regionen",
    }
)


# Words that make a run a place when they end it ("Tanana River") or start it ("Lake Placid").
PLACE_LAST_WORDS = frozenset(
    [
        "River",
        "County",
        "Park",
        "Bridge",
        "Road",
        "Street",
        "Avenue",
        "Island",
        "Islands",
        "Lake",
        "Valley",
        "Bay",
        "Beach",
        "Heights",
        "Falls",
        "Square",
        "Airport",
        "Circuit",
        "Palace",
        "Castle",
        "Oval",
        "Plains",
        "Strip",
        "Yards",
        "Hill",
        "Hills",
        "Mountains",
        "Canyon",
        "Creek",
        "Forest",
        "Stadium",
        "Arena",
        "Garden",
        "Gardens",
        "Harbour",
        "Harbor",
        "Peninsula",
        "Desert",
        "Coast",
    ]
)
PLACE_FIRST_WORDS = frozenset(
    [
        "Lake",
        "Mount",
        "Fort",
        "Port",
        "Cape",
        "Avenida",
        "Rua",
        "Via",
        "Piazza",
        "Camp",
        "Isla",
        "Île",
        "Monte",
        "Sierra",
        "Rio",
        "Río",
        "Mont",
        "Lago",
        "Isola",
    ]
)


def _german_shape_type(run: list[Word]) -> str | None:
    """Typing by the shape of a German run nothing else typed: a place word ("River",
    "Lake") -> LOCATION; an acronym alone ("ARD", "FIFA") or with other words ("SV
    Elversberg", "Grazer AK") -> ORGANIZATION."""
    if run[-1].bare in PLACE_LAST_WORDS or (len(run) > 1 and run[0].bare in PLACE_FIRST_WORDS):
        return "LOCATION"
    if any(_acronym(w.bare) for w in run):
        return "ORGANIZATION"
    return None


GERMAN_PLACE_CUE = re.compile(r"(?:^|\s)(?:in|nach|aus|bei|nahe|von|vor|um)\s$")


def _german_noun_not_place(text: str, word: Word) -> bool:
    """A known place that is also a German common noun ("Tor", "Mitte", "Siegen", "Halle") is a
    place only right after a place preposition ("in Halle", not "in der Halle")."""
    if (
        place_type(word.bare) != "LOCATION_CITY"
        or not lexicon.available()
        or not lexicon.is_german_noun(word.bare)
    ):
        return False
    return GERMAN_PLACE_CUE.search(text, max(0, word.start - 8), word.start) is None


def _german_place_shape(text: str, word: Word) -> bool:
    """An unknown German word that looks like a place: a place ending, or "in/nach/aus X"."""
    bare = word.bare
    if bare in GERMAN_NOT_PLACES or len(bare) < 4:
        return False
    if GERMAN_PLACE_SUFFIX.search(bare):
        return True
    if GERMAN_NOUN_SUFFIX.search(bare):
        return False
    # Measured: "in/nach/aus X" for unknown words added recall but cost more precision (nouns
    # such as "in Kraft", "nach Hause"): a place ending alone decides.
    return False


def find_entities(text: str, lang: str) -> list[Span]:
    """Typed candidate spans (NAME, LOCATION_*, ORGANIZATION) plus untyped ``hint`` runs."""
    if lang == "de":
        lexicon.warm(lang)  # the German rules need the lexicon for every capitalised word
    stops = stop_words(lang) | stop_words("en")
    # German capitalises every noun: a title or common noun glued to a name must be cut off.
    runs = _runs(text, _words(text), stops, nouns_capitalised=lang == "de", lang=lang)
    return [_type_run(text, run, cue, lang) for run, cue in runs]
