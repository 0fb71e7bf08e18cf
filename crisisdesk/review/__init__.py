"""Post-mortems and management review: metrics from
the timeline, charts, exports, the dashboard, audit.
"""
