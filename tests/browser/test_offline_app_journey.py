"""Issue 16's journeys: a deputy on a 375-px phone fills an inspection with two photos and a feedback
offline; the records stay on the phone through a reload; back online they are sent once. A second
journey loses the answer of a send half-way: the retry with the same key makes no second inspection."""

from __future__ import annotations

from PIL import Image
from playwright.sync_api import expect

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def photo(path, color):
    Image.new("RGB", (3000, 2000), color).save(path, "JPEG")
    return str(path)


def open_app(new_context, sign_in, username="deputy", context=None):
    context = context or new_context(**PHONE)
    page = context.new_page()
    sign_in(page, username)
    page.goto("/app/")
    page.set_default_timeout(20000)
    started = "navigator.serviceWorker.ready.then(() => true)"
    late = "new Promise(r => setTimeout(() => r(false), 10000))"
    assert page.evaluate(f"Promise.race([{started}, {late}])"), "the service worker did not start"
    page.reload()  # now controlled by the service worker
    expect(page.locator("#items li").first).to_be_visible()
    # The app's first fetches end before a test cuts the network: a fetch cut in flight is logged by
    # Chromium as a console error that is the test's doing, not the page's.
    page.wait_for_load_state("networkidle")
    return context, page


def fill_inspection(page, place, photos=()):
    page.get_by_role("button", name="记录活动").click()
    page.get_by_label("地点").fill(place)
    page.get_by_label("发现的问题或建议").fill("村道排水沟堵塞，雨天积水。")
    # A suggestion under supervision (a closed item takes no findings: the server would refuse it).
    suggestion = page.locator("#inspection-item option", has_text="-S-").first.get_attribute("value")
    page.locator("#inspection-item").select_option(suggestion)
    if photos:
        page.get_by_label("照片").set_input_files(list(photos))
        expect(page.locator("#photo-previews img")).to_have_count(len(photos))
    page.get_by_role("button", name="保存并提交（无网络时先存在手机上）").click()
    expect(page.locator("#tab-outbox")).to_be_visible()  # kept on the phone (photos resized first)


def inspections_at(page, place) -> int:
    page.goto("/inspections/")
    return page.get_by_text(place).count()


def test_offline_inspection_and_feedback_are_sent_once_back_online(new_context, sign_in, tmp_path, artifacts):
    context, page = open_app(new_context, sign_in)
    context.set_offline(True)
    expect(page.locator("#status")).to_contain_text("离线")
    fill_inspection(
        page,
        "离线测试·石门村",
        [photo(tmp_path / "a.jpg", (90, 120, 90)), photo(tmp_path / "b.jpg", (120, 90, 90))],
    )
    page.get_by_role("button", name="我的事项").click()
    page.locator("#items .report button").first.click()
    page.get_by_label("有异议").check()
    page.get_by_label("意见", exact=True).fill("月报说已完工，现场还在施工。")
    page.get_by_role("button", name="保存反馈").click()
    expect(page.locator("#status")).to_contain_text("2 条记录等待发送")
    page.screenshot(path=str(artifacts / "offline-app-375.png"), full_page=True)
    # Reloaded with no network: the shell comes from the cache and the records from IndexedDB.
    page.reload()
    expect(page.locator("#status")).to_contain_text("2 条记录等待发送")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the app is wider than the phone: {width}px"
    context.set_offline(False)
    expect(page.locator("#status")).not_to_contain_text("等待发送", timeout=20000)
    page.get_by_role("button", name="待发送").click()
    expect(page.locator("#outbox .card.sent")).to_have_count(2)
    assert inspections_at(page, "离线测试·石门村") == 1
    page.get_by_text("离线测试·石门村").first.click()
    expect(page.locator(".attachments img")).to_have_count(2)


def test_a_send_cut_half_way_is_retried_without_a_second_inspection(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    context.set_offline(True)
    fill_inspection(page, "断网测试·河口村")
    lost = []

    def answer_lost(route):
        # The server carries the request out, but its answer never reaches the phone.
        route.fetch()
        lost.append(route.request.url)
        route.abort("connectionreset")

    page.route("**/api/v1/inspections", answer_lost)
    context.set_offline(False)
    for _ in range(40):
        if lost:
            break
        page.wait_for_timeout(250)
    assert lost, "the app did not send the inspection"
    page.unroute("**/api/v1/inspections")
    # The cut connection is this test's own doing, not an error of the page.
    traffic.errors[:] = [e for e in traffic.errors if "ERR_CONNECTION_RESET" not in e]
    expect(page.locator("#status")).to_contain_text("1 条记录等待发送")
    # The next chance to send (the network coming back) repeats the same keys.
    context.set_offline(True)
    context.set_offline(False)
    expect(page.locator("#status")).not_to_contain_text("等待发送", timeout=20000)
    assert inspections_at(page, "断网测试·河口村") == 1


def test_signing_out_warns_about_unsent_records_and_clears_the_phone(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    page.route("**/api/v1/**", lambda route: route.abort("internetdisconnected"))  # nothing gets through
    page.locator("#items .report button").first.click()
    page.get_by_label("意见", exact=True).fill("请补充现场照片。")
    # No verdict is chosen beforehand: saving without one keeps nothing and asks for it.
    expect(page.get_by_label("确认", exact=True)).not_to_be_checked()
    expect(page.get_by_label("有异议")).not_to_be_checked()
    page.get_by_role("button", name="保存反馈").click()
    expect(page.locator("#feedback-problems")).to_contain_text("请选择确认或有异议")
    expect(page.locator("#waiting-count")).to_have_text("0")
    page.get_by_label("确认", exact=True).check()
    page.get_by_role("button", name="保存反馈").click()
    expect(page.locator("#status")).to_contain_text("1 条记录等待发送")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login")
    assert asked and "还有 1 条记录没有发送" in asked[0]
    names = page.evaluate("indexedDB.databases().then(list => list.map(d => d.name))")
    assert "supervise-app-deputy" not in names
    traffic.errors[:] = [e for e in traffic.errors if "ERR_INTERNET_DISCONNECTED" not in e]


def test_what_the_server_would_refuse_is_said_before_anything_is_kept(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    context.set_offline(True)
    page.get_by_role("button", name="记录活动").click()
    page.get_by_label("发现的问题或建议").fill("桥面护栏松动。")
    page.get_by_label("活动方式").select_option(label="问卷式走访座谈")
    page.get_by_role("button", name="保存并提交（无网络时先存在手机上）").click()
    problems = page.locator("#inspection-problems")
    expect(problems).to_contain_text("请填写活动地点")
    expect(problems).to_contain_text("走访的群众人数")
    expect(problems).to_contain_text("群众意见摘要")
    expect(page.locator("#waiting-count")).to_have_text("0")  # nothing was kept
    expect(page.get_by_label("发现的问题或建议")).to_have_value("桥面护栏松动。")  # the typing stays
    page.get_by_label("地点").fill("核对测试·桥头村")
    page.get_by_label("走访群众人数").fill("12")
    page.get_by_label("群众意见摘要").fill("希望尽快加固护栏。")
    kept_date = page.get_by_label("活动日期").input_value()
    page.get_by_label("活动日期").fill("2099-01-01")  # not held yet: the server would refuse it
    page.get_by_role("button", name="保存并提交（无网络时先存在手机上）").click()
    expect(problems).to_contain_text("晚于今天")
    expect(page.locator("#waiting-count")).to_have_text("0")
    page.get_by_label("活动日期").fill(kept_date)
    page.get_by_role("button", name="保存并提交（无网络时先存在手机上）").click()
    expect(page.locator("#waiting-count")).to_have_text("1")
    # The next record starts from today's date again: a second one can be kept right away.
    page.get_by_role("button", name="记录活动").click()
    expect(page.get_by_label("活动日期")).not_to_have_value("")
    page.get_by_label("地点").fill("核对测试·桥尾村")
    page.get_by_label("活动情况").fill("查看了桥尾的排水。")
    page.get_by_role("button", name="保存并提交（无网络时先存在手机上）").click()
    expect(page.locator("#waiting-count")).to_have_text("2")
    context.set_offline(False)
    expect(page.locator("#status")).not_to_contain_text("等待发送", timeout=20000)
    assert inspections_at(page, "核对测试·桥头村") == 1
    assert inspections_at(page, "核对测试·桥尾村") == 1


def test_a_refused_record_is_corrected_on_the_phone_and_sent_again(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    refusal = {"title": "操作与当前状态冲突", "status": 409, "detail": "事项 X 当前不能关联发现（已办结）。"}
    page.route(
        "**/api/v1/inspections",
        lambda route: route.fulfill(status=409, content_type="application/problem+json", json=refusal),
    )
    fill_inspection(page, "退回测试·岭下村")
    card = page.locator("#outbox .card.refused")
    expect(card).to_contain_text("当前不能关联发现")
    page.unroute("**/api/v1/inspections")
    traffic.errors[:] = [e for e in traffic.errors if "409" not in e]
    card.get_by_role("button", name="修改").click()
    expect(page.locator("#editing")).to_contain_text("当前不能关联发现")
    expect(page.get_by_label("地点")).to_have_value("退回测试·岭下村")  # the record, back in the form
    page.get_by_label("地点").fill("退回测试·岭上村")
    page.locator("#inspection-item").select_option("")
    page.get_by_role("button", name="保存并提交（无网络时先存在手机上）").click()
    expect(page.locator("#outbox .card.sent")).to_have_count(1, timeout=20000)
    expect(page.locator("#outbox .card")).to_have_count(1)  # corrected in place, not a second record
    assert inspections_at(page, "退回测试·岭上村") == 1
    assert inspections_at(page, "退回测试·岭下村") == 0


def give_feedback(page, comment):
    page.get_by_role("button", name="我的事项").click()
    page.locator("#items .report button").first.click()
    page.get_by_label("有异议").check()
    page.get_by_label("意见", exact=True).fill(comment)
    page.get_by_role("button", name="保存反馈").click()


def test_another_deputy_on_the_same_phone_sees_and_sends_nothing_of_the_first(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    page.route("**/api/v1/**", lambda route: route.abort("internetdisconnected"))
    give_feedback(page, "第一位代表的反馈。")
    expect(page.locator("#status")).to_contain_text("1 条记录等待发送")
    page.unroute("**/api/v1/**")
    traffic.errors[:] = [e for e in traffic.errors if "ERR_INTERNET_DISCONNECTED" not in e]
    page.close()
    context.clear_cookies()  # the session lapses; another deputy signs in on this phone
    _same, other = open_app(new_context, sign_in, "jk-d02", context=context)
    expect(other.locator("#waiting-count")).to_have_text("0")
    expect(other.locator("#status")).not_to_contain_text("等待发送")
    other.get_by_role("button", name="待发送").click()
    expect(other.locator("#outbox .card")).to_have_count(0)


def test_a_token_revoked_by_another_phone_is_renewed_and_the_record_is_sent(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    _second, elsewhere = open_app(new_context, sign_in)  # the app on a second phone: a new token
    elsewhere.close()
    give_feedback(page, "令牌更换后仍应送达。")
    page.get_by_role("button", name="待发送").click()
    expect(page.locator("#outbox .card.sent")).to_have_count(1)
    expect(page.locator("#sign-in-needed")).to_be_hidden()
    traffic.errors[:] = [e for e in traffic.errors if "401" not in e]


def test_signing_out_offline_is_refused_and_keeps_the_records(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    context.set_offline(True)
    give_feedback(page, "离线时不应退出。")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator("#status")).to_contain_text("1 条记录等待发送")
    assert asked and "退出登录需要网络" in asked[0]
    assert page.url.endswith("/app/")


def test_feedback_is_offered_only_on_items_whose_reports_take_it(new_context, sign_in, traffic):
    context, page = open_app(new_context, sign_in)
    cards = page.locator("#items > li")
    with_reports = cards.filter(has=page.locator(".report"))
    expect(with_reports.first.locator(".report button").first).to_be_visible()
    code = with_reports.first.locator("strong").inner_text().split(" ")[0]

    def ended(route):
        # The same answer, with that item's supervision over (closed): the server would refuse feedback.
        answer = route.fetch()
        body = answer.json()
        for item in body["items"]:
            if item["code"] == code:
                item["takes_feedback"] = False
        route.fulfill(response=answer, json=body)

    page.route("**/api/v1/me/items*", ended)
    page.reload()
    page.wait_for_load_state("networkidle")
    card = cards.filter(has_text=code)
    expect(card.locator(".report").first).to_be_visible()
    expect(card.locator(".report button")).to_have_count(0)
