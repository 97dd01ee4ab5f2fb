(module
  (memory (;0;) 11 23)
  (memory (;1;) 40 40)
)
