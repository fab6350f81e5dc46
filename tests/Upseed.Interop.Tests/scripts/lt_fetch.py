#!/usr/bin/python3
"""Downloads one torrent with libtorrent from given peers and reports how long it took.

usage: lt_fetch.py (--magnet URI | --torrent FILE) --save DIR [--peer HOST:PORT]... [--timeout S]
Prints one JSON line: {"ok": true, "seconds": ..., "info_hash": ...} or {"ok": false, "error": ...}.
Everything stays on loopback: DHT, LSD, UPnP and NAT-PMP are off.
"""
import argparse, json, sys, time
import libtorrent as lt

p = argparse.ArgumentParser()
p.add_argument("--magnet"); p.add_argument("--torrent"); p.add_argument("--save", required=True)
p.add_argument("--peer", action="append", default=[]); p.add_argument("--timeout", type=float, default=30)
p.add_argument("--report-peers", action="store_true")
p.add_argument("--one-request-per-peer", action="store_true")
a = p.parse_args()

ses = lt.session({
    "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
    "enable_upnp": False, "enable_natpmp": False,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.block_progress_notification,
    "out_enc_policy": 2, "in_enc_policy": 2, "enable_outgoing_utp": False, "enable_incoming_utp": False,
})
if a.one_request_per_peer:
    # One outstanding block per peer, so a swarm's pieces come from every seed rather than the first to unchoke.
    ses.apply_settings({"max_out_request_queue": 1})
if a.magnet:
    atp = lt.parse_magnet_uri(a.magnet)
else:
    atp = lt.add_torrent_params(); atp.ti = lt.torrent_info(a.torrent)
atp.save_path = a.save
start = time.monotonic()
h = ses.add_torrent(atp)

for peer in a.peer:
    host, port = peer.rsplit(":", 1)
    h.connect_peer((host, int(port)))
seen = set()
def sample():
    # Which peers delivered blocks: block_finished alerts name the peer each block came from.
    for alert in ses.pop_alerts():
        if isinstance(alert, lt.block_finished_alert):
            seen.add("%s:%d" % (alert.endpoint[0], alert.endpoint[1]))
while time.monotonic() - start < a.timeout:
    s = h.status()
    if a.report_peers:
        sample()
    if s.is_seeding:
        if a.report_peers:
            sample()
        print(json.dumps({"ok": True, "seconds": time.monotonic() - start, "info_hash": str(h.info_hash()),
                          "name": h.torrent_file().name(), "peers": sorted(seen)}))
        sys.exit(0)
    time.sleep(0.005)
print(json.dumps({"ok": False, "error": "timed out", "state": str(h.status().state), "peers": h.status().num_peers}))
sys.exit(1)
