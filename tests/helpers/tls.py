"""A real TLS proxy for the tests: Debian's nginx in front of a kiosk or hub on loopback."""

import os
import shutil

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
