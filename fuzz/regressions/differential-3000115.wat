(module
  (table (;0;) i64 556 funcref)
)
