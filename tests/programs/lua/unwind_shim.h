/*
 * Kiln's portability shim for building Lua 5.4 for wasm32-wasi (force-included with
 * `-include unwind_shim.h` into every Lua source file; see scripts/fetch-programs.sh).
 *
 * Lua reports errors by unwinding with setjmp/longjmp (ldo.c: LUAI_TRY / LUAI_THROW).
 * wasm32-wasi has no setjmp/longjmp without the exception-handling proposal, which Kiln
 * does not implement. This shim replaces the unwinding with "report and exit": LUAI_TRY
 * runs its block directly, and LUAI_THROW prints the error object to stderr and exits
 * the process with status 1, as the stock `lua` does for an uncaught error.
 *
 * Consequences, deliberately accepted for a benchmark/test interpreter:
 *   - pcall/xpcall cannot catch an error: any Lua error ends the program;
 *   - coroutine.yield ends the program (Lua 5.4 yields from C by unwinding);
 * so scripts run with this build (tests/programs/bench.lua) use neither.
 *
 * The native build (gcc) gets the same shim, so both builds behave alike.
 */
#ifndef KILN_LUA_UNWIND_SHIM_H
#define KILN_LUA_UNWIND_SHIM_H

struct lua_State;

/* Prints the pending error (or why it cannot be handled) and exits with status 1.
 * Defined in unwind_shim.c. `status` is the Lua thread status being thrown
 * (LUA_ERRRUN, LUA_ERRMEM, LUA_YIELD, ...). */
_Noreturn void kiln_lua_throw(struct lua_State *L, int status);

#define LUAI_THROW(L, c) kiln_lua_throw((L), (c)->status)
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int /* unused: nothing to jump to */

#endif
