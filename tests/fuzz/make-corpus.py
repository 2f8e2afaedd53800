#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_pgwire (tests/fuzz/corpus/pgwire): one
file per conversation a real client has, so that fuzzing starts deep in
every protocol state. Byte 0 is the harness's mode (bit 0: a startup packet
is sent first; bits 1-3: the chunk size); see fuzz_pgwire.c."""
import os
import struct

def msg(t, body=b""):
    return t + struct.pack("!I", len(body) + 4) + body

def s(text):
    return text.encode() + b"\0"

def startup(**kv):
    body = struct.pack("!I", 196608) + b"".join(s(k) + s(v) for k, v in kv.items()) + b"\0"
    return struct.pack("!I", len(body) + 4) + body

def bind(portal, stmt, params, formats=(), results=()):
    body = s(portal) + s(stmt) + struct.pack("!H", len(formats)) + b"".join(struct.pack("!H", f) for f in formats)
    body += struct.pack("!H", len(params))
    for p in params:
        body += struct.pack("!i", -1) if p is None else struct.pack("!I", len(p)) + p
    body += struct.pack("!H", len(results)) + b"".join(struct.pack("!H", f) for f in results)
    return msg(b"B", body)

SEEDS = {
    "simple": (1, msg(b"Q", s("rows")) + msg(b"Q", s("ok")) + msg(b"X")),
    "errors": (1, msg(b"Q", s("fail")) + msg(b"Q", s("notice")) + msg(b"Q", s("Fatal"))),
    "suspend": (3, msg(b"Q", s("suspend")) + msg(b"Q", s("rows")) + msg(b"S")),
    "extended": (1, msg(b"P", s("st") + s("SELECT $1") + struct.pack("!HI", 1, 23))
                 + bind("", "st", [b"42", None], (0, 1), (1,)) + msg(b"D", b"P" + s(""))
                 + msg(b"E", s("") + struct.pack("!i", 0)) + msg(b"S")),
    "extended-error": (5, msg(b"P", s("fst") + s("x") + struct.pack("!H", 0)) + msg(b"B", s("") + s("fst"))
                       + msg(b"H") + msg(b"S") + msg(b"C", b"S" + s("st")) + msg(b"S")),
    "portal": (1, bind("p", "", []) + msg(b"E", s("p") + struct.pack("!i", 1)) + msg(b"E", s("rows") + struct.pack("!i", 0))
               + msg(b"S")),
    "copy-in": (1, msg(b"Q", s("copy")) + msg(b"d", b"1\t2\n") + msg(b"H") + msg(b"d", b"3\t4\n") + msg(b"c")
                + msg(b"Q", s("ok"))),
    "copy-fail": (9, msg(b"Q", s("cb")) + msg(b"d", b"PGCOPY") + msg(b"f", s("client gave up")) + msg(b"c")
                  + msg(b"Q", s("copy")) + msg(b"Q", s("stray"))),
    "copy-extended": (1, msg(b"P", s("") + s("copy") + struct.pack("!H", 0)) + bind("copy", "", [])
                      + msg(b"E", s("copy") + struct.pack("!i", 0)) + msg(b"d", b"fail") + msg(b"S") + msg(b"S")),
    "ssl-then-startup": (0, struct.pack("!II", 8, 80877103) + struct.pack("!II", 8, 80877104)
                         + startup(user="bob", database="db") + msg(b"Q", s("A payload"))),
    "cancel": (0, struct.pack("!IIII", 16, 80877102, 7, 42)),
    "v2": (0, struct.pack("!II", 8, 0x00020000)),
    "negotiate": (0, startup(user="u", _pq_x="1")[:4] + struct.pack("!I", 196609) + startup(user="u", _pq_x="1")[8:]
                  + msg(b"F", b"\0\0\0\0") + msg(b"Q", s("rows"))),
    "refused": (0, startup(user="nobody")),
    # Authentication: mode bits 4-5 = 2 a cleartext password, 3 SCRAM.
    "password": (0x21, msg(b"p", s("pw")) + msg(b"Q", s("rows"))),
    "password-wrong": (0x21, msg(b"p", s("nope"))),
    "scram-first": (0x31, msg(b"p", s("SCRAM-SHA-256") + struct.pack("!i", 32) + b"n,,n=,r=abcdefghijklmnopqrstuvwx")
                    + msg(b"p", b"c=biws,r=abcdefghijklmnopqrstuvwx,p=AAAA")),
    "scram-wrong-mech": (0x31, msg(b"p", s("SCRAM-SHA-256-PLUS") + struct.pack("!i", -1))),
    "auth-other-message": (0x31, msg(b"Q", s("rows"))),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "pgwire")
os.makedirs(out, exist_ok=True)
for name, (mode, data) in SEEDS.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([mode]) + data)
print(f"{len(SEEDS)} seeds in {out}")
