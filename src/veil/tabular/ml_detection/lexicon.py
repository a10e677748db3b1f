"""Multilingual column-name concepts (English, German, French, Spanish, Italian, Dutch,
Portuguese and common abbreviations).

A name is split into tokens (camelCase, ``_``, ``-``, spaces, digits) and folded to ASCII.
An entry of five letters or more matches anywhere inside the name with its separators
removed (so German compounds such as ``kundenemail`` or ``geburtsdatum`` hit); a shorter
entry must equal a whole token.
"""

from __future__ import annotations

CONCEPTS: dict[str, tuple[str, ...]] = {
    "person_name": (
        "name", "fullname", "firstname", "lastname", "surname", "forename", "givenname", "familyname",
        "fname", "lname", "nom", "prenom", "nombre", "apellido", "vorname", "nachname", "cognome",
        "nome", "naam", "voornaam", "achternaam", "sobrenome", "middlename", "initials", "nm",
    ),
    "email": ("email", "mail", "courriel", "correo", "posta", "emailadres"),
    "phone": (
        "phone", "tel", "telephone", "mobile", "cell", "fax", "telefon", "telefono", "telefoon",
        "handy", "portable", "movil", "cellulare", "celular", "gsm", "mob", "ph",
    ),
    "national_id": (
        "ssn", "social", "security", "nationalid", "passport", "passeport", "pasaporte", "reisepass",
        "taxid", "steuer", "nif", "nie", "dni", "nino", "bsn", "cpf", "codicefiscale", "fiscal",
        "insee", "license", "licence", "licencia", "fuhrerschein", "permis", "nir", "personalausweis",
        "ausweis", "identity", "identite", "identidad", "svnr", "sozialversicherung",
    ),
    "bank": (
        "iban", "bic", "swift", "account", "konto", "compte", "cuenta", "conto", "rekening", "card",
        "karte", "carte", "tarjeta", "carta", "cartao", "creditcard", "ccnum", "pan", "routing",
    ),
    "network": ("ip", "ipv4", "ipv6", "ipaddr", "mac", "macaddr", "hostname", "host", "device"),
    "url": ("url", "website", "homepage", "link", "webseite", "sitio", "site", "web", "uri"),
    "identifier": (
        "id", "uuid", "guid", "key", "code", "number", "num", "nr", "no", "nummer", "numero", "ref",
        "reference", "mrn", "identifier", "kennung", "codigo", "codice", "login", "username", "user",
        "userid", "handle", "account", "benutzer", "utilisateur", "usuario", "utente", "pseudo",
    ),
    "address": (
        "address", "street", "addr", "adresse", "strasse", "rue", "calle", "direccion", "via",
        "indirizzo", "straat", "adres", "endereco", "rua", "avenue", "road", "line1", "line2",
        "hausnummer", "housenumber", "domicile", "domicilio", "anschrift",
    ),
    "birth": (
        "birth", "dob", "born", "geburt", "naissance", "nacimiento", "nascita", "geboorte",
        "nascimento", "bday", "birthday", "geboren", "gebdat", "natalicio",
    ),
    "age": ("age", "alter", "edad", "eta", "leeftijd", "idade", "ageyears", "yrs", "years"),
    "sex": ("sex", "gender", "geschlecht", "sexe", "genre", "sexo", "genero", "sesso", "genere",
            "geslacht", "male", "female", "mf"),
    "postcode": ("zip", "zipcode", "postcode", "postal", "plz", "postleitzahl", "cp", "cap",
                 "postale", "codigopostal", "cep", "pc", "postnummer"),
    "place": (
        "city", "town", "county", "state", "region", "province", "country", "nation", "nationality",
        "district", "municipality", "place", "stadt", "ort", "land", "bundesland", "kreis", "ville",
        "pays", "departement", "ciudad", "pais", "provincia", "comune", "citta", "paese", "regione",
        "stad", "gemeente", "cidade", "estado", "native", "origin", "herkunft", "wohnort", "residence",
        "location", "lieu", "localidad", "birthplace", "geo", "lat", "lon", "latitude", "longitude",
        "nationalitat", "nationalite", "nacionalidad", "nazionalita", "citizenship",
    ),
    "ethnicity": ("race", "ethnic", "ethnicity", "ethnie", "etnia", "etnicidad", "ethnizitat", "raza",
                  "herkomst", "ancestry"),
    "family": (
        "marital", "married", "spouse", "relationship", "children", "kids", "household", "family",
        "familienstand", "kinder", "etatcivil", "situationfamiliale", "estadocivil", "hijos",
        "statocivile", "figli", "burgerlijke", "kinderen", "civil", "partner", "dependents",
    ),
    "education": (
        "education", "degree", "school", "qualification", "diploma", "bildung", "abschluss",
        "schule", "ausbildung", "etudes", "formation", "educacion", "estudios", "titulo",
        "istruzione", "titolostudio", "opleiding", "escolaridade", "educ", "edu", "grade",
    ),
    "work": (
        "occupation", "job", "profession", "employer", "workclass", "employment", "industry", "title",
        "beruf", "arbeitgeber", "stelle", "taetigkeit", "metier", "emploi", "employeur", "poste",
        "ocupacion", "profesion", "empleo", "trabajo", "empresa", "lavoro", "professione", "beroep",
        "werkgever", "functie", "ocupacao", "profissao", "position", "role", "department", "dept",
        "company", "firma", "employeer", "sector", "branche",
    ),
    "date": (
        "date", "datum", "fecha", "data", "day", "admission", "discharge", "visit", "dt", "when",
        "aufnahme", "entlassung", "ingreso", "alta", "ricovero", "opname", "hired", "hiredate",
        "start", "end", "joined", "registered",
    ),
    "income": (
        "salary", "income", "wage", "earning", "earnings", "pay", "networth", "creditscore", "gehalt",
        "einkommen", "lohn", "salaire", "revenu", "salario", "ingresos", "sueldo", "stipendio",
        "reddito", "salaris", "inkomen", "renda", "bonus", "compensation", "debt", "schulden",
        "dette", "deuda", "loan", "kredit",
    ),
    "health": (
        "diagnosis", "diagnose", "disease", "condition", "icd", "medication", "treatment", "symptom",
        "health", "illness", "hiv", "disability", "krankheit", "diagnostic", "maladie", "traitement",
        "diagnostico", "enfermedad", "tratamiento", "malattia", "terapia", "ziekte", "behandeling",
        "doenca", "medikament", "medicament", "medicamento", "farmaco", "allergy", "allergie",
        "blood", "bloodtype", "blut", "sang", "sangre", "bmi", "cancer", "pregnan", "therapy",
        "prescription", "drug", "clinical",
    ),
    "special": (
        "religion", "religio", "faith", "konfession", "religione", "politic", "party", "partei",
        "partido", "partito", "sexual", "orientation", "union", "gewerkschaft", "syndicat",
        "sindicato", "criminal", "conviction", "biometric", "genetic", "strafregister", "casier",
        "antecedentes", "belief", "vote", "voting",
    ),
    "technical": (
        "created", "updated", "modified", "timestamp", "rownum", "row", "index", "idx", "version",
        "checksum", "hash", "etag", "seq", "sequence", "batch", "flag", "status", "is", "has",
        "active", "deleted", "source", "system", "import", "export", "ts", "lastmodified",
    ),
    "commerce": (
        "product", "item", "quantity", "qty", "price", "amount", "total", "order", "sku", "category",
        "color", "colour", "size", "weight", "rating", "score", "count", "stock", "menge", "preis",
        "betrag", "artikel", "produit", "prix", "quantite", "montant", "producto", "precio",
        "cantidad", "importe", "prodotto", "prezzo", "quantita", "importo", "hoeveelheid", "prijs",
        "bedrag", "produto", "preco", "valor", "currency", "discount", "tax", "farbe", "couleur",
        "note", "comment", "remarks", "description", "notes", "kommentar", "bemerkung",
    ),
}

OPAQUE_TOKENS = frozenset({"col", "column", "field", "var", "attr", "attribute", "x", "v", "f", "c", "unnamed",
                           "feld", "champ", "campo", "spalte", "colonne", "columna", "colonna", "kolom"})
