from tests.security import xss_report


def pytest_terminal_summary(terminalreporter) -> None:
    for summary in xss_report.SUMMARIES:
        terminalreporter.section("XSS report")
        terminalreporter.write_line(summary)
