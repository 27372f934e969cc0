from tests.notices.conftest import make_town, town  # noqa: F401  (shared fixtures)
