"""Lighthouse (mobile) on the home, a unit and a member page, served gzip-compressed as a host would.

Not a test (Lighthouse's performance score depends on the machine); the README records the figures.
Needs `npm install --prefix .cache/tools lighthouse` and Debian's chromium.

    python benchmarks/lighthouse.py [site folder, default site/]
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "units/tax-hall/", "units/tax-hall/members/deng-weimin/"]
LIGHTHOUSE = ROOT / ".cache" / "tools" / "node_modules" / ".bin" / "lighthouse"


class Compressed(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, cached for a day (as on a real host)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Cache-Control", "max-age=86400")
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Compressed, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    for page in PAGES:
        url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
        run = subprocess.run([str(LIGHTHOUSE), url, "--output=json", "--quiet", "--form-factor=mobile",
                              "--only-categories=performance,accessibility",
                              "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                             capture_output=True, text=True, env=env, timeout=300)
        report = json.loads(run.stdout)
        scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
        failed = [a for a, v in report["audits"].items() if v.get("score") == 0 and v.get("scoreDisplayMode") == "binary"]
        print(f"/{page}: {scores}  FCP {report['audits']['first-contentful-paint']['displayValue']}"
              f"  LCP {report['audits']['largest-contentful-paint']['displayValue']}  failing: {failed}")
    server.shutdown()


if __name__ == "__main__":
    main()
