"""A mail attachment's bytes (server.mail.attachments says who may fetch them)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from deskterm.server.deps import CallerDep, DatabaseDep
from deskterm.server.mail.attachments import attachment_file
from deskterm.server.routes.problems import AUTHENTICATED, problems

router = APIRouter(prefix="/api/v1", tags=["mail"])


@router.get("/attachments/{attachment_id}", response_class=Response,
            summary="Download a mail attachment's bytes",
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "The attachment's bytes; its name in "
                                            "Content-Disposition, its type in "
                                            "X-Attachment-Type"},
                       **problems(*AUTHENTICATED, 404, 422)})
def get_attachment(attachment_id: str, caller: CallerDep, db: DatabaseDep) -> Response:
    found = attachment_file(db, caller, attachment_id)
    # Always sent as octet-stream, never as the type the mail claimed: a browser pointed
    # at it must not render a customer's HTML as the server's own page.
    return Response(found.data, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
        "X-Attachment-Type": found.content_type,
        "X-Content-Type-Options": "nosniff"})
