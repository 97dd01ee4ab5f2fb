/* Escapes from the mount "/sandbox", all refused. The host prepared: file "file"
 * ("inside"), directory "sub", symlink "to_root" -> "/", symlink "up" -> "../..", and a
 * file "secret" next to the mounted directory (outside it). */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The import itself, to pass a path pointer outside memory. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) int32_t
import_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags, int64_t base,
                 int64_t inheriting, int32_t fdflags, int32_t fd_out);

static int raw_open(int dirfd, const char *path, int follow) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(dirfd, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (e == 0 && __wasi_fd_close(fd) != 0) return -1;
    return e;
}

int main(void) {
    int root = preopen_fd("/sandbox");
    printf("preopen found: %d\n", root >= 3);
    struct stat st;

    /* Through wasi-libc. */
    SHOW("open /sandbox/file", open("/sandbox/file", O_RDONLY));
    SHOW("open /sandbox/../secret", open("/sandbox/../secret", O_RDONLY));
    SHOW("open /etc/passwd", open("/etc/passwd", O_RDONLY));
    SHOW("open /sandbox/sub/../file", open("/sandbox/sub/../file", O_RDONLY));
    SHOW("open /sandbox/sub/../../secret", open("/sandbox/sub/../../secret", O_RDONLY));
    SHOW("open /sandbox/to_root/etc/passwd", open("/sandbox/to_root/etc/passwd", O_RDONLY));
    SHOW("stat /sandbox/to_root", stat("/sandbox/to_root", &st));
    SHOW("lstat /sandbox/to_root", lstat("/sandbox/to_root", &st));
    char target[64] = {0};
    SHOW("readlink /sandbox/to_root", readlink("/sandbox/to_root", target, sizeof target - 1));
    printf("  target: %s\n", target);
    SHOW("open /sandbox/up/secret", open("/sandbox/up/secret", O_RDONLY));
    SHOW("opendir /sandbox/up", open("/sandbox/up", O_RDONLY | O_DIRECTORY));
    SHOW("guest symlink mine -> ../../..", symlink("../../..", "/sandbox/mine"));
    SHOW("open /sandbox/mine/etc/passwd", open("/sandbox/mine/etc/passwd", O_RDONLY));
    SHOW("guest symlink abs -> /etc", symlink("/etc", "/sandbox/abs"));
    SHOW("guest symlink sub/back -> ../file", symlink("../file", "/sandbox/sub/back"));
    SHOW("open /sandbox/sub/back (inside)", open("/sandbox/sub/back", O_RDONLY));
    SHOW("mkdir /sandbox/../escape", mkdir("/sandbox/../escape", 0755));
    SHOW("rename file to ../moved", rename("/sandbox/file", "/sandbox/../moved"));
    SHOW("link file to ../hard", link("/sandbox/file", "/sandbox/../hard"));
    SHOW("unlink ../secret", unlink("/sandbox/../secret"));
    SHOW("create ../created", open("/sandbox/../created", O_CREAT | O_WRONLY, 0644));
    SHOW("create through to_root", open("/sandbox/to_root/tmp/kiln-escape", O_CREAT | O_WRONLY, 0644));

    /* Raw calls on the preopened descriptor. */
    WASI("path_open ../secret", raw_open(root, "../secret", 1));
    WASI("path_open /etc/passwd", raw_open(root, "/etc/passwd", 1));
    WASI("path_open sub/../../secret", raw_open(root, "sub/../../secret", 1));
    WASI("path_open to_root (follow)", raw_open(root, "to_root", 1));
    WASI("path_open to_root (nofollow)", raw_open(root, "to_root", 0));
    WASI("path_open .", raw_open(root, ".", 1));
    WASI("path_open ..", raw_open(root, "..", 1));
    WASI("path_open empty path", raw_open(root, "", 1));
    __wasi_filestat_t fs;
    WASI("path_filestat_get ..", __wasi_path_filestat_get(root, 0, "..", &fs));
    WASI("path_create_directory ../x", __wasi_path_create_directory(root, "../x"));
    WASI("path_remove_directory ..", __wasi_path_remove_directory(root, ".."));
    WASI("path_unlink_file /etc/passwd", __wasi_path_unlink_file(root, "/etc/passwd"));
    WASI("path_symlink to /", __wasi_path_symlink("/", root, "slash"));
    WASI("path_readlink outside", __wasi_path_readlink(root, "../secret", (uint8_t *)target, sizeof target,
                                                        &(__wasi_size_t){0}));
    WASI("path_open on stdout", raw_open(1, "x", 1));
    WASI("path_open bad fd", raw_open(99, "file", 1));
    __wasi_fd_t out;
    WASI("path_open path out of memory", import_path_open(root, 0, (int32_t)0xfffffff0, 100, 0, 0, 0, 0,
                                                          (int32_t)&out));
    WASI("path_open result out of memory", import_path_open(root, 0, (int32_t) "file", 4, 0, 0, 0, 0,
                                                            (int32_t)0xfffffffe));
    return 0;
}
