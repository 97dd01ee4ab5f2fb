(module
  (table (;0;) i64 28 externref)
)
