(module
  (memory (;0;) 10 13)
  (memory (;1;) 25)
)
