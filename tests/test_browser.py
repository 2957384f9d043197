"""The web pages in a real browser: Debian's headless Chromium (/usr/bin/chromium) driven by Playwright.

The app runs under uvicorn on a loopback port against a copy of the 鲁安市 sample knowledge base (so the
dispute writes never touch the shared `sample_kb` graph). Each step saves a screenshot to
tests/artifacts/ (gitignored; CI keeps the folder as the run's artefacts).

Chromium comes from `./dev` setup (apt-get install chromium); Playwright's own browser download is not
possible here. Without /usr/bin/chromium these tests skip on a developer's machine and fail in CI
(env CI set), since CI must run them.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from falkordb import FalkorDB

from api.users import KeyStore
from api.web.app import create_app
from graph.settings import Settings
from graph.store.falkor_server import free_port
from search.index_build import index_dir

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORT = {"width": 1366, "height": 768}
SLOW_MS = 120_000  # the first ask loads the embedder; gaps are computed once per graph state
DISPUTE = "我们街上新开了一家剧本杀店，消防和剧本内容到底谁来管？"
LAW_STATUSES = {"现行有效", "已修改", "已废止"}
RELATION_CODES = ("HOLDS", "DESIGNATES", "ASSIGNS", "ACTS_AS", "RESPONSIBLE_FOR", "HAS_CLAUSE")  # never shown raw


def _chromium() -> Path:
    if CHROMIUM.is_file():
        return CHROMIUM
    msg = f"{CHROMIUM} is missing: install Debian's chromium (`./dev` setup does, as root with apt-get)"
    if os.environ.get("CI"):
        pytest.fail(msg + " — CI must run the browser tests")
    pytest.skip(msg)


@pytest.fixture(scope="module")
def browser_kb(sample_kb: Settings) -> Iterator[Settings]:
    """A private copy of the sample graph (GRAPH.COPY) sharing its indexes, with its change-log anchor."""
    name = f"browser_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    host, port = sample_kb.graph_uri.removeprefix("falkordb://").split(":")
    db = FalkorDB(host=host, port=int(port), password=sample_kb.falkordb_password or None)
    db.select_graph(sample_kb.graph_name).copy(name)
    anchor = sample_kb.data_dir / f"changelog-{sample_kb.graph_name}.head"
    copy_anchor = sample_kb.data_dir / f"changelog-{name}.head"
    if anchor.exists():
        shutil.copy(anchor, copy_anchor)
    copy = sample_kb.model_copy(update={"graph_name": name})
    index = index_dir(copy)  # the indexes live per graph name; the copy reads the sample's (read only)
    index.symlink_to(index_dir(sample_kb).resolve(), target_is_directory=True)
    yield copy
    index.unlink()
    db.select_graph(name).delete()
    copy_anchor.unlink(missing_ok=True)


def _user_key(kb: Settings, name: str, role: str) -> Iterator[str]:
    """An API key of `role` for a user named `name` plus a random tail, revoked afterwards."""
    keys = KeyStore.for_data_dir(kb.data_dir)
    name = f"{name}{uuid.uuid4().hex[:6]}"
    yield keys.add(name, role)  # type: ignore[arg-type]
    keys.revoke(name)


@pytest.fixture(scope="module")
def adjudicator_key(browser_kb: Settings) -> Iterator[str]:
    yield from _user_key(browser_kb, "浏览器测试", "adjudicator")


@pytest.fixture(scope="module")
def reviewer_key(browser_kb: Settings) -> Iterator[str]:
    yield from _user_key(browser_kb, "浏览器审核", "reviewer")


@pytest.fixture(scope="module")
def base_url(browser_kb: Settings) -> Iterator[str]:
    """The app under uvicorn in a background thread on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(browser_kb), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-browser-tests", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = _chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(path), args=ARGS)
        yield b
        b.close()


def _user_page(browser, base_url: str):  # noqa: ANN001 - playwright types are optional at import time
    """One user's browser page in its own context (its own local storage), failing on any JavaScript error."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, base_url: str):  # noqa: ANN001
    yield from _user_page(browser, base_url)


def shot(pg, name: str) -> None:  # noqa: ANN001
    pg.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"), full_page=False)


def search(pg, text: str = DISPUTE) -> None:  # noqa: ANN001
    """Type a dispute and submit it with the keyboard (Enter in the text box), as a user would."""
    pg.goto("/")
    box = pg.get_by_label("争议描述")
    box.click()
    box.type(text)
    box.press("Enter")
    pg.wait_for_selector("#candidates .candidate, #ask-problem .problem", timeout=SLOW_MS)
    problem = pg.locator("#ask-problem .problem")
    assert not problem.count(), f"the search was refused: {problem.inner_text()}"


def test_search_by_keyboard_lists_candidates_with_evidence(page) -> None:  # noqa: ANN001
    search(page)
    cands = page.locator("#candidates .candidate")
    assert cands.count() >= 2
    first = cands.first
    assert first.locator(".name").inner_text().strip()
    assert first.locator(".cand-head .role").inner_text() in {"牵头", "配合", "属地"}
    assert re.search(r"得分 \d+\.\d{3}", first.locator(".score").inner_text())
    assert page.locator("#rulings .ruling").count() >= 1
    assert re.search(r"找到 \d+ 个候选部门", page.locator("#ask-status").inner_text())
    assert "q=" in page.url, "the search is kept in the address so it can be shared"
    shot(page, "01-search")

    summary = first.locator("details summary")
    summary.focus()
    page.keyboard.press("Enter")  # a <summary> opens with the keyboard
    evidence = first.locator(".evidence li")
    evidence.first.wait_for(state="visible")
    assert evidence.count() >= 1
    assert re.search(r"贡献 \+\d", evidence.first.locator(".contrib").inner_text())
    assert evidence.first.locator("button.citation").inner_text().strip()
    paths = first.locator(".evidence li .path").all_inner_texts()
    assert paths, "each evidence item shows its path through the graph"
    assert all(re.search(r"承担权责|法定指定|裁决指定|负责事项|三定条款|履行职权", p) for p in paths), paths
    assert not any(code in p for p in paths for code in RELATION_CODES), "paths in Chinese (/api/v1/vocabulary)"
    shot(page, "02-evidence-chain")


def _indent(label: str) -> int:
    """How deep an option's text is indented: its leading full-width spaces and tree mark (　　└ 鲁安市)."""
    return len(label) - len(label.lstrip("\u3000└ "))


def test_place_picker_shows_the_tree_and_a_town_is_searched_by_its_id(page) -> None:  # noqa: ANN001
    page.goto("/")
    picker = page.get_by_label("地区")
    page.wait_for_function("() => document.querySelectorAll('#place option').length > 4", timeout=30_000)
    assert picker.input_value().endswith("/鲁安市"), "the page still opens on 鲁安市, now by its id"
    options = page.eval_on_selector_all("#place option", "os => os.map(o => [o.value, o.textContent])")
    ids = [value for value, _ in options]
    assert all(value.startswith("jur:") for value in ids) and ids[0] == "jur:全国"
    # depth-first: each option sits right under the nearest option above it that is indented less
    for i, (value, label) in enumerate(options[1:], start=1):
        parent = next(v for v, t in reversed(options[:i]) if _indent(t) < _indent(label))
        assert value.startswith(parent + "/"), f"{label!r} is listed under {parent!r}"

    city = picker.input_value()
    at = ids.index(city)
    towns = [i for i, value in enumerate(ids) if value.startswith(city + "/")]
    assert towns and min(towns) == at + 1, "the city's towns follow it"
    town_id, town_label = options[towns[0]]
    assert _indent(town_label) > _indent(options[at][1]) and town_label.strip().startswith("└")
    shot(page, "11-place-tree")

    picker.focus()
    page.keyboard.press("ArrowDown")  # the keyboard steps from the city to its first town
    assert picker.input_value() == town_id
    page.get_by_label("争议描述").fill(DISPUTE)
    with page.expect_request(lambda r: r.url.endswith("/api/v1/ask") and r.method == "POST") as asked:
        page.get_by_role("button", name="检索", exact=True).click()
    assert asked.value.post_data_json["jurisdiction"] == town_id
    page.wait_for_function("() => /找到 \\d+ 个候选部门/.test(document.querySelector('#ask-status').textContent)"
                           " || document.querySelector('#ask-problem .problem')", timeout=SLOW_MS)
    assert not page.locator("#ask-problem .problem").count(), page.locator("#ask-problem").inner_text()
    town_name = town_id.rsplit("/", 1)[-1]
    assert town_name in page.locator("#ask-status").inner_text(), "the answer is for the town chosen"

    page.goto(f"/?place={town_name}")  # a link naming the place, as links did before ids
    page.wait_for_function("() => document.querySelectorAll('#place option').length > 4", timeout=30_000)
    assert picker.input_value() == town_id


def test_citation_opens_article_text_with_status_and_version(page) -> None:  # noqa: ANN001
    search(page)
    for s in page.locator("#candidates details summary").all():
        s.click()
    article = page.locator(".evidence li", has=page.locator(".kind", has_text=re.compile("^法条$"))).locator("button.citation")
    assert article.count() >= 1, "the answer should cite at least one statute article as evidence"
    article.first.scroll_into_view_if_needed()
    article.first.click()
    dialog = page.locator("#source-dialog")
    dialog.locator(".article .article-text").wait_for(state="visible", timeout=30_000)
    assert len(dialog.locator(".article-text").first.inner_text()) > 10
    assert dialog.locator(".law-status").first.inner_text().strip() in LAW_STATUSES
    assert dialog.locator(".law-version").first.inner_text().strip() not in ("", "—")
    assert "第" in dialog.locator(".article h3").first.inner_text()
    shot(page, "03-article-dialog")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()


def test_evidence_graph_renders_from_the_local_library(page, base_url: str) -> None:  # noqa: ANN001
    r = page.request.get(f"{base_url}/static/vendor/cytoscape.min.js")
    assert r.ok and len(r.body()) > 100_000, "cytoscape from node_modules (npm ci --prefix api/web)"
    search(page)
    page.wait_for_selector("#graph[data-state=drawn] canvas", timeout=30_000)
    assert page.locator("#graph canvas").count() >= 1
    counts = page.evaluate("() => { const cy = document.querySelector('#graph')._cy;"
                           " return [cy.nodes('[type=\"unit\"]').length, cy.nodes('[type=\"cand\"]').length, cy.edges().length]; }")
    units, cands, edges = counts
    assert units >= 1 and cands == page.locator("#candidates .candidate").count() and edges >= units
    page.locator("#graph").scroll_into_view_if_needed()
    shot(page, "04-evidence-graph")


def test_page_still_works_without_the_graph_library(page) -> None:  # noqa: ANN001
    page.route("**/static/vendor/**", lambda route: route.fulfill(status=404, body="missing"))
    search(page)
    page.wait_for_selector("#graph[data-state=missing]", timeout=30_000)
    assert "图形库未安装" in page.locator("#graph").inner_text()
    assert page.locator("#candidates .candidate").count() >= 1


def test_gaps_dashboard_lists_items_and_filters_by_kind(page) -> None:  # noqa: ANN001
    page.goto("/gaps")
    page.wait_for_selector("#gap-list .gap", timeout=SLOW_MS)
    total = int(page.locator("#gap-counts button.count").first.locator("b").inner_text())
    assert total >= 2 and page.locator("#gap-list .gap").count() >= 1
    assert page.locator("#gap-list .gap .snippet").first.inner_text().strip(), "each item says why"
    assert "推诿热点" in page.locator("#gap-kind").inner_text(), "kinds labelled from /api/v1/vocabulary"
    shot(page, "05-gaps")

    kinds = {b.get_attribute("data-kind"): int(b.locator("b").inner_text())
             for b in page.locator("#gap-counts button[data-kind]").all()}
    kind = next(k for k, n in sorted(kinds.items(), key=lambda kv: kv[1]) if 0 < n < total)
    page.locator(f"#gap-counts button[data-kind={kind}]").click()
    page.wait_for_function(
        "k => [...document.querySelectorAll('#gap-list .gap')].every(li => li.dataset.kind === k)"
        " && document.querySelectorAll('#gap-list .gap').length > 0", arg=kind, timeout=SLOW_MS)
    assert page.locator("#gap-list .gap").count() == min(kinds[kind], 10)
    assert page.locator(f"#gap-counts button[data-kind={kind}]").get_attribute("aria-pressed") == "true"
    assert page.locator("#gap-kind").input_value() == kind
    shot(page, "06-gaps-filtered")


def test_trace_shows_paths_timeline_and_integrity(page) -> None:  # noqa: ANN001
    page.goto("/trace")
    box = page.get_by_label("事项", exact=True)
    box.fill("广场舞")
    page.wait_for_selector("#matter-suggest button", timeout=30_000)
    box.press("ArrowDown")
    page.keyboard.press("Enter")  # pick the first matter
    assert "广场舞" in box.input_value()
    box.press("Enter")  # submit
    page.wait_for_selector("#timeline li time", timeout=SLOW_MS)
    assert page.locator("#timeline li").count() >= 1
    assert page.locator("#paths li").count() >= 1
    assert "哈希链校验通过" in page.locator("#integrity-status").inner_text()
    assert page.locator("#paths li .tag").first.inner_text() in {"现行", "已失效"}
    timeline = page.locator("#timeline").inner_text()
    assert re.search("确立|截止", timeline) and not any(code in timeline for code in RELATION_CODES)
    shot(page, "07-trace")


def test_trace_shows_the_effect_of_the_ruling_as_table_and_chart(page, base_url: str) -> None:  # noqa: ANN001
    r = page.request.get(f"{base_url}/static/vendor/chart.umd.min.js")
    assert r.ok and len(r.body()) > 100_000, "Chart.js from node_modules (npm ci --prefix api/web)"
    page.goto("/trace")
    box = page.get_by_label("事项", exact=True)
    box.fill("占用消防通道停车")
    page.wait_for_selector("#matter-suggest button", timeout=30_000)
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    box.press("Enter")
    page.wait_for_selector(".effect table.effect-table", timeout=SLOW_MS)
    table = page.locator(".effect table.effect-table").first.inner_text()
    assert "首派牵头部门" in table and "裁决前" in table and "裁决后" in table and "%" in table
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('.effect canvas'))",
                           timeout=30_000)
    page.locator(".effect").first.scroll_into_view_if_needed()
    shot(page, "07b-trace-effect")


@pytest.fixture
def second_page(browser, base_url: str):  # noqa: ANN001
    """A second user's browser (its own context, so its own API key in local storage)."""
    yield from _user_page(browser, base_url)


def use_key(pg, key: str) -> None:  # noqa: ANN001
    pg.locator("#api-key").fill(key)
    pg.locator("#api-key").press("Enter")
    assert "已保存密钥" in pg.locator("#api-key-state").inner_text()


def case_state(pg) -> str:  # noqa: ANN001
    return pg.locator("#case-state").inner_text()


def step(pg, name: str, reason: str = "") -> None:  # noqa: ANN001
    """Click a ladder button (提交审核, 审核通过, 退回研判, 重新协调 …), with a reason when one is given."""
    pg.locator("#t-reason").fill(reason)
    pg.locator("#step-buttons").get_by_role("button", name=name).click()


def expect_state(pg, label: str) -> None:  # noqa: ANN001
    pg.wait_for_function("l => document.querySelector('#case-state')?.textContent === l", arg=label, timeout=30_000)


def expect_refused(pg, status: str, text: str) -> None:  # noqa: ANN001
    box = pg.locator("#ladder-problem .problem")
    box.wait_for(timeout=30_000)
    assert box.inner_text().startswith(status) and text in box.inner_text(), box.inner_text()


def walk_ladder(adj, rev, adjudicator_key: str, reviewer_key: str, shots: str = "dispute") -> str:  # noqa: ANN001
    """Walk a new case through 研判 → 审核 → 协调 → 裁决 → 反馈 in two browsers: `adj` holds an adjudicator key,
    `rev` a reviewer key. Checks each state, the refusals on the way (a 403 for the wrong role, a 409 for a
    stale page's step, a 422 for a return without its reason — each changing nothing) and the history.
    Returns the case's path (/disputes/…) with `adj` left on the fed-back case page, for further steps
    (a document download) by the caller."""
    adj.goto("/disputes")
    adj.get_by_label("争议描述").fill("某小区楼下新开的宠物互动馆夜间噪音扰民，几个部门都说不归自己管")
    adj.get_by_role("button", name="登记案件").click()
    refused = adj.locator("#new-problem .problem")
    refused.wait_for(timeout=30_000)
    assert refused.inner_text().startswith("401"), "an unauthenticated write is refused and the page says why"
    shot(adj, f"08-{shots}-refused")

    use_key(adj, adjudicator_key)
    adj.get_by_role("button", name="登记案件").click()
    adj.wait_for_url(re.compile(r"/disputes/dispute"), timeout=30_000)
    adj.wait_for_selector("#case-state")
    assert case_state(adj) == "研判" and adj.locator("#ladder [aria-current=step]").inner_text() == "研判"
    path = adj.url.removeprefix(adj.url.split("/disputes/")[0])

    adj.get_by_label("部门", exact=True).fill("鲁安市文化和旅游局")
    adj.get_by_label("态度").select_option("refuses")
    adj.get_by_label("意见及理由").fill("宠物互动馆不属于娱乐场所，本局没有执法依据。")
    adj.get_by_role("button", name="记录意见").click()
    adj.wait_for_selector("#parties li b", timeout=30_000)
    assert "鲁安市文化和旅游局" in adj.locator("#parties").inner_text()
    adj.get_by_role("button", name="附上系统建议").click()
    adj.wait_for_selector("#proposal .candidate", timeout=SLOW_MS)
    assert adj.locator("#dec-form").is_hidden(), "no decision before review and coordination"

    step(adj, "提交审核")
    expect_state(adj, "审核")
    assert adj.locator("#propose").is_hidden(), "the proposal under review is kept as it is"
    entries = adj.locator("#history li").count()
    step(adj, "审核通过")  # the adjudicator's key may not approve: 403, nothing changes
    expect_refused(adj, "403", "needs the role reviewer")
    shot(adj, f"09-{shots}-wrong-role")
    adj.reload()
    expect_state(adj, "审核")
    assert adj.locator("#history li").count() == entries

    rev.goto(path)
    use_key(rev, reviewer_key)
    expect_state(rev, "审核")
    step(rev, "退回研判")  # a return without its reason
    rev.locator("#ladder-problem .problem").wait_for(timeout=30_000)
    assert "body.reason" in rev.locator("#ladder-problem").inner_text()
    step(rev, "退回研判", "请补充生态环境部门的意见。")
    expect_state(rev, "研判")
    assert "请补充生态环境部门的意见。" in rev.locator("#history").inner_text()

    adj.reload()
    expect_state(adj, "研判")
    step(adj, "提交审核")
    expect_state(adj, "审核")  # adj's page now offers 审核通过 / 退回研判 (for a reviewer)
    rev.reload()
    expect_state(rev, "审核")
    step(rev, "审核通过")
    expect_state(rev, "协调")

    entries = rev.locator("#history li").count()
    step(adj, "审核通过")  # adj's page is stale: the case is already at 协调 → 409, nothing changes
    expect_refused(adj, "409", "cannot move to 协调")
    shot(adj, f"10-{shots}-stale-step")
    adj.reload()
    expect_state(adj, "协调")
    assert adj.locator("#history li").count() == entries

    adj.get_by_role("button", name="按建议填写").click()
    assert adj.get_by_label("牵头部门").input_value()
    adj.get_by_label("适用原则").fill("职责就近")
    adj.get_by_label("决定机关").fill("鲁安市委编办")
    adj.get_by_role("button", name="记录裁决").click()
    adj.wait_for_selector("#decision-box", timeout=30_000)
    expect_state(adj, "裁决")
    assert adj.locator("#decision-box .role").count() >= 1
    assert re.search(r"\d+ 个工作日内答复，截止 \d{4}-\d{2}-\d{2}", adj.locator("#follow-due").inner_text())
    departments = adj.locator("#a-dept option").evaluate_all("os => os.map(o => o.value)")
    assert departments and adj.locator("#follow-list li").count() == len(departments)
    shot(adj, f"11-{shots}-decided")

    adj.get_by_label("答复", exact=True).select_option("objected")  # an objection without its grounds
    adj.get_by_role("button", name="记录反馈").click()
    adj.locator("#ack-problem .problem").wait_for(timeout=30_000)
    assert "body.reason" in adj.locator("#ack-problem").inner_text()
    adj.get_by_label("答复", exact=True).select_option("accepted")
    for dept in departments:
        adj.get_by_label("承办部门", exact=True).select_option(dept)
        adj.get_by_role("button", name="记录反馈").click()
        adj.wait_for_function("d => document.querySelector(`#follow-list li[data-department='${d}'] .tag.good`)",
                              arg=dept, timeout=30_000)
        assert not adj.locator("#ack-problem .problem").count()
    expect_state(adj, "反馈")
    assert adj.locator("#ack-form").is_hidden()
    history = adj.locator("#history").inner_text()
    for move in ("研判 → 审核", "审核 → 研判", "审核 → 协调", "协调 → 裁决", "裁决 → 反馈"):
        assert move in history, move
    shot(adj, f"12-{shots}-fed-back")
    return path


def test_dispute_case_climbs_the_review_ladder(page, second_page, adjudicator_key: str, reviewer_key: str) -> None:  # noqa: ANN001
    path = walk_ladder(page, second_page, adjudicator_key, reviewer_key)
    second_page.goto("/disputes")  # the list shows it under 反馈, and nothing of it is overdue
    second_page.get_by_label("状态").select_option("fed_back")
    second_page.wait_for_selector(f"#d-list a[href='{path}']", timeout=30_000)
    assert not second_page.locator(f"#overdue a[href='{path}']").count()
    # the signed document: the 职责分工意见 of the fed-back case, with the settling article quoted from the statute
    body = download_opinion(page, "ladder-opinion")
    case = page.request.get(f"/api/v1{path}", headers={"X-API-Key": adjudicator_key}).json()
    proposal = case["proposal"]
    offered = [a for a in [*proposal["articles"], *(x for asp in proposal.get("aspects") or [] for x in asp["articles"])]
               if a["valid"]]
    assert offered, "the proposal offers a basis article"
    quoted = [page.request.get(f"/api/v1/articles/{quote(a['id'], safe='')}").json()["text"] for a in offered]
    assert any(q and q in body for q in quoted), "a settling article is quoted in full in the document"
    assert "鲁安市委编办" in body


def download_opinion(pg, name: str = "opinion") -> str:  # noqa: ANN001
    """Click the case page's Word button, keep the file in tests/artifacts/ and return its text as python-docx
    reads it (paragraphs, then table cells)."""
    import docx

    with pg.expect_download(timeout=60_000) as info:
        pg.get_by_role("button", name="下载职责分工意见（Word）").click()
    download = info.value
    assert download.suggested_filename.endswith("的职责分工意见.docx"), download.suggested_filename
    saved = ARTIFACTS / f"browser-{name}.docx"
    download.save_as(saved)
    d = docx.Document(str(saved))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_case_document_downloads_from_the_case_page(page, adjudicator_key: str, reviewer_key: str) -> None:  # noqa: ANN001
    """The case page's Word button saves the 职责分工意见; python-docx reads it back with the facts, the
    position, the decision and the text of the article it rests on, quoted from the statute."""
    adj, rev = {"X-API-Key": adjudicator_key}, {"X-API-Key": reviewer_key}
    api = page.request
    text = "小区门口的共享单车堆放占用人行道，城管和交通部门互相推诿"
    case = api.post("/api/v1/disputes", data={"text": text, "jurisdiction": "鲁安市"}, headers=adj)
    assert case.status == 201, case.text()
    did = case.json()["id"]
    base = f"/api/v1/disputes/{quote(did, safe='')}"
    position = "共享单车的停放秩序应由交通运输部门管理。"
    api.post(f"{base}/positions", data={"department": "鲁安市综合行政执法局", "stance": "refuses", "position": position},
             headers=adj)
    proposal = api.post(f"{base}/proposal", headers=adj, timeout=SLOW_MS).json()["proposal"]
    article = next(a for a in proposal["articles"] if a["valid"])
    lead = next(c["name"] for c in proposal["candidates"] if c["id"].startswith("dept:"))
    assert api.post(f"{base}/transitions", data={"to": "reviewing"}, headers=adj).status == 201
    assert api.post(f"{base}/transitions", data={"to": "coordinating"}, headers=rev).status == 201
    decided = api.post(f"{base}/decision", headers=adj, data={
        "lead": [lead], "basis": [article["id"]], "summary": f"共享单车占道由{lead}牵头处理。", "decided_by": "鲁安市委编办"})
    assert decided.status == 201, decided.text()
    quoted = api.get(f"/api/v1/articles/{quote(article['id'], safe='')}").json()["text"]

    page.goto(f"/disputes/{quote(did, safe='')}")
    page.wait_for_selector("#decision-box", timeout=30_000)
    body = download_opinion(page)
    assert text in body and position in body and "鲁安市委编办" in body and f"共享单车占道由{lead}牵头处理。" in body
    assert quoted and quoted in body, "the article the decision rests on, quoted in full"
    assert f"《{article['law_title']}》第{article['article']}条" in body
    shot(page, "13-document-downloaded")
