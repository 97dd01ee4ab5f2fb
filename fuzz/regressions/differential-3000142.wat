(module
  (memory (;0;) 21 29)
  (memory (;1;) 1 28)
)
