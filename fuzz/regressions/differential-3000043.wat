(module
  (memory (;0;) 0)
  (memory (;1;) 37 37)
)
