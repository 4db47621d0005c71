"""Every registered question type, from the form through storage to analysis.

Each case is a frozen question of one type, what a respondent posts for it and
what analysis then reads: the respondent form, the API's checks, the packed
answers and the loader all run the type's own code.
"""

from __future__ import annotations

import numpy as np
import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from surveys.form import answers_from_post, form_questions
from surveys.packing import SKIPPED, layout_of
from surveys.questions import QUESTION_TYPES, LoadedAnswers, question_type
from surveys.validation import AnswerErrors, validate_answers

LOCI = {
    "me": {"kind": "self", "order": 1, "name": {"en": "Me"}},
    "cco": {"kind": "cco", "order": 2, "name": {"en": "The CCO"}},
    "all": {"kind": "everyone", "order": 3, "name": {"en": "Everyone"}},
}
EN = {"en": "Question?"}
CASES = {
    "likert": (
        {
            "item": "CO-1",
            "construct": "co",
            "reverse_keyed": True,
            "points": 5,
            "labels": {"en": ["No", "Rather no", "So-so", "Rather yes", "Yes"]},
        },
        {"q-x": "4"},
        "4",
    ),
    "recommendation": (
        {"low": {"en": "Never"}, "high": {"en": "Surely"}},
        {"q-x": "9"},
        "9",
    ),
    "choice": ({"choices": {"en": ["Office", "Field"]}}, {"q-x": "1"}, "1"),
    "allocation": (
        {"loci": ["me", "cco", "all"], "total": 100, "help": {"en": "Spread them."}},
        {"q-x-me": "30", "q-x-cco": "70", "q-x-all": ""},
        {"me": "30", "cco": "70", "all": "0"},
    ),
    "primary_owner": ({"loci": ["cco", "all"]}, {"q-x": "all"}, "all"),
    "free_text": (
        {"warning": {"en": "No names."}, "max_length": 50},
        {"q-x": "  Faster replies\n"},
        "  Faster replies\n",
    ),
    "commitment_kept": (
        {
            "commitment": 7,
            "labels": {
                "en": ["Not at all", "Barely", "Partly", "Mostly", "Fully", "?"]
            },
        },
        {"q-x": "0"},
        "0",
    ),
}


def _snapshot(kind: str) -> dict:
    extra = CASES[kind][0]
    question = {"id": "x", "type": kind, "required": False, "text": EN, **extra}
    return {
        "source_language": "en",
        "languages": ["en"],
        "loci": LOCI,
        "questions": [question],
    }


def _post(fields: dict) -> QueryDict:
    post = QueryDict(mutable=True)
    post.update(fields)
    return post


def test_every_type_has_a_case_here():
    assert set(QUESTION_TYPES) == set(CASES)
    assert all(question_type(name).name == name for name in QUESTION_TYPES)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_type_renders_its_fields_and_shows_a_posted_answer_again(kind):
    snapshot = _snapshot(kind)
    posted = _post(CASES[kind][1])
    (view,) = form_questions(snapshot, "en", data=posted, errors={"x": "Not so."})
    html = render_to_string(
        "surveys/includes/questions.html", {"questions": [view], "disabled": False}
    )
    assert 'id="question-x"' in html and "Not so." in html
    for name, value in CASES[kind][1].items():
        assert f'name="{name}"' in html
        radio = (
            "likert",
            "recommendation",
            "choice",
            "primary_owner",
            "commitment_kept",
        )
        if kind in radio:
            assert f'value="{value}"\n' in html or f'value="{value}" ' in html
            assert html.count("checked") == 1
        elif kind == "allocation":
            assert f'value="{value}"' in html
        else:
            assert f">{value}</textarea>" in html


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_posted_answer_is_stored_and_loaded_by_its_type(kind):
    snapshot = _snapshot(kind)
    answers = answers_from_post(snapshot, _post(CASES[kind][1]))
    assert answers == {"x": CASES[kind][2]}
    # The API sends the same raw answer; the same check runs.
    clean = validate_answers(snapshot, answers)
    layout = layout_of(snapshot)
    values = layout.unpack([layout.pack(clean.numeric, clean.allocations)])
    values = values.astype(float)
    values[values == SKIPPED] = np.nan
    loaded = LoadedAnswers(n=1, loci=list(LOCI))
    q = snapshot["questions"][0]
    question_type(kind).load(
        q, lambda option: values[:, layout.column("x", option)], loaded
    )
    read = {
        "likert": lambda: (loaded.items[0].item, loaded.likert[0].tolist()),
        "recommendation": lambda: loaded.nps.tolist(),
        "choice": lambda: values.tolist(),
        "commitment_kept": lambda: values.tolist(),
        "allocation": lambda: loaded.allocation.tolist(),
        "primary_owner": lambda: loaded.owner.tolist(),
        "free_text": lambda: (clean.comments, len(layout)),
    }[kind]()
    assert (
        read
        == {
            "likert": ("CO-1", [2.0]),  # reverse-keyed: 6 - 4
            "recommendation": [9.0],
            "choice": [[1.0]],
            "commitment_kept": [[0.0]],  # don't know
            "allocation": [[30.0, 70.0, 0.0]],
            "primary_owner": [2.0],  # "all" is the third locus of the wave
            "free_text": ([("x", "Faster replies")], 0),
        }[kind]
    )


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("likert", "6"),
        ("recommendation", "11"),
        ("choice", "2"),
        ("allocation", {"me": "30", "cco": "60"}),
        ("primary_owner", "me"),
        ("free_text", "x" * 51),
        ("commitment_kept", "6"),
    ],
)
def test_a_type_refuses_what_its_question_cannot_take(kind, raw):
    with pytest.raises(AnswerErrors) as refused:
        validate_answers(_snapshot(kind), {"x": raw})
    assert set(refused.value.errors) == {"x"}


def test_a_skipped_question_posts_nothing():
    for kind in CASES:
        assert answers_from_post(_snapshot(kind), _post({})) == {}
