(module
  (memory (;0;) 13)
  (memory (;1;) 1)
)
