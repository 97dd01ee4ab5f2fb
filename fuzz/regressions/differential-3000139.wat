(module
  (memory (;0;) 1 34)
  (memory (;1;) 16 27)
)
