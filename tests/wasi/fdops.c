/* Descriptor operations: fdstat, rights, flags, renumber, prestat, close, stdio types;
 * then echoes stdin to stdout and a line to stderr. */
#include "common.h"
#include <fcntl.h>
#include <unistd.h>

int main(void) {
    __wasi_fdstat_t st;
    for (int fd = 0; fd < 3; fd++) {
        WASI("fdstat stdio", __wasi_fd_fdstat_get(fd, &st));
        printf("  fd %d: character device %d, read %d, write %d, seek %d\n", fd,
               st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE, !!(st.fs_rights_base & __WASI_RIGHTS_FD_READ),
               !!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE), !!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
    }
    __wasi_filestat_t fst;
    WASI("filestat stdout", __wasi_fd_filestat_get(1, &fst));
    printf("  filetype %d size %llu\n", fst.filetype, (unsigned long long)fst.size);
    int root = preopen_fd("/sandbox");
    __wasi_prestat_t ps;
    WASI("prestat", __wasi_fd_prestat_get(root, &ps));
    printf("  tag %d name length %lu\n", ps.tag, (unsigned long)ps.u.dir.pr_name_len);
    char name[16] = {0};
    WASI("prestat_dir_name short buffer", __wasi_fd_prestat_dir_name(root, (uint8_t *)name, 3));
    WASI("prestat_dir_name", __wasi_fd_prestat_dir_name(root, (uint8_t *)name, sizeof name));
    printf("  name %s\n", name);
    WASI("prestat of stdout", __wasi_fd_prestat_get(1, &ps));
    WASI("prestat of a closed fd", __wasi_fd_prestat_get(200, &ps));
    WASI("fdstat dir", __wasi_fd_fdstat_get(root, &st));
    printf("  directory %d, path_open %d\n", st.fs_filetype == __WASI_FILETYPE_DIRECTORY,
           !!(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN));

    int fd = open("/sandbox/r", O_CREAT | O_RDWR, 0644);
    MUST(fd);
    WASI("fdstat file", __wasi_fd_fdstat_get(fd, &st));
    printf("  regular %d, flags %d, read %d, write %d, path_open %d\n", st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE,
           st.fs_flags, !!(st.fs_rights_base & __WASI_RIGHTS_FD_READ), !!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE),
           !!(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN));
    printf("fcntl F_GETFL is O_RDWR: %d\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
    SHOW("fcntl F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    WASI("fdstat", __wasi_fd_fdstat_get(fd, &st));
    printf("  append flag %d\n", st.fs_flags == __WASI_FDFLAGS_APPEND);
    MUST(write(fd, "ab", 2));
    MUST(lseek(fd, 0, SEEK_SET));
    MUST(write(fd, "cd", 2));
    char buf[8] = {0};
    pread(fd, buf, 4, 0);
    printf("  appended: %s\n", buf);
    WASI("set_flags sync after open", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC));
    WASI("set_flags unknown bit", __wasi_fd_fdstat_set_flags(fd, 0x100));
    WASI("set_flags nonblock on stdout", __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK));

    WASI("drop write right", __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE, 0));
    __wasi_ciovec_t iov = {.buf = (const uint8_t *)"x", .buf_len = 1};
    __wasi_size_t written;
    WASI("fd_write without the right", __wasi_fd_write(fd, &iov, 1, &written));
    SHOW("write() without the right (wasi-libc reports EBADF)", write(fd, "x", 1));
    WASI("add the right back", __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, 0));
    SHOW("read still allowed", pread(fd, buf, 1, 0));

    int fd2 = open("/sandbox/r", O_RDONLY);
    MUST(fd2);
    WASI("renumber", __wasi_fd_renumber(fd2, fd));
    SHOW("old number closed", close(fd2));
    SHOW("read through the new number", pread(fd, buf, 4, 0));
    WASI("renumber to a closed fd", __wasi_fd_renumber(fd, 300));
    WASI("renumber from a closed fd", __wasi_fd_renumber(300, fd));
    close(fd);

    WASI("close the preopen", __wasi_fd_close(root));
    SHOW("open under it afterwards", open("/sandbox/r", O_RDONLY));

    /* stdin to stdout, a line to stderr. */
    size_t total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, n, stdout);
        total += n;
    }
    printf("stdin bytes %zu, then %s\n", total, n == 0 ? "end of file" : errname(errno));
    SHOW("write to stdin", write(0, "x", 1));
    SHOW("read from stdout", read(1, buf, 1));
    fprintf(stderr, "to stderr\n");
    return 0;
}
