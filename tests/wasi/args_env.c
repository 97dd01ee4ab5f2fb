/* Args and environment as the embedder gave them: printed with lengths and escapes,
 * then checked through the raw calls. */
#include "common.h"

extern char **environ;

static void print_escaped(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\') putchar(*p);
        else printf("\\x%02x", *p);
    }
}

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    int shown = 0;
    for (int i = 0; i < argc; i++) {
        if (argc > 20 && i >= 3 && i < argc - 2) continue; /* many args: show the ends */
        printf("argv[%d] (%zu bytes): ", i, strlen(argv[i]));
        print_escaped(argv[i]);
        printf("\n");
        shown++;
    }
    if (argc > 20) {
        int ok = 1;
        char want[32];
        for (int i = 1; i < argc; i++) {
            snprintf(want, sizeof want, "arg%d", i);
            ok &= strcmp(argv[i], want) == 0;
        }
        printf("all %d args in order: %d\n", argc - 1, ok);
    }
    int n = 0;
    for (char **e = environ; *e; e++) n++;
    printf("environ %d\n", n);
    for (char **e = environ; *e && e - environ < 10; e++) {
        print_escaped(*e);
        printf("\n");
    }
    const char *v = getenv("EMPTY");
    printf("getenv EMPTY: %s\n", v ? (*v ? "non-empty" : "set, empty") : "unset");
    v = getenv("MISSING");
    printf("getenv MISSING: %s\n", v ? v : "unset");

    __wasi_size_t count, size;
    WASI("args_sizes_get", __wasi_args_sizes_get(&count, &size));
    printf("count %lu size %lu\n", (unsigned long)count, (unsigned long)size);
    WASI("environ_sizes_get", __wasi_environ_sizes_get(&count, &size));
    printf("count %lu size %lu\n", (unsigned long)count, (unsigned long)size);
    WASI("args_sizes_get bad pointer", __wasi_args_sizes_get((void *)0xfffffffc, &size));
    WASI("args_get bad buffer", __wasi_args_get((uint8_t **)&count, (uint8_t *)0xfffffff0));
    return 0;
}
