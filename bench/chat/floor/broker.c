// The practical floor for bench/chat: a minimal epoll line broker. Every whole line a client sends goes, unchanged
// and without a prefix, to every other client. Nothing else: no names, no notices, no TLS, no limits but one (a
// client whose pending output passes MAX_PENDING is dropped, as marcel's --max-queue does), so what it costs per
// delivered line is what the kernel and one copy cost. Single-threaded, level-triggered, one process.
//
// Build: cc -O2 -o broker broker.c        Run: ./broker PORT   (listens on 127.0.0.1)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAX_FD = 70000, READ_SIZE = 65536, MAX_LINE = 65536, MAX_PENDING = 4 << 20 };

typedef struct {
    int open;
    char *in; size_t in_len;            // bytes read, not yet a whole line
    char *out; size_t out_len, out_cap; // bytes waiting for the socket
} client;

static client clients[MAX_FD];
static int *fds; static int nfds;       // open client descriptors, for fan-out
static int ep;

static void drop(int fd) {
    client *c = &clients[fd];
    if (!c->open) return;
    c->open = 0;
    free(c->in); free(c->out);
    memset(c, 0, sizeof *c);
    for (int i = 0; i < nfds; i++) if (fds[i] == fd) { fds[i] = fds[--nfds]; break; }
    close(fd);
}

static void want_out(int fd, int on) {
    struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.fd = fd };
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

// Try the socket first; keep what does not fit.
static void deliver(int fd, const char *data, size_t len) {
    client *c = &clients[fd];
    if (c->out_len == 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN) { drop(fd); return; }
        if (n > 0) { data += n; len -= (size_t)n; }
        if (len == 0) return;
        want_out(fd, 1);
    }
    if (c->out_len + len > MAX_PENDING) { drop(fd); return; }
    if (c->out_len + len > c->out_cap) {
        c->out_cap = (c->out_len + len) * 2;
        c->out = realloc(c->out, c->out_cap);
    }
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
}

static void flush_out(int fd) {
    client *c = &clients[fd];
    ssize_t n = send(fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) { if (errno != EAGAIN) drop(fd); return; }
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
    if (c->out_len == 0) want_out(fd, 0);
}

static void on_readable(int fd, char *buf) {
    client *c = &clients[fd];
    ssize_t n = recv(fd, buf + c->in_len, READ_SIZE, 0);
    if (n <= 0) { if (n == 0 || errno != EAGAIN) drop(fd); return; }
    memcpy(buf, c->in, c->in_len); // the unfinished line comes first
    size_t total = c->in_len + (size_t)n;
    char *last = memrchr(buf, '\n', total);
    size_t whole = last ? (size_t)(last - buf) + 1 : 0;
    if (total - whole > MAX_LINE) { drop(fd); return; }
    if (whole) {
        // Copy the list: delivering may drop a client and reorder fds.
        int count = nfds, *targets = malloc(sizeof(int) * (size_t)count);
        memcpy(targets, fds, sizeof(int) * (size_t)count);
        for (int i = 0; i < count; i++)
            if (targets[i] != fd && clients[targets[i]].open) deliver(targets[i], buf, whole);
        free(targets);
    }
    c->in_len = total - whole;
    c->in = realloc(c->in, c->in_len ? c->in_len : 1);
    memcpy(c->in, buf + whole, c->in_len);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: broker PORT\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 4096) < 0) { perror("listen"); return 2; }
    ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls };
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    fds = malloc(sizeof(int) * MAX_FD);
    char *buf = malloc(MAX_LINE + READ_SIZE + 1);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == ls) {
                int c;
                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (c >= MAX_FD) { close(c); continue; }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    clients[c].open = 1;
                    fds[nfds++] = c;
                    struct epoll_event ce = { .events = EPOLLIN, .data.fd = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
                continue;
            }
            if (!clients[fd].open) continue;
            if (events[i].events & EPOLLOUT) flush_out(fd);
            if (clients[fd].open && events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(fd, buf);
        }
    }
}
