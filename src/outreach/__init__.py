"""outreach: intensive and assertive community mental health care."""
