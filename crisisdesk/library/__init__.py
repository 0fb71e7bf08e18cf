"""The crisis library: playbooks and pre-approved statements as versioned Markdown files."""
