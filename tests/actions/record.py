"""Record conversation trackers for the action tests from a running doula (with RASA_API_TOKEN set):

    RASA_API_TOKEN=dev doula run &
    python tests/actions/record.py --token dev

Each recording is a list of messages sent through the REST channel; the full tracker is saved as JSON in
tests/actions/trackers/. Re-record after changing the domain or the NLU pipeline.
"""

from __future__ import annotations

import argparse
import json
import secrets
import urllib.request
from pathlib import Path

RECORDINGS = {
    "polish_menu": ["Dzień dobry", "2", "1", "2"],
    "english_topic": ["where can I give birth", "4", "thanks"],
    "language_choice": ["hi", "2", "can I breastfeed my baby?"],
    "fallback": ["hello", "tell me a joke", "1"],
    "red_flag_in_topic": ["where can I give birth", "my baby has stopped moving", "1"],
    "red_flag_polish": ["krwawię mocno od godziny"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    out = Path(__file__).with_name("trackers")
    out.mkdir(exist_ok=True)
    for name, messages in RECORDINGS.items():
        sender = f"recorded-{name}-{secrets.token_hex(4)}"  # a new conversation every time
        for text in messages:
            body = json.dumps({"sender": sender, "message": text}).encode()
            request = urllib.request.Request(f"{args.url}/webhooks/rest/webhook", data=body,
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=60).read()
        with urllib.request.urlopen(f"{args.url}/conversations/{sender}/tracker?token={args.token}") as reply:
            tracker = json.loads(reply.read())
        (out / f"{name}.json").write_text(json.dumps(tracker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {name}: {len(tracker['events'])} events")


if __name__ == "__main__":
    main()
