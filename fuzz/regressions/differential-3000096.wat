(module
  (memory (;0;) 4 39)
  (memory (;1;) 0)
)
