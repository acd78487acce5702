"""A line server that says FIN at once: the shortest possible `marcel connect` conversation.

Prints its port, then for each connection sends "FIN\n", half-closes, and waits for the client to leave.
"""
import socket

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(128)
print(server.getsockname()[1], flush=True)
while True:
    client, _ = server.accept()
    try:
        client.sendall(b"FIN\n")
        client.shutdown(socket.SHUT_WR)
        client.settimeout(5)
        while client.recv(4096):
            pass
    except OSError:
        pass
    finally:
        client.close()
