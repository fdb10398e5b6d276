"""The canonical JSON that every event's hash is made from stays byte for byte what
json.dumps(sort_keys, compact separators, UTF-8 kept, no NaN) writes: a kiosk's log and
the hub's copy of it must keep verifying, whichever side computed the hash and when."""

import hashlib
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.events import canonical_json, event_hash


def reference(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


text = st.text(st.characters(exclude_categories=("Cs",)))  # Thai, quotes, controls, emoji
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4))


@settings(max_examples=300)
@given(values)
def test_the_canonical_text_is_what_json_dumps_writes(value):
    assert canonical_json(value) == reference(value)


@given(st.tuples(st.integers(1, 2**53), text, text, text, text, text, st.integers(0, 1), st.none() | text, text))
def test_an_events_hash_is_the_sha256_of_that_text(fields):
    seq, id_, kiosk, at, kind, payload, flagged, reason, prev = fields
    body = reference([seq, id_, kiosk, at, kind, payload, flagged, reason, prev])
    assert event_hash(*fields) == hashlib.sha256(body.encode("utf-8")).hexdigest()


def test_what_json_dumps_refuses_it_refuses_alike():
    for bad in (math.nan, math.inf, {"x": object()}, {1.5j: 1}):
        with pytest.raises((ValueError, TypeError)) as ours:
            canonical_json(bad)
        with pytest.raises((ValueError, TypeError)) as theirs:
            reference(bad)
        assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)
    circular = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        canonical_json(circular)
