/* poll_oneoff with clock subscriptions (relative, absolute, several, unknown clock) and
 * fd_read/fd_write subscriptions; sleeping advances the monotonic clock. */
#include "common.h"
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int abs) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, int fd) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

static void show(const char *label, __wasi_subscription_t *subs, int n) {
    __wasi_event_t ev[8];
    __wasi_size_t got = 0;
    __wasi_errno_t err = __wasi_poll_oneoff(subs, ev, n, &got);
    printf("%s: %s, %lu event(s)", label, errname(err), (unsigned long)got);
    for (__wasi_size_t i = 0; i < got; i++)
        printf(" [userdata %llu type %d error %s nbytes %llu]", (unsigned long long)ev[i].userdata, ev[i].type,
               errname(ev[i].error), (unsigned long long)ev[i].fd_readwrite.nbytes);
    printf("\n");
}

static uint64_t mono(void) {
    __wasi_timestamp_t t;
    if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t)) exit(97);
    return t;
}

int main(void) {
    __wasi_subscription_t s[4];
    s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 1000000, 0);
    show("relative 1ms", s, 1);

    s[0] = clock_sub(10, __WASI_CLOCKID_MONOTONIC, 10000000, 0);
    s[1] = clock_sub(5, __WASI_CLOCKID_MONOTONIC, 5000000, 0);
    show("5ms and 10ms", s, 2);

    s[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, mono() - 1, 1);
    show("absolute in the past", s, 1);

    uint64_t before = mono();
    s[0] = clock_sub(8, __WASI_CLOCKID_MONOTONIC, before + 20000000, 1);
    show("absolute 20ms ahead", s, 1);
    printf("monotonic advanced at least 20ms: %d\n", mono() - before >= 20000000);

    s[0] = clock_sub(9, __WASI_CLOCKID_REALTIME, 2000000, 0);
    show("realtime relative", s, 1);

    s[0] = clock_sub(11, 99, 1000, 0);
    show("unknown clock", s, 1);

    s[0] = clock_sub(12, __WASI_CLOCKID_MONOTONIC, 10000000000ull, 0);
    s[1] = fd_sub(13, __WASI_EVENTTYPE_FD_WRITE, 1);
    show("stdout writable before 10s", s, 2);

    s[0] = fd_sub(14, __WASI_EVENTTYPE_FD_READ, 42);
    show("bad fd", s, 1);

    int fd = open("/sandbox/p", O_CREAT | O_RDWR, 0644);
    MUST(write(fd, "0123456789", 10));
    MUST(lseek(fd, 4, SEEK_SET));
    s[0] = fd_sub(15, __WASI_EVENTTYPE_FD_READ, fd);
    s[1] = fd_sub(16, __WASI_EVENTTYPE_FD_WRITE, fd);
    show("file read and write", s, 2);
    close(fd);

    __wasi_event_t ev[1];
    __wasi_size_t got;
    WASI("no subscriptions", __wasi_poll_oneoff(s, ev, 0, &got));
    WASI("subscriptions out of memory", __wasi_poll_oneoff((void *)0xfffffff0, ev, 1, &got));

    before = mono();
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 50000000};
    SHOW("nanosleep 50ms", nanosleep(&ts, NULL));
    printf("monotonic advanced at least 50ms: %d\n", mono() - before >= 50000000);
    before = mono();
    SHOW("usleep 30ms", usleep(30000));
    printf("monotonic advanced at least 30ms: %d\n", mono() - before >= 30000000);
    return 0;
}
