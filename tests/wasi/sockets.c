/* Sockets on a preopened TCP listener (descriptor in argv[1]): the host connects, sends
 * "hello kiln", expects "HELLO KILN" back and then end of stream. */
#include "common.h"
#include <ctype.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int lfd = atoi(argv[1]);
    __wasi_fdstat_t st;
    WASI("fdstat listener", __wasi_fd_fdstat_get(lfd, &st));
    printf("  filetype socket_stream: %d\n", st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
    __wasi_prestat_t ps;
    WASI("prestat of a listener", __wasi_fd_prestat_get(lfd, &ps));

    /* Wait until the host's connection is pending. */
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    sub.userdata = 1;
    sub.u.tag = __WASI_EVENTTYPE_FD_READ;
    sub.u.u.fd_read.file_descriptor = lfd;
    __wasi_event_t ev;
    __wasi_size_t n;
    WASI("poll listener", __wasi_poll_oneoff(&sub, &ev, 1, &n));
    printf("  events %lu userdata %llu error %s\n", (unsigned long)n, (unsigned long long)ev.userdata,
           errname(ev.error));

    __wasi_fd_t conn;
    WASI("sock_accept", __wasi_sock_accept(lfd, 0, &conn));
    WASI("sock_accept on a connection", __wasi_sock_accept(conn, 0, &(__wasi_fd_t){0}));
    char buf[32] = {0};
    __wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = 10};
    __wasi_roflags_t ro;
    WASI("sock_recv peek", __wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_PEEK | __WASI_RIFLAGS_RECV_WAITALL,
                                             &n, &ro));
    printf("  peeked %lu: %s\n", (unsigned long)n, buf);
    memset(buf, 0, sizeof buf);
    WASI("sock_recv waitall", __wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_WAITALL, &n, &ro));
    printf("  received %lu: %s (roflags %d)\n", (unsigned long)n, buf, ro);
    for (int i = 0; buf[i]; i++) buf[i] = toupper((unsigned char)buf[i]);
    __wasi_ciovec_t ciov = {.buf = (const uint8_t *)buf, .buf_len = strlen(buf)};
    WASI("sock_send", __wasi_sock_send(conn, &ciov, 1, 0, &n));
    printf("  sent %lu\n", (unsigned long)n);
    WASI("sock_send bad flags", __wasi_sock_send(conn, &ciov, 1, 1, &n));
    WASI("sock_shutdown wr", __wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
    WASI("sock_shutdown bad how", __wasi_sock_shutdown(conn, 0));
    WASI("sock_recv on listener", __wasi_sock_recv(lfd, &iov, 1, 0, &n, &ro));
    WASI("sock_send on stdout", __wasi_sock_send(1, &ciov, 1, 0, &n));
    WASI("sock_shutdown on a file", __wasi_sock_shutdown(0, __WASI_SDFLAGS_RD));
    /* The host closes its side after reading the reply: end of stream. */
    memset(buf, 0, sizeof buf);
    WASI("sock_recv at end", __wasi_sock_recv(conn, &iov, 1, 0, &n, &ro));
    printf("  received %lu\n", (unsigned long)n);
    WASI("fd_close connection", __wasi_fd_close(conn));
    WASI("fd_fdstat_set_flags nonblock", __wasi_fd_fdstat_set_flags(lfd, __WASI_FDFLAGS_NONBLOCK));
    WASI("sock_accept with nothing pending", __wasi_sock_accept(lfd, 0, &conn));
    return 0;
}
