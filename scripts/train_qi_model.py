"""Train the ML column classifier of ``detect_qi(mode="ml")`` and write its artifact and card.

    .venv/bin/python scripts/train_qi_model.py            # train, evaluate, write the artifact
    .venv/bin/python scripts/train_qi_model.py --check    # evaluate the shipped artifact only
    .venv/bin/python scripts/train_qi_model.py --no-train # re-measure it and rewrite metrics + card

Data (all generated here, deterministic with ``--seed``):

- training tables: Faker in the TRAIN locales, column names drawn from each kind's training
  vocabulary in random styles (snake, camel, Pascal, UPPER, kebab, spaces, abbreviations,
  prefixes, suffixes, opaque ``col_7`` names), missing values, whitespace / case noise,
  numeric codes as text;
- held-out generated tables: Faker in other locales (HELDOUT locales), a column-name
  vocabulary disjoint from the training one, and partly different value generators
  (``*_alt`` in the kinds below);
- Adult (ARX copy of UCI Adult, CC BY 4.0 / Apache-2.0, ``/work/shared/datasets/adult``):
  evaluation only; labels: the 8 demographic columns QI, ``salary-class`` SI.

The model is a multinomial logistic regression (numpy, full-batch gradient descent with L2
and balanced class weights) over ``veil.tabular.ml_detection.features``; the artifact is JSON.
The heuristic mode is measured on the same tables (with the text engine's value recognizers,
as the service runs it) so the two can be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from faker import Faker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veil.tabular import detect_qi  # noqa: E402
from veil.tabular.ml_detection.features import FEATURE_NAMES  # noqa: E402
from veil.tabular.ml_detection.model import CLASSES, QIModel, frame_features, load_model  # noqa: E402

DATA = ROOT / "src" / "veil" / "tabular" / "data"
ADULT = Path("/work/shared/datasets/adult/adult.csv")
TRAIN_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "en_GB", "nl_NL", "pt_BR", "pl_PL", "sv_SE")
HELDOUT_LOCALES = ("en_CA", "de_AT", "fr_CH", "es_MX", "pt_PT", "nl_BE", "en_AU", "da_DK", "de_CH", "en_IE")

Gen = Callable[[Faker, random.Random, int], list[Any]]


def pool(make: Callable[[], Any], size: int) -> Callable[[Faker, random.Random, int], list[Any]]:
    """Values drawn from a pool of ``size`` distinct generated values (controls cardinality)."""

    def gen(f: Faker, r: random.Random, n: int) -> list[Any]:
        vals = [make_with(f, make) for _ in range(size)]
        return [r.choice(vals) for _ in range(n)]

    return gen


def make_with(f: Faker, make: Callable[..., Any]) -> Any:
    return make(f)


def each(make: Callable[[Faker], Any]) -> Gen:
    return lambda f, r, n: [make(f) for _ in range(n)]


def choice(options: list[Any], weights: list[float] | None = None) -> Gen:
    return lambda f, r, n: r.choices(options, weights=weights, k=n)


def _date(f: Faker, lo: str, hi: str, fmt: str) -> str:
    return f.date_between(start_date=dt.date.fromisoformat(lo), end_date=dt.date.fromisoformat(hi)).strftime(fmt)


def dates(lo: str, hi: str, fmts: tuple[str, ...]) -> Gen:
    def gen(f: Faker, r: random.Random, n: int) -> list[Any]:
        fmt = r.choice(fmts)
        return [_date(f, lo, hi, fmt) for _ in range(n)]

    return gen


def ints(lo: int, hi: int) -> Gen:
    return lambda f, r, n: [r.randint(lo, hi) for _ in range(n)]


def floats(lo: float, hi: float, nd: int) -> Gen:
    return lambda f, r, n: [round(r.uniform(lo, hi), nd) for _ in range(n)]


def seq_ids(prefix: str = "", width: int = 0) -> Gen:
    def gen(f: Faker, r: random.Random, n: int) -> list[Any]:
        start = r.randint(1, 100000)
        return [f"{prefix}{start + i:0{width}d}" if prefix or width else start + i for i in range(n)]

    return gen


def codes(alphabet: str, length: int, prefix: str = "") -> Gen:
    return lambda f, r, n: [prefix + "".join(r.choice(alphabet) for _ in range(length)) for _ in range(n)]


def lognormal(mu: float, sigma: float, nd: int) -> Gen:
    return lambda f, r, n: [round(r.lognormvariate(mu, sigma), nd) for _ in range(n)]


def text_gen(f: Faker, r: random.Random, n: int) -> list[Any]:
    return [f.sentence(nb_words=r.randint(6, 18)) for _ in range(n)]


ICD = ["E11.9", "I10", "J45.909", "F32.9", "M54.5", "K21.9", "E78.5", "N39.0", "J06.9", "C50.911", "B20",
       "G43.909", "F41.1", "I25.10", "E66.9", "Z79.4"]
DISEASES = ["diabetes", "hypertension", "asthma", "depression", "migraine", "HIV", "cancer", "arthritis",
            "COPD", "anxiety", "epilepsy", "hepatitis C", "obesity", "influenza", "tuberculosis"]
DISEASES_ALT = ["Diabète", "Hypertonie", "asma", "depressione", "Krebs", "Alzheimer", "Parkinson",
                "sclérose en plaques", "lupus", "psoriasis", "anemia", "glaucoma"]
DRUGS = ["metformin", "lisinopril", "atorvastatin", "salbutamol", "sertraline", "ibuprofen", "insulin",
         "omeprazole", "amlodipine", "levothyroxine", "tenofovir", "warfarin"]
RELIGIONS = ["Christian", "Muslim", "Jewish", "Hindu", "Buddhist", "None", "Catholic", "Protestant", "Orthodox"]
PARTIES = ["Labour", "Conservative", "Green", "Liberal", "SPD", "CDU", "PS", "PP", "Independent", "None"]
ORIENTATION = ["heterosexual", "gay", "lesbian", "bisexual", "asexual", "prefer not to say"]
BLOOD = ["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"]
SEX = [["M", "F"], ["male", "female"], ["Male", "Female", "Other"], ["m", "w"], ["H", "F"], ["1", "2"],
       ["Mann", "Frau"], ["Hombre", "Mujer"], ["homme", "femme"]]
RACE = ["White", "Black", "Asian", "Hispanic", "Other", "Amer-Indian-Eskimo", "Pacific Islander", "Mixed"]
MARITAL = ["single", "married", "divorced", "widowed", "separated", "Married-civ-spouse", "Never-married",
           "ledig", "verheiratet", "célibataire", "casado", "soltero"]
EDUCATION = ["High school", "Bachelor", "Master", "PhD", "Some college", "Primary", "Abitur", "Licence",
             "Bachillerato", "Diploma", "Vocational", "None"]
STATUS = ["pending", "shipped", "delivered", "cancelled", "returned", "open", "closed", "active", "inactive"]
COLORS = ["red", "blue", "green", "black", "white", "yellow", "grey", "rot", "bleu", "verde"]
CATS = ["Electronics", "Books", "Garden", "Toys", "Food", "Clothing", "Sports", "Beauty", "Auto"]
CURRENCY = ["EUR", "USD", "GBP", "CHF", "SEK", "PLN"]
LANGS = ["English", "German", "French", "Spanish", "Italian", "Dutch", "Portuguese", "Polish", "Arabic"]
INCOME_BANDS = ["<=50K", ">50K"]


@dataclass
class Kind:
    name: str
    label: str
    train_names: list[str]
    heldout_names: list[str]
    gen: Gen
    gen_alt: Gen | None = None
    weight: float = 1.0


def sex_gen(f: Faker, r: random.Random, n: int) -> list[Any]:
    opts = r.choice(SEX)
    return r.choices(opts, k=n)


KINDS: list[Kind] = [
    # ---- direct identifiers
    Kind("full_name", "DI", ["name", "full_name", "customer_name", "patient name", "nombre", "nom_complet",
                              "Name", "client_name", "employee_name", "vollstaendiger_name"],
         ["person", "naam", "nome_completo", "holder", "contact_person", "insured_person", "titular",
          "Ansprechpartner", "beneficiary"], each(lambda f: f.name())),
    Kind("first_name", "DI", ["first_name", "firstname", "fname", "given_name", "vorname", "prenom", "nombre_pila"],
         ["voornaam", "primeiro_nome", "forename", "nome_proprio", "christian_name"], each(lambda f: f.first_name())),
    Kind("last_name", "DI", ["last_name", "surname", "lname", "nachname", "nom_famille", "apellido"],
         ["achternaam", "cognome", "sobrenome", "family_name", "apellidos"], each(lambda f: f.last_name())),
    Kind("email", "DI", ["email", "e_mail", "email_address", "mail", "courriel", "correo_electronico"],
         ["emailadres", "contact", "indirizzo_email", "electronic_mail", "reply_to"], each(lambda f: f.email()),
         each(lambda f: f.company_email())),
    Kind("phone", "DI", ["phone", "phone_number", "telephone", "mobile", "tel", "telefon", "telefono"],
         ["gsm", "handy_nr", "cellulare", "portable", "contact_no", "numero_movil", "fone"],
         each(lambda f: f.phone_number())),
    Kind("national_id", "DI", ["ssn", "social_security_number", "national_id", "tax_id", "dni", "nif", "steuer_id"],
         ["bsn", "codice_fiscale", "cpf", "personnummer", "svnr", "numero_securite_sociale", "identity_no"],
         each(lambda f: f.ssn())),
    Kind("passport", "DI", ["passport", "passport_no", "reisepass_nr", "passeport"],
         ["pasaporte", "travel_document", "passaporto"], codes(string.ascii_uppercase[:10] + string.digits, 9)),
    Kind("iban", "DI", ["iban", "bank_account", "account_number", "konto", "compte_bancaire"],
         ["rekeningnummer", "cuenta_bancaria", "conto_corrente", "payout_account"], each(lambda f: f.iban())),
    Kind("card", "DI", ["credit_card", "card_number", "cc_num", "kreditkarte"],
         ["tarjeta", "carte_bancaire", "payment_card", "pan"], each(lambda f: f.credit_card_number())),
    Kind("ip", "DI", ["ip", "ip_address", "client_ip", "ipv4"], ["remote_addr", "source_host", "adresse_ip"],
         each(lambda f: f.ipv4()), each(lambda f: f.ipv6())),
    Kind("url", "DI", ["url", "website", "homepage", "profile_url"], ["webseite", "sitio_web", "link"],
         each(lambda f: f.url())),
    Kind("username", "DI", ["username", "login", "user_name", "user_handle", "benutzername"],
         ["pseudo", "screen_name", "nickname", "usuario"], each(lambda f: f.user_name())),
    Kind("address", "DI", ["address", "street_address", "street", "adresse", "strasse", "direccion"],
         ["anschrift", "indirizzo", "endereco", "domicile", "addr_line_1", "straat"],
         each(lambda f: f.street_address())),
    Kind("record_id", "DI", ["id", "customer_id", "patient_id", "user_id", "record_id", "kunden_nr", "mrn"],
         ["client_no", "num_dossier", "expediente", "member_number", "ref", "matricola", "klantnummer"],
         seq_ids(), seq_ids("P", 6)),
    Kind("uuid", "DI", ["uuid", "guid", "account_uuid"], ["token", "external_key", "unique_key"],
         each(lambda f: f.uuid4())),
    Kind("license_plate", "DI", ["license_plate", "plate", "kennzeichen"], ["matricula", "immatriculation", "targa"],
         each(lambda f: f.license_plate())),
    # ---- quasi-identifiers
    Kind("age", "QI", ["age", "age_years", "alter", "edad", "patient_age", "Age"],
         ["leeftijd", "idade", "eta", "yrs_old", "age_at_visit"], ints(17, 90), ints(0, 100), 1.5),
    Kind("dob", "QI", ["dob", "date_of_birth", "birth_date", "geburtsdatum", "fecha_nacimiento", "birthday"],
         ["date_naissance", "data_nascita", "geboortedatum", "data_nascimento", "born_on", "gebdat"],
         dates("1930-01-01", "2008-12-31", ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y")),
         dates("1935-01-01", "2010-12-31", ("%d/%m/%Y", "%Y%m%d", "%d-%m-%Y")), 1.5),
    Kind("birth_year", "QI", ["birth_year", "year_of_birth", "geburtsjahr"], ["ano_nacimiento", "anno_nascita"],
         ints(1930, 2008)),
    Kind("sex", "QI", ["sex", "gender", "geschlecht", "sexe", "sexo", "Gender"],
         ["geslacht", "sesso", "genero", "genre", "m_f"], sex_gen, None, 1.5),
    Kind("zip", "QI", ["zip", "zip_code", "postcode", "postal_code", "plz", "code_postal", "cp"],
         ["postleitzahl", "cap", "cep", "postnummer", "codigo_postal", "post_code"],
         pool(lambda f: f.postcode(), 60), pool(lambda f: f.postcode(), 200), 1.5),
    Kind("city", "QI", ["city", "town", "stadt", "ville", "ciudad", "wohnort", "city_of_residence"],
         ["citta", "cidade", "woonplaats", "gemeente", "localidad", "municipality", "ort"],
         pool(lambda f: f.city(), 40), pool(lambda f: f.city(), 120), 1.5),
    Kind("state", "QI", ["state", "region", "province", "bundesland", "departement"],
         ["provincia", "regione", "estado", "kanton", "county"], pool(lambda f: f.administrative_unit(), 15)),
    Kind("country", "QI", ["country", "native_country", "nationality", "pays", "land", "pais"],
         ["citizenship", "nazionalita", "herkunftsland", "country_of_origin", "nationalite"],
         pool(lambda f: f.country(), 30), pool(lambda f: f.country_code(), 30), 1.5),
    Kind("race", "QI", ["race", "ethnicity", "ethnic_group"], ["etnia", "ethnie", "ancestry", "herkomst"],
         choice(RACE), None, 1.2),
    Kind("marital", "QI", ["marital_status", "married", "familienstand", "etat_civil"],
         ["estado_civil", "stato_civile", "burgerlijke_staat", "civil_status"], choice(MARITAL), None, 1.2),
    Kind("children", "QI", ["children", "num_children", "kinder", "household_size"],
         ["hijos", "figli", "dependents", "kinderen"], ints(0, 6)),
    Kind("education", "QI", ["education", "degree", "highest_degree", "bildungsabschluss", "school"],
         ["titolo_studio", "opleiding", "escolaridade", "qualification", "educ_level"], choice(EDUCATION), None, 1.2),
    Kind("occupation", "QI", ["occupation", "job", "job_title", "profession", "beruf", "metier"],
         ["profesion", "professione", "beroep", "ocupacao", "position", "role"], pool(lambda f: f.job(), 40),
         pool(lambda f: f.job(), 80), 1.5),
    Kind("employer", "QI", ["employer", "company", "arbeitgeber", "employeur"], ["empresa", "werkgever", "firma"],
         pool(lambda f: f.company(), 30)),
    Kind("event_date", "QI", ["admission_date", "visit_date", "discharge_date", "aufnahmedatum", "hire_date"],
         ["fecha_ingreso", "date_entree", "data_ricovero", "opnamedatum", "start_date"],
         dates("2015-01-01", "2024-12-31", ("%Y-%m-%d", "%d.%m.%Y")), dates("2012-01-01", "2025-06-30", ("%d/%m/%Y",))),
    Kind("language", "QI", ["language", "mother_tongue", "sprache"], ["langue", "idioma", "lingua"],
         choice(LANGS), None, 0.7),
    # ---- sensitive
    Kind("salary", "SI", ["salary", "income", "annual_income", "gehalt", "salaire", "sueldo", "wage"],
         ["einkommen", "reddito", "salario", "inkomen", "revenu_annuel", "renda_mensal", "compensation"],
         lognormal(10.6, 0.5, 0), lognormal(8.0, 0.6, 2), 1.5),
    Kind("income_band", "SI", ["salary_class", "income_bracket", "income_band"], ["salary-class", "tranche_revenu"],
         choice(INCOME_BANDS)),
    Kind("diagnosis", "SI", ["diagnosis", "diagnosis_code", "icd10", "condition", "diagnose"],
         ["diagnostico", "maladie", "ziekte", "malattia", "krankheit", "primary_dx"], choice(ICD), choice(DISEASES_ALT), 1.5),
    Kind("disease", "SI", ["disease", "illness", "medical_condition"], ["enfermedad", "doenca", "chronic_condition"],
         choice(DISEASES)),
    Kind("medication", "SI", ["medication", "drug", "prescription", "medikament"],
         ["medicamento", "farmaco", "traitement", "therapy"], choice(DRUGS)),
    Kind("religion", "SI", ["religion", "faith", "konfession"], ["religione", "religiao", "belief"], choice(RELIGIONS)),
    Kind("politics", "SI", ["political_party", "party_affiliation", "partei"], ["partido_politico", "vote_intention"],
         choice(PARTIES)),
    Kind("orientation", "SI", ["sexual_orientation", "orientation"], ["orientation_sexuelle", "orientacion_sexual"],
         choice(ORIENTATION)),
    Kind("credit_score", "SI", ["credit_score", "fico", "schufa_score"], ["score_credito", "creditworthiness"],
         ints(300, 850)),
    Kind("blood_type", "SI", ["blood_type", "blutgruppe"], ["groupe_sanguin", "grupo_sanguineo"], choice(BLOOD)),
    Kind("hiv_status", "SI", ["hiv_status", "hiv"], ["vih", "serostatus"], choice(["positive", "negative"])),
    # ---- non-sensitive
    Kind("product", "NSI", ["product", "product_name", "item", "artikel", "produit"],
         ["producto", "prodotto", "artikelbezeichnung", "goods"], pool(lambda f: f.word().title() + " " + f.word(), 50)),
    Kind("quantity", "NSI", ["quantity", "qty", "menge", "quantite", "count"], ["cantidad", "aantal", "units"],
         ints(1, 20), ints(0, 500), 1.5),
    Kind("price", "NSI", ["price", "unit_price", "amount", "preis", "prix", "total"],
         ["precio", "prezzo", "prijs", "importe", "betrag"], floats(0.5, 500, 2), floats(1, 5000, 2), 1.5),
    Kind("status", "NSI", ["status", "order_status", "state_code", "zustand"], ["estado_pedido", "stato", "fase"],
         choice(STATUS), None, 1.2),
    Kind("flag", "NSI", ["is_active", "has_newsletter", "flag", "opt_in", "deleted"],
         ["activo", "actif", "is_verified", "consent"], choice(["true", "false"]), choice(["Y", "N"]), 1.2),
    Kind("rating", "NSI", ["rating", "stars", "score", "bewertung"], ["valoracion", "note", "punteggio"],
         ints(1, 5), floats(0, 10, 1)),
    Kind("color", "NSI", ["color", "colour", "farbe"], ["couleur", "kleur", "colore"], choice(COLORS)),
    Kind("category", "NSI", ["category", "product_category", "kategorie", "segment"],
         ["categoria", "rubrique", "departement_produit"], choice(CATS), None, 1.2),
    Kind("currency", "NSI", ["currency", "currency_code", "waehrung"], ["devise", "moneda"], choice(CURRENCY)),
    Kind("timestamp", "NSI", ["created_at", "updated_at", "timestamp", "last_modified"],
         ["ingested_at", "load_ts", "fecha_modificacion", "geaendert_am"],
         each(lambda f: f.date_time_between(start_date="-2y").isoformat(sep=" ", timespec="seconds"))),
    Kind("comment", "NSI", ["comment", "notes", "description", "bemerkung", "remarks"],
         ["commentaire", "observaciones", "opmerking", "feedback"], text_gen),
    Kind("measure", "NSI", ["temperature", "duration_sec", "distance_km", "weight_kg", "pressure"],
         ["temperatura", "dauer", "distancia", "tension", "reading"], floats(-20, 40, 2), lognormal(3, 1, 3), 1.2),
    Kind("row_number", "NSI", ["row_number", "index", "line_no", "rownum"], ["idx", "position_in_file", "zeile"],
         seq_ids(), None, 0.6),
    Kind("version", "NSI", ["version", "schema_version", "api_version"], ["revision", "release"],
         choice(["1.0", "1.1", "2.0", "2.1", "3.0"])),
    Kind("batch", "NSI", ["batch", "batch_no", "lot", "warehouse"], ["lote", "magazzino", "charge"],
         codes("ABCDEF", 1, "B-")),
]

PREFIXES = ("cust_", "patient_", "client_", "emp_", "usr_", "src_", "tbl_", "p_", "kunde_", "")
SUFFIXES = ("_1", "_2", "_raw", "_txt", "_val", "_cd", "")


def _abbrev(word: str) -> str:
    if len(word) <= 4:
        return word
    return word[0] + "".join(c for c in word[1:] if c not in "aeiou")[:4]


def style(name: str, r: random.Random) -> str:
    words = [w for w in name.replace("-", "_").replace(" ", "_").split("_") if w]
    if r.random() < 0.15:
        words = [_abbrev(w) for w in words]
    if r.random() < 0.2:
        p = r.choice(PREFIXES)
        if p:
            words = [p.strip("_"), *words]
    if r.random() < 0.1:
        s = r.choice(SUFFIXES)
        if s:
            words = [*words, s.strip("_")]
    how = r.choice(("snake", "snake", "camel", "pascal", "upper", "kebab", "space", "title", "lower"))
    if how == "snake":
        return "_".join(words)
    if how == "camel":
        return words[0].lower() + "".join(w.title() for w in words[1:])
    if how == "pascal":
        return "".join(w.title() for w in words)
    if how == "upper":
        return "_".join(words).upper()
    if how == "kebab":
        return "-".join(words)
    if how == "space":
        return " ".join(words)
    if how == "title":
        return " ".join(w.title() for w in words)
    return "".join(words).lower()


def add_noise(values: list[Any], r: random.Random, missing: float) -> list[Any]:
    out: list[Any] = []
    pad = r.random() < 0.15
    upper = r.random() < 0.1
    for v in values:
        if r.random() < missing:
            out.append(None)
            continue
        if isinstance(v, str):
            if pad and r.random() < 0.3:
                v = f" {v} "
            if upper:
                v = v.upper()
        out.append(v)
    return out


def make_table(r: random.Random, fakers: list[Faker], heldout: bool) -> tuple[pd.DataFrame, list[str]]:
    f = r.choice(fakers)
    n = int(r.choice((40, 80, 150, 300, 600, 1200)))
    width = r.randint(4, 14)
    weights = [k.weight for k in KINDS]
    chosen: list[Kind] = []
    while len(chosen) < width:
        k = r.choices(KINDS, weights=weights, k=1)[0]
        if k not in chosen:
            chosen.append(k)
    data: dict[str, list[Any]] = {}
    labels: list[str] = []
    for i, k in enumerate(chosen):
        names = k.heldout_names if heldout else k.train_names
        col = f"col_{i + 1}" if r.random() < 0.06 else style(r.choice(names), r)
        while col in data:
            col += "_" + str(i)
        gen = k.gen_alt if heldout and k.gen_alt is not None else k.gen
        values = gen(f, r, n)
        if r.random() < 0.1 and all(isinstance(v, int) for v in values[:20]):
            values = [str(v) for v in values]  # numeric codes stored as text
        missing = r.choice((0.0, 0.0, 0.02, 0.1, 0.3))
        data[col] = add_noise(values, r, missing)
        labels.append(k.label)
    return pd.DataFrame(data), labels


def make_tables(count: int, seed: int, heldout: bool) -> list[tuple[pd.DataFrame, list[str]]]:
    r = random.Random(seed)
    locales = HELDOUT_LOCALES if heldout else TRAIN_LOCALES
    fakers = []
    for i, loc in enumerate(locales):
        fk = Faker(loc)
        fk.seed_instance(seed * 100 + i)
        fakers.append(fk)
    return [make_table(r, fakers, heldout) for _ in range(count)]


def adult_table() -> tuple[pd.DataFrame, list[str]] | None:
    if not ADULT.exists():
        return None
    frame = pd.read_csv(ADULT, sep=";", dtype=str)
    return frame, ["SI" if c == "salary-class" else "QI" for c in frame.columns]


def featurize(tables: list[tuple[pd.DataFrame, list[str]]]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for frame, labels in tables:
        xs.append(frame_features(frame, list(frame.columns)))
        ys.extend(CLASSES.index(lab) for lab in labels)
    return np.vstack(xs), np.asarray(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    n, d = z.shape
    k = len(CLASSES)
    onehot = np.eye(k)[y]
    counts = np.bincount(y, minlength=k).astype(float)
    sample_w = (n / (k * np.maximum(counts, 1)))[y][:, None]
    w = np.zeros((d, k))
    b = np.zeros(k)
    lr = 0.5
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    for t in range(1, steps + 1):  # Adam, full batch
        logits = z @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sample_w / n
        gw = z.T @ g + l2 * w
        gb = g.sum(axis=0)
        lr_t = lr * 0.1 if t > steps * 0.7 else lr
        mw = 0.9 * mw + 0.1 * gw
        vw = 0.999 * vw + 0.001 * gw**2
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb**2
        w -= lr_t * 0.02 * (mw / (1 - 0.9**t)) / (np.sqrt(vw / (1 - 0.999**t)) + 1e-8)
        b -= lr_t * 0.02 * (mb / (1 - 0.9**t)) / (np.sqrt(vb / (1 - 0.999**t)) + 1e-8)
    return mean, scale, w, b


def per_class(y_true: list[str], y_pred: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"per_class": {}}
    f1s = []
    for c in CLASSES:
        tp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == c and p != c)
        support = tp + fn
        if support == 0 and fp == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out["per_class"][c] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                               "support": support}
        if support:
            f1s.append(f1)
    out["macro_f1"] = round(float(np.mean(f1s)), 4) if f1s else 0.0
    out["accuracy"] = round(sum(t == p for t, p in zip(y_true, y_pred, strict=True)) / max(len(y_true), 1), 4)
    out["columns"] = len(y_true)
    return out


def evaluate_modes(tables: list[tuple[pd.DataFrame, list[str]]], value_detector: Any) -> dict[str, Any]:
    """Per-class figures of the three modes, end to end through ``detect_qi``."""
    res: dict[str, Any] = {}
    for mode in ("heuristic", "ml", "auto"):
        truth: list[str] = []
        pred: list[str] = []
        for frame, labels in tables:
            det = detect_qi(frame, mode=mode, value_detector=value_detector, max_quasi_identifiers=1000,
                            cumulative_importance_threshold=1.0)
            got = {a.name: a.classification for a in det.attributes}
            truth.extend(labels)
            pred.extend(got[c] for c in frame.columns)
        res[mode] = per_class(truth, pred)
    return res


def write_card(model: QIModel, info: dict[str, Any]) -> None:
    m = model.metrics
    lines = [
        "# Training data card: `qi_model.json` (ML column classification)",
        "",
        f"- model: multinomial logistic regression, JSON coefficients (format `veil-qi-logreg/1`), "
        f"version `{model.version}`, trained {model.trained_at}",
        f"- features: {len(model.features)} per column (`veil.tabular.ml_detection.features.FEATURE_NAMES`): "
        "multilingual name concepts (`lexicon.py`), built-in pattern hits (`qi_patterns.yaml`), value-regex "
        "hit ratios, `veil.text` rule-recognizer hit shares on up to 40 distinct values, value shape / "
        "type / uniqueness / entropy statistics",
        "- classes: DI (direct identifier), QI (quasi-identifier), SI (sensitive), NSI (non-sensitive)",
        f"- auto-mode confidence threshold: {model.confidence_threshold}",
        "",
        "## Sources",
        "",
        f"- training: {info['train_tables']} generated tables, {info['train_columns']} columns "
        f"(Faker {info['faker']} locales {', '.join(TRAIN_LOCALES)}; {len(KINDS)} column kinds; "
        "training name vocabulary, styles, abbreviations, prefixes, 6 % opaque names, missing values, "
        "padding / case noise, numeric codes as text); seed "
        f"{info['seed']}",
        f"- held-out generated: {info['heldout_tables']} tables, {info['heldout_columns']} columns: locales "
        f"{', '.join(HELDOUT_LOCALES)}, a column-name vocabulary disjoint from training, alternative value "
        f"generators for {sum(k.gen_alt is not None for k in KINDS)} kinds (e.g. IPv6, `P000123` record "
        "numbers, other date formats, other cardinalities); never seen in training",
        "- Adult (UCI, ARX copy; CC BY 4.0 data, Apache-2.0 repository): evaluation only, 30,162 rows, "
        "9 columns; labels: 8 QIs, `salary-class` SI",
        "",
        "## Held-out metrics (end to end through `detect_qi`, ranking cutoff disabled)",
        "",
        "| split | mode | macro-F1 | accuracy | DI P/R | QI P/R | SI P/R | NSI P/R |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split in ("generated", "adult"):
        for mode, r in m.get(split, {}).items():
            cells = []
            for c in CLASSES:
                pc = r["per_class"].get(c)
                cells.append(f"{pc['precision']:.3f} / {pc['recall']:.3f}" if pc else "-")
            lines.append(f"| {split} | {mode} | {r['macro_f1']:.3f} | {r['accuracy']:.3f} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Retrain",
        "",
        "    .venv/bin/python scripts/train_qi_model.py          # writes qi_model.json and this card",
        "    .venv/bin/python scripts/train_qi_model.py --check  # re-measures the shipped model",
        "",
        "Needs only the runtime dependencies (numpy, pandas, faker). A change to the feature extractor "
        "changes `FEATURE_NAMES`; the loader refuses an artifact whose feature list differs, so retrain then.",
        "",
    ]
    (DATA / "qi_model_card.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-tables", type=int, default=500)
    ap.add_argument("--heldout-tables", type=int, default=150)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--threshold", type=float, default=0.75)
    ap.add_argument("--check", action="store_true", help="only re-measure the shipped model (prints)")
    ap.add_argument("--no-train", action="store_true",
                    help="re-measure the shipped model and rewrite its metrics and card (after a change to "
                         "detect_qi's overlay rules)")
    args = ap.parse_args()
    from veil.service.tabular import text_value_detector

    t0 = time.time()
    heldout = make_tables(args.heldout_tables, args.seed + 1, heldout=True)
    adult = adult_table()
    train_columns = 0
    if not args.check and not args.no_train:
        train = make_tables(args.train_tables, args.seed, heldout=False)
        x, y = featurize(train)
        print(f"features: {x.shape} in {time.time() - t0:.0f} s", flush=True)
        mean, scale, w, b = fit(x, y, args.l2, args.steps)
        model = QIModel(
            version=dt.date.today().strftime("%Y.%m.%d"), classes=CLASSES, features=FEATURE_NAMES, mean=mean,
            scale=scale, weights=w, bias=b, confidence_threshold=args.threshold, metrics={},
            trained_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        (DATA / "qi_model.json").write_text(json.dumps(model.to_json(), indent=1), encoding="utf-8")
        load_model.cache_clear()
        train_columns = len(y)
        train_acc = float((model.predict_proba(x).argmax(axis=1) == y).mean())
        print(f"train accuracy {train_acc:.3f}", flush=True)
    model = load_model()
    metrics: dict[str, Any] = {"generated": evaluate_modes(heldout, text_value_detector)}
    if adult is not None:
        metrics["adult"] = evaluate_modes([adult], text_value_detector)
    for split, res in metrics.items():
        for mode, r in res.items():
            print(f"{split:9s} {mode:9s} macro-F1 {r['macro_f1']:.3f} acc {r['accuracy']:.3f} "
                  + " ".join(f"{c} P{v['precision']:.2f}/R{v['recall']:.2f}" for c, v in r["per_class"].items()))
    if args.check:
        return
    doc = json.loads((DATA / "qi_model.json").read_text(encoding="utf-8"))
    if args.no_train:
        train_columns = int(doc.get("training", {}).get("columns", 0))
    doc["metrics"] = metrics
    doc["training"] = {"tables": args.train_tables, "columns": train_columns, "seed": args.seed,
                       "locales": list(TRAIN_LOCALES), "heldout_locales": list(HELDOUT_LOCALES)}
    (DATA / "qi_model.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    load_model.cache_clear()
    model = load_model()
    import faker as faker_pkg

    write_card(model, {
        "train_tables": args.train_tables, "train_columns": train_columns, "heldout_tables": len(heldout),
        "heldout_columns": sum(len(lab) for _, lab in heldout), "seed": args.seed, "faker": faker_pkg.VERSION,
    })
    print(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
