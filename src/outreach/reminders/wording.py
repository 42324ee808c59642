"""What a reminder says, and how numbers and addresses are compared. No Django here.

Caldicott (minimum necessary): a text can be read by whoever holds the phone, and a letter
by whoever opens it, so a reminder says only when and where, in plain words. It never names
the service, the worker's discipline, the visit's purpose, medication or anything clinical.
"""

import re
from datetime import date, time

# Where, in plain words, for the person ("your") and for a carer ("their").
PLACE_WORDS = {
    "home": "at {whose} home",
    "clinic": "at the team base",
    "ward": "on the ward",
}
DEFAULT_PLACE_WORDS = "at the place agreed with {whom}"

# GOV.UK Notify letters need 3 to 7 address lines, the last one a postcode.
LETTER_MAX_LINES = 7


def plain_date(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B}"


def plain_time(value: time) -> str:
    """GOV.UK style: 10am, 2:30pm, midday, midnight."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def plain_place(place: str, *, to_carer: bool) -> str:
    words = PLACE_WORDS.get(place, DEFAULT_PLACE_WORDS)
    return words.format(whose="their" if to_carer else "your",
                        whom="them" if to_carer else "you")


def reminder_body(*, on: date, at: time | None, place: str, name_for_carer: str = "") -> str:
    """The whole message. With name_for_carer it is addressed to the person's carer."""
    when = plain_date(on) + (f" at {plain_time(at)}" if at else "")
    where = plain_place(place, to_carer=bool(name_for_carer))
    if name_for_carer:
        return (f"Reminder: {name_for_carer} has an appointment with their NHS team on "
                f"{when}, {where}. If they cannot make it, please let the team know.")
    return (f"Reminder: you have an appointment with your NHS team on {when}, {where}. "
            "If you cannot make it, please let us know.")


def phone_key(number: str) -> str:
    """A phone number reduced to what identifies it: digits, with +44 / 0044 as 0.

    Only formatting is ignored (spaces, dashes, brackets, the UK country code); any
    different digit makes a different number.
    """
    digits = re.sub(r"\D", "", number or "")
    stripped = (number or "").strip()
    if stripped.startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits[(2 if stripped.startswith("+") else 4):]
    elif stripped.startswith("+"):
        digits = "+" + digits
    return digits


def is_mobile(number: str) -> bool:
    """A UK mobile (07...) or an international number: something a text can reach."""
    key = phone_key(number)
    return (key.startswith("07") and len(key) == 11) or (key.startswith("+") and len(key) > 8)


def postal_address(address: str, postcode: str) -> str:
    """The address as copied onto a reminder: one line each, the postcode last."""
    lines = [part.strip() for part in re.split(r"[\n,]", address or "") if part.strip()]
    if postcode.strip():
        lines.append(postcode.strip().upper())
    return "\n".join(lines)


def address_key(address: str) -> str:
    return "\n".join(re.sub(r"\s+", "", line).casefold() for line in address.splitlines()
                     if line.strip())


def letter_lines(name: str, address: str) -> list[str]:
    """Name first, postcode last, at most seven lines (extra middle lines are joined)."""
    lines = [name, *address.splitlines()]
    while len(lines) > LETTER_MAX_LINES:
        lines[-3:-1] = [f"{lines[-3]}, {lines[-2]}"]
    return lines
