(module
  (memory (;0;) i64 14 16)
)
