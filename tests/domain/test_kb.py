"""The conflict copy of an article keeps within the article's own field rules."""

from __future__ import annotations

from deskterm.domain.kb import CONFLICT_COPY_TAG, conflict_copy
from deskterm.sync.codec import decode_fields


def test_a_conflict_copy_is_marked_in_its_title_and_tags() -> None:
    assert conflict_copy("VPN drops", ["vpn", CONFLICT_COPY_TAG, "client"]) == (
        "VPN drops (conflict copy)", ["vpn", "client", CONFLICT_COPY_TAG])


def test_the_copy_of_an_article_at_its_limits_is_one_every_replica_applies() -> None:
    """An article with the longest title and all its tags: the copy's title and tags
    pass the same check a replica applies a pulled change with."""
    title, tags = conflict_copy("t" * 200, [f"tag-{i}" for i in range(20)])
    assert len(title) == 200 and title.endswith(" (conflict copy)")
    assert tags == [*(f"tag-{i}" for i in range(19)), CONFLICT_COPY_TAG]
    decode_fields("kb_article", {"title": title, "tags": tags}, insert=False)
