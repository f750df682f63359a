from tests.storage.postgres import postgres_url  # noqa: F401 (a fixture)
