"""The desk's signals: one blinker namespace, each signal documented.

Services never send signals: they append timeline events. The notification worker
reads those events in order and sends the matching signal, so a signal always
corresponds to a committed, hash-chained event. Receivers are private functions
connected in create_app().
"""
from blinker import Namespace

desk_signals = Namespace()

#: A timeline event was committed. Sender: the app. Kwargs: ``event`` (TimelineEvent).
event_committed = desk_signals.signal("event-committed")
