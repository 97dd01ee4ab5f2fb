(module
  (memory (;0;) 2 17)
  (memory (;1;) 32 39)
)
