"""Content: the single source of every user-facing text (see `content/` at the repository root).

* :mod:`bot.content.models` — what a language, a UI catalog and a topic are;
* :mod:`bot.content.catalog` — loads `content/` into those models, once per process;
* :mod:`bot.content.render` — turns them into the messages the bot sends;
* :mod:`bot.content.check` — the rules `doula content check` enforces in CI.
"""

from bot.content.catalog import Catalog, load_catalog
from bot.content.models import SECTIONS, STAGES, LanguageInfo, Source, Topic, UiCatalog

__all__ = ["Catalog", "LanguageInfo", "SECTIONS", "STAGES", "Source", "Topic", "UiCatalog", "load_catalog"]
