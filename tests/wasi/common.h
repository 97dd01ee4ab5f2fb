/* Shared helpers for the WASI conformance programs: errno names and result lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* The witx name of a WASI errno (wasi-libc's errno values are the WASI ones). */
static const char *errname(int e) {
    switch (e) {
    case 0: return "OK";
    case __WASI_ERRNO_2BIG: return "E2BIG";
    case __WASI_ERRNO_ACCES: return "EACCES";
    case __WASI_ERRNO_AGAIN: return "EAGAIN";
    case __WASI_ERRNO_BADF: return "EBADF";
    case __WASI_ERRNO_EXIST: return "EEXIST";
    case __WASI_ERRNO_FAULT: return "EFAULT";
    case __WASI_ERRNO_FBIG: return "EFBIG";
    case __WASI_ERRNO_INVAL: return "EINVAL";
    case __WASI_ERRNO_IO: return "EIO";
    case __WASI_ERRNO_ISDIR: return "EISDIR";
    case __WASI_ERRNO_LOOP: return "ELOOP";
    case __WASI_ERRNO_NAMETOOLONG: return "ENAMETOOLONG";
    case __WASI_ERRNO_NOENT: return "ENOENT";
    case __WASI_ERRNO_NOSYS: return "ENOSYS";
    case __WASI_ERRNO_NOTCONN: return "ENOTCONN";
    case __WASI_ERRNO_NOTDIR: return "ENOTDIR";
    case __WASI_ERRNO_NOTEMPTY: return "ENOTEMPTY";
    case __WASI_ERRNO_NOTSOCK: return "ENOTSOCK";
    case __WASI_ERRNO_NOTSUP: return "ENOTSUP";
    case __WASI_ERRNO_PERM: return "EPERM";
    case __WASI_ERRNO_ROFS: return "EROFS";
    case __WASI_ERRNO_SPIPE: return "ESPIPE";
    case __WASI_ERRNO_XDEV: return "EXDEV";
    case __WASI_ERRNO_NOTCAPABLE: return "ENOTCAPABLE";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "errno %d", e);
        return buf;
    }
    }
}

/* Prints "label: OK" when expr is >= 0, else "label: <errno name>". */
#define SHOW(label, expr)                                                          \
    do {                                                                           \
        errno = 0;                                                                 \
        long show_r_ = (long)(expr);                                               \
        printf("%s: %s\n", label, show_r_ < 0 ? errname(errno) : "OK");            \
    } while (0)

/* Prints "label: <errno name>" for a raw __wasi_* call's result. */
#define WASI(label, expr) printf("%s: %s\n", label, errname((int)(expr)))

/* Stops the program (exit 99) when a setup step fails. */
#define MUST(expr)                                                                 \
    do {                                                                           \
        if ((long)(expr) < 0) {                                                    \
            printf("FAILED %s at line %d: %s\n", #expr, __LINE__, errname(errno));  \
            exit(99);                                                              \
        }                                                                          \
    } while (0)

/* The preopened directory whose guest path is `name`, or -1. */
static int preopen_fd(const char *name) {
    for (int fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0) return -1;
        char buf[256];
        if (ps.u.dir.pr_name_len >= sizeof buf) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) != 0) return -1;
        buf[ps.u.dir.pr_name_len] = 0;
        if (strcmp(buf, name) == 0) return fd;
    }
    return -1;
}
