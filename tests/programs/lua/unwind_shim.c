/* Kiln's Lua unwind shim: see unwind_shim.h. */
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"

_Noreturn void kiln_lua_throw(lua_State *L, int status) {
  const char *msg;
  if (status == LUA_YIELD) {
    msg = "coroutine.yield is not supported by this build (no setjmp/longjmp)";
  } else {
    msg = lua_tostring(L, -1);
    if (msg == NULL) msg = "(error object is not a string)";
  }
  fflush(stdout);
  fprintf(stderr, "lua: %s\n", msg);
  fflush(stderr);
  exit(EXIT_FAILURE);
}
