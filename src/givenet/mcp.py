"""givenet as a Model Context Protocol server: the face an AI assistant talks to.

``build_server(network, allow_writes=...)`` returns an SDK ``MCPServer`` whose
tools, resources and prompt are thin calls of ``givenet.core``, nothing else: the
same rules, checks and errors as the command line. Every result is the JSON of
the command's ``--json`` (``givenet.records.jsonable``); a listing, which ``--json``
prints as an array, comes back as an object holding that array under one key
(``{"asks": [...]}``), since a tool's structured result is an object.

Safety:

- Stored text comes back exactly, except for control characters (C0 and C1 but
  newline and tab, and DEL) and bidirectional overrides, which are shown escaped
  (``\\x1b``, ``\\u202e``): an imported name must not drive the client's terminal.
- A ``GivenetError`` is a tool error carrying its message; never a traceback.
- Without ``allow_writes`` every write tool refuses before it touches the core,
  so a read-only server writes nothing to the file.
- No tool forgets, merges or deletes; suggestions leave out people who want no
  introductions (the core's rules, and ``who(open_to_intros=True)``).

Imported only by ``givenet mcp`` (and tests): it needs the optional ``mcp`` extra.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypedDict

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from givenet import __version__
from givenet.core.network import Network
from givenet.errors import GivenetError, NotFound
from givenet.records import jsonable
from givenet.render import safe_text
from givenet.vocab import Circle, IntroStatus, MeetingKind

__all__ = ["build_server", "safe_text", "sanitised"]

# --- the sanitiser: the terminal's own (render.safe_text), applied to whole documents ---


def sanitised(value: Any) -> Any:
    """A JSON value with :func:`safe_text` applied to every string in it, keys too."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [sanitised(item) for item in value]
    if isinstance(value, dict):
        return {safe_text(key): sanitised(item) for key, item in value.items()}
    return value


def _document(result: Any) -> Any:
    """A core result as the tool sends it: its ``--json`` values, sanitised."""
    return sanitised(jsonable(result))


def _error(message: str) -> Any:
    """A tool error: a ``CallToolResult`` the SDK sends as it is, whatever the tool's type."""
    return CallToolResult(
        content=[TextContent(type="text", text=safe_text(message))], is_error=True
    )


# --- what the tools take -------------------------------------------------------------

PersonArg = Annotated[
    str,
    Field(
        description="Who: a name ('Maria Lopez'), a unique part of one ('Maria'), or an id like '#12'.",
        examples=["Maria", "#12"],
    ),
]
OnArg = Annotated[
    date | None,
    Field(description="The date (YYYY-MM-DD) to work on; leave out for today."),
]
TagsArg = Annotated[
    list[str],
    Field(
        description="Tags for matching asks against offers, e.g. ['venue'].", examples=[["venue"]]
    ),
]


class MorningListResult(TypedDict):
    day: str
    people: list[dict[str, Any]]
    on_list: int


class PeopleResult(TypedDict):
    people: list[dict[str, Any]]


class MatchesResult(TypedDict):
    matches: list[dict[str, Any]]


class AsksResult(TypedDict):
    asks: list[dict[str, Any]]


class OffersResult(TypedDict):
    offers: list[dict[str, Any]]


class IntrosResult(TypedDict):
    intros: list[dict[str, Any]]


# --- annotations --------------------------------------------------------------------

READ = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
ADD = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
)
# A change of state that calling twice does not repeat (a promise kept, an intro moved on).
UPDATE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

READ_TOOLS = (
    "morning_list",
    "explain",
    "show_person",
    "find_people",
    "who_can_help",
    "suggest_matches",
    "open_asks",
    "active_offers",
    "intros",
    "event_brief",
    "stats",
    "weekly_review",
    "draft_message",
)
WRITE_TOOLS = (
    "add_person",
    "add_note",
    "log_meeting",
    "record_ask",
    "record_offer",
    "add_tags",
    "make_intro",
    "not_a_fit",
    "fit_again",
    "set_intro_status",
    "record_give",
    "keep_promise",
)

INSTRUCTIONS = """\
givenet is the user's personal network: the people they met, what each asks for and
offers, meetings, promises and introductions. It helps them network by giving.
Start with morning_list (whom to follow up or help today) or who_can_help ("does
anyone I know have a venue for 40?"). Name people by name, a unique part of one,
or an id like '#12' from an earlier result. Never suggest introducing someone who
wants no introductions. Writes work only when the server was started with
--allow-writes; ask the user before writing anything."""


def build_server(network: Network, *, allow_writes: bool = False) -> MCPServer:
    """The MCP server on ``network``: read tools always, write tools only with ``allow_writes``
    (without it they are listed but refuse, saying how to allow them)."""
    server = MCPServer(
        "givenet",
        title="givenet",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )

    def answer(call: Callable[[], Any]) -> Any:
        try:
            return _document(call())
        except GivenetError as problem:
            return _error(problem.message)

    def write(name: str, call: Callable[[], Any]) -> Any:
        if not allow_writes:
            return _error(
                f"{name} changes the network, and this givenet server is read-only: "
                "the user can restart it as `givenet mcp --allow-writes` to allow writes"
            )
        return answer(call)

    def tool(
        annotations: ToolAnnotations,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return server.tool(annotations=annotations, structured_output=True)

    # --- read tools --------------------------------------------------------------------

    @tool(READ)
    def morning_list(
        limit: Annotated[int, Field(ge=1, le=1000, description="How many people at most.")] = 10,
        include_all: Annotated[
            bool, Field(description="Also people with only priority factors (nothing to do).")
        ] = False,
        on: OnArg = None,
        team: Annotated[
            bool,
            Field(description="On a team's network: everyone's list, not only this member's."),
        ] = False,
    ) -> MorningListResult:
        """The morning list (`givenet due`): whom to follow up, check in with or help today,
        best first. Each person has a score, the top `action` (follow_up, check_in,
        open_ask, can_match …) and every factor that counts with its reason. Use it for
        "who should I follow up with?" or "what should I do today?". On a team's network
        it is this member's list unless `team`.
        Example: {"limit": 5}."""
        from givenet.core.ranking import morning_list as ranked

        def call() -> dict[str, Any]:
            found = ranked(network, today=on, limit=limit, include_all=include_all, team=team)
            return {"day": found.day, "people": found, "on_list": found.on_list}

        return answer(call)

    @tool(READ)
    def explain(person: PersonArg, on: OnArg = None) -> dict[str, Any]:
        """Why someone ranks where they do (`givenet why`): every factor's value, weight,
        contribution and reason, and the total score. Use it after morning_list when the
        user asks "why Maria?". Example: {"person": "Maria"}."""
        from givenet.core.ranking import explain as explained

        return answer(lambda: explained(network, person, today=on).as_dict(every_factor=True))

    @tool(READ)
    def show_person(person: PersonArg, on: OnArg = None) -> dict[str, Any]:
        """Everything about one person (`givenet show`): profile, tags, asks, offers,
        meetings and notes, promises, intros, what was given each way, and their score.
        Use it before a meeting or to answer "what do I know about X?".
        Example: {"person": "#3"}."""
        from givenet.core.people import show_person as shown

        return answer(lambda: shown(network, person, today=on))

    @tool(READ)
    def find_people(
        text: Annotated[
            str, Field(description="Words to look for.", examples=["grant", "Green Table"])
        ],
    ) -> PeopleResult:
        """Search the network (`givenet find`): people whose name, org, role, email, tags,
        notes, meeting notes, asks or offers contain the text; each says where it matched.
        Use it to find someone half-remembered ("the woman from the food co-op").
        Example: {"text": "grant"}."""
        from givenet.core.people import find_people as found

        return answer(lambda: {"people": found(network, text)})

    @tool(READ)
    def who_can_help(
        need: Annotated[
            str,
            Field(description="What is needed, in plain words.", examples=["venue for 40"]),
        ],
        limit: Annotated[int, Field(ge=1, le=1000, description="How many people at most.")] = 10,
        team: Annotated[
            bool, Field(description="Also which team member knows each person best.")
        ] = False,
    ) -> PeopleResult:
        """Do I know someone who…? (`givenet who`) People whose offers, tags, role, org or
        notes match the need (an offer that meets it in other words too), best first,
        with why in words, what matched and their active offers; with `team`, the members
        who met each (`known_by`, best first).
        People who want no introductions are left out. Use it for "does anyone I know
        have a venue for 40?". Example: {"need": "venue for 40 people"}."""
        from givenet.core.giving import who

        return answer(
            lambda: {"people": who(network, need, limit=limit, open_to_intros=True, team=team)}
        )

    @tool(READ)
    def suggest_matches(
        person: Annotated[
            str | None,
            Field(
                description="Only this person's asks and the asks their offers could meet "
                "(a name, part of one, or '#12'); leave out for everyone."
            ),
        ] = None,
        limit: Annotated[int, Field(ge=1, le=1000, description="How many pairs at most.")] = 20,
    ) -> MatchesResult:
        """Suggested introductions (`givenet match`): open asks that someone else's active
        offer could meet, best first, with why in words (the same need, shared tags and
        words, how capacity and dates fit). People who want no intros, pairs introduced
        recently and pairs marked not a fit are left out. Use it for "whom could I
        introduce?"; make_intro logs one. Example: {"person": "Maria", "limit": 5}."""
        from givenet.core.giving import suggest_matches as suggested

        return answer(lambda: {"matches": suggested(network, person, limit=limit)})

    @tool(READ)
    def open_asks(
        include_closed: Annotated[
            bool, Field(description="Also asks already met or dropped.")
        ] = False,
    ) -> AsksResult:
        """What people in the network need (`givenet asks`): open asks, urgent first, then by
        when they are due, with who asks, tags and status. Use it for "who needs help?".
        Example: {}."""
        from givenet.core.asks import list_asks

        return answer(lambda: {"asks": list_asks(network, include_closed=include_closed)})

    @tool(READ)
    def active_offers(
        include_withdrawn: Annotated[bool, Field(description="Also withdrawn offers.")] = False,
    ) -> OffersResult:
        """What people in the network can give (`givenet offers`): active offers by person,
        with tags. Use it for "what could my network offer?". Example: {}."""
        from givenet.core.asks import list_offers

        return answer(lambda: {"offers": list_offers(network, include_withdrawn=include_withdrawn)})

    @tool(READ)
    def intros(
        only_open: Annotated[
            bool, Field(description="Only intros still under way (not settled).")
        ] = False,
    ) -> IntrosResult:
        """Introductions the user made and where each stands (`givenet intros`), newest first:
        between whom, status and since when, the ask it served. Use it for "how did my
        intros go?"; set_intro_status moves one on. Example: {"only_open": true}."""
        from givenet.core.giving import list_intros

        return answer(lambda: {"intros": list_intros(network, only_open=only_open)})

    @tool(READ)
    def event_brief(
        event: Annotated[
            str,
            Field(
                description="The event: its name, a unique part of it, or an id like '#3'.",
                examples=["Impact Mixer", "#3"],
            ),
        ],
    ) -> dict[str, Any]:
        """The briefing before an event (`givenet event prep`): who is coming, what each cares
        about, their open asks and who in the network could meet them, questions to open
        with (`openers`), people not met yet, and people worth inviting. Use it for "prepare
        me for tonight's mixer". Example: {"event": "Impact Mixer"}."""
        from givenet.core.events import event_prep

        return answer(lambda: event_prep(network, event))

    @tool(READ)
    def stats() -> dict[str, Any]:
        """Network health (`givenet stats`): people per circle against capacity, overdue
        check-ins, asks met and dropped, intros by status, and the giving balance of the
        last 90 days. Use it for "how is my network doing?". Example: {}."""
        from givenet.core.giving import network_stats

        return answer(lambda: network_stats(network))

    @tool(READ)
    def weekly_review(on: OnArg = None) -> dict[str, Any]:
        """The weekly give-first review (`givenet review`) of the seven days ending today:
        what was given and got, intros waiting and their outcomes, promises kept and late,
        asks met, one dormant tie to reconnect, circles over capacity, and giving per week
        over twelve weeks. Use it for "how did my week go?". Example: {}."""
        from givenet.core.review import weekly_review as reviewed

        return answer(lambda: reviewed(network, today=on))

    @tool(READ)
    def draft_message(
        kind: Annotated[
            Literal["follow-up", "check-in", "thanks", "intro"],
            Field(description="follow-up, check-in, thanks, or intro (a double opt-in)."),
        ],
        person: PersonArg,
        other: Annotated[
            str | None, Field(description="For an intro: the person to introduce them to.")
        ] = None,
        for_ask: Annotated[
            int | None, Field(description="For an intro: the ask it is for (its id).")
        ] = None,
        on: OnArg = None,
    ) -> dict[str, Any]:
        """A message draft from what givenet knows (`givenet draft`): where you met, your
        notes, their open ask, your promise. An intro comes in three parts: a note asking
        each person first, then the joint introduction once both said yes. Show the user
        the text to edit and send; givenet sends nothing.
        Example: {"kind": "follow-up", "person": "Priya"}."""
        from givenet.core.drafts import draft_message as drafted

        ask = str(for_ask) if for_ask is not None else None
        return answer(lambda: drafted(network, kind, person, other=other, ask=ask, today=on))

    # --- write tools -------------------------------------------------------------------

    @tool(ADD)
    def add_person(
        name: Annotated[str, Field(description="Their full name.", examples=["Maria Lopez"])],
        org: Annotated[str | None, Field(description="Where they work.")] = None,
        role: Annotated[str | None, Field(description="What they do there.")] = None,
        emails: Annotated[list[str], Field(description="Email addresses.")] = [],  # noqa: B006
        tags: Annotated[
            list[str], Field(description="Interests and topics, e.g. ['urban farming'].")
        ] = [],  # noqa: B006
        circle: Annotated[
            Circle | None, Field(description="How close: inner, active, wide or acquaintance.")
        ] = None,
        no_intros: Annotated[
            bool, Field(description="They do not want to be introduced to anyone.")
        ] = False,
        met_at: Annotated[
            str | None,
            Field(description="The event where the user met them (created if new)."),
        ] = None,
        on: Annotated[
            date | None, Field(description="The day they met (YYYY-MM-DD); logs a meeting.")
        ] = None,
        note: Annotated[str | None, Field(description="A note about them or the meeting.")] = None,
    ) -> dict[str, Any]:
        """Add someone the user met (`givenet add`), optionally with the event where they met
        (which logs the first meeting) and a note. Someone with the same name or email is
        refused: use show_person or find_people first.
        Example: {"name": "Maria Lopez", "org": "Green Table", "met_at": "Impact Mixer"}."""
        from givenet.core.people import PersonFields
        from givenet.core.people import add_person as added

        fields = PersonFields(
            name=name,
            org=org,
            role=role,
            emails=emails,
            tags=tags,
            circle=circle.value if circle else None,
            no_intros=no_intros,
        )
        return write("add_person", lambda: added(network, fields, met_at=met_at, on=on, note=note))

    @tool(ADD)
    def add_note(
        person: PersonArg,
        text: Annotated[str, Field(description="The note, in the user's words.")],
        on: OnArg = None,
    ) -> dict[str, Any]:
        """A dated note about someone (`givenet note`): a fact worth remembering, not a
        meeting. Example: {"person": "Maria", "text": "her daughter starts university in
        September"}."""
        from givenet.core.people import add_note as noted

        return write("add_note", lambda: noted(network, person, text, on=on))

    @tool(ADD)
    def log_meeting(
        people: Annotated[
            list[str],
            Field(min_length=1, description="Who was there: names, parts of names or '#12'."),
        ],
        kind: Annotated[
            MeetingKind | None,
            Field(description="event, coffee, call, message, email, meal or other."),
        ] = None,
        event: Annotated[str | None, Field(description="The event it was at, if any.")] = None,
        note: Annotated[str | None, Field(description="What was said.")] = None,
        next_step: Annotated[
            str | None, Field(description="What the user promised to do next (a promise).")
        ] = None,
        by: Annotated[
            date | None, Field(description="When the next step is due (YYYY-MM-DD).")
        ] = None,
        on: OnArg = None,
    ) -> dict[str, Any]:
        """Log a meeting or other touch with one or more people (`givenet log`), and a promise
        to each if there is a next step. Example: {"people": ["Maria"], "kind": "coffee",
        "next_step": "send the venue list", "by": "2026-12-04"}."""
        from givenet.core.log import log_meeting as logged

        return write(
            "log_meeting",
            lambda: logged(
                network,
                people,
                on=on,
                kind=kind.value if kind else None,
                event=event,
                note=note,
                next_step=next_step,
                by=by,
            ),
        )

    @tool(ADD)
    def record_ask(
        person: PersonArg,
        text: Annotated[str, Field(description="What they need, in their words.")],
        tags: TagsArg = [],  # noqa: B006
        by: Annotated[date | None, Field(description="When they need it by (YYYY-MM-DD).")] = None,
        urgent: Annotated[bool, Field(description="They need it now.")] = False,
    ) -> dict[str, Any]:
        """Record something a person needs (`givenet ask`); it is matched against offers.
        Without tags, proposed_tags in the result are the tags in use that fit it: offer
        them to the user, and add_tags adds those they want.
        Example: {"person": "Maria", "text": "a venue for 40 people", "tags": ["venue"]}."""
        from givenet.core.asks import record_ask as asked

        return write(
            "record_ask", lambda: asked(network, person, text, tags=tags, by=by, urgent=urgent)
        )

    @tool(ADD)
    def record_offer(
        person: PersonArg,
        text: Annotated[str, Field(description="What they can give: a venue, a skill, contacts.")],
        tags: TagsArg = [],  # noqa: B006
    ) -> dict[str, Any]:
        """Record something a person can give (`givenet offer`); it is matched against asks.
        Without tags, proposed_tags in the result are the tags in use that fit it.
        Example: {"person": "Amara", "text": "private dining room, seats 50", "tags":
        ["venue"]}."""
        from givenet.core.asks import record_offer as offered

        return write("record_offer", lambda: offered(network, person, text, tags=tags))

    @tool(UPDATE)
    def add_tags(
        kind: Annotated[Literal["ask", "offer"], Field(description="'ask' or 'offer'.")],
        id: Annotated[int, Field(description="The ask's or the offer's id.")],
        tags: TagsArg,
    ) -> dict[str, Any]:
        """Add tags to an ask or an offer (`givenet tag ask` / `tag offer`), such as the
        proposed_tags of record_ask or record_offer, and match it again.
        Example: {"kind": "ask", "id": 3, "tags": ["venue"]}."""
        from givenet.core.asks import tag_ask, tag_offer

        tag = tag_ask if kind == "ask" else tag_offer
        return write("add_tags", lambda: tag(network, id, tags))

    @tool(ADD)
    def make_intro(
        person_a: PersonArg,
        person_b: PersonArg,
        for_ask: Annotated[
            int | None, Field(description="The id of the ask this intro serves.")
        ] = None,
        note: Annotated[str | None, Field(description="Why they were introduced.")] = None,
        status: Annotated[
            IntroStatus,
            Field(description="'made' (default), or 'suggested'/'asked' for a double opt-in."),
        ] = IntroStatus.made,
        on: OnArg = None,
    ) -> dict[str, Any]:
        """Log an introduction between two people (`givenet intro`), usually a pair from
        suggest_matches. Ask the user first: never introduce someone who wants no intros.
        Example: {"person_a": "#1", "person_b": "#2", "for_ask": 1}."""
        from givenet.core.giving import make_intro as made

        return write(
            "make_intro",
            lambda: made(
                network,
                person_a,
                person_b,
                for_ask=for_ask,
                note=note,
                status=status.value,
                on=on,
            ),
        )

    @tool(UPDATE)
    def not_a_fit(
        ask: Annotated[int, Field(description="The ask's id (from suggest_matches).")],
        offer: Annotated[int, Field(description="The offer's id (from suggest_matches).")],
    ) -> dict[str, Any]:
        """Say a suggested pair is wrong (`givenet match --not-a-fit`): the offer does not
        fit the ask, and suggest_matches never proposes them together again. Use it when
        the user says a suggestion makes no sense. Example: {"ask": 3, "offer": 7}."""
        from givenet.core.giving import not_a_fit as marked

        return write("not_a_fit", lambda: marked(network, ask, offer))

    @tool(UPDATE)
    def fit_again(
        ask: Annotated[int, Field(description="The ask's id.")],
        offer: Annotated[int, Field(description="The offer's id.")],
    ) -> dict[str, Any]:
        """Take back not_a_fit for a pair (`givenet match --fit-again`): it is scored again
        and suggest_matches may propose it. ``candidate`` says whether it now fits.
        Example: {"ask": 3, "offer": 7}."""
        from givenet.core.giving import fit_again as unmarked

        return write("fit_again", lambda: unmarked(network, ask, offer))

    @tool(UPDATE)
    def set_intro_status(
        intro: Annotated[int, Field(description="The intro's id (from intros).")],
        status: Annotated[IntroStatus, Field(description="Its new status.")],
        note: Annotated[str | None, Field(description="What happened.")] = None,
        on: OnArg = None,
    ) -> dict[str, Any]:
        """Follow an intro to its outcome (`givenet intro-status`). Moves: suggested → asked,
        made or declined; asked → made or declined; made → met, no-fit or fizzled; met →
        helped, no-fit or fizzled; "helped" marks its ask met. Example: {"intro": 3,
        "status": "helped", "note": "they booked the room"}."""
        from givenet.core.giving import set_intro_status as moved

        return write(
            "set_intro_status", lambda: moved(network, intro, status.value, on=on, note=note)
        )

    @tool(ADD)
    def record_give(
        person: PersonArg,
        what: Annotated[str, Field(description="What was given.", examples=["a warm intro"])],
        direction: Annotated[
            Literal["gave", "got"],
            Field(description="'gave': the user gave it to them; 'got': they gave it to the user."),
        ] = "gave",
        ask: Annotated[
            int | None, Field(description="With 'gave': the id of their open ask this met.")
        ] = None,
        on: OnArg = None,
    ) -> dict[str, Any]:
        """Record something given (`givenet gave` / `givenet got`): the ledger of giving that
        keeps the network balanced. Example: {"person": "Maria", "what": "sent the venue
        list", "direction": "gave"}."""
        from givenet.core.log import record_gave, record_got

        if direction == "got":
            if ask is not None:
                return _error("ask goes with direction 'gave': what the user gave met their ask")
            return write("record_give", lambda: record_got(network, person, what, on=on))
        return write("record_give", lambda: record_gave(network, person, what, ask=ask, on=on))

    @tool(UPDATE)
    def keep_promise(
        promise: Annotated[
            int, Field(description="The promise's id (from show_person or log_meeting).")
        ],
        on: OnArg = None,
    ) -> dict[str, Any]:
        """Mark a promise kept (`givenet kept`). Example: {"promise": 4}."""
        from givenet.core.log import keep_promise as kept

        return write("keep_promise", lambda: kept(network, promise, today=on))

    # --- resources ---------------------------------------------------------------------

    def resource_text(call: Callable[[], Any]) -> str:
        try:
            document = _document(call())
        except NotFound as problem:
            raise ResourceNotFoundError(safe_text(problem.message)) from None
        except GivenetError as problem:
            raise ResourceError(safe_text(problem.message)) from None
        return json.dumps(document, ensure_ascii=False, indent=2)

    @server.resource(
        "givenet://person/{id}",
        name="person",
        title="A person's profile",
        description="Everything about one person, as `givenet show ID --json`.",
        mime_type="application/json",
    )
    def person_resource(id: str) -> str:
        from givenet.core.people import show_person as shown

        return resource_text(lambda: shown(network, f"#{id.removeprefix('#')}"))

    @server.resource(
        "givenet://due/today",
        name="due-today",
        title="Today's morning list",
        description="Whom to follow up, check in with or help today, as `givenet due --json`.",
        mime_type="application/json",
    )
    def due_today() -> str:
        from givenet.core.ranking import morning_list as ranked

        return resource_text(lambda: ranked(network))

    # --- the prompt --------------------------------------------------------------------

    @server.prompt(
        title="Prepare for an event",
        description="A briefing for an event: who is coming, what they need, what to ask them.",
    )
    def prepare_for_event(
        event: Annotated[str, Field(description="The event's name, part of it, or '#3'.")],
    ) -> str:
        from givenet.core.events import event_prep

        try:
            brief = _document(event_prep(network, event))
        except GivenetError as problem:
            raise MCPError(code=INVALID_PARAMS, message=safe_text(problem.message)) from None
        openers = [
            f"- {person['name']}: {opener}"
            for person in brief["known_attendees"] + brief["new_attendees"]
            for opener in person["openers"]
        ]
        return (
            f"I am going to {brief['name']} on {brief['date']}. Prepare me for it from my "
            "givenet network, giving first: for each person I know who is coming, what they "
            "care about and need, whom in my network I could introduce them to, and one "
            "question to open with; then the people I have not met yet, and whom I should "
            "tell about the event. Do not suggest introducing anyone who wants no intros.\n\n"
            "Openers givenet suggests:\n"
            + ("\n".join(openers) if openers else "- none yet")
            + "\n\nThe briefing (givenet event prep --json):\n"
            + json.dumps(brief, ensure_ascii=False, indent=2)
        )

    return server
