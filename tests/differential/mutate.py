#!/usr/bin/env python3
"""Inputs for the differential run (tests/differential/run.sh): COUNT files written to OUT, each a
traditional-encoding seed with one to six edits made of separators, tags and the bytes around
them: where a reader's framing decisions are (RS/US before a tag, leading zeros in tags, GS and
FS in odd places, bytes above 0x7F, cut values). The same SEED gives the same files.

usage: mutate.py OUT SEED COUNT SEED-DIR...
"""
import os
import random
import sys

PIECES = [b"\x1e", b"\x1f", b"\x1d", b"\x1c", b"\x1e2.", b"\x1f2.005:", b"\x1e02.010:",
          b"\x1f002.0", b"\x1e10.", b"\x1f10.003:X", b"\x1e0", b"\x1f00", b"\x1e1.",
          b"\x1f1.011:", b"\x1e99.", b"\x1e9.", b"\xc3\xa9", b"\x80", b"0", b"2", b".", b":",
          b"\x1e2.0", b"\x1f0002.02:"]
MAX_SEED = 3_000_000


def seeds(dirs):
    found = []
    for top in dirs:
        for path, _, names in os.walk(top):
            for name in sorted(names):
                p = os.path.join(path, name)
                if os.path.getsize(p) >= MAX_SEED:
                    continue
                with open(p, "rb") as f:
                    data = f.read()
                if data[:2] == b"1." or data[:3] == b"01.":  # traditional encoding
                    found.append(data)
    return found


def mutate(rng, data):
    d = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not d:
            break
        pos = rng.randrange(len(d))
        piece = rng.choice(PIECES)
        r = rng.random()
        if r < 0.5:
            d[pos:pos] = piece
        elif r < 0.8:
            d[pos:pos + len(piece)] = piece
        else:
            del d[pos:pos + rng.randint(1, 4)]
    return bytes(d)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    out, seed, count, dirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    pool = seeds(dirs)
    if not pool:
        sys.exit("mutate.py: no traditional-encoding seed under " + " ".join(dirs))
    os.makedirs(out, exist_ok=True)
    for k in range(count):
        with open(os.path.join(out, "m%05d" % k), "wb") as f:
            f.write(mutate(rng, rng.choice(pool)))


if __name__ == "__main__":
    main()
