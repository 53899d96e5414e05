"""Load client for the dpdk-bridge tests: CONNS keep-alive connections at once, each sends ROUNDS
one-line requests ("SIZE\\n") and reads each answer of exactly SIZE bytes (byte k is k mod 251)
before sending the next, as an HTTP client reads a large answer to a small request. Prints one
line per connection: 'OK seconds' or 'FAIL why'. Usage: answer_client.py HOST PORT CONNS SIZE ROUNDS"""
import socket, sys, threading, time

host, port, conns, size, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
expected = bytes(k % 251 for k in range(size))
lines, lock = [], threading.Lock()

def one(i):
    t0 = time.time()
    try:
        s = socket.create_connection((host, port), timeout=30)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for r in range(rounds):
            s.sendall(b"%d\n" % size)
            got = bytearray()
            while len(got) < size:
                b = s.recv(1 << 20)
                if not b:
                    raise IOError("closed after %d of %d bytes in round %d" % (len(got), size, r))
                got.extend(b)
            if bytes(got) != expected:
                raise IOError("answer %d differs" % r)
        s.close()
        line = "OK %.3f" % (time.time() - t0)
    except Exception as e:
        line = "FAIL %s after %.3f s" % (e, time.time() - t0)
    with lock:
        lines.append(line)

threads = [threading.Thread(target=one, args=(i,)) for i in range(conns)]
for t in threads: t.start()
for t in threads: t.join(300)
print("\n".join(lines))
