#!/usr/bin/python3
"""Seeds files with libtorrent on loopback until stdin closes.

usage: lt_seed.py --dir DIR TORRENT...   (each torrent's file must already be in DIR)
Prints one JSON line once seeding: {"port": P}. DHT, LSD, UPnP and NAT-PMP are off.
"""
import argparse, json, sys, time
import libtorrent as lt

p = argparse.ArgumentParser()
p.add_argument("--dir", required=True); p.add_argument("torrents", nargs="+")
a = p.parse_args()
ses = lt.session({
    "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
    "enable_upnp": False, "enable_natpmp": False, "out_enc_policy": 2, "in_enc_policy": 2,
})
handles = []
for t in a.torrents:
    atp = lt.add_torrent_params(); atp.ti = lt.torrent_info(t); atp.save_path = a.dir
    # Started at once: not queued behind the session's auto-manage tick, which would refuse early peers.
    atp.flags |= lt.torrent_flags.seed_mode
    atp.flags &= ~lt.torrent_flags.auto_managed
    atp.flags &= ~lt.torrent_flags.paused
    handles.append(ses.add_torrent(atp))
deadline = time.monotonic() + 20
def ready(h):
    s = h.status()
    return s.is_seeding and not s.paused and s.state == lt.torrent_status.seeding
while time.monotonic() < deadline and not all(ready(h) for h in handles):
    time.sleep(0.01)
print(json.dumps({"port": ses.listen_port()}), flush=True)
sys.stdin.read()
