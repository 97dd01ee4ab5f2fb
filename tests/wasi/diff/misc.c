/* args, environment, clocks, random, sched_yield, prestat, proc_raise and the socket calls
 * on descriptors that are not sockets. */
#include "diff.h"

int main(int argc, char **argv) {
    __wasi_size_t n = 0, size = 0;
    E("args_sizes_get", __wasi_args_sizes_get(&n, &size));
    printf("argc %u size %u\n", (unsigned)n, (unsigned)size);
    for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    E("environ_sizes_get", __wasi_environ_sizes_get(&n, &size));
    printf("environ %u size %u\n", (unsigned)n, (unsigned)size);

    for (int id = 0; id < 4; id++) {
        __wasi_timestamp_t res = 0, t = 0;
        char l[64];
        snprintf(l, sizeof l, "clock_res_get %d", id);
        int e = __wasi_clock_res_get(id, &res);
        printf("%s: %s%s\n", l, en(e), e ? "" : (res > 0 ? " positive" : " zero"));
        snprintf(l, sizeof l, "clock_time_get %d", id);
        e = __wasi_clock_time_get(id, 1, &t);
        printf("%s: %s%s\n", l, en(e), e ? "" : (t > 0 ? " positive" : " zero"));
    }
    __wasi_timestamp_t a = 0, b = 0;
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &a);
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &b);
    printf("monotonic does not go back: %s\n", b >= a ? "yes" : "no");
    __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &a);
    printf("realtime after 2020: %s\n", a > 1577836800000000000ull ? "yes" : "no");

    uint8_t buf[64] = {0};
    E("random_get 64", __wasi_random_get(buf, sizeof buf));
    int nonzero = 0;
    for (int i = 0; i < 64; i++) nonzero |= buf[i];
    printf("random bytes nonzero: %s\n", nonzero ? "yes" : "no");
    E("random_get 0", __wasi_random_get(buf, 0));
    E("sched_yield", __wasi_sched_yield());

    for (int fd = 0; fd < 7; fd++) {
        __wasi_prestat_t ps;
        char l[64], name[64];
        snprintf(l, sizeof l, "prestat_get %d", fd);
        int e = __wasi_fd_prestat_get(fd, &ps);
        if (e) {
            printf("%s: %s\n", l, en(e));
            continue;
        }
        e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len);
        name[ps.u.dir.pr_name_len] = 0;
        printf("%s: OK tag %d len %u name %s (%s)\n", l, ps.tag, (unsigned)ps.u.dir.pr_name_len,
               name, en(e));
    }

    __wasi_fd_t f = 0;
    E("open file", __wasi_path_open(SANDBOX, 0, "file.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f));
    for (int i = 0; i < 4; i++) {
        __wasi_fd_t fd = i == 0 ? 0 : i == 1 ? 1 : i == 2 ? SANDBOX : f;
        const char *what = i == 0 ? "stdin" : i == 1 ? "stdout" : i == 2 ? "dir" : "file";
        char l[64];
        __wasi_fd_t nfd = 0;
        snprintf(l, sizeof l, "sock_accept %s", what);
        E(l, __wasi_sock_accept(fd, 0, &nfd));
        uint8_t data[4];
        __wasi_iovec_t iov = {data, 4};
        __wasi_ciovec_t ciov = {data, 4};
        __wasi_size_t got = 0;
        __wasi_roflags_t rof = 0;
        snprintf(l, sizeof l, "sock_recv %s", what);
        E(l, __wasi_sock_recv(fd, &iov, 1, 0, &got, &rof));
        snprintf(l, sizeof l, "sock_send %s", what);
        E(l, __wasi_sock_send(fd, &ciov, 1, 0, &got));
        snprintf(l, sizeof l, "sock_shutdown %s", what);
        E(l, __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD));
        /* Flags a socket would refuse: the descriptor answers first. */
        snprintf(l, sizeof l, "sock_accept %s with append", what);
        E(l, __wasi_sock_accept(fd, __WASI_FDFLAGS_APPEND, &nfd));
        snprintf(l, sizeof l, "sock_send %s with si_flags 1", what);
        E(l, __wasi_sock_send(fd, &ciov, 1, 1, &got));
    }
    E("sock_accept closed", ({ __wasi_fd_t x; __wasi_sock_accept(99, 0, &x); }));
    return 0;
}
