/* Files: open/read/write/pread/pwrite/truncate/allocate/filestat/times, in the mount
 * "/sandbox" (empty at start). */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    int fd = open("/sandbox/f.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    MUST(fd);
    MUST(write(fd, "hello, world\n", 13));
    struct stat st;
    MUST(fstat(fd, &st));
    printf("size after write: %lld, regular: %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    char buf[64] = {0};
    MUST(lseek(fd, 0, SEEK_SET));
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("read %zd: %s", n, buf);

    memset(buf, 0, sizeof buf);
    n = pread(fd, buf, 5, 7);
    printf("pread(5 @7) %zd: %s\n", n, buf);
    printf("position after pread: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));

    MUST(pwrite(fd, "WORLD", 5, 7));
    memset(buf, 0, sizeof buf);
    pread(fd, buf, 13, 0);
    printf("after pwrite: %s", buf);

    MUST(ftruncate(fd, 5));
    MUST(fstat(fd, &st));
    printf("size after ftruncate(5): %lld\n", (long long)st.st_size);
    MUST(ftruncate(fd, 100));
    MUST(fstat(fd, &st));
    memset(buf, 'x', sizeof buf);
    n = pread(fd, buf, 8, 3);
    printf("size after ftruncate(100): %lld, bytes 3..11: %02x %02x %02x %02x\n", (long long)st.st_size,
           buf[0], buf[1], buf[2], buf[3]);

    int r = posix_fallocate(fd, 0, 4096);
    printf("posix_fallocate(0, 4096): %s\n", errname(r));
    MUST(fstat(fd, &st));
    printf("size after fallocate: %lld\n", (long long)st.st_size);
    r = posix_fallocate(fd, 10, 20);
    MUST(fstat(fd, &st));
    printf("fallocate inside: %s, size still %lld\n", errname(r), (long long)st.st_size);

    struct timespec times[2] = {{.tv_sec = 1000000000, .tv_nsec = 123456789}, {.tv_sec = 1234567890, .tv_nsec = 5}};
    SHOW("futimens", futimens(fd, times));
    MUST(fstat(fd, &st));
    printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    struct timespec omit_a[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 2000000000, .tv_nsec = 0}};
    SHOW("utimensat omit atime", utimensat(AT_FDCWD, "/sandbox/f.txt", omit_a, 0));
    MUST(stat("/sandbox/f.txt", &st));
    printf("atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
    printf("nlink %llu, same inode via stat and fstat: ", (unsigned long long)st.st_nlink);
    struct stat st2;
    MUST(fstat(fd, &st2));
    printf("%d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    SHOW("fsync", fsync(fd));
    SHOW("fdatasync", fdatasync(fd));
    SHOW("posix_fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0 ? 0 : -1);
    MUST(close(fd));
    SHOW("close again", close(fd));

    /* Append mode. */
    fd = open("/sandbox/log", O_CREAT | O_WRONLY | O_APPEND, 0644);
    MUST(fd);
    MUST(write(fd, "one\n", 4));
    MUST(lseek(fd, 0, SEEK_SET));
    MUST(write(fd, "two\n", 4));
    close(fd);
    fd = open("/sandbox/log", O_RDONLY);
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    printf("appended: %s", buf);
    SHOW("write to read-only fd", write(fd, "x", 1));
    SHOW("ftruncate read-only fd", ftruncate(fd, 0));
    close(fd);
    fd = open("/sandbox/log", O_WRONLY);
    SHOW("read from write-only fd", read(fd, buf, 1));
    close(fd);

    /* Errors. */
    SHOW("open missing", open("/sandbox/missing", O_RDONLY));
    SHOW("open O_EXCL existing", open("/sandbox/log", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SHOW("open dir for writing", open("/sandbox", O_WRONLY));
    SHOW("open file as directory", open("/sandbox/log", O_RDONLY | O_DIRECTORY));
    SHOW("open through a file", open("/sandbox/log/x", O_RDONLY));
    int dfd = open("/sandbox", O_RDONLY | O_DIRECTORY);
    SHOW("read a directory", read(dfd, buf, 1));
    close(dfd);

    /* fopen/fgets through the stdio layer. */
    FILE *f = fopen("/sandbox/lines", "w");
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    f = fopen("/sandbox/lines", "r");
    char line[32];
    int count = 0;
    long sum = 0;
    while (fgets(line, sizeof line, f)) {
        count++;
        sum += atoi(line + 5);
    }
    fclose(f);
    printf("lines %d sum %ld\n", count, sum);
    return 0;
}
