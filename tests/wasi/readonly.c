/* A read-only mount "/ro" (holding "data" = "read-only data" and directory "dir") next
 * to a read-write mount "/rw": reads work, every change to /ro is EROFS. */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    char buf[64] = {0};
    int fd = open("/ro/data", O_RDONLY);
    MUST(fd);
    read(fd, buf, sizeof buf - 1);
    printf("read: %s\n", buf);
    SHOW("write to it", write(fd, "x", 1));
    SHOW("ftruncate", ftruncate(fd, 0));
    SHOW("posix_fallocate", posix_fallocate(fd, 0, 100) == 0 ? 0 : (errno = posix_fallocate(fd, 0, 100), -1));
    struct timespec ts[2] = {{.tv_sec = 1}, {.tv_sec = 1}};
    SHOW("futimens", futimens(fd, ts));
    SHOW("fsync", fsync(fd));
    close(fd);
    struct stat st;
    SHOW("stat", stat("/ro/data", &st));
    printf("size %lld\n", (long long)st.st_size);
    SHOW("open O_WRONLY", open("/ro/data", O_WRONLY));
    SHOW("open O_RDWR", open("/ro/data", O_RDWR));
    SHOW("open O_APPEND", open("/ro/data", O_WRONLY | O_APPEND));
    SHOW("open O_TRUNC", open("/ro/data", O_WRONLY | O_TRUNC));
    SHOW("create new", open("/ro/new", O_CREAT | O_WRONLY, 0644));
    SHOW("mkdir", mkdir("/ro/newdir", 0755));
    SHOW("rmdir", rmdir("/ro/dir"));
    SHOW("unlink", unlink("/ro/data"));
    SHOW("rename inside", rename("/ro/data", "/ro/data2"));
    SHOW("rename to rw", rename("/ro/data", "/rw/data"));
    SHOW("link", link("/ro/data", "/ro/link"));
    SHOW("link to rw", link("/ro/data", "/rw/link"));
    SHOW("symlink", symlink("data", "/ro/sym"));
    SHOW("utimensat", utimensat(AT_FDCWD, "/ro/data", ts, 0));
    int dfd = open("/ro/dir", O_RDONLY | O_DIRECTORY);
    SHOW("open dir", dfd);
    SHOW("futimens dir", futimens(dfd, ts));
    close(dfd);

    /* The read-write mount still works, and copies out of /ro. */
    int out = open("/rw/copy", O_CREAT | O_WRONLY, 0644);
    MUST(out);
    MUST(write(out, buf, strlen(buf)));
    close(out);
    SHOW("rename rw into ro", rename("/rw/copy", "/ro/copy"));
    memset(buf, 0, sizeof buf);
    fd = open("/rw/copy", O_RDONLY);
    read(fd, buf, sizeof buf - 1);
    printf("copy: %s\n", buf);
    return 0;
}
