#!/usr/bin/env python3
"""Writes test/fixtures/difflib-vectors.json: name pairs with CPython's exact
SequenceMatcher(None, a.lower(), b.lower()).ratio(), for the parity test of src/matching.
Deterministic: run it again and the file does not change."""
import difflib, json, random, os

rng = random.Random(20261126)
words = ["Acme", "Analytics", "Borealis", "Systems", "Cobalt", "Logistics", "Delta", "Dental", "Nordic",
         "GmbH", "Ltd", "Inc.", "AB", "Oy", "SAS", "Azure", "Plan", "Microsoft", "365", "E3", "AWS",
         "Müller", "Åkesson", "Škoda", "Ωmega", "東京", "Café", "Straße", "İstanbul", "ΣΟΦΙΑ", "naïve", "😀"]
alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEF-.&0123456789äöüéèçßøå"

def name():
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))

def noisy(s):
    chars = list(s)
    for _ in range(rng.randint(0, 4)):
        op = rng.random()
        pos = rng.randint(0, len(chars))
        if op < 0.4: chars.insert(pos, rng.choice(alphabet))
        elif op < 0.7 and chars: chars.pop(min(pos, len(chars) - 1))
        elif chars: chars[min(pos, len(chars) - 1)] = rng.choice(alphabet)
    return "".join(chars)

def long_text(n):
    # few distinct characters so that autojunk marks popular ones
    return "".join(rng.choice("aab c.de") for _ in range(n))

pairs = []
for _ in range(700):
    a = name(); pairs.append((a, noisy(a) if rng.random() < 0.7 else name()))
for _ in range(150):
    n = rng.randint(200, 420); a = long_text(n); pairs.append((a, noisy(a) if rng.random() < 0.5 else long_text(rng.randint(180, 420))))
for _ in range(100):
    a = long_text(rng.randint(1, 60)); pairs.append((a, long_text(rng.randint(200, 500))))
for _ in range(60):
    pairs.append((name() + " " + name(), " ".join(rng.choice(words) for _ in range(rng.randint(40, 70)))))
pairs += [("", ""), ("", "abc"), ("abc", ""), ("a" * 300, "a" * 300), ("İ", "i"), ("ΣΑΣ", "σας"), ("x" * 250 + "y", "y" + "x" * 250)]

vectors = [[a, b, difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()] for a, b in pairs]
out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "difflib-vectors.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(vectors, f, ensure_ascii=False, indent=0)
print(f"wrote {len(vectors)} vectors to {out}")
