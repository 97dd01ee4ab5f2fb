(module
  (memory (;0;) 0 14)
  (memory (;1;) 6 18)
)
