#!/usr/bin/python3
"""Times libtorrent fetching torrents whose peers come from a tracker, with a fresh session for every fetch.

usage: lt_fetch_timed.py --torrent LABEL=FILE... --save DIR [--runs N] [--warmup N] [--timeout S]

Each run fetches every torrent once, in turn (the order alternates between runs, so neither side always goes
first); each fetch makes a new session, adds the .torrent (its tracker gives the peer), and is timed from
add_torrent to torrent_finished_alert, with the times of the tracker's reply and of the first peer connection.
The torrent is added started (not auto-managed, so not held until the auto-manager's next tick), once the session
listens. The downloaded file is deleted after every fetch. --warmup runs (default 1) go first and are not reported: the
seeders' first connection pays for start-up work (JIT compilation in a .NET node). Prints one JSON line:
{"ok": true, "runs": {LABEL: [{"ms", "tracker_ms", "connect_ms"}, ...]}, "libtorrent": ...}.
Loopback only: DHT, LSD, UPnP and NAT-PMP are off; encryption and uTP are off (Upseed speaks plain TCP, and a
client that tries them first waits seconds before falling back).
"""
import argparse, json, os, shutil, sys, time
import libtorrent as lt

p = argparse.ArgumentParser()
p.add_argument("--torrent", action="append", required=True, help="LABEL=FILE")
p.add_argument("--save", required=True); p.add_argument("--runs", type=int, default=20)
p.add_argument("--warmup", type=int, default=1); p.add_argument("--timeout", type=float, default=30)
a = p.parse_args()

torrents = []
for item in a.torrent:
    label, path = item.split("=", 1)
    torrents.append((label, path))

settings = {
    "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
    "enable_upnp": False, "enable_natpmp": False,
    "out_enc_policy": 2, "in_enc_policy": 2, "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "alert_mask": lt.alert_category.error | lt.alert_category.status | lt.alert_category.tracker
    | lt.alert_category.connect,
    # Every peer here is 127.0.0.1: peers are told apart by IP and port, not IP alone.
    "allow_multiple_connections_per_ip": True,
}


def fetch(path, save):
    ses = lt.session(settings)
    # The session is ready (listening) before the clock starts: session start-up is not part of a fetch.
    listening = time.monotonic()
    while not any(isinstance(alert, lt.listen_succeeded_alert) for alert in ses.pop_alerts()):
        if time.monotonic() - listening > a.timeout:
            raise TimeoutError("the session did not start listening")
        ses.wait_for_alert(100)
    atp = lt.add_torrent_params(); atp.ti = lt.torrent_info(path); atp.save_path = save
    # Started at once rather than on the auto-manager's next tick (up to a second later).
    atp.flags &= ~lt.torrent_flags.auto_managed
    atp.flags &= ~lt.torrent_flags.paused
    tracker = connect = None
    start = time.monotonic()
    ses.add_torrent(atp)
    try:
        while True:
            left = a.timeout - (time.monotonic() - start)
            if left <= 0:
                raise TimeoutError("no complete download in %.0f s" % a.timeout)
            ses.wait_for_alert(int(left * 1000))
            for alert in ses.pop_alerts():
                now = (time.monotonic() - start) * 1000
                if isinstance(alert, lt.tracker_reply_alert) and tracker is None:
                    tracker = now
                elif isinstance(alert, lt.peer_connect_alert) and connect is None:
                    connect = now
                elif isinstance(alert, lt.torrent_finished_alert):
                    return {"ms": now, "tracker_ms": tracker, "connect_ms": connect}
                elif isinstance(alert, (lt.tracker_error_alert, lt.torrent_error_alert)):
                    raise RuntimeError(alert.message())
    finally:
        del ses


runs = {label: [] for label, _ in torrents}
try:
    for i in range(-a.warmup, a.runs):
        order = torrents if i % 2 == 0 else list(reversed(torrents))
        for label, path in order:
            save = os.path.join(a.save, "%s-%d" % (label, i))
            os.makedirs(save)
            timed = fetch(path, save)
            if i >= 0:
                runs[label].append(timed)
            shutil.rmtree(save, ignore_errors=True)
        if i >= 0 and ((i + 1) % 5 == 0 or i + 1 == a.runs):
            print("bench latency: %d/%d runs" % (i + 1, a.runs), file=sys.stderr, flush=True)
except Exception as e:  # one line of JSON either way, for the caller to report
    print(json.dumps({"ok": False, "error": "%s: %s" % (type(e).__name__, e), "runs": runs}), flush=True)
    sys.exit(1)
print(json.dumps({"ok": True, "runs": runs, "libtorrent": lt.__version__}), flush=True)
