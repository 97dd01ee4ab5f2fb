(module
  (memory (;0;) i64 0 35)
)
