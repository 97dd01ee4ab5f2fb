(module
  (table (;0;) i64 645 externref)
)
