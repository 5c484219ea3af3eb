# app.py (before): a small batch job profiled by tests/diff; after/app.py is the same job
# one commit later, with a deliberate slowdown in parse_record.
import json


def parse_record(line):
    key, _, value = line.partition("=")
    return key.strip(), int(value)


def checksum(values):
    total = 0
    for v in values:
        total = (total * 31 + v) % 1000003
    return total


def legacy_report(records):
    return ", ".join("%s=%d" % kv for kv in records[:3])


def main():
    lines = ["k%d = %d" % (i, i * 7) for i in range(20000)]
    records = [parse_record(line) for line in lines]
    by_key = {k: v for k, v in records}
    pick = sorted(by_key, key=lambda k: by_key[k])[:10]
    first = sorted(records, key=lambda kv: kv[1])[0]
    print(checksum(v for _, v in records), legacy_report(records), pick[0], first)
    print(json.dumps({"n": len(records)}))


main()
