"""The incident room: one page bringing an incident, its people, responses and timeline together."""
