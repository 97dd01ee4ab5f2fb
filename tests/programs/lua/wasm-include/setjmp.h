/* Replaces wasi-libc's <setjmp.h> for the wasm32-wasi build of Lua (on the include path
 * before the system headers, wasm build only). wasi-libc's header is an #error without the
 * exception-handling proposal; Lua's ldo.c includes it but, with unwind_shim.h defining
 * LUAI_THROW/LUAI_TRY/luai_jmpbuf, uses nothing from it. Declaring nothing here makes any
 * other use of setjmp/longjmp a compile error rather than a silent miscompile. */
#ifndef KILN_LUA_SETJMP_SHIM_H
#define KILN_LUA_SETJMP_SHIM_H
#endif
