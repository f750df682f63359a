"""Stored feedback (table `feedback`): coarse fields and anonymised words only, nothing that leads back to her."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from bot.runtime import metrics
from bot.storage.database import feedback
from bot.storage.retry import retry_write

RATINGS = ("very_good", "good", "neither", "poor", "very_poor", "dont_know")
STAGES = ("pregnancy", "birth", "after_birth")
AGE_BANDS = ("under_20", "20_24", "25_29", "30_34", "35_39", "40_plus")


@dataclass
class FeedbackRecord:
    month: str  # YYYY-MM
    language: str
    source: str = "bot"  # bot | import
    site: str | None = None
    stage: str | None = None
    rating: str | None = None
    went_well: str | None = None
    went_well_en: str | None = None
    could_be_better: str | None = None
    could_be_better_en: str | None = None
    themes: list[dict] = field(default_factory=list)  # [{"theme", "sentiment", "cues"}]
    sentiment: str | None = None
    ethnic_group: str | None = None
    age_band: str | None = None
    consent_mvp: bool = False
    id: int | None = None

    @property
    def texts(self) -> list[str]:
        return [t for t in (self.went_well, self.could_be_better, self.went_well_en, self.could_be_better_en) if t]


def _within(statement, start_month: str | None, end_month: str | None, site: str | None):
    """`statement` restricted to a period (months, inclusive) and a site, when given."""
    if start_month:
        statement = statement.where(feedback.c.month >= start_month)
    if end_month:
        statement = statement.where(feedback.c.month <= end_month)
    if site:
        statement = statement.where(feedback.c.site == site)
    return statement


class FeedbackStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, record: FeedbackRecord) -> int:
        """Store `record`; refuses one whose words still hold something the anonymiser would remove."""
        from bot.anonymise import anonymiser

        for text in record.texts:
            if anonymiser().redact(text, record.language).entities:
                raise ValueError("feedback text must be anonymised before it is stored")
        values = asdict(record)
        values.pop("id")
        values["themes"] = json.dumps(record.themes, ensure_ascii=False)

        def write() -> int:
            with self.engine.begin() as connection:
                return int(connection.execute(insert(feedback).values(**values)).inserted_primary_key[0])

        saved = retry_write(write)  # a database restart must not lose her feedback (bot/storage/retry.py)
        metrics.count(metrics.FEEDBACK, source=record.source)
        return saved

    def query(self, start_month: str | None = None, end_month: str | None = None, site: str | None = None,
              consented_only: bool = True) -> list[FeedbackRecord]:
        statement = _within(select(feedback).order_by(feedback.c.month, feedback.c.id), start_month, end_month, site)
        if consented_only:
            statement = statement.where(feedback.c.consent_mvp.is_(True))
        with self.engine.connect() as connection:
            rows = connection.execute(statement).mappings().all()
        return [FeedbackRecord(**{**row, "themes": json.loads(row["themes"] or "[]"),
                                  "consent_mvp": bool(row["consent_mvp"])}) for row in rows]

    def count_withheld(self, start_month: str | None = None, end_month: str | None = None,
                       site: str | None = None) -> int:
        """How many pieces of feedback in the period she did not agree to share with the MVP: exports say how many
        were left out for that reason, never which."""
        statement = _within(select(func.count()).select_from(feedback).where(feedback.c.consent_mvp.is_(False)),
                            start_month, end_month, site)
        with self.engine.connect() as connection:
            return int(connection.execute(statement).scalar_one())

    def sites(self) -> list[str]:
        """The sites named in stored feedback, for the console's site filter."""
        statement = select(feedback.c.site).where(feedback.c.site.is_not(None)).distinct().order_by(feedback.c.site)
        with self.engine.connect() as connection:
            return [row.site for row in connection.execute(statement)]
