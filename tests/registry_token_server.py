#!/usr/bin/env python3
"""A small Docker-style token service for the registry tests.

Serves GET /token?service=S&scope=repository:NAME:ACTIONS (Basic auth optional)
and answers {"token": JWT, "expires_in": N}. The JWT is signed RS256 with the
key whose certificate the registry trusts (auth.token.rootcertbundle); its
header names the key by libtrust key ID, which is how docker-registry 2.x finds
it. Anonymous callers get pull only; USER:PASSWORD gets pull and push; wrong
credentials get 401. Every request is appended to LOG as one JSON line
(with whether an Authorization header came, never its value).

usage: registry_token_server.py PORT KEY.pem ISSUER USER PASSWORD LOG
"""
import base64
import hashlib
import json
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PORT, KEY_FILE, ISSUER, USER, PASSWORD, LOG = sys.argv[1:7]
with open(KEY_FILE, "rb") as f:
    KEY = serialization.load_pem_private_key(f.read(), password=None)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_key_id(public_key):
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    s = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(s[i:i + 4] for i in range(0, len(s), 4))


KID = libtrust_key_id(KEY.public_key())


def sign(claims):
    header = {"typ": "JWT", "alg": "RS256", "kid": KID}
    signing_input = (b64url(json.dumps(header).encode()) + "." +
                     b64url(json.dumps(claims).encode())).encode()
    sig = KEY.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode() + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        auth = self.headers.get("Authorization", "")
        user = None
        if auth:
            ok = auth == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if not ok:
                self.answer(401, {"details": "bad credentials"})
                self.record(query, auth, False)
                return
            user = USER
        access = []
        for scope in query.get("scope", []):
            for one in scope.split(" "):
                parts = one.split(":")
                if len(parts) != 3 or parts[0] != "repository":
                    continue
                wanted = parts[2].split(",")
                granted = [a for a in wanted if a == "pull" or (a == "push" and user)]
                access.append({"type": "repository", "name": parts[1], "actions": granted})
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": user or "", "aud": query.get("service", [""])[0],
                  "exp": now + 300, "nbf": now - 10, "iat": now,
                  "jti": b64url(hashlib.sha256(str(time.time_ns()).encode()).digest()[:12]),
                  "access": access}
        token = sign(claims)
        self.record(query, auth, True)
        self.answer(200, {"token": token, "access_token": token, "expires_in": 300,
                          "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))})

    def record(self, query, auth, issued):
        with open(LOG, "a") as f:
            f.write(json.dumps({"scope": query.get("scope", []), "authorization": bool(auth),
                                "issued": issued}) + "\n")

    def answer(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler).serve_forever()
