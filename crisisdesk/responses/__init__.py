"""Responses: drafts, numbered revisions, four-eyes legal review, publication records."""
