/* Kiln's Lua WASI shim: see wasi_shim.h. These two functions are declared (deprecated)
 * by wasi-libc's headers but not defined by it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

FILE *tmpfile(void) {
  errno = ENOTSUP;
  return NULL;
}

int system(const char *command) {
  if (command == NULL) return 0; /* no command processor */
  errno = ENOSYS;
  return -1;
}
