#!/usr/bin/python3
"""libtorrent's DHT against our node on loopback: two libtorrent sessions join through --bootstrap, print
{"ready": true} once joined, then run one JSON command per stdin line and print one JSON line for each:
  {"op": "get-peers", "ih": HEX, "expect": "HOST:PORT"?}   get_peers until peers (or the expected one) are found
  {"op": "announce", "ih": HEX}                            both sessions announce it; answers their peer addresses
  {"op": "put", "seed": HEX, "key": HEX, "salt": S, "value": TEXT}   BEP 44 mutable put signed with that seed's key
  {"op": "get", "key": HEX, "salt": S, "seq": N?}          BEP 44 mutable get until an item (seq >= N) arrives
The sessions stay in the DHT until stdin closes, so lookups from our side never wait on a departed node.
Nothing leaves 127.0.0.1: LSD, UPnP, NAT-PMP are off and the only bootstrap node is ours. libtorrent's guards against
loopback and private addresses in its routing table and lookups, and BEP 42 id enforcement, are switched off.
"""
import argparse, hashlib, json, sys, tempfile, time
import libtorrent as lt

p = argparse.ArgumentParser()
p.add_argument("--bootstrap", required=True)
p.add_argument("--timeout", type=float, default=60)
a = p.parse_args()


def session():
    settings = {
        "listen_interfaces": "127.0.0.1:0", "enable_dht": True, "dht_bootstrap_nodes": a.bootstrap,
        "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "out_enc_policy": 2, "in_enc_policy": 2, "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "alert_mask": lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
        | lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | lt.alert.category_t.tracker_notification,
    }
    for name in ("dht_restrict_routing_ips", "dht_restrict_search_ips", "dht_enforce_node_id",
                 "dht_prefer_verified_node_ids", "dht_ignore_dark_internet"):
        if name in lt.default_settings():
            settings[name] = False
    ses = lt.session(settings)
    # libtorrent keeps bootstrap routers out of its routing table and its lookups; adding our node as an ordinary
    # node too makes libtorrent query it like any other DHT node.
    host, port = a.bootstrap.rsplit(":", 1)
    ses.add_dht_node((host, int(port)))
    return ses


start = time.monotonic()
sessions = [session(), session()]
# Each session also knows the other: libtorrent drops a find_node reply that has no nodes, which is what a node that
# others bootstrap through answers while it knows nobody; once two sessions query it, its replies name them.
sessions[0].add_dht_node(("127.0.0.1", sessions[1].listen_port()))
sessions[1].add_dht_node(("127.0.0.1", sessions[0].listen_port()))


def left():
    return a.timeout - (time.monotonic() - start)


def done(result, code=0):
    result["seconds"] = round(time.monotonic() - start, 3)
    print(json.dumps(result), flush=True)
    if code:
        sys.exit(code)


# Joined once each session's routing table holds a node (ours, and through it the other session).
nodes = [0, 0]
while min(nodes) < 1:
    if left() <= 0:
        done({"ok": False, "error": "libtorrent never joined the DHT", "nodes": nodes}, 1)
    for i, s in enumerate(sessions):
        s.post_dht_stats()
        for alert in s.pop_alerts():
            if isinstance(alert, lt.dht_stats_alert):
                nodes[i] = sum(b["num_nodes"] for b in alert.routing_table)
    time.sleep(0.1)

print(json.dumps({"ready": True, "ports": [s.listen_port() for s in sessions]}), flush=True)
main = sessions[0]
save = tempfile.mkdtemp(prefix="lt-dht-")


def get_peers(c):
    ih = lt.sha1_hash(bytes.fromhex(c["ih"]))
    found = set()
    while left() > 0:
        main.dht_get_peers(ih)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            for alert in main.pop_alerts():
                if isinstance(alert, lt.dht_get_peers_reply_alert):
                    for host, port in alert.peers():
                        found.add("%s:%d" % (host, port))
            if found and (c.get("expect") is None or c["expect"] in found):
                return {"ok": True, "peers": sorted(found)}
            time.sleep(0.05)
    return {"ok": False, "error": "no peers found", "peers": sorted(found)}


def announce(c):
    # The binding takes no announce flags, so announce as a client does: add the torrent by info-hash with the DHT
    # on; libtorrent then announces it (get_peers + announce_peer) with its listen port.
    for s in sessions:
        atp = lt.parse_magnet_uri("magnet:?xt=urn:btih:" + c["ih"])
        atp.save_path = save
        s.add_torrent(atp)
    return {"ok": True, "peers": ["127.0.0.1:%d" % s.listen_port() for s in sessions]}


def put(c):
    # libtorrent's ed25519 secret key is the expanded key: the clamped SHA-512 of the seed (scalar, then prefix).
    h = bytearray(hashlib.sha512(bytes.fromhex(c["seed"])).digest())
    h[0] &= 248; h[31] &= 63; h[31] |= 64
    main.dht_put_mutable_item(bytes(h), bytes.fromhex(c["key"]), c["value"].encode(), c["salt"].encode())
    while left() > 0:
        for alert in main.pop_alerts():
            if isinstance(alert, lt.dht_put_alert):
                return {"ok": alert.num_success > 0, "stored": alert.num_success, "seq": alert.seq}
        time.sleep(0.05)
    return {"ok": False, "error": "no put alert"}


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def get(c):
    key = bytes.fromhex(c["key"])
    while left() > 0:
        main.dht_get_mutable_item(key, c["salt"].encode())
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for alert in main.pop_alerts():
                # libtorrent only raises this alert for an item whose signature it verified.
                if isinstance(alert, lt.dht_mutable_item_alert) and alert.seq >= max(c.get("seq", 1), 1):
                    item = alert.item
                    if isinstance(item, dict):
                        # This binding hands back the whole item (key, salt, seq, sig, value).
                        item = next((item[k] for k in ("value", b"value", "v", b"v") if k in item), item)
                    value = text(item)
                    return {"ok": True, "value": value, "seq": alert.seq, "authoritative": bool(alert.authoritative),
                            "salt": text(alert.salt)}
            time.sleep(0.05)
    return {"ok": False, "error": "no item"}


ops = {"get-peers": get_peers, "announce": announce, "put": put, "get": get}
for line in sys.stdin:
    if not line.strip():
        continue
    command = json.loads(line)
    start = time.monotonic()
    done(ops[command["op"]](command))
