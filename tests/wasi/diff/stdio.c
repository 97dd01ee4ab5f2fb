/* The standard streams when they are regular files (this program runs with stdin read from
 * a file and stdout written to one): their type, and what isatty says. */
#include "diff.h"
#include <unistd.h>

int main(void) {
    for (int fd = 0; fd < 3; fd++) {
        char l[32];
        snprintf(l, sizeof l, "fd %d", fd);
        show_fdstat(l, fd);
        __wasi_filestat_t st;
        int e = __wasi_fd_filestat_get(fd, &st);
        printf("fd %d filestat: %s type %d\n", fd, en(e), st.filetype);
        printf("fd %d isatty: %d\n", fd, isatty(fd));
    }
    read_some("read stdin", 0);
    return 0;
}
