/* readdir over a large directory: 3000 files, listed through libc (opendir/readdir,
 * telldir/seekdir) and through raw fd_readdir with a small buffer and cookies. */
#include "common.h"
#include <dirent.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#define N 3000

static unsigned char seen[N];

static int index_of(const char *name) {
    if (strncmp(name, "entry-", 6) != 0) return -1;
    int i = atoi(name + 6);
    return i >= 0 && i < N ? i : -1;
}

int main(void) {
    MUST(mkdir("/sandbox/big", 0755));
    char path[64];
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/sandbox/big/entry-%d", i);
        int fd = open(path, O_CREAT | O_WRONLY, 0644);
        MUST(fd);
        close(fd);
    }
    MUST(mkdir("/sandbox/big/subdir", 0755));

    DIR *d = opendir("/sandbox/big");
    if (!d) return 98;
    int dots = 0, files = 0, dirs = 0, others = 0;
    struct dirent *e;
    long mid = -1;
    int consumed = 0, consumed_at_mid = 0;
    while ((e = readdir(d))) {
        consumed++;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
            dots++;
            continue;
        }
        int i = index_of(e->d_name);
        if (i >= 0 && e->d_type == DT_REG) {
            seen[i]++;
            files++;
            if (files == N / 2) {
                mid = telldir(d);
                consumed_at_mid = consumed;
            }
        } else if (!strcmp(e->d_name, "subdir") && e->d_type == DT_DIR) {
            dirs++;
        } else {
            others++;
        }
    }
    int once = 1;
    for (int i = 0; i < N; i++) once &= seen[i] == 1;
    printf("libc readdir: dots %d files %d dirs %d others %d each file once %d\n", dots, files, dirs, others, once);

    /* seekdir back to the middle: the rest of the listing comes again. */
    seekdir(d, mid);
    int rest = 0;
    while ((e = readdir(d))) rest++;
    printf("entries after seekdir to the middle are the rest: %d\n", rest == consumed - consumed_at_mid);
    rewinddir(d);
    int all = 0;
    while ((e = readdir(d))) all++;
    printf("entries after rewinddir: %d\n", all);
    closedir(d);

    /* Raw fd_readdir: 200-byte buffer, cookie from each record's d_next; a record cut at
     * the end of the buffer is fetched again from its cookie. */
    int fd = open("/sandbox/big", O_RDONLY | O_DIRECTORY);
    MUST(fd);
    memset(seen, 0, sizeof seen);
    unsigned char buf[200];
    __wasi_dircookie_t cookie = 0;
    int records = 0, calls = 0, increasing = 1;
    for (;;) {
        __wasi_size_t used;
        __wasi_errno_t err = __wasi_fd_readdir(fd, buf, sizeof buf, cookie, &used);
        calls++;
        if (err) {
            printf("fd_readdir: %s\n", errname(err));
            return 1;
        }
        size_t off = 0;
        int progressed = 0;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t de;
            memcpy(&de, buf + off, sizeof de);
            if (off + sizeof de + de.d_namlen > used) break;
            char name[64] = {0};
            memcpy(name, buf + off + sizeof de, de.d_namlen < 63 ? de.d_namlen : 63);
            int i = index_of(name);
            if (i >= 0) seen[i]++;
            if (de.d_next <= cookie) increasing = 0;
            cookie = de.d_next;
            records++;
            progressed = 1;
            off += sizeof de + de.d_namlen;
        }
        if (used < sizeof buf) break;
        if (!progressed) {
            printf("no progress\n");
            return 1;
        }
    }
    once = 1;
    for (int i = 0; i < N; i++) once &= seen[i] == 1;
    printf("fd_readdir: records %d each file once %d cookies increase %d many calls %d\n", records, once, increasing,
           calls > 100);
    /* A cookie past the end gives an empty buffer. */
    __wasi_size_t used = 1;
    WASI("fd_readdir past the end", __wasi_fd_readdir(fd, buf, sizeof buf, 1000000, &used));
    printf("bytes: %lu\n", (unsigned long)used);
    WASI("fd_readdir on a file", __wasi_fd_readdir(1, buf, sizeof buf, 0, &used));
    close(fd);
    return 0;
}
