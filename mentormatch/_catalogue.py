"""Built-in vocabulary: programmes, disciplines, units and interests.

Swedish names as they appear on sign-up forms, each with an English gloss.
The scoring criteria use :data:`PROGRAMME_DISCIPLINE` (the built-in
discipline grouping) and the synthetic cohorts draw from every table here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "INTERESTS",
    "INTEREST_GLOSS",
    "PROGRAMMES",
    "PROGRAMME_DISCIPLINE",
    "PROGRAMME_GLOSS",
    "PROGRAMME_INTERESTS",
    "UNITS",
    "UNIT_GLOSS",
    "UNIT_INTERESTS",
    "UNIT_SEEKING",
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
