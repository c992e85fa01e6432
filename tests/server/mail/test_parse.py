"""Reading mail: real messages' bytes, as mail clients and mail servers write them."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskterm.domain.mail import (
    ATTACHMENT_KEPT_LIMIT,
    BODY_LIMIT,
    FILENAME_LIMIT,
    SUBJECT_LIMIT,
)
from deskterm.server.mail.parse import (
    SUMMARY_LIMIT,
    MailKind,
    ParsedMail,
    is_ours,
    parse_mail,
)

FIXTURES = Path(__file__).with_name("fixtures")
CONTACT = "01890a5d-ac96-774b-bcce-b302099a8057"
OLDER_CONTACT = "01890a5d-0000-7000-8000-000000000001"


def mail(*lines: str | bytes) -> bytes:
    """A mail's bytes from its lines, joined with CRLF as on the wire."""
    return b"\r\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)


def plain(*headers: str | bytes, body: str | bytes = "Hello desk") -> bytes:
    return mail("From: Jan de Vries <jan@example.nl>", "To: desk@example.com",
                "Date: Tue, 03 Jun 2025 10:00:00 +0200", "Message-ID: <m1@example.nl>",
                *headers, "", body)


# --- plain, HTML, alternative -------------------------------------------------------------

def test_a_plain_mail_is_read_whole() -> None:
    parsed = parse_mail(plain("Subject: Printer on fire",
                              body="Hi,\r\n\r\nThe printer on floor 2 is on fire.\r\n\r\nJan"))

    assert parsed.kind is MailKind.NORMAL
    assert parsed.problem is None
    assert parsed.from_address == "jan@example.nl"
    assert parsed.from_name == "Jan de Vries"
    assert parsed.to == ("desk@example.com",)
    assert parsed.subject == "Printer on fire"
    assert parsed.text == "Hi,\n\nThe printer on floor 2 is on fire.\n\nJan"
    assert parsed.summary == "Hi,\nThe printer on floor 2 is on fire.\nJan"
    assert parsed.message_id == "<m1@example.nl>"
    assert parsed.sent_at == datetime(2025, 6, 3, 8, 0, tzinfo=UTC)
    assert parsed.attachments == ()
    assert parsed.ticket_key is None
    assert parsed.contact_ids == ()


def test_an_html_only_mail_reads_as_text() -> None:
    html = ("<html><head><title>Mail</title><style>p {color: red}</style>"
            "<script>alert('x')</script></head><body>"
            "<p>Beste   desk,</p><p>Mijn bestelling&nbsp;is &eacute;&eacute;n dag te laat &amp; "
            "kapot.<br>Tweede regel.</p>"
            "<ul><li>een scherm</li><li>een <b>kabel</b></li></ul>"
            "<ol><li>eerst</li></ol>"
            '<p>Zie <a href="https://shop.example.nl/order/7">mijn bestelling</a> of '
            '<a href="mailto:jan@example.nl">jan@example.nl</a>.'
            '<a href="javascript:evil()">klik</a></p>'
            "<div>Groet,</div><div>Jan</div></body></html>")
    parsed = parse_mail(plain("Subject: Laat", "Content-Type: text/html; charset=utf-8",
                              body=html))

    assert parsed.text == (
        "Beste desk,\n\n"
        "Mijn bestelling is één dag te laat & kapot.\nTweede regel.\n\n"
        "- een scherm\n- een kabel\n\n"
        "- eerst\n\n"
        "Zie mijn bestelling (https://shop.example.nl/order/7) of jan@example.nl.klik\n\n"
        "Groet,\nJan")
    assert "alert" not in parsed.text and "color" not in parsed.text
    assert parsed.attachments == ()


def test_alternative_prefers_the_plain_text() -> None:
    raw = plain(
        "Subject: Both", "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="alt"',
        body="--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe plain words\r\n"
             "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The <b>HTML</b></p>\r\n"
             "--alt--\r\n")
    parsed = parse_mail(raw)

    assert parsed.text == "The plain words"
    assert parsed.attachments == ()


def test_nested_related_html_with_an_inline_image() -> None:
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(200)
    body = (
        "--mixed\r\nContent-Type: multipart/related; boundary=rel\r\n\r\n"
        "--rel\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n"
        "--alt\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        '<p>Foto van het caf=E9:</p><img src=3D"cid:img1">\r\n'
        "--alt--\r\n"
        "--rel\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\n"
        "Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(png).decode().replace("\n", "\r\n") +
        "--rel--\r\n--mixed--\r\n")
    parsed = parse_mail(plain("Subject: Foto", "Content-Type: multipart/mixed; boundary=mixed",
                              body=body))

    assert parsed.text == "Foto van het café:"
    [image] = parsed.attachments
    assert (image.filename, image.content_type, image.size) == ("image.png", "image/png", 208)
    assert image.data == png
    assert image.sha256 == hashlib.sha256(png).hexdigest()


def test_a_forwarded_mail_is_an_attachment() -> None:
    forwarded = mail("From: klant@example.org", "Subject: Originele vraag", "",
                     "Waar blijft mijn pakket?")
    raw = plain("Subject: Fwd: Originele vraag", "Content-Type: multipart/mixed; boundary=F",
                body=b"--F\r\nContent-Type: text/plain\r\n\r\nZie hieronder.\r\n"
                     b"--F\r\nContent-Type: message/rfc822\r\n\r\n" + forwarded +
                     b"\r\n--F--\r\n")
    parsed = parse_mail(raw)

    assert parsed.text == "Zie hieronder."
    [attached] = parsed.attachments
    assert attached.filename == "Originele vraag.eml"
    assert attached.content_type == "message/rfc822"
    assert attached.data is not None
    assert b"Waar blijft mijn pakket?" in attached.data
    assert b"Subject: Originele vraag" in attached.data


# --- attachments -------------------------------------------------------------------------

def _with_attachment(data: bytes, disposition: str, content_type: str = "application/pdf"
                     ) -> bytes:
    encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")
    return plain("Subject: Factuur", "Content-Type: multipart/mixed; boundary=B",
                 body=b"--B\r\nContent-Type: text/plain\r\n\r\nIn de bijlage.\r\n"
                      b"--B\r\nContent-Type: " + content_type.encode() + b"\r\n"
                      b"Content-Disposition: " + disposition.encode() + b"\r\n"
                      b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--B--\r\n")


def test_an_attachment_is_kept_with_its_size_and_hash() -> None:
    data = os.urandom(5000)
    parsed = parse_mail(_with_attachment(data, 'attachment; filename="factuur 2025.pdf"'))

    assert parsed.text == "In de bijlage."
    [attachment] = parsed.attachments
    assert attachment.filename == "factuur 2025.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == 5000
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.data == data


def test_a_20_mb_attachment_is_listed_not_kept_and_parsing_stays_fast() -> None:
    data = os.urandom(20 * 1024 * 1024)
    raw = _with_attachment(data, "attachment; filename=backup.zip", "application/zip")

    started = time.perf_counter()
    parsed = parse_mail(raw)
    elapsed = time.perf_counter() - started

    [attachment] = parsed.attachments
    assert attachment.size == len(data) > ATTACHMENT_KEPT_LIMIT
    assert attachment.data is None
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.text == "In de bijlage."
    assert elapsed < 10, f"parsing a 20 MB mail took {elapsed:.1f} s"


@pytest.mark.parametrize(("disposition", "expected"), [
    ('attachment; filename="../../etc/passwd"', "_.._etc_passwd"),
    ('attachment; filename="C:\\\\Windows\\\\evil.exe"', "C:_Windows_evil.exe"),
    ('attachment; filename="a\tb\x01c.pdf"', "a bc.pdf"),
    ('attachment; filename=".."', "attachment.pdf"),
    ('attachment; filename="=?utf-8?q?factuur=E2=80=AEfdp.exe?="', "factuurfdp.exe"),
    ("attachment", "attachment.pdf"),
    ("attachment; filename=\"=?utf-8?q?r=C3=A9sum=C3=A9.pdf?=\"", "résumé.pdf"),
    ("attachment; filename*=utf-8''%C3%A9t%C3%A9.pdf", "été.pdf"),
    ('attachment; filename="' + "x" * 400 + '.pdf"', "x" * (FILENAME_LIMIT - 4) + ".pdf"),
])
def test_file_names_are_made_safe(disposition: str, expected: str) -> None:
    parsed = parse_mail(_with_attachment(b"%PDF-1.4", disposition))

    [attachment] = parsed.attachments
    assert attachment.filename == expected
    assert len(attachment.filename) <= FILENAME_LIMIT


# --- charsets and headers -----------------------------------------------------------------

def test_rfc_2047_subjects_in_several_charsets() -> None:
    # The blanks between two encoded words are not text (RFC 2047); between a word and
    # plain text they are.
    raw = plain("Subject: =?utf-8?B?w4lsw6lu?= en =?iso-8859-1?Q?caf=E9_au_lait?=\r\n"
                " =?windows-1252?q?=80_5?=")
    assert parse_mail(raw).subject == "Élén en café au lait€ 5"


def test_a_character_split_between_two_encoded_words_survives() -> None:
    # "é" is C3 A9 in UTF-8; here its two bytes are in two words.
    raw = plain("Subject: =?utf-8?q?caf=C3?= =?utf-8?q?=A9?=")
    assert parse_mail(raw).subject == "café"


def test_raw_8bit_headers_read_as_utf8_or_latin1() -> None:
    assert parse_mail(plain("Subject: caf\xc3\xa9".encode("latin-1"))).subject == "café"
    assert parse_mail(plain(b"Subject: caf\xe9")).subject == "café"


def test_an_unknown_charset_falls_back() -> None:
    raw = plain("Subject: =?x-klingon?q?Qapla=C3=A9?=",
                "Content-Type: text/plain; charset=x-klingon", body="Gr\xc3\xbc\xc3\x9fe".encode(
                    "latin-1"))
    parsed = parse_mail(raw)

    assert parsed.subject == "Qaplaé"
    assert parsed.text == "Grüße"


def test_a_wrong_charset_falls_back() -> None:
    # Declared UTF-8, written in Latin-1 (as old mail clients do).
    raw = plain("Subject: Factuur", "Content-Type: text/plain; charset=utf-8",
                body="Geachte heer, het bedrag is € 12 en de café is dicht".encode("cp1252"))
    assert parse_mail(raw).text == "Geachte heer, het bedrag is € 12 en de café is dicht"


def test_a_body_in_its_charset() -> None:
    raw = plain("Subject: x", "Content-Type: text/plain; charset=koi8-r",
                "Content-Transfer-Encoding: 8bit", body="Привет".encode("koi8-r"))
    assert parse_mail(raw).text == "Привет"


@pytest.mark.parametrize("subject", [
    "Subject: Hello\r\nBcc: victim@example.org",
    "Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@example.org?=",
    "Subject: =?utf-8?b?" + base64.b64encode(b"Hello\r\nBcc: victim@example.org").decode() + "?=",
    "Subject: Hello\u2028Bcc: victim@example.org\x00\x1b[31m",
])
def test_header_injection_in_the_subject_stays_on_one_line(subject: str) -> None:
    parsed = parse_mail(plain(subject))

    assert "\r" not in parsed.subject and "\n" not in parsed.subject
    assert "\x1b" not in parsed.subject and "\x00" not in parsed.subject
    assert parsed.subject.startswith("Hello")


def test_a_long_subject_is_cut() -> None:
    parsed = parse_mail(plain("Subject: " + "lang " * 200))
    assert len(parsed.subject) <= SUBJECT_LIMIT
    assert parsed.subject.startswith("lang lang")


def test_a_long_body_is_cut_with_a_note() -> None:
    parsed = parse_mail(plain("Subject: lang", body=("regel " * 20 + "\r\n") * 2000))
    assert len(parsed.text) <= BODY_LIMIT
    assert parsed.text.endswith("more characters.]")
    assert len(parsed.summary) <= SUMMARY_LIMIT


def test_a_thousand_recipients() -> None:
    to = ", ".join(f'"Person {n}" <person{n}@Example.org>' for n in range(1000))
    parsed = parse_mail(mail("From: jan@example.nl", "To: " + to,
                             "Cc: desk@example.com, person1@example.org", "Subject: Allen",
                             "", "Hoi"))
    assert len(parsed.to) == 1001
    assert parsed.to[0] == "person0@example.org"
    assert parsed.to[-1] == "desk@example.com"
    assert parsed.kind is MailKind.NORMAL


# --- broken MIME --------------------------------------------------------------------------

def test_a_multipart_without_its_boundary_keeps_its_text() -> None:
    raw = plain("Subject: broken", "Content-Type: multipart/mixed",
                body="--zzz\r\nContent-Type: text/plain\r\n\r\nDe tekst\r\n--zzz--")
    parsed = parse_mail(raw)
    assert parsed.kind is MailKind.NORMAL
    assert "De tekst" in parsed.text


def test_a_truncated_mail_keeps_what_arrived() -> None:
    data = os.urandom(3000)
    raw = _with_attachment(data, "attachment; filename=half.bin")
    parsed = parse_mail(raw[:len(raw) // 2])

    assert parsed.kind is MailKind.NORMAL
    assert parsed.text == "In de bijlage."
    [attachment] = parsed.attachments
    assert attachment.filename == "half.bin"
    assert 0 < attachment.size < len(data)


def test_broken_base64_and_a_broken_date() -> None:
    raw = mail("From: jan@example.nl", "Subject: x", "Date: gisteren rond twaalf",
               "Content-Transfer-Encoding: base64", "", "!!!not base64***")
    parsed = parse_mail(raw)
    assert parsed.kind is MailKind.NORMAL
    assert parsed.sent_at is None


def test_a_date_without_a_zone_is_read_as_utc() -> None:
    parsed = parse_mail(plain("Subject: x", body="x").replace(
        b"Tue, 03 Jun 2025 10:00:00 +0200", b"Tue, 03 Jun 2025 10:00:00 -0000"))
    assert parsed.sent_at == datetime(2025, 6, 3, 10, 0, tzinfo=UTC)


def test_deeply_nested_multiparts_do_not_break_the_parser() -> None:
    depth = 300
    opening = "".join(f"--b{n}\r\nContent-Type: multipart/mixed; boundary=b{n + 1}\r\n\r\n"
                      for n in range(depth))
    closing = "".join(f"--b{n}--\r\n" for n in reversed(range(depth)))
    raw = plain("Subject: diep", "Content-Type: multipart/mixed; boundary=b0",
                body=opening + f"--b{depth}\r\nContent-Type: text/plain\r\n\r\nbodem\r\n"
                     + f"--b{depth}--\r\n" + closing)
    parsed = parse_mail(raw)
    assert isinstance(parsed, ParsedMail)
    assert parsed.subject == "diep"


def test_parameters_the_library_cannot_read_are_read_anyway() -> None:
    # A NUL in an RFC 2231 charset makes the standard library raise on the part.
    raw = plain("Subject: x", "Content-Type: multipart/mixed; boundary=B", body=(
        b"--B\r\nContent-Type: text/plain; charset*=u\x00tf-8''x\r\n\r\nTekst \xe9\r\n"
        b"--B\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=u\x00tf-8''rapport%20%C3%A9.pdf\r\n\r\n"
        b"%PDF\r\n--B--\r\n"))
    parsed = parse_mail(raw)

    assert parsed.kind is MailKind.NORMAL
    assert parsed.text == "Tekst é"
    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.data) == ("rapport é.pdf", b"%PDF")


@pytest.mark.parametrize("html", [
    "<?" * 500_000, "<![CDATA[" * 100_000, "<!" * 500_000, "<!--" + "x" * 1_000_000,
    "<p " + "a=b " * 200_000, "<" * 500_000, "<div>" * 200_000 + "bodem"],
    ids=["processing-instructions", "cdata", "declarations", "open-comment", "attributes",
         "angles", "nested-divs"])
def test_html_made_to_be_slow_is_read_quickly(html: str) -> None:
    started = time.perf_counter()
    parsed = parse_mail(plain("Subject: x", "Content-Type: text/html", body=html))
    elapsed = time.perf_counter() - started

    assert parsed.kind is MailKind.NORMAL
    assert len(parsed.text) <= BODY_LIMIT
    assert elapsed < 10, f"reading the HTML took {elapsed:.1f} s"


def test_many_parts_are_read_quickly_and_listed_up_to_a_limit() -> None:
    parts = b"--B\r\nContent-Type: image/png\r\n\r\nx\r\n" * 20_000
    started = time.perf_counter()
    parsed = parse_mail(plain("Subject: x", "Content-Type: multipart/mixed; boundary=B",
                              body=parts + b"--B--\r\n"))
    elapsed = time.perf_counter() - started

    assert 1000 <= len(parsed.attachments) < 20_000
    assert elapsed < 10, f"reading 20,000 parts took {elapsed:.1f} s"


# --- kinds --------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    "Auto-Submitted: auto-replied",
    "Auto-Submitted: auto-generated; owner-email=x@example.nl",
    "X-Autoreply: yes",
    "X-Autorespond: Out of office",
    "Precedence: auto_reply",
    "Precedence: bulk",
    "Precedence: junk",
    "Precedence: list",
    "X-Auto-Response-Suppress: All\r\nAuto-Submitted: no",
    "Subject: Automatic reply: your question",
    "Subject: Auto: Printer",
    "Subject: Out of Office until Monday",
    "Subject: Afwezig: je vraag",
    "Subject: Automatisch antwoord: Printer",
])
def test_auto_replies_are_recognised(header: str) -> None:
    headers = [header] if header.startswith("Subject:") else [header, "Subject: Re: Printer"]
    assert parse_mail(plain(*headers)).kind is MailKind.AUTO_REPLY


@pytest.mark.parametrize("header", [
    "Auto-Submitted: no", "X-Auto-Response-Suppress: All", "Subject: About my auto insurance"])
def test_a_person_s_mail_is_not_an_auto_reply(header: str) -> None:
    headers = [header] if header.startswith("Subject:") else [header, "Subject: Printer"]
    assert parse_mail(plain(*headers)).kind is MailKind.NORMAL


def test_a_delivery_status_report_is_a_bounce() -> None:
    raw = mail(
        "From: Mail Delivery System <mailer-daemon@mx.example.com>",
        "To: desk@example.com", "Subject: Undelivered Mail Returned to Sender",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="R"', "",
        "--R", "Content-Type: text/plain", "", "I'm sorry to have to inform you...",
        "--R", "Content-Type: message/delivery-status", "",
        "Reporting-MTA: dns; mx.example.com", "", "Final-Recipient: rfc822; nobody@example.org",
        "Action: failed", "Status: 5.1.1", "",
        "--R", "Content-Type: message/rfc822", "", "From: desk@example.com",
        "Subject: Re: [SD-7] Printer", "", "Our answer", "--R--", "")
    parsed = parse_mail(raw)

    assert parsed.kind is MailKind.BOUNCE
    assert parsed.text == "I'm sorry to have to inform you..."
    assert [a.content_type for a in parsed.attachments] == ["message/delivery-status",
                                                            "message/rfc822"]


@pytest.mark.parametrize("headers", [
    ("From: MAILER-DAEMON@example.com",),
    ("From: Postmaster <postmaster@example.com>",),
    ("From: jan@example.nl", "Return-Path: <>"),
])
def test_bounces_by_their_sender(headers: tuple[str, ...]) -> None:
    raw = mail(*headers, "Subject: Delivery failure", "", "Could not deliver")
    assert parse_mail(raw).kind is MailKind.BOUNCE


def test_our_own_mail_coming_back_is_a_loop() -> None:
    looped = parse_mail(plain("Subject: Re: [SD-7] Printer", "X-Deskterm-Loop: desk@example.com"))
    assert looped.kind is MailKind.LOOP
    assert is_ours(looped, set())

    from_us = parse_mail(mail("From: Service Desk <Desk@Example.com>", "Subject: hi", "", "x"))
    assert from_us.kind is MailKind.NORMAL
    assert is_ours(from_us, {"desk@example.com"})
    assert is_ours(from_us, {"DESK@example.com "})
    assert not is_ours(from_us, {"other@example.com"})
    assert not is_ours(parse_mail(plain("Subject: hi")), {"desk@example.com"})


@pytest.mark.parametrize("from_header", [None, "From: ", "From: Jan de Vries", "From: <>",
                                         "From: undisclosed-recipients:;"])
def test_a_mail_without_a_sender_is_unreadable_and_says_why(from_header: str | None) -> None:
    lines = [from_header] if from_header is not None else []
    parsed = parse_mail(mail(*lines, "To: desk@example.com", "Subject: Wie ben ik",
                             "", "Tekst"))
    assert parsed.kind is MailKind.UNREADABLE
    assert parsed.problem is not None and "From" in parsed.problem
    assert parsed.subject == "Wie ben ik"
    assert parsed.text == "Tekst"


def test_an_address_with_control_characters_is_no_address() -> None:
    parsed = parse_mail(mail("From: jan\x01@example.nl", "Subject: x", "", "x"))
    assert parsed.kind is MailKind.UNREADABLE
    assert parsed.from_address is None


def test_empty_bytes_are_unreadable() -> None:
    parsed = parse_mail(b"")
    assert parsed.kind is MailKind.UNREADABLE
    assert parsed.problem == "The message is empty."


# --- threading ----------------------------------------------------------------------------

@pytest.mark.parametrize(("subject", "key"), [
    ("Re: [SD-1042] Printer", "SD-1042"),
    ("Re: SD-7 and [SD-1042]", "SD-1042"),
    ("Re: about sd-42, thanks", "SD-42"),
    ("[SD-0] then SD-15", "SD-15"),
    ("Re: SD-99999999999999999999", None),
    ("XSD-12 or SD-12b", None),
    ("Re: SD-١٢", None),
    ("Printer", None),
])
def test_the_ticket_key_in_the_subject(subject: str, key: str | None) -> None:
    assert parse_mail(plain("Subject: " + subject)).ticket_key == key


def test_contact_ids_from_our_message_ids_newest_first() -> None:
    raw = plain(
        "Subject: Re: Printer",
        f"In-Reply-To: <{CONTACT}@desk.example.com>",
        f"References: <first@example.nl> <{OLDER_CONTACT}@desk.example.com>\r\n"
        f" <not-a-uuid@desk.example.com> <{CONTACT.upper()}@desk.example.com>")
    parsed = parse_mail(raw)

    assert parsed.in_reply_to == f"<{CONTACT}@desk.example.com>"
    assert parsed.references == ("<first@example.nl>", f"<{OLDER_CONTACT}@desk.example.com>",
                                 "<not-a-uuid@desk.example.com>",
                                 f"<{CONTACT.upper()}@desk.example.com>")
    assert parsed.contact_ids == (CONTACT, OLDER_CONTACT)


# --- fixtures from real mail clients -------------------------------------------------------

def test_an_outlook_html_mail_with_its_out_of_office() -> None:
    parsed = parse_mail((FIXTURES / "outlook_ooo.eml").read_bytes())
    assert parsed.kind is MailKind.AUTO_REPLY
    assert parsed.subject == "Automatisch antwoord: Uw bestelling SD-310"
    assert parsed.ticket_key == "SD-310"
    assert "ben afwezig tot en met 14 juni" in parsed.text
    assert "<" not in parsed.text


# --- any bytes ----------------------------------------------------------------------------

_HEADER_LINES = st.sampled_from([
    b"From: jan@example.nl", b"From: =?utf-8?q?=C3=A9?= <a@b>", b"Subject: =?x?q?=FF?=",
    b"Subject: \xff\xfe", b"Content-Type: multipart/mixed; boundary=B",
    b"Content-Type: multipart/alternative; boundary=\"B\"", b"Content-Type: text/html",
    b"Content-Type: text/plain; charset=utf-16", b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: quoted-printable", b"--B", b"--B--", b"",
    b"Content-Disposition: attachment; filename*=x''%FF", b"Date: Mon, 99 Foo 99999 99:99",
    b"Message-ID: <>", b"References: <a@b> <<>>", b"Content-Type: message/rfc822",
    b"<html><p>x<a href=y>z", b"<![if !supportLists]>", b"Subject: a\rb\nc"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=2000),
                 st.lists(st.one_of(_HEADER_LINES, st.binary(max_size=40)), max_size=30)
                 .map(b"\r\n".join)))
def test_any_bytes_give_a_parsed_mail(raw: bytes) -> None:
    parsed = parse_mail(raw)

    assert isinstance(parsed, ParsedMail)
    assert "\r" not in parsed.subject and "\n" not in parsed.subject
    assert len(parsed.subject) <= SUBJECT_LIMIT
    assert len(parsed.text) <= BODY_LIMIT
    assert len(parsed.summary) <= SUMMARY_LIMIT
    assert (parsed.kind is MailKind.UNREADABLE) == (parsed.problem is not None)
    for text in (parsed.subject, parsed.text, parsed.summary, parsed.from_name or ""):
        text.encode("utf-8")  # no lone surrogates: every database takes it
