"""Tooltips that wrap: Qt shows a plain-text tooltip on one line, however long (the heat
map's was about 1,400 px wide), and wraps rich text at a readable width."""

from __future__ import annotations

import html


def wrapped_tip(text: str) -> str:
    """``text`` as a tooltip Qt wraps into a paragraph (rich text, escaped)."""
    return f"<p>{html.escape(text)}</p>"
