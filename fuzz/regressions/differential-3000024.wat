(module
  (memory (;0;) 0)
  (memory (;1;) 2 10)
)
