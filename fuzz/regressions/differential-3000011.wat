(module
  (memory (;0;) 8)
  (memory (;1;) 0)
)
