(module
  (memory (;0;) 21 26)
  (memory (;1;) 1 17)
)
