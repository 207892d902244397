"""`givenet draft`: messages from what givenet knows, on the demo network."""

from __future__ import annotations

from datetime import date

import pytest

from givenet import drafting
from givenet.records.drafts import AskBrief, GotBrief, MeetingBrief, PersonBrief, PromiseBrief

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.fixture
def demo(run):
    run("demo")


def test_follow_up_names_where_you_met_quotes_the_note_and_keeps_the_promise(run, demo):
    text = run("draft", "follow-up", "Priya").stdout
    assert text.startswith("Subject: Good to meet you\n\nHi Priya,\n")
    assert "It was good to meet you at Impact Mixer on " in text
    assert (
        '"Moving from banking into food systems; wants to meet social-enterprise founders"' in text
    )
    assert '"Introductions to social-enterprise founders"' in text  # her open ask
    assert 'As promised: "Send her the list of food-systems meetups"' in text
    assert "\n\n\n" not in text and "$" not in text


def test_follow_up_without_a_promise_proposes_a_coffee(run, demo):
    text = run("draft", "follow-up", "Hana").stdout
    assert "It was good to have coffee with you yesterday." in text
    assert "over a coffee in the next couple of weeks?" in text


def test_follow_up_asks_the_question_you_noted(run):
    run("add", "Mo Tran", "--on", "2026-11-20")
    run("note", "Mo", "Ask whether the co-op still rents its van? She knows the market.")
    text = run("draft", "follow-up", "Mo").stdout
    assert "I meant to ask you: Ask whether the co-op still rents its van?" in text
    assert "It was good to meet you on " in text


def test_check_in_refers_to_the_last_touch_and_its_note(run, demo):
    text = run("draft", "check-in", "Amara").stdout
    assert "It has been a while since our coffee on " in text
    assert '"Planning the spring menu; the dining room is often free midweek"' in text


def test_check_in_mentions_an_open_ask(run, demo):
    text = run("draft", "check-in", "Tomás").stdout
    assert 'How is "Needs a venue for 40 people for a fundraising dinner" going?' in text


def test_thanks_quotes_what_they_gave(run, demo):
    text = run("draft", "thanks", "Grace").stdout
    assert text.startswith("Subject: Thank you\n\nHi Grace,")
    assert '"Sent the grant round\'s guidelines ahead of the call"' in text


def test_thanks_with_no_got_recorded_thanks_in_general(run):
    run("add", "Mo Tran", "--on", "2026-11-20")
    text = run("draft", "thanks", "Mo").stdout
    assert "Thank you so much for your help." in text
    assert "what you did" not in text and "$" not in text


def test_intro_is_two_opt_in_asks_then_the_joint_introduction(run, demo):
    out = run("draft", "intro", "Tomás", "Amara", "--for", "1", "--json").json()
    assert out["kind"] == "intro"
    to = [(part["to"], part["when"]) for part in out["parts"]]
    assert to == [
        ("Tomás Silva", "first: ask"),
        ("Amara Okafor", "first: ask"),
        ("Tomás Silva and Amara Okafor", "once both said yes"),
    ]
    to_tomas, to_amara, joint = (part["text"] for part in out["parts"])
    assert (
        "Would you like me to introduce you to Amara Okafor (General Manager at Harvest Table)?"
        in to_tomas
    )
    assert '"Private dining room for events, seats 50"' in to_tomas  # the offer that matched
    assert "Tomás is looking for" in to_amara and "venue for 40 people" in to_amara
    assert joint.startswith("Subject: Introduction: Tomás Silva and Amara Okafor")
    assert out["templates"] == [
        "givenet:templates/intro-ask.txt",
        "givenet:templates/intro-joint.txt",
    ]
    plain = run("draft", "intro", "Tomás", "Amara").stdout
    assert plain.startswith("--- 1. To Tomás Silva (first: ask) ---\nHi Tomás,")
    assert "--- 3. To Tomás Silva and Amara Okafor (once both said yes) ---" in plain


def test_intro_puts_the_asker_first_whatever_the_order(run, demo):
    out = run("draft", "intro", "Amara", "Tomás", "--json").json()
    assert out["parts"][0]["to"] == "Tomás Silva"


def test_intro_without_an_ask_still_drafts(run, demo):
    out = run("draft", "intro", "Daniel", "Grace", "--json").json()
    assert "would get a lot out of meeting" in out["parts"][0]["text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["intro", "Tomás", "Tomás Silva"], "two different people"),
        (["intro", "Tomás", "Amara", "--for", "3"], "neither person's"),
        (["intro", "Tomás", "Amara", "--for", "99"], "no ask #99"),
        (["intro", "Tomás", "Amara", "--for", "x"], "ask"),
        (["thanks", "Nobody At All"], "Nobody At All"),
    ],
)
def test_bad_input_is_one_line(fails, demo, args, message):
    assert message in fails("draft", *args)


def test_your_template_replaces_givenets(run, demo, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "config" / "givenet" / "templates"
    assert str(folder) in run("config").stderr  # `givenet config` says where
    folder.mkdir(parents=True)
    (folder / "thanks.txt").write_text(
        "Dear $name,\n\n$thanks_line\n$unknown stays\n\nYours, Sam\n"
    )
    out = run("draft", "thanks", "Daniel", "--json").json()
    assert out["templates"] == [str(folder / "thanks.txt")]
    assert out["parts"][0]["text"].startswith("Dear Daniel Reyes,\n\nThank you so much")
    assert "$unknown stays" in out["parts"][0]["text"]
    assert run("draft", "check-in", "Daniel", "--json").json()["templates"] == [
        "givenet:templates/check-in.txt"
    ]


def test_text_people_typed_is_sanitised_on_a_terminal(run, monkeypatch):
    from givenet import render

    run("add", "Eve Mallory")
    run("log", "Eve", "--on", "2026-11-20", "--note", "said \x1b[31mhello\x1b[0m")
    monkeypatch.setattr(render, "is_terminal", lambda: True)
    text = run("draft", "check-in", "Eve").stdout
    assert "\x1b" not in text and "\\x1b[31mhello" in text


# --- the pure parts -------------------------------------------------------


def test_fill_drops_lines_left_empty_and_keeps_unknown_names():
    template = "Hi $first_name,\n\n$empty\n$also_empty\n\nText $unknown\n\n\n\nBye\n"
    assert drafting.fill(template, {"first_name": "Ada", "empty": "", "also_empty": ""}) == (
        "Hi Ada,\n\nText $unknown\n\nBye\n"
    )


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (TODAY, "today"),
        (date(2026, 11, 25), "yesterday"),
        (date(2026, 11, 21), "on Saturday"),
        (date(2026, 11, 19), "on 19 November"),
        (date(2025, 12, 1), "on 1 December 2025"),
    ],
)
def test_when_words(day, words):
    assert drafting.when_words(day, TODAY) == words


def test_every_value_a_template_names_is_given():
    """Each default template uses only names its kind fills (a typo would print as $name)."""
    import re
    from importlib.resources import files

    person = PersonBrief(
        id=1,
        name="Ada Lovelace",
        org="Engines",
        role="Analyst",
        first_meeting=MeetingBrief(day=TODAY, kind="coffee", note="n"),
        last_meeting=MeetingBrief(day=TODAY, kind="call", event_name="E"),
        notes=("why?",),
        open_asks=(AskBrief(id=1, text="a"),),
        open_promises=(PromiseBrief(text="p", due=TODAY),),
        last_got=GotBrief(what="w", day=TODAY),
    )
    to_a, to_b, joint = drafting.intro_values(person, person, AskBrief(id=1, text="a"), "o")
    given = {
        "follow-up": drafting.follow_up_values(person, TODAY),
        "check-in": drafting.check_in_values(person, TODAY),
        "thanks": drafting.thanks_values(person, TODAY),
        "intro-ask": to_a | to_b,
        "intro-joint": joint,
    }
    for name, values in given.items():
        text = (files("givenet") / "templates" / f"{name}.txt").read_text()
        assert set(re.findall(r"\$(\w+)", text)) <= set(values), name
    assert set(drafting.TEMPLATES) == set(drafting.KINDS)


@pytest.mark.slow
def test_the_core_returns_the_draft_as_a_record(tmp_path):
    from givenet.core import Network, draft_message, make_demo

    network = Network(tmp_path / "g.db")
    make_demo(network, today=TODAY)
    draft = draft_message(network, "thanks", "Daniel", today=TODAY)
    assert draft.kind == "thanks" and draft.parts[0].to == "Daniel Reyes"
    assert "grants officer" in draft.parts[0].text
    with pytest.raises(Exception, match="only an intro"):
        draft_message(network, "thanks", "Daniel", other="Grace", today=TODAY)


@pytest.mark.slow
def test_drafts_import_no_sqlalchemy(run, demo, isolated_database):
    """A draft only reads: plain sqlite3, so SQLAlchemy and SQLModel stay unloaded."""
    from conftest import heavy_modules_after

    printed, heavy = heavy_modules_after(
        isolated_database,
        [["draft", "follow-up", "Priya"], ["draft", "check-in", "Amara"],
         ["draft", "thanks", "Grace"], ["draft", "intro", "Tomás", "Amara", "--json"]],
    )  # fmt: skip
    assert "Hi Priya," in printed
    assert heavy == []
