(module
  (memory (;0;) 0 29)
  (memory (;1;) 0)
)
