#!/usr/bin/env python3
"""Sorts the ThreadSanitizer reports of a run-tsan.sh run (log_path files) into ours and gRPC's.

A racing access is ours when our code (daemon/, client/, runtime-adapter/, tests/) made it, itself
or through standard-library or Boost code it called: walking its stack from the top, a frame of
ours comes before any frame of gRPC or protobuf. A report is ours when one of its accesses is.
The others raced inside gRPC's and protobuf's code (header code compiled into our programs
included) across hand-overs that gRPC synchronises out of TSan's sight, its libraries not being
instrumented: listed, but not a failure.
Usage: tsan_reports.py LOG_PREFIX. Exit status 1 if there is any report of ours.
"""
import collections
import glob
import re
import sys

OURS = re.compile(r"(^|/|\.\./)(daemon|client|runtime-adapter|tests)/")
FRAME = re.compile(r"^\s+#\d+ (.*) (\S+) \(([^()]+)\+0x[0-9a-f]+\)$")
ACCESS = re.compile(r"^  (Previous )?(atomic |Atomic )?(read|write|Read|Write) ")


def accesses(report):
    """The stacks of the report's racing accesses: lists of (function, file)."""
    stacks, current = [], None
    for line in report.splitlines():
        if ACCESS.match(line):
            current = []
            stacks.append(current)
        elif not line.startswith("    "):
            current = None
        elif current is not None and (frame := FRAME.match(line)):
            current.append((frame.group(1), frame.group(2)))
    return stacks


def made_by_us(stack):
    """Our frame that made the access (directly or through std/Boost code), or None."""
    for function, path in stack:
        if OURS.search(path):
            return function, path
        if re.match(r"(grpc|grpc_core|google::protobuf|wasi_socketd::(admin::)?v1)::", function) \
                or "/grpcpp/" in path or "/google/protobuf/" in path or path == "<null>":
            return None
    return None


def main(prefix):
    ours, theirs = collections.Counter(), collections.Counter()
    for path in sorted(glob.glob(prefix + ".*")):
        text = open(path, errors="replace").read()
        for report in text.split("==================\n"):
            kind = re.search(r"WARNING: ThreadSanitizer: (.*?) \(pid=", report)
            if not kind:
                continue
            stacks = accesses(report)
            own = [made_by_us(s) for s in stacks]
            if any(own) or not stacks:  # no access stacks (a lock-order report...): ours to read
                key = " / ".join(f"{f[0][:70]} {f[1]}" for f in own if f) or kind.group(1)
                ours[f"{kind.group(1)}: {key} ({path})"] += 1
            else:
                theirs[kind.group(1) + ": " + stacks[0][0][0][:90]] += 1
    for line, count in theirs.most_common():
        print(f"gRPC-internal, not ours: {count} x {line}")
    for line, count in ours.most_common():
        print(f"OURS: {count} x {line}")
    print(f"ThreadSanitizer: {sum(ours.values())} reports of ours, "
          f"{sum(theirs.values())} inside gRPC's hand-overs")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
