/*
 * uds_peer: the Asya socket exchange in plain C, the yardstick of `bench/limit.sh`.
 *
 * One frame per connection: [4-byte big-endian length][body], answered by one 0x01 byte, then close.
 * Blocking system calls only, one reused receive buffer, no allocation per message: this is as fast as
 * the exchange goes on the machine, so the .NET figures are read as ratios to it.
 *
 *   uds_peer recv SOCK                          receive until a zero-length frame (acked) arrives
 *   uds_peer send SOCK SIZE SECS WARMUP [BODY]  send for SECS seconds after WARMUP seconds; prints RESULT
 *                                               (with LIMIT_WARM_FILE set, the warm-up also lasts until that
 *                                               file exists, at most 30 s: a .NET receiver's "I am compiled")
 *   uds_peer count SOCK N BODY                  send BODY (a file) N times; prints RESULT for all N
 *   uds_peer stop SOCK                          send the zero-length frame
 *
 * RESULT: impl=c size=.. msgs=.. secs=.. msgs_per_s=.. p50_us=.. p99_us=.. warm_s=.. (latency: socket() .. close()).
 * The sender waits up to 10 s for the socket to appear. Every process ends itself after 10 minutes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define FRAME_CAP (100u * 1024 * 1024)

static void fail(const char *what) {
    fprintf(stderr, "uds_peer: %s: %s\n", what, strerror(errno));
    exit(2);
}

static uint64_t clock_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static struct sockaddr_un address_of(const char *path) {
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "uds_peer: socket path too long\n");
        exit(2);
    }
    strcpy(a.sun_path, path);
    return a;
}

/* Reads exactly n bytes; 0 on success, -1 when the peer closed or failed first. */
static int read_exactly(int fd, uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t got = read(fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

/* ---- receiver ---- */

static int receive(const char *path) {
    struct sockaddr_un a = address_of(path);
    unlink(path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener < 0) fail("socket");
    if (bind(listener, (struct sockaddr *)&a, sizeof a) < 0) fail("bind");
    if (listen(listener, 512) < 0) fail("listen");

    size_t capacity = 1 << 20;
    uint8_t *body = malloc(capacity);
    if (!body) fail("malloc");
    const uint8_t ack = 1;
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR) continue;
            fail("accept");
        }
        uint8_t h[4];
        if (read_exactly(c, h, 4) < 0) { close(c); continue; }
        uint32_t len = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        if (len > FRAME_CAP) { close(c); continue; }
        if (len > capacity) {
            capacity = len;
            body = realloc(body, capacity);
            if (!body) fail("realloc");
        }
        if (read_exactly(c, body, len) < 0) { close(c); continue; }
        while (write(c, &ack, 1) < 0 && errno == EINTR) {}
        close(c);
        if (len == 0) break;
    }
    close(listener);
    unlink(path);
    return 0;
}

/* ---- sender ---- */

typedef struct {
    struct sockaddr_un address;
    uint8_t header[4];
    uint8_t *body;
    size_t size;
} frame_t;

static int connect_to(const struct sockaddr_un *a, int patience_ms) {
    for (int waited = 0;; waited++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) fail("socket");
        if (connect(fd, (const struct sockaddr *)a, sizeof *a) == 0) return fd;
        int e = errno;
        close(fd);
        if (waited >= patience_ms || (e != ENOENT && e != ECONNREFUSED && e != EINTR && e != EAGAIN)) {
            errno = e;
            fail("connect");
        }
        usleep(1000);
    }
}

/* One exchange; returns its duration in ns. */
static uint64_t exchange(const frame_t *f, int patience_ms) {
    uint64_t started = clock_ns();
    int fd = connect_to(&f->address, patience_ms);
    struct iovec v[2] = {{(void *)f->header, 4}, {f->body, f->size}};
    struct iovec *next = v;
    int left = f->size ? 2 : 1;
    while (left > 0) {
        ssize_t w = writev(fd, next, left);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) fail("write");
        while (left > 0 && (size_t)w >= next->iov_len) { w -= (ssize_t)next->iov_len; next++; left--; }
        if (left > 0) { next->iov_base = (uint8_t *)next->iov_base + w; next->iov_len -= (size_t)w; }
    }
    uint8_t ack = 0;
    if (read_exactly(fd, &ack, 1) < 0 || ack != 1) {
        errno = EPROTO;
        fail("ack");
    }
    close(fd);
    return clock_ns() - started;
}

static frame_t frame_of(const char *path, size_t size, const char *body_file) {
    frame_t f;
    f.address = address_of(path);
    if (body_file) {
        FILE *in = fopen(body_file, "rb");
        if (!in) fail(body_file);
        fseek(in, 0, SEEK_END);
        size = (size_t)ftell(in);
        rewind(in);
        f.body = malloc(size ? size : 1);
        if (!f.body || fread(f.body, 1, size, in) != size) fail("read body");
        fclose(in);
    } else {
        f.body = malloc(size ? size : 1);
        if (!f.body) fail("malloc");
        for (size_t i = 0; i < size; i++) f.body[i] = (uint8_t)('a' + i % 26);
    }
    f.size = size;
    f.header[0] = (uint8_t)(size >> 24);
    f.header[1] = (uint8_t)(size >> 16);
    f.header[2] = (uint8_t)(size >> 8);
    f.header[3] = (uint8_t)size;
    return f;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void report(size_t size, uint64_t *lat, size_t n, double secs, double warm) {
    qsort(lat, n, sizeof *lat, by_value);
    printf("RESULT impl=c size=%zu msgs=%zu secs=%.3f msgs_per_s=%.1f p50_us=%.2f p99_us=%.2f warm_s=%.2f\n", size, n, secs,
           n / secs, lat[(size_t)(0.50 * (double)(n - 1))] / 1e3, lat[(size_t)(0.99 * (double)(n - 1))] / 1e3, warm);
    fflush(stdout);
}

static int send_for(const char *path, size_t size, double secs, double warmup, const char *body_file) {
    frame_t f = frame_of(path, size, body_file);
    exchange(&f, 10000); /* waits for the receiver */
    uint64_t warm_from = clock_ns(), warm_until = warm_from + (uint64_t)(warmup * 1e9);
    while (clock_ns() < warm_until) exchange(&f, 0);
    /* A .NET receiver compiles its hot code again, optimised, for seconds after it started: it says when it is done. */
    const char *warm_file = getenv("LIMIT_WARM_FILE");
    for (uint64_t cap = warm_from + 30000000000ull; warm_file && *warm_file && access(warm_file, F_OK) != 0 && clock_ns() < cap;)
        for (int i = 0; i < 256; i++) exchange(&f, 0);
    double warm = (double)(clock_ns() - warm_from) / 1e9;

    size_t capacity = 1 << 16, n = 0;
    uint64_t *lat = malloc(capacity * sizeof *lat);
    uint64_t started = clock_ns(), stop = started + (uint64_t)(secs * 1e9), now;
    do {
        if (n == capacity) {
            capacity *= 2;
            lat = realloc(lat, capacity * sizeof *lat);
            if (!lat) fail("realloc");
        }
        lat[n++] = exchange(&f, 0);
        now = clock_ns();
    } while (now < stop);
    report(f.size, lat, n, (double)(now - started) / 1e9, warm);
    return 0;
}

static int send_count(const char *path, size_t count, const char *body_file) {
    frame_t f = frame_of(path, 0, body_file);
    uint64_t *lat = malloc((count ? count : 1) * sizeof *lat);
    if (!lat) fail("malloc");
    uint64_t started = 0;
    for (size_t i = 0; i < count; i++) {
        lat[i] = exchange(&f, i == 0 ? 10000 : 0);
        if (i == 0) started = clock_ns(); /* the first one waited for the receiver: not timed */
    }
    if (count > 1) report(f.size, lat + 1, count - 1, (double)(clock_ns() - started) / 1e9, 0);
    return 0;
}

int main(int argc, char **argv) {
    alarm(600);
    if (argc == 3 && strcmp(argv[1], "recv") == 0) return receive(argv[2]);
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "send") == 0)
        return send_for(argv[2], strtoul(argv[3], NULL, 10), atof(argv[4]), atof(argv[5]), argc == 7 ? argv[6] : NULL);
    if (argc == 5 && strcmp(argv[1], "count") == 0) return send_count(argv[2], strtoul(argv[3], NULL, 10), argv[4]);
    if (argc == 3 && strcmp(argv[1], "stop") == 0) {
        frame_t f = frame_of(argv[2], 0, NULL);
        exchange(&f, 10000);
        return 0;
    }
    fprintf(stderr, "usage: uds_peer recv SOCK | send SOCK SIZE SECS WARMUP [BODYFILE] | count SOCK N BODYFILE | stop SOCK\n");
    return 2;
}
