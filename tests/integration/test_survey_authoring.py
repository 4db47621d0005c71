"""Authoring surveys in Wagtail: page rules, blocks, translation and waves."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.utils import timezone
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import HomePage
from ownership.models import AuditEntry
from surveys.models import Construct, SurveyPage, Wave, WavePhase
from surveys.questions.allocation import AllocationBlock
from surveys.questions.choice import SingleChoiceBlock
from surveys.questions.likert import LikertBlock
from surveys.questions.primary_owner import PrimaryOwnerBlock
from surveys.services import wave_close, wave_open, wave_prepare_next
from tests.factories import likert, make_survey


class TestSurveyPageRules(WagtailPageTestCase):
    def test_created_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, SurveyPage)
        self.assertCanNotCreateAt(SurveyPage, SurveyPage)
        self.assertAllowedSubpageTypes(SurveyPage, {})

    def test_renderable_and_previewable(self):
        page = make_survey()
        self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(
            page,
            post_data=_page_form(
                page, [("likert", {"bank_item": "CO-1", "points": "5"})], action="x"
            ),
        )

    def test_page_shows_the_questions_read_only(self):
        page = make_survey()
        html = self.client.get(page.url).content.decode()
        bank = Construct.objects.get(
            slug="felt-responsibility", locale__language_code="en"
        )
        assert bank.items.get(item_id="FR-1").text in html
        assert "Strongly agree" in html
        assert "personal link" in html
        assert html.count(" disabled") >= 3 * 5 + 4
        assert "results are shown only for groups of at least 5" in html


def _errors(block, value):
    with pytest.raises(StructBlockValidationError) as exc:
        block.clean(block.to_python(value))
    return {name: e.messages for name, e in exc.value.block_errors.items()}


@pytest.mark.django_db
class TestBlockValidation:
    def test_inline_likert_needs_text_and_construct(self):
        errors = _errors(LikertBlock(), {"points": "5"})
        assert errors["text"] == [
            "Write the statement, or choose one from the item bank."
        ]
        assert errors["construct"] == ["Choose the construct this item measures."]

    def test_inline_likert_with_construct_is_fine(self):
        block = LikertBlock()
        value = block.clean(
            block.to_python(
                {"text": "I like customers.", "construct": "openness", "points": "7"}
            )
        )
        assert value["construct"] == "openness"

    def test_bank_item_is_enough(self):
        block = LikertBlock()
        assert (
            block.clean(block.to_python({"bank_item": "CO-1"}))["bank_item"] == "CO-1"
        )

    def test_unknown_bank_item(self):
        errors = _errors(LikertBlock(), {"bank_item": "XX-9"})
        assert "bank_item" in errors

    def test_labels_must_match_the_scale(self):
        errors = _errors(
            LikertBlock(), {"bank_item": "CO-1", "points": "5", "labels": "No\nYes"}
        )
        assert errors["labels"] == [
            "Give exactly 5 labels, one per line, or none for the standard ones "
            "(you gave 2)."
        ]

    def test_allocation_needs_three_loci(self):
        errors = _errors(AllocationBlock(), {"text": "Who?", "loci": ["me", "cco"]})
        assert errors["loci"] == ["Offer at least 3 loci for the 100 points."]

    def test_primary_owner_needs_two_loci(self):
        errors = _errors(PrimaryOwnerBlock(), {"text": "Who?", "loci": ["me"]})
        assert errors["loci"] == ["Offer at least 2 loci."]

    def test_choices_must_differ(self):
        errors = _errors(
            SingleChoiceBlock(), {"text": "Role?", "choices": ["Office", "office"]}
        )
        assert errors["choices"] == ["Each choice must be different."]

    def test_same_bank_item_twice_is_refused_on_the_page(self):
        from django.core.exceptions import ValidationError

        page = SurveyPage(
            title="x", slug="x", questions=[likert("CO-1"), likert("CO-1")]
        )
        with pytest.raises(ValidationError) as exc:
            page.clean()
        assert "repeated: CO-1" in str(exc.value.message_dict["questions"])


def _page_form(page, questions, action="action-publish"):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": rich_text("<p>Hello</p>"),
            "thank_you": rich_text("<p>Thanks</p>"),
            "questions": streamfield(questions),
            action: "1",
        }
    )


@pytest.mark.django_db
class TestEditingInTheAdmin:
    def test_invalid_block_is_reported_and_nothing_is_saved(self, client, superuser):
        page = make_survey()
        client.force_login(superuser)
        data = _page_form(
            page,
            [("allocation", {"text": "Who?", "help": "", "loci": ["me", "cco"]})],
        )
        response = client.post(f"/admin/pages/{page.pk}/edit/", data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "The page could not be saved due to validation errors" in html
        page.refresh_from_db()
        assert len(page.questions) == 4
        assert page.get_latest_revision().pk == page.live_revision.pk

    def test_valid_edit_is_published(self, client, superuser):
        page = make_survey()
        client.force_login(superuser)
        data = _page_form(
            page,
            [
                ("likert", {"bank_item": "CO-2", "points": "7"}),
                (
                    "recommendation",
                    {"text": "Recommend?", "low_label": "No", "high_label": "Yes"},
                ),
            ],
        )
        response = client.post(f"/admin/pages/{page.pk}/edit/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        page.refresh_from_db()
        assert [b.block_type for b in page.questions] == ["likert", "recommendation"]


@pytest.fixture
def wave_for(org):
    def make(page, **fields):
        now = timezone.now()
        wave = Wave.objects.create(
            survey=page,
            label=fields.pop("label", "Pulse 1"),
            opens_at=fields.pop("opens_at", now - dt.timedelta(hours=1)),
            closes_at=fields.pop("closes_at", now + dt.timedelta(days=14)),
            **fields,
        )
        wave.audience.set([org["claims"]])
        return wave

    return make


@pytest.fixture
def staff(org):
    from tests.factories import EmployeeFactory

    for department in (org["claims"], org["motor"]):
        EmployeeFactory.create_batch(3, department=department)


@pytest.mark.django_db
class TestWaveSnapshot:
    def test_open_freezes_every_question_in_every_language(self, wave_for, staff):
        page = make_survey()
        wave = wave_open(wave=wave_for(page))
        assert wave.phase() == WavePhase.OPEN
        snapshot = wave.snapshot
        assert snapshot["languages"] == ["en", "de", "nl"]
        ids = [b.id for b in page.questions]
        assert [q["id"] for q in snapshot["questions"]] == ids
        fr4 = snapshot["questions"][1]
        assert (fr4["item"], fr4["construct"], fr4["reverse_keyed"]) == (
            "FR-4",
            "felt-responsibility",
            True,
        )
        german = Construct.objects.get(
            slug="felt-responsibility", locale__language_code="de"
        )
        assert fr4["text"]["de"] == german.items.get(item_id="FR-4").text
        assert fr4["labels"]["nl"][0] == "Helemaal mee oneens"
        assert (
            snapshot["constructs"]["delegation-to-owner"]["favourable_when"]
            == "disagree"
        )
        assert snapshot["loci"]["cco"]["kind"] == "designated"
        assert snapshot["loci"]["me"]["name"]["de"] == "Ich"

    def test_editing_the_page_later_never_changes_the_wave(self, wave_for, staff):
        page = make_survey()
        wave = wave_open(wave=wave_for(page))
        frozen = wave.snapshot
        page.questions = [likert(text="Brand new item", construct="openness")]
        page.save_revision().publish()
        construct = Construct.objects.get(
            slug="felt-responsibility", locale__language_code="en"
        )
        construct.items.filter(item_id="FR-1").update(text="Reworded in the bank")
        wave.refresh_from_db()
        assert wave.snapshot == frozen
        assert wave.snapshot["questions"][0]["item"] == "FR-1"
        assert "Reworded" not in str(wave.snapshot)

    def test_drafts_do_not_leak_into_a_wave(self, wave_for, staff):
        page = make_survey()
        page.questions = [likert(text="Unpublished draft item", construct="openness")]
        page.save_revision()  # draft only
        wave = wave_open(wave=wave_for(SurveyPage.objects.get(pk=page.pk)))
        assert len(wave.snapshot["questions"]) == 4
        assert "Unpublished draft item" not in str(wave.snapshot)

    def test_cannot_open_without_questions(self, wave_for, staff):
        from django.core.exceptions import ValidationError

        page = make_survey(questions=[])
        wave = wave_for(page)
        with pytest.raises(ValidationError) as exc:
            wave_open(wave=wave)
        assert exc.value.message_dict["survey"] == ["The survey has no questions."]
        wave.refresh_from_db()
        assert wave.snapshot is None

    def test_cannot_open_with_an_empty_audience(self, wave_for, staff):
        from django.core.exceptions import ValidationError

        wave = wave_for(make_survey())
        wave.audience.clear()
        with pytest.raises(ValidationError) as exc:
            wave_open(wave=wave)
        assert "audience" in exc.value.message_dict

    def test_cannot_open_an_unpublished_survey(self, wave_for, staff):
        from django.core.exceptions import ValidationError

        wave = wave_for(make_survey(publish=False))
        with pytest.raises(ValidationError) as exc:
            wave_open(wave=wave)
        assert exc.value.message_dict["survey"] == [
            "Publish the survey page before opening a wave."
        ]

    def test_opens_once(self, wave_for, staff):
        from django.core.exceptions import ValidationError

        wave = wave_open(wave=wave_for(make_survey()))
        with pytest.raises(ValidationError):
            wave_open(wave=wave)

    def test_phases(self, wave_for, staff):
        now = timezone.now()
        wave = wave_for(
            make_survey(),
            opens_at=now + dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=5),
        )
        assert wave.phase() == WavePhase.DRAFT
        wave = wave_open(wave=wave)
        assert wave.phase() == WavePhase.SCHEDULED
        assert wave.phase(now + dt.timedelta(days=2)) == WavePhase.OPEN
        assert Wave.objects.open(now + dt.timedelta(days=2)).get() == wave
        wave = wave_close(wave=wave)
        assert wave.phase() == WavePhase.CLOSED
        assert Wave.objects.closed().get() == wave


@pytest.mark.django_db
class TestTranslation:
    def test_translating_keeps_block_ids(self, client, superuser):
        page = make_survey()
        client.force_login(superuser)
        german = Locale.objects.get(language_code="de")
        response = client.post(
            f"/admin/translation/submit/page/{page.pk}/",
            {"locales": [german.pk], "include_subtree": ""},
        )
        assert response.status_code == 302
        translated = SurveyPage.objects.get(
            translation_key=page.translation_key, locale=german
        )
        assert [b.id for b in translated.questions] == [b.id for b in page.questions]


@pytest.mark.django_db
class TestRecurringWaves:
    def test_opening_a_recurring_wave_prepares_the_next_once(self, wave_for, staff):
        wave = wave_for(
            make_survey(),
            label="Pulse 3",
            repeat_every_weeks=4,
            min_group_size=7,
            interim_results=True,
        )
        wave_open(wave=wave)
        following = Wave.objects.get(follows=wave)
        assert following.label == "Pulse 4"
        assert following.opens_at == wave.opens_at + dt.timedelta(weeks=4)
        assert following.closes_at == wave.closes_at + dt.timedelta(weeks=4)
        assert following.min_group_size == 7 and following.interim_results
        assert list(following.audience.all()) == list(wave.audience.all())
        assert following.phase() == WavePhase.DRAFT
        assert wave_prepare_next(wave=wave) is None
        assert Wave.objects.count() == 2

    def test_one_off_waves_do_not_repeat(self, wave_for, staff):
        wave_open(wave=wave_for(make_survey()))
        assert Wave.objects.count() == 1


@pytest.mark.django_db
class TestWaveAdmin:
    def _form(self, page, org, **overrides):
        now = timezone.localtime()
        data = {
            "label": "Autumn pulse",
            "survey": page.pk,
            "opens_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%d %H:%M"),
            "audience": [org["claims"].pk],
            "min_group_size": "5",
            "repeat_every_weeks": "",
        }
        data.update(overrides)
        return data

    def test_create_wave(self, client, superuser, org):
        page = make_survey()
        client.force_login(superuser)
        response = client.post(
            "/admin/snippets/surveys/wave/add/", self._form(page, org)
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        wave = Wave.objects.get()
        assert wave.min_group_size == 5 and wave.phase() == WavePhase.DRAFT
        # Results come once, after the wave closes, unless asked for.
        assert wave.interim_results is False

    def test_interim_results_can_be_switched_on(self, client, superuser, org):
        page = make_survey()
        client.force_login(superuser)
        form = client.get("/admin/snippets/surveys/wave/add/").content.decode()
        assert 'name="interim_results"' in form
        assert "at least k new respondents" in form  # the help text
        response = client.post(
            "/admin/snippets/surveys/wave/add/",
            self._form(page, org, interim_results="on"),
        )
        assert response.status_code == 302
        assert Wave.objects.get().interim_results is True

    @pytest.mark.parametrize("k", ["2", "0"])
    def test_refuses_min_group_size_below_three(self, client, superuser, org, k):
        page = make_survey()
        client.force_login(superuser)
        response = client.post(
            "/admin/snippets/surveys/wave/add/", self._form(page, org, min_group_size=k)
        )
        assert response.status_code == 200
        assert (
            "Ensure this value is greater than or equal to 3."
            in response.content.decode()
        )
        assert not Wave.objects.exists()

    def test_refuses_closing_before_opening(self, client, superuser, org):
        page = make_survey()
        client.force_login(superuser)
        form = self._form(page, org, closes_at="2020-01-01 00:00")
        response = client.post("/admin/snippets/surveys/wave/add/", form)
        assert "A wave must close after it opens." in response.content.decode()
        assert not Wave.objects.exists()

    def test_the_list_shows_each_waves_id(self, client, superuser, wave_for):
        wave = wave_for(make_survey())
        client.force_login(superuser)
        html = client.get("/admin/snippets/surveys/wave/").content.decode()
        assert re.search(r"<th[^>]*>(\s|<[^>]+>)*ID(\s|<[^>]+>)*</th>", html)
        rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)
        (row,) = [row for row in rows if wave.label in row]
        cells = [
            re.sub(r"<[^>]+>|\s", "", cell)
            for cell in re.findall(r"<td[^>]*>.*?</td>", row, flags=re.S)
        ]
        assert str(wave.pk) in cells

    def test_open_now_and_close_now(self, client, superuser, wave_for, staff):
        wave = wave_for(make_survey(), opens_at=timezone.now() + dt.timedelta(days=3))
        client.force_login(superuser)
        listing = client.get("/admin/snippets/surveys/wave/").content.decode()
        assert f"/admin/snippets/surveys/wave/open/{wave.pk}/" in listing
        confirm = client.get(f"/admin/snippets/surveys/wave/open/{wave.pk}/")
        assert confirm.status_code == 200
        client.post(f"/admin/snippets/surveys/wave/open/{wave.pk}/")
        wave.refresh_from_db()
        assert wave.phase() == WavePhase.OPEN
        client.post(f"/admin/snippets/surveys/wave/close/{wave.pk}/")
        wave.refresh_from_db()
        assert wave.phase() == WavePhase.CLOSED
        logged = AuditEntry.objects.filter(wave_id=wave.pk).order_by("pk")
        assert [(e.action, e.channel, e.user) for e in logged] == [
            ("wave-open", "admin", superuser),
            ("wave-close", "admin", superuser),
        ]

    def test_a_management_command_is_audited_without_a_person(self, wave_for, staff):
        from django.core.management import call_command

        wave = wave_open(wave=wave_for(make_survey()))
        call_command("invite", "--wave", str(wave.pk), stdout=io.StringIO())
        logged = AuditEntry.objects.filter(wave_id=wave.pk).order_by("pk")
        assert [(e.action, e.channel, e.user) for e in logged] == [
            ("wave-open", "command", None),
            ("invite", "command", None),
        ]
        assert logged[1].detail == "new=6"

    def test_open_now_warns_of_missing_translations(
        self, client, superuser, wave_for, staff
    ):
        from ownership.models import Employee

        wave = wave_for(make_survey(), opens_at=timezone.now() + dt.timedelta(days=3))
        audience = wave.audience_employees().order_by("pk")
        Employee.objects.filter(pk__in=audience.values("pk")).update(language="en")
        client.force_login(superuser)
        path = f"/admin/snippets/surveys/wave/open/{wave.pk}/"
        assert "no published translation" not in client.get(path).content.decode()

        first, second = audience[:2]
        Employee.objects.filter(pk=first.pk).update(language="de")
        Employee.objects.filter(pk=second.pk).update(language="nl")
        assert wave.untranslated_languages() == ["de", "nl"]
        confirm = html.unescape(client.get(path).content.decode())
        assert "has no published translation into German, Dutch" in confirm
        done = client.post(path, follow=True)
        shown = [str(m) for m in done.context["messages"]]
        assert any("German, Dutch" in m and "English" in m for m in shown), shown
        wave.refresh_from_db()
        assert wave.phase() == WavePhase.OPEN

    def test_open_now_reports_the_problem(self, client, superuser, wave_for):
        wave = wave_for(make_survey(questions=[]))
        client.force_login(superuser)
        response = client.post(
            f"/admin/snippets/surveys/wave/open/{wave.pk}/", follow=True
        )
        assert "Survey: The survey has no questions." in response.content.decode()
        wave.refresh_from_db()
        assert not wave.is_frozen

    def test_frozen_wave_keeps_its_questions_and_audience(
        self, client, superuser, wave_for, staff, org
    ):
        page = make_survey()
        wave = wave_open(wave=wave_for(page))
        client.force_login(superuser)
        other = make_survey(slug="other", title="Other")
        form = self._form(other, org, audience=[org["sales"].pk], min_group_size="6")
        form["opens_at"] = timezone.localtime(wave.opens_at).strftime("%Y-%m-%d %H:%M")
        response = client.post(f"/admin/snippets/surveys/wave/edit/{wave.pk}/", form)
        assert response.status_code == 302, response.content.decode()[:3000]
        wave.refresh_from_db()
        assert wave.survey_id == page.pk
        assert list(wave.audience.all()) == [org["claims"]]
        assert wave.min_group_size == 6

    def test_editors_without_wave_permission_are_refused(
        self, client, wave_for, department_head
    ):
        wave = wave_for(make_survey())
        client.force_login(department_head)
        assert (
            client.post(f"/admin/snippets/surveys/wave/open/{wave.pk}/").status_code
            == 403
        )


@pytest.mark.django_db
class TestOpenDueWaves:
    def test_opens_the_prepared_wave_when_its_time_comes(
        self, wave_for, staff, django_capture_on_commit_callbacks
    ):
        from io import StringIO

        from django.core import mail
        from django.core.management import call_command

        first = wave_for(make_survey(), repeat_every_weeks=1)
        wave_open(wave=first)
        following = Wave.objects.get(follows=first)
        out = StringIO()
        call_command("open_due_waves", stdout=out)
        assert "No prepared wave is due." in out.getvalue()
        Wave.objects.filter(pk=following.pk).update(
            opens_at=timezone.now() - dt.timedelta(minutes=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            call_command("open_due_waves", stdout=out)
        following.refresh_from_db()
        assert following.phase() == WavePhase.OPEN
        assert "opened, 6 invitation(s) sent." in out.getvalue()
        assert len(mail.outbox) == 6


@pytest.mark.django_db
class TestInvitationEmail:
    def send(self, wave, capture):
        from django.core import mail

        from surveys.services import invitations_issue

        with capture(execute=True):
            invitations_issue(wave=wave_open(wave=wave), send=True)
        return mail.outbox

    def test_text_is_not_html_escaped(
        self, wave_for, staff, django_capture_on_commit_callbacks
    ):
        page = make_survey(title='R&D <Pulse> "2026"')
        (message, *_) = self.send(wave_for(page), django_capture_on_commit_callbacks)
        assert 'R&D <Pulse> "2026"' in message.subject
        assert 'R&D <Pulse> "2026"' in message.body
        assert "&amp;" not in message.subject + message.body
        assert "&lt;" not in message.body and "&quot;" not in message.body

    @pytest.mark.parametrize(
        ("questions", "promise"),
        [
            # one statement: 10 s
            ([likert("FR-1")], "takes about a minute."),
            # three statements and an allocation: 30 + 60 s
            (None, "takes about 2 minutes."),
            # twelve statements, the allocation and a comment: 120 + 60 + 45 s
            (
                [likert(f"{c}-{i}") for c in ("FR", "PO", "DL") for i in range(1, 5)]
                + [
                    {
                        "type": "allocation",
                        "value": {"text": "Who?", "help": "", "loci": ["me", "cco"]},
                    },
                    {"type": "free_text", "value": {"text": "Anything else?"}},
                ],
                "takes about 4 minutes.",
            ),
        ],
    )
    def test_time_is_estimated_from_the_questions(
        self, wave_for, staff, django_capture_on_commit_callbacks, questions, promise
    ):
        (message, *_) = self.send(
            wave_for(make_survey(questions)), django_capture_on_commit_callbacks
        )
        assert promise in message.body
        assert "five minutes" not in message.body


@pytest.mark.django_db
class TestInviteAndRemindFromTheAdmin:
    def test_invite_then_remind(
        self, client, superuser, wave_for, staff, django_capture_on_commit_callbacks
    ):
        from django.core import mail

        from surveys.models import Invitation

        wave = wave_open(wave=wave_for(make_survey()))
        client.force_login(superuser)
        listing = client.get("/admin/snippets/surveys/wave/").content.decode()
        assert f"/admin/snippets/surveys/wave/invite/{wave.pk}/" in listing
        assert f"/admin/snippets/surveys/wave/remind/{wave.pk}/" in listing
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                f"/admin/snippets/surveys/wave/invite/{wave.pk}/", follow=True
            )
        assert "6 new invitations for" in done.content.decode()
        assert Invitation.objects.filter(wave=wave).count() == 6
        assert len(mail.outbox) == 6
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/admin/snippets/surveys/wave/remind/{wave.pk}/")
        assert len(mail.outbox) == 6
        assert all(m.subject.startswith("Reminder") for m in mail.outbox)

        # Once someone has answered, they hear nothing more; the admin is not
        # told how many were reminded (two counts would tell who answered).
        from surveys.services import response_submit

        answered = Invitation.objects.filter(wave=wave).order_by("pk").first()
        question = wave.snapshot["questions"][0]["id"]
        response_submit(token=answered.token, answers={question: 4})
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                f"/admin/snippets/surveys/wave/remind/{wave.pk}/", follow=True
            )
        assert len(mail.outbox) == 5
        assert answered.employee.email not in {m.to[0] for m in mail.outbox}
        logged = AuditEntry.objects.filter(wave_id=wave.pk, user=superuser)
        assert list(logged.order_by("pk").values_list("action", "detail")) == [
            ("invite", "new=6"),
            ("remind", ""),
            ("remind", ""),
        ]
        text = html.unescape(done.content.decode())
        said = re.search(r"Reminders for [^<]*", text).group(0).strip()
        assert said == (
            f"Reminders for '{wave.label}' are being sent to everyone who has "
            "not answered yet."
        )

    def test_cannot_invite_to_a_draft(self, client, superuser, wave_for, staff):
        wave = wave_for(make_survey())
        client.force_login(superuser)
        page = client.post(
            f"/admin/snippets/surveys/wave/invite/{wave.pk}/", follow=True
        )
        assert "Open the wave before inviting people." in page.content.decode()


@pytest.mark.django_db
class TestSurveyEditors:
    def test_editors_author_surveys_and_waves_but_see_no_results(self, client):
        from django.contrib.auth.models import Group

        from tests.factories import UserFactory

        editor = UserFactory(username="eddie.editor")
        editor.groups.add(Group.objects.get(name="Survey editors"))
        client.force_login(editor)
        home = HomePage.objects.get(locale__language_code="en")
        assert (
            client.get(f"/admin/pages/add/surveys/surveypage/{home.pk}/").status_code
            == 200
        )
        assert client.get("/admin/snippets/surveys/wave/add/").status_code == 200
        assert client.get("/admin/snippets/surveys/construct/").status_code == 200
        assert client.get("/admin/results/heatmap/").status_code == 403


@pytest.mark.django_db
class TestDefaultPulse:
    def test_balanced_keying_and_no_item_that_presumes_a_cco(self):
        from surveys.defaults import DEFAULT_ITEMS, survey_create_default
        from surveys.item_bank import item_bank

        page = survey_create_default()
        bank = {item["id"]: item for item in item_bank()["items"]}
        asked = [
            block.value["bank_item"]
            for block in page.questions
            if block.block_type == "likert"
        ]
        assert asked == list(DEFAULT_ITEMS) and len(asked) == 20
        by_construct: dict[str, list[dict]] = {}
        for item_id in asked:
            by_construct.setdefault(bank[item_id]["construct"], []).append(
                bank[item_id]
            )
        assert len(by_construct) == 8
        for construct, items in by_construct.items():
            # One reverse-keyed statement among three counters acquiescence.
            # Delegation is itself the attitude the pulse hopes to see fall;
            # its reverse-keyed statement names the CCO, so it has none.
            if len(items) >= 3 and construct != "delegation-to-owner":
                assert sum(i["reverse_keyed"] for i in items) == 1, construct
        # The pulse runs before and after a CCO is appointed: no item names one,
        # in any language.
        for item_id in asked:
            for text in bank[item_id]["text"].values():
                assert "CCO" not in text, item_id
        # Every translation asks the same items in the same blocks.
        for translation in SurveyPage.objects.filter(
            translation_key=page.translation_key
        ).exclude(pk=page.pk):
            assert [b.id for b in translation.questions] == [
                b.id for b in page.questions
            ]
            assert [
                b.value["bank_item"]
                for b in translation.questions
                if b.block_type == "likert"
            ] == asked

    def test_a_wave_of_it_requires_responsibility_ownership_and_the_allocation(
        self, wave_for, staff
    ):
        """Felt responsibility (FR-*), psychological ownership (PO-*) and the
        100-point allocation are what the pulse exists to measure: a wave's
        snapshot marks them, and only them, required."""
        from surveys.defaults import survey_create_default
        from surveys.validation import AnswerErrors, validate_answers

        wave = wave_open(wave=wave_for(survey_create_default()))
        questions = wave.snapshot["questions"]
        required = {q["id"] for q in questions if q["required"]}
        likert = [q for q in questions if q["type"] == "likert"]
        expected = {q["id"] for q in likert if q["item"].startswith(("FR-", "PO-"))} | {
            q["id"] for q in questions if q["type"] == "allocation"
        }
        assert required == expected
        assert len(required) == 7
        assert {q["item"] for q in likert if q["required"]} == {
            "FR-1",
            "FR-2",
            "FR-4",
            "PO-1",
            "PO-3",
            "PO-4",
        }
        assert not any(
            q["required"]
            for q in questions
            if q["type"] in ("recommendation", "primary_owner", "free_text")
        )

        # Answering anything else but them is refused, naming each of them.
        (recommendation,) = [q for q in questions if q["type"] == "recommendation"]
        with pytest.raises(AnswerErrors) as refused:
            validate_answers(wave.snapshot, {recommendation["id"]: 7})
        assert set(refused.value.errors) == required
        assert set(refused.value.errors.values()) == {"This question needs an answer."}
        # Answering just them is enough.
        (allocation,) = [q for q in questions if q["type"] == "allocation"]
        answers = dict.fromkeys(required - {allocation["id"]}, 3)
        answers[allocation["id"]] = {allocation["loci"][0]: 100}
        clean = validate_answers(wave.snapshot, answers)
        assert len(clean.numeric) == 6 and len(clean.allocations) == 8
