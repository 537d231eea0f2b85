"""Proposing third-party redactions in case notes: earlyhelp's Finder beside Microsoft Presidio.

    .venv/bin/python bench/redaction.py     alone, without the database benches
    make bench                              as part of bench/run.py (BENCH_REDACTION=0 skips it)

The notes: BENCH_REDACTION_NOTES (default 10,000) contact case notes from the project's
generator, with their ground truth (src/earlyhelp/synthetic/redaction_truth.py): each note
is about a child, the requester; everyone else in the family is a third party; partner
professionals named in their role are workers. The truth records, as the note is written,
where every third party's name and identifier went (NHS number, UPN, date of birth,
telephone, email, National Insurance number, postcode, address), and also the requester's
own name and identifiers, the workers' names and decoys (sums, times, years, case
references, appointment dates), none of which should be proposed. Nothing is about a real
person.

earlyhelp: one `earlyhelp.bundles.finders.Finder` per family, as the product builds one per
request, from the third parties (every name form and detail recorded for them) and, kept,
the requester and the case's workers; then `propose()` on each of the family's notes.

Presidio: presidio-analyzer in a venv of its own, bench/data/presidio-venv, built once from
the pins (with hashes) in bench/presidio-requirements.txt; never a dependency of earlyhelp.
Its NLP engine needs a spaCy model, and no English model is on the package registry under
its own name, so its recognizers are called directly (`recognizer.analyze(text, entities,
nlp_artifacts=None)`), as the issue asks: a deny-list `PatternRecognizer` per family, built
from the same third-party names (full, given and family names as recorded, longest first
so that a full name wins over its first word), and `NhsRecognizer`, `UkNinoRecognizer`,
`UkPostcodeRecognizer`, `PhoneRecognizer(supported_regions=("GB",))` and `EmailRecognizer`,
built once. The phone recognizer is run at two settings, each a row of the table: at its
default leniency (1, VALID) it finds none of the generator's mobile numbers, which are in
Ofcom's drama range 07700 900xxx that libphonenumber does not count as valid (it would
find real ones); at leniency 0 (POSSIBLE) it finds them, and also takes years, times and
case references for telephone numbers. tldextract, which the email recognizer calls, uses
its bundled public suffix list instead of fetching one (this machine reaches no network
but the package registries).
Presidio runs in a subprocess of its venv; notes and results go between as JSON files.

Timing: the proposing only (building each family's finder or deny-list recognizer and
running it and the pattern recognizers over the family's notes), not generating notes,
building the venv, nor starting Python; each side runs BENCH_REDACTION_REPEATS times
(default 3) and the fastest is reported.

Scoring: a third-party span counts as found when a proposal overlaps it; exact-match recall
counts only a proposal with the span's very bounds. Overlapping proposals are merged first
(Presidio's recognizers, called directly, may each report the same text, as the analyzer
engine would deduplicate). Precision is the share of proposals that overlap a third party's
name or identifier; a proposal on the requester's own name or data, a worker's name, a
decoy or anything else counts against it. Recall and precision are given by kind, with
examples of misses and wrong proposals in the saved JSON.

Targets (issue 16): at least 10 times Presidio's notes a second; recall of third-party
names and identifiers 99% or better and at least Presidio's; precision at least Presidio's.
Benchmarks measure; nothing here is a pass/fail check.

Environment:
  BENCH_REDACTION_NOTES     notes generated and scored (default 10000)
  BENCH_REDACTION_REPEATS   timed runs of each side (default 3)
  BENCH_PRESIDIO=0          leave Presidio out
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve()
PYTHON = sys.executable
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PRESIDIO_VENV = DATA / "presidio-venv"
PRESIDIO_PYTHON = PRESIDIO_VENV / "bin" / "python"
PRESIDIO_REQUIREMENTS = ROOT / "bench" / "presidio-requirements.txt"
PRESIDIO_VERSION = "2.2.366"
# Presidio's phone recognizer at each leniency the bench runs it (see the docstring).
PRESIDIO_PHONE_LENIENCIES = {"phone_possible": 0, "phone_valid": 1}
PRESIDIO_LABELS = {
    "phone_possible": "Presidio, phone leniency 0",
    "phone_valid": "Presidio, phone leniency 1 (default)",
}

SEED = 1
AS_OF = date(2026, 11, 25)  # the bench's "today", as in bench/run.py
EXAMPLES = 8  # misses and wrong proposals kept per kind, for whoever tunes the finder
CONTEXT = 30  # characters either side of an example

TARGETS = {"ratio_to_presidio": 10, "recall": 0.99}

Interval = tuple[int, int]


# -- Presidio, inside its own venv ---------------------------------------------------------------


def presidio_main(source: Path, target: Path) -> None:
    """Run in bench/data/presidio-venv: propose for every note of `source`, write `target`.

    `source`: {"repeats": n, "families": [{"deny": [name, ...], "notes": [text, ...]}]}.
    `target`: {"version": v, "variants": {name: {"runs": [seconds, ...], "proposals":
    [[[start, end, entity], ...] per note]}}}, one variant per phone leniency.
    """
    import tldextract
    from presidio_analyzer import PatternRecognizer
    from presidio_analyzer.predefined_recognizers import (
        EmailRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        UkNinoRecognizer,
        UkPostcodeRecognizer,
    )

    # The bundled public suffix list, not a fetch over the network.
    tldextract.extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())
    job = json.loads(source.read_text())
    families = job["families"]

    def propose_all(fixed: list[Any]) -> list[list[tuple[int, int, str]]]:
        found = []
        for family in families:
            deny = PatternRecognizer(
                supported_entity="PERSON", deny_list=family["deny"], name="third parties"
            )
            for text in family["notes"]:
                results = []
                for recognizer in (deny, *fixed):
                    for result in recognizer.analyze(
                        text, recognizer.supported_entities, nlp_artifacts=None
                    ):
                        results.append((result.start, result.end, result.entity_type))
                found.append(results)
        return found

    variants = {}
    for name, leniency in PRESIDIO_PHONE_LENIENCIES.items():
        fixed = [
            NhsRecognizer(),
            UkNinoRecognizer(),
            UkPostcodeRecognizer(),
            PhoneRecognizer(supported_regions=("GB",), leniency=leniency),
            EmailRecognizer(),
        ]
        runs, proposals = [], []
        for _ in range(job["repeats"]):
            started = time.perf_counter()
            proposals = propose_all(fixed)
            runs.append(time.perf_counter() - started)
        variants[name] = {"runs": runs, "proposals": proposals}
    version = metadata.version("presidio-analyzer")
    target.write_text(json.dumps({"version": version, "variants": variants}))


# -- the Presidio venv -------------------------------------------------------------------------


def pip_env() -> dict[str, str]:
    """pip for the Presidio venv: the registry alone, none of this machine's pip settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_FIND_LINKS", "PIP_CONSTRAINT")}
    return dict(env, PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")


def presidio_venv() -> Path:
    """bench/data/presidio-venv, built once from the pins (again when they change)."""
    from process import run  # bench/process.py, beside this file

    pins = hashlib.sha256(PRESIDIO_REQUIREMENTS.read_bytes()).hexdigest()
    stamp = PRESIDIO_VENV / ".bench-pins"
    if stamp.exists() and stamp.read_text().strip() == pins and PRESIDIO_PYTHON.exists():
        return PRESIDIO_PYTHON
    print(f"  building {PRESIDIO_VENV.relative_to(ROOT)} (once; not timed)", flush=True)
    shutil.rmtree(PRESIDIO_VENV, ignore_errors=True)
    DATA.mkdir(parents=True, exist_ok=True)
    run([PYTHON, "-m", "venv", str(PRESIDIO_VENV)], dict(os.environ))
    run(
        [str(PRESIDIO_PYTHON), "-m", "pip", "install", "--quiet", "--require-hashes",
         "--no-deps", "--only-binary", ":all:", "-r", str(PRESIDIO_REQUIREMENTS)],
        pip_env(),
    )  # fmt: skip
    run([str(PRESIDIO_PYTHON), "-c", "import presidio_analyzer, phonenumbers"], dict(os.environ))
    stamp.write_text(pins + "\n")
    return PRESIDIO_PYTHON


# -- the notes ---------------------------------------------------------------------------------


def families_of(notes: list[Any]) -> list[list[Any]]:
    """Notes grouped by family (one requester each), in order."""
    groups: dict[int, list[Any]] = {}
    for note in notes:
        groups.setdefault(note.family, []).append(note)
    return list(groups.values())


def deny_names(note: Any) -> list[str]:
    """The third parties' names as recorded: full, given and family; longest first."""
    names = {
        name
        for party in note.third_parties
        for name in (*party.full_names, *party.given_names, *party.family_names)
    }
    return sorted(names, key=lambda name: (-len(name), name))


# -- earlyhelp's Finder ------------------------------------------------------------------------


def bench_earlyhelp(families: list[list[Any]], repeats: int) -> dict[str, Any]:
    from earlyhelp.bundles.finders import Finder, Party

    def party(truth: Any) -> Party:
        details = (
            truth.telephone, truth.email, truth.nhs_number, truth.upn, truth.ni_number,
            truth.address, truth.postcode,
        )  # fmt: skip
        return Party(
            full_names=truth.full_names,
            given_names=truth.given_names,
            family_names=truth.family_names,
            details=(*(d for d in details if d), truth.date_of_birth),
            why=truth.relation,
        )

    # What a request knows before proposing: its parties, as the product reads them.
    requests = []
    for notes in families:
        first = notes[0]
        workers = dict.fromkeys(name for note in notes for name in note.workers)
        third = [party(p) for p in first.third_parties]
        keep = [party(first.requester), *(Party(full_names=(w,), why="worker") for w in workers)]
        requests.append((third, keep, [note.text for note in notes]))
    runs, proposals = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        found = []
        for third, keep, texts in requests:
            finder = Finder(third, keep)
            found.extend(finder.propose(text) for text in texts)
        runs.append(time.perf_counter() - started)
        proposals = found
    return {
        "runs": [round(r, 3) for r in runs],
        "proposals": [[(p.start, p.end, str(p.kind)) for p in found] for found in proposals],
    }


# -- Presidio from here --------------------------------------------------------------------------


def bench_presidio(families: list[list[Any]], repeats: int) -> dict[str, Any]:
    from process import run

    python = presidio_venv()
    job = {
        "repeats": repeats,
        "families": [
            {"deny": deny_names(notes[0]), "notes": [note.text for note in notes]}
            for notes in families
        ],
    }
    with tempfile.TemporaryDirectory(prefix="bench-redaction-") as folder:
        source, target = Path(folder) / "notes.json", Path(folder) / "proposals.json"
        source.write_text(json.dumps(job))
        run([str(python), str(HERE), "--presidio", str(source), str(target)], dict(os.environ))
        return json.loads(target.read_text())


# -- scoring -------------------------------------------------------------------------------------


def merged(intervals: list[Interval]) -> list[Interval]:
    """Overlapping intervals joined: what a reviewer would see as one redaction each."""
    joined: list[list[int]] = []
    for start, end in sorted(intervals):
        if joined and start < joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def example(text: str, start: int, end: int) -> str:
    """The text around [start, end), the part itself in [brackets]."""
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return f"{before}[{text[start:end]}]{after}".replace("\n", " ")


def score(notes: list[Any], proposals: list[list[Any]]) -> dict[str, Any]:
    """Recall (overlap and exact) by kind, precision, and examples of what went wrong."""
    from earlyhelp.synthetic import redaction_truth as rt

    wanted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    wrongs: dict[str, list[str]] = defaultdict(list)
    shown = right = raw = 0
    for note, found_here in zip(notes, proposals, strict=True):
        bounds = {(p[0], p[1]) for p in found_here}
        raw += len(found_here)
        joined = merged(list(bounds))
        third = [s for s in note.spans if s.whose == rt.THIRD_PARTY]
        for span in third:
            kind = rt.NAME if span.kind == rt.NAME else span.kind
            wanted[kind] += 1
            if any(overlaps((span.start, span.end), p) for p in joined):
                found[kind] += 1
                exact[kind] += (span.start, span.end) in bounds
            else:
                if len(misses[kind]) < EXAMPLES:
                    misses[kind].append(example(note.text, span.start, span.end))
        for proposal in joined:
            shown += 1
            if any(overlaps(proposal, (s.start, s.end)) for s in third):
                right += 1
                continue
            hit = next((s for s in note.spans if overlaps(proposal, (s.start, s.end))), None)
            why = "unrecorded text" if hit is None else f"{hit.whose} {hit.kind}"
            wrong[why] += 1
            if len(wrongs[why]) < EXAMPLES:
                wrongs[why].append(example(note.text, *proposal))
    names = wanted[rt.NAME]
    identifiers = sum(wanted[k] for k in rt.IDENTIFIER_KINDS)

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    return {
        "recall_names": share(found[rt.NAME], names),
        "recall_identifiers": share(sum(found[k] for k in rt.IDENTIFIER_KINDS), identifiers),
        "recall_all": share(sum(found.values()), sum(wanted.values())),
        "exact_recall_names": share(exact[rt.NAME], names),
        "exact_recall_identifiers": share(sum(exact[k] for k in rt.IDENTIFIER_KINDS), identifiers),
        "precision": share(right, shown),
        "proposals": shown,
        "proposals_before_merging": raw,
        "right_proposals": right,
        "by_kind": {
            kind: {
                "spans": wanted[kind],
                "recall": share(found[kind], wanted[kind]),
                "exact_recall": share(exact[kind], wanted[kind]),
            }
            for kind in sorted(wanted)
        },
        "wrong_proposals": dict(wrong.most_common()),
        "examples_missed": dict(misses),
        "examples_wrong": dict(wrongs),
    }


def truth_summary(notes: list[Any]) -> dict[str, Any]:
    spans: Counter[str] = Counter(f"{s.whose} {s.kind}" for n in notes for s in n.spans)
    return {
        "notes": len(notes),
        "families": len({n.family for n in notes}),
        "characters": sum(len(n.text) for n in notes),
        "spans": dict(sorted(spans.items())),
    }


# -- together --------------------------------------------------------------------------------------


def attempt(name: str, bench) -> dict[str, Any]:
    """A side that cannot run (no registry, no finder yet) is reported, not fatal."""
    try:
        return bench()
    except (SystemExit, OSError, ImportError, subprocess.SubprocessError) as error:
        message = str(error).strip()
        print(f"  {name}: could not run: {message[:2000]}", flush=True)
        return {"error": message[-2000:]}


def timed(part: dict[str, Any], notes: int) -> dict[str, Any]:
    seconds = min(part["runs"])
    return {
        "seconds": round(seconds, 3),
        "notes_per_second": round(notes / seconds) if seconds else None,
        "runs": [round(r, 3) for r in part["runs"]],
    }


def bench_redaction() -> dict[str, Any]:
    """Generate the notes, run both sides, score them; print a table; return the figures."""
    from earlyhelp.synthetic.redaction_truth import truth_notes

    count = int(os.environ.get("BENCH_REDACTION_NOTES", "10000"))
    repeats = int(os.environ.get("BENCH_REDACTION_REPEATS", "3"))
    print(f"redaction: proposing redactions in {count:,} generated contact notes")
    notes = truth_notes(count, SEED, AS_OF)
    families = families_of(notes)
    record: dict[str, Any] = {
        "input": "generated contact case notes with ground truth "
        "(src/earlyhelp/synthetic/redaction_truth.py)",
        "seed": SEED,
        "as_of": AS_OF.isoformat(),
        "truth": truth_summary(notes),
        "targets": TARGETS,
    }

    def ours() -> dict[str, Any]:
        print(f"  earlyhelp Finder: {len(families):,} requests x {repeats}", flush=True)
        part = bench_earlyhelp(families, repeats)
        return {**timed(part, len(notes)), **score(notes, part["proposals"])}

    def theirs() -> dict[str, Any]:
        print(f"  Presidio {PRESIDIO_VERSION} recognizers: {len(notes):,} notes x {repeats} x 2")
        part = bench_presidio(families, repeats)
        return {
            "version": part["version"],
            "setup": "deny-list PatternRecognizer per family + NhsRecognizer, UkNinoRecognizer, "
            "UkPostcodeRecognizer, PhoneRecognizer(supported_regions=('GB',), leniency=L), "
            "EmailRecognizer; recognizer.analyze(text, entities, nlp_artifacts=None)",
            "spacy_model": "none: the package registry has no en_core_web_sm (only unofficial "
            "re-uploads under other names, not used), so no NLP engine, no name recognizer",
            **{
                name: {
                    "phone_leniency": PRESIDIO_PHONE_LENIENCIES[name],
                    **timed(variant, len(notes)),
                    **score(notes, variant["proposals"]),
                }
                for name, variant in part["variants"].items()
            },
        }

    record["earlyhelp"] = attempt("earlyhelp", ours)
    if os.environ.get("BENCH_PRESIDIO") != "0":
        record["presidio"] = attempt("presidio", theirs)
    mine, other = record.get("earlyhelp", {}), record.get("presidio", {})
    record["ratio_to_presidio"] = {
        name: round(mine["notes_per_second"] / other[name]["notes_per_second"], 2)
        for name in PRESIDIO_PHONE_LENIENCIES
        if mine.get("notes_per_second") and other.get(name, {}).get("notes_per_second")
    }
    print_table(record)
    return record


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def print_table(record: dict[str, Any]) -> None:
    presidio = record.get("presidio") if isinstance(record.get("presidio"), dict) else {}
    sides = [("earlyhelp Finder", record.get("earlyhelp") or {})]
    sides += [(label, presidio.get(name) or {}) for name, label in PRESIDIO_LABELS.items()]
    sides = [(name, part) for name, part in sides if "precision" in part]
    lines = [("", "notes/s", "recall names", "recall identifiers", "recall both",
              "exact recall n/i", "precision", "proposals")]  # fmt: skip
    for name, part in sides:
        lines.append(
            (
                name,
                f"{part['notes_per_second']:,}",
                percent(part["recall_names"]),
                percent(part["recall_identifiers"]),
                percent(part["recall_all"]),
                f"{percent(part['exact_recall_names'])} / "
                f"{percent(part['exact_recall_identifiers'])}",
                percent(part["precision"]),
                f"{part['proposals']:,}",
            )
        )
    lines.append(
        ("target (earlyhelp)", f">= {TARGETS['ratio_to_presidio']}x Presidio",
         f">= {TARGETS['recall']:.0%}, >= Presidio", f">= {TARGETS['recall']:.0%}, >= Presidio",
         f">= {TARGETS['recall']:.0%}, >= Presidio", "", ">= Presidio", "")
    )  # fmt: skip
    widths = [max(len(line[i]) for line in lines) + 3 for i in range(len(lines[0]))]
    print()
    for line in lines:
        print("".join(f"{value:<{width}}" for value, width in zip(line, widths, strict=True)))
    for name, ratio in record.get("ratio_to_presidio", {}).items():
        print(f"earlyhelp's notes a second: {ratio}x those of {PRESIDIO_LABELS[name]}")
    kinds = sorted({k for _, part in sides for k in part["by_kind"]})
    if kinds:
        print("recall by kind (spans), " + " / ".join(name for name, _ in sides) + ":")
        for kind in kinds:
            spans = max(part["by_kind"].get(kind, {}).get("spans", 0) for _, part in sides)
            recalls = [percent(part["by_kind"].get(kind, {}).get("recall")) for _, part in sides]
            print(f"  {kind} ({spans:,}): {' / '.join(recalls)}")
    for name, part in sides:
        if part["wrong_proposals"]:
            wrong = ", ".join(f"{why} {n:,}" for why, n in part["wrong_proposals"].items())
            print(f"{name}, wrong proposals: {wrong}")
    for name, part in (("earlyhelp", record.get("earlyhelp")), ("presidio", presidio)):
        if isinstance(part, dict) and "error" in part:
            print(f"{name}: not run: {part['error'].splitlines()[0] if part['error'] else ''}")
    print()


def main() -> None:
    if sys.argv[1:2] == ["--presidio"] and len(sys.argv) == 4:
        presidio_main(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) != 1:
        raise SystemExit("usage: redaction.py | redaction.py --presidio NOTES.json OUT.json")
    sys.path.insert(0, str(HERE.parent))
    from run import machine  # bench/run.py, for the same machine description

    record = {
        "when": datetime.now().strftime("%Y%m%dT%H%M%S"),
        "machine": machine(),
        "redaction": bench_redaction(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{record['when']}-redaction.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
