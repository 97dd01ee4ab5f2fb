(module
  (rec)
  (data (;0;) "+\ce")
)
