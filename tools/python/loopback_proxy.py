"""A forward HTTP proxy for the rehearsal, on the loopback address, to moto's server only.

The AWS SDKs call S3 Control at `<account-id>.<endpoint host>`: with the emulator at 127.0.0.1 that is a host name
such as `123456789012.127.0.0.1`, which no resolver answers. Through this proxy (HTTP_PROXY) the request reaches moto
unchanged, host header included; moto routes it by its path (/v20180820/). It forwards to 127.0.0.1:<emulator port>
and nowhere else.

Usage: loopback_proxy.py <listen port> <emulator port>
"""

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


def handler(emulator_port):
    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def forward(self):
            url = urlsplit(self.path)
            host = url.hostname or ""
            if url.port != emulator_port or not (host == "127.0.0.1" or host.endswith(".127.0.0.1")):
                self.send_error(403, f"this proxy forwards to the emulator at 127.0.0.1:{emulator_port} only")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection("127.0.0.1", emulator_port, timeout=120)
            try:
                connection.request(self.command, url.path + (f"?{url.query}" if url.query else ""), body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            finally:
                connection.close()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = forward

    return Forward


def main(argv):
    listen_port, emulator_port = int(argv[1]), int(argv[2])
    ThreadingHTTPServer(("127.0.0.1", listen_port), handler(emulator_port)).serve_forever()


if __name__ == "__main__":
    main(sys.argv)
