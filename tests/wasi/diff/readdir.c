/* fd_readdir: whole listings, cookies, small buffers, entries added and removed between
 * calls, on files and closed descriptors. Names are printed sorted (the host's order is
 * not part of the contract); cookies are checked by resuming from each one. */
#include "diff.h"
#include <stdlib.h>

struct ent {
    char name[64];
    int type;
    unsigned long long next;
};

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

/* Lists fd from cookie with a buffer of buf_len bytes, one call at a time until a short
 * buffer; returns the number of entries. */
static int list(__wasi_fd_t fd, __wasi_dircookie_t cookie, size_t buf_len, struct ent *out, int max,
                int *calls, int *err) {
    static uint8_t buf[8192];
    int n = 0;
    *calls = 0;
    *err = 0;
    for (;;) {
        __wasi_size_t used = 0;
        int e = __wasi_fd_readdir(fd, buf, buf_len, cookie, &used);
        (*calls)++;
        if (e) {
            *err = e;
            return n;
        }
        size_t off = 0;
        int progressed = 0;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + off, sizeof d);
            if (off + sizeof d + d.d_namlen > used) break;
            if (n < max) {
                size_t l = d.d_namlen < 63 ? d.d_namlen : 63;
                memcpy(out[n].name, buf + off + sizeof d, l);
                out[n].name[l] = 0;
                out[n].type = d.d_type;
                out[n].next = d.d_next;
                n++;
            }
            cookie = d.d_next;
            off += sizeof d + d.d_namlen;
            progressed = 1;
        }
        if (used < buf_len || !progressed || *calls > 200) return n;
    }
}

static void show(const char *label, __wasi_fd_t fd, __wasi_dircookie_t cookie, size_t buf_len) {
    struct ent ents[128];
    int calls, err;
    int n = list(fd, cookie, buf_len, ents, 128, &calls, &err);
    if (err && n == 0) {
        printf("%s: %s\n", label, en(err));
        return;
    }
    qsort(ents, n, sizeof *ents, by_name);
    printf("%s: %s %d entries:", label, en(err), n);
    for (int i = 0; i < n; i++) printf(" %s/%d", ents[i].name, ents[i].type);
    printf("\n");
}

int main(void) {
    __wasi_fd_t dir = 0, sub = 0, file = 0;
    E("open dir", __wasi_path_open(SANDBOX, 0, "dir", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &dir));
    E("open sub", __wasi_path_open(SANDBOX, 0, "dir/sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &sub));
    E("open file", __wasi_path_open(SANDBOX, 0, "file.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &file));
    show("preopen", SANDBOX, 0, 4096);
    show("dir", dir, 0, 4096);
    show("sub", sub, 0, 8192);
    show("sub small buffer", sub, 0, 64);
    show("sub tiny buffer", sub, 0, 30);
    show("sub header-size buffer", sub, 0, sizeof(__wasi_dirent_t));
    show("sub zero buffer", sub, 0, 0);
    /* Resume from every cookie the first listing handed out: each resumption lists the
     * entries after it. */
    struct ent all[128];
    int calls, err;
    int n = list(sub, 0, 8192, all, 128, &calls, &err);
    int ok = 1;
    for (int i = 0; i < n; i++) {
        struct ent rest[128];
        int m = list(sub, all[i].next, 8192, rest, 128, &calls, &err);
        if (m != n - i - 1) ok = 0;
    }
    printf("resume from each cookie: %s (%d entries)\n", ok ? "consistent" : "inconsistent", n);
    show("past the end", sub, 1000, 4096);
    E("create while listing", ({
          __wasi_fd_t f = 0;
          int e = __wasi_path_open(SANDBOX, 0, "dir/sub/new", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &f);
          if (!e) __wasi_fd_close(f);
          e;
      }));
    E("remove while listing", __wasi_path_unlink_file(SANDBOX, "dir/sub/f1"));
    show("sub again", sub, 0, 8192);
    show("file", file, 0, 4096);
    show("stdin", 0, 0, 4096);
    show("closed", 77, 0, 4096);
    show("other", OTHER, 0, 4096);
    return 0;
}
