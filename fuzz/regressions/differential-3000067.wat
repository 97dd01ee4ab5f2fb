(module
  (table (;0;) i64 134 externref)
)
