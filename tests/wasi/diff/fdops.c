/* fd_* calls on files, directories, stdio and closed descriptors: read, write, pread and
 * pwrite (with append), seek with every whence, tell, allocate, set_size, set_times,
 * advise, sync, fdstat_set_flags, fdstat_set_rights, renumber (onto preopens too), close. */
#include "diff.h"

#define R __WASI_RIGHTS_FD_READ
#define W __WASI_RIGHTS_FD_WRITE

static void seek(const char *label, __wasi_fd_t fd, __wasi_filedelta_t off, __wasi_whence_t wh) {
    __wasi_filesize_t pos = 0;
    int e = __wasi_fd_seek(fd, off, wh, &pos);
    if (e) printf("%s: %s\n", label, en(e));
    else printf("%s: OK %llu\n", label, (unsigned long long)pos);
}

static void tell(const char *label, __wasi_fd_t fd) {
    __wasi_filesize_t pos = 0;
    int e = __wasi_fd_tell(fd, &pos);
    if (e) printf("%s: %s\n", label, en(e));
    else printf("%s: OK %llu\n", label, (unsigned long long)pos);
}

static void pread_at(const char *label, __wasi_fd_t fd, __wasi_filesize_t off) {
    char buf[33];
    __wasi_iovec_t iov = {(uint8_t *)buf, 32};
    __wasi_size_t n = 0;
    int e = __wasi_fd_pread(fd, &iov, 1, off, &n);
    if (e) {
        printf("%s: %s\n", label, en(e));
        return;
    }
    buf[n] = 0;
    for (__wasi_size_t i = 0; i < n; i++)
        if (buf[i] == '\n') buf[i] = '|';
    printf("%s: OK %u \"%s\"\n", label, (unsigned)n, buf);
}

static void pwrite_at(const char *label, __wasi_fd_t fd, const char *s, __wasi_filesize_t off) {
    __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
    __wasi_size_t n = 0;
    int e = __wasi_fd_pwrite(fd, &iov, 1, off, &n);
    if (e) printf("%s: %s\n", label, en(e));
    else printf("%s: OK %u\n", label, (unsigned)n);
}

static void times_of(const char *label, __wasi_fd_t fd) {
    __wasi_filestat_t st;
    int e = __wasi_fd_filestat_get(fd, &st);
    if (e) printf("%s: %s\n", label, en(e));
    else if (st.atim > 100000000000ull || st.mtim > 100000000000ull)
        printf("%s: OK (host times)\n", label); /* not set by this program */
    else printf("%s: OK atim %llu mtim %llu\n", label, (unsigned long long)st.atim,
                (unsigned long long)st.mtim);
}

/* The same operations on one descriptor. */
static void exercise(const char *what, __wasi_fd_t fd) {
    char l[128];
#define L(s) (snprintf(l, sizeof l, "%s: %s", what, s), l)
    show_fdstat(L("fdstat"), fd);
    stat_fd(L("filestat"), fd);
    read_some(L("read"), fd);
    pread_at(L("pread 2"), fd, 2);
    /* Offsets and sizes past i64::MAX: EINVAL on a file before its access mode. */
    pread_at(L("pread past i64 max"), fd, UINT64_MAX);
    pwrite_at(L("pwrite past i64 max"), fd, "x", UINT64_MAX);
    E(L("set_size past i64 max"), __wasi_fd_filestat_set_size(fd, UINT64_MAX));
    seek(L("seek set 3"), fd, 3, __WASI_WHENCE_SET);
    seek(L("seek cur 2"), fd, 2, __WASI_WHENCE_CUR);
    seek(L("seek cur -1"), fd, -1, __WASI_WHENCE_CUR);
    seek(L("seek end -2"), fd, -2, __WASI_WHENCE_END);
    seek(L("seek end 5"), fd, 5, __WASI_WHENCE_END);
    seek(L("seek set -1"), fd, -1, __WASI_WHENCE_SET);
    seek(L("seek cur -100"), fd, -100, __WASI_WHENCE_CUR);
    tell(L("tell"), fd);
    seek(L("seek set 0"), fd, 0, __WASI_WHENCE_SET);
    write_str(L("write"), fd, "WX");
    tell(L("tell after write"), fd);
    pwrite_at(L("pwrite 1"), fd, "pq", 1);
    tell(L("tell after pwrite"), fd);
    E(L("advise normal"), __wasi_fd_advise(fd, 0, 10, __WASI_ADVICE_NORMAL));
    E(L("advise dontneed"), __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_DONTNEED));
    E(L("allocate 0 0"), __wasi_fd_allocate(fd, 0, 0));
    E(L("allocate 0 100"), __wasi_fd_allocate(fd, 0, 100));
    stat_fd(L("filestat after allocate"), fd);
    E(L("set_size 5"), __wasi_fd_filestat_set_size(fd, 5));
    stat_fd(L("filestat after set_size"), fd);
    E(L("set_times"), __wasi_fd_filestat_set_times(fd, 1000000000ull, 2000000000ull,
                                                  __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    times_of(L("times"), fd);
    E(L("set_times atim only"), __wasi_fd_filestat_set_times(fd, 5000000000ull, 0, __WASI_FSTFLAGS_ATIM));
    times_of(L("times atim only"), fd);
    E(L("set_times atim and atim_now"),
      __wasi_fd_filestat_set_times(fd, 1, 2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    E(L("set_times mtim and mtim_now"),
      __wasi_fd_filestat_set_times(fd, 1, 2, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
    E(L("set_times none"), __wasi_fd_filestat_set_times(fd, 1, 2, 0));
    E(L("datasync"), __wasi_fd_datasync(fd));
    E(L("sync"), __wasi_fd_sync(fd));
    E(L("set_flags append"), __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    show_fdstat(L("after set_flags append"), fd);
    E(L("set_flags nonblock"), __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
    E(L("set_flags sync"), __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
    E(L("set_flags dsync"), __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_DSYNC));
    E(L("set_flags 0"), __wasi_fd_fdstat_set_flags(fd, 0));
    show_fdstat(L("after set_flags 0"), fd);
    E(L("set_rights fewer"), __wasi_fd_fdstat_set_rights(fd, R, 0));
    show_fdstat(L("after set_rights"), fd);
    E(L("set_rights more"), __wasi_fd_fdstat_set_rights(fd, ALL_RIGHTS, ALL_RIGHTS));
    write_str(L("write after set_rights"), fd, "z");
#undef L
}

int main(void) {
    __wasi_fd_t rw = 0, ro = 0, wo = 0, ap = 0, dir = 0;
    E("open rw", __wasi_path_open(SANDBOX, 0, "file.txt", 0, R | W, 0, 0, &rw));
    exercise("rw file", rw);
    E("open ro", __wasi_path_open(SANDBOX, 0, "dir/a.txt", 0, R, 0, 0, &ro));
    exercise("ro file", ro);
    E("open wo", __wasi_path_open(SANDBOX, 0, "empty", 0, W, 0, 0, &wo));
    exercise("wo file", wo);
    E("open append", __wasi_path_open(SANDBOX, __WASI_OFLAGS_CREAT, "app", __WASI_OFLAGS_CREAT,
                                      R | W, 0, __WASI_FDFLAGS_APPEND, &ap));
    write_str("append: write", ap, "0123456789");
    seek("append: seek set 2", ap, 2, __WASI_WHENCE_SET);
    write_str("append: write after seek", ap, "ab");
    tell("append: tell", ap);
    pwrite_at("append: pwrite 0", ap, "PW", 0);
    pread_at("append: pread 0", ap, 0);
    stat_fd("append: filestat", ap);
    E("open dir", __wasi_path_open(SANDBOX, 0, "dir", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &dir));
    exercise("dir", dir);
    exercise("preopen", OTHER);
    exercise("stdin", 0);
    exercise("stdout", 1);
    exercise("closed", 99);

    /* Positions the host cannot take (past 16 TiB on ext4, past i64::MAX anywhere) are the
     * runtime's to keep, as wasmtime keeps them: a read there gives 0 bytes, a read or write
     * past i64::MAX is EINVAL. Nothing is written at a far position that a host could take. */
    __wasi_fd_t far = 0;
    E("open far", __wasi_path_open(SANDBOX, 0, "file.txt", 0, R | W, 0, 0, &far));
    seek("far: seek set 2^62", far, 1LL << 62, __WASI_WHENCE_SET);
    tell("far: tell", far);
    read_some("far: read", far);
    seek("far: seek cur i64 max", far, INT64_MAX, __WASI_WHENCE_CUR);
    tell("far: tell past i64 max", far);
    read_some("far: read past i64 max", far);
    write_str("far: write past i64 max", far, "x");
    seek("far: seek cur past u64 max", far, INT64_MAX, __WASI_WHENCE_CUR);
    seek("far: seek end -1", far, -1, __WASI_WHENCE_END);
    read_some("far: read at end - 1", far);
    E("close far", __wasi_fd_close(far));

    /* Renumbering. */
    __wasi_fd_t a = 0, b = 0;
    E("open a", __wasi_path_open(SANDBOX, 0, "file.txt", 0, R, 0, 0, &a));
    E("open b", __wasi_path_open(SANDBOX, 0, "dir/a.txt", 0, R, 0, 0, &b));
    E("renumber a b", __wasi_fd_renumber(a, b));
    read_some("read b after renumber", b);
    read_some("read a after renumber", a);
    E("renumber onto closed", __wasi_fd_renumber(b, 50));
    read_some("read 50", 50);
    E("renumber from closed", __wasi_fd_renumber(77, b));
    E("renumber same", __wasi_fd_renumber(50, 50));
    E("renumber onto stdin", __wasi_fd_renumber(50, 0));
    read_some("read stdin after renumber", 0);
    E("renumber onto preopen", __wasi_fd_renumber(ro, OTHER));
    show_fdstat("preopen after renumber", OTHER);
    __wasi_prestat_t ps;
    E("prestat after renumber", __wasi_fd_prestat_get(OTHER, &ps));
    E("renumber preopen onto fd", __wasi_fd_renumber(SANDBOX, 60));
    E("prestat 60", __wasi_fd_prestat_get(60, &ps));
    E("prestat 3 after", __wasi_fd_prestat_get(SANDBOX, &ps));
    E("open through 60", __wasi_path_open(60, 0, "file.txt", 0, R, 0, 0, &a));

    /* Closing. */
    E("close preopen", __wasi_fd_close(60));
    E("close again", __wasi_fd_close(60));
    E("close stdin", __wasi_fd_close(0));
    E("fdstat closed stdin", ({ __wasi_fdstat_t st; __wasi_fd_fdstat_get(0, &st); }));
    E("prestat stdout", __wasi_fd_prestat_get(1, &ps));
    char name[8];
    E("prestat_dir_name short", __wasi_fd_prestat_dir_name(OTHER, (uint8_t *)name, 2));
    E("close 4", __wasi_fd_close(OTHER));
    return 0;
}
