"""The public face: dark pages put live as notices, public pages and feeds, offline bundle."""
