(module
  (memory (;0;) i64 1 8)
)
