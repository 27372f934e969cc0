"""Another township's notice or opinion is a 404 for every role, never a 403; in its own township a
role other than the presidium is a 403."""

from __future__ import annotations

import pytest

PATHS = [
    ("GET", "/notices/{notice}/correct"),
    ("POST", "/notices/{notice}/correct"),
    ("POST", "/notices/opinions/{opinion}/approve"),
    ("POST", "/notices/opinions/{opinion}/reject"),
    ("POST", "/notices/opinions/{opinion}/answer"),
]


@pytest.fixture
def records(town, factory):
    notice = town.publish()
    return {"notice": notice.id, "opinion": factory.opinion(notice).id}


@pytest.mark.parametrize("method, path", PATHS)
@pytest.mark.parametrize("role", ["presidium", "government", "deputy", "county"])
def test_another_townships_notice_or_opinion_is_404(factory, client, login_as, records, role, method, path):
    other = factory.township("城关镇", county=factory.county("别的县"))
    login_as(role, township=other)
    assert client.open(path.format(**records), method=method, data={}).status_code == 404


@pytest.mark.parametrize("method, path", PATHS)
@pytest.mark.parametrize("role", ["government", "deputy", "county"])
def test_in_its_own_township_only_the_presidium_acts(client, login_as, records, role, method, path):
    login_as(role)
    assert client.open(path.format(**records), method=method, data={}).status_code == 403
