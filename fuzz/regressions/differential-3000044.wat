(module
  (memory (;0;) 1 6)
  (memory (;1;) 10 10)
)
