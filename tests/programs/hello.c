/* The smallest WASI command worth timing: the startup benchmark
 * (bench/src/bin/programs.rs) runs it precompiled to measure process start, load and
 * instantiation. */
#include <stdio.h>

int main(void) {
  puts("hello from wasi");
  return 0;
}
