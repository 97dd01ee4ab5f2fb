/* Directories: mkdir/rmdir/rename/link/symlink/readlink/unlink in the mount "/sandbox". */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void touch(const char *p, const char *text) {
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    MUST(fd);
    MUST(write(fd, text, strlen(text)));
    close(fd);
}

static void cat(const char *label, const char *p) {
    char buf[64] = {0};
    int fd = open(p, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s\n", label, errname(errno));
        return;
    }
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: %s\n", label, buf);
}

int main(void) {
    SHOW("mkdir d", mkdir("/sandbox/d", 0755));
    SHOW("mkdir d again", mkdir("/sandbox/d", 0755));
    SHOW("mkdir d/e/f (no parent)", mkdir("/sandbox/d/e/f", 0755));
    SHOW("mkdir d/e", mkdir("/sandbox/d/e", 0755));
    touch("/sandbox/d/e/file", "content");
    SHOW("rmdir non-empty", rmdir("/sandbox/d/e"));
    SHOW("rmdir a file", rmdir("/sandbox/d/e/file"));
    SHOW("unlink a directory", unlink("/sandbox/d/e"));

    SHOW("rename file", rename("/sandbox/d/e/file", "/sandbox/d/moved"));
    cat("moved", "/sandbox/d/moved");
    cat("old name", "/sandbox/d/e/file");
    SHOW("rename dir", rename("/sandbox/d/e", "/sandbox/d/e2"));
    struct stat st;
    SHOW("stat renamed dir", stat("/sandbox/d/e2", &st));
    printf("is dir: %d\n", S_ISDIR(st.st_mode));
    touch("/sandbox/d/other", "other");
    SHOW("rename over existing file", rename("/sandbox/d/other", "/sandbox/d/moved"));
    cat("moved now", "/sandbox/d/moved");
    SHOW("rename missing", rename("/sandbox/d/nope", "/sandbox/d/x"));
    SHOW("rename dir over file", rename("/sandbox/d/e2", "/sandbox/d/moved"));

    SHOW("link", link("/sandbox/d/moved", "/sandbox/d/hard"));
    SHOW("stat hard link", stat("/sandbox/d/moved", &st));
    printf("nlink: %llu\n", (unsigned long long)st.st_nlink);
    cat("via hard link", "/sandbox/d/hard");
    SHOW("link to existing name", link("/sandbox/d/moved", "/sandbox/d/hard"));

    SHOW("symlink", symlink("moved", "/sandbox/d/sym"));
    char target[64] = {0};
    ssize_t n = readlink("/sandbox/d/sym", target, sizeof target - 1);
    printf("readlink: %zd %s\n", n, target);
    memset(target, 0, sizeof target);
    n = readlink("/sandbox/d/sym", target, 3);
    printf("readlink truncated: %zd %s\n", n, target);
    SHOW("readlink of a file", readlink("/sandbox/d/moved", target, sizeof target));
    cat("via symlink", "/sandbox/d/sym");
    SHOW("lstat symlink", lstat("/sandbox/d/sym", &st));
    printf("is symlink: %d\n", S_ISLNK(st.st_mode));
    SHOW("stat through symlink", stat("/sandbox/d/sym", &st));
    printf("is regular: %d\n", S_ISREG(st.st_mode));
    SHOW("open symlink O_NOFOLLOW", open("/sandbox/d/sym", O_RDONLY | O_NOFOLLOW));
    SHOW("symlink dangling", symlink("nowhere", "/sandbox/d/dangling"));
    cat("open dangling", "/sandbox/d/dangling");
    SHOW("unlink symlink", unlink("/sandbox/d/sym"));
    cat("target still there", "/sandbox/d/moved");

    SHOW("unlink hard", unlink("/sandbox/d/hard"));
    SHOW("unlink missing", unlink("/sandbox/d/hard"));
    SHOW("unlink moved", unlink("/sandbox/d/moved"));
    SHOW("unlink dangling", unlink("/sandbox/d/dangling"));
    SHOW("rmdir e2", rmdir("/sandbox/d/e2"));
    SHOW("rmdir d", rmdir("/sandbox/d"));
    SHOW("stat removed", stat("/sandbox/d", &st));

    /* Relative paths under a chdir. */
    SHOW("mkdir w", mkdir("/sandbox/w", 0755));
    SHOW("chdir", chdir("/sandbox/w"));
    touch("rel", "relative");
    cat("relative open", "/sandbox/w/rel");
    char cwd[64];
    printf("cwd: %s\n", getcwd(cwd, sizeof cwd));
    return 0;
}
