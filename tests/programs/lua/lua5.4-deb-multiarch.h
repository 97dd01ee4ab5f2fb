/* Stands in for the header Debian's lua5.4 build generates (debian/rules): luaconf.h,
 * as patched by Debian, includes it for the multiarch directory in package.cpath.
 * Neither Kiln build loads C modules, so the value only has to be a plausible name. */
#ifndef DEB_HOST_MULTIARCH
#if defined(__wasi__)
#define DEB_HOST_MULTIARCH "wasm32-wasi"
#else
#define DEB_HOST_MULTIARCH "native"
#endif
#endif
