"""Chromium journeys of the evaluation meeting's clerks (issue 11): the roll call marks a deputy per
tap without reloading the page (and still works without JavaScript), and a paper sheet is typed
from the keyboard, one digit per line, with Enter to submit it whole."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _post(page, path: str, **form) -> None:
    """A setup step the test is not about, posted with the page's CSRF token (no confirmations)."""
    token = page.locator("input[name=csrf_token]").first.input_value()
    response = page.request.post(path, form={"csrf_token": token, **form}, max_redirects=0)
    assert response.status in (200, 302), (path, response.status, response.text()[:300])


def _new_meeting(page, place: str) -> int:
    page.goto("/evaluation/new")
    page.get_by_label("会议地点").fill(place)
    page.get_by_role("button", name="创建评议会").click()
    expect(page.get_by_text(re.compile("评议会已创建"))).to_be_visible()
    meeting_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    _post(page, f"/evaluation/{meeting_id}/actions/start_roll_call")
    return meeting_id


def _deputy_ids(page, meeting_id: int) -> list[int]:
    page.goto(f"/evaluation/{meeting_id}/roll-call")
    ids = page.locator("#roster .eval-row").evaluate_all("rows => rows.map(r => r.id.slice(7))")
    return [int(each) for each in ids]


def test_roll_call_taps_mark_one_deputy_without_reloading(new_context, sign_in, artifacts, traffic):
    clerk = new_context(**TABLET).new_page()
    sign_in(clerk, "chair")
    meeting_id = _new_meeting(clerk, "点名浏览器测试")
    ids = _deputy_ids(clerk, meeting_id)
    roster = len(ids)
    loads: list[str] = []
    clerk.on("load", lambda page: loads.append(page.url))
    rows = clerk.locator("#roster .eval-row")
    for n in range(15):
        rows.nth(n).get_by_role("button", name="到会").click()
        expect(clerk.locator("#present-count")).to_have_text(str(n + 1))
        expect(rows.nth(n).locator(".badge")).to_have_text("到会")
    expect(clerk.get_by_text("已达到法定人数。")).to_be_visible()
    expect(clerk.locator("#uncalled")).to_contain_text(f"还有 {roster - 15} 位代表未点到")
    rows.nth(15).get_by_role("button", name="缺席").click()
    expect(rows.nth(15).locator(".badge")).to_have_text("缺席")
    expect(rows.nth(15).get_by_role("button", name="缺席")).to_have_attribute("aria-pressed", "true")
    expect(clerk.locator("#present-count")).to_have_text("15")
    assert loads == [], f"a tap reloaded the page: {loads}"
    clerk.screenshot(path=str(artifacts / "evaluation-roll-call-live.png"), full_page=True)

    # The server stays the guard: a deputy who got a ballot meanwhile cannot be marked absent.
    _post(clerk, f"/evaluation/{meeting_id}/actions/open_voting")
    _post(clerk, f"/evaluation/{meeting_id}/ballots", deputy_id=str(ids[0]), kind="paper")
    rows.nth(0).get_by_role("button", name="缺席").click()
    expect(clerk.locator("#roll-call-error")).to_contain_text("已领取选票，不能再登记为缺席")
    expect(rows.nth(0).locator(".badge")).to_have_text("到会")
    assert loads == []
    # Chromium logs every 4xx answer to fetch(); this one refusal is the expected one.
    assert traffic.errors == ["Failed to load resource: the server responded with a status of 409 (CONFLICT)"]
    traffic.errors.clear()

    # What the taps recorded is what the page shows when loaded again.
    clerk.reload()
    expect(clerk.locator("#present-count")).to_have_text("15")
    expect(rows.nth(15).locator(".badge")).to_have_text("缺席")

    # Without JavaScript the same form reloads the page, and the tap is recorded all the same.
    plain = new_context(java_script_enabled=False, **TABLET).new_page()
    sign_in(plain, "chair")
    plain.goto(f"/evaluation/{meeting_id}/roll-call")
    plain.locator("#roster .eval-row").nth(16).get_by_role("button", name="到会").click()
    plain.wait_for_url(re.compile(rf"/roll-call#deputy-{ids[16]}$"))
    expect(plain.locator("#present-count")).to_have_text("16")


def _voting_with_sheets(page, place: str, sheets: int) -> int:
    meeting_id = _new_meeting(page, place)
    ids = _deputy_ids(page, meeting_id)
    _post(page, f"/evaluation/{meeting_id}/roll-call/all-present")
    _post(page, f"/evaluation/{meeting_id}/actions/open_voting")
    for deputy_id in ids[:sheets]:
        _post(page, f"/evaluation/{meeting_id}/ballots", deputy_id=str(deputy_id), kind="paper")
    _post(page, f"/evaluation/{meeting_id}/serials", serials=f"1-{sheets}")
    return meeting_id


def test_a_clerk_types_a_whole_sheet_from_the_keyboard(new_context, sign_in, artifacts):
    clerk = new_context(**DESKTOP).new_page()
    sign_in(clerk, "chair")
    meeting_id = _voting_with_sheets(clerk, "键盘录入浏览器测试", 2)
    clerk.goto(f"/evaluation/{meeting_id}/paper")
    keys = clerk.locator("[data-line-key]")
    lines = keys.count()
    assert lines >= 3
    # Each line shows its number next to its key field.
    numbers = clerk.locator(".eval-lines .eval-line-number").all_inner_texts()
    assert numbers == [str(n) for n in range(1, lines + 1)]

    serial = clerk.get_by_label("测评表编号", exact=True)
    serial.fill("001")
    serial.press("Enter")  # to the first line, not a submit of an empty sheet
    expect(keys.nth(0)).to_be_focused()
    typed = ["1", "2", "3"] + ["0"] * (lines - 3)
    clerk.keyboard.press(typed[0])
    expect(keys.nth(1)).to_be_focused()
    # A wrong key is named, the line keeps focus, and nothing is ticked for it.
    clerk.keyboard.press("5")
    expect(clerk.locator("#key-error")).to_contain_text("第 2 项")
    expect(clerk.locator("#key-error")).to_contain_text("不是可用的按键")
    expect(keys.nth(1)).to_be_focused()
    expect(keys.nth(1)).to_have_class(re.compile("is-invalid"))
    for digit in typed[1:]:
        clerk.keyboard.press(digit)
    expect(clerk.locator("#key-error")).to_be_hidden()
    # The boxes follow the keys: 1 满意, 2 基本满意, 3 不满意, 0 nothing ticked (blank: invalid).
    line_ids = keys.evaluate_all("ks => ks.map(k => k.dataset.lineKey)")
    grades = ["satisfied", "basic", "dissatisfied"]
    for line_id, digit in zip(line_ids, typed):
        ticked = clerk.locator(f"input[name='line-{line_id}']:checked")
        if digit == "0":
            expect(ticked).to_have_count(0)
        else:
            expect(ticked).to_have_count(1)
            expect(ticked).to_have_value(grades[int(digit) - 1])
    clerk.screenshot(path=str(artifacts / "evaluation-paper-keyboard.png"), full_page=True)
    clerk.keyboard.press("Enter")
    expect(clerk.get_by_text("测评表 001 已录入。")).to_be_visible()

    # What was stored is what was typed.
    clerk.goto(f"/evaluation/{meeting_id}/paper/1")
    standing = clerk.locator("#entries tbody tr").evaluate_all(
        "rows => rows.slice(1).map(r => r.children[2].textContent.trim())"
    )
    assert standing == ["满意", "基本满意", "不满意"] + ["无效"] * (lines - 3)


def test_enter_on_a_sheet_with_lines_not_typed_says_which(new_context, sign_in):
    clerk = new_context(**DESKTOP).new_page()
    sign_in(clerk, "chair")
    meeting_id = _voting_with_sheets(clerk, "键盘录入漏项浏览器测试", 1)
    clerk.goto(f"/evaluation/{meeting_id}/paper")
    clerk.get_by_label("测评表编号", exact=True).fill("1")
    clerk.keyboard.press("Enter")
    clerk.keyboard.press("1")
    clerk.keyboard.press("Enter")
    expect(clerk.locator("#key-error")).to_contain_text("第 2")
    expect(clerk.locator("#key-error")).to_contain_text("还没有录入")
    expect(clerk.locator("[data-line-key]").nth(1)).to_be_focused()
    assert clerk.url.endswith(f"/evaluation/{meeting_id}/paper")
    expect(clerk.get_by_text("已录入。")).to_have_count(0)
    # Tab from the serial, as clerks do, goes to line 1 too; Enter on the 整张作废 box or a click
    # on the button with lines untouched stops as well, naming them.
    clerk.get_by_label("测评表编号", exact=True).fill("1")
    clerk.get_by_label("测评表编号", exact=True).press("Tab")
    expect(clerk.locator("[data-line-key]").first).to_be_focused()
    clerk.locator("[data-line-key]").first.press("Backspace")
    clerk.locator("input[name=void]").focus()
    clerk.keyboard.press("Enter")
    expect(clerk.locator("#key-error")).to_contain_text("第 1")
    clerk.locator("form[data-key-entry] [type=submit]").click()
    expect(clerk.locator("#key-error")).to_contain_text("还没有录入")
    assert clerk.url.endswith(f"/evaluation/{meeting_id}/paper")
    expect(clerk.get_by_text("已录入。")).to_have_count(0)


PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

# The text colour and the background behind a label (its own, or the first opaque one around it).
COLOURS = """el => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  let back = el, bg = [0, 0, 0, 0];
  while (back && (bg.length < 4 ? false : bg[3] === 0)) {
    bg = rgb(getComputedStyle(back).backgroundColor);
    if (bg.length === 3) { break; }
    back = back.parentElement;
  }
  if (!back) { bg = [255, 255, 255]; }
  return {text: rgb(getComputedStyle(el).color).slice(0, 3), back: bg.slice(0, 3)};
}"""


def contrast(one: list[float], other: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (0–255 channels)."""

    def luminance(rgb: list[float]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_arithmetic():
    assert round(contrast([0, 0, 0], [255, 255, 255]), 1) == 21.0
    assert round(contrast([13, 202, 240], [255, 255, 255]), 2) == 1.96  # Bootstrap's info on white


def test_a_slip_qr_code_opens_the_phone_ballot_with_its_code(new_context, sign_in, artifacts, tmp_path):
    clerk = new_context(**DESKTOP).new_page()
    sign_in(clerk, "chair")
    meeting_id = _new_meeting(clerk, "投票码二维码浏览器测试")
    ids = _deputy_ids(clerk, meeting_id)
    _post(clerk, f"/evaluation/{meeting_id}/roll-call/all-present")
    _post(clerk, f"/evaluation/{meeting_id}/actions/open_voting")
    _post(clerk, f"/evaluation/{meeting_id}/ballots", deputy_id=str(ids[0]), kind="phone")
    clerk.goto(f"/evaluation/{meeting_id}/ballots")
    clerk.get_by_label("生成数量").fill("1")
    clerk.get_by_role("button", name="生成投票码").click()
    slip = clerk.locator(".eval-slip").first
    code = slip.locator(".eval-code").inner_text().strip()
    shot = tmp_path / "slip.png"
    slip.locator("img.eval-slip-qr").screenshot(path=str(shot))
    clerk.screenshot(path=str(artifacts / "evaluation-code-slips.png"), full_page=True)
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(shot)], capture_output=True, text=True)
    url = scanned.stdout.strip()
    assert url.endswith(f"/vote#code={code}"), scanned

    phone = new_context(reduced_motion="reduce", **PHONE).new_page()  # colours read without transitions
    phone.goto(url)
    expect(phone.get_by_label("投票码")).to_have_value(code)
    assert "#" not in phone.url  # the code leaves the address bar and the history
    phone.get_by_role("button", name="打开选票").click()
    expect(phone.get_by_role("button", name="提交选票")).to_be_visible()

    # Every choice's text reads at WCAG AA (4.5:1) against what is behind it, chosen or not.
    labels = phone.locator("fieldset").first.locator("label.eval-choice")
    expect(labels).to_have_count(3)
    for n in range(3):
        label = labels.nth(n)
        colours = label.evaluate(COLOURS)
        assert contrast(colours["text"], colours["back"]) >= 4.5, (label.inner_text(), colours)
        label.click()
        phone.mouse.move(0, 0)  # no hover colours
        colours = label.evaluate(COLOURS)
        assert contrast(colours["text"], colours["back"]) >= 4.5, ("chosen", label.inner_text(), colours)
    phone.screenshot(path=str(artifacts / "evaluation-phone-ballot-contrast.png"), full_page=True)
