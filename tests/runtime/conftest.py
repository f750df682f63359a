from tests.postgres import postgres_url  # noqa: F401 (a fixture)
