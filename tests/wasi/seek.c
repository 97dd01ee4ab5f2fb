/* seek/tell on files, streams and directories. */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

int main(void) {
    int fd = open("/sandbox/s", O_CREAT | O_RDWR, 0644);
    MUST(fd);
    MUST(write(fd, "0123456789", 10));
    printf("tell after write: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("SEEK_SET 3: %lld\n", (long long)lseek(fd, 3, SEEK_SET));
    char c;
    read(fd, &c, 1);
    printf("read: %c\n", c);
    printf("SEEK_CUR +2: %lld\n", (long long)lseek(fd, 2, SEEK_CUR));
    read(fd, &c, 1);
    printf("read: %c\n", c);
    printf("SEEK_END -1: %lld\n", (long long)lseek(fd, -1, SEEK_END));
    read(fd, &c, 1);
    printf("read: %c\n", c);
    printf("SEEK_END +5: %lld\n", (long long)lseek(fd, 5, SEEK_END));
    MUST(write(fd, "!", 1));
    printf("size with hole: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    SHOW("SEEK_SET -1", lseek(fd, -1, SEEK_SET));
    SHOW("SEEK_CUR before 0", lseek(fd, -100, SEEK_CUR));
    __wasi_filesize_t pos;
    WASI("bad whence", __wasi_fd_seek(fd, 0, 7, &pos));
    WASI("fd_tell", __wasi_fd_tell(fd, &pos));
    printf("position: %llu\n", (unsigned long long)pos);
    FILE *f = fdopen(fd, "r+");
    fseek(f, 4, SEEK_SET);
    printf("ftell: %ld\n", ftell(f));
    printf("fgetc: %c\n", fgetc(f));
    fclose(f);
    SHOW("lseek stdout", lseek(1, 0, SEEK_CUR));
    SHOW("lseek stdin", lseek(0, 10, SEEK_SET));
    WASI("fd_tell stdout", __wasi_fd_tell(1, &pos));
    int dfd = open("/sandbox", O_RDONLY | O_DIRECTORY);
    WASI("fd_seek directory", __wasi_fd_seek(dfd, 0, __WASI_WHENCE_SET, &pos));
    SHOW("lseek closed fd", lseek(77, 0, SEEK_SET));
    return 0;
}
