"""DORA's classification criteria (Delegated Regulation (EU) 2024/1772) and the rule that makes
an ICT-related incident major (Art. 8): critical services affected, and either a malicious
unauthorised access that may lead to data losses, or the thresholds of two other criteria met.

The desk proposes; a person holding the decision decides, with reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: the criterion every major incident needs
CRITICAL = "critical_services"
#: met on its own (with CRITICAL), it makes the incident major
MALICIOUS = "malicious_access"
#: of these, two met (with CRITICAL) make the incident major
THRESHOLDS = ("clients", "reputational", "duration", "geography", "data_loss", "economic")
CRITERIA = (CRITICAL, MALICIOUS, *THRESHOLDS)

LABELS = {
    CRITICAL: _l("Critical services affected"),
    MALICIOUS: _l("Malicious unauthorised access"),
    "clients": _l("Clients, counterparts and transactions"),
    "reputational": _l("Reputational impact"),
    "duration": _l("Duration and service downtime"),
    "geography": _l("Geographical spread"),
    "data_loss": _l("Data losses"),
    "economic": _l("Economic impact"),
}


def rule_label(rule: str | None) -> str:
    """A decision's rule as the criteria's names ("critical_services+clients" → their labels)."""
    return ", ".join(str(LABELS.get(name, name)) for name in (rule or "").split("+") if name)


HELP = {
    CRITICAL: _l(
        "Services supporting critical or important functions, services that need authorisation "
        "or are supervised, or a successful malicious unauthorised access to our systems."
    ),
    MALICIOUS: _l(
        "A malicious unauthorised access to our network and information systems that may lead "
        "to data losses. Together with critical services, this alone makes the incident major."
    ),
    "clients": _l(
        "More than 10 percent of the clients using the service, more than 100,000 clients, "
        "more than 30 percent of financial counterparts, more than 10 percent of the daily "
        "transactions by number or value, or clients of particular relevance."
    ),
    "reputational": _l(
        "Media coverage, repeated complaints from different clients, likely missed regulatory "
        "requirements or a likely loss of clients. The desk shows the sources and notes it holds."
    ),
    "duration": _l(
        "The incident lasts longer than 24 hours, or critical services are down "
        "for longer than 2 hours."
    ),
    "geography": _l("The incident has an impact in two or more Member States of the EU."),
    "data_loss": _l(
        "Data are no longer available, authentic, intact or confidential (a loss of any of the "
        "four)."
    ),
    "economic": _l("Direct and indirect costs and losses exceed EUR 100,000."),
}


@dataclass(frozen=True)
class Proposal:
    """What the rule says, and which criteria made it so."""

    decision: str  #: "major" or "not_major"
    rule: str | None  #: e.g. "critical_services+clients+reputational"; None when not major


def propose(met: dict[str, bool]) -> Proposal:
    """The classification Art. 8 gives for the criteria marked met."""
    unknown = set(met) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown criteria: {', '.join(sorted(unknown))}")
    if not met.get(CRITICAL):
        return Proposal("not_major", None)
    if met.get(MALICIOUS):
        return Proposal("major", f"{CRITICAL}+{MALICIOUS}")
    reached = [name for name in THRESHOLDS if met.get(name)]
    if len(reached) >= 2:
        return Proposal("major", "+".join([CRITICAL, *reached]))
    return Proposal("not_major", None)
