"""Makes messages.csv: 1,500 rows in coordination-network-toolkit's 8-column CSV layout
(reposts, replies, posts with mixed-case, mentions, CJK and odd whitespace, space-separated
URLs), seeded, so the toolkit's outputs in this folder can be recomputed (PROVENANCE.md)."""

import csv, random
rng = random.Random(5)
words = ["Hong", "kong", "Police", "riot", "FREEDOM", "news", "香港", "警察", "暴徒", "today"]
rows = []
t0 = 1600000000
for n in range(1500):
    u = f"u{int(rng.paretovariate(1.2)) % 40}"
    kind = rng.random()
    ts = t0 + rng.randrange(0, 3000)
    repost = reply = msg = urls = ""
    if kind < 0.3:
        repost = f"o{rng.randrange(40)}"
        msg = "RT something"
    elif kind < 0.45:
        reply = f"p{rng.randrange(30)}"
        msg = " ".join(rng.choice(words) for _ in range(3))
    else:
        k = rng.randrange(25)
        msg = rng.choice(["", "@someone ", "@x  "]) + " ".join(words[(k + i) % 10] for i in range(1 + k % 4)) + rng.choice(["", " ", "  \t"])
        if rng.random() < 0.1:
            msg = msg.upper()
    if rng.random() < 0.4:
        urls = " ".join(f"http://ex.com/{rng.randrange(15)}" for _ in range(rng.randrange(1, 3)))
    mid = f"m{n}"
    rows.append([mid, u, u, repost, reply, msg, ts, urls])
with open("messages.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["message_id","user_id","username","repost_id","reply_id","message","timestamp","urls"]); w.writerows(rows)
