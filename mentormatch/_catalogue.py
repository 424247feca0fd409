"""Built-in vocabulary: programmes, disciplines, units and interests.

Swedish names as they appear on sign-up forms, each with an English gloss.
The scoring criteria use :data:`PROGRAMME_DISCIPLINE` (the built-in
discipline grouping) and the synthetic cohorts draw from every table here;
the last section holds how often each value occurs in a synthetic cohort.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np

__all__ = [
    "BASE_LANGUAGES",
    "GENDERS",
    "INTERESTS",
    "INTEREST_COUNTS",
    "INTEREST_COUNT_P",
    "INTEREST_GLOSS",
    "LANGUAGES",
    "MANAGER_AGE_MAX",
    "MANAGER_AGE_MEAN",
    "MANAGER_AGE_MIN",
    "MANAGER_AGE_SD",
    "MANAGER_EDUCATION_WEIGHT",
    "MANAGER_GENDER_P",
    "MANAGER_REGION_WEIGHT",
    "MANAGER_THIRD_LANGUAGE_RATE",
    "ONE",
    "ONE_P",
    "PROGRAMMES",
    "PROGRAMME_DISCIPLINE",
    "PROGRAMME_GLOSS",
    "PROGRAMME_INTERESTS",
    "REGIONS",
    "SEEKING_COUNTS",
    "SEEKING_COUNT_P",
    "STUDENT_AGE_MAX",
    "STUDENT_AGE_MIN",
    "STUDENT_AGE_SCALE",
    "STUDENT_AGE_SHAPE",
    "STUDENT_GENDER_P",
    "STUDENT_PROGRAMME_WEIGHT",
    "STUDENT_REGION_WEIGHT",
    "STUDENT_THIRD_LANGUAGE_RATE",
    "THIRD_LANGUAGE_WEIGHT",
    "TYPICAL_INTEREST_WEIGHT",
    "TYPICAL_SEEKING_WEIGHT",
    "UNITS",
    "UNIT_BOOST",
    "UNIT_EDUCATION",
    "UNIT_GLOSS",
    "UNIT_INTERESTS",
    "UNIT_SEEKING",
    "UNIT_WEIGHT",
    "discipline_of",
    "vocabulary_key",
]

#: Programme -> (English gloss, discipline group).
_PROGRAMMES: Final = {
    "Statsvetenskap": ("political science", "samhällsvetenskap"),
    "Samhällsvetenskap": ("social science", "samhällsvetenskap"),
    "Sociologi": ("sociology", "samhällsvetenskap"),
    "Offentlig förvaltning": ("public administration", "samhällsvetenskap"),
    "Socialt arbete": ("social work", "hälsa"),
    "Medie- och kommunikationsvetenskap": ("media and communication studies", "medier"),
    "Journalistik": ("journalism", "medier"),
    "Ekonomi": ("business and economics", "ekonomi och juridik"),
    "Juridik": ("law", "ekonomi och juridik"),
    "Datateknik": ("computer engineering", "teknik"),
    "Systemvetenskap": ("information systems", "teknik"),
    "Miljövetenskap": ("environmental science", "miljö"),
    "Folkhälsovetenskap": ("public health science", "hälsa"),
    "Genusvetenskap": ("gender studies", "humaniora"),
    "Historia": ("history", "humaniora"),
    "Lärarprogrammet": ("teacher education", "utbildning"),
}
PROGRAMMES: Final = tuple(_PROGRAMMES)
PROGRAMME_GLOSS: Final = MappingProxyType({p: g for p, (g, _) in _PROGRAMMES.items()})
#: The built-in discipline grouping used by the programme and diversity criteria.
PROGRAMME_DISCIPLINE: Final = MappingProxyType({p: d for p, (_, d) in _PROGRAMMES.items()})

#: Societal-engagement interests -> English gloss.
INTEREST_GLOSS: Final = MappingProxyType(
    {
        "demokrati": "democracy",
        "klimat": "climate",
        "jämställdhet": "gender equality",
        "tillgänglighet": "accessibility",
        "öppna data": "open data",
        "integritet": "privacy",
        "digital inklusion": "digital inclusion",
        "AI-etik": "AI ethics",
        "migration": "migration",
        "folkhälsa": "public health",
        "utbildning": "education",
        "mänskliga rättigheter": "human rights",
        "hållbarhet": "sustainability",
        "landsbygdsutveckling": "rural development",
        "ungas inflytande": "youth participation",
        "cybersäkerhet": "cybersecurity",
    }
)
INTERESTS: Final = tuple(INTEREST_GLOSS)

#: Interests that students of a programme tend to hold (used by make_cohort).
PROGRAMME_INTERESTS: Final = MappingProxyType(
    {
        "Statsvetenskap": ("demokrati", "mänskliga rättigheter", "migration", "ungas inflytande"),
        "Samhällsvetenskap": ("demokrati", "jämställdhet", "digital inklusion", "migration"),
        "Sociologi": ("jämställdhet", "migration", "digital inklusion", "folkhälsa"),
        "Offentlig förvaltning": ("demokrati", "öppna data", "tillgänglighet", "integritet"),
        "Socialt arbete": ("digital inklusion", "folkhälsa", "migration", "tillgänglighet"),
        "Medie- och kommunikationsvetenskap": (
            "demokrati",
            "AI-etik",
            "integritet",
            "ungas inflytande",
        ),
        "Journalistik": ("demokrati", "öppna data", "integritet", "mänskliga rättigheter"),
        "Ekonomi": ("hållbarhet", "öppna data", "landsbygdsutveckling", "klimat"),
        "Juridik": ("integritet", "mänskliga rättigheter", "AI-etik", "migration"),
        "Datateknik": ("cybersäkerhet", "AI-etik", "öppna data", "integritet"),
        "Systemvetenskap": ("öppna data", "tillgänglighet", "AI-etik", "digital inklusion"),
        "Miljövetenskap": ("klimat", "hållbarhet", "landsbygdsutveckling", "folkhälsa"),
        "Folkhälsovetenskap": ("folkhälsa", "jämställdhet", "digital inklusion", "klimat"),
        "Genusvetenskap": ("jämställdhet", "mänskliga rättigheter", "ungas inflytande", "AI-etik"),
        "Historia": ("demokrati", "utbildning", "mänskliga rättigheter", "landsbygdsutveckling"),
        "Lärarprogrammet": ("utbildning", "ungas inflytande", "digital inklusion", "jämställdhet"),
    }
)

#: Units of a digital-government agency -> English gloss.
UNIT_GLOSS: Final = MappingProxyType(
    {
        "Digital förvaltning": "digital government development",
        "Öppna data och datadelning": "open data and data sharing",
        "Digital tillgänglighet": "digital accessibility supervision",
        "Infrastruktur och säkerhet": "infrastructure and security",
        "Kommunikation": "communications",
        "Verksamhetsstöd": "business support (HR, finance)",
        "Analys och uppföljning": "analysis and evaluation",
        "Rättsavdelningen": "legal affairs",
        "Innovation och AI": "innovation and AI",
        "E-legitimation": "electronic identification",
    }
)
UNITS: Final = tuple(UNIT_GLOSS)

#: Programmes a manager of each unit tends to seek perspectives from.
UNIT_SEEKING: Final = MappingProxyType(
    {
        "Digital förvaltning": ("Statsvetenskap", "Offentlig förvaltning", "Sociologi"),
        "Öppna data och datadelning": ("Journalistik", "Statsvetenskap", "Samhällsvetenskap"),
        "Digital tillgänglighet": ("Socialt arbete", "Folkhälsovetenskap", "Sociologi"),
        "Infrastruktur och säkerhet": (
            "Juridik",
            "Statsvetenskap",
            "Medie- och kommunikationsvetenskap",
        ),
        "Kommunikation": ("Medie- och kommunikationsvetenskap", "Sociologi", "Lärarprogrammet"),
        "Verksamhetsstöd": ("Genusvetenskap", "Sociologi", "Samhällsvetenskap"),
        "Analys och uppföljning": ("Samhällsvetenskap", "Miljövetenskap", "Historia"),
        "Rättsavdelningen": (
            "Systemvetenskap",
            "Medie- och kommunikationsvetenskap",
            "Socialt arbete",
        ),
        "Innovation och AI": ("Genusvetenskap", "Juridik", "Statsvetenskap"),
        "E-legitimation": ("Socialt arbete", "Samhällsvetenskap", "Juridik"),
    }
)

#: Interests a manager of each unit tends to hold (used by make_cohort).
UNIT_INTERESTS: Final = MappingProxyType(
    {
        "Digital förvaltning": ("demokrati", "digital inklusion", "öppna data", "AI-etik"),
        "Öppna data och datadelning": ("öppna data", "integritet", "demokrati", "hållbarhet"),
        "Digital tillgänglighet": (
            "tillgänglighet",
            "digital inklusion",
            "folkhälsa",
            "utbildning",
        ),
        "Infrastruktur och säkerhet": (
            "cybersäkerhet",
            "integritet",
            "landsbygdsutveckling",
            "klimat",
        ),
        "Kommunikation": ("demokrati", "ungas inflytande", "tillgänglighet", "jämställdhet"),
        "Verksamhetsstöd": ("jämställdhet", "folkhälsa", "hållbarhet", "utbildning"),
        "Analys och uppföljning": ("öppna data", "klimat", "hållbarhet", "demokrati"),
        "Rättsavdelningen": ("integritet", "mänskliga rättigheter", "AI-etik", "migration"),
        "Innovation och AI": ("AI-etik", "öppna data", "klimat", "cybersäkerhet"),
        "E-legitimation": ("integritet", "digital inklusion", "cybersäkerhet", "migration"),
    }
)


def vocabulary_key(text: str) -> str:
    """The form in which two spellings of one value compare equal.

    Unicode NFC, case-folded, invisible format characters (zero-width
    spaces, soft hyphens) removed and runs of white space collapsed to one
    space: ``"Demokrati"``, ``" demokrati "`` and ``"DEMOKRATI"`` are one
    interest.

    Examples
    --------
    >>> from mentormatch._catalogue import vocabulary_key
    >>> vocabulary_key("  Öppna\u200b  Data ") == vocabulary_key("öppna data")
    True
    """
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.casefold().split())


_BUILTIN_KEYED: Final = {vocabulary_key(k): v for k, v in PROGRAMME_DISCIPLINE.items()}


def _keyed(disciplines: Mapping[str, str]) -> Mapping[str, str]:
    # A caller's mapping may change between calls, so only the built-in one is kept.
    if disciplines is PROGRAMME_DISCIPLINE:
        return _BUILTIN_KEYED
    return {vocabulary_key(str(k)): v for k, v in disciplines.items()}


def discipline_of(
    programme: str | None, disciplines: Mapping[str, str] = PROGRAMME_DISCIPLINE
) -> str | None:
    """The discipline group of a programme; one outside the grouping is its own group.

    Spellings are compared by :func:`vocabulary_key`, so ``"datateknik"``
    finds ``"Datateknik"``; a programme outside the grouping is its own
    group under its key.

    Examples
    --------
    >>> from mentormatch._catalogue import discipline_of
    >>> discipline_of("datateknik"), discipline_of("Astronomi") == discipline_of("astronomi")
    ('teknik', True)
    """
    if programme is None:
        return None
    found = disciplines.get(programme)
    if found is not None:
        return found
    key = vocabulary_key(str(programme))
    return _keyed(disciplines).get(key, key)


# --- The synthetic population ------------------------------------------------------------
# How often each value occurs among the people make_cohort draws (mentormatch.synthetic).
# Relative weights, normalised where they are used. They are plausible, not measured.

#: Students' programmes: the societal-engagement programmes such a programme recruits from.
STUDENT_PROGRAMME_WEIGHT: Mapping[str, float] = {
    "Statsvetenskap": 10,
    "Samhällsvetenskap": 9,
    "Sociologi": 7,
    "Offentlig förvaltning": 6,
    "Socialt arbete": 7,
    "Medie- och kommunikationsvetenskap": 6,
    "Journalistik": 4,
    "Ekonomi": 8,
    "Juridik": 6,
    "Datateknik": 6,
    "Systemvetenskap": 5,
    "Miljövetenskap": 5,
    "Folkhälsovetenskap": 5,
    "Genusvetenskap": 3,
    "Historia": 4,
    "Lärarprogrammet": 9,
}

#: Managers' own education: what managers of a digital-government agency studied.
MANAGER_EDUCATION_WEIGHT: Mapping[str, float] = {
    "Statsvetenskap": 12,
    "Samhällsvetenskap": 6,
    "Sociologi": 2,
    "Offentlig förvaltning": 12,
    "Socialt arbete": 1,
    "Medie- och kommunikationsvetenskap": 4,
    "Journalistik": 2,
    "Ekonomi": 20,
    "Juridik": 14,
    "Datateknik": 12,
    "Systemvetenskap": 14,
    "Miljövetenskap": 1,
    "Folkhälsovetenskap": 1,
    "Genusvetenskap": 0.5,
    "Historia": 1,
    "Lärarprogrammet": 1,
}

#: Educations that are over-represented among the managers of a unit (weight x UNIT_BOOST).
UNIT_EDUCATION: Mapping[str, tuple[str, ...]] = {
    "Digital förvaltning": ("Offentlig förvaltning", "Statsvetenskap"),
    "Öppna data och datadelning": ("Systemvetenskap", "Datateknik"),
    "Digital tillgänglighet": ("Systemvetenskap", "Offentlig förvaltning"),
    "Infrastruktur och säkerhet": ("Datateknik", "Systemvetenskap"),
    "Kommunikation": ("Medie- och kommunikationsvetenskap", "Journalistik"),
    "Verksamhetsstöd": ("Ekonomi",),
    "Analys och uppföljning": ("Ekonomi", "Statsvetenskap"),
    "Rättsavdelningen": ("Juridik",),
    "Innovation och AI": ("Datateknik", "Systemvetenskap"),
    "E-legitimation": ("Datateknik", "Juridik"),
}
UNIT_BOOST = 4.0

UNIT_WEIGHT: Mapping[str, float] = {
    "Digital förvaltning": 14,
    "Öppna data och datadelning": 10,
    "Digital tillgänglighet": 8,
    "Infrastruktur och säkerhet": 12,
    "Kommunikation": 8,
    "Verksamhetsstöd": 12,
    "Analys och uppföljning": 9,
    "Rättsavdelningen": 7,
    "Innovation och AI": 9,
    "E-legitimation": 11,
}

#: A typical interest (of the programme or unit) is this many times as likely as another.
TYPICAL_INTEREST_WEIGHT = 6.0
#: A programme the unit typically seeks is this many times as likely as another.
TYPICAL_SEEKING_WEIGHT = 10.0

INTEREST_COUNTS = np.array([2, 3, 4, 5])
INTEREST_COUNT_P = np.array([0.30, 0.35, 0.22, 0.13])
SEEKING_COUNTS = np.array([1, 2, 3])
ONE, ONE_P = np.array([1]), np.array([1.0])
SEEKING_COUNT_P = np.array([0.30, 0.45, 0.25])

GENDERS = ("kvinna", "man", "icke-binär")
STUDENT_GENDER_P = np.array([0.58, 0.39, 0.03])
MANAGER_GENDER_P = np.array([0.52, 0.47, 0.01])

#: Counties (län, short form). Mid Sweden University has campuses in Sundsvall
#: (Västernorrland) and Östersund (Jämtland); Digg sits in Sundsvall with a Stockholm office.
STUDENT_REGION_WEIGHT: Mapping[str, float] = {
    "Västernorrland": 40,
    "Jämtland": 25,
    "Stockholm": 8,
    "Gävleborg": 6,
    "Västerbotten": 4,
    "Västra Götaland": 4,
    "Uppsala": 3,
    "Dalarna": 3,
    "Skåne": 3,
    "Norrbotten": 2,
    "Örebro": 2,
}
MANAGER_REGION_WEIGHT: Mapping[str, float] = {
    "Västernorrland": 60,
    "Stockholm": 32,
    "Jämtland": 2,
    "Gävleborg": 2,
    "Uppsala": 2,
    "Västerbotten": 1,
    "Västra Götaland": 1,
}
REGIONS = tuple(dict.fromkeys([*STUDENT_REGION_WEIGHT, *MANAGER_REGION_WEIGHT]))

#: Everyone answers in Swedish and English; some name a third language.
BASE_LANGUAGES = ("svenska", "engelska")
THIRD_LANGUAGE_WEIGHT: Mapping[str, float] = {
    "arabiska": 5,
    "finska": 4,
    "persiska": 3,
    "spanska": 3,
    "tyska": 3,
    "franska": 2,
    "somaliska": 2,
    "tigrinja": 1,
    "polska": 2,
    "bosniska": 2,
    "samiska": 1,
    "meänkieli": 1,
}
LANGUAGES = (*BASE_LANGUAGES, *THIRD_LANGUAGE_WEIGHT)
STUDENT_THIRD_LANGUAGE_RATE = 0.25
MANAGER_THIRD_LANGUAGE_RATE = 0.15

STUDENT_AGE_MIN, STUDENT_AGE_MAX = 19, 45
STUDENT_AGE_SHAPE, STUDENT_AGE_SCALE = 1.6, 3.2
MANAGER_AGE_MIN, MANAGER_AGE_MAX = 35, 65
MANAGER_AGE_MEAN, MANAGER_AGE_SD = 50.0, 7.5
