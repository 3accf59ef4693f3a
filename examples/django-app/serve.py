"""Serves the Django app over HTTP with the standard library's WSGI server.

The distroless runtime has no gunicorn and no shell; wsgiref is enough for a
demo and keeps the image down to Python, Django and this code. Stops cleanly
on SIGTERM (distill stop / docker stop).
"""
import os
import signal
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hello.settings")

from hello.wsgi import application  # noqa: E402


class Handler(WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))
        sys.stderr.flush()


def main():
    port = int(os.environ.get("PORT", "8000"))
    server = make_server("0.0.0.0", port, application, handler_class=Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"serving on 0.0.0.0:{port}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
