"""`doula content check`: the rules content must keep before it reaches a woman. Runs in CI; any problem fails it.

Each check returns a list of human-readable problems, naming the file and what to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.content.catalog import Catalog, ContentError, read_catalog, read_yaml
from bot.content.models import CLINICAL_STATUSES, SECTIONS, STAGES, TRANSLATION_STATUSES, UiCatalog
from bot.content.render import Renderer, placeholders
from bot.content.sms import segments
from bot.language.digits import to_ascii_digits
from bot.paths import CONTENT_DIR, DATA_DIR, ROOT

MAX_SUMMARY_SEGMENTS = 2  # the short answer fits two SMS segments in English
MIN_TOPIC_EXAMPLES = 8    # free-text examples of each topic, in each language
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def compare_messages(where: str, messages: UiCatalog, reference: UiCatalog) -> list[str]:
    """A translated message catalog against its reference: status, the same keys, the same placeholders."""
    problems = []
    if messages.translation_status not in TRANSLATION_STATUSES:
        problems.append(f"{where}: translation_status must be one of {TRANSLATION_STATUSES}")
    for key in sorted(reference.messages.keys() - messages.messages.keys()):
        problems.append(f"{where}: missing message {key!r}")
    for key in sorted(messages.messages.keys() - reference.messages.keys()):
        problems.append(f"{where}: message {key!r} is not in the {reference.language} catalog")
    for key in sorted(messages.messages.keys() & reference.messages.keys()):
        if placeholders(messages.messages[key]) != placeholders(reference.messages[key]):
            problems.append(f"{where}: {key!r} placeholders differ from {reference.language}")
    return problems


def check_ui(catalog: Catalog) -> list[str]:
    problems = [f"content/ui/{code}.yml is missing (content/languages.yml lists {code})"
                for code in catalog.languages if code not in catalog.ui]
    reference = catalog.ui[catalog.default_language]
    for code, ui in catalog.ui.items():
        where = f"content/ui/{code}.yml"
        if code not in catalog.languages:
            problems.append(f"{where}: language {code!r} is not in content/languages.yml")
        problems += compare_messages(where, ui, reference)
    return problems


def check_topics(catalog: Catalog) -> list[str]:
    problems = []
    for topic in catalog.topics.values():
        where = f"content/topics/{topic.id}.yml"
        if topic.stage not in STAGES:
            problems.append(f"{where}: stage must be one of {STAGES}")
        if topic.clinical_status not in CLINICAL_STATUSES:
            problems.append(f"{where}: clinical_review.status must be one of {CLINICAL_STATUSES}")
        if topic.clinical_status == "approved" and not (topic.clinical_reviewed_by and topic.clinical_reviewed_on):
            problems.append(f"{where}: approved content must record reviewed_by and reviewed_on")
        if topic.order < 1:
            problems.append(f"{where}: order (its place in the {topic.stage} menu) must be a number from 1")
        if not topic.reading_level:
            problems.append(f"{where}: reading_level.target is missing")
        if not topic.sources:
            problems.append(f"{where}: no sources")
        for sid, source in topic.sources.items():
            for name, value in (("published", source.published), ("checked", source.checked)):
                if value is not None and not _DATE.match(value):
                    problems.append(f"{where}: source {sid} {name} must be YYYY-MM or YYYY-MM-DD, not {value!r}")
            if topic.clinical_status == "approved" and source.checked is None:
                problems.append(f"{where}: approved content must record when source {sid} was checked")
            if source.publisher not in ("NICE", "NHS", "RCOG", "UKHSA", "OHID", "NHS England"):
                problems.append(f"{where}: source {sid} publisher {source.publisher!r} is not a recognised authority")
            if not source.url.startswith("https://"):
                problems.append(f"{where}: source {sid} needs an https URL")
        for section in SECTIONS:
            refs = topic.section_sources.get(section, ())
            if not refs:
                problems.append(f"{where}: section {section!r} names no source")
            for ref in refs:
                if ref not in topic.sources:
                    problems.append(f"{where}: section {section!r} cites unknown source {ref!r}")
        for code in sorted(set(topic.texts) - set(catalog.languages)):
            problems.append(f"{where}: language {code!r} is not in content/languages.yml")
        for code in catalog.languages:
            text = topic.texts.get(code)
            if text is None:
                problems.append(f"{where}: no text in {code}")
                continue
            if text.status not in TRANSLATION_STATUSES:
                problems.append(f"{where}: {code} status must be one of {TRANSLATION_STATUSES}")
            if not text.title:
                problems.append(f"{where}: {code} has no title")
            for section in SECTIONS:
                if section not in text.sections:
                    problems.append(f"{where}: {code} is missing section {section!r}")
                elif placeholders(text.sections[section]):
                    problems.append(f"{where}: {code} {section} has a {{placeholder}}; topic text is shown as written")
        english = topic.texts.get(catalog.default_language)
        if english and "summary" in english.sections:
            n = segments(english.sections["summary"])
            if n > MAX_SUMMARY_SEGMENTS:
                problems.append(f"{where}: the {catalog.default_language} summary takes {n} SMS segments "
                                f"(at most {MAX_SUMMARY_SEGMENTS})")
    orders: dict[tuple[str, int], list[str]] = {}
    for topic in catalog.topics.values():
        orders.setdefault((topic.stage, topic.order), []).append(topic.id)
    for (stage, order), ids in sorted(orders.items()):
        if len(ids) > 1:
            problems.append(f"content/topics: {', '.join(sorted(ids))} share order {order} in stage {stage}")
    return problems


def check_menus(catalog: Catalog) -> list[str]:
    """Every menu builds in every language, with unique numbers and non-empty labels."""
    from bot.services import menus

    problems = []
    ids = ["main", "language", "fallback"] + [f"stage:{s}" for s in STAGES] + [f"topic:{t}" for t in catalog.topics]
    for code in catalog.curated_languages:
        renderer = Renderer(catalog, code)
        for menu_id in ids:
            try:
                menu = menus.build(menu_id, catalog, renderer)
            except KeyError as exc:  # a missing message or placeholder (reported by check_ui too)
                problems.append(f"menu {menu_id} in {code}: cannot be built ({exc})")
                continue
            numbers = [o.number for o in menu.options]
            if len(numbers) != len(set(numbers)):
                problems.append(f"menu {menu_id} in {code}: repeated numbers {numbers}")
            if any(not o.label.strip() for o in menu.options):
                problems.append(f"menu {menu_id} in {code}: an option has no label")
    return problems


def check_nlu(catalog: Catalog, data_dir: Path = DATA_DIR, domain: Path = ROOT / "domain.yml") -> list[str]:
    """Each topic can be asked for in free text: its intent is in the domain, and has examples in every language."""
    problems = []
    intents = set(yaml.safe_load(domain.read_text(encoding="utf-8")).get("intents", []))
    counts: dict[tuple[str, str], int] = {}
    for path in (data_dir / "nlu").rglob("*.yml"):
        language = path.relative_to(data_dir / "nlu").parts[0]
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                lines = [x for x in str(block.get("examples", "")).splitlines() if x.strip().startswith("- ")]
                key = (block["intent"], language)
                counts[key] = counts.get(key, 0) + len(lines)
    for topic in catalog.topics.values():
        if topic.intent not in intents:
            problems.append(f"domain.yml: intent {topic.intent} (topic {topic.id}) is missing")
        for code in catalog.languages:
            found = counts.get((topic.intent, code), 0)
            if found < MIN_TOPIC_EXAMPLES:
                problems.append(f"data/nlu/{code}/topics/{topic.id}.yml: {found} examples of {topic.intent} "
                                f"(at least {MIN_TOPIC_EXAMPLES})")
    return problems


MIN_GENERIC_LANGUAGES = 30  # the short urgent message exists in at least this many languages besides English
_PHONE_NUMBER = re.compile(r"\d[\d ]*\d|\d")


def _digits(text: str) -> str:
    return text.replace(" ", "").replace("\u00a0", "")


def check_red_flags(catalog: Catalog, content_dir: Path = CONTENT_DIR) -> list[str]:
    """Urgent advice: every language, every category, the same placeholders and phone numbers as English."""
    from bot.safety.catalog import read_safety
    from bot.safety.lexicon import english_only_patterns, english_words

    try:
        safety = read_safety(content_dir)
    except (ContentError, KeyError) as exc:
        return [f"content/red_flags: {exc}"]
    problems = []
    for category in safety.categories:
        if not safety.sources.get(category):
            problems.append(f"content/red_flags/categories.yml: {category} has no source")
        for source in safety.sources.get(category, ()):
            if not source.url.startswith("https://"):
                problems.append(f"content/red_flags/categories.yml: {category} source needs an https URL")
    reference = safety.advice.get(catalog.default_language)
    if reference is None:
        return problems + [f"content/red_flags/advice/{catalog.default_language}.yml is missing"]
    for code in catalog.languages:
        where = f"content/red_flags/advice/{code}.yml"
        advice = safety.advice.get(code)
        if advice is None:
            problems.append(f"{where} is missing")
            continue
        problems += compare_messages(where, advice, reference)
        for key, english in reference.messages.items():
            for number in _PHONE_NUMBER.findall(english):
                if key in advice.messages and number.replace(" ", "") not in _digits(advice.messages[key]):
                    problems.append(f"{where}: {key!r} lost the number {number!r}")
        for category in safety.categories:
            if f"advice.{category}" not in advice.messages:
                problems.append(f"{where}: no advice for {category}")
        lexicon = safety.lexicons.get(code)
        if lexicon is None:
            problems.append(f"content/red_flags/triggers/{code}.yml is missing")
        else:
            for category in sorted(set(safety.categories) - {t.category for t in lexicon.triggers}):
                problems.append(f"content/red_flags/triggers/{code}.yml: no triggers for {category}")
        if code not in safety.generic:
            problems.append(f"content/red_flags/urgent_generic.yml: no message in {code}")
    if "en" in safety.lexicons:
        english = english_words(safety.lexicons["en"])
        for code, lexicon in safety.lexicons.items():
            for pattern in english_only_patterns(lexicon, english) if code != "en" else ():
                problems.append(f"content/red_flags/triggers/{code}.yml: English words alone complete {pattern!r}; "
                                "keep at least one word of the language in every slot combination")
    if len(set(safety.generic) - {catalog.default_language}) < MIN_GENERIC_LANGUAGES:
        problems.append(f"content/red_flags/urgent_generic.yml: fewer than {MIN_GENERIC_LANGUAGES} languages")
    for code, text in safety.generic.items():
        if "999" not in text:
            problems.append(f"content/red_flags/urgent_generic.yml: {code} does not say 999")
    return problems


def check_handoff(catalog: Catalog, content_dir: Path = CONTENT_DIR) -> list[str]:
    """What she is told about a handoff: every language, the same keys and placeholders as English; the tier-3
    interpreter message in at least as many languages as the urgent one; phrases that ask for a person in every
    language; and the staff notification texts."""
    from bot.services.handoff.notifiers import read_staff_texts
    from bot.services.handoff.texts import read_handoff_texts

    try:
        texts = read_handoff_texts(content_dir)
        read_staff_texts(content_dir)
    except (ContentError, KeyError) as exc:
        return [f"content/handoff or content/staff: {exc}"]
    problems = []
    reference = texts.messages[catalog.default_language]
    for code in catalog.languages:
        where = f"content/handoff/messages/{code}.yml"
        if code not in texts.messages:
            problems.append(f"{where} is missing")
            continue
        problems += compare_messages(where, texts.messages[code], reference)
        if len(texts.phrases.get(code, ())) < 5:
            problems.append(f"content/handoff/requests.yml: fewer than 5 phrases in {code}")
    urgent = read_yaml(content_dir / "red_flags" / "urgent_generic.yml").get("messages") or {}
    for code in sorted(set(urgent) - set(texts.generic)):
        problems.append(f"content/handoff/interpreter_generic.yml: no message in {code} (urgent_generic.yml has one)")
    for code, text in texts.generic.items():
        if "999" not in text:
            problems.append(f"content/handoff/interpreter_generic.yml: {code} does not say 999")
    return problems


def check_feedback(catalog: Catalog, content_dir: Path = CONTENT_DIR) -> list[str]:
    """The feedback questions in every language, the same keys and placeholders as English, and a keyword each."""
    from bot.services.feedback.texts import read_feedback_texts

    try:
        texts = read_feedback_texts(content_dir)
    except ContentError as exc:
        return [f"content/feedback: {exc}"]
    reference = texts.messages.get(catalog.default_language)
    if reference is None:
        return [f"content/feedback/messages/{catalog.default_language}.yml is missing"]
    problems = []
    for code in catalog.languages:
        where = f"content/feedback/messages/{code}.yml"
        if code not in texts.messages:
            problems.append(f"{where} is missing")
            continue
        problems += compare_messages(where, texts.messages[code], reference)
    return problems


MIN_NOTICE_LANGUAGES = 30  # the tier-2 "automatic translation" notice is pre-written in at least this many languages


def check_translation_notice(catalog: Catalog, content_dir: Path = CONTENT_DIR) -> list[str]:
    """Tier 2: the machine-translation notice, pre-written; it must say how to ask for an interpreter."""
    from bot.services.machine_translation import NOTICE_FILE, read_notices

    where = f"content/{NOTICE_FILE}"
    try:
        notices = read_notices(content_dir)
    except ContentError as exc:
        return [f"{where}: {exc}"]
    problems = [] if catalog.default_language in notices else [f"{where}: no {catalog.default_language} notice"]
    if len(set(notices) - set(catalog.languages)) < MIN_NOTICE_LANGUAGES:
        problems.append(f"{where}: fewer than {MIN_NOTICE_LANGUAGES} languages without curated content")
    problems += [f"{where}: {code} does not keep the word INTERPRETER" for code, text in sorted(notices.items())
                 if "INTERPRETER" not in text]
    return problems


MAX_NOTICE_SEGMENTS_EN = 2  # the privacy notice, rendered with a link of typical length, in English ...
MAX_NOTICE_SEGMENTS = 5     # ... and in every language (about 320 characters in UCS-2)
_SAMPLE_PRIVACY_URL = "https://www.example-trust.nhs.uk/privacy/doula"


def check_privacy(catalog: Catalog, content_dir: Path = CONTENT_DIR) -> list[str]:
    """The privacy notice and delete words: every language, the same keys, placeholders and notice version as
    English; short enough for SMS; telling her a delete word that works; and delete words that mean nothing else (not
    a STOP/START word, a menu number, a language or feedback keyword, a red flag, or another language's word)."""
    from bot.channels.twilio import opt_out
    from bot.safety.catalog import load_safety
    from bot.services.feedback.texts import read_feedback_texts
    from bot.services.privacy_notice import PRIVACY_DIR, normalise, read_privacy_texts
    from bot.settings import Settings

    try:
        texts = read_privacy_texts(content_dir)
    except ContentError as exc:
        return [f"content/{PRIVACY_DIR}: {exc}"]
    reference = texts.messages[texts.default]
    problems = []
    for code in catalog.languages:
        if code not in texts.messages:
            problems.append(f"content/{PRIVACY_DIR}/{code}.yml is missing")
    others: dict[str, str] = {normalise(w): "a STOP word" for w in opt_out.STOP_WORDS}
    others.update({normalise(w): "a START word" for w in opt_out.START_WORDS})
    others.update({normalise(w): "a language keyword" for info in catalog.languages.values() for w in info.keywords})
    try:
        others.update({normalise(w): "a feedback keyword" for w in read_feedback_texts(content_dir).keywords})
        # Cached per folder (the lexicons take a second to compile; tests check many variants of the notice).
        detector = load_safety((Path(content_dir) / "red_flags").resolve().parent).detector
    except (ContentError, KeyError) as exc:
        return problems + [f"content/{PRIVACY_DIR}: cannot check against other content ({exc})"]
    settings = Settings(privacy_url=_SAMPLE_PRIVACY_URL)
    owner: dict[str, str] = {}
    for code, messages in texts.messages.items():
        where = f"content/{PRIVACY_DIR}/{code}.yml"
        differences = compare_messages(where, messages, reference)
        problems += differences
        if texts.versions[code] != texts.version:
            problems.append(f"{where}: notice_version {texts.versions[code]} is not the English {texts.version}: "
                            "translate the new notice")
        if differences:
            continue  # the notice cannot be rendered
        notice = texts.notice(code, settings)
        limit = MAX_NOTICE_SEGMENTS_EN if code == texts.default else MAX_NOTICE_SEGMENTS
        if segments(notice) > limit:
            problems.append(f"{where}: the notice takes {segments(notice)} SMS segments (at most {limit})")
        told = {normalise(w) for w in (*texts.keywords[texts.default], *texts.keywords.get(code, ()))}
        if not any(f" {word} " in f" {normalise(notice)} " for word in told):
            problems.append(f"{where}: the notice names no delete word that works (DELETE or one of `keywords`)")
        if code != texts.default and not texts.keywords.get(code):
            problems.append(f"{where}: no delete keywords in this language")
        for word in texts.keywords.get(code, ()):
            key = normalise(word)
            if not key or to_ascii_digits(key).replace(" ", "").isdigit():
                problems.append(f"{where}: keyword {word!r} is empty or a number (menu choices are numbers)")
            elif key in others:
                problems.append(f"{where}: keyword {word!r} is also {others[key]}")
            elif key in owner and owner[key] != code:
                problems.append(f"{where}: keyword {word!r} is also a keyword of {owner[key]}")
            elif detector.detect(word).flagged:
                problems.append(f"{where}: keyword {word!r} reads as a red flag")
            owner.setdefault(key, code)
    return problems


def run_checks(content_dir: Path = CONTENT_DIR) -> list[str]:
    try:
        catalog = read_catalog(content_dir)
    except ContentError as exc:
        return [str(exc)]
    return (check_ui(catalog) + check_topics(catalog) + check_menus(catalog) + check_nlu(catalog)
            + check_red_flags(catalog, content_dir) + check_handoff(catalog, content_dir)
            + check_feedback(catalog, content_dir) + check_translation_notice(catalog, content_dir)
            + check_privacy(catalog, content_dir))
