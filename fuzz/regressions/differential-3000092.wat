(module
  (memory (;0;) i64 19 28)
)
