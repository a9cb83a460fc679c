#!/usr/bin/env python3
"""Groups a `perf report --stdio --no-children -g none --sort dso,sym` listing of the hub (self time) into components."""
import re, sys
from collections import defaultdict

RULES = [  # first match wins; matched against "dso sym"
    ("EF Core / DI scope / Microsoft.Data.Sqlite (account look-up per request)", r"EntityFrameworkCore|Microsoft\.Data\.Sqlite|SQLitePCL|DependencyInjection|VideoLink\.Hub\.Storage|VideoLink\.Hub\.SipAccounts"),
    ("SQLite engine (native)", r"libe_sqlite3"),
    ("logging (Serilog, Microsoft.Extensions.Logging)", r"Serilog|Microsoft\.Extensions\.Logging"),
    ("VideoLink.Sip (parse, transactions, digest, registrar)", r"\[VideoLink\.Sip\]"),
    ("MD5/crypto (OpenSSL)", r"libcrypto|Cryptography"),
    ("timers / thread pool / async machinery (BCL)", r"System\.Threading|TimerQueue|ThreadPool|AsyncTaskMethodBuilder|ValueTask|Task`|Tasks\."),
    ("other .NET managed code (BCL, collections, LINQ, casts)", r"\[JIT\]|System\.Private\.CoreLib|System\.Collections|System\.Linq"),
    ("CLR runtime / GC (libcoreclr)", r"libcoreclr|libclrjit|doublemapper"),
    ("kernel (UDP send/recv, scheduling, futex, page faults)", r"\[kernel"),
    ("libc / loader (malloc, memset, TLS)", r"libc\.so|ld-linux|vdso|libSystem"),
]
totals = defaultdict(float)
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d.]+)%\s+(.*)", line)
    if not m:
        continue
    pct, rest = float(m.group(1)), m.group(2)
    for name, rx in RULES:
        if re.search(rx, rest):
            totals[name] += pct
            break
    else:
        totals["other"] += pct
for name, pct in sorted(totals.items(), key=lambda x: -x[1]):
    print(f"{pct:6.1f}%  {name}")
