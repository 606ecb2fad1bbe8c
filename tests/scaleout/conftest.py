"""The scale-out test's marker (registered here so the suite's settings stay untouched)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "scaleout: starts app servers and task workers against PostgreSQL + Redis"
    )
