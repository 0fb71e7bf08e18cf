"""Notifications from the timeline: the worker, receivers,
mail, signed webhooks, in-app messages, alerts.
"""
