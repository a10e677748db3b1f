"""Medical record and insurance numbers, medication doses and injuries.

- ``HEALTHCARE_NUMBER``: a value after a medical-record or insurance cue, also when the cue
  is glued to it (``MRN_987654321``, ``MRN#44120``: the whole token is the identifier).
- ``DOSE``: an amount in a dose unit ("500 mg", "2 tablets", "10 mL"), with the frequency
  that follows it ("twice daily", "every 8 hours", "b.i.d."). Units that also measure food
  and drink (g, mL, L) need a dosing word before them or a frequency after them.
- ``INJURY``: an injury word with the body part it hurts ("fractured left wrist", "ankle
  sprain", "broke his collarbone"); lone injury words are in the vocabulary lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import cue_before, has_digit, recognizer
from veil.text.recognizers.words import lowercase_words
from veil.text.spans import Span

RECORD_CUE = (
    r"mrn|mr\s?#|medical\s+record(?:\s+(?:number|no\.?|num|#|id))?|patient\s+(?:id|number|no\.?|#)|"
    r"chart\s+(?:number|no\.?|#)|hospital\s+(?:number|no\.?|id)|"
    r"(?:health\s+)?insurance\s+(?:id|number|no\.?|#|policy(?:\s+(?:number|no\.?))?|member\s+id)|"
    r"insurance|insurer\s+id|policy\s+(?:number|no\.?|#|id)|member\s+(?:id|number|no\.?)|"
    r"subscriber\s+(?:id|number)|group\s+(?:number|no\.?|id)|medicare(?:\s+(?:number|no\.?|id))?|"
    r"medicaid(?:\s+(?:number|no\.?|id))?|health\s+(?:plan|card)\s+(?:id|number|no\.?)|beneficiary\s+id"
)
# the cue, its glue ("_", "#", ":", " is "), then the value with at least three digits
RECORD = re.compile(
    rf"(?i)(?<![\w])(?P<cue>{RECORD_CUE})(?P<glue>_|\s*[#:=]\s*|\s+(?:is|was)\s+|\s*-\s*|\s+)"
    r"(?P<value>(?=[A-Z0-9-]*\d{3})[A-Z0-9][A-Z0-9-]{2,24}[A-Z0-9])(?![\w-])"
)

NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|half\s+an?|a\s+half|an?"
AMOUNT = rf"(?:\d+(?:[.,]\d+)?(?:\s?(?:-|–|to)\s?\d+(?:[.,]\d+)?)?|{NUMBER_WORDS})"
STRONG_UNIT = (
    r"mg|mcg|µg|μg|ug|ng|iu|i\.u\.|units?|meq|mmol|tablets?|tabs?|capsules?|caps|pills?|puffs?|drops?|"
    r"gtts?|sprays?|patch(?:es)?|sachets?|lozenges?|suppositor(?:y|ies)|ampoules?|vials?|injections?|"
    r"teaspoons?|tsp|tablespoons?|tbsp|milligrams?|micrograms?"
)
WEAK_UNIT = r"g|grams?|ml|mls|millilit(?:er|re)s?|l|cc"
PER = r"(?:\s?/\s?(?:kg|m2|m²|day|d|hr|h|hour|dose|min)){0,2}"
FREQUENCY = (
    r"(?:once|twice|thrice|(?:one|two|three|four|five|six|\d+)\s+times|\d+\s?x|x\s?\d+)"
    r"(?:\s+(?:a|per|each|every))?\s+(?:day|daily|week|weekly|month|hour|night|morning)|"
    r"(?:every|each)\s+(?:\d+(?:-\d+)?|one|two|three|four|six|eight|twelve|other)\s*(?:hours?|hrs?|h|days?|weeks?)|"
    r"every\s+(?:morning|evening|night|day)|daily|nightly|weekly|at\s+(?:bedtime|night)|"
    r"in\s+the\s+(?:morning|evening)|with\s+(?:meals|food)|as\s+needed|"
    r"q\.?\s?\d+\s?h\.?|q\.?d\.?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?h\.?s\.?|p\.?r\.?n\.?|o\.?d\.?"
)
ROUTE = r"(?:\s+(?:orally|by\s+mouth|po|iv|im|sc|subcutaneously|intravenously|topically|sublingually))?"
DOSE = re.compile(
    rf"(?i)(?<![\w.,])(?P<amount>{AMOUNT})\s?(?P<unit>(?:{STRONG_UNIT})|(?P<weak>{WEAK_UNIT})){PER}(?![\w])"
    rf"(?:{ROUTE}(?P<freq>[ \t,]+(?:{FREQUENCY})))?(?![\w])"
)
COUNTABLE = ("tab", "cap", "pill", "puff", "drop", "teasp", "tabl", "spray", "patch", "sachet", "inject", "lozen", "vial")
DOSING_BEFORE = re.compile(
    r"(?i)\b(?:take|taking|took|takes|give|given|gave|administer(?:ed)?|prescribed|dose|dosage|dosed|"
    r"inject(?:ed)?|infuse[d]?|bolus|start(?:ed)?\s+on|increase[d]?\s+to|reduce[d]?\s+to|titrate[d]?\s+to)\b"
)

BODY_PART = (
    r"(?:left|right|both|upper|lower|inner|outer)?\s*(?:"
    r"head|skull|face|jaw|nose|eye|ear|neck|spine|back|lower\s+back|shoulder|collarbone|clavicle|arm|"
    r"upper\s+arm|forearm|elbow|wrist|hand|finger|thumb|chest|rib|ribs|sternum|hip|pelvis|leg|thigh|femur|"
    r"knee|kneecap|shin|tibia|fibula|ankle|foot|feet|heel|toe|toes|achilles(?:\s+tendon)?|hamstring|"
    r"groin|abdomen|tooth|teeth|vertebra|disc|acl|mcl|meniscus|rotator\s+cuff|ligament|tendon|muscle|"
    r"humerus|radius|ulna|scaphoid|metatarsal|cheekbone|eye\s+socket|orbit|spleen|liver|lung|kidney)s?"
)
INJURY_ADJ = (
    r"fractured|broken|sprained|strained|torn|dislocated|bruised|cracked|injured|pulled|ruptured|burned|"
    r"burnt|lacerated|twisted|herniated|slipped|crushed|punctured|shattered|separated|hyperextended"
)
INJURY_VERB = r"broke|fractured|sprained|strained|tore|twisted|dislocated|injured|hurt|bruised|cracked|burned|cut|pulled|ruptured|crushed|shattered"
INJURY_NOUN = (
    r"fractures?|breaks?|sprains?|strains?|injur(?:y|ies)|lacerations?|contusions?|dislocations?|tears?|"
    r"burns?|wounds?|trauma|bruis(?:e|es|ing)|abrasions?|cuts?|puncture(?:\s+wound)?s?|gash(?:es)?"
)
POSSESSIVE = r"(?:(?:his|her|my|their|your|our|the|a|its)\s+)?"
INJURY = re.compile(
    rf"(?i)(?<![\w-])(?:"
    rf"(?:(?:compound|hairline|stress|open|closed|displaced|comminuted|minor|severe|deep|superficial)\s+)?"
    rf"(?:{INJURY_ADJ})\s+{POSSESSIVE}{BODY_PART}"
    rf"|(?:{INJURY_VERB})\s+{POSSESSIVE}{BODY_PART}"
    rf"|{BODY_PART}\s+(?:{INJURY_NOUN})"
    rf"|(?:first|second|third)[- ]degree\s+burns?(?:\s+(?:on|to)\s+{POSSESSIVE}{BODY_PART})?"
    rf"|(?:{INJURY_NOUN})\s+(?:to|of|on)\s+{POSSESSIVE}{BODY_PART}"
    rf")(?![\w-])"
)


RECORD_TRIGGERS = frozenset(
    {"mrn", "mr", "medical", "patient", "chart", "hospital", "insurance", "insurer", "policy", "member",
     "subscriber", "group", "medicare", "medicaid", "health", "beneficiary"}
)
# the unit words DOSE can end in (letters only: "500mg" -> "mg")
DOSE_TRIGGERS = frozenset(
    {"mg", "mcg", "µg", "μg", "ug", "ng", "iu", "unit", "units", "meq", "mmol", "tablet", "tablets", "tab",
     "tabs", "capsule", "capsules", "caps", "pill", "pills", "puff", "puffs", "drop", "drops", "gtt", "gtts",
     "spray", "sprays", "patch", "patches", "sachet", "sachets", "lozenge", "lozenges", "suppository",
     "suppositories", "ampoule", "ampoules", "vial", "vials", "injection", "injections", "teaspoon",
     "teaspoons", "tsp", "tablespoon", "tablespoons", "tbsp", "milligram", "milligrams", "microgram",
     "micrograms", "g", "gram", "grams", "ml", "mls", "milliliter", "milliliters", "millilitre", "millilitres",
     "l", "cc"}
)
INJURY_TRIGGERS = frozenset(
    {"fractured", "broken", "sprained", "strained", "torn", "dislocated", "bruised", "cracked", "injured",
     "pulled", "ruptured", "burned", "burnt", "lacerated", "twisted", "herniated", "slipped", "crushed",
     "punctured", "shattered", "separated", "hyperextended", "broke", "tore", "hurt", "cut", "fracture",
     "fractures", "break", "breaks", "sprain", "sprains", "strain", "strains", "injury", "injuries",
     "laceration", "lacerations", "contusion", "contusions", "dislocation", "dislocations", "tear", "tears",
     "burn", "burns", "wound", "wounds", "trauma", "bruise", "bruises", "bruising", "abrasion", "abrasions",
     "cuts", "puncture", "punctures", "gash", "gashes", "degree"}
)


@recognizer("medical_record", "HEALTHCARE_NUMBER")
def find_medical_records(text: str) -> Iterator[Span]:
    if not has_digit(text) or lowercase_words(text).isdisjoint(RECORD_TRIGGERS):
        return
    for m in RECORD.finditer(text):
        glued = m.group("glue") == "_"
        start = m.start("cue") if glued else m.start("value")
        yield Span(start, m.end("value"), "HEALTHCARE_NUMBER", 0.9, "context")


@recognizer("dose", "DOSE")
def find_doses(text: str) -> Iterator[Span]:
    if lowercase_words(text).isdisjoint(DOSE_TRIGGERS):
        return
    for m in DOSE.finditer(text):
        if m.group("weak") and not m.group("freq") and not cue_before(text, m.start(), DOSING_BEFORE, 30):
            continue
        if not m.group("amount")[0].isdigit() and not m.group("unit").lower().startswith(COUNTABLE):
            continue  # "a unit", "one g": a spelled amount only counts with a countable form
        value = m.group().rstrip(" ,.")
        yield Span(m.start(), m.start() + len(value), "DOSE", 0.8, "pattern")


@recognizer("injury", "INJURY")
def find_injuries(text: str) -> Iterator[Span]:
    if lowercase_words(text).isdisjoint(INJURY_TRIGGERS):
        return
    for m in INJURY.finditer(text):
        yield Span(m.start(), m.end(), "INJURY", 0.8, "pattern")
