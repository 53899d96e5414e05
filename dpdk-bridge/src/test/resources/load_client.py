"""Load client for the dpdk-bridge tests: CONNS connections at once, each sends a seeded random
payload (sizes up to MAX bytes) and reads the echo back; every echoed byte is compared with what
was sent. Prints one line per connection: local-port length crc32 (of the bytes sent), and
'FAIL ...' lines for any difference. Usage: load_client.py HOST PORT CONNS MAX SEED"""
import random, socket, sys, threading, zlib

host, port, conns, biggest, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines, lock = [], threading.Lock()

def one(i):
    rnd = random.Random(seed * 1000 + i)
    size = rnd.randint(1, biggest)
    data = rnd.randbytes(size)
    s = socket.create_connection((host, port), timeout=30)
    got = bytearray()
    def reader():
        while len(got) < size:
            b = s.recv(65536)
            if not b:
                break
            got.extend(b)
    t = threading.Thread(target=reader)
    t.start()
    s.sendall(data)
    t.join(60)
    local = s.getsockname()[1]
    s.close()
    with lock:
        if bytes(got) != data:
            lines.append("FAIL %d sent %d got %d" % (local, size, len(got)))
        lines.append("%d %d %d" % (local, size, zlib.crc32(data)))

threads = [threading.Thread(target=one, args=(i,)) for i in range(conns)]
for t in threads: t.start()
for t in threads: t.join(120)
print("\n".join(lines))
