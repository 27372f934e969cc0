"""What a file over the size limits is told through POST /api/v1/uploads: its real size and the
limit (not the limit twice), or, over the whole request's limit, both limits."""

from __future__ import annotations

import io

from supervise.extensions import db
from supervise.uploads.models import Attachment
from tests.uploads.samples import png_bytes

MB = 1024 * 1024


def _send(api, data: bytes, key: str):
    return api.post(
        "/api/v1/uploads",
        key=key,
        data={"file": (io.BytesIO(data), "现场.png")},
        content_type="multipart/form-data",
    )


def test_a_file_over_the_limit_is_told_its_own_size_and_the_limit(app, api_as):
    app.config["UPLOAD_MAX_BYTES"] = 1 * MB  # as 10 MB, scaled down: a 6 MB file, then one just over
    api = api_as("deputy")
    for n, (size, said) in enumerate([(6 * MB, "6 MB"), (MB + 1, "1.1 MB")]):
        answer = _send(api, png_bytes() + b"\x00" * (size - len(png_bytes())), f"big-file-{n}")
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json", answer.get_json()
        (error,) = answer.get_json()["errors"]
        assert error["field"] == "file"
        assert f"文件太大（{said}），每个文件不能超过 1 MB" in error["message"], error
    assert db.session.execute(db.select(Attachment)).first() is None
    assert _send(api, png_bytes(), "small-file").status_code == 201


def test_a_request_over_the_whole_limit_names_the_limits(app, api_as):
    app.config["MAX_CONTENT_LENGTH"] = 2 * MB
    app.config["UPLOAD_MAX_BYTES"] = 1 * MB
    api = api_as("deputy")
    answer = _send(api, png_bytes() + b"\x00" * (3 * MB), "too-big-file")
    assert answer.status_code == 413, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    detail = answer.get_json()["detail"]
    assert "合计不能超过 2 MB" in detail and "每个文件不能超过 1 MB" in detail, detail
    assert "返回上一页" not in detail  # no page to go back to
