/* path_open: every oflag, rights and fdflags combination that matters, symbolic links,
 * trailing slashes and paths at the edge of the mount. */
#include "diff.h"

#define R __WASI_RIGHTS_FD_READ
#define W __WASI_RIGHTS_FD_WRITE
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define CREAT __WASI_OFLAGS_CREAT
#define DIR __WASI_OFLAGS_DIRECTORY
#define EXCL __WASI_OFLAGS_EXCL
#define TRUNC __WASI_OFLAGS_TRUNC
#define APPEND __WASI_FDFLAGS_APPEND

static void try_open(const char *label, __wasi_lookupflags_t lf, const char *path,
                     __wasi_oflags_t of, __wasi_rights_t base, __wasi_fdflags_t fdf) {
    int fd = open_at(label, SANDBOX, lf, path, of, base, 0, fdf);
    close_quiet(fd);
}

int main(void) {
    show_fdstat("preopen", SANDBOX);
    show_fdstat("preopen other", OTHER);

    /* Creation: with and without write rights, exclusive, truncating. */
    int fd = open_at("creat read-only rights", SANDBOX, 0, "c1", CREAT, R, 0, 0);
    write_str("write without write right", fd, "x");
    read_some("read new file", fd);
    close_quiet(fd);
    stat_path("c1 after", SANDBOX, 0, "c1");
    try_open("creat no rights", 0, "c2", CREAT, 0, 0);
    try_open("creat write", 0, "c3", CREAT, W, 0);
    try_open("creat|excl existing", 0, "file.txt", CREAT | EXCL, R | W, 0);
    try_open("creat|excl new", 0, "c4", CREAT | EXCL, R | W, 0);
    try_open("excl without creat", 0, "file.txt", EXCL, R, 0);
    try_open("creat existing", 0, "file.txt", CREAT, R, 0);
    try_open("creat in missing dir", 0, "nodir/x", CREAT, R | W, 0);
    try_open("creat trailing slash", 0, "c5/", CREAT, R | W, 0);
    try_open("creat|directory", 0, "c6", CREAT | DIR, R, 0);
    try_open("creat|directory existing dir", 0, "dir", CREAT | DIR, R, 0);
    try_open("creat over dangling symlink", 0, "dangling", CREAT, R | W, 0);
    try_open("creat over dangling symlink follow", FOLLOW, "dangling", CREAT, R | W, 0);
    try_open("creat|excl over dangling symlink", FOLLOW, "dangling", CREAT | EXCL, R | W, 0);
    stat_path("dangling after", SANDBOX, 0, "dangling");
    stat_path("missing after", SANDBOX, 0, "missing");

    /* Truncation with every access mode, and with append. */
    fd = open_at("trunc write", SANDBOX, 0, "t1", CREAT, R | W, 0, 0);
    write_str("fill t1", fd, "0123456789");
    close_quiet(fd);
    try_open("trunc read-only rights", 0, "t1", TRUNC, R, 0);
    stat_path("t1 after trunc read-only", SANDBOX, 0, "t1");
    fd = open_at("refill", SANDBOX, 0, "t1", 0, W, 0, 0);
    write_str("refill t1", fd, "abcdef");
    close_quiet(fd);
    fd = open_at("trunc|append", SANDBOX, 0, "t1", TRUNC, R | W, 0, APPEND);
    write_str("write after trunc|append", fd, "xy");
    close_quiet(fd);
    stat_path("t1 after trunc|append", SANDBOX, 0, "t1");
    try_open("trunc directory", 0, "dir", TRUNC, R | W, 0);
    try_open("trunc|directory", 0, "dir", TRUNC | DIR, R, 0);

    /* Directories. */
    try_open("directory read", 0, "dir", DIR, R, 0);
    try_open("directory all rights", 0, "dir", DIR, ALL_RIGHTS, 0);
    try_open("directory write right", 0, "dir", DIR, W, 0);
    try_open("directory read|write", 0, "dir", DIR, R | W, 0);
    try_open("directory append", 0, "dir", DIR, R, APPEND);
    try_open("dir without directory flag read", 0, "dir", 0, R, 0);
    try_open("dir without directory flag write", 0, "dir", 0, W, 0);
    try_open("dir without directory flag no rights", 0, "dir", 0, 0, 0);
    try_open("directory on file", 0, "file.txt", DIR, R, 0);
    try_open("file with trailing slash", 0, "file.txt/", 0, R, 0);
    try_open("dir with trailing slash", 0, "dir/", 0, R, 0);
    try_open("dir with trailing slash directory", 0, "dir/", DIR, R, 0);
    try_open("dot", 0, ".", DIR, R, 0);
    try_open("dot no flag", 0, ".", 0, R, 0);
    try_open("dir/..", 0, "dir/..", DIR, R, 0);
    try_open("dir/sub/../../file.txt", 0, "dir/sub/../../file.txt", 0, R, 0);

    /* Leaving the mount. */
    try_open("dotdot", 0, "..", DIR, R, 0);
    try_open("dotdot/sandbox", 0, "../sandbox", DIR, R, 0);
    try_open("dir/../..", 0, "dir/../..", DIR, R, 0);
    try_open("absolute", 0, "/file.txt", 0, R, 0);
    try_open("absolute root", 0, "/", DIR, R, 0);
    try_open("empty path", 0, "", 0, R, 0);
    try_open("escape symlink", FOLLOW, "escape", 0, R, 0);
    try_open("escape symlink nofollow", 0, "escape", 0, R, 0);
    try_open("absolute symlink", FOLLOW, "abs", 0, R, 0);
    try_open("dotdot symlink", FOLLOW, "dotdot", DIR, R, 0);
    try_open("through dotdot symlink", FOLLOW, "dotdot/sandbox/file.txt", 0, R, 0);

    /* Symbolic links. */
    try_open("link to file follow", FOLLOW, "link_file", 0, R, 0);
    try_open("link to file nofollow", 0, "link_file", 0, R, 0);
    try_open("link to dir follow", FOLLOW, "link_dir", DIR, R, 0);
    try_open("link to dir nofollow", 0, "link_dir", DIR, R, 0);
    try_open("link to dir nofollow no flag", 0, "link_dir", 0, R, 0);
    try_open("through link to dir", 0, "link_dir/a.txt", 0, R, 0);
    try_open("link to dir trailing slash nofollow", 0, "link_dir/", 0, R, 0);
    try_open("link to file trailing slash", FOLLOW, "link_file/", 0, R, 0);
    try_open("dangling follow", FOLLOW, "dangling", 0, R, 0);
    try_open("dangling nofollow", 0, "dangling", 0, R, 0);
    try_open("loop follow", FOLLOW, "loop1", 0, R, 0);
    try_open("loop nofollow", 0, "loop1", 0, R, 0);
    try_open("self loop follow", FOLLOW, "self", 0, R, 0);
    try_open("through loop", 0, "loop1/x", 0, R, 0);
    try_open("creat through loop", FOLLOW, "loop1", CREAT, R | W, 0);

    /* Unknown flags and bad descriptors. */
    E("open on a file fd", ({
          __wasi_fd_t f = 0, g = 0;
          int e = __wasi_path_open(SANDBOX, 0, "file.txt", 0, R, 0, 0, &f);
          if (e == 0) {
              e = __wasi_path_open(f, 0, "x", 0, R, 0, 0, &g);
              __wasi_fd_close(f);
          }
          e;
      }));
    E("open on stdin", ({
          __wasi_fd_t g = 0;
          __wasi_path_open(0, 0, "file.txt", 0, R, 0, 0, &g);
      }));
    E("open on a closed fd", ({
          __wasi_fd_t g = 0;
          __wasi_path_open(77, 0, "file.txt", 0, R, 0, 0, &g);
      }));

    /* fdflags on files. */
    try_open("append", 0, "file.txt", 0, R | W, APPEND);
    try_open("dsync", 0, "file.txt", 0, R | W, __WASI_FDFLAGS_DSYNC);
    try_open("sync", 0, "file.txt", 0, R | W, __WASI_FDFLAGS_SYNC);
    try_open("rsync", 0, "file.txt", 0, R, __WASI_FDFLAGS_RSYNC);
    try_open("nonblock", 0, "file.txt", 0, R, __WASI_FDFLAGS_NONBLOCK);
    try_open("inherit all", 0, "file.txt", 0, ALL_RIGHTS, 0);
    try_open("rights set_size", 0, "file.txt", 0, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0);
    try_open("rights allocate", 0, "file.txt", 0, __WASI_RIGHTS_FD_ALLOCATE, 0);
    try_open("rights datasync", 0, "file.txt", 0, __WASI_RIGHTS_FD_DATASYNC, 0);
    try_open("rights readdir", 0, "file.txt", 0, __WASI_RIGHTS_FD_READDIR, 0);
    try_open("rights seek", 0, "file.txt", 0, __WASI_RIGHTS_FD_SEEK, 0);
    try_open("rights none", 0, "file.txt", 0, 0, 0);
    try_open("dir rights readdir", 0, "dir", DIR, __WASI_RIGHTS_FD_READDIR, 0);
    try_open("dir rights write only", 0, "dir", 0, W, 0);
    try_open("dir rights set_size", 0, "dir", 0, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0);

    /* The new fd is the lowest free one. */
    int a = open_at("first", SANDBOX, 0, "file.txt", 0, R, 0, 0);
    int b = open_at("second", SANDBOX, 0, "file.txt", 0, R, 0, 0);
    close_quiet(a);
    int c = open_at("reuses", SANDBOX, 0, "file.txt", 0, R, 0, 0);
    printf("lowest free: %s\n", c == a ? "yes" : "no");
    close_quiet(b);
    close_quiet(c);
    return 0;
}
