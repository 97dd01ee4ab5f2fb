/*
 * Kiln's shim for the parts of Lua's standard library that need a process or a temporary
 * file, which WASI preview1 does not offer (force-included with `-include wasi_shim.h`
 * into the wasm32-wasi build only; definitions in wasi_shim.c):
 *   - os.tmpname fails with "unable to generate a unique filename" (lua_tmpnam);
 *   - io.tmpfile returns nil plus an error message (tmpfile() fails with ENOTSUP);
 *   - os.execute(cmd) returns nil plus an error (system() fails with ENOSYS), and
 *     os.execute() reports that no shell is available.
 * io.popen already reports "'popen' not supported" without LUA_USE_POSIX.
 */
#ifndef KILN_LUA_WASI_SHIM_H
#define KILN_LUA_WASI_SHIM_H

#define LUA_TMPNAMBUFSIZE 1
#define lua_tmpnam(b, e) { (b)[0] = '\0'; (e) = 1; }

#endif
