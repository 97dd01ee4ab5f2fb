(module
  (table (;0;) i64 0 789 funcref)
)
