#!/usr/bin/python3
"""Seeds many small torrents in one libtorrent session and reports its memory.

usage: lt_seed_many.py (--dir DIR | --count N [--size B]) [--tracker URL] [--hold]
       lt_seed_many.py --torrent FILE... --save DIR [--hold]

--dir DIR      one torrent per file in DIR (16 KiB pieces, v1 only, like Upseed's record torrents)
--count N      N random files of --size bytes (default 500) in a temporary folder, one torrent each
--torrent F    seed prebuilt .torrent files whose content is already in --save DIR
--tracker URL  put this tracker in every torrent made here (so the session announces them)
--hold         after the report, keep seeding until stdin closes

Every torrent is added in seed mode, started at once (not auto-managed), then the script waits until all are seeding
and prints one JSON line: {"torrents", "port", "rss_bytes", "rss_baseline_bytes", "rss_per_torrent",
"rss_per_torrent_marginal", "seconds_to_seed", "libtorrent"}. rss_baseline_bytes is the process with the session
started and no torrent added; the marginal figure is (rss - baseline) / torrents.
Loopback only (and several connections per IP allowed, as every peer is 127.0.0.1): DHT, LSD, UPnP and NAT-PMP are off; encryption and uTP are off (Upseed speaks plain TCP).
"""
import argparse, gc, json, os, shutil, sys, tempfile, time
import libtorrent as lt


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def make_torrent(path, tracker):
    fs = lt.file_storage()
    lt.add_files(fs, path)
    ct = lt.create_torrent(fs, 16384, flags=lt.create_torrent.v1_only)
    if tracker:
        ct.add_tracker(tracker)
    lt.set_piece_hashes(ct, os.path.dirname(path))
    return lt.torrent_info(ct.generate())


p = argparse.ArgumentParser()
p.add_argument("--dir"); p.add_argument("--count", type=int); p.add_argument("--size", type=int, default=500)
p.add_argument("--torrent", action="append", default=[]); p.add_argument("--save")
p.add_argument("--tracker"); p.add_argument("--hold", action="store_true")
p.add_argument("--timeout", type=float, default=600)
a = p.parse_args()

ses = lt.session({
    "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
    "enable_upnp": False, "enable_natpmp": False,
    "out_enc_policy": 2, "in_enc_policy": 2, "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "alert_mask": lt.alert.category_t.error_notification,
    # Every torrent active at once (the defaults queue all but a few); a seeder, not a downloader.
    "active_limit": -1, "active_seeds": -1, "active_downloads": -1, "active_checking": -1,
    "dont_count_slow_torrents": False,
    # Every peer here is 127.0.0.1: without this, peers are told apart by IP alone, and once the session meets
    # itself through a tracker reply it bans 127.0.0.1, refusing every other local peer.
    "allow_multiple_connections_per_ip": True,
})
gc.collect()
time.sleep(0.5)
baseline = rss_bytes()

# The torrents are made after the baseline: their metadata is part of what each torrent costs.
made = None
if a.torrent:
    if not a.save:
        p.error("--torrent needs --save DIR")
    save = a.save
    infos = [lt.torrent_info(t) for t in a.torrent]
else:
    if a.dir:
        save = a.dir
    elif a.count:
        save = made = tempfile.mkdtemp(prefix="lt-seed-many-")
        for i in range(a.count):
            with open(os.path.join(save, "file-%06d.bin" % i), "wb") as f:
                f.write(os.urandom(a.size))
    else:
        p.error("give --dir, --count or --torrent")
    infos = [make_torrent(os.path.join(save, name), a.tracker) for name in sorted(os.listdir(save))]

start = time.monotonic()
for ti in infos:
    atp = lt.add_torrent_params(); atp.ti = ti; atp.save_path = save
    # Seed mode: no hash check of the files; started at once, not queued behind the auto-manager.
    atp.flags |= lt.torrent_flags.seed_mode
    atp.flags &= ~lt.torrent_flags.auto_managed
    atp.flags &= ~lt.torrent_flags.paused
    ses.async_add_torrent(atp)
del infos

count = 0
while time.monotonic() - start < a.timeout:
    statuses = ses.get_torrent_status(lambda s: True, 0)
    count = len(statuses)
    seeding = sum(1 for s in statuses if s.state == lt.torrent_status.seeding and not s.paused)
    ses.pop_alerts()
    expected = len(a.torrent) if a.torrent else len(os.listdir(save))
    if count == expected and seeding == count:
        break
    time.sleep(0.1)
else:
    print(json.dumps({"ok": False, "error": "not all torrents seeding in time", "torrents": count}), flush=True)
    sys.exit(1)
seconds = time.monotonic() - start
del statuses
gc.collect()
time.sleep(1.0)  # let the session settle (ticks, first announces) before measuring
rss = rss_bytes()
print(json.dumps({
    "ok": True, "torrents": count, "port": ses.listen_port(), "rss_bytes": rss, "rss_baseline_bytes": baseline,
    "rss_per_torrent": rss / count, "rss_per_torrent_marginal": (rss - baseline) / count,
    "seconds_to_seed": seconds, "libtorrent": lt.__version__,
}), flush=True)
if a.hold:
    sys.stdin.read()
if made:
    shutil.rmtree(made, ignore_errors=True)
