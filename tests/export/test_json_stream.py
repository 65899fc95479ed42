"""``write_json`` writes the same bytes as ``dumps``, in pieces, links a batch at a time."""

from __future__ import annotations

import io
import json

import orjson
import pytest

from storylens.export import json_export
from tests.ui.support import demo_comparison


class Recorder(io.BytesIO):
    """A stream that counts the writes it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        self.writes += 1
        return super().write(data)


@pytest.mark.parametrize("batch", [1, 3, 50_000])
def test_written_in_pieces_as_one_document(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    c = demo_comparison()
    monkeypatch.setattr(json_export, "LINKS_PER_PIECE", batch)
    out = Recorder()
    json_export.write_json(c, out)
    data = out.getvalue()
    # The same bytes as one orjson call over the whole tree (and as dumps()).
    whole = orjson.dumps(
        json_export._tree(c),
        default=json_export._default,
        option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS,
    )
    assert data == json_export.terminal_safe(whole) == json_export.dumps(c)
    assert len(json.loads(data)["links"]) == len(c.links) > 3
    # Links come a batch at a time, never all in one piece when there are more.
    batches = -(-len(c.links) // batch)
    assert out.writes >= 2 * len(json_export._tree(c)) + batches
