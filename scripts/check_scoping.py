"""Flag bare access to patient data in views and the API.

Team scoping must be structural: views and API handlers reach people only through
outreach.records.selectors (people_for, caseload, person_for). A bare `Person.objects`,
`Contact.objects`, `Episode.objects` or `get_object_or_404(` in those modules fails CI.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "outreach"
CHECKED = [ROOT / "api" / "v1.py", ROOT / "api" / "outcomes.py", *ROOT.glob("*/views.py"),
           *ROOT.glob("*/views/*.py")]
PATIENT_MODELS = (
    # records
    "Person", "Episode", "Contact", "Carer", "KeyWorkerAssignment", "CoverAssignment",
    "DischargeDecision", "DischargeProposal", "Amendment", "PlannedVisit", "AnnualReview",
    "AuditEvent",
    # clinical
    "CarePlan", "SafetyPlan", "AdvanceChoice", "RelapseSignature", "WarningSign",
    "SignObservation", "RiskFormulation", "Medication", "Depot", "DepotDose", "MHADetention",
    "CommunityTreatmentOrder", "Section117", "MultiAgency", "CarerContact",
    "SocialCircumstances", "SubstanceUse", "PoliceContact", "PhysicalHealthCheck",
    "OTAssessment",
    # reminders
    "Reminder",
    # experience
    "Feedback",
    # outcomes
    "HospitalSpell", "CrisisEpisode", "EmploymentRecord",
)
BARE = re.compile(rf"\b({'|'.join(PATIENT_MODELS)})\.objects\b|\bget_object_or_404\(")


def main() -> int:
    problems = []
    for path in sorted(CHECKED):
        if not path.exists():
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if BARE.search(line):
                problems.append(f"{path.relative_to(ROOT.parent.parent)}:{n}: {line.strip()}")
    for p in problems:
        print(f"bare patient-data access (use records.selectors): {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
