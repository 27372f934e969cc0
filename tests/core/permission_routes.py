"""The permission table: every route of the URL map, the data its request sends, and the status each
role (and anonymous) must get. test_permissions.py walks it; the API's matrix, the malformed-input
sweep and the external-assets check read it too."""

from __future__ import annotations

import re


def statuses(anonymous=302, deputy=403, government=403, presidium=403, county=403, admin=403):
    return dict(
        anonymous=anonymous,
        deputy=deputy,
        government=government,
        presidium=presidium,
        county=county,
        admin=admin,
    )


EVERYONE = statuses(200, 200, 200, 200, 200, 200)
SIGNED_IN = statuses(302, 200, 200, 200, 200, 200)
MANAGERS = statuses(presidium=200, county=200, admin=200)
MANAGERS_POST = statuses(presidium=302, county=302, admin=302)
COUNTY_UP = statuses(county=200, admin=200)
COUNTY_UP_POST = statuses(county=302, admin=302)
ADMIN_ONLY = statuses(admin=200)
ADMIN_ONLY_POST = statuses(admin=302)
EVERYONE_REDIRECT = statuses(302, 302, 302, 302, 302, 302)

# (method, path with {placeholders}, form data, expected status per role)
ROUTES = [
    ("GET", "/healthz", None, EVERYONE),
    # Prometheus' page: only a bearer token or an allowed address (none here), whoever is signed in.
    ("GET", "/metrics", None, statuses(404, 404, 404, 404, 404, 404)),
    ("GET", "/public/", None, EVERYONE),
    ("GET", "/login", None, statuses(200, 302, 302, 302, 302, 302)),
    ("POST", "/login", {"username": "nobody", "password": "x"}, statuses(200, 302, 302, 302, 302, 302)),
    ("POST", "/logout", {}, EVERYONE_REDIRECT),
    ("POST", "/language", {"locale": "en"}, EVERYONE_REDIRECT),
    ("GET", "/", None, SIGNED_IN),
    ("GET", "/account/password", None, SIGNED_IN),
    ("POST", "/account/password", {}, SIGNED_IN),
    ("GET", "/manage/accounts/", None, MANAGERS),
    ("GET", "/manage/accounts/new", None, MANAGERS),
    ("POST", "/manage/accounts/new", {}, MANAGERS),
    ("GET", "/manage/accounts/{account}/edit", None, MANAGERS),
    ("POST", "/manage/accounts/{account}/edit", {}, MANAGERS),
    ("POST", "/manage/accounts/{account}/active", {"active": "0"}, MANAGERS_POST),
    ("GET", "/manage/deputies/import", None, MANAGERS),
    ("POST", "/manage/deputies/import", {}, MANAGERS),
    ("GET", "/manage/deputies/import/template.xlsx", None, MANAGERS),
]
for kind, record in (
    ("deputies", "deputy"),
    ("offices", "office"),
    ("stations", "station"),
    ("groups", "group"),
):
    ROUTES += [
        ("GET", f"/manage/{kind}/", None, MANAGERS),
        ("GET", f"/manage/{kind}/new", None, MANAGERS),
        ("POST", f"/manage/{kind}/new", {}, MANAGERS),
        ("GET", f"/manage/{kind}/{{{record}}}/edit", None, MANAGERS),
        ("POST", f"/manage/{kind}/{{{record}}}/edit", {}, MANAGERS),
        ("POST", f"/manage/{kind}/{{{record}}}/active", {"active": "0"}, MANAGERS_POST),
    ]
PRESIDIUM = statuses(presidium=200)
GOVERNMENT = statuses(government=200)
ROUTES += [
    ("GET", "/lists/", None, SIGNED_IN),
    ("GET", "/lists/new", None, PRESIDIUM),
    ("POST", "/lists/new", {}, PRESIDIUM),
    ("GET", "/lists/{list}", None, SIGNED_IN),
    ("POST", "/lists/{list}/confirm", {}, statuses(presidium=302)),
    ("GET", "/lists/{list}/items/new", None, PRESIDIUM),
    ("POST", "/lists/{list}/items/new", {}, PRESIDIUM),
    ("GET", "/lists/{list}/import", None, PRESIDIUM),
    ("POST", "/lists/{list}/import", {}, PRESIDIUM),
    ("GET", "/lists/{list}/import/template.xlsx", None, PRESIDIUM),
    ("GET", "/items/", None, SIGNED_IN),
    ("GET", "/items/export.xlsx", None, SIGNED_IN),
    ("GET", "/items/{item}", None, SIGNED_IN),
    ("GET", "/items/{item}/edit", None, PRESIDIUM),
    ("POST", "/items/{item}/edit", {}, PRESIDIUM),
    ("GET", "/items/{item}/actions/withdraw", None, PRESIDIUM),
    ("POST", "/items/{item}/actions/withdraw", {}, statuses(presidium=409)),
    ("GET", "/items/{item}/answer", None, GOVERNMENT),
    ("POST", "/items/{item}/answer", {}, GOVERNMENT),
]
ROUTES += [
    ("GET", "/manage/townships/", None, COUNTY_UP),
    ("GET", "/manage/townships/new", None, COUNTY_UP),
    ("GET", "/manage/townships/{township}/edit", None, COUNTY_UP),
    ("POST", "/manage/townships/{township}/edit", {}, COUNTY_UP),
    ("POST", "/manage/townships/{township}/active", {"active": "1"}, COUNTY_UP_POST),
    ("POST", "/manage/townships/new", {}, COUNTY_UP),
    ("GET", "/manage/counties/", None, ADMIN_ONLY),
    ("GET", "/manage/counties/new", None, ADMIN_ONLY),
    ("POST", "/manage/counties/new", {}, ADMIN_ONLY),
    ("GET", "/manage/counties/{county}/edit", None, ADMIN_ONLY),
    ("POST", "/manage/counties/{county}/edit", {}, ADMIN_ONLY),
    ("POST", "/manage/counties/{county}/active", {"active": "1"}, ADMIN_ONLY_POST),
]
CHAIR_AND_COUNTY = statuses(presidium=200, county=200, admin=200)
ROUTES += [
    ("GET", "/consultations/", None, SIGNED_IN),
    ("GET", "/consultations/new", None, PRESIDIUM),
    ("POST", "/consultations/new", {}, PRESIDIUM),
    ("GET", "/consultations/{consultation}", None, SIGNED_IN),
    ("GET", "/consultations/{consultation}/conclude", None, PRESIDIUM),
    ("POST", "/consultations/{consultation}/conclude", {}, PRESIDIUM),
    ("GET", "/activity-days/", None, SIGNED_IN),
    ("GET", "/activity-days/new", None, PRESIDIUM),
    ("POST", "/activity-days/new", {}, PRESIDIUM),
    ("GET", "/activity-days/{activity_day}", None, SIGNED_IN),
    ("GET", "/escalation", None, CHAIR_AND_COUNTY),
    ("POST", "/escalation/flag", {}, PRESIDIUM),
    ("POST", "/escalation/items/{item}/clear", {}, statuses(presidium=302)),
]
DRAFT_SHEET = statuses(presidium=200, deputy=404, government=404, county=404, admin=404)
ROUTES += [
    ("GET", "/sheets/", None, SIGNED_IN),
    ("GET", "/sheets/new", None, PRESIDIUM),
    ("POST", "/sheets/new", {}, PRESIDIUM),
    ("GET", "/sheets/{sheet}", None, SIGNED_IN),
    ("GET", "/sheets/{sheet}/pdf", None, SIGNED_IN),
    # A draft is the presidium's alone: to everyone else it is not found, like its page.
    ("GET", "/sheets/{draft_sheet}/edit", None, DRAFT_SHEET),
    ("POST", "/sheets/{draft_sheet}/edit", {}, DRAFT_SHEET),
    # The sheet is issued: verifying is the presidium's action, but not in this state.
    ("POST", "/sheets/{sheet}/actions/verify", {}, statuses(presidium=409)),
    # Only a draft can be deleted: the issued sheet is the presidium's, but no longer deletable.
    ("POST", "/sheets/{sheet}/delete", {}, statuses(presidium=409)),
]
# inspections and uploads: government offices read findings only through the sheets sent to them.


def author_only(status: int) -> dict:
    """A draft inspection: its author (the deputy) gets ``status``; to everyone else it is not found."""
    return statuses(deputy=status, government=404, presidium=404, county=404, admin=404)


READERS = statuses(deputy=200, presidium=200, county=200, admin=200)
FILE_READERS = statuses(deputy=200, government=404, presidium=200, county=200, admin=200)
ROUTES += [
    ("GET", "/inspections/", None, READERS),
    ("GET", "/inspections/new", None, statuses(deputy=200, presidium=200)),
    # An empty form is a valid (empty) draft: saved, then shown.
    ("POST", "/inspections/new", {}, statuses(deputy=302, presidium=302)),
    # An inspection the user may not read (government) or a draft that is not theirs is not found.
    ("GET", "/inspections/{inspection}", None, FILE_READERS),
    # A draft is its author's (the deputy) alone: nobody else may even see it.
    ("GET", "/inspections/{draft_inspection}/edit", None, author_only(200)),
    ("POST", "/inspections/{draft_inspection}/edit", {}, author_only(302)),
    ("POST", "/inspections/{draft_inspection}/file", {}, author_only(409)),
    ("POST", "/inspections/{draft_inspection}/delete", {}, author_only(302)),
    ("POST", "/inspections/{inspection}/notes", {}, statuses(deputy=422, government=404, presidium=422)),
    ("GET", "/files/{attachment}", None, FILE_READERS),
    ("GET", "/files/{attachment}/preview", None, FILE_READERS),
]
# progress (月报): the lead office's clerk reports, the item's supervisor gives feedback.
ROUTES += [
    ("GET", "/progress/", None, EVERYONE_REDIRECT),
    ("GET", "/progress/office", None, statuses(government=200)),
    ("GET", "/progress/mine", None, statuses(deputy=200)),
    ("GET", "/progress/grid", None, CHAIR_AND_COUNTY),
    ("GET", "/progress/disputes", None, CHAIR_AND_COUNTY),
    ("GET", "/progress/items/{progress_item}/report", None, statuses(government=200)),
    ("POST", "/progress/items/{progress_item}/report", {}, statuses(government=200)),
    ("GET", "/progress/reports/{report}/feedback", None, statuses(deputy=200)),
    ("POST", "/progress/reports/{report}/feedback", {}, statuses(deputy=422)),
    ("GET", "/notifications", None, SIGNED_IN),
    ("POST", "/notifications/read", {}, EVERYONE_REDIRECT),
]
# notices (公示): the presidium publishes and moderates; the public pages answer everyone.
ROUTES += [
    ("GET", "/notices/", None, PRESIDIUM),
    ("GET", "/notices/preview", None, PRESIDIUM),
    ("POST", "/notices/publish", {}, statuses(presidium=400)),
    ("GET", "/notices/{notice}/correct", None, PRESIDIUM),
    ("POST", "/notices/{notice}/correct", {}, statuses(presidium=400)),
    ("GET", "/notices/opinions", None, PRESIDIUM),
    ("GET", "/notices/county.zip", None, statuses(county=200)),
    ("POST", "/notices/opinions/{opinion}/approve", {}, statuses(presidium=302)),
    ("GET", "/public/{slug}/", None, EVERYONE),
    ("GET", "/public/{slug}/notices/{notice}", None, EVERYONE),
    # A public address never starts a render: "being prepared" (202) until a worker has made it.
    ("GET", "/public/{slug}/notices/{notice}/pdf", None, statuses(202, 202, 202, 202, 202, 202)),
    ("GET", "/public/{slug}/notices/{notice}/opinion", None, EVERYONE),
    ("POST", "/public/{slug}/notices/{notice}/opinion", {}, statuses(400, 400, 400, 400, 400, 400)),
]

# evaluation (民主评议): the presidium runs the meeting (its hall is the engine's, registered under
# /evaluation), county staff read it.
EVALUATION_PRESIDIUM_400 = statuses(presidium=400)
ROUTES += [
    ("GET", "/evaluation/", None, MANAGERS),
    ("GET", "/evaluation/new", None, PRESIDIUM),
    ("POST", "/evaluation/new", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/evaluation/{evaluation}", None, MANAGERS),
    ("POST", "/evaluation/{evaluation}/lines", {}, EVALUATION_PRESIDIUM_400),
    # The meeting is being prepared: voting cannot open yet.
    ("POST", "/evaluation/{evaluation}/actions/open_voting", {}, statuses(presidium=409)),
    ("GET", "/evaluation/{evaluation}/roll-call", None, PRESIDIUM),
    ("POST", "/evaluation/{evaluation}/roll-call", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/roll-call/all-present", {}, statuses(presidium=409)),
    ("GET", "/evaluation/{evaluation}/ballots", None, PRESIDIUM),
    ("POST", "/evaluation/{evaluation}/ballots", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/serials", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/serials/not-returned", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/codes", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/evaluation/{evaluation}/paper", None, PRESIDIUM),
    ("POST", "/evaluation/{evaluation}/paper", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/evaluation/{evaluation}/paper/1", None, PRESIDIUM),
    ("POST", "/evaluation/{evaluation}/paper/1", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/items", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/evaluation/{evaluation}/rules", None, PRESIDIUM),
    ("POST", "/evaluation/{evaluation}/rules", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/ballots/undo", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/serials/unissue", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/serials/exchange", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/codes/void", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/evaluation/{evaluation}/codes/void-unused", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/evaluation/{evaluation}/projection", None, MANAGERS),
    ("GET", "/evaluation/{evaluation}/results", None, MANAGERS),
]
# ballots (the engine's phone ballot, any meeting's: ballots.vote, ballots.vote_ballot,
# ballots.voting_asset): /vote needs no login.
ROUTES += [
    ("GET", "/vote", None, EVERYONE),
    ("POST", "/vote", {}, statuses(400, 400, 400, 400, 400, 400)),
    ("POST", "/vote/ballot", {}, statuses(400, 400, 400, 400, 400, 400)),
    ("GET", "/vote/assets/vote.js", None, EVERYONE),
]
# evaluation, continued: the report, the printed documents, the year's assessment, publishing; the
# public result pages answer everyone (an unpublished id is a 404; tests/public covers a published one).
ROUTES += [
    ("POST", "/evaluation/{evaluation}/report", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/evaluation/{evaluation}/sheets.pdf", None, MANAGERS),
    ("GET", "/evaluation/{evaluation}/summary.pdf", None, MANAGERS),
    # The meeting is being prepared: nothing to publish yet.
    ("POST", "/evaluation/{evaluation}/publish", {}, statuses(presidium=409)),
    ("GET", "/evaluation/assessment", None, MANAGERS),
    ("GET", "/evaluation/assessment.xlsx", None, MANAGERS),
    ("GET", "/public/{slug}/evaluations/", None, EVERYONE),
    ("GET", "/public/{slug}/evaluations/999999", None, statuses(404, 404, 404, 404, 404, 404)),
]

# issue 13: list settings, the import's confirmation, answer opinions, the notice settings.
ROUTES += [
    ("GET", "/lists/{list}/settings", None, PRESIDIUM),
    ("POST", "/lists/{list}/categories", {}, PRESIDIUM),
    ("POST", "/lists/{list}/categories/remove", {}, statuses(presidium=302)),
    ("POST", "/lists/{list}/defaults", {}, statuses(presidium=302)),
    # An unknown upload: back to the upload form, saying it expired or was imported.
    ("POST", "/lists/{list}/import/0123456789abcdef0123456789abcdef", {}, statuses(presidium=302)),
    ("GET", "/items/{item}/opinion", None, SIGNED_IN),
    # Only the suggestion's proposers give an opinion (the world's suggestion names none).
    ("POST", "/items/{item}/opinion", {}, statuses()),
    # Not being handled afresh: nothing to set.
    ("POST", "/items/{item}/reanswer-due", {}, statuses(presidium=409)),
    ("GET", "/notices/settings", None, PRESIDIUM),
    ("POST", "/notices/settings", {}, statuses(presidium=400)),
]
# livelihood proposals (征集): the presidium decides; deputies and offices propose; residents too.
ROUTES += [
    # Deputies and offices are led to their own proposals.
    ("GET", "/livelihood/", None, statuses(deputy=302, government=302, presidium=200, county=200, admin=200)),
    ("POST", "/livelihood/periods/new", {}, statuses(presidium=400)),
    ("GET", "/livelihood/periods/{period}", None, MANAGERS),
    ("POST", "/livelihood/periods/{period}/close", {}, statuses(presidium=302)),
    ("GET", "/livelihood/periods/{period}/poster", None, MANAGERS),
    ("GET", "/livelihood/mine", None, statuses(deputy=200, government=200)),
    ("GET", "/livelihood/periods/{period}/proposals/new", None, statuses(deputy=200, government=200)),
    ("POST", "/livelihood/periods/{period}/proposals/new", {}, statuses(deputy=400, government=400)),
    ("GET", "/livelihood/proposals/{proposal}", None, SIGNED_IN),
    # Refused without a reason.
    ("POST", "/livelihood/proposals/{proposal}/actions/reject", {}, statuses(presidium=409)),
    ("GET", "/public/{slug}/proposals/new", None, EVERYONE),
    ("POST", "/public/{slug}/proposals/new", {}, statuses(400, 400, 400, 400, 400, 400)),
    ("GET", "/public/{slug}/proposals/", None, EVERYONE),
    ("GET", "/public/{slug}/proposals/{proposal}", None, EVERYONE),
    ("GET", "/public/{slug}/proposals/track/{proposal_token}", None, EVERYONE),
]
# livelihood candidates (初定 / 审议): the government and the presidium draft, the presidium fixes,
# deputies remark; everyone of the township (and the county) reads.
EDITORS = statuses(government=200, presidium=200)
ROUTES += [
    ("GET", "/livelihood/plans/", None, SIGNED_IN),
    ("POST", "/livelihood/plans/new", {}, statuses(presidium=400)),
    ("GET", "/livelihood/plans/{plan}", None, SIGNED_IN),
    ("POST", "/livelihood/plans/{plan}/places", {}, statuses(presidium=400)),
    # One candidate for one place: the surplus rule refuses.
    ("POST", "/livelihood/plans/{plan}/actions/fix", {}, statuses(presidium=409)),
    ("GET", "/livelihood/plans/{plan}/sheet.pdf", None, SIGNED_IN),
    ("GET", "/livelihood/plans/{plan}/candidates/new", None, EDITORS),
    ("POST", "/livelihood/plans/{plan}/candidates/new", {}, statuses(government=400, presidium=400)),
    ("GET", "/livelihood/candidates/{candidate}/edit", None, EDITORS),
    ("POST", "/livelihood/candidates/{candidate}/edit", {}, statuses(government=400, presidium=400)),
    ("POST", "/livelihood/candidates/{candidate}/up", {}, statuses(government=302, presidium=302)),
    ("GET", "/livelihood/plans/{plan}/remarks/new", None, statuses(deputy=200, presidium=200)),
    ("POST", "/livelihood/plans/{plan}/remarks/new", {}, statuses(deputy=400, presidium=400)),
    ("GET", "/livelihood/plans/{plan}/remarks", None, SIGNED_IN),
]

# The vote (票决): the presidium runs it; everyone of the township reads its pages; the public reads
# a published result only.
TOWNSHIP_READERS = statuses(deputy=200, government=200, presidium=200, county=200, admin=200)
ROUTES += [
    ("GET", "/livelihood/plans/{voteplan}/vote", None, SIGNED_IN),
    ("POST", "/livelihood/plans/{voteplan}/vote", {}, statuses(presidium=400)),
    ("GET", "/livelihood/votes/{vote}", None, TOWNSHIP_READERS),
    ("GET", "/livelihood/votes/{vote}/results", None, statuses(302, 302, 302, 302, 302, 302)),
    ("POST", "/livelihood/votes/{vote}/actions/close_voting", {}, statuses(presidium=409)),
    ("POST", "/livelihood/votes/{vote}/open", {}, statuses(presidium=409)),
    ("POST", "/livelihood/plans/{voteplan}/runoff", {}, statuses(presidium=409)),
    ("POST", "/livelihood/plans/{voteplan}/publish", {}, statuses(presidium=409)),
    ("GET", "/livelihood/votes/{vote}/sheets.pdf", None, statuses(presidium=200, admin=200)),
    ("GET", "/livelihood/plans/{voteplan}/result.pdf", None, statuses(302, 404, 404, 404, 404, 404)),
    ("GET", "/public/{slug}/livelihood/{vote_year}/vote", None, statuses(404, 404, 404, 404, 404, 404)),
    # The hall's pages, registered on the livelihood blueprint as on the evaluation's.
    ("GET", "/livelihood/votes/{vote}/roll-call", None, PRESIDIUM),
    ("POST", "/livelihood/votes/{vote}/roll-call", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/roll-call/all-present", {}, statuses(presidium=409)),
    ("GET", "/livelihood/votes/{vote}/ballots", None, PRESIDIUM),
    ("POST", "/livelihood/votes/{vote}/ballots", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/serials", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/serials/not-returned", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/codes", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/livelihood/votes/{vote}/paper", None, PRESIDIUM),
    ("POST", "/livelihood/votes/{vote}/paper", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/livelihood/votes/{vote}/paper/1", None, PRESIDIUM),
    ("POST", "/livelihood/votes/{vote}/paper/1", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/ballots/undo", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/serials/unissue", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/serials/exchange", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/codes/void", {}, EVALUATION_PRESIDIUM_400),
    ("POST", "/livelihood/votes/{vote}/codes/void-unused", {}, EVALUATION_PRESIDIUM_400),
    ("GET", "/livelihood/votes/{vote}/projection", None, MANAGERS),
]

# the county's view and the year's statistics (statistics/): county staff compare townships, a
# presidium its offices; tests/statistics covers another county's townships (404).
ROUTES += [
    ("GET", "/statistics/townships", None, COUNTY_UP),
    ("GET", "/statistics/county", None, COUNTY_UP),
    ("GET", "/statistics/county/report.pdf", None, COUNTY_UP),
    ("GET", "/statistics/county/report.xlsx", None, COUNTY_UP),
    ("GET", "/statistics/offices", None, CHAIR_AND_COUNTY),
    ("GET", "/statistics/townships/{township}", None, CHAIR_AND_COUNTY),
    ("GET", "/statistics/townships/{township}/report.pdf", None, CHAIR_AND_COUNTY),
    ("GET", "/statistics/townships/{township}/report.xlsx", None, CHAIR_AND_COUNTY),
]

# Personal access tokens on the account page; the token belongs to the deputy: another's is a 404.
ROUTES += [
    ("GET", "/account/tokens", None, SIGNED_IN),
    ("POST", "/account/tokens", {}, statuses(302, 422, 422, 422, 422, 422)),
    ("POST", "/account/tokens/{api_token}/revoke", {}, statuses(302, 302, 404, 404, 404, 404)),
]
# The JSON API ignores the session cookie: signed in or not, only a bearer token opens it (its own
# role x route matrix with tokens is tests/api/test_api_permissions.py). Public reads and the
# documentation are open to anyone.
API_SESSION_REFUSED = statuses(401, 401, 401, 401, 401, 401)
EVERYONE_404 = statuses(404, 404, 404, 404, 404, 404)
ROUTES += [
    ("GET", "/api/v1/openapi.json", None, EVERYONE),
    ("GET", "/api/v1/docs", None, EVERYONE),
    ("GET", "/api/v1/me", None, API_SESSION_REFUSED),
    ("GET", "/api/v1/me/items", None, API_SESSION_REFUSED),
    ("GET", "/api/v1/items/{item}", None, API_SESSION_REFUSED),
    ("POST", "/api/v1/uploads", {}, API_SESSION_REFUSED),
    ("POST", "/api/v1/inspections", {}, API_SESSION_REFUSED),
    ("GET", "/api/v1/inspections/{inspection}", None, API_SESSION_REFUSED),
    ("PUT", "/api/v1/inspections/{draft_inspection}", {}, API_SESSION_REFUSED),
    ("POST", "/api/v1/inspections/{draft_inspection}/file", {}, API_SESSION_REFUSED),
    ("POST", "/api/v1/reports/{report}/feedback", {}, API_SESSION_REFUSED),
    ("GET", "/api/v1/sheets", None, API_SESSION_REFUSED),
    ("GET", "/api/v1/sheets/{sheet}", None, API_SESSION_REFUSED),
    ("POST", "/api/v1/sheets/{sheet}/acknowledge", {}, API_SESSION_REFUSED),
    ("POST", "/api/v1/sheets/{sheet}/answer", {}, API_SESSION_REFUSED),
    ("GET", "/api/v1/public/townships", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/notices", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/notices/{notice}", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/evaluations", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/evaluations/{notice}", None, EVERYONE_404),
    ("GET", "/api/v1/public/townships/{slug}/votes", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/votes/{vote_year}", None, EVERYONE_404),  # not published
    # The deputies' offline app: its page and its token are the signed-in deputy's; its manifest and
    # service worker are files anyone may fetch (they hold nothing personal).
    ("GET", "/app/", None, statuses(deputy=200)),
    ("POST", "/app/token", {}, statuses(deputy=201)),
    ("GET", "/app/manifest.webmanifest", None, EVERYONE),
    ("GET", "/app/sw.js", None, EVERYONE),
]
IGNORED_ENDPOINTS = {"static", "bootstrap.static"}


def rule_pattern(rule: str) -> re.Pattern:
    """A URL rule (/items/<int:item_id>) as a pattern of the table's paths."""
    return re.compile("^" + re.sub(r"<(?:[^:>]+:)?[^>]+>", r"[^/]+", rule) + "$")
