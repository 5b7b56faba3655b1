"""The dashboard's panels. Each returns a ``Panel``: a title, a caption, a one-sentence summary, a
table (the chart's data, shown as a table too) and an SVG chart.

Figures about cases come from the daily roll-ups (``rollup.py``); the front door, satisfaction,
information requests and identity panels read their own apps' tables with date-bounded aggregate
queries. The number of queries a page makes does not grow with the data.

Suppression (docs/adr/0083-suppression.md): a count from 1 to 4 is shown as "<5", everywhere; a
rate is shown only when its denominator is at least 5; suppressed cells are left out of charts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum

from residenthub.cases.models import Channel

from . import charts
from .filters import Filters
from .models import DailyBacklog, DailyCaseStat, DailyCloseTime

THRESHOLD = 5
SUPPRESSED = "<5"
ONLINE = {Channel.WEB, Channel.OPEN311, Channel.API}
CHANNEL_GROUPS = (
    ("Online", ONLINE),
    ("Phone", {Channel.PHONE, *[c for c in Channel.values if c.startswith("phone_")]}),
    ("Face to face", {Channel.FACE_TO_FACE}),
    ("Letter", {Channel.LETTER}),
    ("Email", {Channel.EMAIL}),
)
ICO_BANDS = ((95.0, "Good"), (90.0, "Adequate"), (0.0, "Unsatisfactory"))


def suppress(n: int):
    return SUPPRESSED if 0 < n < THRESHOLD else n


def rate(numerator: int, denominator: int, digits: int = 1):
    """A percentage, or ``<5`` when fewer than 5 cases are behind it, or "" with nothing to divide."""
    if denominator == 0:
        return ""
    if denominator < THRESHOLD:
        return SUPPRESSED
    return round(100.0 * numerator / denominator, digits)


def percentile(counts: Counter, share: float):
    """The nearest-rank percentile of a {value: count} distribution (share 0.5 is the median)."""
    total = sum(counts.values())
    if total == 0:
        return ""
    rank = max(1, -(-int(share * total * 1000) // 1000))  # ceil without float drift
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return max(counts)


def ico_band(share) -> str:
    if not isinstance(share, int | float):
        return ""
    return next(label for floor, label in ICO_BANDS if share >= floor)


@dataclass
class Panel:
    key: str
    title: str
    caption: str
    summary: str
    columns: list[str]
    rows: list[list]
    chart: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def chart_uri(self) -> str:
        """The chart as a data: URI for an <img>: the pages' content security policy forbids the
        inline styles an inline SVG carries, and an image keeps them to itself."""
        return charts.data_uri(self.chart) if self.chart else ""


class Names:
    """Service and team names in two queries, for every panel of a page."""

    def __init__(self):
        from residenthub.accounts.models import Team
        from residenthub.services.models import Service

        self.services = dict(Service.objects.values_list("pk", "name"))
        self.teams = dict(Team.objects.values_list("pk", "name"))

    def label(self, dimension: str, value) -> str:
        if dimension == "service":
            return self.services.get(value, f"Service {value}")
        if dimension == "team":
            return self.teams.get(value, f"Team {value}")
        if dimension == "channel":
            return Channel(value).label if value in Channel.values else str(value)
        return str(value)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


# --- case panels (roll-ups) ----------------------------------------------------------------------


class CaseFigures:
    """The roll-up rows a page needs, read once and shared by the case panels."""

    def __init__(self, filters: Filters):
        self.filters = filters
        q = filters.cell_q()
        self.cells = list(
            DailyCaseStat.objects.filter(q)
            .values("service_id", "team_id", "ward", "channel")
            .annotate(
                received=Sum("received"),
                closed=Sum("closed"),
                in_time=Sum("closed_in_time"),
                reopened=Sum("reopened"),
                duplicates=Sum("duplicates"),
            )
        )
        # Six months to the end of the period, by day and channel: weekly demand and channel shift.
        shift_start = (filters.end.replace(day=1) - dt.timedelta(days=150)).replace(day=1)
        trend_q = filters.cell_q(days=False) & Q(
            day__gte=min(shift_start, filters.start), day__lte=filters.end
        )
        self.by_day_channel = list(
            DailyCaseStat.objects.filter(trend_q).values("day", "channel").annotate(received=Sum("received"))
        )
        self.shift_start = shift_start
        self.close_times = list(
            DailyCloseTime.objects.filter(q).values("service_id", "working_days").annotate(n=Sum("count"))
        )
        backlog_q = filters.cell_q(days=False)
        self.backlog_day = DailyBacklog.objects.filter(backlog_q, day__lte=filters.end).aggregate(
            d=Max("day")
        )["d"]
        self.backlog = (
            list(
                DailyBacklog.objects.filter(backlog_q, day=self.backlog_day)
                .values("service_id", "team_id", "ward", "channel")
                .annotate(
                    open=Sum("open_cases"),
                    overdue=Sum("overdue"),
                    a=Sum("age_0_5"),
                    b=Sum("age_6_10"),
                    c=Sum("age_11_20"),
                    d=Sum("age_over_20"),
                )
            )
            if self.backlog_day
            else []
        )

    def grouped(self, rows, dimension: str, fields: tuple[str, ...]) -> dict:
        key = {"service": "service_id", "team": "team_id", "ward": "ward", "channel": "channel"}[dimension]
        out: dict = defaultdict(lambda: dict.fromkeys(fields, 0))
        for row in rows:
            target = out[row[key]]
            for f in fields:
                target[f] += row[f] or 0
        return out


def demand_panel(figures: CaseFigures, names: Names) -> Panel:
    by = figures.filters.by
    label = dict(Filters.DIMENSIONS)[by]
    grouped = figures.grouped(figures.cells, by, ("received", "closed", "in_time", "duplicates"))
    ordered = sorted(grouped.items(), key=lambda kv: (-kv[1]["received"], names.label(by, kv[0])))
    rows, chart_labels, chart_values = [], [], []
    total = Counter()
    for value, f in ordered:
        missed = f["closed"] - f["in_time"]
        total.update(f)
        rows.append(
            [
                names.label(by, value),
                suppress(f["received"]),
                suppress(f["closed"]),
                suppress(f["in_time"]),
                suppress(missed),
                rate(f["in_time"], f["closed"]),
            ]
        )
        chart_labels.append(names.label(by, value))
        chart_values.append(suppress(f["received"]))
    rows.append(
        [
            "All",
            suppress(total["received"]),
            suppress(total["closed"]),
            suppress(total["in_time"]),
            suppress(total["closed"] - total["in_time"]),
            rate(total["in_time"], total["closed"]),
        ]
    )
    top = rows[0][0] if ordered else ""
    summary = (
        f"{_fmt(suppress(total['received']))} requests were received in the period; "
        f"{'the most came from ' + top if top else 'none matched the filters'}, and "
        f"{_fmt(rate(total['in_time'], total['closed'])) or 'no'} of those closed met the service level."
    )
    return Panel(
        key="demand",
        title=f"Demand and service level by {label.lower()}",
        caption=f"Requests received, and requests closed within their service level, by {label.lower()}",
        summary=summary,
        columns=[label, "Received", "Closed", "Closed in time", "Closed late", "Service level met (%)"],
        rows=rows,
        chart=charts.bar(f"Requests received by {label.lower()}", chart_labels, chart_values),
    )


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_panel(figures: CaseFigures) -> Panel:
    f = figures.filters
    weeks: Counter = Counter()
    day = _week_start(f.start)
    while day <= f.end:
        weeks[day] += 0
        day += dt.timedelta(days=7)
    for row in figures.by_day_channel:
        if f.start <= row["day"] <= f.end:
            weeks[_week_start(row["day"])] += row["received"]
    ordered = sorted(weeks.items())
    rows = [[f"w/c {w:%-d %b %Y}", suppress(n)] for w, n in ordered]
    busiest = max(ordered, key=lambda kv: kv[1]) if ordered else None
    summary = (
        f"The busiest week began on {busiest[0]:%-d %B %Y} with {_fmt(suppress(busiest[1]))} requests."
        if busiest and busiest[1]
        else "No requests were received in the period."
    )
    return Panel(
        key="weekly",
        title="Demand by week",
        caption="Requests received each week (weeks begin on Monday)",
        summary=summary,
        columns=["Week", "Received"],
        rows=rows,
        chart=charts.bar(
            "Requests received by week", [r[0] for r in rows], [r[1] for r in rows], horizontal=False
        ),
    )


def backlog_panel(figures: CaseFigures, names: Names) -> Panel:
    by = figures.filters.by
    label = dict(Filters.DIMENSIONS)[by]
    grouped = figures.grouped(figures.backlog, by, ("open", "overdue", "a", "b", "c", "d"))
    rows, total = [], Counter()
    for value, g in sorted(grouped.items(), key=lambda kv: -kv[1]["open"]):
        total.update(g)
        rows.append(
            [names.label(by, value), *(suppress(g[k]) for k in ("open", "overdue", "a", "b", "c", "d"))]
        )
    rows.append(["All", *(suppress(total[k]) for k in ("open", "overdue", "a", "b", "c", "d"))])
    when = f"{figures.backlog_day:%-d %B %Y}" if figures.backlog_day else "the last day of the period"
    summary = (
        f"At the end of the day on {when}, {_fmt(suppress(total['open']))} requests were open, "
        f"{_fmt(suppress(total['overdue']))} of them past their due date."
    )
    bands = ["0 to 5", "6 to 10", "11 to 20", "over 20"]
    return Panel(
        key="backlog",
        title="Backlog and age",
        caption=f"Open requests on {when} by {label.lower()}, and their age in working days",
        summary=summary,
        columns=[label, "Open", "Overdue", "Age 0-5", "Age 6-10", "Age 11-20", "Age over 20"],
        rows=rows,
        chart=charts.bar(
            "Open requests by age in working days",
            bands,
            [suppress(total[k]) for k in ("a", "b", "c", "d")],
            horizontal=False,
        ),
        notes=[] if figures.backlog_day else ["No backlog snapshot has been taken for this period yet."],
    )


def service_level_panel(figures: CaseFigures, names: Names) -> Panel:
    per_service: dict[int, Counter] = defaultdict(Counter)
    overall: Counter = Counter()
    for row in figures.close_times:
        per_service[row["service_id"]][row["working_days"]] += row["n"]
        overall[row["working_days"]] += row["n"]
    closed = figures.grouped(figures.cells, "service", ("closed", "in_time"))
    rows = []
    for service_id, dist in sorted(per_service.items(), key=lambda kv: names.label("service", kv[0])):
        n = sum(dist.values())
        small = n < THRESHOLD
        c = closed.get(service_id, {"closed": 0, "in_time": 0})
        rows.append(
            [
                names.label("service", service_id),
                suppress(n),
                suppress(c["in_time"]),
                suppress(c["closed"] - c["in_time"]),
                SUPPRESSED if small else percentile(dist, 0.5),
                SUPPRESSED if small else percentile(dist, 0.9),
            ]
        )
    n = sum(overall.values())
    tot = Counter()
    for c in closed.values():
        tot.update(c)
    small = n < THRESHOLD
    median = SUPPRESSED if small else percentile(overall, 0.5)
    p90 = SUPPRESSED if small else percentile(overall, 0.9)
    rows.append(
        ["All", suppress(n), suppress(tot["in_time"]), suppress(tot["closed"] - tot["in_time"]), median, p90]
    )
    summary = (
        f"Half of the requests closed in the period took {median} working days or less, and nine in ten "
        f"took {p90} or less."
        if n and not small
        else "Too few requests closed in the period to give times."
    )
    labels = [r[0] for r in rows[:-1]]
    return Panel(
        key="service_level",
        title="Service-level performance",
        caption=(
            "Requests closed: met or missed, and the median and 90th percentile time to close in working days"
        ),
        summary=summary,
        columns=[
            "Service",
            "Closed",
            "Met",
            "Missed",
            "Median (working days)",
            "90th percentile (working days)",
        ],
        rows=rows,
        chart=charts.bar("Median working days to close, by service", labels, [r[4] for r in rows[:-1]]),
        notes=["Working days exclude weekends, bank holidays in England and the council's closure days."],
    )


def quality_panel(figures: CaseFigures, names: Names) -> Panel:
    grouped = figures.grouped(figures.cells, "service", ("closed", "reopened", "duplicates", "received"))
    rows, total = [], Counter()
    for sid, g in sorted(grouped.items(), key=lambda kv: names.label("service", kv[0])):
        total.update(g)
        ended = g["closed"] + g["duplicates"]
        rows.append(
            [
                names.label("service", sid),
                suppress(g["closed"]),
                suppress(g["reopened"]),
                rate(g["reopened"], g["closed"]),
                suppress(g["duplicates"]),
                rate(g["duplicates"], ended),
            ]
        )
    ended = total["closed"] + total["duplicates"]
    rows.append(
        [
            "All",
            suppress(total["closed"]),
            suppress(total["reopened"]),
            rate(total["reopened"], total["closed"]),
            suppress(total["duplicates"]),
            rate(total["duplicates"], ended),
        ]
    )
    r, d = rows[-1][3], rows[-1][5]
    summary = (
        f"The reopen rate was {_fmt(r) or 'not measurable'} "
        f"and the duplicate rate {_fmt(d) or 'not measurable'}."
    )
    return Panel(
        key="quality",
        title="Reopened and duplicate requests",
        caption="Requests reopened after closing, and requests closed as duplicates of another",
        summary=summary,
        columns=["Service", "Closed", "Reopened", "Reopen rate (%)", "Duplicates", "Duplicate rate (%)"],
        rows=rows,
        chart=charts.bar(
            "Reopen rate by service (%)", [x[0] for x in rows[:-1]], [x[3] for x in rows[:-1]], unit="%"
        ),
        notes=[
            "Reopen rate: reopenings in the period per request closed in it. "
            "Duplicate rate: duplicates per request ended (closed or marked duplicate)."
        ],
    )


def channel_shift_panel(figures: CaseFigures) -> Panel:
    months: dict[dt.date, Counter] = defaultdict(Counter)
    month = figures.shift_start
    while month <= figures.filters.end:
        months[month] += Counter()
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for row in figures.by_day_channel:
        if row["day"] >= figures.shift_start:
            months[row["day"].replace(day=1)][row["channel"]] += row["received"]
    rows, series = [], {name: [] for name, _ in CHANNEL_GROUPS}
    for month, counts in sorted(months.items()):
        total = sum(counts.values())
        row = [f"{month:%B %Y}", suppress(total)]
        for name, channels in CHANNEL_GROUPS:
            share = rate(sum(counts[c] for c in channels), total)
            row.append(share)
            series[name].append(share)
        rows.append(row)
    online = [r[2] for r in rows if isinstance(r[2], float)]
    if len(online) >= 2:
        change = online[-1] - online[0]
        summary = (
            f"The online share went {'up' if change >= 0 else 'down'} from {online[0]:g}% to {online[-1]:g}% "
            f"over the months shown."
        )
    else:
        summary = "Too few requests to show the online share month by month."
    return Panel(
        key="channel_shift",
        title="Channel shift",
        caption="Share of requests by channel, month by month (online: web, Open311 apps and the API)",
        summary=summary,
        columns=["Month", "Requests", *[f"{name} (%)" for name, _ in CHANNEL_GROUPS]],
        rows=rows,
        chart=charts.lines("Share of requests by channel (%)", [r[0] for r in rows], series, unit="%"),
    )


# --- panels over other apps' tables ----------------------------------------------------------------


def _bounds(filters: Filters):
    from .rollup import _bounds as bounds

    return bounds(filters.start, filters.end)


def front_door_panel(filters: Filters) -> Panel:
    """What happened to messages to the front door: settled by an answer from our pages, routed to a
    service with no re-route, re-routed by staff, or sent to a person (the human triage queue)."""
    from residenthub.cases.models import Reroute
    from residenthub.triage.models import Resolution, TriageRecord

    start, end = _bounds(filters)
    records = TriageRecord.objects.filter(created_at__gte=start, created_at__lt=end)
    if filters.channel:
        records = records.filter(channel=filters.channel)
    if filters.service_id:
        records = records.filter(Q(chosen_service_id=filters.service_id) | Q(service_id=filters.service_id))
    rerouted = Exists(Reroute.objects.filter(case_id=OuterRef("case_id")))
    counts = Counter()
    for answer, case_id, resolution, needs_human, was_rerouted in records.annotate(r=rerouted).values_list(
        "answer", "case_id", "resolution", "needs_human", "r"
    ):
        if resolution == Resolution.REROUTED or was_rerouted:
            counts["rerouted"] += 1
        elif needs_human or resolution == Resolution.HUMAN:
            counts["person"] += 1
        elif case_id:
            counts["routed"] += 1
        elif isinstance(answer, dict) and answer.get("found"):
            counts["answered"] += 1
        else:
            counts["other"] += 1
    total = sum(counts.values())
    labels = [
        ("answered", "Settled by an answer from our pages"),
        ("routed", "Routed to a service, no re-route"),
        ("rerouted", "Re-routed by staff"),
        ("person", "Sent to a person"),
        ("other", "Other (not a council matter, empty, still open)"),
    ]
    rows = [[label, suppress(counts[k]), rate(counts[k], total)] for k, label in labels]
    rows.append(["All", suppress(total), ""])
    summary = (
        f"Of {_fmt(suppress(total))} messages to the front door, "
        f"{_fmt(rate(counts['answered'], total)) or 'none'} "
        f"were settled by an answer and {_fmt(rate(counts['routed'], total)) or 'none'} went straight "
        "to the right service."
        if total
        else "No messages reached the front door in the period."
    )
    return Panel(
        key="front_door",
        title="Front-door outcomes",
        caption="Messages to the front door (web box, webchat, phone) by what happened next",
        summary=summary,
        columns=["Outcome", "Messages", "Share (%)"],
        rows=rows,
        chart=charts.bar(
            "Front-door messages by outcome", [r[0] for r in rows[:-1]], [r[1] for r in rows[:-1]]
        ),
        notes=["Service, team and ward filters do not apply to messages that did not become a case."],
    )


def satisfaction_panel(filters: Filters, names: Names) -> Panel:
    from django.apps import apps

    from residenthub.triage.models import AnswerFeedback

    start, end = _bounds(filters)
    rows, notes = [], []
    satisfied_share = ""
    if apps.is_installed("residenthub.feedback"):
        from residenthub.feedback.models import FeedbackResponse

        q = Q(created_at__gte=start, created_at__lt=end)
        if filters.service_id:
            q &= Q(service_id=filters.service_id)
        if filters.team_id:
            q &= Q(team_id=filters.team_id)
        if filters.channel:
            q &= Q(case__channel=filters.channel)
        per = (
            FeedbackResponse.objects.filter(q)
            .values("service_id")
            .annotate(n=Count("id"), good=Count("id", filter=Q(score__gte=4)))
        )
        total = Counter()
        for row in sorted(per, key=lambda r: names.label("service", r["service_id"])):
            total.update({"n": row["n"], "good": row["good"]})
            rows.append(
                [names.label("service", row["service_id"]), suppress(row["n"]), rate(row["good"], row["n"])]
            )
        rows.append(["All 'How did we do?' answers", suppress(total["n"]), rate(total["good"], total["n"])])
        satisfied_share = rows[-1][2]
        notes.append(
            "Satisfied: 'satisfied' or 'very satisfied' on the 'How did we do?' question after a "
            "request closes."
        )
    helpful = AnswerFeedback.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        n=Count("id"), yes=Count("id", filter=Q(helpful=True))
    )
    rows.append(
        [
            "Front door: 'Did this answer your question?'",
            suppress(helpful["n"]),
            rate(helpful["yes"], helpful["n"]),
        ]
    )
    notes.append(
        "The front door's answer feedback is not broken down by service; filters other than the "
        "period do not apply to it."
    )
    summary = (
        f"{_fmt(satisfied_share)} of residents who answered were satisfied."
        if isinstance(satisfied_share, float)
        else "Too few answers to give a satisfaction figure."
    )
    return Panel(
        key="satisfaction",
        title="Satisfaction",
        caption=(
            "Residents satisfied with how their request was dealt with, and front-door answers found helpful"
        ),
        summary=summary,
        columns=["Service", "Answers", "Satisfied or helpful (%)"],
        rows=rows,
        chart=charts.bar("Satisfied or helpful (%)", [r[0] for r in rows], [r[2] for r in rows], unit="%"),
        notes=notes,
    )


def information_requests_panel(filters: Filters) -> Panel:
    from residenthub.foi.models import InformationRequest, Kind

    answered = (
        InformationRequest.objects.filter(responded_on__gte=filters.start, responded_on__lte=filters.end)
        .values("kind")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    )
    by_kind = {row["kind"]: row for row in answered}
    rows = []
    total = Counter()
    for kind, label in Kind.choices:
        row = by_kind.get(kind, {"n": 0, "on_time": 0})
        total.update({"n": row["n"], "on_time": row["on_time"]})
        share = rate(row["on_time"], row["n"])
        rows.append([label, suppress(row["n"]), suppress(row["on_time"]), share, ico_band(share)])
    share = rate(total["on_time"], total["n"])
    rows.append(["All", suppress(total["n"]), suppress(total["on_time"]), share, ico_band(share)])
    summary = (
        f"{_fmt(share)} of information requests answered in the period were on time: "
        f"{ico_band(share).lower()} "
        "by the ICO's measure."
        if isinstance(share, float)
        else "Too few information requests were answered in the period to rate."
    )
    return Panel(
        key="information_requests",
        title="Information requests answered in time",
        caption="FOI, EIR, subject access and complaints answered in the period, and the share on time",
        summary=summary,
        columns=["Kind", "Answered", "On time", "On time (%)", "ICO band"],
        rows=rows,
        chart=charts.bar("Answered on time (%)", [r[0] for r in rows], [r[3] for r in rows], unit="%"),
        notes=[
            "ICO bands: 95% or more good, 90% to 95% adequate, under 90% unsatisfactory. Only the "
            "period filter applies."
        ],
    )


def identity_panel(filters: Filters) -> Panel:
    from residenthub.identity.models import CaseLink, Person, PersonLink, ReviewPair, SourceRecord

    start, end = _bounds(filters)
    records = SourceRecord.objects.filter(removed=False).count()
    linked = PersonLink.objects.filter(record__removed=False).count()
    persons = Person.objects.filter(archived=False, merged_into__isnull=True).count()
    backlog = ReviewPair.objects.filter(status=ReviewPair.Status.PENDING).count()
    checks = dict(
        CaseLink.objects.filter(at__gte=start, at__lt=end)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    checked = sum(checks.values())
    rows = [
        ["Source records held", suppress(records), ""],
        ["Records linked to a person", suppress(linked), rate(linked, records)],
        ["People in the single view", suppress(persons), ""],
        ["Pairs waiting for clerical review", suppress(backlog), ""],
        ["New requests checked at the point of entry", suppress(checked), ""],
        [
            "Duplicates prevented (matched to a known person)",
            suppress(checks.get("linked", 0)),
            rate(checks.get("linked", 0), checked),
        ],
        [
            "Sent to review at the point of entry",
            suppress(checks.get("review", 0)),
            rate(checks.get("review", 0), checked),
        ],
    ]
    summary = (
        f"{_fmt(rate(linked, records)) or 'None'} of source records are linked to a person; "
        f"{_fmt(suppress(backlog))} pairs wait for review, and "
        f"{_fmt(suppress(checks.get('linked', 0)))} new requests "
        "were matched to a known resident instead of creating a duplicate."
    )
    return Panel(
        key="identity",
        title="Identity data quality",
        caption="Records linked into the single resident view, the review backlog and duplicates prevented",
        summary=summary,
        columns=["Measure", "Count", "Share (%)"],
        rows=rows,
        chart=charts.bar("Identity data quality", [r[0] for r in rows], [r[1] for r in rows]),
        notes=[
            "Records, links and the review backlog are as they stand now; point-of-entry checks are "
            "in the period."
        ],
    )


PANEL_KEYS = (
    "demand",
    "weekly",
    "backlog",
    "service_level",
    "quality",
    "channel_shift",
    "front_door",
    "satisfaction",
    "information_requests",
    "identity",
)


def build(filters: Filters, keys=PANEL_KEYS) -> list[Panel]:
    """The panels ``keys`` for ``filters``, in that order."""
    names = Names()
    figures = CaseFigures(filters) if set(keys) & set(PANEL_KEYS[:6]) else None
    makers = {
        "demand": lambda: demand_panel(figures, names),
        "weekly": lambda: weekly_panel(figures),
        "backlog": lambda: backlog_panel(figures, names),
        "service_level": lambda: service_level_panel(figures, names),
        "quality": lambda: quality_panel(figures, names),
        "channel_shift": lambda: channel_shift_panel(figures),
        "front_door": lambda: front_door_panel(filters),
        "satisfaction": lambda: satisfaction_panel(filters, names),
        "information_requests": lambda: information_requests_panel(filters),
        "identity": lambda: identity_panel(filters),
    }
    return [makers[k]() for k in keys if k in makers]


def wards() -> list[str]:
    from residenthub.core.models import Address

    from .models import UNKNOWN_WARD

    return [*sorted(set(Address.objects.exclude(ward="").values_list("ward", flat=True))), UNKNOWN_WARD]
