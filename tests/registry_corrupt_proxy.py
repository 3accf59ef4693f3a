#!/usr/bin/env python3
"""A registry in front of a registry that damages blobs: every request is
passed to UPSTREAM as is, and the body of each blob GET comes back with its
first byte flipped (same length, wrong digest). The registry tests point
distill at it to show that a corrupt blob is refused and nothing is stored.

usage: registry_corrupt_proxy.py PORT UPSTREAM_PORT
"""
import http.client
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, UPSTREAM = int(sys.argv[1]), int(sys.argv[2])
BLOB = re.compile(r"^/v2/.+/blobs/sha256:[0-9a-f]{64}$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else None
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if self.command == "GET" and resp.status == 200 and BLOB.match(self.path) and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = forward


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
