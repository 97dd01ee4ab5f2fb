(module
  (memory (;0;) 0 16)
  (memory (;1;) 0 18)
)
