"""Benchmark: comment themes for 20,000 comments in English, German and Dutch.

Run ``python -m bench.themes`` (``--comments N``). It writes seeded synthetic
comments from a few subjects in three languages, then times what a final
release does with them (:mod:`ownership.analytics.themes`): language
detection, stemming and stop words, TF-IDF and NMF. It prints one JSON line
per step and a last line comparing the total with ``TARGET_SECONDS``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

import django
import numpy as np

TARGET_SECONDS = 5.0  # of the release's 10 s budget
SUBJECTS = {
    "en": [
        "customers wait too long for call-backs from {x}",
        "our systems never show the whole customer case in {x}",
        "nobody owns the complaint once it leaves {x}",
        "the new CCO means {x} no longer talks to customers",
    ],
    "de": [
        "Kunden warten zu lange auf Rückrufe aus {x}",
        "unsere Systeme zeigen nie den ganzen Kundenfall in {x}",
        "niemand fühlt sich für die Beschwerde zuständig, sobald sie {x} verlässt",
    ],
    "nl": [
        "klanten wachten te lang op terugbelverzoeken van {x}",
        "onze systemen tonen nooit het hele klantdossier bij {x}",
        "niemand voelt zich eigenaar van de klacht buiten {x}",
    ],
}
PLACES = ["claims", "underwriting", "sales", "finance", "IT", "legal", "service"]
FILLERS = ["really", "again", "every week", "honestly", "as always", "please fix"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def comments(count: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    languages = list(SUBJECTS)
    out = []
    for _ in range(count):
        language = languages[rng.integers(len(languages))]
        subject = SUBJECTS[language][rng.integers(len(SUBJECTS[language]))]
        text = subject.format(x=PLACES[rng.integers(len(PLACES))])
        out.append(f"{text}, {FILLERS[rng.integers(len(FILLERS))]}.")
    return out


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    django.setup()
    from ownership.analytics.themes import _documents, _themes_of  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000)
    args = parser.parse_args()
    texts = comments(args.comments)
    start = time.perf_counter()
    documents, _languages, _vocabulary = _documents(texts)
    prepared = time.perf_counter() - start
    print(
        json.dumps(
            {
                "step": "languages and stems",
                "comments": len(texts),
                "wall_s": round(prepared, 2),
            }
        )
    )
    start = time.perf_counter()
    _terms, components, best, _loadings = _themes_of(documents, 8)
    factorised = time.perf_counter() - start
    print(
        json.dumps(
            {
                "step": "tf-idf and nmf",
                "themes": len(components),
                "assigned": int((best >= 0).sum()),
                "wall_s": round(factorised, 2),
                "peak_rss_mb": round(_peak_mb()),
            }
        )
    )
    total = prepared + factorised
    print(
        json.dumps(
            {
                "step": "target",
                "total_s": round(total, 2),
                "target_s": TARGET_SECONDS,
                "met": total <= TARGET_SECONDS,
            }
        )
    )


if __name__ == "__main__":
    main()
