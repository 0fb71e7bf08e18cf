"""Incidents: opening, escalation steps, role
assignments, checklist, notes, the room and the board.
"""
