(module
  (memory (;0;) 3)
  (memory (;1;) 0 29)
)
