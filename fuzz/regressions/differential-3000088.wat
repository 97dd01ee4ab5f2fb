(module
  (table (;0;) i64 946 funcref)
)
