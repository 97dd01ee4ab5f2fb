/*
 * Kiln's OS layer for SQLite on wasm32-wasi, built with -DSQLITE_OS_OTHER=1 (see
 * scripts/fetch-programs.sh).
 *
 * SQLite's unix VFS needs POSIX advisory locks (fcntl F_SETLK), mmap and getpid, which
 * WASI preview1 does not have. speedtest1 only runs against an in-memory database
 * (`--memdb`, with SQLITE_TEMP_STORE=3 keeping temporary tables and sort spills in memory
 * too), so this VFS opens no files at all: xOpen answers SQLITE_CANTOPEN. It supplies what
 * SQLite still needs from an OS: randomness (getentropy, i.e. WASI random_get), the time
 * (clock_gettime(CLOCK_REALTIME), i.e. WASI clock_time_get) and sleeping (nanosleep, i.e.
 * WASI poll_oneoff).
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sqlite3.h"

static int memOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                   int *outFlags) {
  (void)vfs; (void)name; (void)flags; (void)outFlags;
  file->pMethods = 0; /* tells SQLite there is nothing to close */
  return SQLITE_CANTOPEN;
}

static int memDelete(sqlite3_vfs *vfs, const char *name, int syncDir) {
  (void)vfs; (void)name; (void)syncDir;
  return SQLITE_OK; /* nothing was ever created */
}

static int memAccess(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs; (void)name; (void)flags;
  *out = 0; /* no file exists */
  return SQLITE_OK;
}

static int memFullPathname(sqlite3_vfs *vfs, const char *name, int nOut, char *out) {
  (void)vfs;
  sqlite3_snprintf(nOut, out, "%s", name);
  return SQLITE_OK;
}

static int memRandomness(sqlite3_vfs *vfs, int nByte, char *out) {
  (void)vfs;
  int done = 0;
  while (done < nByte) {
    int chunk = nByte - done > 256 ? 256 : nByte - done; /* getentropy's limit */
    if (getentropy(out + done, (size_t)chunk) != 0) break;
    done += chunk;
  }
  if (done < nByte) memset(out + done, 0, (size_t)(nByte - done));
  return nByte;
}

static int memSleep(sqlite3_vfs *vfs, int micros) {
  (void)vfs;
  struct timespec ts = { micros / 1000000, (long)(micros % 1000000) * 1000 };
  nanosleep(&ts, 0);
  return micros;
}

/* Milliseconds since the Julian epoch, as SQLite's xCurrentTimeInt64 wants. */
static int memCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  static const sqlite3_int64 unixEpoch = 24405875 * (sqlite3_int64)8640000;
  struct timespec ts;
  (void)vfs;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return SQLITE_ERROR;
  *out = unixEpoch + 1000 * (sqlite3_int64)ts.tv_sec + ts.tv_nsec / 1000000;
  return SQLITE_OK;
}

static int memCurrentTime(sqlite3_vfs *vfs, double *out) {
  sqlite3_int64 ms = 0;
  int rc = memCurrentTimeInt64(vfs, &ms);
  *out = ms / 86400000.0;
  return rc;
}

static int memGetLastError(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs; (void)n; (void)out;
  return 0;
}

static sqlite3_vfs memVfs = {
  2,                   /* iVersion */
  sizeof(sqlite3_file), /* szOsFile: no state beyond the methods pointer */
  512,                 /* mxPathname */
  0,                   /* pNext */
  "kiln-memory",       /* zName */
  0,                   /* pAppData */
  memOpen, memDelete, memAccess, memFullPathname,
  0, 0, 0, 0,          /* xDlOpen, xDlError, xDlSym, xDlClose: SQLITE_OMIT_LOAD_EXTENSION */
  memRandomness, memSleep, memCurrentTime, memGetLastError,
  memCurrentTimeInt64,
  0, 0, 0              /* xSetSystemCall, xGetSystemCall, xNextSystemCall */
};

int sqlite3_os_init(void) {
  return sqlite3_vfs_register(&memVfs, 1);
}

int sqlite3_os_end(void) {
  return SQLITE_OK;
}
