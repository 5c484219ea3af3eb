# app.py (after): the job of before/app.py one commit later: a helper added above (every
# line moved), parse_record validates each key the slow way (the regression),
# legacy_report is gone and summary is new.
import json


def validate(key):
    # The deliberate slowdown: rebuilds the set and scans the key again on every call.
    allowed = set("k0123456789" * 40)
    return all(c in allowed for c in key * 8)


def parse_record(line):
    key, _, value = line.partition("=")
    key = key.strip()
    if not validate(key):
        raise ValueError(key)
    return key, int(value)


def checksum(values):
    total = 0
    for v in values:
        total = (total * 31 + v) % 1000003
    return total


def summary(records):
    return "%d records" % len(records)


def main():
    lines = ["k%d = %d" % (i, i * 7) for i in range(20000)]
    records = [parse_record(line) for line in lines]
    by_key = {k: v for k, v in records}
    pick = sorted(by_key, key=lambda k: by_key[k])[:10]
    first = sorted(records, key=lambda kv: kv[1])[0]
    print(checksum(v for _, v in records), summary(records), pick[0], first)
    print(json.dumps({"n": len(records)}))


main()
