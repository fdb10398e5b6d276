"""Personal numbers in free-text comments: found and masked before a comment is stored.

A "digit run" is digits joined by at most three separators (space, dash, dot, no-break
space, brackets), with an optional leading "+"; a run of MASK_MIN_DIGITS or more digits is
masked. That covers 13-digit ID numbers (1234567890123, 1-2345-67890-12-3,
1 2345 67890 12 3), phone numbers (081-234-5678, 0812345678, 02-205-1315, (02) 205 1315,
+66 81 234 5678) and several phone numbers written in a row, and also bank account
numbers; prices, times, counts and hotlines (1599) are shorter and stay. \\d also matches
Thai digits.
"""

import re

MASK_CHAR = "\u2022"  # •
MASK_MIN_DIGITS = 9
_DIGIT_RUN = re.compile(r"\+?\d(?:[ \-.\u00a0()]{0,3}\d)*")


def mask_personal_numbers(text):
    """Mask ID, phone and other long numbers (digits become •); returns (text, masked?)."""

    masked = False

    def hide(match):
        nonlocal masked
        run = match.group(0)
        if sum(ch.isdigit() for ch in run) < MASK_MIN_DIGITS:
            return run
        masked = True
        return "".join(MASK_CHAR if ch.isdigit() else ch for ch in run)

    return _DIGIT_RUN.sub(hide, text), masked
