"""Enumerations shared by the screens, the API, the exports and the posters.

Labels are English msgids translated through Flask-Babel (Thai is the default
locale); keys are stable identifiers used in config, JSON and CSV.
"""

from flask_babel import lazy_gettext as _l

# The four EIT units (contract keys) and their share of the 300-answer quota.
UNITS = ("administration", "crime_prevention", "traffic", "investigation")
DEFAULT_EIT_QUOTA = {
    "administration": 15,
    "crime_prevention": 120,
    "traffic": 60,
    "investigation": 105,
}
UNIT_LABELS = {
    "administration": _l("Administration"),
    "crime_prevention": _l("Crime prevention and suppression"),
    "traffic": _l("Traffic"),
    "investigation": _l("Investigation and inquiry"),
}
# "Not sure" is a valid answer to "which unit served you", counted apart.
UNIT_NOT_SURE = "not_sure"

# The service manual groups services by the five sections of a station; the
# inquiry section (งานสอบสวน) reports to the "investigation" EIT unit.
MANUAL_SECTIONS = ("administration", "crime_prevention", "traffic", "investigation", "inquiry")
SECTION_TO_UNIT = {
    "administration": "administration",
    "crime_prevention": "crime_prevention",
    "traffic": "traffic",
    "investigation": "investigation",
    "inquiry": "investigation",
}
SECTION_LABELS = {
    "administration": _l("Administration"),
    "crime_prevention": _l("Crime prevention and suppression"),
    "traffic": _l("Traffic"),
    "investigation": _l("Investigation"),
    "inquiry": _l("Inquiry"),
}

# The Thai government's 5-level satisfaction scale, best first.
LEVELS = (5, 4, 3, 2, 1)
LEVEL_LABELS = {
    5: _l("Very satisfied"),
    4: _l("Satisfied"),
    3: _l("Neutral"),
    2: _l("Dissatisfied"),
    1: _l("Very dissatisfied"),
}
SATISFIED_LEVELS = (4, 5)

ASPECTS = ("process", "staff", "facilities", "quality")
ASPECT_LABELS = {
    "process": _l("Process and steps"),
    "staff": _l("Staff"),
    "facilities": _l("Facilities"),
    "quality": _l("Quality of service"),
}

# Reason chips after a rating. Bribery or requests for money are complaints for the
# official channels (see the No Gift Policy screen), not feedback chips.
REASONS_POSITIVE = ("polite_staff", "clear_explanation", "fast_service", "clean_place", "fair_treatment")
REASONS_NEGATIVE = ("waited_too_long", "unclear_steps", "impolite_staff", "crowded_place")
REASONS = REASONS_POSITIVE + REASONS_NEGATIVE
REASON_LABELS = {
    "polite_staff": _l("Polite staff"),
    "clear_explanation": _l("Clear explanation"),
    "fast_service": _l("Fast service"),
    "clean_place": _l("Clean, tidy place"),
    "fair_treatment": _l("Treated fairly"),
    "waited_too_long": _l("Waited too long"),
    "unclear_steps": _l("Steps were unclear"),
    "impolite_staff": _l("Staff were impolite"),
    "crowded_place": _l("Crowded, no seats"),
}
UNIT_CHOICES = UNITS + (UNIT_NOT_SURE,)
UNIT_CHOICE_LABELS = {**UNIT_LABELS, UNIT_NOT_SURE: _l("Not sure")}

# How a document must be brought (service manual checklists).
DOCUMENT_KIND_LABELS = {
    "original": _l("Original"),
    "copy": _l("Copy"),
    "original_and_copy": _l("Original and a copy"),
    "none": _l("No document needed"),
}

# The Thai interpretation of a mean score (tallies.band_for gives the key).
BAND_LABELS = {
    "highest": _l("Highest"),
    "high": _l("High"),
    "moderate": _l("Moderate"),
    "low": _l("Low"),
    "lowest": _l("Lowest"),
}
