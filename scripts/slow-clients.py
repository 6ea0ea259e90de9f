#!/usr/bin/env python3
"""Slow clients for scripts/soak.sh: N connections that drip a request a byte at a time.

    python3 scripts/slow-clients.py --port 18490 --clients 50 --seconds 300 [--interval 0.5]

Each client sends a valid GET /health one byte every --interval seconds (a slowloris-style
client, or a phone on a bad network); when the server closes the connection (header timeout)
it reconnects. At the end prints one line: SLOW connections=… closed_by_server=… completed=…
Loopback only, bounded by --seconds. Python standard library only.
"""
import argparse
import socket
import threading
import time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--clients", type=int, default=50)
p.add_argument("--seconds", type=float, default=300)
p.add_argument("--interval", type=float, default=0.5)
a = p.parse_args()

REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\n\r\n"
deadline = time.time() + a.seconds
lock = threading.Lock()
stats = {"connections": 0, "closed_by_server": 0, "completed": 0}


def bump(key):
    with lock:
        stats[key] += 1


def client():
    while time.time() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", a.port), timeout=30)
        except OSError:
            time.sleep(0.5)
            continue
        bump("connections")
        try:
            for b in REQUEST:
                if time.time() >= deadline:
                    break
                s.sendall(bytes([b]))
                time.sleep(a.interval)
            else:
                if s.recv(4096):
                    bump("completed")
        except OSError:
            bump("closed_by_server")
        finally:
            s.close()


threads = [threading.Thread(target=client, daemon=True) for _ in range(a.clients)]
for t in threads:
    t.start()
for t in threads:
    t.join(timeout=max(0, deadline - time.time()) + 35)
print("SLOW " + " ".join(f"{k}={v}" for k, v in stats.items()), flush=True)
