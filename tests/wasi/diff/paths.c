/* path_* calls: mkdir, rmdir, unlink, rename and link within and across directories and
 * mounts, symlink and readlink, filestat with and without following, set_times with every
 * fstflag, trailing slashes, dangling and looping symbolic links. */
#include "diff.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static void readlink_at(const char *label, const char *path, size_t len) {
    char buf[64];
    __wasi_size_t n = 0;
    int e = __wasi_path_readlink(SANDBOX, path, (uint8_t *)buf, len, &n);
    if (e) {
        printf("%s: %s\n", label, en(e));
        return;
    }
    buf[n] = 0;
    printf("%s: OK %u \"%s\"\n", label, (unsigned)n, buf);
}

static void times_at(const char *label, __wasi_lookupflags_t lf, const char *path) {
    __wasi_filestat_t st;
    int e = __wasi_path_filestat_get(SANDBOX, lf, path, &st);
    if (e) printf("%s: %s\n", label, en(e));
    else if (st.atim > 100000000000ull || st.mtim > 100000000000ull)
        printf("%s: OK type %d (host times)\n", label, st.filetype);
    else printf("%s: OK type %d atim %llu mtim %llu\n", label, st.filetype,
                (unsigned long long)st.atim, (unsigned long long)st.mtim);
}

int main(void) {
    /* path_create_directory. */
    E("mkdir", __wasi_path_create_directory(SANDBOX, "newdir"));
    E("mkdir existing", __wasi_path_create_directory(SANDBOX, "newdir"));
    E("mkdir over file", __wasi_path_create_directory(SANDBOX, "file.txt"));
    E("mkdir trailing slash", __wasi_path_create_directory(SANDBOX, "newdir2/"));
    E("mkdir nested missing", __wasi_path_create_directory(SANDBOX, "nope/x"));
    E("mkdir under file", __wasi_path_create_directory(SANDBOX, "file.txt/x"));
    E("mkdir dangling", __wasi_path_create_directory(SANDBOX, "dangling"));
    E("mkdir dotdot", __wasi_path_create_directory(SANDBOX, "../x"));
    E("mkdir absolute", __wasi_path_create_directory(SANDBOX, "/x"));
    E("mkdir empty", __wasi_path_create_directory(SANDBOX, ""));
    E("mkdir dot", __wasi_path_create_directory(SANDBOX, "."));
    E("mkdir through link_dir", __wasi_path_create_directory(SANDBOX, "link_dir/made"));
    E("mkdir on file fd", __wasi_path_create_directory(1, "x"));
    E("mkdir on closed fd", __wasi_path_create_directory(90, "x"));

    /* path_filestat_get. */
    stat_path("stat file", SANDBOX, 0, "file.txt");
    stat_path("stat dir", SANDBOX, 0, "dir");
    stat_path("stat link_file nofollow", SANDBOX, 0, "link_file");
    stat_path("stat link_file follow", SANDBOX, FOLLOW, "link_file");
    stat_path("stat link_dir follow", SANDBOX, FOLLOW, "link_dir");
    stat_path("stat link_dir/ nofollow", SANDBOX, 0, "link_dir/");
    stat_path("stat dangling nofollow", SANDBOX, 0, "dangling");
    stat_path("stat dangling follow", SANDBOX, FOLLOW, "dangling");
    stat_path("stat loop follow", SANDBOX, FOLLOW, "loop1");
    stat_path("stat loop nofollow", SANDBOX, 0, "loop1");
    stat_path("stat escape follow", SANDBOX, FOLLOW, "escape");
    stat_path("stat escape nofollow", SANDBOX, 0, "escape");
    stat_path("stat abs follow", SANDBOX, FOLLOW, "abs");
    stat_path("stat file/", SANDBOX, 0, "file.txt/");
    stat_path("stat dir/", SANDBOX, 0, "dir/");
    stat_path("stat .", SANDBOX, 0, ".");
    stat_path("stat ..", SANDBOX, 0, "..");
    stat_path("stat dir/..", SANDBOX, 0, "dir/..");
    stat_path("stat missing", SANDBOX, 0, "missing");
    stat_path("stat empty", SANDBOX, 0, "");
    stat_path("stat on stdin", 0, 0, "file.txt");

    /* path_filestat_set_times. */
    E("set_times file", __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 1000000000ull,
                                                       3000000000ull,
                                                       __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    times_at("times file", 0, "file.txt");
    E("set_times mtim only", __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 0,
                                                            7000000000ull, __WASI_FSTFLAGS_MTIM));
    times_at("times mtim only", 0, "file.txt");
    E("set_times atim+atim_now", __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 1, 2,
                                                                __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    E("set_times mtim+mtim_now", __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 1, 2,
                                                                __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
    E("set_times now", __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt", 0, 0,
                                                      __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    times_at("times now", 0, "file.txt");
    E("set_times link follow", __wasi_path_filestat_set_times(SANDBOX, FOLLOW, "link_file", 4000000000ull,
                                                              4000000000ull,
                                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    times_at("times via link", 0, "file.txt");
    E("set_times link nofollow", __wasi_path_filestat_set_times(SANDBOX, 0, "link_dir", 6000000000ull,
                                                                6000000000ull,
                                                                __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    times_at("times link itself", 0, "link_dir");
    times_at("times link target", FOLLOW, "link_dir");
    E("set_times dangling follow", __wasi_path_filestat_set_times(SANDBOX, FOLLOW, "dangling", 1, 1,
                                                                  __WASI_FSTFLAGS_ATIM));
    E("set_times missing", __wasi_path_filestat_set_times(SANDBOX, 0, "missing", 1, 1,
                                                          __WASI_FSTFLAGS_ATIM));
    E("set_times escape", __wasi_path_filestat_set_times(SANDBOX, FOLLOW, "escape", 1, 1,
                                                         __WASI_FSTFLAGS_ATIM));
    E("set_times dir/", __wasi_path_filestat_set_times(SANDBOX, 0, "dir/", 1000000000ull, 1000000000ull,
                                                       __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    E("set_times file/", __wasi_path_filestat_set_times(SANDBOX, 0, "file.txt/", 1, 1,
                                                        __WASI_FSTFLAGS_ATIM));

    /* path_symlink and path_readlink. */
    E("symlink", __wasi_path_symlink("file.txt", SANDBOX, "s1"));
    E("symlink existing", __wasi_path_symlink("file.txt", SANDBOX, "s1"));
    E("symlink over file", __wasi_path_symlink("x", SANDBOX, "file.txt"));
    E("symlink dangling target", __wasi_path_symlink("nowhere", SANDBOX, "s2"));
    E("symlink absolute target", __wasi_path_symlink("/etc/passwd", SANDBOX, "s3"));
    E("symlink escaping target", __wasi_path_symlink("../../x", SANDBOX, "s4"));
    E("symlink trailing slash", __wasi_path_symlink("file.txt", SANDBOX, "s5/"));
    E("symlink dir target trailing slash", __wasi_path_symlink("dir", SANDBOX, "s6/"));
    E("symlink empty target", __wasi_path_symlink("", SANDBOX, "s7"));
    E("symlink into dir", __wasi_path_symlink("../file.txt", SANDBOX, "dir/s8"));
    E("symlink over dangling", __wasi_path_symlink("x", SANDBOX, "dangling"));
    E("symlink escape path", __wasi_path_symlink("x", SANDBOX, "../s9"));
    readlink_at("readlink s1", "s1", 64);
    readlink_at("readlink short buffer", "s1", 3);
    readlink_at("readlink zero buffer", "s1", 0);
    readlink_at("readlink dangling", "dangling", 64);
    readlink_at("readlink abs", "abs", 64);
    readlink_at("readlink escape", "escape", 64);
    readlink_at("readlink file", "file.txt", 64);
    readlink_at("readlink dir", "dir", 64);
    readlink_at("readlink missing", "missing", 64);
    readlink_at("readlink s1/", "s1/", 64);
    readlink_at("readlink through link_dir", "link_dir/a.txt", 64);
    readlink_at("readlink dir/s8", "dir/s8", 64);
    read_some("read through dir/s8", ({
                  __wasi_fd_t f = 99;
                  int e = __wasi_path_open(SANDBOX, FOLLOW, "dir/s8", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f);
                  E("open dir/s8", e);
                  f;
              }));

    /* path_unlink_file. */
    E("unlink file", __wasi_path_unlink_file(SANDBOX, "empty"));
    E("unlink again", __wasi_path_unlink_file(SANDBOX, "empty"));
    E("unlink dir", __wasi_path_unlink_file(SANDBOX, "emptydir"));
    E("unlink symlink", __wasi_path_unlink_file(SANDBOX, "s1"));
    E("unlink dangling", __wasi_path_unlink_file(SANDBOX, "s2"));
    E("unlink link_dir/", __wasi_path_unlink_file(SANDBOX, "link_dir/"));
    E("unlink file/", __wasi_path_unlink_file(SANDBOX, "file.txt/"));
    E("unlink dot", __wasi_path_unlink_file(SANDBOX, "."));
    E("unlink dotdot", __wasi_path_unlink_file(SANDBOX, "../other/o.txt"));
    E("unlink through link_dir", __wasi_path_unlink_file(SANDBOX, "link_dir/a.txt"));
    E("unlink loop", __wasi_path_unlink_file(SANDBOX, "self"));

    /* path_remove_directory. */
    E("rmdir empty", __wasi_path_remove_directory(SANDBOX, "emptydir"));
    E("rmdir again", __wasi_path_remove_directory(SANDBOX, "emptydir"));
    E("rmdir nonempty", __wasi_path_remove_directory(SANDBOX, "dir"));
    E("rmdir file", __wasi_path_remove_directory(SANDBOX, "file.txt"));
    E("rmdir symlink to dir", __wasi_path_remove_directory(SANDBOX, "link_dir"));
    E("rmdir trailing slash", __wasi_path_remove_directory(SANDBOX, "newdir/"));
    E("rmdir dot", __wasi_path_remove_directory(SANDBOX, "."));
    E("rmdir dir/..", __wasi_path_remove_directory(SANDBOX, "dir/.."));
    E("rmdir dotdot", __wasi_path_remove_directory(SANDBOX, ".."));
    E("rmdir file/", __wasi_path_remove_directory(SANDBOX, "file.txt/"));

    /* path_rename. */
    E("mkdir r", __wasi_path_create_directory(SANDBOX, "r"));
    E("mkdir r/d", __wasi_path_create_directory(SANDBOX, "r/d"));
    E("rename file", __wasi_path_rename(SANDBOX, "dir/a.txt", SANDBOX, "r/a2.txt"));
    E("rename missing", __wasi_path_rename(SANDBOX, "missing", SANDBOX, "r/x"));
    E("rename over file", __wasi_path_rename(SANDBOX, "r/a2.txt", SANDBOX, "file.txt"));
    E("rename file over dir", __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "r/d"));
    E("rename dir over file", __wasi_path_rename(SANDBOX, "r/d", SANDBOX, "file.txt"));
    E("rename dir over empty dir", ({
          int e = __wasi_path_create_directory(SANDBOX, "r/e");
          e ? e : __wasi_path_rename(SANDBOX, "r/d", SANDBOX, "r/e");
      }));
    E("rename dir over nonempty dir", __wasi_path_rename(SANDBOX, "r", SANDBOX, "dir"));
    E("rename dir into itself", __wasi_path_rename(SANDBOX, "r", SANDBOX, "r/e/inner"));
    E("rename dir trailing slashes", __wasi_path_rename(SANDBOX, "r/e/", SANDBOX, "r/f/"));
    E("rename file trailing slash source", __wasi_path_rename(SANDBOX, "file.txt/", SANDBOX, "r/g"));
    E("rename file trailing slash target", __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "r/g/"));
    E("rename symlink", __wasi_path_rename(SANDBOX, "link_file", SANDBOX, "r/link"));
    E("rename across mounts", __wasi_path_rename(SANDBOX, "r/link", OTHER, "moved_link"));
    E("rename across mounts file", __wasi_path_rename(OTHER, "o.txt", SANDBOX, "o_moved.txt"));
    E("rename escape", __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "../x"));
    E("rename onto itself", __wasi_path_rename(SANDBOX, "file.txt", SANDBOX, "file.txt"));
    E("rename dot", __wasi_path_rename(SANDBOX, ".", SANDBOX, "dotmoved"));
    E("rename to stdin fd", __wasi_path_rename(SANDBOX, "file.txt", 0, "x"));

    /* path_link. */
    E("link", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "hard"));
    stat_path("nlink after link", SANDBOX, 0, "file.txt");
    E("link existing", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "hard"));
    E("link dir", __wasi_path_link(SANDBOX, 0, "dir", SANDBOX, "hard_dir"));
    E("link missing", __wasi_path_link(SANDBOX, 0, "missing", SANDBOX, "hard2"));
    E("link across dirs", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "r/hard3"));
    E("link across mounts", __wasi_path_link(SANDBOX, 0, "file.txt", OTHER, "hard4"));
    E("link symlink nofollow", __wasi_path_link(SANDBOX, 0, "link_dir", SANDBOX, "hard_sym"));
    stat_path("hard_sym", SANDBOX, 0, "hard_sym");
    E("link symlink follow", __wasi_path_link(SANDBOX, FOLLOW, "dir/s8", SANDBOX, "hard_follow"));
    stat_path("hard_follow", SANDBOX, 0, "hard_follow");
    E("link dangling follow", __wasi_path_link(SANDBOX, FOLLOW, "dangling", SANDBOX, "hard5"));
    E("link trailing slash target", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "hard6/"));
    E("link trailing slash source", __wasi_path_link(SANDBOX, 0, "file.txt/", SANDBOX, "hard7"));
    E("link escape", __wasi_path_link(SANDBOX, 0, "file.txt", SANDBOX, "../hard8"));
    E("link from escape", __wasi_path_link(SANDBOX, 0, "../other/o.txt", SANDBOX, "hard9"));
    return 0;
}
