(module
  (table (;0;) i64 1 132 funcref)
)
