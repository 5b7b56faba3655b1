"""The dashboard's panels. Each returns a ``Panel``: a title, a caption, a one-sentence summary, a
table (the chart's data, shown as a table too) and an SVG chart.

Figures about cases come from the daily roll-ups (``rollup.py``); the front door, satisfaction,
information requests and identity panels read their own apps' tables with date-bounded aggregate
queries. The number of queries a page makes does not grow with the data.

Suppression (``suppression.py``, docs/adr/0083-suppression.md and 0086): a count from 1 to 4 is shown
as "<5", everywhere; a table with totals withholds a complementary cell ("[c]") wherever a "<5" could
be worked out by subtraction; a rate is shown only when its counts are shown and at least 5 cases
are behind it; withheld cells are left out of charts, and summaries quote the tables as shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum

from residenthub.cases.models import Channel

from . import charts, queries
from .filters import Filters
from .models import DailyBacklog
from .suppression import NOTE, SECONDARY, SUPPRESSED, THRESHOLD, Rate, is_withheld, protect, rate, suppress

__all__ = ["SECONDARY", "SUPPRESSED", "THRESHOLD", "protect", "rate", "suppress"]

ONLINE = {Channel.WEB, Channel.OPEN311, Channel.API}
CHANNEL_GROUPS = (
    ("Online", ONLINE),
    ("Phone", {Channel.PHONE, *[c for c in Channel.values if c.startswith("phone_")]}),
    ("Face to face", {Channel.FACE_TO_FACE}),
    ("Letter", {Channel.LETTER}),
    ("Email", {Channel.EMAIL}),
)
ICO_BANDS = ((95.0, "Good"), (90.0, "Adequate"), (0.0, "Unsatisfactory"))


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

WEEKLY_UP_TO_DAYS = 13 * 7  # longer periods show demand by month (a year is 12 rows, not 53)
DIM_FIELD = {"service": "service_id", "team": "team_id", "ward": "ward", "channel": "channel"}
CASE_FIELDS = ("received", "closed", "in_time", "reopened", "duplicates")


class CaseFigures:
    """The roll-up sums a page needs, each grouped in the database by the few dimensions its panels
    use (``queries.summed``: monthly rows for whole months, daily rows for the days at either end),
    read once and shared by the case panels."""

    def __init__(self, filters: Filters):
        self.filters = filters
        cell_q = filters.cell_q(days=False)
        self.by_key = DIM_FIELD[filters.by]
        dims = ("service_id",) if self.by_key == "service_id" else ("service_id", self.by_key)
        self.cells = queries.summed(filters.start, filters.end, cell_q, dims)
        # Demand over time: by week (the period's days) up to 13 weeks, else by month (whole months
        # from the monthly rows). Channel shift: six months to the end of the period.
        self.monthly_demand = (filters.end - filters.start).days >= WEEKLY_UP_TO_DAYS
        self.by_day = queries.summed(
            filters.start,
            filters.end,
            cell_q,
            ("month",) if self.monthly_demand else ("day",),
            ("received",),
        )
        self.shift_start = (filters.end.replace(day=1) - dt.timedelta(days=150)).replace(day=1)
        self.by_month_channel = queries.summed(
            self.shift_start, filters.end, cell_q, ("month", "channel"), ("received",)
        )
        self.close_times = queries.summed(
            filters.start, filters.end, cell_q, ("service_id", "working_days"), close_times=True
        )
        self.backlog_day = DailyBacklog.objects.filter(cell_q, day__lte=filters.end).aggregate(d=Max("day"))[
            "d"
        ]
        self.backlog = (
            list(
                DailyBacklog.objects.filter(cell_q, day=self.backlog_day)
                .values(self.by_key)
                .annotate(
                    open=Sum("open_cases"),
                    overdue=Sum("overdue"),
                    a=Sum("age_0_5"),
                    b=Sum("age_6_10"),
                    c=Sum("age_11_20"),
                    d=Sum("age_over_20"),
                )
                .order_by()
            )
            if self.backlog_day
            else []
        )

    def grouped(self, rows, dimension: str, fields: tuple[str, ...]) -> dict:
        return queries.grouped(rows, DIM_FIELD[dimension], fields)


def _numeric_first(rows: list[list], column: int) -> list[list]:
    """Body rows with shown figures first (largest first), withheld ones after (by name): ordering
    by the hidden value would place it between two shown ones and so give it away."""
    return sorted(
        rows,
        key=lambda r: (is_withheld(r[column]), 0 if is_withheld(r[column]) else -(r[column] or 0), r[0]),
    )


def demand_panel(figures: CaseFigures, names: Names) -> Panel:
    by = figures.filters.by
    label = dict(Filters.DIMENSIONS)[by]
    grouped = figures.grouped(figures.cells, by, ("received", "closed", "in_time", "duplicates"))
    raw, total = [], Counter()
    for value, f in sorted(grouped.items(), key=lambda kv: names.label(by, kv[0])):
        total.update(f)
        raw.append(
            [
                names.label(by, value),
                f["received"],
                f["closed"],
                f["in_time"],
                f["closed"] - f["in_time"],
                Rate(f["in_time"], f["closed"], cells=(2, 3, 4)),
            ]
        )
    raw.append(
        [
            "All",
            total["received"],
            total["closed"],
            total["in_time"],
            total["closed"] - total["in_time"],
            Rate(total["in_time"], total["closed"], cells=(2, 3, 4)),
        ]
    )
    shown = protect(raw, counts=(1, 2, 3, 4), row_sums=[(2, (3, 4))])
    rows = [*_numeric_first(shown[:-1], 1), shown[-1]]
    everything = rows[-1]
    top = rows[0][0] if len(rows) > 1 and not is_withheld(rows[0][1]) and rows[0][1] else ""
    if top:
        most = f"the most came from {top}"
    elif total["received"]:
        most = "too few in any one group to name the busiest"
    else:
        most = "none matched the filters"
    met = _fmt(everything[5]) if isinstance(everything[5], float) else "no measurable share"
    summary = (
        f"{_fmt(everything[1])} requests were received in the period; {most}, and {met} of those "
        "closed met the service level."
    )
    return Panel(
        key="demand",
        title=f"Demand and service level by {label.lower()}",
        caption=f"Requests received, and requests closed within their service level, by {label.lower()}",
        summary=summary,
        columns=[label, "Received", "Closed", "Closed in time", "Closed late", "Service level met (%)"],
        rows=rows,
        chart=charts.bar(
            f"Requests received by {label.lower()}", [r[0] for r in rows[:-1]], [r[1] for r in rows[:-1]]
        ),
        notes=[NOTE],
    )


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_panel(figures: CaseFigures) -> Panel:
    """Demand by week, or by month for periods longer than 13 weeks (key "weekly" either way)."""
    f = figures.filters
    buckets: Counter = Counter()
    if figures.monthly_demand:
        unit, label, began = "month", "{:%B %Y}", "The busiest month was {:%B %Y}"
        caption = "Requests received each month (periods longer than 13 weeks are shown by month)"
        start, step = f.start.replace(day=1), lambda m: queries.month_end(m) + dt.timedelta(days=1)
        bucket_of = lambda row: row["month"]  # noqa: E731
    else:
        unit, label, began = "week", "w/c {:%-d %b %Y}", "The busiest week began on {:%-d %B %Y}"
        caption = "Requests received each week (weeks begin on Monday)"
        start, step = _week_start(f.start), lambda w: w + dt.timedelta(days=7)
        bucket_of = lambda row: _week_start(row["day"])  # noqa: E731
    bucket = start
    while bucket <= f.end:
        buckets[bucket] += 0
        bucket = step(bucket)
    for row in figures.by_day:
        buckets[bucket_of(row)] += row["received"]
    ordered = sorted(buckets.items())
    raw = [[label.format(b), n] for b, n in ordered]
    raw.append([f"All {unit}s", sum(buckets.values())])
    rows = protect(raw, counts=(1,))
    shown = [(b, r[1]) for (b, _), r in zip(ordered, rows, strict=False) if isinstance(r[1], int)]
    busiest = max(shown, key=lambda kv: kv[1]) if shown else None
    summary = (
        f"{began.format(busiest[0])} with {_fmt(busiest[1])} requests."
        if busiest and busiest[1]
        else "No requests were received in the period."
        if not sum(buckets.values())
        else f"Too few requests in any {unit} to name the busiest."
    )
    return Panel(
        key="weekly",
        title=f"Demand by {unit}",
        caption=caption,
        summary=summary,
        columns=[unit.capitalize(), "Received"],
        rows=rows,
        chart=charts.bar(
            f"Requests received by {unit}",
            [r[0] for r in rows[:-1]],
            [r[1] for r in rows[:-1]],
            horizontal=False,
        ),
        notes=[f"The first and last {unit}s count only the days inside the period."],
    )


def backlog_panel(figures: CaseFigures, names: Names) -> Panel:
    by = figures.filters.by
    label = dict(Filters.DIMENSIONS)[by]
    keys = ("open", "overdue", "a", "b", "c", "d")
    grouped = queries.grouped(figures.backlog, figures.by_key, keys)
    raw, total = [], Counter()
    for value, g in sorted(grouped.items(), key=lambda kv: names.label(by, kv[0])):
        total.update(g)
        raw.append([names.label(by, value), *(g[k] for k in keys)])
    raw.append(["All", *(total[k] for k in keys)])
    shown = protect(raw, counts=(1, 2, 3, 4, 5, 6), row_sums=[(1, (3, 4, 5, 6))])
    rows = [*_numeric_first(shown[:-1], 1), shown[-1]]
    when = f"{figures.backlog_day:%-d %B %Y}" if figures.backlog_day else "the last day of the period"
    summary = (
        f"At the end of the day on {when}, {_fmt(rows[-1][1])} requests were open, "
        f"{_fmt(rows[-1][2])} of them past their due date."
    )
    bands = ["0 to 5", "6 to 10", "11 to 20", "over 20"]
    return Panel(
        key="backlog",
        title="Backlog and age",
        caption=f"Open requests on {when} by {label.lower()}, and their age in working days",
        summary=summary,
        columns=[label, "Open", "Overdue", "Age 0-5", "Age 6-10", "Age 11-20", "Age over 20"],
        rows=rows,
        chart=charts.bar("Open requests by age in working days", bands, rows[-1][3:], horizontal=False),
        notes=[NOTE] if figures.backlog_day else ["No backlog snapshot has been taken for this period yet."],
    )


def service_level_panel(figures: CaseFigures, names: Names) -> Panel:
    per_service: dict[int, Counter] = defaultdict(Counter)
    overall: Counter = Counter()
    for row in figures.close_times:
        per_service[row["service_id"]][row["working_days"]] += row["n"]
        overall[row["working_days"]] += row["n"]
    closed = figures.grouped(figures.cells, "service", ("closed", "in_time"))
    raw = []
    for service_id, dist in sorted(per_service.items(), key=lambda kv: names.label("service", kv[0])):
        n = sum(dist.values())
        small = n < THRESHOLD
        c = closed.get(service_id, {"closed": 0, "in_time": 0})
        raw.append(
            [
                names.label("service", service_id),
                n,
                c["in_time"],
                c["closed"] - c["in_time"],
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
    raw.append(["All", n, tot["in_time"], tot["closed"] - tot["in_time"], median, p90])
    rows = protect(raw, counts=(1, 2, 3), row_sums=[(1, (2, 3))])
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
        notes=[
            "Working days exclude weekends, bank holidays in England and the council's closure days.",
            NOTE,
        ],
    )


def quality_panel(figures: CaseFigures, names: Names) -> Panel:
    grouped = figures.grouped(figures.cells, "service", ("closed", "reopened", "duplicates", "received"))
    raw, total = [], Counter()
    for sid, g in sorted(grouped.items(), key=lambda kv: names.label("service", kv[0])):
        total.update(g)
        raw.append(
            [
                names.label("service", sid),
                g["closed"],
                g["reopened"],
                Rate(g["reopened"], g["closed"], cells=(1, 2)),
                g["duplicates"],
                Rate(g["duplicates"], g["closed"] + g["duplicates"], cells=(1, 4)),
            ]
        )
    raw.append(
        [
            "All",
            total["closed"],
            total["reopened"],
            Rate(total["reopened"], total["closed"], cells=(1, 2)),
            total["duplicates"],
            Rate(total["duplicates"], total["closed"] + total["duplicates"], cells=(1, 4)),
        ]
    )
    rows = protect(raw, counts=(1, 2, 4))
    r, d = rows[-1][3], rows[-1][5]
    summary = (
        f"The reopen rate was {_fmt(r) if isinstance(r, float) else 'not measurable'} "
        f"and the duplicate rate {_fmt(d) if isinstance(d, float) else 'not measurable'}."
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
            "Duplicate rate: duplicates per request ended (closed or marked duplicate).",
            NOTE,
        ],
    )


def channel_shift_panel(figures: CaseFigures) -> Panel:
    months: dict[dt.date, Counter] = defaultdict(Counter)
    month = figures.shift_start
    while month <= figures.filters.end:
        months[month] += Counter()
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    for row in figures.by_month_channel:
        months[row["month"]][row["channel"]] += row["received"]
    raw, totals = [], []
    for month, counts in sorted(months.items()):
        total = sum(counts.values())
        totals.append(total)
        raw.append(
            [f"{month:%B %Y}", total, *(sum(counts[c] for c in channels) for _, channels in CHANNEL_GROUPS)]
        )
    group_columns = tuple(range(2, 2 + len(CHANNEL_GROUPS)))
    # The shares give each channel's count back from the month's total: protect the counts, then
    # show the shares of those not withheld.
    protected = protect(raw, counts=(1, *group_columns), row_sums=[(1, group_columns)], total_row=False)
    rows, series = [], {name: [] for name, _ in CHANNEL_GROUPS}
    for row, total, source in zip(protected, totals, raw, strict=True):
        shares = [row[c] if is_withheld(row[c]) else rate(source[c], total) for c in group_columns]
        rows.append([row[0], row[1], *shares])
        for (name, _), share in zip(CHANNEL_GROUPS, shares, strict=True):
            series[name].append(share)
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
        notes=[NOTE],
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
    raw = [[label, counts[k], Rate(counts[k], total, cells=(1,))] for k, label in labels]
    raw.append(["All", total, ""])
    rows = protect(raw, counts=(1,))
    shares = {k: rows[i][2] for i, (k, _) in enumerate(labels)}

    def share(k):
        return _fmt(shares[k]) if isinstance(shares[k], float) else "too few to give a share"

    summary = (
        f"Of {_fmt(rows[-1][1])} messages to the front door, {share('answered')} "
        f"were settled by an answer and {share('routed')} went straight to the right service."
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
        notes=["Service, team and ward filters do not apply to messages that did not become a case.", NOTE],
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
        raw = []
        for row in sorted(per, key=lambda r: names.label("service", r["service_id"])):
            total.update({"n": row["n"], "good": row["good"]})
            raw.append(
                [names.label("service", row["service_id"]), row["n"], Rate(row["good"], row["n"], cells=(1,))]
            )
        raw.append(["All 'How did we do?' answers", total["n"], Rate(total["good"], total["n"], cells=(1,))])
        rows = protect(raw, counts=(1,))
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
    raw = []
    total = Counter()
    for kind, label in Kind.choices:
        row = by_kind.get(kind, {"n": 0, "on_time": 0})
        total.update({"n": row["n"], "on_time": row["on_time"]})
        raw.append([label, row["n"], row["on_time"], Rate(row["on_time"], row["n"], cells=(1, 2)), ""])
    raw.append(["All", total["n"], total["on_time"], Rate(total["on_time"], total["n"], cells=(1, 2)), ""])
    rows = protect(raw, counts=(1, 2))
    for row in rows:
        row[4] = ico_band(row[3])
    share = rows[-1][3]
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
            "period filter applies.",
            NOTE,
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
    linked_now = checks.get("linked", 0)
    review = checks.get("review", 0)
    rows = protect(
        [
            ["Source records held", records, ""],
            ["Records linked to a person", linked, Rate(linked, records, cells=(1,))],
            ["People in the single view", persons, ""],
            ["Pairs waiting for clerical review", backlog, ""],
            ["New requests checked at the point of entry", checked, ""],
            [
                "Duplicates prevented (matched to a known person)",
                linked_now,
                Rate(linked_now, checked, cells=(1,)),
            ],
            ["Sent to review at the point of entry", review, Rate(review, checked, cells=(1,))],
        ],
        counts=(1,),
        total_row=False,
    )
    linked_share = rows[1][2]
    summary = (
        f"{_fmt(linked_share) if isinstance(linked_share, float) else 'An unmeasurable share'} of source "
        f"records are linked to a person; {_fmt(rows[3][1])} pairs wait for review, and "
        f"{_fmt(rows[5][1])} new requests were matched to a known resident instead of creating a duplicate."
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
