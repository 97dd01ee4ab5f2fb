/* Shared helpers of the differential WASI programs (tests/tests/all/wasi_diff.rs): every
 * call prints one line, "<label>: <errno name>[ <results>]", so that the outputs of Kiln
 * and wasmtime can be compared line by line. Only values that do not depend on the host
 * (inode numbers, times, device ids) are printed. fd 3 is the mount /sandbox, fd 4 the
 * mount /other (each a fresh copy of the same tree for every runtime). */
#pragma clang diagnostic ignored "-Wunused-result"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static const char *const ERRNO_NAMES[] = {
    "OK",
    "E2BIG",
    "EACCES",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "EAFNOSUPPORT",
    "EAGAIN",
    "EALREADY",
    "EBADF",
    "EBADMSG",
    "EBUSY",
    "ECANCELED",
    "ECHILD",
    "ECONNABORTED",
    "ECONNREFUSED",
    "ECONNRESET",
    "EDEADLK",
    "EDESTADDRREQ",
    "EDOM",
    "EDQUOT",
    "EEXIST",
    "EFAULT",
    "EFBIG",
    "EHOSTUNREACH",
    "EIDRM",
    "EILSEQ",
    "EINPROGRESS",
    "EINTR",
    "EINVAL",
    "EIO",
    "EISCONN",
    "EISDIR",
    "ELOOP",
    "EMFILE",
    "EMLINK",
    "EMSGSIZE",
    "EMULTIHOP",
    "ENAMETOOLONG",
    "ENETDOWN",
    "ENETRESET",
    "ENETUNREACH",
    "ENFILE",
    "ENOBUFS",
    "ENODEV",
    "ENOENT",
    "ENOEXEC",
    "ENOLCK",
    "ENOLINK",
    "ENOMEM",
    "ENOMSG",
    "ENOPROTOOPT",
    "ENOSPC",
    "ENOSYS",
    "ENOTCONN",
    "ENOTDIR",
    "ENOTEMPTY",
    "ENOTRECOVERABLE",
    "ENOTSOCK",
    "ENOTSUP",
    "ENOTTY",
    "ENXIO",
    "EOVERFLOW",
    "EOWNERDEAD",
    "EPERM",
    "EPIPE",
    "EPROTO",
    "EPROTONOSUPPORT",
    "EPROTOTYPE",
    "ERANGE",
    "EROFS",
    "ESPIPE",
    "ESRCH",
    "ESTALE",
    "ETIMEDOUT",
    "ETXTBSY",
    "EXDEV",
    "ENOTCAPABLE"
};

static const char *en(int e) {
    static char buf[32];
    if (e >= 0 && e < (int)(sizeof ERRNO_NAMES / sizeof *ERRNO_NAMES)) return ERRNO_NAMES[e];
    snprintf(buf, sizeof buf, "errno%d", e);
    return buf;
}

/* Unbuffered stdout: a program that wasmtime stops (it traps on some bad arguments) still
 * shows every line before. */
__attribute__((constructor)) static void unbuffered_stdout(void) { setvbuf(stdout, NULL, _IONBF, 0); }

#define SANDBOX 3
#define OTHER 4

/* One call: its label and errno. */
#define E(label, expr) printf("%s: %s\n", (label), en((int)(expr)))

/* All rights (what a guest asks for when it wants everything). */
#define ALL_RIGHTS ((__wasi_rights_t)0x1fffffff)

/* Prints the type, flags and rights of fd (a line of its own). */
static void show_fdstat(const char *label, __wasi_fd_t fd) {
    __wasi_fdstat_t st;
    int e = __wasi_fd_fdstat_get(fd, &st);
    if (e) {
        printf("%s fdstat: %s\n", label, en(e));
        return;
    }
    printf("%s fdstat: OK type %d flags %d base %llx inheriting %llx\n", label, st.fs_filetype,
           st.fs_flags, (unsigned long long)st.fs_rights_base,
           (unsigned long long)st.fs_rights_inheriting);
}

/* Prints the host-independent parts of a filestat. */
static void print_filestat(const char *label, int e, const __wasi_filestat_t *st) {
    if (e) {
        printf("%s: %s\n", label, en(e));
        return;
    }
    printf("%s: OK type %d nlink %llu size %llu\n", label, st->filetype,
           (unsigned long long)st->nlink, (unsigned long long)st->size);
}

/* path_open with the given flags; prints the errno and, on success, the new fd's fdstat,
 * then returns the fd (or -1). */
static int open_at(const char *label, __wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path,
                   __wasi_oflags_t of, __wasi_rights_t base, __wasi_rights_t inh,
                   __wasi_fdflags_t fdf) {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    int e = __wasi_path_open(dir, lf, path, of, base, inh, fdf, &fd);
    E(label, e);
    if (e) return -1;
    show_fdstat(label, fd);
    return (int)fd;
}

/* Closes fd quietly (setup and cleanup steps). */
static void close_quiet(int fd) {
    if (fd >= 0) __wasi_fd_close((__wasi_fd_t)fd);
}

/* Writes a string at fd's position; prints errno and count. */
static void write_str(const char *label, __wasi_fd_t fd, const char *s) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    __wasi_size_t n = 0;
    int e = __wasi_fd_write(fd, &iov, 1, &n);
    if (e) printf("%s: %s\n", label, en(e));
    else printf("%s: OK %u\n", label, (unsigned)n);
}

/* Reads up to 64 bytes at fd's position; prints errno, count and the bytes. */
static void read_some(const char *label, __wasi_fd_t fd) {
    char buf[65];
    __wasi_iovec_t iov = {(uint8_t *)buf, 64};
    __wasi_size_t n = 0;
    int e = __wasi_fd_read(fd, &iov, 1, &n);
    if (e) {
        printf("%s: %s\n", label, en(e));
        return;
    }
    buf[n] = 0;
    for (__wasi_size_t i = 0; i < n; i++)
        if (buf[i] == '\n') buf[i] = '|';
    printf("%s: OK %u \"%s\"\n", label, (unsigned)n, buf);
}

/* Prints a path's filestat (lookup flags lf). */
static void stat_path(const char *label, __wasi_fd_t dir, __wasi_lookupflags_t lf,
                      const char *path) {
    __wasi_filestat_t st;
    int e = __wasi_path_filestat_get(dir, lf, path, &st);
    print_filestat(label, e, &st);
}

/* Prints fd's filestat. */
static void stat_fd(const char *label, __wasi_fd_t fd) {
    __wasi_filestat_t st;
    int e = __wasi_fd_filestat_get(fd, &st);
    print_filestat(label, e, &st);
}
