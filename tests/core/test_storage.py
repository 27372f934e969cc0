"""The storage interface: what goes in comes out whole, and no key leaves the storage's root.

Every behaviour is checked on both backends with the same test: a local folder and S3 (a local S3
server, moto's server mode; in CI these run, never skip)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supervise.core.clock import utcnow
from supervise.core.storage import LocalStorage, S3Storage, checked_key, make_storage


def test_a_file_put_is_read_back_listed_and_deleted(any_storage):
    store = any_storage
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
    store.delete("documents/sheet/12.pdf")  # deleting what is gone is no error


def test_a_listing_gives_every_key_with_its_size_and_time(any_storage):
    before = utcnow() - timedelta(minutes=1)
    names = [f"uploads/{n:02d}/{n:04d}" for n in range(30)]
    for name in names:
        any_storage.put(name, name.encode())
    any_storage.put("documents/x.pdf", b"")
    entries = list(any_storage.entries("uploads/"))
    assert [entry.key for entry in entries] == names
    assert all(entry.size == len(entry.key) for entry in entries)
    assert all(before < entry.modified < utcnow() + timedelta(minutes=1) for entry in entries)
    assert sorted(any_storage.keys()) == sorted([*names, "documents/x.pdf"])
    assert any_storage.get("documents/x.pdf") == b""


def test_binary_content_and_large_files_come_back_byte_for_byte(any_storage):
    data = bytes(range(256)) * 40_000  # 10 MB, every byte value
    any_storage.put("uploads/ff/big", data)
    assert any_storage.get("uploads/ff/big") == data


def test_a_file_streamed_in_from_where_it_stands_is_stored_whole(any_storage, tmp_path):
    """put_file (long exports): read from the file's position on, in chunks, never whole in memory."""
    data = bytes(range(256)) * 40_000
    with open(tmp_path / "export.xlsx", "w+b") as source:
        source.write(b"skipped" + data)
        source.seek(len(b"skipped"))
        any_storage.put_file("documents/item-export/7-ab.xlsx", source)
    assert any_storage.get("documents/item-export/7-ab.xlsx") == data


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "a/./b", "a/../b", "空格 名", ""])
def test_a_key_that_could_leave_the_root_is_refused(any_storage, key):
    with pytest.raises(ValueError):
        checked_key(key)
    for use in (lambda: any_storage.put(key, b"x"), lambda: any_storage.get(key)):
        with pytest.raises(ValueError):
            use()


def test_two_stores_on_one_bucket_under_different_prefixes_do_not_see_each_other(s3_storage):
    other = S3Storage(s3_storage.bucket, prefix="elsewhere", client=s3_storage.client)
    s3_storage.put("documents/a.pdf", b"ours")
    other.put("documents/a.pdf", b"theirs")
    assert s3_storage.get("documents/a.pdf") == b"ours" and list(other.keys()) == ["documents/a.pdf"]


def test_the_configuration_chooses_the_backend(tmp_path, s3_endpoint):
    local = make_storage({"STORAGE": "local", "STORAGE_DIR": str(tmp_path)})
    assert isinstance(local, LocalStorage) and local.root == tmp_path
    config = {
        "STORAGE": "s3",
        "S3_BUCKET": "configured",
        "S3_PREFIX": "",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    remote = make_storage(config)
    assert isinstance(remote, S3Storage)
    remote.create_bucket()
    remote.put("documents/b.pdf", b"%PDF")
    assert make_storage(config).get("documents/b.pdf") == b"%PDF"
    with pytest.raises(RuntimeError, match="SUPERVISE_S3_BUCKET"):
        make_storage({**config, "S3_BUCKET": ""})
    with pytest.raises(RuntimeError, match="local"):
        make_storage({"STORAGE": "ftp"})


# ---- flask storage … ----------------------------------------------------------------------------


def test_storage_check_writes_reads_and_deletes_a_probe(app, app_storage):
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert "works" in result.output and list(app_storage.keys()) == []


def test_an_old_upload_folder_is_copied_into_the_storage_once(app, app_storage, tmp_path):
    """Upgrading a deployment (or moving to S3): the files land under the same keys, the folder
    stays as it was, and a second run copies nothing twice."""
    old = tmp_path / "uploads"
    (old / "ab").mkdir(parents=True)
    (old / "ab" / "abcd").write_bytes(b"photo")
    (old / "ab" / "abcd.preview.jpg").write_bytes(b"preview")
    (old / "ab" / "bad name").write_bytes(b"not ours")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["storage", "copy-from", str(old), "--prefix", "uploads/"])
    assert first.exit_code == 0 and "copied 2 files, 0 were already there" in first.output
    assert sorted(app_storage.keys()) == ["uploads/ab/abcd", "uploads/ab/abcd.preview.jpg"]
    assert app_storage.get("uploads/ab/abcd") == b"photo" and (old / "ab" / "abcd").is_file()
    again = runner.invoke(args=["storage", "copy-from", str(old), "--prefix", "uploads/"])
    assert "copied 0 files, 2 were already there" in again.output


def test_a_file_is_deleted_after_commit_only_and_never_after_a_rollback(app, app_storage):
    from supervise.core.storage import delete_after_commit
    from supervise.extensions import db

    for key in ("documents/a.pdf", "documents/b.pdf", "documents/c.pdf"):
        app_storage.put(key, b"%PDF")
    delete_after_commit(db.session(), "documents/a.pdf")
    with db.session.begin_nested():  # a savepoint released is not the commit
        delete_after_commit(db.session(), "documents/b.pdf")
    assert app_storage.exists("documents/a.pdf") and app_storage.exists("documents/b.pdf")
    db.session.rollback()
    db.session.commit()
    assert sorted(app_storage.keys()) == ["documents/a.pdf", "documents/b.pdf", "documents/c.pdf"]
    delete_after_commit(db.session(), "documents/c.pdf")
    assert app_storage.exists("documents/c.pdf")
    db.session.commit()
    assert sorted(app_storage.keys()) == ["documents/a.pdf", "documents/b.pdf"]
