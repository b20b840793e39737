"""Copies the tokenizer fixtures of ../shared/fixtures/tokenizers into this folder, gzip-compressed, leaving out
every case whose text comes from a data set marked "shared only" in shared/data/README.md (waimai reviews,
multi30k). Run from this folder: python3 make_subset.py /path/to/shared/fixtures/tokenizers"""
import gzip
import json
import shutil
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/fixtures/tokenizers"
names = ["bert-base-uncased", "bert-base-chinese", "gpt2", "llama2", "roberta-base", "t5-small"]
SHARED_ONLY = ("waimai", "multi30k")

strings = json.load(open(f"{src}/strings.json", encoding="utf-8"))
excluded = set()
for key, items in strings.items():
    if isinstance(items, list):
        for s in items:
            if isinstance(s, dict) and any(tag in str(s.get("source", "")) for tag in SHARED_ONLY):
                excluded.add(s.get("text"))


def texts_of(case):
    out = [case.get("text"), case.get("text_pair")]
    out += case.get("texts") or []
    return out


def keep(case):
    if any(tag in str(case.get("source", "")) for tag in SHARED_ONLY):
        return False
    return not any(t in excluded for t in texts_of(case) if t is not None)


for name in names:
    d = json.load(open(f"{src}/{name}/expected.json", encoding="utf-8"))
    before = {k: len(d[k]) for k in ("single", "pairs", "batch_padding", "pair_padding", "truncation", "decode_prefixes")}
    for k in before:
        d[k] = [c for c in d[k] if keep(c)]
    d["subset_note"] = "copied by tests/testdata/tokenizers/make_subset.py; cases from shared-only data sets removed"
    with gzip.open(f"{name}.expected.json.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(d, f, ensure_ascii=False)
    with open(f"{src}/{name}/tokenizer.json", "rb") as fi, gzip.open(f"{name}.tokenizer.json.gz", "wb", compresslevel=9) as fo:
        shutil.copyfileobj(fi, fo)
    print(name, {k: (before[k], len(d[k])) for k in before})
shutil.copy(f"{src}/README.md", "FIXTURES_README.md")
