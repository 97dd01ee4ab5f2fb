(module
  (memory (;0;) 7)
  (memory (;1;) 1 17)
)
