(module
  (memory (;0;) 0 31)
  (memory (;1;) 1 12)
)
