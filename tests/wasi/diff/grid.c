/* Grids of argument combinations through the path calls whose errno depends on the order
 * in which a runtime checks several faults: path_open over paths x oflags x rights x
 * lookup flags x fdflags, and path_rename and path_link over every pair of a list of paths
 * (missing, files and directories with and without a trailing slash, `.` and `..` as the
 * last component, escapes, empty). A call that succeeds is undone (the fd closed, the
 * rename reversed, the link removed), so every case starts from the same tree. */
#include "diff.h"

static const char *const PATHS[] = {
    "", "file.txt", "file.txt/", "missing", "missing/", "dir", "dir/", "link_file",
    "link_file/", "link_dir", "dangling", "loop1", "escape", ".", "..", "/x", "dir/..",
    "nope/x",
};
#define N_PATHS (sizeof PATHS / sizeof *PATHS)

#define C __WASI_OFLAGS_CREAT
#define D __WASI_OFLAGS_DIRECTORY
#define X __WASI_OFLAGS_EXCL
#define T __WASI_OFLAGS_TRUNC
static const __wasi_oflags_t OFLAGS[] = {0, C, D, C | D, D | X, D | T, X, C | X, T, C | T};
#define N_OFLAGS (sizeof OFLAGS / sizeof *OFLAGS)

static const __wasi_rights_t RIGHTS[] = {0, __WASI_RIGHTS_FD_READ, __WASI_RIGHTS_FD_WRITE};
static const __wasi_fdflags_t FDFLAGS[] = {
    __WASI_FDFLAGS_APPEND, __WASI_FDFLAGS_NONBLOCK, __WASI_FDFLAGS_DSYNC,
    __WASI_FDFLAGS_RSYNC,  __WASI_FDFLAGS_SYNC,
};

static const char *const PAIR_PATHS[] = {
    "file.txt", "file.txt/", "missing", "dir", "dir/", "emptydir", ".", "..", "./", "dir/.",
    "dir/..", "nope/x", "escape/x", "",
};
#define N_PAIR (sizeof PAIR_PATHS / sizeof *PAIR_PATHS)

/* Whether `path` names nothing in the sandbox (so that a file `creat` made can be removed). */
static int absent(const char *path) {
    __wasi_filestat_t st;
    return __wasi_path_filestat_get(SANDBOX, 0, path, &st) == __WASI_ERRNO_NOENT;
}

static void open_case(const char *p, __wasi_oflags_t of, __wasi_rights_t r,
                      __wasi_lookupflags_t lf, __wasi_fdflags_t ff) {
    int made = absent(p);
    __wasi_fd_t fd;
    int e = __wasi_path_open(SANDBOX, lf, p, of, r, 0, ff, &fd);
    printf("open \"%s\" of %d r %d lf %d ff %d: %s\n", p, of, (int)r, lf, ff, en(e));
    if (e == 0) {
        __wasi_fd_close(fd);
        if (made) __wasi_path_unlink_file(SANDBOX, p);
    }
}

int main(void) {
    for (size_t p = 0; p < N_PATHS; p++)
        for (size_t o = 0; o < N_OFLAGS; o++) {
            for (size_t r = 0; r < sizeof RIGHTS / sizeof *RIGHTS; r++)
                for (__wasi_lookupflags_t lf = 0; lf <= 1; lf++)
                    open_case(PATHS[p], OFLAGS[o], RIGHTS[r], lf, 0);
            for (size_t f = 0; f < sizeof FDFLAGS / sizeof *FDFLAGS; f++)
                open_case(PATHS[p], OFLAGS[o], __WASI_RIGHTS_FD_WRITE, 0, FDFLAGS[f]);
        }
    for (size_t a = 0; a < N_PAIR; a++)
        for (size_t b = 0; b < N_PAIR; b++) {
            const char *old = PAIR_PATHS[a], *new = PAIR_PATHS[b];
            int e = __wasi_path_rename(SANDBOX, old, SANDBOX, new);
            printf("rename \"%s\" \"%s\": %s\n", old, new, en(e));
            if (e == 0) E("  back", __wasi_path_rename(SANDBOX, new, SANDBOX, old));
            e = __wasi_path_link(SANDBOX, 0, old, SANDBOX, new);
            printf("link \"%s\" \"%s\": %s\n", old, new, en(e));
            if (e == 0) E("  unlink", __wasi_path_unlink_file(SANDBOX, new));
        }
    return 0;
}
