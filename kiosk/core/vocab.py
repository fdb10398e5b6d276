"""Enumerations shared by the screens, the API, the exports and the posters.

Labels are kiosk.core.i18n Labels: English msgids of the one message catalogue, shown
in the current language (Thai by default) or in the language asked for with
`label.in_language(lang)`. Keys are stable identifiers used in config, JSON and CSV.
"""

from kiosk.core.i18n import Label

# The four EIT units (contract keys) and their share of the 300-answer quota.
UNITS = ("administration", "crime_prevention", "traffic", "investigation")
DEFAULT_EIT_QUOTA = {
    "administration": 15,
    "crime_prevention": 120,
    "traffic": 60,
    "investigation": 105,
}
UNIT_LABELS = {
    "administration": Label("Administration"),
    "crime_prevention": Label("Crime prevention and suppression"),
    "traffic": Label("Traffic"),
    "investigation": Label("Investigation and inquiry"),
}
# What each unit does, for a citizen who does not know how a station is organised: the
# services of the manual that each unit gives (the investigation unit is the manual's
# two sections, งานสืบสวน and งานสอบสวน).
UNIT_DESCRIPTIONS = {
    "administration": Label("Opinions for loudspeaker permits, complaints about officers, office matters"),
    "crime_prevention": Label("House watch, extra patrols, detainee visits"),
    "traffic": Label("Traffic accidents, traffic tickets and fines"),
    "investigation": Label(
        "Police reports, lost documents, bail, case progress, missing persons (detectives and case officers)"
    ),
}
# "Not sure" is a valid answer to "which unit served you", counted apart.
UNIT_NOT_SURE = "not_sure"

# The service manual groups services by the five sections of a station; the
# inquiry section (งานสอบสวน, the case officers) reports to the "investigation" EIT unit.
MANUAL_SECTIONS = ("administration", "crime_prevention", "traffic", "investigation", "inquiry")
SECTION_TO_UNIT = {
    "administration": "administration",
    "crime_prevention": "crime_prevention",
    "traffic": "traffic",
    "investigation": "investigation",
    "inquiry": "investigation",
}
SECTION_LABELS = {
    "administration": Label("Administration"),
    "crime_prevention": Label("Crime prevention and suppression"),
    "traffic": Label("Traffic"),
    "investigation": Label("Investigation (detectives)"),
    "inquiry": Label("Investigation (case officers)"),
}

# The Thai government's 5-level satisfaction scale, best first.
LEVELS = (5, 4, 3, 2, 1)
LEVEL_LABELS = {
    5: Label("Very satisfied"),
    4: Label("Satisfied"),
    3: Label("Neutral"),
    2: Label("Dissatisfied"),
    1: Label("Very dissatisfied"),
}
SATISFIED_LEVELS = (4, 5)

ASPECTS = ("process", "staff", "facilities", "quality")
ASPECT_LABELS = {
    "process": Label("Process and steps"),
    "staff": Label("Staff"),
    "facilities": Label("Facilities"),
    "quality": Label("Quality of service"),
}

# Reason chips after a rating. Bribery or requests for money are complaints for the
# official channels (see the No Gift Policy screen), not feedback chips.
REASONS_POSITIVE = ("polite_staff", "clear_explanation", "fast_service", "clean_place", "fair_treatment")
REASONS_NEGATIVE = ("waited_too_long", "unclear_steps", "impolite_staff", "crowded_place")
REASONS = REASONS_POSITIVE + REASONS_NEGATIVE
REASON_LABELS = {
    "polite_staff": Label("Polite staff"),
    "clear_explanation": Label("Clear explanation"),
    "fast_service": Label("Fast service"),
    "clean_place": Label("Clean, tidy place"),
    "fair_treatment": Label("Treated fairly"),
    "waited_too_long": Label("Waited too long"),
    "unclear_steps": Label("Steps were unclear"),
    "impolite_staff": Label("Staff were impolite"),
    "crowded_place": Label("Crowded, no seats"),
}
UNIT_CHOICES = UNITS + (UNIT_NOT_SURE,)
UNIT_CHOICE_LABELS = {**UNIT_LABELS, UNIT_NOT_SURE: Label("Not sure")}

# How a document must be brought (service manual checklists).
DOCUMENT_KIND_LABELS = {
    "original": Label("Original"),
    "copy": Label("Copy"),
    "original_and_copy": Label("Original and a copy"),
    "none": Label("No document needed"),
}

# The Thai interpretation of a mean score (tallies.band_for gives the key).
BAND_LABELS = {
    "highest": Label("Highest"),
    "high": Label("High"),
    "moderate": Label("Moderate"),
    "low": Label("Low"),
    "lowest": Label("Lowest"),
}
