"""The storage interface: what goes in comes out whole, and no key leaves the storage's root."""

from __future__ import annotations

import pytest

from supervise.core.storage import LocalStorage, checked_key


def test_a_file_put_is_read_back_listed_and_deleted(tmp_path):
    store = LocalStorage(tmp_path)
    store.put("documents/sheet/12.pdf", b"%PDF-1")
    store.put("uploads/ab/abcd", b"photo")
    assert store.get("documents/sheet/12.pdf") == b"%PDF-1"
    assert store.exists("uploads/ab/abcd") and not store.exists("uploads/ab/none")
    assert list(store.keys("documents/")) == ["documents/sheet/12.pdf"]
    store.put("documents/sheet/12.pdf", b"%PDF-2")
    assert store.get("documents/sheet/12.pdf") == b"%PDF-2"
    store.delete("documents/sheet/12.pdf")
    assert list(store.keys()) == ["uploads/ab/abcd"]
    with pytest.raises(FileNotFoundError):
        store.get("documents/sheet/12.pdf")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "a/./b", "a/../b", "空格 名", ""])
def test_a_key_that_could_leave_the_root_is_refused(key):
    with pytest.raises(ValueError):
        checked_key(key)
