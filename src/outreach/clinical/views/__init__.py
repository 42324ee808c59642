"""Pages of the clinical record (issue 4). Every page reaches the person through
records.selectors.person_for (404 otherwise) and the entries through the person, audits what
it shows before rendering, and writes only through clinical.services."""
