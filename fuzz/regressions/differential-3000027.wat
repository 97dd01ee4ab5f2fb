(module
  (memory (;0;) i64 2)
)
