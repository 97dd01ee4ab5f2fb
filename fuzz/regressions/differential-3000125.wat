(module
  (memory (;0;) 13 26)
  (memory (;1;) 23)
)
