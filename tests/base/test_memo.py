"""base.memo on its own: each request gets its own copy, values belong to one content generation, and the
memo stays within its size."""

import threading
from types import SimpleNamespace

from django.test import override_settings

from base import memo


def request_in(generation):
    return SimpleNamespace(_content_generation=generation)


@override_settings(SITE_MEMO=True)
def test_each_request_gets_its_own_copy_of_a_value_from_the_same_generation():
    calls = []

    def compute():
        calls.append(1)
        return {"links": ["/bristol/"]}

    first = memo.remember(request_in(1), "menu", compute)
    first["links"].append("changed by the first request")
    second = memo.remember(request_in(1), "menu", compute)
    assert second == {"links": ["/bristol/"]} and len(calls) == 1
    second["links"].clear()
    assert memo.remember(request_in(1), "menu", compute) == {"links": ["/bristol/"]}


@override_settings(SITE_MEMO=True)
def test_a_new_generation_or_an_expired_value_is_worked_out_again():
    assert memo.remember(request_in(1), "n", lambda: "old") == "old"
    assert memo.remember(request_in(2), "n", lambda: "new") == "new"
    assert memo.remember(request_in(2), "n", lambda: "newer", seconds=0) == "new"  # still fresh
    memo.remember(request_in(2), "short", lambda: "a", seconds=0)
    assert memo.remember(request_in(2), "short", lambda: "b") == "b"  # lived 0 seconds


@override_settings(SITE_MEMO=True)
def test_nothing_is_remembered_without_a_generation_or_when_told_not_to_keep_it():
    assert memo.remember(request_in(None), "n", lambda: 1) == 1
    assert memo.remember(request_in(None), "n", lambda: 2) == 2
    assert memo.remember(request_in(1), "search", lambda: "unavailable", keep=lambda value: value != "unavailable")
    assert memo.remember(request_in(1), "search", lambda: "found") == "found"
    lock = threading.Lock()  # cannot be pickled: used, not remembered
    assert memo.remember(request_in(1), "lock", lambda: lock) is lock
    assert memo.remember(request_in(1), "lock", lambda: "again") == "again"


@override_settings(SITE_MEMO=False)
def test_off_it_always_works_the_value_out():
    assert memo.remember(request_in(1), "n", lambda: 1) == 1
    assert memo.remember(request_in(1), "n", lambda: 2) == 2


@override_settings(SITE_MEMO=True)
def test_past_its_size_the_memo_starts_again(monkeypatch):
    monkeypatch.setattr(memo, "MAX_BYTES", 3000)
    for n in range(3):
        memo.remember(request_in(1), n, lambda: "x" * 1000)
    assert list(memo._values) == [2]  # the third would have passed 3,000 bytes: the memo started again with it
    assert memo._size["bytes"] == sum(len(value[2]) for value in memo._values.values())


@override_settings(SITE_MEMO=True)
def test_a_shared_value_is_the_same_object_in_one_generation_and_worked_out_again_in_the_next():
    table = memo.shared(request_in(1), "facts", lambda: {1: ("bristol",)})
    assert memo.shared(request_in(1), "facts", lambda: {}) is table
    assert memo.shared(request_in(2), "facts", lambda: {2: ("leeds",)}) == {2: ("leeds",)}
    assert memo.shared(request_in(None), "facts", lambda: "no generation") == "no generation"
    with override_settings(SITE_MEMO=False):
        assert memo.shared(request_in(2), "facts", lambda: "memo off") == "memo off"
    memo.forget_all()
    assert memo.shared(request_in(2), "facts", lambda: "forgotten") == "forgotten"


@override_settings(SITE_MEMO=True)
def test_shared_values_are_limited_in_number(monkeypatch):
    monkeypatch.setattr(memo, "MAX_SHARED", 3)
    for n in range(3):
        memo.shared(request_in(1), n, lambda n=n: n)
    assert memo.shared(request_in(1), 0, lambda: "again") == 0
    memo.shared(request_in(1), "fourth", lambda: 4)  # past the limit: the memo starts again
    assert memo.shared(request_in(1), 0, lambda: "again") == "again"


@override_settings(SITE_MEMO=True)
def test_kept_values_are_added_one_by_one_within_their_limit_and_belong_to_one_generation():
    cards = memo.kept(request_in(1), "cards", limit=3)
    cards.update({1: "one", 2: "two"})
    assert memo.kept(request_in(1), "cards", limit=3).get(2) == "two"
    cards.update({3: "three", 4: "four"})  # past the limit: started again with the new ones
    assert [cards.get(n) for n in (1, 2, 3, 4)] == [None, None, "three", "four"]
    assert memo.kept(request_in(2), "cards", limit=3).get(3) is None  # something was published
    assert memo.kept(request_in(None), "cards", limit=3) is None  # no generation: make every value
