"""A real TLS proxy for the tests: Debian's nginx in front of a kiosk or hub on loopback."""

import os
import shutil
import subprocess

from tests.helpers.servers import free_port, listening, wait_until

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
OPENSSL = shutil.which("openssl")

NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        server_name localhost;
        ssl_certificate     {dir}/hub.crt;
        ssl_certificate_key {dir}/hub.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 4m;
        client_body_buffer_size 4m;  # batches stay in memory, no temporary file
        location / {{
            proxy_pass http://127.0.0.1:{hub_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
    server {{
        listen 127.0.0.1:{http_port};
        return 301 https://$host:{tls_port}$request_uri;
    }}
}}
"""


def start_nginx(tls, upstream_port):
    """nginx with a new self-signed certificate for localhost in the folder `tls`, in front
    of `upstream_port`; waits until it listens. Returns (process, tls_port, http_port);
    the certificate is `tls / "hub.crt"`. The caller terminates the process."""
    tls.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(tls / "hub.key"), "-out", str(tls / "hub.crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    tls_port, http_port = free_port(), free_port()
    (tls / "nginx.conf").write_text(
        NGINX_CONF.format(dir=tls, tls_port=tls_port, http_port=http_port, hub_port=upstream_port)
    )
    nginx = subprocess.Popen(
        [NGINX, "-c", str(tls / "nginx.conf"), "-p", str(tls), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wait_until(lambda: (tls / "nginx.pid").exists(), 10, message="nginx")
    wait_until(lambda: listening(tls_port) and listening(http_port), 10, message="nginx to listen")
    return nginx, tls_port, http_port
