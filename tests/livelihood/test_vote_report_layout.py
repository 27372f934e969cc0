"""The result report's signature boxes (监票人, 计票人, 主持人) never stand alone on a page: wherever
the page break falls, they are printed with the summary and the last table (a run-off's here)."""

from __future__ import annotations

import pytest

from supervise.ballots.approval import Vote
from supervise.core.pdf import html_to_pdf
from supervise.livelihood import vote_documents
from supervise.livelihood import vote_operations as ops
from tests.helpers import pdf_text
from tests.livelihood.test_vote import Voting

Y, N, A = Vote.yes, Vote.no, Vote.abstain
RUNOFF = '<h2 class="vote-round">'


@pytest.mark.usefixtures("pdf_tools")
def test_the_signature_boxes_keep_with_the_runoffs_table_wherever_the_page_breaks(factory, tmp_path):
    voting = Voting(factory)  # 3 candidates for 2 places: the second and third tie at the cut
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, N, Y], [N, Y, Y]])
    voting.close()
    runoff = ops.create_runoff(voting.chair, voting.plan)
    voting.open(runoff)
    voting.phone_ballots([[Y, N], [Y, N], [Y, N], [N, Y], [A, A]], vote=runoff)
    voting.close(runoff)
    html = vote_documents.report_html(voting.plan)
    assert html is not None and html.count(RUNOFF) == 2
    head, tail = html.rsplit(RUNOFF, 1)
    # Push the run-off down the page by steps, so that the page break falls at each place in turn
    # (before, inside and after its table, before the signatures).
    for space in range(100, 250, 10):
        spaced = f'{head}<div style="height:{space}mm"></div>{RUNOFF}{tail}'
        pages = pdf_text(html_to_pdf(spaced), tmp_path).split("\f")
        signed = next(page for page in pages if "监票人（签字）" in page)
        assert "另行投票（第 1 轮）" in signed and "会议主持人（签字）" in signed, (space, pages)
        assert signed.index("另行投票") < signed.index("监票人"), space
        # The run-off's table is whole on that page: both its lines are there.
        assert signed.count("候选项目2") + signed.count("候选项目3") >= 2, (space, signed)


def test_the_reports_counting_note_has_no_space_between_its_chinese_sentences(factory):
    voting = Voting(factory, runoffs=0)
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, N, Y], [N, Y, Y]])
    voting.close()
    html = vote_documents.report_html(voting.plan)
    assert html is not None and "收回 = 有效 + 无效。每个候选项目" in html
