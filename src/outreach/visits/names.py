"""Names back into the planner's words for a page.

The planner and the run records speak of "person p12" and "w7" (ids, not names, so that no
name is copied into a run record). A page shows names: `Names.text` replaces each id with
the name of someone the user may see, and anyone else with a neutral word.
"""

import re
from dataclasses import dataclass, field

PERSON_PHRASE = re.compile(r"\bperson p(\d+)(?:\.v\d+\.\d+)?\b")
PERSON = re.compile(r"\bp(\d+)(?:\.v\d+\.\d+)?\b")
WORKER = re.compile(r"\bw(\d+)\b")


@dataclass
class Names:
    people: dict[int, str] = field(default_factory=dict)
    staff: dict[int, str] = field(default_factory=dict)

    def person(self, person_id: int | None) -> str:
        return self.people.get(person_id, "someone no longer on the caseload") \
            if person_id is not None else ""

    def worker(self, staff_id: int | None) -> str:
        return self.staff.get(staff_id, "a former worker") if staff_id is not None else ""

    def text(self, text: str) -> str:
        text = PERSON_PHRASE.sub(lambda m: self.person(int(m[1])), text)
        text = PERSON.sub(lambda m: self.person(int(m[1])), text)
        return WORKER.sub(lambda m: self.worker(int(m[1])), text)
